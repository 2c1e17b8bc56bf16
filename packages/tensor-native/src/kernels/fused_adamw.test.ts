import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adamwUpdate, AdamWSlotError, initBackend, tf, type AdamWSlot, type AdamWUpdateOptions as AdamWOptions } from '@attn/tensor';
import { loadNativeAddon } from '../native_addon';
import { registerNativeKernels, unregisterNativeKernels } from '../register_native_kernels';
import { expectClose, randomValues } from './test_support';

const addon = loadNativeAddon();
const SHAPES = [[3, 5], [40001], [1], [0, 4], [17, 33]];
const DECAYS = [0.01, 0, 0.1, 0.01, undefined];

/** float64 torch.optim.AdamW for one parameter over `steps` steps with gradients grads[t]. */
function referenceAdamW(p0: Float32Array, grads: Float32Array[], o: Required<Omit<AdamWOptions, 'step' | 'gradScale' | 'floatsPerCall'>>): Float64Array {
  const p = Float64Array.from(p0);
  const m = new Float64Array(p.length);
  const v = new Float64Array(p.length);
  grads.forEach((g, t) => {
    const step = t + 1;
    const bc1 = 1 - o.beta1 ** step;
    const bc2 = 1 - o.beta2 ** step;
    for (let i = 0; i < p.length; i++) {
      p[i] = p[i]! * (1 - o.learningRate * o.weightDecay);
      m[i] = o.beta1 * m[i]! + (1 - o.beta1) * g[i]!;
      v[i] = o.beta2 * v[i]! + (1 - o.beta2) * g[i]! * g[i]!;
      p[i] = p[i]! - (o.learningRate / bc1) * (m[i]! / (Math.sqrt(v[i]!) / Math.sqrt(bc2) + o.epsilon));
    }
  });
  return p;
}

function runSteps(steps: number, base: AdamWOptions) {
  const slots: AdamWSlot[] = SHAPES.map((shape, i) => ({
    param: tf.variable(tf.tensor(randomValues(shape, 100 + i), shape), true, `p${i}`),
    grad: tf.zeros(shape),
    m: tf.variable(tf.zeros(shape), false),
    v: tf.variable(tf.zeros(shape), false),
    weightDecay: DECAYS[i],
  }));
  const grads: Float32Array[][] = SHAPES.map(() => []);
  for (let t = 0; t < steps; t++) {
    slots.forEach((s, i) => {
      const g = randomValues(SHAPES[i]!, 1000 * t + i + 1).map((x) => x * (i + 1));
      grads[i]!.push(g);
      s.grad.dispose();
      s.grad = tf.tensor(g, SHAPES[i]!);
    });
    adamwUpdate(slots, { ...base, step: t + 1 });
  }
  const out = slots.map((s) => s.param.dataSync() as Float32Array);
  const initial = SHAPES.map((shape, i) => randomValues(shape, 100 + i));
  tf.dispose(slots.flatMap((s) => [s.param, s.grad, s.m, s.v]));
  return { out, grads, initial };
}

const opts: AdamWOptions = { learningRate: 1e-2, step: 1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.01 };

function checkAgainstReference(r: ReturnType<typeof runSteps>): void {
  r.out.forEach((p, i) => {
    const expected = referenceAdamW(r.initial[i]!, r.grads[i]!, {
      learningRate: opts.learningRate,
      beta1: opts.beta1!,
      beta2: opts.beta2!,
      epsilon: opts.epsilon!,
      weightDecay: DECAYS[i] ?? opts.weightDecay!,
    });
    expectClose(p, expected);
  });
}

