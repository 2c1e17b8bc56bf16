// The acceptance test of @attn/models: every micro checkpoint in fixtures/reference is loaded with
// fromPretrained and must reproduce PyTorch's outputs (1e-4 abs), losses (1e-4 abs) and gradients
// (1e-3 x ref_max_abs) on the cpu and wasm backends. See fixtures/reference/README.md.
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { tf, initBackend, type BackendName } from '@attn/tensor';
import { familyGrads } from './family_reference';
import {
  BertModel,
  BertForSequenceClassification,
  BertForTokenClassification,
  BertForQuestionAnswering,
  BertForMaskedLM,
  type ModelInputs,
  type ModelOutput,
} from '../src/index';

const REF = join(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/reference');

interface RefTensor { shape: number[]; data: number[] }
interface RefGrad extends RefTensor { kind: 'full' | 'rows'; rows?: number[]; ref_max_abs: number; zero_in_exact_math?: boolean; abs_tolerance?: number }
interface Vectors {
  checkpoint: string;
  inputs: { input_ids: number[]; attention_mask: number[]; token_type_ids: number[]; shape: [number, number] };
  labels?: { labels?: number[]; shape?: number[]; start_positions?: number[]; end_positions?: number[]; masked_positions?: number[][] };
  outputs: Record<string, RefTensor & { value?: number; positions?: number[][] }>;
  grads?: Record<string, RefGrad>;
}

const vectors = (name: string): Vectors => JSON.parse(readFileSync(join(REF, 'vectors', `${name}.json`), 'utf8')) as Vectors;

function inputsOf(v: Vectors): ModelInputs {
  const { shape } = v.inputs;
  return {
    inputIds: tf.tensor2d(v.inputs.input_ids, shape, 'int32'),
    attentionMask: tf.tensor2d(v.inputs.attention_mask, shape, 'int32'),
    tokenTypeIds: tf.tensor2d(v.inputs.token_type_ids, shape, 'int32'),
  };
}

function maxAbsDiff(got: ArrayLike<number>, want: ArrayLike<number>): number {
  expect(got.length).toBe(want.length);
  let m = 0;
  for (let i = 0; i < want.length; i++) m = Math.max(m, Math.abs(got[i]! - want[i]!));
  return m;
}

// Worst deviations seen on the current backend, printed after its block (the README quotes them).
const worst = { output: 0, grad: 0 };

function expectOutput(name: string, got: tf.Tensor, ref: RefTensor) {
  expect(got.shape).toEqual(ref.shape);
  const d = maxAbsDiff(got.dataSync(), ref.data);
  worst.output = Math.max(worst.output, d);
  expect(d, `${name}: max |got - ref| = ${d}`).toBeLessThanOrEqual(1e-4);
}

function expectLoss(got: number, want: number) {
  const d = Math.abs(got - want);
  worst.output = Math.max(worst.output, d);
  expect(d, `loss: |got - ref| = ${d}`).toBeLessThanOrEqual(1e-4);
}

// Gradients of the loss by HF key in torch layout: the family harness's, shared.
const gradsOf = familyGrads;

function expectGrads(got: Map<string, tf.Tensor>, ref: Record<string, RefGrad>) {
  for (const [name, r] of Object.entries(ref)) {
    const g = got.get(name);
    expect(g, `no gradient for ${name}`).toBeDefined();
    expect(g!.shape).toEqual(r.shape);
    const all = g!.dataSync();
    const width = r.shape.slice(1).reduce((a, b) => a * b, 1);
    const data = r.kind === 'rows' ? r.rows!.flatMap((row) => Array.from(all.subarray(row * width, (row + 1) * width))) : Array.from(all);
    if (r.zero_in_exact_math) {
      const m = Math.max(...data.map(Math.abs));
      expect(m, `${name}: zero in exact math, max |got| = ${m}`).toBeLessThanOrEqual(r.abs_tolerance ?? 1e-5);
    } else {
      const d = maxAbsDiff(data, r.data);
      worst.grad = Math.max(worst.grad, d / r.ref_max_abs);
      expect(d / r.ref_max_abs, `${name}: max |got - ref| / ref_max_abs = ${d / r.ref_max_abs}`).toBeLessThanOrEqual(1e-3);
    }
  }
}

describe.each(['cpu', 'wasm'] as BackendName[])('PyTorch parity on %s', (backend) => {
  const counts: number[] = [];
  beforeAll(async () => {
    await initBackend({ backend });
    worst.output = 0;
    worst.grad = 0;
  });
  afterEach(() => {
    counts.push(tf.memory().numTensors);
  });
  afterAll(() => {
    console.log(`parity on ${backend}: worst output/loss abs diff ${worst.output.toExponential(2)}, worst gradient diff ${worst.grad.toExponential(2)} x ref_max_abs`);
    // Every test disposes what it made (the first may leave one-time caches of the ops behind).
    expect(new Set(counts.slice(1)).size).toBe(1);
  });

  it('micro: BertModel last hidden state, pooler output, layer-0 attention probabilities', async () => {
    const v = vectors('micro');
    const model = await BertModel.fromPretrained(join(REF, v.checkpoint));
    tf.tidy(() => {
      const out = model.forward({ ...inputsOf(v), outputAttentions: true });
      expectOutput('last_hidden_state', out.lastHiddenState!, v.outputs['last_hidden_state']!);
      expectOutput('pooler_output', out.poolerOutput!, v.outputs['pooler_output']!);
      const row0 = tf.slice(out.attentions![0]!, [0, 0, 0, 0], [1, -1, -1, -1]).reshape([4, 12, 12]);
      expectOutput('attention_probs_layer0_row0', row0, v.outputs['attention_probs_layer0_row0']!);
      // keys 9..11 of row 0 are padding: exactly zero
      expect(Array.from(tf.slice(row0, [0, 0, 9], [-1, -1, 3]).dataSync()).every((p) => p === 0)).toBe(true);
    });
    model.dispose();
  });

  it.each([['micro-seqcls', 'micro-seqcls'], ['micro-sharded', 'micro-seqcls']])(
    '%s: sequence-classification logits, loss and gradients',
    async (ckpt, vec) => {
      const v = vectors(vec);
      const model = await BertForSequenceClassification.fromPretrained(join(REF, 'checkpoints', ckpt));
      const inputs = { ...inputsOf(v), labels: tf.tensor1d(v.labels!.labels!, 'int32') };
      const { loss, grads } = gradsOf(model, () => {
        const out = model.forward(inputs);
        expectOutput('logits', out.logits!, v.outputs['logits']!);
        return out;
      });
      expectLoss(loss, v.outputs['loss']!.value!);
      expectGrads(grads, v.grads!);
      tf.dispose([...grads.values(), ...Object.values(inputs)]);
      model.dispose();
    },
  );

  it.each(['micro-fp16', 'micro-bf16'])('%s: half-precision checkpoint decoded exactly', async (name) => {
    const v = vectors(name);
    const model = await BertForSequenceClassification.fromPretrained(join(REF, v.checkpoint));
    tf.tidy(() => {
      const inputs = { ...inputsOf(v), labels: tf.tensor1d(v.labels!.labels!, 'int32') };
      const base = model.bert.forward(inputs);
      expectOutput('last_hidden_state', base.lastHiddenState!, v.outputs['last_hidden_state']!);
      expectOutput('pooler_output', base.poolerOutput!, v.outputs['pooler_output']!);
      const out = model.forward(inputs);
      expectOutput('logits', out.logits!, v.outputs['logits']!);
      expectLoss(out.loss!.dataSync()[0]!, v.outputs['loss']!.value!);
    });
    model.dispose();
  });

  it('micro-tokcls: token-classification logits, loss (ignore -100) and gradients', async () => {
    const v = vectors('micro-tokcls');
    const model = await BertForTokenClassification.fromPretrained(join(REF, v.checkpoint));
    const inputs = { ...inputsOf(v), labels: tf.tensor2d(v.labels!.labels!, [3, 12], 'int32') };
    const { loss, grads } = gradsOf(model, () => {
      const out = model.forward(inputs);
      expectOutput('logits', out.logits!, v.outputs['logits']!);
      return out;
    });
    expectLoss(loss, v.outputs['loss']!.value!);
    expectGrads(grads, v.grads!);
    tf.dispose([...grads.values(), ...Object.values(inputs)]);
    model.dispose();
  });

  it('micro-qa: start/end logits, loss, gradients ([PAD] row gets no lookup gradient)', async () => {
    const v = vectors('micro-qa');
    const model = await BertForQuestionAnswering.fromPretrained(join(REF, v.checkpoint));
    const inputs = {
      ...inputsOf(v),
      startPositions: tf.tensor1d(v.labels!.start_positions!, 'int32'),
      endPositions: tf.tensor1d(v.labels!.end_positions!, 'int32'),
    };
    const { loss, grads } = gradsOf(model, () => {
      const out = model.forward(inputs);
      expectOutput('start_logits', out.startLogits!, v.outputs['start_logits']!);
      expectOutput('end_logits', out.endLogits!, v.outputs['end_logits']!);
      return out;
    });
    expectLoss(loss, v.outputs['loss']!.value!);
    expectGrads(grads, v.grads!);
    tf.dispose([...grads.values(), ...Object.values(inputs)]);
    model.dispose();
  });

  it('micro-mlm: logits at the masked positions, loss, gradients through the tied decoder', async () => {
    const v = vectors('micro-mlm');
    const model = await BertForMaskedLM.fromPretrained(join(REF, v.checkpoint));
    expect(model.loadingInfo!.unexpectedKeys).toEqual([]);
    expect(model.loadingInfo!.missingKeys).toEqual([]);
    const inputs = { ...inputsOf(v), labels: tf.tensor2d(v.labels!.labels!, [3, 12], 'int32') };
    const positions = v.labels!.masked_positions!;
    const { loss, grads } = gradsOf(model, () => {
      const out = model.forward(inputs);
      const rows = tf.stack(positions.map(([b, s]) => tf.slice(out.logits!, [b!, s!, 0], [1, 1, -1]).reshape([-1])));
      expectOutput('logits_at_masked_positions', rows, v.outputs['logits_at_masked_positions']!);
      return out;
    });
    expectLoss(loss, v.outputs['loss']!.value!);
    expectGrads(grads, v.grads!);
    tf.dispose([...grads.values(), ...Object.values(inputs)]);
    model.dispose();
  });
});
