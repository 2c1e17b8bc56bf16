import { describe, it, expect, beforeAll } from 'vitest';
import { tf, initBackend, Generator } from '@attn/tensor';
import { attentionImplementation, registerAttentionImplementation, causalAttentionMask, repeatKeyValueHeads, type AttentionImplementationOptions } from './attention_implementation';
import { setAttentionImplementation, ScaledDotProductAttention } from './scaled_dot_product_attention';
import { TransformerEncoder } from './transformer_encoder';
import { additiveAttentionMask } from './attention_mask';

const rng = new Generator(5);
const randn = (shape: number[]) => tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()), shape);

/** max |a − b| / max|b| */
function rel(a: tf.Tensor, b: tf.Tensor): number {
  expect(a.shape).toEqual(b.shape);
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]! / Math.max(tf.max(tf.abs(b)).dataSync()[0]!, 1e-3));
}

/** Worst relative difference of 'memory_efficient' vs 'eager': output and gradients w.r.t. q, k and v. */
function vsEager(shapeQ: number[], shapeKV: number[], opts: AttentionImplementationOptions): number {
  return tf.tidy(() => {
    const [q, k, v] = [randn(shapeQ), randn(shapeKV), randn(shapeKV)];
    const w = randn(shapeQ);
    const run = (name: string) => {
      const f = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => attentionImplementation(name)(a, b, c, opts).output;
      return [f(q, k, v), ...tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(f(a, b, c), w)))([q, k, v])];
    };
    const fused = run('memory_efficient');
    const eager = run('eager');
    return Math.max(...fused.map((t, i) => rel(t, eager[i]!)));
  });
}

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('attention implementations', () => {
  it('causal eager attention equals attention over each prefix computed alone', () => {
    const [b, h, s, d] = [2, 2, 5, 4];
    const q = tf.randomNormal([b, h, s, d], 0, 1, 'float32', 1);
    const k = tf.randomNormal([b, h, s, d], 0, 1, 'float32', 2);
    const v = tf.randomNormal([b, h, s, d], 0, 1, 'float32', 3);
    const full = attentionImplementation('eager')(q, k, v, { causal: true }).output;
    for (let i = 0; i < s; i++) {
      const qi = tf.slice(q, [0, 0, i, 0], [b, h, 1, d]);
      const ki = tf.slice(k, [0, 0, 0, 0], [b, h, i + 1, d]);
      const vi = tf.slice(v, [0, 0, 0, 0], [b, h, i + 1, d]);
      // one query against its prefix: the causal mask with an offset (a KV cache) must allow all of it
      const row = attentionImplementation('eager')(qi, ki, vi, { causal: true }).output;
      const ref = tf.slice(full, [0, 0, i, 0], [b, h, 1, d]);
      expect(tf.max(tf.abs(tf.sub(row, ref))).dataSync()[0]).toBeLessThan(1e-6);
    }
    expect(Array.from(causalAttentionMask(2, 3).dataSync())).toEqual([0, 0, -1e9, 0, 0, 0]);
  });

  it('grouped-query heads repeat each key/value head for its group, and unknown names are refused', () => {
    const kv = tf.tensor4d([1, 2, 3, 4], [1, 2, 1, 2]);
    expect(Array.from(repeatKeyValueHeads(kv, 4).dataSync())).toEqual([1, 2, 1, 2, 3, 4, 3, 4]);
    expect(() => attentionImplementation('flash')).toThrow(/registered: sdpa, eager, memory_efficient/);
    registerAttentionImplementation('test-double', (q) => ({ output: tf.zerosLike(q) }));
    expect(() => registerAttentionImplementation('test-double', (q) => ({ output: q }))).toThrow(/already/);
  });

  it("'memory_efficient' matches eager: key mask with a fully padded row, causal with a KV offset, grouped-query heads", () => {
    const mask = additiveAttentionMask(tf.tensor2d([[1, 1, 1, 1, 1, 0, 0], [0, 0, 0, 0, 0, 0, 0]], [2, 7], 'int32'));
    expect(vsEager([2, 4, 7, 8], [2, 4, 7, 8], { additiveMask: mask })).toBeLessThan(1e-5);
    expect(vsEager([2, 4, 3, 8], [2, 2, 7, 8], { additiveMask: mask, causal: true })).toBeLessThan(1e-5);
    expect(vsEager([1, 6, 1, 4], [1, 2, 5, 4], { causal: true })).toBeLessThan(1e-5); // one decoding step on a cache
    // Probabilities are [seq, seq]: asking for them runs eager.
    const q = randn([1, 2, 3, 4]);
    const r = attentionImplementation('memory_efficient')(q, q, q, { returnProbs: true });
    expect(r.probs!.shape).toEqual([1, 2, 3, 3]);
  });

  it('setAttentionImplementation switches every attention of a model; refuses unknown names', () => {
    const enc = new TransformerEncoder({ numLayers: 2, hiddenSize: 16, numHeads: 2, intermediateSize: 32 }, { rng: new Generator(1) });
    const x = randn([2, 9, 16]);
    const mask = additiveAttentionMask(tf.tensor2d([[1, 1, 1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 0, 0, 0, 0, 0, 0]], [2, 9], 'int32'));
    const eager = enc.forward(x, { additiveMask: mask }).lastHiddenState;
    expect(setAttentionImplementation(enc, 'memory_efficient')).toBe(2);
    const fused = enc.forward(x, { additiveMask: mask }).lastHiddenState;
    expect(rel(fused, eager)).toBeLessThan(1e-5);
    expect(enc.namedModules().filter(([, m]) => m instanceof ScaledDotProductAttention).every(([, m]) => (m as ScaledDotProductAttention).config.implementation === 'memory_efficient')).toBe(true);
    expect(() => setAttentionImplementation(enc, 'flash')).toThrow(/Unknown attention implementation "flash"/);
    enc.train();
    const loss = () => tf.sum(enc.forward(x, { additiveMask: mask }).lastHiddenState) as tf.Scalar;
    const before = tf.memory().numTensors;
    const { value, grads } = tf.variableGrads(loss);
    tf.dispose([value, ...Object.values(grads)]);
    expect(tf.memory().numTensors).toBe(before);
    enc.dispose();
  });
});

