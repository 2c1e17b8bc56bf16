import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { initBackend, tf } from '@attn/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { Tokenizer } from '@attn/tokenizers';
import { DataLoader } from './data_loader';
import { ArrayDataset } from './dataset';
import { qaCollator } from './qa_collator';
import { postprocessQaPredictions } from './qa_postprocess';
import { prepareQaEvalFeatures, prepareQaTrainFeatures } from './question_answering';
import { parseSquad, type QaExample } from './squad';

const at = (p: string) => fileURLToPath(new URL(`../../../fixtures/${p}`, import.meta.url));
type Ref = { id: string; n: number; start: number; end: number; ids: number[] | null };
/** HF run_qa prepare_train_features on the fixture (fixtures/data/make_hf_reference.py). */
const reference = JSON.parse(readFileSync(at('data/hf-reference-squad.json'), 'utf8')) as Record<string, Ref[]>;
let tokenizer: Tokenizer;
const examples: QaExample[] = parseSquad(readFileSync(at('data/squad-v1.1-2articles.json'), 'utf8')).examples;

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  tokenizer = await Tokenizer.fromFile(at('tokenizers/bert-base-uncased/tokenizer.json'));
});

describe('QA features on real SQuAD examples (bert-base-uncased vocab)', () => {
  for (const [maxLength, stride] of [[384, 128], [128, 32]] as const) {
    it(`maxLength ${maxLength} / stride ${stride}: windows and positions equal HF run_qa; spans reproduce the answer`, () => {
      const features = prepareQaTrainFeatures(tokenizer, examples, { maxLength, stride });
      const ref = reference[`${maxLength}/${stride}`]!;
      expect(features).toHaveLength(ref.length);
      let inside = 0;
      let exact = 0;
      features.forEach((f, i) => {
        const r = ref[i]!;
        const ex = examples[f.exampleIndex]!;
        expect(ex.id).toBe(r.id);
        expect(f.inputIds.length).toBe(r.n);
        if (r.ids) expect(f.inputIds).toEqual(r.ids);
        expect([f.startPosition, f.endPosition]).toEqual([r.start, r.end]);
        expect(f.inputIds.length).toBeLessThanOrEqual(maxLength);
        if (f.startPosition === 0) {
          expect(f.endPosition).toBe(0);
          return;
        }
        inside++;
        // The token span covers the answer; it equals it unless the answer cuts through a token.
        const enc = tokenizer.encode(ex.question, ex.context, { truncation: false });
        const qLen = enc.sequenceIds.indexOf(1);
        const offsets = prepareQaEvalFeatures(tokenizer, [ex], { maxLength, stride }).find((e, k) => k === featureWindow(features, i))!.offsetMapping;
        expect(qLen).toBeGreaterThan(0);
        const text = ex.context.slice(offsets[f.startPosition]![0], offsets[f.endPosition]![1]);
        expect(text).toContain(ex.answers[0]!.text);
        if (text === ex.answers[0]!.text) exact++;
      });
      expect(inside).toBeGreaterThan(examples.length * 0.9);
      expect(exact / inside).toBeGreaterThan(0.95); // the rest are answers that cut through a token ("8" of "18")
      if (maxLength === 128) expect(features.length - inside).toBeGreaterThan(50); // windows without the answer point at CLS
    });
  }

  it('postprocessing recovers the gold answer from one-hot logits at the gold positions', () => {
    const opts = { maxLength: 128, stride: 32 };
    const train = prepareQaTrainFeatures(tokenizer, examples, opts);
    const evalFeatures = prepareQaEvalFeatures(tokenizer, examples, opts);
    expect(evalFeatures).toHaveLength(train.length);
    const startLogits = train.map((f) => f.inputIds.map((_, t) => (t === f.startPosition && t !== 0 ? 10 : 0)));
    const endLogits = train.map((f) => f.inputIds.map((_, t) => (t === f.endPosition && t !== 0 ? 10 : 0)));
    const predictions = postprocessQaPredictions(examples, evalFeatures, startLogits, endLogits);
    let exact = 0;
    predictions.forEach((p, i) => {
      const gold = examples[i]!.answers[0]!;
      expect(p.id).toBe(examples[i]!.id);
      expect(p.text).toBe(examples[i]!.context.slice(p.start, p.end));
      expect(p.start).toBeLessThanOrEqual(gold.answerStart);
      expect(p.end).toBeGreaterThanOrEqual(gold.answerStart + gold.text.length);
      if (p.text === gold.text) exact++;
    });
    expect(exact / predictions.length).toBeGreaterThan(0.95);
  });

  it('eval features null every offset outside the context', () => {
    const [f] = prepareQaEvalFeatures(tokenizer, [examples[0]!]);
    const firstContext = f!.tokenTypeIds.indexOf(1);
    expect(f!.offsetMapping.slice(0, firstContext).every((o) => o === null)).toBe(true);
    expect(f!.offsetMapping[f!.offsetMapping.length - 1]).toBeNull();
    expect(f!.offsetMapping.slice(firstContext, -1).every((o) => o !== null)).toBe(true);
    expect(f!.exampleId).toBe(examples[0]!.id);
  });

  it('collator gives startPositions/endPositions [B]; no tensor leaks', () => {
    const features = prepareQaTrainFeatures(tokenizer, examples.slice(0, 40), { maxLength: 128, stride: 32 });
    const dl = new DataLoader(new ArrayDataset(features), { batchSize: 16, shuffle: true, collate: qaCollator({ padTokenId: 0 }) });
    const before = tf.memory().numTensors;
    const order = dl.batchIndices();
    let k = 0;
    for (const batch of dl) {
      const idx = order[k++]!;
      expect(batch.startPositions!.shape).toEqual([idx.length]);
      expect(Array.from(batch.endPositions!.dataSync())).toEqual(idx.map((i) => features[i]!.endPosition));
      expect(batch.inputIds!.shape[1]).toBe(Math.max(...idx.map((i) => features[i]!.inputIds.length)));
      tf.dispose(Object.values(batch));
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});

/** Index of feature i among the windows of its own example. */
function featureWindow(features: ReadonlyArray<{ exampleIndex: number }>, i: number): number {
  let k = 0;
  for (let j = i - 1; j >= 0 && features[j]!.exampleIndex === features[i]!.exampleIndex; j--) k++;
  return k;
}

describe('QA answer positions at the edge of a window', () => {
  it('an answer that ends the context points at its own tokens, not at [SEP] (HF walks past it)', () => {
    const ex: QaExample = { id: 'e', title: '', question: 'Where?', context: 'The meeting is in Paris', answers: [{ text: 'Paris', answerStart: 18 }], isImpossible: false, source: { file: 't' } };
    const [f] = prepareQaTrainFeatures(tokenizer, [ex]);
    const [e] = prepareQaEvalFeatures(tokenizer, [ex]);
    expect(f!.endPosition).toBe(f!.inputIds.length - 2);
    expect(ex.context.slice(e!.offsetMapping[f!.startPosition]![0], e!.offsetMapping[f!.endPosition]![1])).toBe('Paris');
  });

  it('a window that holds only part of the answer points at CLS', () => {
    const context = Array.from({ length: 60 }, (_, i) => `w${i}`).join(' ');
    const start = context.indexOf('w20');
    const ex: QaExample = { id: 'p', title: '', question: 'q', context, answers: [{ text: context.slice(start, context.indexOf('w30') + 3), answerStart: start }], isImpossible: false, source: { file: 't' } };
    const features = prepareQaTrainFeatures(tokenizer, [ex], { maxLength: 48, stride: 16 });
    expect(features.length).toBeGreaterThan(2);
    expect(features.every((f) => f.startPosition === 0 && f.endPosition === 0)).toBe(false);
    const partial = features.filter((f) => f.startPosition === 0);
    expect(partial.length).toBeGreaterThan(0);
  });
});
