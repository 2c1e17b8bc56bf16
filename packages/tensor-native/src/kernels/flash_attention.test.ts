import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, memoryEfficientAttention, scaledDotProductAttention, setFusedKernelsEnabled, tf } from '@attn/tensor';
import { loadNativeAddon, nativeAddonStatus } from '../native_addon';
import { registerNativeKernels, unregisterNativeKernels } from '../register_native_kernels';
import { FLASH_ATTENTION_KERNEL, FlashAttentionShapeError } from './flash_attention';
import { randomValues } from './test_support';

const addon = loadNativeAddon();
const t = (shape: number[], seed: number, scale = 1) => tf.tidy(() => tf.mul(tf.tensor(randomValues(shape, seed), shape), scale));

/** [batch, 1, 1, seqK] additive key mask from per-row valid lengths (0: a fully padded row). */
function keyMask(seqK: number, lengths: number[]): tf.Tensor {
  const data = new Float32Array(lengths.length * seqK);
  lengths.forEach((n, r) => data.fill(-1e9, r * seqK + n, (r + 1) * seqK));
  return tf.tensor(data, [lengths.length, 1, 1, seqK]);
}

/** The eager path's causal bias: 0 where key j <= i + (seqK − seqQ), −1e9 after (as @attn/layers builds it). */
function causalBias(seqQ: number, seqK: number): tf.Tensor {
  const data = new Float32Array(seqQ * seqK);
  for (let i = 0; i < seqQ; i++) for (let j = 0; j < seqK; j++) data[i * seqK + j] = j <= i + seqK - seqQ ? 0 : -1e9;
  return tf.tensor(data, [1, 1, seqQ, seqK]);
}

/** max |a − b| / max(max |b|, floor). */
function rel(a: tf.Tensor, b: tf.Tensor, floor = 1e-3): number {
  expect(a.shape).toEqual(b.shape);
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]! / Math.max(tf.max(tf.abs(b)).dataSync()[0]!, floor));
}

type Attn = (q: tf.Tensor, k: tf.Tensor, v: tf.Tensor) => tf.Tensor;

/** Worst relative difference of the output and of dq, dk, dv under the loss sum(f · w). */
function compare(f: Attn, g: Attn, shapes: { q: number[]; k: number[] }, zeroFloor = 1e-3) {
  return tf.tidy(() => {
    const q = t(shapes.q, 11, 2);
    const k = t(shapes.k, 12, 2);
    const v = t(shapes.k, 13);
    const w = t(shapes.q, 14);
    const loss = (fn: Attn) => (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(fn(a, b, c), w));
    const gf = tf.grads(loss(f))([q, k, v]);
    const gg = tf.grads(loss(g))([q, k, v]);
    return {
      output: rel(f(q, k, v), g(q, k, v)),
      dq: rel(gf[0]!, gg[0]!, zeroFloor),
      dk: rel(gf[1]!, gg[1]!, zeroFloor),
      dv: rel(gf[2]!, gg[2]!),
    };
  });
}

function kernelsUsed(f: () => tf.Tensor): Promise<string[]> {
  return tf.profile(() => tf.dispose(f())).then((info) => info.kernelNames);
}

