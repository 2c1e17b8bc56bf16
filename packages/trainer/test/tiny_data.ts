import { tf } from '@attn/tensor';
import { ArrayDataset, DataLoader, type ClassificationBatch } from '@attn/data';
import { syntheticBatches } from './tiny_classifier';

export interface TinyItem {
  ids: number[];
  label: number;
}

/** Dynamic padding to the longest item of the batch, as @attn/data's collators do. */
export function collateTiny(items: TinyItem[]): ClassificationBatch {
  const len = Math.max(...items.map((i) => i.ids.length));
  const ids = new Int32Array(items.length * len);
  const mask = new Int32Array(items.length * len);
  items.forEach((it, r) => {
    it.ids.forEach((x, c) => {
      ids[r * len + c] = x;
      mask[r * len + c] = 1;
    });
  });
  return {
    inputIds: tf.tensor2d(ids, [items.length, len], 'int32'),
    attentionMask: tf.tensor2d(mask, [items.length, len], 'int32'),
    tokenTypeIds: tf.zeros([items.length, len], 'int32'),
    labels: tf.tensor1d(items.map((i) => i.label), 'int32'),
  };
}

export function tinyLoader(opts: { n: number; batchSize: number; seed: number; shuffle?: boolean; dataSeed?: number }): DataLoader<TinyItem, ClassificationBatch> {
  const items = syntheticBatches({ n: opts.n, batchSize: opts.batchSize, seqLen: 8, vocabSize: 50, seed: opts.dataSeed ?? 7 });
  return new DataLoader(new ArrayDataset(items), { batchSize: opts.batchSize, shuffle: opts.shuffle ?? true, seed: opts.seed, collate: collateTiny });
}
