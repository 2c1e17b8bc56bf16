// AdamW on the fused AttnAdamW kernel (wasm + @attn/tensor-native): the PyTorch parity and
// resume checks of optimizers.test.ts again, plus fused-vs-composed agreement. Skipped where
// the native addon is not built; @attn/tensor-native is only a devDependency of this package.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADAMW_KERNEL, initBackend, setFusedKernelsEnabled, tf } from '@attn/tensor';
import { AdamW } from './adamw';
import { isNoDecayParameter, weightDecayParamGroups } from './param_groups';
import type { GradientMap, NamedParameter } from './optimizer';

const native = await import('@attn/tensor-native').catch(() => undefined);
const addon = native?.loadNativeAddon();
const optim = JSON.parse(readFileSync(join(__dirname, '../../../../fixtures/reference/vectors/optim.json'), 'utf8'));
const PARAM_TOL = 2e-6;

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** Counts AttnAdamW kernel launches while `fn` runs. */
function adamwLaunches(fn: () => void): number {
  const spy = vi.spyOn(tf.engine(), 'runKernel');
  try {
    fn();
    return spy.mock.calls.filter(([name]) => name === ADAMW_KERNEL).length;
  } finally {
    spy.mockRestore();
  }
}

/** torch.optim.AdamW in float64 over steps of gradients gs (one parameter). */
function adamwReference(p: number[], gs: number[][], lr: number, wd: number, b1 = 0.9, b2 = 0.999, eps = 1e-8): number[] {
  const m = p.map(() => 0);
  const v = p.map(() => 0);
  const out = [...p];
  gs.forEach((g, i) => {
    const t = i + 1;
    for (let j = 0; j < out.length; j++) {
      out[j]! *= 1 - lr * wd;
      m[j] = b1 * m[j]! + (1 - b1) * g[j]!;
      v[j] = b2 * v[j]! + (1 - b2) * g[j]! * g[j]!;
      out[j]! -= (lr / (1 - b1 ** t)) * (m[j]! / (Math.sqrt(v[j]!) / Math.sqrt(1 - b2 ** t) + eps));
    }
  });
  return out;
}

const p0 = [0.5, -1.25, 2, 0.01, -0.3];
const gs = [
  [0.1, -0.2, 0.3, 1e-4, -2],
  [-0.05, 0.4, 0.1, 2e-4, 1],
  [0.2, 0.1, -0.3, -1e-4, 0.5],
  [0.0, -0.1, 0.25, 3e-4, -0.7],
];

