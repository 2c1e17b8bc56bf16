import { initBackend, tf } from '@attn/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { classificationCollator } from './classification_collator';
import type { ClassificationFeature } from './classification';
import { DataLoader } from './data_loader';
import { ArrayDataset, MapDataset } from './dataset';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

/** Feature i has i % 13 + 3 tokens, so lengths vary. */
function features(n: number): ClassificationFeature[] {
  return Array.from({ length: n }, (_, i) => {
    const len = (i % 13) + 3;
    return { inputIds: Array.from({ length: len }, (_, t) => 1000 + i * 100 + t), attentionMask: new Array(len).fill(1), tokenTypeIds: new Array(len).fill(0), label: i % 2 };
  });
}

const collate = classificationCollator({ padTokenId: 0 });

describe('DataLoader', () => {
  it('seeded shuffle: same (seed, epoch) → same order; different epoch or seed → different order', () => {
    const ds = new ArrayDataset(features(100));
    const a = new DataLoader(ds, { batchSize: 8, shuffle: true, seed: 42, collate });
    const b = new DataLoader(ds, { batchSize: 8, shuffle: true, seed: 42, collate });
    const e0 = a.batchIndices();
    expect(b.batchIndices()).toEqual(e0);
    expect(e0.flat().sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(e0.flat()).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
    a.setEpoch(1);
    expect(a.batchIndices()).not.toEqual(e0);
    a.setEpoch(0);
    expect(a.batchIndices()).toEqual(e0);
    expect(new DataLoader(ds, { batchSize: 8, shuffle: true, seed: 43, collate }).batchIndices()).not.toEqual(e0);
  });

  it('length, dropLast, and skip resumes at batch k with the same contents', () => {
    const ds = new ArrayDataset(features(21));
    expect(new DataLoader(ds, { batchSize: 4, collate }).length).toBe(6);
    const dl = new DataLoader(ds, { batchSize: 4, dropLast: true, shuffle: true, seed: 1, collate });
    expect(dl.length).toBe(5);
    const all = [...dl].map((b) => {
      const ids = b.inputIds!.arraySync();
      tf.dispose(Object.values(b));
      return ids;
    });
    expect(all).toHaveLength(5);
    const resumed = [...{ [Symbol.iterator]: () => dl.batches({ skip: 3 }) }].map((b) => {
      const ids = b.inputIds!.arraySync();
      tf.dispose(Object.values(b));
      return ids;
    });
    expect(resumed).toEqual(all.slice(3));
  });

  it('pads dynamically to the longest row in each batch, not to a max length', () => {
    const feats = features(26);
    const dl = new DataLoader(new ArrayDataset(feats), { batchSize: 5, collate });
    const batches = [...dl];
    dl.batchIndices().forEach((idx, k) => {
      const batch = batches[k]!;
      const longest = Math.max(...idx.map((i) => feats[i]!.inputIds.length));
      expect(batch.inputIds!.shape).toEqual([idx.length, longest]);
      expect(batch.inputIds!.dtype).toBe('int32');
      const ids = batch.inputIds!.arraySync() as number[][];
      const mask = batch.attentionMask!.arraySync() as number[][];
      idx.forEach((i, r) => {
        const n = feats[i]!.inputIds.length;
        expect(ids[r]!.slice(0, n)).toEqual(feats[i]!.inputIds);
        expect(ids[r]!.slice(n).every((v) => v === 0)).toBe(true);
        expect(mask[r]!.reduce((s, v) => s + v, 0)).toBe(n);
      });
      expect(Array.from(batch.labels!.dataSync())).toEqual(idx.map((i) => i % 2));
      tf.dispose(Object.values(batch));
    });
    const multiple = classificationCollator({ padTokenId: 0, padToMultipleOf: 8 })(feats.slice(0, 3));
    expect(multiple.inputIds!.shape).toEqual([3, 8]);
    tf.dispose(Object.values(multiple));
  });

  it('groupByLength puts similar lengths together and pads less', () => {
    const feats = features(400);
    const ds = new ArrayDataset(feats);
    const padded = (dl: DataLoader<ClassificationFeature>) =>
      dl.batchIndices().reduce((s, idx) => s + idx.length * Math.max(...idx.map((i) => feats[i]!.inputIds.length)), 0);
    const plain = new DataLoader(ds, { batchSize: 8, shuffle: true, seed: 3, collate });
    const grouped = new DataLoader(ds, { batchSize: 8, shuffle: true, seed: 3, groupByLength: true, collate });
    const order = grouped.batchIndices();
    expect(order.flat().sort((x, y) => x - y)).toEqual(Array.from({ length: 400 }, (_, i) => i));
    expect(Math.max(...order[0]!.map((i) => feats[i]!.inputIds.length))).toBe(15);
    expect(padded(grouped)).toBeLessThan(0.8 * padded(plain));
  });

  it('MapDataset maps lazily; a full epoch leaks no tensors', () => {
    let calls = 0;
    const ds = new MapDataset(new ArrayDataset(features(30)), (f) => {
      calls++;
      return f;
    });
    expect(calls).toBe(0);
    const dl = new DataLoader(ds, { batchSize: 7, shuffle: true, collate });
    const before = tf.memory().numTensors;
    for (let epoch = 0; epoch < 2; epoch++) {
      dl.setEpoch(epoch);
      for (const batch of dl) tf.dispose(Object.values(batch));
      expect(tf.memory().numTensors).toBe(before);
    }
    expect(calls).toBe(60);
  });
});
