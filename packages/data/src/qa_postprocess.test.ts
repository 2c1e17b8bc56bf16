import { describe, expect, it } from 'vitest';
import { postprocessQaPredictions } from './qa_postprocess';
import type { QaEvalFeature } from './question_answering';
import type { QaExample } from './squad';

// Context "aa bb cc dd ee ff" — word k spans [3k, 3k+2).
const context = 'aa bb cc dd ee ff';
const example: QaExample = { id: 'x', title: '', question: 'q?', context, answers: [], isImpossible: false, source: { file: 't' } };
const span = (k: number): [number, number] => [3 * k, 3 * k + 2];

/** A window [CLS] q [SEP] w_from … w_to [SEP]; question and specials have null offsets. */
function window(from: number, to: number): QaEvalFeature {
  const offsets: Array<[number, number] | null> = [null, null, null];
  for (let k = from; k <= to; k++) offsets.push(span(k));
  offsets.push(null);
  return { inputIds: offsets.map(() => 5), attentionMask: offsets.map(() => 1), tokenTypeIds: offsets.map(() => 0), exampleId: 'x', exampleIndex: 0, offsetMapping: offsets };
}

function logits(n: number, hot: Record<number, number>): number[] {
  return Array.from({ length: n }, (_, i) => hot[i] ?? 0);
}

describe('postprocessQaPredictions', () => {
  it('picks the best valid span and maps it back to context characters', () => {
    const f = window(0, 5);
    const n = f.offsetMapping.length;
    // Start best at the question token (invalid), then at word 2; end best at word 3.
    const [p] = postprocessQaPredictions([example], [f], [logits(n, { 1: 9, 5: 5 })], [logits(n, { 6: 4, 2: 8 })]);
    expect(p!.text).toBe('cc dd');
    expect([p!.start, p!.end]).toEqual([6, 11]);
    expect(p!.score).toBe(9);
    expect(p!.nBest[0]!.probability).toBeGreaterThan(p!.nBest[1]!.probability);
    expect(p!.nBest.reduce((s, c) => s + c.probability, 0)).toBeCloseTo(1, 6);
  });

  it('rejects end before start and spans longer than maxAnswerLength', () => {
    const f = window(0, 5);
    const n = f.offsetMapping.length;
    const s = logits(n, { 7: 10, 3: 1 });
    const e = logits(n, { 4: 10, 8: 2 });
    // Best pair (7, 4) ends before it starts; (7, 8) is next, "ee ff".
    expect(postprocessQaPredictions([example], [f], [s], [e])[0]!.text).toBe('ee ff');
    expect(postprocessQaPredictions([example], [f], [s], [e], { maxAnswerLength: 1 })[0]!.text).toBe('ee');
    const [long] = postprocessQaPredictions([example], [f], [logits(n, { 3: 10 })], [logits(n, { 8: 10 })], { maxAnswerLength: 3 });
    expect(long!.end - long!.start).toBeLessThanOrEqual(8);
  });

  it('merges overlapping windows of one example and takes the best across them', () => {
    const a = window(0, 3);
    const b = window(2, 5);
    const [p] = postprocessQaPredictions(
      [example],
      [a, b],
      [logits(a.offsetMapping.length, { 3: 2 }), logits(b.offsetMapping.length, { 5: 6 })],
      [logits(a.offsetMapping.length, { 3: 2 }), logits(b.offsetMapping.length, { 6: 6 })],
    );
    expect(p!.text).toBe('ee ff');
    expect(p!.score).toBe(12);
  });

  it('SQuAD v2: answers "" when the null score beats the best span by the threshold', () => {
    const f = window(0, 5);
    const n = f.offsetMapping.length;
    const s = logits(n, { 0: 5, 4: 3 });
    const e = logits(n, { 0: 5, 4: 3 });
    expect(postprocessQaPredictions([example], [f], [s], [e], { version2WithNegative: true })[0]!.text).toBe('');
    expect(postprocessQaPredictions([example], [f], [s], [e], { version2WithNegative: true, nullScoreDiffThreshold: 5 })[0]!.text).toBe('bb');
    expect(postprocessQaPredictions([example], [f], [s], [e])[0]!.text).toBe('bb');
  });
});