describe('adamwUpdate on AttnAdamW', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
  });
  afterAll(() => {
    unregisterNativeKernels(tf);
  });

  it('composed fallback follows torch.optim.AdamW over 3 steps', () => {
    unregisterNativeKernels(tf);
    checkAgainstReference(runSteps(3, opts));
  });

  it.skipIf(!addon)('native kernel follows torch.optim.AdamW over 3 steps, one call for all parameters', () => {
    registerNativeKernels(tf);
    checkAgainstReference(runSteps(3, opts));
  });

  // A call writes new param, m and v for all its slots before the old ones go: whole-model calls were BERT-base's
  // training peak (1.3 GB at once), so calls hold at most floatsPerCall parameters (a bigger one alone).
  it.skipIf(!addon)('splits into calls of at most floatsPerCall parameters with the same bits', async () => {
    registerNativeKernels(tf);
    const one = runSteps(3, opts);
    const split = runSteps(3, { ...opts, floatsPerCall: 600 });
    split.out.forEach((p, i) => expect(Array.from(p)).toEqual(Array.from(one.out[i]!)));
    // Sizes 15, 40001, 1, 0 (skipped), 561: [15], [40001] alone, [1, 561].
    const slots: AdamWSlot[] = SHAPES.map((shape) => ({ param: tf.variable(tf.zeros(shape)), grad: tf.ones(shape), m: tf.variable(tf.zeros(shape)), v: tf.variable(tf.zeros(shape)) }));
    const calls = async (o: AdamWOptions) => (await tf.profile(() => adamwUpdate(slots, o))).kernels.filter((k) => k.name === 'AttnAdamW').length;
    const before = tf.memory().numTensors;
    expect(await calls({ ...opts, floatsPerCall: 600 })).toBe(3);
    expect(await calls({ ...opts, step: 2 })).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => adamwUpdate(slots, { ...opts, floatsPerCall: 0 })).toThrow(/floatsPerCall must be an integer ≥ 1, got 0/);
    tf.dispose(slots.flatMap((s) => [s.param, s.grad, s.m, s.v]));
  });

  it.skipIf(!addon)('keeps the tensor count stable across steps', () => {
    registerNativeKernels(tf);
    const slot: AdamWSlot = { param: tf.variable(tf.ones([300, 70])), grad: tf.fill([300, 70], 0.5), m: tf.variable(tf.zeros([300, 70])), v: tf.variable(tf.zeros([300, 70])) };
    adamwUpdate([slot], { ...opts, step: 1 });
    const before = tf.memory().numTensors;
    adamwUpdate([slot], { ...opts, step: 2 });
    adamwUpdate([slot], { ...opts, step: 3 });
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([slot.param, slot.grad, slot.m, slot.v]);
  });

  // Gradient clipping folded into the update: both paths give the bits of the update on gradients multiplied first.
  it.each([false, true])('gradScale equals multiplying the gradients first, bit for bit (native kernel: %s)', (useNative) => {
    if (useNative && !addon) return;
    if (useNative) registerNativeKernels(tf);
    else unregisterNativeKernels(tf);
    const shape = [37, 41];
    const make = (prescale: number): AdamWSlot => ({
      param: tf.variable(tf.tensor(randomValues(shape, 5), shape)),
      grad: tf.tidy(() => tf.mul(tf.tensor(randomValues(shape, 6), shape), prescale)),
      m: tf.variable(tf.tensor(randomValues(shape, 7), shape).mul(0.01)),
      v: tf.variable(tf.tensor(randomValues(shape, 8), shape).abs().mul(0.01)),
    });
    const folded = make(1);
    const prescaled = make(0.37);
    const before = tf.memory().numTensors;
    adamwUpdate([folded], { ...opts, step: 4, gradScale: 0.37 });
    adamwUpdate([prescaled], { ...opts, step: 4 });
    expect(tf.memory().numTensors).toBe(before);
    for (const k of ['param', 'm', 'v'] as const) expect(Array.from(folded[k].dataSync())).toEqual(Array.from(prescaled[k].dataSync()));
    expect(() => adamwUpdate([folded], { ...opts, step: 5, gradScale: Number.NaN })).toThrow(/gradScale must be a finite number/);
    tf.dispose([folded, prescaled].flatMap((s) => [s.param, s.grad, s.m, s.v]));
  });

  it('names the slot and field of a mismatched tensor, and rejects step 0', () => {
    const p = tf.variable(tf.zeros([2, 3]), true, 'encoder.w');
    const bad: AdamWSlot = { param: p, grad: tf.zeros([3, 2]), m: tf.variable(tf.zeros([2, 3])), v: tf.variable(tf.zeros([2, 3])) };
    expect(() => adamwUpdate([bad], opts)).toThrow(/slots\[0\]\.grad is float32 \[3,2\], expected float32 \[2,3\].*encoder\.w/);
    expect(() => adamwUpdate([], { ...opts, step: 0 })).toThrow(AdamWSlotError);
    tf.dispose([p, bad.grad, bad.m, bad.v]);
  });
});
