import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { initBackend, tf } from '@attn/tensor';
import { describe, expect, it } from 'vitest';
import { tokenizerFromVocabText } from '@attn/tokenizers';
import { splitParagraphs, stripGutenberg } from './gutenberg';
import { packSequences } from './pack_sequences';
import { DataLoader } from './data_loader';
import { ArrayDataset } from './dataset';
import { MlmCollator } from './mlm_collator';

const at = (p: string) => fileURLToPath(new URL(`../../../fixtures/${p}`, import.meta.url));
const tokenizer = tokenizerFromVocabText(readFileSync(at('tokenizers/bert-base-uncased/vocab.txt'), 'utf8'), { lowercase: true });

describe('packSequences', () => {
  it('packs a Gutenberg text into [CLS] … [SEP] segments of exactly maxLength, losing no tokens', () => {
    const paragraphs = splitParagraphs(stripGutenberg(readFileSync(at('data/gutenberg-frankenstein-excerpt.txt'), 'utf8')));
    const total = paragraphs.reduce((s, p) => s + tokenizer.encode(p, undefined, { addSpecialTokens: false, truncation: false }).ids.length, 0);
    const segments = [...packSequences(tokenizer, paragraphs, { maxLength: 32, dropRemainder: false })];
    expect(segments.reduce((s, f) => s + f.inputIds.length - 2, 0)).toBe(total);
    for (const f of segments.slice(0, -1)) {
      expect(f.inputIds).toHaveLength(32);
      expect([f.inputIds[0], f.inputIds[31]]).toEqual([101, 102]);
      expect(f.specialTokensMask!.reduce((a, b) => a + b, 0)).toBe(2);
    }
    const dropped = [...packSequences(tokenizer, paragraphs, { maxLength: 32 })];
    expect(dropped).toHaveLength(Math.floor(total / 30));
    // The first segment is the first 30 tokens of the text, with the text's own word ids.
    const first = tokenizer.encode(paragraphs[0]! + ' ' + paragraphs[1]!, undefined, { addSpecialTokens: false, truncation: false });
    const p0 = tokenizer.encode(paragraphs[0]!, undefined, { addSpecialTokens: false, truncation: false }).ids.length;
    expect(segments[0]!.inputIds.slice(1, 31)).toEqual(first.ids.slice(0, 30));
    if (p0 >= 30) expect(segments[0]!.wordIds!.slice(1, 31)).toEqual(first.wordIds.slice(0, 30));
    for (const f of segments) for (let t = 2; t < f.inputIds.length - 1; t++) expect(f.wordIds![t]!).toBeGreaterThanOrEqual(f.wordIds![t - 1]!);
  });

  it('feeds a DataLoader with whole-word MLM batches; no tensor leaks over epochs', async () => {
    await initBackend({ backend: 'cpu' });
    const paragraphs = splitParagraphs(stripGutenberg(readFileSync(at('data/gutenberg-frankenstein-excerpt.txt'), 'utf8')));
    const segments = [...packSequences(tokenizer, paragraphs, { maxLength: 24 })];
    const mlm = new MlmCollator({ maskTokenId: tokenizer.maskTokenId!, padTokenId: tokenizer.padTokenId!, vocabSize: tokenizer.getVocabSize(), wholeWordMask: true, seed: 1 });
    const dl = new DataLoader(new ArrayDataset(segments), { batchSize: 4, shuffle: true, collate: mlm.collate });
    const before = tf.memory().numTensors;
    let predicted = 0;
    for (let epoch = 0; epoch < 2; epoch++) {
      dl.setEpoch(epoch);
      for (const batch of dl) {
        expect(batch.inputIds!.shape).toEqual(batch.labels!.shape);
        predicted += Array.from(batch.labels!.dataSync()).filter((l) => l !== -100).length;
        tf.dispose(Object.values(batch));
      }
      expect(tf.memory().numTensors).toBe(before);
    }
    expect(predicted / (2 * segments.length * 22)).toBeGreaterThan(0.1);
  });
});
