import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DataError } from './data_error';
import { parseSquad, readSquad } from './squad';

const fixture = fileURLToPath(new URL('../../../fixtures/data/squad-v1.1-2articles.json', import.meta.url));
const real = fileURLToPath(new URL('../../../../shared/data/squad/squad-v1.1-dev-part-train.json', import.meta.url));

describe('SQuAD reader', () => {
  it('reads v1.1: every answer sits at its answer_start', async () => {
    const { examples } = await readSquad(fixture);
    expect(examples).toHaveLength(217);
    const first = examples[0]!;
    expect(first.title).toBe('Super_Bowl_50');
    expect(first.isImpossible).toBe(false);
    expect(first.answers.length).toBeGreaterThan(0);
    for (const ex of examples) for (const a of ex.answers) expect(ex.context.slice(a.answerStart, a.answerStart + a.text.length)).toBe(a.text);
  });

  it('reads v2 with is_impossible as an example without answers', () => {
    const v2 = {
      version: 'v2.0',
      data: [{ title: 'T', paragraphs: [{ context: 'Paris is in France.', qas: [
        { id: 'a', question: 'Where is Paris?', answers: [{ text: 'France', answer_start: 12 }], is_impossible: false },
        { id: 'b', question: 'Where is Rome?', answers: [], plausible_answers: [{ text: 'France', answer_start: 12 }], is_impossible: true },
      ] }] }],
    };
    const { examples } = parseSquad(JSON.stringify(v2));
    expect(examples.map((e) => [e.id, e.isImpossible, e.answers.length])).toEqual([['a', false, 1], ['b', true, 0]]);
  });

  it('an answer not at its offset names file, line, field and question id', () => {
    const text = JSON.stringify({ data: [{ title: 'T', paragraphs: [{ context: 'Paris is in France.', qas: [
      { id: 'q1', question: 'Where?', answers: [{ text: 'France', answer_start: 12 }] },
    ] }] }] }, null, 1);
    const bad = text.replace('"answer_start": 12', '"answer_start": 3');
    let err: unknown;
    try {
      parseSquad(bad, { file: 'dev.json' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DataError);
    const d = err as DataError;
    expect(d.file).toBe('dev.json');
    expect(d.line).toBe(bad.slice(0, bad.indexOf('"q1"')).split('\n').length);
    expect(d.field).toBe('data[0].paragraphs[0].qas[0].answers[0].answer_start');
    expect(d.message).toContain('question q1: answer text "France" is not at answer_start 3');
    const skipped = parseSquad(bad.replace('"qas": [', '"qas": [{"id": "ok", "question": "x", "answers": [{"text": "Paris", "answer_start": 0}]},'), { onError: 'skip' });
    expect(skipped.examples.map((e) => e.id)).toEqual(['ok']);
    expect(skipped.skipped).toBe(1);
  });

  it('an empty file is an error', () => {
    expect(() => parseSquad('{"data": []}', { file: 'e.json' })).toThrowError(/e\.json \(field "data"\): empty dataset/);
  });

  it('reads the real 36-article split: 7,793 questions', async () => {
    if (!existsSync(real)) return;
    const { examples } = parseSquad(readFileSync(real, 'utf8'), { file: real });
    expect(examples).toHaveLength(7793);
    expect(examples.reduce((s, e) => s + e.answers.length, 0)).toBe(25875);
  });
});
