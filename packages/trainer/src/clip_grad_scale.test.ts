// Gradient clipping folded into the optimizer (Optimizer.supportsGradScale): the Trainer hands AdamW the clip
// coefficient instead of writing clipped gradients, and training must not change by one bit — on the composed
// tfjs path and on the fused AttnAdamW kernel (wasm + @attn/tensor-native, when the addon is built).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, setFusedKernelsEnabled, tf } from '@attn/tensor';
import { Trainer } from './trainer';
import { AdamW } from './optimizers/adamw';
import { weightDecayParamGroups } from './optimizers/param_groups';
import type { GradientMap, Optimizer, OptimizerStateDict } from './optimizers/optimizer';
import { TinyClassifier } from '../test/tiny_classifier';
import { tinyLoader } from '../test/tiny_data';

const native = await import('@attn/tensor-native').catch(() => undefined);
const addon = native?.loadNativeAddon();

/** AdamW seen through an optimizer that does not take a gradScale: the Trainer clips the gradients itself. */
class WithoutGradScale implements Optimizer {
  readonly type = 'adamw';
  constructor(private readonly inner: AdamW) {}
  get paramGroups() {
    return this.inner.paramGroups;
  }
  step(grads: GradientMap): void {
    this.inner.step(grads);
  }
  stateDict(): OptimizerStateDict {
    return this.inner.stateDict();
  }
  loadStateDict(s: OptimizerStateDict): void {
    this.inner.loadStateDict(s);
  }
  dispose(): void {
    this.inner.dispose();
  }
}

async function train(foldClip: boolean) {
  const before = tf.memory().numTensors;
  const model = new TinyClassifier({ vocabSize: 50, hidden: 16, numLabels: 2, dropout: 0.1, seed: 3 });
  const adamw = new AdamW(weightDecayParamGroups(model.namedParameters(), { lr: 5e-2, weightDecay: 0.01 }));
  const scales: number[] = [];
  const step = adamw.step.bind(adamw);
  adamw.step = (grads, gradScale) => {
    scales.push(gradScale ?? 1);
    step(grads, gradScale);
  };
  const losses: number[] = [];
  const norms: number[] = [];
  const trainer = new Trainer({
    model,
    optimizer: foldClip ? adamw : new WithoutGradScale(adamw),
    // maxGradNorm 0.05 clips every update of this model.
    args: { outputDir: mkdtempSync(join(tmpdir(), 'attn-clip-')), maxSteps: 6, learningRate: 5e-2, maxGradNorm: 0.05, saveStrategy: 'no', seed: 11 },
    trainDataLoader: tinyLoader({ n: 64, batchSize: 8, seed: 5 }),
    callbacks: [{ onStepEnd: (ctx: { loss?: number; gradNorm?: number }) => void (losses.push(ctx.loss!), norms.push(ctx.gradNorm!)) }],
  });
  await trainer.train();
  const params = model.namedParameters().map(([n, v]) => [n, Array.from(v.dataSync())] as const);
  // Left after training: the model's parameters and AdamW's moments, nothing else.
  const numTensors = tf.memory().numTensors - before;
  adamw.dispose();
  model.namedParameters().forEach(([, v]) => v.dispose());
  return { losses, norms, params, scales, numTensors };
}

describe.each([
  ['composed tfjs ops', false],
  ['fused AttnAdamW kernel', true],
])('Trainer clipping through AdamW gradScale (%s)', (_, fused) => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
    if (fused && addon) native!.registerNativeKernels(tf);
  });
  afterAll(() => {
    if (fused && addon) native!.unregisterNativeKernels(tf);
  });

  it.skipIf(fused && !addon)('gives the losses and parameters of clipping the gradients first, bit for bit', async () => {
    const prev = setFusedKernelsEnabled(fused);
    try {
      const folded = await train(true);
      const separate = await train(false);
      expect(folded.scales.every((s) => s < 1), `every update clipped: ${folded.scales}`).toBe(true);
      expect(separate.scales.every((s) => s === 1)).toBe(true);
      expect(folded.losses).toEqual(separate.losses);
      expect(folded.norms).toEqual(separate.norms);
      expect(folded.params).toEqual(separate.params);
      expect(folded.numTensors).toBe(separate.numTensors);
    } finally {
      setFusedKernelsEnabled(prev);
    }
  });
});