describe.skipIf(!addon)('AdamW on the fused native kernel', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
    expect(native!.registerNativeKernels(tf)).toBe(true);
    expect(tf.getKernel(ADAMW_KERNEL, 'wasm')).toBeDefined();
  });
  afterAll(() => {
    native!.unregisterNativeKernels(tf);
  });

  for (const run of ['adamw_decay_all', 'adamw_hf_no_decay'] as const) {
    it(`${run}: first step equals PyTorch in one kernel launch`, () => {
      const r = optim.runs[run];
      const hp = r.hyperparameters;
      const names = ['classifier.bias', 'classifier.weight'];
      const params: NamedParameter[] = names.map((n) => [n, tf.variable(tf.tensor(optim.initial[n]), true, `${n}-${Math.random()}`)]);
      const grads: GradientMap = new Map(names.map((n) => [n, tf.tensor(optim.grad_clip.grads[n].before)]));
      const groups = weightDecayParamGroups(params, {
        lr: hp.lr,
        weightDecay: hp.weight_decay,
        noDecay: run === 'adamw_decay_all' ? () => false : isNoDecayParameter,
      });
      const opt = new AdamW(groups, { beta1: hp.betas[0], beta2: hp.betas[1], eps: hp.eps });
      // Both groups share the lr, so decayed and undecayed parameters go in the same launch.
      expect(adamwLaunches(() => opt.step(grads))).toBe(1);
      for (const [name, v] of params) {
        expect(maxAbsDiff(v.dataSync(), r.steps[0].params_after[name])).toBeLessThanOrEqual(PARAM_TOL);
      }
      params.forEach(([, v]) => v.dispose());
      grads.forEach((g) => g.dispose());
      opt.dispose();
    });
  }

  it('4 steps, two groups with their own lr and decay, match float64 torch and the composed path', () => {
    const run = (fused: boolean) => {
      const prev = setFusedKernelsEnabled(fused);
      const w = tf.variable(tf.tensor(p0));
      const b = tf.variable(tf.tensor(p0.map((x) => -x)));
      const opt = new AdamW(
        [
          { params: [['w', w]], lr: 0.01, weightDecay: 0.1 },
          { params: [['b', b]], lr: 0.02, weightDecay: 0 },
        ],
        { beta1: 0.8, beta2: 0.99, eps: 1e-6 },
      );
      let launches = 0;
      for (const g of gs) {
        const gw = tf.tensor(g);
        const gb = tf.tensor(g.map((x) => 2 * x));
        launches += adamwLaunches(() => opt.step(new Map([['w', gw], ['b', gb]])));
        tf.dispose([gw, gb]);
      }
      const out = { w: [...w.dataSync()], b: [...b.dataSync()], launches, state: opt.stateDict() };
      setFusedKernelsEnabled(prev);
      tf.dispose([w, b]);
      opt.dispose();
      return out;
    };
    const fused = run(true);
    const composed = run(false);
    expect(fused.launches).toBe(8); // two lrs → two launches per step
    expect(composed.launches).toBe(0);
    expect(maxAbsDiff(fused.w, adamwReference(p0, gs, 0.01, 0.1, 0.8, 0.99, 1e-6))).toBeLessThan(1e-6);
    expect(maxAbsDiff(fused.b, adamwReference(p0.map((x) => -x), gs.map((g) => g.map((x) => 2 * x)), 0.02, 0, 0.8, 0.99, 1e-6))).toBeLessThan(1e-6);
    expect(maxAbsDiff(fused.w, composed.w)).toBeLessThan(1e-6);
    // Same checkpoint format: same slot names, shapes and step counts.
    expect(Object.keys(fused.state.tensors).sort()).toEqual(Object.keys(composed.state.tensors).sort());
    expect(fused.state.steps).toEqual(composed.state.steps);
    for (const [k, t] of Object.entries(fused.state.tensors)) {
      expect(maxAbsDiff(t.dataSync(), composed.state.tensors[k]!.dataSync())).toBeLessThan(1e-6);
    }
    tf.dispose([...Object.values(fused.state.tensors), ...Object.values(composed.state.tensors)]);
  });

  it('parameters with different step counts (one skipped a step) get their own bias corrections', () => {
    const a = tf.variable(tf.tensor(p0));
    const c = tf.variable(tf.tensor(p0));
    const opt = new AdamW([{ params: [['a', a], ['c', c]], lr: 0.01, weightDecay: 0.1 }]);
    const g = gs.map((x) => tf.tensor(x));
    opt.step(new Map([['a', g[0]!]])); // c has no gradient: torch skips it, its step stays 0
    expect(adamwLaunches(() => opt.step(new Map([['a', g[1]!], ['c', g[1]!]])))).toBe(2);
    expect(maxAbsDiff(a.dataSync(), adamwReference(p0, gs.slice(0, 2), 0.01, 0.1))).toBeLessThan(1e-6);
    expect(maxAbsDiff(c.dataSync(), adamwReference(p0, [gs[1]!], 0.01, 0.1))).toBeLessThan(1e-6);
    tf.dispose([a, c, ...g]);
    opt.dispose();
  });

  it('a state dict from the fused path resumes identically (also on the composed path) and leaks nothing', () => {
    const a = tf.variable(tf.tensor(p0));
    const b = tf.variable(tf.tensor(p0));
    const optA = new AdamW([{ params: [['w', a]], lr: 0.01, weightDecay: 0.1 }]);
    const optB = new AdamW([{ params: [['w', b]], lr: 0.01, weightDecay: 0.1 }]);
    const g = tf.tensor(gs[0]!);
    optA.step(new Map([['w', g]]));
    b.assign(a);
    const sd = optA.stateDict();
    optB.loadStateDict(sd);
    Object.values(sd.tensors).forEach((t) => t.dispose());
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      optA.step(new Map([['w', g]]));
      optB.step(new Map([['w', g]]));
    }
    expect(tf.memory().numTensors).toBe(before);
    expect([...b.dataSync()]).toEqual([...a.dataSync()]);
    // The composed path reads the same slots: one more step each way stays within float32 noise.
    const c = tf.variable(tf.clone(a));
    const optC = new AdamW([{ params: [['w', c]], lr: 0.01, weightDecay: 0.1 }]);
    const sdA = optA.stateDict();
    optC.loadStateDict(sdA);
    Object.values(sdA.tensors).forEach((t) => t.dispose());
    optA.step(new Map([['w', g]]));
    const prev = setFusedKernelsEnabled(false);
    optC.step(new Map([['w', g]]));
    setFusedKernelsEnabled(prev);
    expect(maxAbsDiff(c.dataSync(), a.dataSync())).toBeLessThan(1e-6);
    [a, b, c, g].forEach((t) => t.dispose());
    [optA, optB, optC].forEach((o) => o.dispose());
  });
});
