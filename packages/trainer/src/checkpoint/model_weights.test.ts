import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, saveSafetensors, tf } from '@attn/tensor';
import { loadModelWeights } from './model_weights';
import type { TrainableModel } from '../trainable_model';

const dir = mkdtempSync(join(tmpdir(), 'attn-model-weights-'));
beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function model(): TrainableModel & { a: tf.Variable; b: tf.Variable } {
  const a = tf.variable(tf.zeros([2]));
  const b = tf.variable(tf.zeros([3]));
  const named: Array<[string, tf.Variable]> = [['a', a], ['b', b]];
  return { a, b, forward: () => ({}), namedParameters: () => named, trainableParameters: () => named, train: () => undefined, eval: () => undefined, stateDict: () => ({}), loadStateDict: (sd) => named.forEach(([n, v]) => v.assign(sd[n]!)) };
}

describe('loadModelWeights reads sharded checkpoints through the one validating reader', () => {
  it('loads every shard the index lists', async () => {
    await saveSafetensors(join(dir, 'm-1.safetensors'), { a: tf.tensor1d([1, 2]) });
    await saveSafetensors(join(dir, 'm-2.safetensors'), { b: tf.tensor1d([3, 4, 5]) });
    writeFileSync(join(dir, 'model.safetensors.index.json'), JSON.stringify({ weight_map: { a: 'm-1.safetensors', b: 'm-2.safetensors' } }));
    const m = model();
    await loadModelWeights(m, dir);
    expect([...m.a.dataSync(), ...m.b.dataSync()]).toEqual([1, 2, 3, 4, 5]);
  });

  it('refuses an index that lists a tensor its shard lacks, or a shard outside the directory', async () => {
    writeFileSync(join(dir, 'model.safetensors.index.json'), JSON.stringify({ weight_map: { a: 'm-1.safetensors', b: 'm-1.safetensors' } }));
    await expect(loadModelWeights(model(), dir)).rejects.toThrow(/tensor "b" listed in the index is missing/);
    writeFileSync(join(dir, 'model.safetensors.index.json'), JSON.stringify({ weight_map: { a: '../m-1.safetensors' } }));
    await expect(loadModelWeights(model(), dir)).rejects.toThrow(/invalid shard file/);
  });

  it('a directory without weights is a CheckpointError naming it', async () => {
    const empty = mkdtempSync(join(dir, 'empty-'));
    await expect(loadModelWeights(model(), empty)).rejects.toThrow(/has neither model.safetensors nor model.safetensors.index.json/);
  });
});
