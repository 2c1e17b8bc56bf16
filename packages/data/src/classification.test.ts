import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { initBackend, tf } from '@attn/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { tokenizerFromVocabText } from '@attn/tokenizers';
import { prepareClassificationFeature, prepareClassificationFeatures } from './classification';
import { classificationCollator } from './classification_collator';
import { DataError } from './data_error';
import { DataLoader } from './data_loader';
import { MapDataset, ArrayDataset } from './dataset';
import { readDelimited } from './delimited';
import { LabelMap } from './label_map';

const at = (p: string) => fileURLToPath(new URL(`../../../fixtures/${p}`, import.meta.url));
const tokenizer = tokenizerFromVocabText(readFileSync(at('tokenizers/bert-base-uncased/vocab.txt'), 'utf8'), { lowercase: true });

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('classification features', () => {
  it('SST-2 rows → [CLS] … [SEP] ids with label ids; batches pad to the batch max; no leaks', async () => {
    const { examples } = await readDelimited(at('data/sst2-dev-200.tsv'), { textColumn: 'sentence', labelColumn: 'label' });
    const labelMap = LabelMap.fromData(examples.map((e) => e.label!));
    expect(labelMap.labels).toEqual(['0', '1']);
    const features = prepareClassificationFeatures(tokenizer, examples, { labelMap, maxLength: 32 });
    const f0 = features[0]!;
    expect(f0.inputIds[0]).toBe(101);
    expect(f0.inputIds[f0.inputIds.length - 1]).toBe(102);
    expect(f0.label).toBe(1);
    expect(Math.max(...features.map((f) => f.inputIds.length))).toBe(32);
    const dl = new DataLoader(new MapDataset(new ArrayDataset(features), (f) => f), { batchSize: 32, shuffle: true, seed: 0, collate: classificationCollator({ padTokenId: 0 }) });
    const before = tf.memory().numTensors;
    const widths: number[] = [];
    for (const batch of dl) {
      widths.push(batch.inputIds!.shape[1]!);
      expect(batch.labels!.shape).toEqual([batch.inputIds!.shape[0]]);
      tf.dispose(Object.values(batch));
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(widths).toHaveLength(7);
    expect(Math.min(...widths)).toBeLessThanOrEqual(32);
  });

  it('text pairs get token type 1 on the second segment', () => {
    const f = prepareClassificationFeature(tokenizer, { text: 'a cat', textPair: 'the dog sat', source: { file: 't' } });
    expect(f.tokenTypeIds).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
    expect(f.label).toBeUndefined();
  });

  it('a label outside the map is a DataError naming file and line', () => {
    const labelMap = LabelMap.fromLabels(['0', '1']);
    expect(() => prepareClassificationFeature(tokenizer, { text: 'x', label: 'neutral', source: { file: 'dev.tsv', line: 4 } }, { labelMap })).toThrow(DataError);
  });
});
