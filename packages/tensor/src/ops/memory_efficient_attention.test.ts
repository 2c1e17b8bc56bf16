import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend';
import { tf } from '../tf';
import { Generator } from '../random/generator';
import { countNewTensors } from '../memory/tensor_leak';
import { memoryEfficientAttention, type MemoryEfficientAttentionOptions } from './memory_efficient_attention';
import { scaledDotProductAttention } from './scaled_dot_product_attention';

const rng = new Generator(7);
const randn = (shape: number[], std = 1) =>
  tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => std * rng.normal()), shape);

/** max |a − b| / max(max|b|, 1e-3): relative, with near-zero references (dq at seqK 1) compared absolutely. */
function rel(a: tf.Tensor, b: tf.Tensor, floor = 1e-3): number {
  expect(a.shape).toEqual(b.shape);
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]! / Math.max(tf.max(tf.abs(b)).dataSync()[0]!, floor));
}

/** The eager path's causal bias: 0 where key j <= i + (seqK − seqQ), −1e9 after (as @attn/layers builds it). */
function causalBias(seqQ: number, seqK: number): tf.Tensor {
  const data = new Float32Array(seqQ * seqK);
  for (let i = 0; i < seqQ; i++) for (let j = 0; j < seqK; j++) data[i * seqK + j] = j <= i + seqK - seqQ ? 0 : -1e9;
  return tf.tensor(data, [1, 1, seqQ, seqK]);
}

/** [batch, 1, 1, seqK] additive key mask from per-row valid lengths (0 gives a fully padded row). */
function keyMask(seqK: number, lengths: number[]): tf.Tensor {
  const data = new Float32Array(lengths.length * seqK);
  lengths.forEach((n, r) => {
    for (let j = n; j < seqK; j++) data[r * seqK + j] = -1e9;
  });
  return tf.tensor(data, [lengths.length, 1, 1, seqK]);
}

interface Case {
  b: number;
  h: number;
  seqQ: number;
  seqK: number;
  d: number;
  lengths?: number[];
  causal?: boolean;
  blocks?: Pick<MemoryEfficientAttentionOptions, 'queryBlock' | 'keyBlock'>;
}

/** Worst relative difference over the output and the gradients w.r.t. q, k and v (fused vs eager). */
function parity(c: Case): { output: number; dq: number; dk: number; dv: number } {
  return tf.tidy(() => {
    const q = randn([c.b, c.h, c.seqQ, c.d]);
    const k = randn([c.b, c.h, c.seqK, c.d]);
    const v = randn([c.b, c.h, c.seqK, c.d]);
    const mask = c.lengths ? keyMask(c.seqK, c.lengths) : undefined;
    const eagerMask = c.causal ? (mask ? tf.add(mask, causalBias(c.seqQ, c.seqK)) : causalBias(c.seqQ, c.seqK)) : mask;
    const fused = (a: tf.Tensor, b: tf.Tensor, e: tf.Tensor) =>
      memoryEfficientAttention(a, b, e, { additiveMask: mask, causal: c.causal, ...c.blocks });
    const eager = (a: tf.Tensor, b: tf.Tensor, e: tf.Tensor) => scaledDotProductAttention(a, b, e, { additiveMask: eagerMask }).output;
    const w = randn([c.b, c.h, c.seqQ, c.d]);
    const gf = tf.grads((a: tf.Tensor, b: tf.Tensor, e: tf.Tensor) => tf.sum(tf.mul(fused(a, b, e), w)))([q, k, v]);
    const ge = tf.grads((a: tf.Tensor, b: tf.Tensor, e: tf.Tensor) => tf.sum(tf.mul(eager(a, b, e), w)))([q, k, v]);
    // With one key the softmax is constant, so dq and dk are 0 analytically (rounding noise in eager): compared absolutely.
    const zeroFloor = c.seqK === 1 ? 1 : 1e-3;
    return { output: rel(fused(q, k, v), eager(q, k, v)), dq: rel(gf[0]!, ge[0]!, zeroFloor), dk: rel(gf[1]!, ge[1]!, zeroFloor), dv: rel(gf[2]!, ge[2]!) };
  });
}

