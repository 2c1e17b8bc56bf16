import { join } from 'node:path';
import { describe, it, expect, beforeAll } from 'vitest';
import { tf, initBackend } from '@attn/tensor';
import { loadModel, type TaskModel } from '../index';
import { FAMILY_REF } from '../../test/family_reference';
import type { DecoderInputs } from '../decoder_io';
import { KeyValueCache } from './kv_cache';

// Two prompts of 8 positions, the second left-padded by 3: its real tokens start at position id 0.
const IDS = [
  [11, 305, 27, 990, 4, 512, 77, 131],
  [0, 0, 0, 640, 88, 19, 403, 222],
];
const MASK = [
  [1, 1, 1, 1, 1, 1, 1, 1],
  [0, 0, 0, 1, 1, 1, 1, 1],
];
const POSITIONS = MASK.map((row) => {
  let c = 0;
  return row.map((m) => (m ? c++ : 0));
});
const PREFILL = 3;

const t2 = (r: number[][]) => tf.tensor2d(r, [r.length, r[0]!.length], 'int32');
const cols = (r: number[][], from: number, to: number) => r.map((x) => x.slice(from, to));

/** Logits of a full forward and of a prefill + one-token steps with a KV cache; max |diff| over real tokens. */
function cacheDeviation(model: TaskModel): number {
  const forward = (inputs: DecoderInputs) => (model as unknown as { forward(i: DecoderInputs): { logits?: tf.Tensor } }).forward(inputs).logits!;
  const full = tf.tidy(() => forward({ inputIds: t2(IDS), attentionMask: t2(MASK), positionIds: t2(POSITIONS) }));
  const cache = new KeyValueCache();
  const pieces: tf.Tensor[] = [];
  for (let end = PREFILL; end <= IDS[0]!.length; end++) {
    const start = end === PREFILL ? 0 : end - 1;
    pieces.push(
      tf.tidy(() =>
        forward({ inputIds: t2(cols(IDS, start, end)), attentionMask: t2(cols(MASK, 0, end)), positionIds: t2(cols(POSITIONS, start, end)), pastKeyValues: cache }),
      ),
    );
  }
  expect(cache.length).toBe(IDS[0]!.length);
  const inc = tf.concat(pieces, 1);
  const worst = tf.tidy(() => tf.max(tf.mul(tf.abs(tf.sub(full, inc)), tf.reshape(tf.cast(t2(MASK), 'float32'), [2, -1, 1]))).dataSync()[0]!);
  tf.dispose([full, inc, ...pieces]);
  cache.dispose();
  return worst;
}

describe.each(['cpu', 'wasm'] as const)('KV cache on %s', (backend) => {
  beforeAll(async () => {
    await initBackend({ backend });
  });

  it.each(['micro-gpt2-clm', 'micro-llama-clm', 'micro-llama-tied-clm'])(
    '%s: prefill + one token at a time gives the full forward pass logits to 1e-5 (batch 2, left padding), leaking nothing',
    async (name) => {
      const model = await loadModel(join(FAMILY_REF, 'checkpoints', name));
      cacheDeviation(model); // warm-up: kernels and backend caches
      const before = tf.memory().numTensors;
      const worst = cacheDeviation(model);
      expect(tf.memory().numTensors).toBe(before);
      console.log(`${name} on ${backend}: KV-cache max |incremental - full| = ${worst.toExponential(2)}`);
      expect(worst).toBeLessThanOrEqual(1e-5);
      // Left padding changes nothing for the real tokens: the padded row equals the prompt run alone.
      const paddingDeviation = tf.tidy(() => {
        const forward = (i: DecoderInputs) => (model as unknown as { forward(i: DecoderInputs): { logits?: tf.Tensor } }).forward(i).logits!;
        const padded = forward({ inputIds: t2(IDS), attentionMask: t2(MASK), positionIds: t2(POSITIONS) });
        const alone = forward({ inputIds: t2([IDS[1]!.slice(3)]) });
        return tf.max(tf.abs(tf.sub(tf.slice(padded, [1, 3, 0], [1, 5, -1]), alone))).dataSync()[0]!;
      });
      expect(paddingDeviation).toBeLessThanOrEqual(1e-5);
      model.dispose();
    },
  );

  it('reorder keeps the chosen rows in order, and a disposed cache refuses updates', () => {
    const cache = new KeyValueCache();
    cache.update(0, tf.tensor4d([1, 2, 3], [3, 1, 1, 1]), tf.tensor4d([4, 5, 6], [3, 1, 1, 1]));
    cache.reorder([2, 2, 0]);
    const { keys, values } = cache.update(0, tf.tensor4d([7, 8, 9], [3, 1, 1, 1]), tf.tensor4d([0, 0, 0], [3, 1, 1, 1]));
    expect(Array.from(keys.dataSync())).toEqual([3, 7, 3, 8, 1, 9]);
    expect(Array.from(values.dataSync())).toEqual([6, 0, 6, 0, 4, 0]);
    expect(() => cache.update(0, tf.zeros([2, 1, 1, 1]), tf.zeros([2, 1, 1, 1]))).toThrow(/batch of 3/);
    cache.dispose();
    expect(() => cache.update(0, tf.zeros([3, 1, 1, 1]), tf.zeros([3, 1, 1, 1]))).toThrow(/after dispose/);
  });
});
