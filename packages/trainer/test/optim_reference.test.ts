// AdamW (both weight-decay conventions) and SGD+momentum on the real micro BERT, 3 steps,
// against PyTorch's float64 run (fixtures/reference/vectors/optim.json): params abs 2e-6,
// losses abs 1e-5. The adamw_hf_no_decay run goes through the Trainer itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, tf } from '@attn/tensor';
import { BertForSequenceClassification } from '@attn/models';
import type { ClassificationBatch } from '@attn/data';
import { AdamW, SGD, Trainer, isNoDecayParameter, weightDecayParamGroups, type Optimizer, type TrainableModel } from '../src/index';

const root = join(__dirname, '../../../fixtures/reference');
const optim = JSON.parse(readFileSync(join(root, 'vectors/optim.json'), 'utf8'));
const PARAM_TOL = optim.tolerance.params_abs as number;
const LOSS_TOL = optim.tolerance.loss_abs as number;

function batch(): ClassificationBatch {
  const shape = optim.inputs.shape as [number, number];
  return {
    inputIds: tf.tensor2d(optim.inputs.input_ids, shape, 'int32'),
    attentionMask: tf.tensor2d(optim.inputs.attention_mask, shape, 'int32'),
    tokenTypeIds: tf.tensor2d(optim.inputs.token_type_ids, shape, 'int32'),
    labels: tf.tensor1d(optim.labels.labels, 'int32'),
  };
}

async function loadMicro(): Promise<BertForSequenceClassification> {
  return BertForSequenceClassification.fromPretrained(join(root, 'checkpoints/micro-seqcls'), { quiet: true });
}

/** Tracked parameters in the torch layout (the classifier kernel is stored [in, out]). */
function tracked(model: BertForSequenceClassification, name: string): Float32Array {
  const v = model.namedParameters().find(([n]) => n === name)![1];
  const transposed = model.transposedParameterNames().has(name);
  return tf.tidy(() => (transposed ? tf.transpose(v) : v).dataSync() as Float32Array);
}

const worstByRun: Record<string, number> = {};

function expectParams(model: BertForSequenceClassification, expected: Record<string, number[]>, label: string, run: string): void {
  for (const [name, want] of Object.entries(expected)) {
    const got = tracked(model, name);
    let worst = 0;
    want.forEach((w, i) => (worst = Math.max(worst, Math.abs(got[i]! - w))));
    expect(worst, `${label} ${name}`).toBeLessThanOrEqual(PARAM_TOL);
    worstByRun[run] = Math.max(worstByRun[run] ?? 0, worst);
  }
}

/** torch's loop: loss, backward, optimizer.step() on every parameter, eval mode. */
function step(model: BertForSequenceClassification, opt: Optimizer): number {
  const b = batch();
  const params = model.namedParameters();
  const names = new Map(params.map(([n, v]) => [v.name, n]));
  const { value, grads } = tf.variableGrads(() => model.forward(b as never).loss!, params.map(([, v]) => v));
  const loss = value.dataSync()[0]!;
  opt.step(new Map(Object.entries(grads).map(([k, g]) => [names.get(k)!, g])));
  tf.dispose([value, ...Object.values(grads), ...Object.values(b)]);
  return loss;
}

function lossNow(model: BertForSequenceClassification): number {
  const b = batch();
  const l = tf.tidy(() => model.forward(b as never).loss!.dataSync()[0]!);
  tf.dispose(Object.values(b));
  return l;
}

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('optimizers on micro-seqcls match torch.optim (optim.json)', () => {
  it('adamw_decay_all', async () => {
    const RUN = 'adamw_decay_all';
    const r = optim.runs[RUN];
    const model = await loadMicro();
    const hp = r.hyperparameters;
    const opt = new AdamW([{ params: model.namedParameters(), lr: hp.lr, weightDecay: hp.weight_decay }], { beta1: hp.betas[0], beta2: hp.betas[1], eps: hp.eps });
    for (let i = 0; i < 3; i++) {
      expect(Math.abs(step(model, opt) - r.steps[i].loss)).toBeLessThanOrEqual(LOSS_TOL);
      expectParams(model, r.steps[i].params_after, `step ${i + 1}`, RUN);
    }
    expect(Math.abs(lossNow(model) - r.loss_after_step_3)).toBeLessThanOrEqual(LOSS_TOL);
    opt.dispose();
    model.dispose();
  });

  it('sgd_momentum', async () => {
    const RUN = 'sgd_momentum';
    const r = optim.runs[RUN];
    const model = await loadMicro();
    const hp = r.hyperparameters;
    const opt = new SGD([{ params: model.namedParameters(), lr: hp.lr, weightDecay: hp.weight_decay }], { momentum: hp.momentum, dampening: hp.dampening, nesterov: hp.nesterov });
    for (let i = 0; i < 3; i++) {
      expect(Math.abs(step(model, opt) - r.steps[i].loss)).toBeLessThanOrEqual(LOSS_TOL);
      expectParams(model, r.steps[i].params_after, `step ${i + 1}`, RUN);
    }
    expect(Math.abs(lossNow(model) - r.loss_after_step_3)).toBeLessThanOrEqual(LOSS_TOL);
    opt.dispose();
    model.dispose();
  });

  it('adamw_hf_no_decay through the Trainer (default grouping, constant lr, no clipping)', async () => {
    const r = optim.runs.adamw_hf_no_decay;
    const model = await loadMicro();
    const groups = weightDecayParamGroups(model.namedParameters(), { lr: 1, weightDecay: 0.01 });
    expect(groups[1]!.params.map(([n]) => n).sort()).toEqual([...r.no_decay_parameters].sort());
    expect(r.no_decay_parameters.every(isNoDecayParameter)).toBe(true);
    // The reference runs in eval mode (no dropout): keep the model in eval when the Trainer asks for train().
    const evalOnly = new Proxy(model, {
      get: (target, key) => (key === 'train' ? () => target.eval() : Reflect.get(target, key, target)),
    }) as unknown as TrainableModel;
    const losses: number[] = [];
    const hp = r.hyperparameters;
    const trainer = new Trainer({
      model: evalOnly,
      args: {
        outputDir: mkdtempSync(join(tmpdir(), 'attn-optref-')),
        learningRate: hp.lr,
        weightDecay: hp.weight_decay,
        adamBeta1: hp.betas[0],
        adamBeta2: hp.betas[1],
        adamEpsilon: hp.eps,
        lrSchedulerType: 'constant',
        maxGradNorm: 0,
        maxSteps: 3,
        saveStrategy: 'no',
      },
      trainDataLoader: { length: 1, [Symbol.iterator]: function* () { yield batch(); } },
      callbacks: [{ onStepEnd: (ctx) => void losses.push(ctx.loss!) }],
    });
    await trainer.train();
    losses.forEach((l, i) => expect(Math.abs(l - r.steps[i].loss)).toBeLessThanOrEqual(LOSS_TOL));
    expectParams(model, r.steps[2].params_after, 'step 3', 'adamw_hf_no_decay');
    expect(Math.abs(lossNow(model) - r.loss_after_step_3)).toBeLessThanOrEqual(LOSS_TOL);
    trainer.dispose();
    model.dispose();
  });
});


afterAll(() => {
  const parts = Object.entries(worstByRun).map(([k, v]) => `${k} ${v.toExponential(2)}`);
  console.log(`optim.json: worst |param - torch float64| over 3 steps: ${parts.join(', ')} (tolerance ${PARAM_TOL})`);
});