function expectParity(c: Case, tol = 1e-5) {
  const r = parity(c);
  for (const [name, e] of Object.entries(r)) expect(e, `${name} of ${JSON.stringify(c)}`).toBeLessThan(tol);
}

/** Bytes above the starting point at the busiest moment of fn (tfjs's own accounting, after every kernel). */
async function peakBytes(fn: () => void): Promise<number> {
  const before = tf.memory().numBytes;
  const info = await tf.profile(fn);
  return info.peakBytes - before;
}

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('memoryEfficientAttention vs eager attention (cpu, float32)', () => {
  it('matches with an additive key mask, odd sizes and blocks that do not divide the sequence', () => {
    expectParity({ b: 2, h: 3, seqQ: 13, seqK: 13, d: 5, lengths: [13, 9], blocks: { queryBlock: 4, keyBlock: 5 } });
    expectParity({ b: 3, h: 2, seqQ: 37, seqK: 37, d: 8, lengths: [37, 20, 3], blocks: { queryBlock: 16, keyBlock: 7 } });
  });

  it('matches with a full [batch, heads, seqQ, seqK] mask (sliced per block in both directions)', () => {
    const mask = tf.tidy(() => tf.mul(tf.cast(tf.less(tf.randomUniform([2, 3, 10, 12], 0, 1, 'float32', 9), 0.3), 'float32'), -1e9));
    const [q, k, v] = [randn([2, 3, 10, 4]), randn([2, 3, 12, 4]), randn([2, 3, 12, 4])];
    const w = randn([2, 3, 10, 4]);
    const fused = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => memoryEfficientAttention(a, b, c, { additiveMask: mask, queryBlock: 3, keyBlock: 5 });
    const eager = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => scaledDotProductAttention(a, b, c, { additiveMask: mask }).output;
    const gf = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(fused(a, b, c), w)))([q!, k!, v!]);
    const ge = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(eager(a, b, c), w)))([q!, k!, v!]);
    expect(rel(fused(q!, k!, v!), eager(q!, k!, v!))).toBeLessThan(1e-5);
    gf.forEach((g, i) => expect(rel(g, ge[i]!)).toBeLessThan(1e-5));
  });

  it('matches on fully padded rows (uniform weights over every key, as eager)', () => {
    expectParity({ b: 3, h: 2, seqQ: 11, seqK: 11, d: 4, lengths: [0, 11, 5], blocks: { queryBlock: 3, keyBlock: 4 } });
    // Every key in one block: one softmax per query block, nothing saved beyond q, k, v and the output.
    expectParity({ b: 3, h: 2, seqQ: 11, seqK: 11, d: 4, lengths: [0, 11, 5], blocks: { queryBlock: 4, keyBlock: 64 } });
    expectParity({ b: 2, h: 2, seqQ: 5, seqK: 12, d: 4, causal: true, lengths: [12, 0], blocks: { queryBlock: 2, keyBlock: 64 } });
  });

  it('matches causal attention, with a KV offset (seqK > seqQ) and padding', () => {
    expectParity({ b: 2, h: 2, seqQ: 19, seqK: 19, d: 6, causal: true, blocks: { queryBlock: 5, keyBlock: 4 } });
    expectParity({ b: 2, h: 2, seqQ: 7, seqK: 23, d: 6, causal: true, lengths: [23, 15], blocks: { queryBlock: 3, keyBlock: 5 } });
    expectParity({ b: 2, h: 2, seqQ: 1, seqK: 9, d: 6, causal: true, lengths: [9, 0], blocks: { queryBlock: 4, keyBlock: 4 } });
  });

  it('matches at sequence length 1', () => {
    expectParity({ b: 2, h: 2, seqQ: 1, seqK: 1, d: 8 });
    expectParity({ b: 2, h: 2, seqQ: 1, seqK: 1, d: 8, causal: true, lengths: [1, 0] });
  });

  it('dropout: the backward regenerates the forward masks (finite differences along a direction)', () => {
    const [q, k, v] = [randn([1, 2, 9, 4]), randn([1, 2, 9, 4]), randn([1, 2, 9, 4])];
    const opts = { dropoutRate: 0.3, seed: 11, queryBlock: 4, keyBlock: 4 };
    const f = (a: tf.Tensor) => tf.sum(tf.square(memoryEfficientAttention(a, k!, v!, opts)));
    const g = tf.grad(f)(q!);
    const dir = randn(q!.shape);
    const eps = 1e-2;
    const numeric = (f(tf.add(q!, tf.mul(dir, eps))).dataSync()[0]! - f(tf.sub(q!, tf.mul(dir, eps))).dataSync()[0]!) / (2 * eps);
    const analytic = tf.sum(tf.mul(g, dir)).dataSync()[0]!;
    expect(Math.abs(numeric - analytic) / Math.abs(analytic)).toBeLessThan(2e-3);
    // Some probabilities were dropped: the output differs from the no-dropout one.
    const plain = memoryEfficientAttention(q!, k!, v!, { queryBlock: 4, keyBlock: 4 });
    expect(rel(memoryEfficientAttention(q!, k!, v!, opts), plain)).toBeGreaterThan(1e-2);
    tf.dispose([q!, k!, v!, g, dir, plain]);
  });

  it('leaves no tensor behind, forward or backward', async () => {
    const [q, k, v] = [randn([2, 2, 10, 4]), randn([2, 2, 10, 4]), randn([2, 2, 10, 4])];
    const mask = keyMask(10, [10, 4]);
    const opts = { additiveMask: mask, causal: true, dropoutRate: 0.1, seed: 3, queryBlock: 3, keyBlock: 4 };
    expect(await countNewTensors(() => memoryEfficientAttention(q!, k!, v!, opts))).toBe(0);
    expect(await countNewTensors(() => tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.sum(memoryEfficientAttention(a, b, c, opts)))([q!, k!, v!]))).toBe(0);
    tf.dispose([q!, k!, v!, mask]);
  });

  it('forward + backward memory grows linearly with the sequence (eager: quadratically)', async () => {
    const peaks = async (seq: number, fused: boolean) => {
      const [q, k, v] = [randn([1, 2, seq, 8]), randn([1, 2, seq, 8]), randn([1, 2, seq, 8])];
      const attn = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
        fused ? memoryEfficientAttention(a, b, c, { queryBlock: 64, keyBlock: 64 }) : scaledDotProductAttention(a, b, c).output;
      const bytes = await peakBytes(() => {
        tf.dispose(tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.sum(attn(a, b, c)))([q!, k!, v!]));
      });
      tf.dispose([q!, k!, v!]);
      return bytes;
    };
    const seqs = [128, 256, 512];
    const fused: number[] = [];
    const eager: number[] = [];
    for (const s of seqs) fused.push(await peaks(s, true));
    for (const s of seqs) eager.push(await peaks(s, false));
    for (let i = 1; i < 3; i++) {
      expect(fused[i]! / fused[i - 1]!).toBeLessThan(2.2);
      expect(eager[i]! / eager[i - 1]!).toBeGreaterThan(3.5);
    }
    expect(fused[2]! * 4).toBeLessThan(eager[2]!);
    console.log(`peak bytes fwd+bwd at seq ${seqs.join('/')}: fused ${fused.join('/')}, eager ${eager.join('/')}`);
  });
});

// The backend attn trains on; also fast enough for the long case (tfjs's cpu backend takes ~30 s per 2048² case).
describe('memoryEfficientAttention vs eager attention (wasm, float32)', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('matches with padding, causal with an offset, and at sequence length 2048', () => {
    expectParity({ b: 2, h: 3, seqQ: 13, seqK: 13, d: 5, lengths: [13, 0], blocks: { queryBlock: 4, keyBlock: 5 } });
    expectParity({ b: 2, h: 2, seqQ: 7, seqK: 23, d: 6, causal: true, lengths: [23, 15], blocks: { queryBlock: 3, keyBlock: 5 } });
    expectParity({ b: 1, h: 2, seqQ: 2048, seqK: 2048, d: 8, lengths: [2000] });
    expectParity({ b: 1, h: 1, seqQ: 2048, seqK: 2048, d: 8, causal: true });
  });
});