describe.skipIf(!addon)('tiled attention kernel (AttnFlashAttention) on wasm + native', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
    expect(registerNativeKernels(tf)).toBe(true);
  });
  afterAll(() => {
    unregisterNativeKernels(tf);
  });

  const cases: Array<{ b: number; h: number; seqQ: number; seqK: number; d: number; lengths?: number[]; causal?: boolean }> = [
    { b: 2, h: 3, seqQ: 7, seqK: 7, d: 8 },
    { b: 2, h: 2, seqQ: 67, seqK: 131, d: 33, lengths: [131, 50] },
    { b: 3, h: 1, seqQ: 65, seqK: 65, d: 64, lengths: [65, 0, 1] }, // a fully padded sequence
    { b: 2, h: 2, seqQ: 130, seqK: 130, d: 17, causal: true, lengths: [130, 0] },
    { b: 1, h: 2, seqQ: 5, seqK: 140, d: 20, causal: true }, // decoding with a cache: seqK > seqQ
    { b: 2, h: 1, seqQ: 1, seqK: 1, d: 4 },
    { b: 1, h: 1, seqQ: 1, seqK: 1, d: 4, causal: true },
  ];
  for (const c of cases) {
    it(`matches eager attention in value and gradients: ${JSON.stringify(c)}`, async () => {
      const mask = c.lengths ? keyMask(c.seqK, c.lengths) : undefined;
      const bias = c.causal ? causalBias(c.seqQ, c.seqK) : undefined;
      const eagerMask = mask && bias ? tf.add(mask, bias) : (mask ?? bias);
      const fused: Attn = (q, k, v) => memoryEfficientAttention(q, k, v, { additiveMask: mask, causal: c.causal });
      const eager: Attn = (q, k, v) => scaledDotProductAttention(q, k, v, { additiveMask: eagerMask }).output;
      const shapes = { q: [c.b, c.h, c.seqQ, c.d], k: [c.b, c.h, c.seqK, c.d] };
      const r = compare(fused, eager, shapes, c.seqK === 1 ? 1 : 1e-3);
      for (const [name, e] of Object.entries(r)) expect(e, name).toBeLessThan(1e-5);
      const q = t(shapes.q, 1);
      const k = t(shapes.k, 2);
      expect(await kernelsUsed(() => fused(q, k, k))).toContain(FLASH_ATTENTION_KERNEL);
      tf.dispose([q, k, ...[mask, bias, eagerMask].filter((x): x is tf.Tensor => !!x)]);
    });
  }

  it('matches eager attention at 2,048 tokens (1 head, headDim 8), causal and not', () => {
    for (const causal of [false, true]) {
      const mask = keyMask(2048, [2000]);
      const eagerMask = causal ? tf.tidy(() => tf.add(mask, causalBias(2048, 2048))) : mask;
      const fused: Attn = (q, k, v) => memoryEfficientAttention(q, k, v, { additiveMask: mask, causal });
      const eager: Attn = (q, k, v) => scaledDotProductAttention(q, k, v, { additiveMask: eagerMask }).output;
      const r = compare(fused, eager, { q: [1, 1, 2048, 8], k: [1, 1, 2048, 8] });
      for (const [name, e] of Object.entries(r)) expect(e, `${name}, causal ${causal}`).toBeLessThan(1e-5);
      tf.dispose([mask, eagerMask]);
    }
  });

  it('dropout: the backward regenerates the forward mask (eager with the kernel mask gives the same value and gradients)', () => {
    const [b, h, seqQ, seqK, d, rate, seed] = [2, 2, 70, 77, 16, 0.3, 1234];
    const keep = new Float32Array(b * h * seqQ * seqK);
    addon!.flashDropoutMask(keep, b * h * seqQ, seqK, rate, seed);
    const kept = keep.filter((x) => x > 0).length / keep.length;
    expect(Math.abs(kept - (1 - rate))).toBeLessThan(0.02);
    expect(keep.every((x) => x === 0 || Math.abs(x - 1 / (1 - rate)) < 1e-6)).toBe(true);
    for (const causal of [false, true]) {
      const mask = keyMask(seqK, [77, 30]);
      const keepT = tf.tensor(keep, [b, h, seqQ, seqK]);
      const bias = causal ? tf.tidy(() => tf.add(mask, causalBias(seqQ, seqK))) : mask;
      const fused: Attn = (q, k, v) => memoryEfficientAttention(q, k, v, { additiveMask: mask, causal, dropoutRate: rate, seed });
      const eager: Attn = (q, k, v) =>
        tf.tidy(() => {
          const p = tf.softmax(tf.add(tf.matMul(tf.mul(q, 1 / Math.sqrt(d)), k, false, true), bias), -1);
          return tf.matMul(tf.mul(p, keepT), v);
        });
      const r = compare(fused, eager, { q: [b, h, seqQ, d], k: [b, h, seqK, d] });
      for (const [name, e] of Object.entries(r)) expect(e, `${name}, causal ${causal}`).toBeLessThan(1e-5);
      tf.dispose([mask, keepT, bias]);
    }
  });

  it('dropout is a function of the seed: same seed same output, another seed another mask', () => {
    const q = t([1, 2, 40, 8], 5);
    const k = t([1, 2, 40, 8], 6);
    const run = (seed: number) => tf.tidy(() => memoryEfficientAttention(q, k, k, { dropoutRate: 0.5, seed }));
    const [a, a2, other] = [run(9), run(9), run(10)];
    expect(rel(a, a2)).toBe(0);
    expect(rel(a, other)).toBeGreaterThan(1e-2);
    tf.dispose([q, k, a, a2, other]);
  });

  it('leaks no tensor over forward + backward (mask, causal, dropout)', () => {
    const q = t([2, 2, 33, 8], 1);
    const k = t([2, 2, 33, 8], 2);
    const mask = keyMask(33, [33, 10]);
    const step = () => {
      const grads = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
        tf.sum(memoryEfficientAttention(a, b, c, { additiveMask: mask, causal: true, dropoutRate: 0.1, seed: 3 })),
      )([q, k, k]);
      tf.dispose(grads);
    };
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([q, k, mask]);
  });

  it('runs the JS tiled path when fused kernels are off, with the same values', async () => {
    const q = t([2, 2, 50, 8], 1);
    const k = t([2, 2, 50, 8], 2);
    const mask = keyMask(50, [50, 20]);
    const f = () => memoryEfficientAttention(q, k, k, { additiveMask: mask, causal: true, queryBlock: 16, keyBlock: 16 });
    const native = f();
    const prev = setFusedKernelsEnabled(false);
    try {
      expect(await kernelsUsed(f)).not.toContain(FLASH_ATTENTION_KERNEL);
      const js = f();
      expect(rel(native, js)).toBeLessThan(1e-5);
      js.dispose();
    } finally {
      setFusedKernelsEnabled(prev);
    }
    tf.dispose([q, k, mask, native]);
  });

  it('rejects mismatched shapes with a one-line error naming the kernel', () => {
    const q = t([1, 2, 4, 8], 1);
    const k = t([1, 2, 5, 4], 2);
    expect(() => tf.engine().runKernel(FLASH_ATTENTION_KERNEL, { q, k, v: k }, { scale: 1, causal: false, causalOffset: 0, dropoutRate: 0, seed: 0 })).toThrow(
      FlashAttentionShapeError,
    );
    tf.dispose([q, k]);
  });
});

