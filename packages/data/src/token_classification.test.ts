import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { initBackend, tf } from '@attn/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { tokenizerFromVocabText } from '@attn/tokenizers';
import { readConll } from './conll';
import { DataLoader } from './data_loader';
import { ArrayDataset } from './dataset';
import { LabelMap } from './label_map';
import { IGNORE_INDEX, prepareTokenClassificationFeatures } from './token_classification';
import { tokenClassificationCollator } from './token_classification_collator';
import type { TokenClassificationExample } from './token_classification_example';

const at = (p: string) => fileURLToPath(new URL(`../../../fixtures/${p}`, import.meta.url));
const TAGS = ['O', 'B-PER', 'I-PER', 'B-LOC', 'I-LOC', 'B-ORG', 'I-ORG', 'B-MISC', 'I-MISC'];
/** HF tokenizers' run_ner alignment for the fixture (fixtures/data/make_hf_reference.py). */
const reference = JSON.parse(readFileSync(at('data/hf-reference-conll.json'), 'utf8')) as Array<{ ids: number[]; labels: string[] }>;
const tokenizer = tokenizerFromVocabText(readFileSync(at('tokenizers/bert-base-cased/vocab.txt'), 'utf8'), { lowercase: false });
const labelMap = LabelMap.fromLabels(TAGS);

let examples: TokenClassificationExample[];
beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  examples = (await readConll(at('data/conll2003-valid-50.txt'), { labels: TAGS })).examples;
});

describe('token classification on real CoNLL words (bert-base-cased vocab)', () => {
  it('first sub-token gets the tag, the rest and special tokens -100: equals HF run_ner', () => {
    const features = prepareTokenClassificationFeatures(tokenizer, examples, { labelMap });
    expect(features).toHaveLength(reference.length);
    features.forEach((f, i) => {
      expect(f.inputIds).toEqual(reference[i]!.ids);
      expect(f.labels).toEqual(reference[i]!.labels.map((l) => (l === '-100' ? IGNORE_INDEX : labelMap.id(l))));
      // Every word is labelled exactly once, at its first sub-token.
      expect(f.labels.filter((l) => l !== IGNORE_INDEX)).toHaveLength(examples[i]!.words.length);
    });
    // "LEICESTERSHIRE" splits into several pieces; only the first carries B-ORG.
    const f0 = features[0]!;
    const pieces = f0.wordIds.map((w, t) => (w === 2 ? t : -1)).filter((t) => t >= 0);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.map((t) => f0.labels[t])).toEqual([labelMap.id('B-ORG'), ...pieces.slice(1).map(() => IGNORE_INDEX)]);
  });

  it('labelAllTokens labels every sub-token, B- turning into I- after the first', () => {
    const [f] = prepareTokenClassificationFeatures(tokenizer, [examples[0]!], { labelMap, labelAllTokens: true });
    const pieces = f!.wordIds.map((w, t) => (w === 2 ? t : -1)).filter((t) => t >= 0);
    expect(pieces.map((t) => f!.labels[t])).toEqual([labelMap.id('B-ORG'), ...pieces.slice(1).map(() => labelMap.id('I-ORG'))]);
    expect(f!.labels[0]).toBe(IGNORE_INDEX);
    expect(f!.labels[f!.labels.length - 1]).toBe(IGNORE_INDEX);
  });

  it('an unknown tag names the sentence line', () => {
    const bad = { words: ['a', 'b'], tags: ['O', 'B-XYZ'], source: { file: 'x.txt', line: 10 } };
    expect(() => prepareTokenClassificationFeatures(tokenizer, [bad], { labelMap })).toThrowError(/x\.txt:11 \(field "tag"\): unknown label "B-XYZ"/);
  });

  it('collator pads labels with -100 to the batch max; no tensor leaks', () => {
    const features = prepareTokenClassificationFeatures(tokenizer, examples, { labelMap });
    const dl = new DataLoader(new ArrayDataset(features), { batchSize: 8, shuffle: true, seed: 5, collate: tokenClassificationCollator({ padTokenId: tokenizer.padTokenId! }) });
    const before = tf.memory().numTensors;
    const order = dl.batchIndices();
    let k = 0;
    for (const batch of dl) {
      const idx = order[k++]!;
      const longest = Math.max(...idx.map((i) => features[i]!.inputIds.length));
      expect(batch.labels!.shape).toEqual([idx.length, longest]);
      const labels = batch.labels!.arraySync() as number[][];
      idx.forEach((i, r) => expect(labels[r]).toEqual([...features[i]!.labels, ...new Array(longest - features[i]!.labels.length).fill(IGNORE_INDEX)]));
      tf.dispose(Object.values(batch));
      expect(tf.memory().numTensors).toBe(before);
    }
  });
});
