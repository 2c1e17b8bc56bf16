// The fused dispatch of gelu, layerNorm and adamwUpdate, with reference kernels written in JS and
// registered for the cpu backend under the fused names: checks the contract @attn/tensor-native's
// kernels implement (input names, attrs, outputs) and when the ops take the fused path.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { initBackend } from '../backend';
import { tf } from '../tf';
import { countNewTensors } from '../memory/tensor_leak';
import { Generator } from '../random/generator';
import { adamwUpdate } from './adamw_update';
import { fusedKernelsEnabled, hasFusedKernels, setFusedKernelsEnabled } from './fused_dispatch';
import { GELU_GRAD_KERNEL, GELU_KERNEL, LAYER_NORM_GRAD_KERNEL, LAYER_NORM_KERNEL } from './fused_kernel_names';
import { gelu } from './gelu';
import { layerNorm } from './layer_norm';

type CpuBackend = { readSync(id: unknown): Float32Array; makeTensorInfo(shape: number[], dtype: string, values: Float32Array): tf.TensorInfo };
const read = (b: unknown, t: tf.TensorInfo) => (b as CpuBackend).readSync(t.dataId);
const make = (b: unknown, shape: number[], v: Float32Array) => (b as CpuBackend).makeTensorInfo(shape, 'float32', v);

// erfc with fractional error < 1.2e-7 (Numerical Recipes' Chebyshev fit).
function erf(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? 1 - r : r - 1;
}

const kernels: tf.KernelConfig[] = [
  {
    kernelName: GELU_KERNEL,
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend }) => {
      const x = read(backend, inputs.x!);
      return make(backend, [...inputs.x!.shape], x.map((v) => 0.5 * v * (1 + erf(v * Math.SQRT1_2))));
    },
  },
  {
    kernelName: GELU_GRAD_KERNEL,
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend }) => {
      const x = read(backend, inputs.x!);
      const dy = read(backend, inputs.dy!);
      const dx = x.map((v, i) => dy[i]! * (0.5 * (1 + erf(v * Math.SQRT1_2)) + (v * Math.exp(-0.5 * v * v)) / Math.sqrt(2 * Math.PI)));
      return make(backend, [...inputs.x!.shape], dx);
    },
  },
  {
    kernelName: LAYER_NORM_KERNEL,
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const [x, g, b] = [inputs.x!, inputs.gamma!, inputs.beta!].map((t) => read(backend, t));
      const cols = inputs.x!.shape[inputs.x!.shape.length - 1]!;
      const rows = x!.length / cols;
      const eps = attrs!.eps as number;
      const y = new Float32Array(x!.length);
      const mean = new Float32Array(rows);
      const rstd = new Float32Array(rows);
      for (let r = 0; r < rows; r++) {
        const row = x!.subarray(r * cols, (r + 1) * cols);
        const mu = row.reduce((s, v) => s + v, 0) / cols;
        const variance = row.reduce((s, v) => s + (v - mu) ** 2, 0) / cols;
        mean[r] = mu;
        rstd[r] = 1 / Math.sqrt(variance + eps);
        row.forEach((v, c) => (y[r * cols + c] = (v - mu) * rstd[r]! * g![c]! + b![c]!));
      }
      const stat = [...inputs.x!.shape.slice(0, -1), 1];
      return [make(backend, [...inputs.x!.shape], y), make(backend, stat, mean), make(backend, stat, rstd)];
    },
  },
  {
    kernelName: LAYER_NORM_GRAD_KERNEL,
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend }) => {
      const [dy, x, g, mean, rstd] = [inputs.dy!, inputs.x!, inputs.gamma!, inputs.mean!, inputs.rstd!].map((t) => read(backend, t));
      const cols = g!.length;
      const rows = x!.length / cols;
      const dx = new Float32Array(x!.length);
      const dg = new Float32Array(cols);
      const db = new Float32Array(cols);
      for (let r = 0; r < rows; r++) {
        let m1 = 0;
        let m2 = 0;
        for (let c = 0; c < cols; c++) {
          const i = r * cols + c;
          const xh = (x![i]! - mean![r]!) * rstd![r]!;
          dg[c]! += dy![i]! * xh;
          db[c]! += dy![i]!;
          m1 += dy![i]! * g![c]!;
          m2 += dy![i]! * g![c]! * xh;
        }
        for (let c = 0; c < cols; c++) {
          const i = r * cols + c;
          const xh = (x![i]! - mean![r]!) * rstd![r]!;
          dx[i] = rstd![r]! * (dy![i]! * g![c]! - m1 / cols - (xh * m2) / cols);
        }
      }
      return [make(backend, [...inputs.x!.shape], dx), make(backend, [cols], dg), make(backend, [cols], db)];
    },
  },
];

const rng = new Generator(7);
const randn = (shape: number[], std = 1) => tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => std * rng.normal()), shape);

/** Values and input gradients (under a random projection) of f, plus the fused kernels it launched. */
function run(f: (...x: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[]) {
  const spy = vi.spyOn(tf.engine(), 'runKernel');
  try {
    return tf.tidy(() => {
      const y = f(...inputs);
      const w = tf.tidy(() => tf.sin(tf.range(0, y.size).reshape(y.shape)));
      const grads = tf.grads((...x: tf.Tensor[]) => tf.sum(tf.mul(f(...x), w)))(inputs);
      const launched = spy.mock.calls.map(([name]) => name).filter((n) => n.startsWith('Attn'));
      return { y: y.dataSync(), grads: grads.map((g) => g.dataSync()), launched };
    });
  } finally {
    spy.mockRestore();
  }
}

function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  let s = 1e-6;
  for (let i = 0; i < a.length; i++) {
    m = Math.max(m, Math.abs(a[i]! - b[i]!));
    s = Math.max(s, Math.abs(b[i]!));
  }
  return m / s;
}