// Straight on the addon, in a child process per forced ISA (the choice is made once per process), against a
// float64 reference: causal with a cache offset, a padded key range, dropout 0.2, forward and backward.
const isaScript = `
const addon = require(process.argv[1]);
const [B, H, SQ, SK, D, RATE, SEED, OFF] = [2, 3, 37, 150, 24, 0.2, 77, 150 - 37];
const nq = B * H * SQ * D, nk = B * H * SK * D, rows = B * H * SQ;
const heap = new ArrayBuffer(4 * (2 * nq + 2 * nk + B * SK + 2 * rows + 2 * nq + 2 * nk + 1024));
const f = new Float32Array(heap);
let at = 0;
const take = (n) => { const o = at; at += n; return o; };
const [q, k, v, mask, out, rmax, rsum, dy, dq, dk, dv] = [nq, nk, nk, B * SK, nq, rows, rows, nq, nq, nk, nk].map(take);
let seed = 3;
const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648 * 2 - 1; };
for (const [o, n] of [[q, nq], [k, nk], [v, nk], [dy, nq]]) for (let i = 0; i < n; i++) f[o + i] = rnd();
for (let b = 0; b < B; b++) for (let j = 0; j < SK; j++) f[mask + b * SK + j] = b === 1 && j >= 100 ? -1e9 : 0;
const table = Float64Array.from([q, k, v, mask, out, rmax, rsum, dy, dq, dk, dv].map((o) => 4 * o).concat([B, H, SQ, SK, D, B, 1, 1, SK, 1, OFF, 1 / Math.sqrt(D), RATE, SEED]));
addon.flashAttention(heap, table);
addon.flashAttentionGrad(heap, table);
const keep = new Float32Array(rows * SK);
addon.flashDropoutMask(keep, rows, SK, RATE, SEED);
let worst = 0, hash = 0;
for (let i = 0; i < keep.length; i++) hash = (hash * 31 + (keep[i] > 0 ? 1 : 0)) % 1000000007;
const cmp = (got, want) => { worst = Math.max(worst, Math.abs(got - want) / Math.max(1, Math.abs(want))); };
for (let bh = 0; bh < B * H; bh++) {
  const b = Math.floor(bh / H), gq = new Float64Array(SQ * D), gk = new Float64Array(SK * D), gv = new Float64Array(SK * D);
  for (let i = 0; i < SQ; i++) {
    const s = [], lim = Math.min(SK, i + OFF + 1);
    for (let j = 0; j < lim; j++) {
      let x = 0;
      for (let e = 0; e < D; e++) x += f[q + (bh * SQ + i) * D + e] * f[k + (bh * SK + j) * D + e];
      s.push(Math.fround(Math.fround(x / Math.sqrt(D)) + f[mask + b * SK + j]));
    }
    const mx = Math.max(...s), z = s.reduce((a, x) => a + Math.exp(x - mx), 0), p = s.map((x) => Math.exp(x - mx) / z);
    const kp = p.map((_, j) => keep[(bh * SQ + i) * SK + j]);
    const o = Array.from({ length: D }, (_, e) => p.reduce((a, pj, j) => a + pj * kp[j] * f[v + (bh * SK + j) * D + e], 0));
    o.forEach((x, e) => cmp(f[out + (bh * SQ + i) * D + e], x));
    const g = Array.from({ length: D }, (_, e) => f[dy + (bh * SQ + i) * D + e]);
    const di = g.reduce((a, x, e) => a + x * o[e], 0);
    p.forEach((pj, j) => {
      let dp = 0;
      for (let e = 0; e < D; e++) { dp += g[e] * f[v + (bh * SK + j) * D + e]; gv[j * D + e] += pj * kp[j] * g[e]; }
      const ds = pj * (dp * kp[j] - di) / Math.sqrt(D);
      for (let e = 0; e < D; e++) { gq[i * D + e] += ds * f[k + (bh * SK + j) * D + e]; gk[j * D + e] += ds * f[q + (bh * SQ + i) * D + e]; }
    });
  }
  gq.forEach((x, i) => cmp(f[dq + bh * SQ * D + i], x));
  gk.forEach((x, i) => cmp(f[dk + bh * SK * D + i], x));
  gv.forEach((x, i) => cmp(f[dv + bh * SK * D + i], x));
}
console.log(JSON.stringify({ isa: addon.info().isa, worst, hash }));
`;

describe.skipIf(!addon)('tiled attention on every ISA path', () => {
  const hashes: number[] = [];
  for (const [isa, threads] of [['avx512', 1], ['avx512', 3], ['avx2', 2], ['portable', 2]] as const) {
    it(`${isa}, ${threads} threads: forward and backward match float64 (causal, padding, dropout)`, () => {
      const out = execFileSync(process.execPath, ['-e', isaScript, nativeAddonStatus().path!], {
        env: { ...process.env, ATTN_NATIVE_ISA: isa, ATTN_NATIVE_THREADS: String(threads) },
        encoding: 'utf8',
      });
      const r = JSON.parse(out) as { isa: string; worst: number; hash: number };
      if (isa !== 'avx512') expect(r.isa).toBe(isa);
      expect(r.worst).toBeLessThan(1e-5);
      hashes.push(r.hash);
      // The dropout mask is integer arithmetic: the same on every ISA and thread count.
      expect(new Set(hashes).size).toBe(1);
    });
  }
});
