import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend, tf } from '@attn/tensor';
import { AdamW } from './adamw';
import { SGD } from './sgd';
import { createOptimizer } from './registry';
import { isNoDecayParameter, weightDecayParamGroups } from './param_groups';
import type { GradientMap, NamedParameter, Optimizer } from './optimizer';

const optim = JSON.parse(readFileSync(join(__dirname, '../../../../fixtures/reference/vectors/optim.json'), 'utf8'));
const PARAM_TOL = 2e-6;

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** classifier.{bias,weight} at the checkpoint and their seqcls gradients (optim.json grad_clip.before). */
function classifierSetup(): { params: NamedParameter[]; grads: GradientMap } {
  const names = ['classifier.bias', 'classifier.weight'];
  const params: NamedParameter[] = names.map((n) => [n, tf.variable(tf.tensor(optim.initial[n]), true, `${n}-${Math.random()}`)]);
  const grads: GradientMap = new Map(names.map((n) => [n, tf.tensor(optim.grad_clip.grads[n].before)]));
  return { params, grads };
}

function dispose(params: NamedParameter[], grads: GradientMap, opt: Optimizer): void {
  params.forEach(([, v]) => v.dispose());
  grads.forEach((g) => g.dispose());
  opt.dispose();
}

describe('first step against PyTorch (optim.json step 1, classifier parameters)', () => {
  for (const run of ['adamw_decay_all', 'adamw_hf_no_decay', 'sgd_momentum'] as const) {
    it(run, () => {
      const r = optim.runs[run];
      const { params, grads } = classifierSetup();
      const hp = r.hyperparameters;
      const opt =
        run === 'sgd_momentum'
          ? new SGD([{ params, lr: hp.lr, weightDecay: hp.weight_decay }], { momentum: hp.momentum })
          : new AdamW(
              weightDecayParamGroups(params, {
                lr: hp.lr,
                weightDecay: hp.weight_decay,
                noDecay: run === 'adamw_decay_all' ? () => false : isNoDecayParameter,
              }),
              { beta1: hp.betas[0], beta2: hp.betas[1], eps: hp.eps },
            );
      opt.step(grads);
      for (const [name, v] of params) {
        expect(maxAbsDiff(v.dataSync(), r.steps[0].params_after[name])).toBeLessThanOrEqual(PARAM_TOL);
      }
      dispose(params, grads, opt);
    });
  }

  it('HF no-decay rule picks the names optim.json lists', () => {
    const listed: string[] = optim.runs.adamw_hf_no_decay.no_decay_parameters;
    for (const n of listed) expect(isNoDecayParameter(n)).toBe(true);
    expect(isNoDecayParameter('classifier.weight')).toBe(false);
    expect(isNoDecayParameter('bert.encoder.layer.0.attention.self.query.weight')).toBe(false);
  });
});

/** torch's update rules in float64, for multi-step checks on synthetic gradients. */
function adamwReference(p: number[], gs: number[][], lr: number, wd: number, b1: number, b2: number, eps: number): number[] {
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

function sgdReference(p: number[], gs: number[][], lr: number, wd: number, mom: number, nesterov: boolean): number[] {
  let buf: number[] | undefined;
  const out = [...p];
  for (const g0 of gs) {
    const g = g0.map((x, j) => x + wd * out[j]!);
    buf = buf ? buf.map((b, j) => mom * b + g[j]!) : [...g];
    const d = nesterov ? g.map((x, j) => x + mom * buf![j]!) : buf;
    for (let j = 0; j < out.length; j++) out[j]! -= lr * d[j]!;
  }
  return out;
}

describe('multi-step update rules (synthetic gradients vs float64 torch rules)', () => {
  const p0 = [0.5, -1.25, 2, 0.01, -0.3];
  const gs = [
    [0.1, -0.2, 0.3, 1e-4, -2],
    [-0.05, 0.4, 0.1, 2e-4, 1],
    [0.2, 0.1, -0.3, -1e-4, 0.5],
    [0.0, -0.1, 0.25, 3e-4, -0.7],
  ];
  function runSteps(opt: Optimizer, v: tf.Variable): number[] {
    for (const g of gs) {
      const t = tf.tensor(g);
      opt.step(new Map([['w', t]]));
      t.dispose();
    }
    return [...v.dataSync()];
  }

  it('AdamW with decay, 4 steps', () => {
    const v = tf.variable(tf.tensor(p0));
    const opt = createOptimizer('adamw', [{ params: [['w', v]], lr: 0.01, weightDecay: 0.1 }], {
      adamBeta1: 0.8, adamBeta2: 0.99, adamEpsilon: 1e-6, sgdMomentum: 0, sgdNesterov: false,
    });
    expect(maxAbsDiff(runSteps(opt, v), adamwReference(p0, gs, 0.01, 0.1, 0.8, 0.99, 1e-6))).toBeLessThan(1e-6);
    opt.dispose();
    v.dispose();
  });

  for (const nesterov of [false, true]) {
    it(`SGD momentum + weight decay, nesterov ${nesterov}`, () => {
      const v = tf.variable(tf.tensor(p0));
      const opt = new SGD([{ params: [['w', v]], lr: 0.1, weightDecay: 0.01 }], { momentum: 0.9, nesterov });
      expect(maxAbsDiff(runSteps(opt, v), sgdReference(p0, gs, 0.1, 0.01, 0.9, nesterov))).toBeLessThan(1e-6);
      opt.dispose();
      v.dispose();
    });
  }

  it('state dict round-trip continues identically and leaks nothing', () => {
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
    [a, b, g].forEach((t) => t.dispose());
    optA.dispose();
    optB.dispose();
  });

  it('rejects unknown optimizer names and state of another type', () => {
    const v = tf.variable(tf.tensor([1]));
    expect(() => createOptimizer('lion', [], { adamBeta1: 0.9, adamBeta2: 0.999, adamEpsilon: 1e-8, sgdMomentum: 0, sgdNesterov: false })).toThrow(/adamw, sgd/);
    const sgd = new SGD([{ params: [['w', v]], lr: 0.1, weightDecay: 0 }]);
    const adam = new AdamW([{ params: [['w', v]], lr: 0.1, weightDecay: 0 }]);
    expect(() => adam.loadStateDict(sgd.stateDict())).toThrow(/"sgd"/);
    v.dispose();
  });
});
