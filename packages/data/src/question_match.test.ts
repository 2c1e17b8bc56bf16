import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { initBackend } from '@attn/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { Tokenizer } from '@attn/tokenizers';
import { prepareQaEvalFeatures, prepareQaTrainFeatures } from './question_answering';
import { QUESTION_MATCH_CONFIG_KEY, questionMatchTypeId, questionMatchTypeIds } from './question_match';
import { parseSquad, type QaExample } from './squad';

const at = (p: string) => fileURLToPath(new URL(`../../../fixtures/${p}`, import.meta.url));
/** The rule of tools/qa-oracle/qa_torch.py --match, computed by HF tokenizers (fixtures/data/make_question_match_reference.py). */
const reference = JSON.parse(readFileSync(at('data/hf-reference-question-match.json'), 'utf8')) as Record<string, number[]>;
const examples: QaExample[] = parseSquad(readFileSync(at('data/squad-v1.1-2articles.json'), 'utf8')).examples;
let tokenizer: Tokenizer;

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  tokenizer = await Tokenizer.fromFile(at('tokenizers/bert-base-uncased/tokenizer.json'));
});

describe('questionMatchTypeIds', () => {
  it('marks the context pieces that are content words of the question, not stop words or punctuation', () => {
    const w = tokenizer.encode('Who founded Rome?', 'Rome was founded by Romulus, who ruled Rome.');
    const marked = questionMatchTypeIds(w, 2)
      .map((t, i) => (t === 2 ? w.tokens[i] : null))
      .filter((t) => t !== null);
    expect(marked).toEqual(['rome', 'founded', 'rome']);
    // Question tokens and special tokens keep their segment ids; nothing else changes.
    questionMatchTypeIds(w, 2).forEach((t, i) => {
      if (t !== 2) expect(t).toBe(w.typeIds[i]);
    });
  });

  it('equals the PyTorch run that measured it on the first window of 217 real questions', () => {
    const features = prepareQaEvalFeatures(tokenizer, examples, { maxLength: 384, stride: 128, questionMatchTypeId: 2 });
    const first = new Map<string, number[]>();
    for (const f of features) if (!first.has(f.exampleId)) first.set(f.exampleId, f.tokenTypeIds);
    expect(first.size).toBe(Object.keys(reference).length);
    let marked = 0;
    for (const [id, indices] of Object.entries(reference)) {
      const types = first.get(id)!;
      const got = types.flatMap((t, i) => (t === 2 ? [i] : []));
      expect(got, id).toEqual(indices);
      marked += got.length;
    }
    expect(marked).toBeGreaterThan(1000);
  });

  it('changes only the token types of training and evaluation windows', () => {
    const plain = prepareQaTrainFeatures(tokenizer, examples.slice(0, 20), { maxLength: 128, stride: 32 });
    const matched = prepareQaTrainFeatures(tokenizer, examples.slice(0, 20), { maxLength: 128, stride: 32, questionMatchTypeId: 2 });
    expect(matched.map((f) => [f.inputIds, f.startPosition, f.endPosition])).toEqual(plain.map((f) => [f.inputIds, f.startPosition, f.endPosition]));
    expect(matched.some((f, i) => f.tokenTypeIds.join() !== plain[i]!.tokenTypeIds.join())).toBe(true);
    matched.forEach((f, i) => f.tokenTypeIds.forEach((t, j) => expect(t === 2 || t === plain[i]!.tokenTypeIds[j]).toBe(true)));
  });
});

describe('questionMatchTypeId', () => {
  const config = (v: unknown, typeVocabSize = 3) => ({ extra: v === undefined ? {} : { [QUESTION_MATCH_CONFIG_KEY]: v }, typeVocabSize });
  it('reads the id from config.json, undefined when the model has none', () => {
    expect(questionMatchTypeId(config(undefined, 2))).toBeUndefined();
    expect(questionMatchTypeId(config(2))).toBe(2);
  });
  it.each([[1], [3], ['2'], [2.5], [-1]])('refuses %j in one line naming the file and field', (v) => {
    expect(() => questionMatchTypeId(config(v), 'model/config.json')).toThrow(
      `model/config.json: field "question_match_type_id" must be a token type id from 2 to type_vocab_size - 1 (type_vocab_size is 3), got ${JSON.stringify(v)}.`,
    );
  });
});
