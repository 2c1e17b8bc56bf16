import { afterAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend';
import { tf } from '../tf';
import { Generator } from '../random/generator';
import { countNewTensors } from '../memory/tensor_leak';
import { matMul } from './mat_mul';

function randn(shape: number[], rng: Generator): Float32Array {
  return Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal());
}

function maxRelDiff(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let scale = 0;
  let d = 0;
  for (let i = 0; i < y.length; i++) {
    scale = Math.max(scale, Math.abs(y[i]!));
    d = Math.max(d, Math.abs(x[i]! - y[i]!));
  }
  return d / Math.max(scale, 1e-12);
}

const cases: Array<[number[], number[], boolean, boolean]> = [
  [[5, 7], [7, 3], false, false],
  [[7, 5], [7, 3], true, false],
  [[5, 7], [3, 7], false, true],
  [[7, 5], [3, 7], true, true],
  [[2, 3, 5, 7], [2, 3, 7, 4], false, false],
  [[2, 3, 5, 7], [2, 3, 4, 7], false, true],
  [[2, 3, 7, 5], [2, 3, 7, 4], true, false],
  [[2, 3, 7, 5], [2, 3, 4, 7], true, true],
  [[1, 5, 7], [1, 7, 4], false, false],
  [[2, 6, 7], [7, 4], false, false],
  [[2, 6, 7], [4, 7], false, true],
];

/** Output and both gradients (against a fixed non-uniform upstream gradient) on one backend. */
async function run(backend: 'cpu' | 'wasm', sa: number[], sb: number[], ta: boolean, tb: boolean) {
  await initBackend({ backend });
  const rng = new Generator(1);
  const a = tf.tensor(randn(sa, rng), sa);
  const b = tf.tensor(randn(sb, rng), sb);
  const y = matMul(a, b, ta, tb);
  const w = tf.tensor(randn(y.shape, rng), y.shape);
  const [ga, gb] = tf.grads((x: tf.Tensor, z: tf.Tensor) => tf.sum(tf.mul(matMul(x, z, ta, tb), w)))([a, b]);
  const leaked = await countNewTensors(() =>
    tf.grads((x: tf.Tensor, z: tf.Tensor) => tf.sum(tf.mul(matMul(x, z, ta, tb), w)))([a, b]),
  );
  const out = { y: y.dataSync().slice(), yShape: y.shape, ga: ga!.dataSync().slice(), gb: gb!.dataSync().slice(), leaked };
  expect(ga!.shape).toEqual(sa);
  expect(gb!.shape).toEqual(sb);
  tf.dispose([a, b, y, w, ga!, gb!]);
  return out;
}

afterAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('matMul on wasm (attn BatchMatMul kernel) equals cpu', () => {
  it.each(cases)('%j x %j tA=%s tB=%s', async (sa, sb, ta, tb) => {
    const ref = await run('cpu', sa, sb, ta, tb);
    const got = await run('wasm', sa, sb, ta, tb);
    expect(got.yShape).toEqual(ref.yShape);
    expect(maxRelDiff(got.y, ref.y)).toBeLessThan(1e-5);
    expect(maxRelDiff(got.ga, ref.ga)).toBeLessThan(1e-5);
    expect(maxRelDiff(got.gb, ref.gb)).toBeLessThan(1e-5);
    expect(got.leaked).toBe(0);
    expect(ref.leaked).toBe(0);
  });

  it('broadcast batch of 1 (forward; tfjs has no gradient for it) matches cpu', async () => {
    const rng = new Generator(2);
    const av = randn([3, 6, 7], rng);
    const bv = randn([1, 4, 7], rng);
    const results: Float32Array[] = [];
    for (const backend of ['cpu', 'wasm'] as const) {
      await initBackend({ backend });
      const y = tf.tidy(() => matMul(tf.tensor(av, [3, 6, 7]), tf.tensor(bv, [1, 4, 7]), false, true));
      expect(y.shape).toEqual([3, 6, 4]);
      results.push(y.dataSync() as Float32Array);
      y.dispose();
    }
    expect(maxRelDiff(results[1]!, results[0]!)).toBeLessThan(1e-5);
  });

  it('cross-broadcast batch dims ([3,1] with [1,3]) match cpu', async () => {
    const rng = new Generator(4);
    const av = randn([3, 1, 2, 5], rng);
    const bv = randn([1, 3, 5, 4], rng);
    const results: Float32Array[] = [];
    for (const backend of ['cpu', 'wasm'] as const) {
      await initBackend({ backend });
      const y = tf.tidy(() => matMul(tf.tensor(av, [3, 1, 2, 5]), tf.tensor(bv, [1, 3, 5, 4])));
      expect(y.shape).toEqual([3, 3, 2, 4]);
      results.push(y.dataSync() as Float32Array);
      y.dispose();
    }
    expect(maxRelDiff(results[1]!, results[0]!)).toBeLessThan(1e-5);
  });

  it('empty operands fall back to the stock kernel', async () => {
    await initBackend({ backend: 'wasm' });
    const y = tf.tidy(() => matMul(tf.zeros([2, 0, 3]), tf.zeros([2, 4, 3]), false, true));
    expect(y.shape).toEqual([2, 0, 4]);
    y.dispose();
  });

  it('attention-sized batched Q·Kᵀ matches cpu', async () => {
    const ref = await run('cpu', [2, 4, 33, 16], [2, 4, 33, 16], false, true);
    const got = await run('wasm', [2, 4, 33, 16], [2, 4, 33, 16], false, true);
    expect(maxRelDiff(got.y, ref.y)).toBeLessThan(1e-5);
    expect(maxRelDiff(got.gb, ref.gb)).toBeLessThan(1e-5);
  });
});