// wasm: fast enough for 2,048 tokens, where the [seq, seq] tensors dominate (the blocks stop growing at 256 × 512).
describe('attention memory (wasm)', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('an encoder layer trains in memory linear in the sequence with memory_efficient (eager: quadratic)', async () => {
    const peak = async (seq: number, name: string) => {
      const enc = new TransformerEncoder({ numLayers: 1, hiddenSize: 16, numHeads: 2, intermediateSize: 32, attentionDropout: 0.1 }, { rng: new Generator(1) });
      setAttentionImplementation(enc, name);
      enc.train();
      const x = randn([1, seq, 16]);
      const before = tf.memory().numBytes;
      const info = await tf.profile(() => {
        const { value, grads } = tf.variableGrads(() => tf.sum(enc.forward(x).lastHiddenState) as tf.Scalar);
        tf.dispose([value, ...Object.values(grads)]);
      });
      tf.dispose(x);
      enc.dispose();
      return info.peakBytes - before;
    };
    const seqs = [512, 1024, 2048];
    const fused: number[] = [];
    const eager: number[] = [];
    for (const s of seqs) fused.push(await peak(s, 'memory_efficient'));
    for (const s of seqs) eager.push(await peak(s, 'eager'));
    console.log(`encoder layer fwd+bwd peak bytes at seq ${seqs.join('/')}: memory_efficient ${fused.join('/')}, eager ${eager.join('/')}`);
    // 4× the tokens: at most 4× the bytes (linear; the blocks are 256 × 512 whatever the length) against well over
    // 4× for eager's [seq, seq] tensors.
    expect(fused[2]! / fused[0]!).toBeLessThan(4.4);
    expect(eager[2]! / eager[0]!).toBeGreaterThan(8);
    expect(eager[2]! / eager[1]!).toBeGreaterThan(3);
  });
});