/** Runs `compute` with fused dispatch off: the composed ops, the reference. */
function composed<T>(compute: () => T): T {
  const prev = setFusedKernelsEnabled(false);
  try {
    return compute();
  } finally {
    setFusedKernelsEnabled(prev);
  }
}

describe('fused-kernel dispatch (JS reference kernels on cpu)', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu' });
    expect(hasFusedKernels(GELU_KERNEL)).toBe(false);
    kernels.forEach((k) => tf.registerKernel(k));
  });
  afterAll(() => {
    kernels.forEach((k) => tf.unregisterKernel(k.kernelName, 'cpu'));
  });

  it('is on by default (ATTN_FUSED unset) and needs every named kernel', () => {
    expect(fusedKernelsEnabled()).toBe(process.env.ATTN_FUSED !== '0');
    expect(hasFusedKernels(GELU_KERNEL, GELU_GRAD_KERNEL)).toBe(fusedKernelsEnabled());
    expect(hasFusedKernels(GELU_KERNEL, 'AttnNoSuchKernel')).toBe(false);
  });

  it('gelu runs AttnGelu forward and AttnGeluGrad backward, with the composed op values', () => {
    const x = randn([5, 37], 2);
    const fused = run(gelu, [x]);
    const ref = composed(() => run(gelu, [x]));
    expect(fused.launched).toEqual([GELU_KERNEL, GELU_KERNEL, GELU_GRAD_KERNEL]);
    expect(ref.launched).toEqual([]);
    expect(maxRelDiff(fused.y, ref.y)).toBeLessThan(1e-5);
    expect(maxRelDiff(fused.grads[0]!, ref.grads[0]!)).toBeLessThan(1e-5);
    x.dispose();
  });

  for (const eps of [1e-12, 1e-5]) {
    it(`layerNorm (eps ${eps}) runs AttnLayerNorm / AttnLayerNormGrad with the composed op values`, () => {
      const x = tf.tidy(() => tf.add(randn([2, 3, 24], 0.01), 0.5)); // small variance: eps matters at 1e-5
      const gamma = randn([24]);
      const beta = randn([24]);
      const f = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => layerNorm(a, g, b, eps);
      const fused = run(f, [x, gamma, beta]);
      const ref = composed(() => run(f, [x, gamma, beta]));
      expect(fused.launched).toEqual([LAYER_NORM_KERNEL, LAYER_NORM_KERNEL, LAYER_NORM_GRAD_KERNEL]);
      expect(maxRelDiff(fused.y, ref.y)).toBeLessThan(1e-5);
      fused.grads.forEach((g, i) => expect(maxRelDiff(g, ref.grads[i]!)).toBeLessThan(2e-4));
      tf.dispose([x, gamma, beta]);
    });
  }

  it('layerNorm with a gamma that is not [hidden] keeps the composed op', () => {
    const x = randn([3, 8]);
    const gamma = randn([1, 8]);
    const beta = randn([1, 8]);
    expect(run((a, g, b) => layerNorm(a!, g!, b!), [x, gamma, beta]).launched).toEqual([]);
    tf.dispose([x, gamma, beta]);
  });

  it('the fused paths leak no tensors', async () => {
    const x = randn([4, 16]);
    const gamma = randn([16]);
    const beta = randn([16]);
    const loss = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(gelu(layerNorm(a, g, b))) as tf.Scalar;
    expect(await countNewTensors(() => tf.grads(loss)([x, gamma, beta]))).toBe(0);
    expect(await countNewTensors(() => gelu(x))).toBe(0);
    expect(await countNewTensors(() => layerNorm(x, gamma, beta))).toBe(0);
    tf.dispose([x, gamma, beta]);
  });
});

describe('adamwUpdate without the AttnAdamW kernel (composed)', () => {
  it('matches float64 torch.optim.AdamW over 3 steps with per-slot weight decay', () => {
    const p0 = [0.5, -1.25, 2, 0.01];
    const gs = [[0.1, -0.2, 0.3, 1e-4], [-0.05, 0.4, 0.1, 2e-4], [0.2, 0.1, -0.3, -1e-4]];
    const [lr, b1, b2, eps] = [0.01, 0.9, 0.999, 1e-8];
    for (const wd of [0.1, 0]) {
      const param = tf.variable(tf.tensor(p0));
      const m = tf.variable(tf.zeros([4]), false);
      const v = tf.variable(tf.zeros([4]), false);
      const ref = [...p0];
      const rm = [0, 0, 0, 0];
      const rv = [0, 0, 0, 0];
      gs.forEach((g, t) => {
        const grad = tf.tensor(g);
        adamwUpdate([{ param, grad, m, v, weightDecay: wd }], { learningRate: lr, step: t + 1 });
        grad.dispose();
        for (let j = 0; j < 4; j++) {
          ref[j]! *= 1 - lr * wd;
          rm[j] = b1 * rm[j]! + (1 - b1) * g[j]!;
          rv[j] = b2 * rv[j]! + (1 - b2) * g[j]! ** 2;
          ref[j]! -= (lr / (1 - b1 ** (t + 1))) * (rm[j]! / (Math.sqrt(rv[j]!) / Math.sqrt(1 - b2 ** (t + 1)) + eps));
        }
      });
      param.dataSync().forEach((x, j) => expect(Math.abs(x - ref[j]!)).toBeLessThan(1e-6));
      tf.dispose([param, m, v]);
    }
  });
});
