import { describe, it, expect, beforeAll } from 'vitest';
import * as ort from 'onnxruntime-node';
import { tf, initBackend } from '@attn/tensor';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createModel, familyOf, loadModel, registeredFamilies, type TaskModel } from '@attn/models';
import { exportOnnx, registeredOnnxExporters } from '../src/index';
import { referenceCheckpoints, type ReferenceCheckpoint } from './reference_checkpoints';

// Encoder families: exporters without a causal-LM graph (decoders are onnx_decoder_parity.test.ts's).
const ENCODERS = new Set(registeredOnnxExporters().filter((e) => !e.tasks.includes('causal-lm')).map((e) => e.modelType));
const CHECKPOINTS = referenceCheckpoints((c) => ENCODERS.has(String(c['model_type'])));
// Every op the encoder graphs may use: standard ONNX (domain ''), no contrib ops.
const STANDARD_OPS = new Set(['Add', 'Cast', 'CumSum', 'Div', 'Equal', 'Erf', 'Gather', 'LayerNormalization', 'MatMul', 'Mul', 'Not', 'Range', 'Relu', 'Reshape', 'Shape', 'Sigmoid', 'Softmax', 'Tanh', 'Transpose', 'Unsqueeze', 'Where']);
const TOLERANCE = 1e-4;

interface Batch {
  inputIds: number[][];
  attentionMask: number[][];
  tokenTypeIds?: number[][];
}

function attnOutputs(model: TaskModel, b: Batch): Record<string, Float32Array> {
  return tf.tidy(() => {
    const out = model.forward({
      inputIds: tf.tensor2d(b.inputIds, undefined, 'int32'),
      attentionMask: tf.tensor2d(b.attentionMask, undefined, 'int32'),
      tokenTypeIds: b.tokenTypeIds ? tf.tensor2d(b.tokenTypeIds, undefined, 'int32') : undefined,
    });
    const named: Record<string, tf.Tensor | undefined> = { logits: out.logits, start_logits: out.startLogits, end_logits: out.endLogits, last_hidden_state: out.lastHiddenState };
    return Object.fromEntries(Object.entries(named).filter(([, t]) => t).map(([k, t]) => [k, t!.dataSync() as Float32Array]));
  });
}

async function ortOutputs(bytes: Uint8Array, inputNames: string[], b: Batch): Promise<Record<string, ort.Tensor>> {
  const session = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'all', intraOpNumThreads: 1 });
  try {
    const dims = [b.inputIds.length, b.inputIds[0]!.length];
    const int64 = (m: number[][]) => new ort.Tensor('int64', BigInt64Array.from(m.flat().map(BigInt)), dims);
    const feeds: Record<string, ort.Tensor> = {};
    for (const name of inputNames) {
      if (name === 'input_ids') feeds[name] = int64(b.inputIds);
      else if (name === 'attention_mask') feeds[name] = int64(b.attentionMask);
      else if (name === 'token_type_ids') feeds[name] = int64(b.tokenTypeIds ?? b.inputIds.map((r) => r.map(() => 0)));
      else throw new Error(`unexpected graph input ${name}`);
    }
    return await session.run(feeds);
  } finally {
    await session.release();
  }
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** A second batch of another shape (3 × 7, padded rows, both token types) to prove the axes are dynamic. */
function otherShape(ref: ReferenceCheckpoint, vocab: number, withTypes: boolean): Batch {
  let s = 12345;
  const next = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const lengths = [7, 5, 3];
  const inputIds = lengths.map((n) => Array.from({ length: 7 }, (_, j) => (j < n ? 3 + Math.floor(next() * (vocab - 3)) : ref.inputIds[1]!.at(-1)!)));
  const attentionMask = lengths.map((n) => Array.from({ length: 7 }, (_, j) => (j < n ? 1 : 0)));
  const tokenTypeIds = withTypes ? lengths.map((n) => Array.from({ length: 7 }, (_, j) => (j >= Math.ceil(n / 2) && j < n ? 1 : 0))) : undefined;
  return { inputIds, attentionMask, tokenTypeIds };
}

export const parityReport: string[] = [];

describe('ONNX export: onnxruntime-node runs every encoder reference checkpoint with attn\'s outputs', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu' });
  });

  it('covers every encoder family of the fixtures', () => {
    const families = new Set(CHECKPOINTS.map((c) => String(JSON.parse(readFileSync(join(c.dir, 'config.json'), 'utf8'))['model_type'])));
    expect([...families].sort()).toEqual(['albert', 'bert', 'distilbert', 'electra', 'roberta']);
    expect(CHECKPOINTS.length).toBe(20);
  });

  it.each(CHECKPOINTS.map((c) => [c.name, c] as const))('%s', async (_name, ref) => {
    await expectParity(await loadModel(ref.dir, { quiet: true, task: ref.task }), ref.name, ref);
  });

  // Heads the fixtures lack (ALBERT token classification and QA, ELECTRA QA, ...): the family's micro config,
  // seeded random weights, every task class the models registry has for it.
  const HEADS = registeredFamilies()
    .filter((f) => ENCODERS.has(f.modelType))
    .flatMap((f) => f.models.map((cls) => [`${f.modelType} ${cls.architecture}`, f.modelType, cls.task] as const));
  it.each(HEADS)('%s (seeded random weights)', async (_name, modelType, task) => {
    const ref = CHECKPOINTS.find((c) => JSON.parse(readFileSync(join(c.dir, 'config.json'), 'utf8'))['model_type'] === modelType)!;
    // initializer_range 0.3 rather than 0.02, so that logits are O(1) and a wrong op shows well above 1e-4.
    const json = JSON.parse(readFileSync(join(ref.dir, 'config.json'), 'utf8'));
    const config = familyOf(modelType).configClass.fromJSON({ ...json, initializer_range: 0.3 });
    await expectParity(createModel(task, config, { seed: 7 }).eval() as TaskModel, `${modelType} ${task} (random)`, { ...ref, hf: {} });
  });

  async function expectParity(model: TaskModel, label: string, ref: ReferenceCheckpoint): Promise<void> {
    try {
      const exported = exportOnnx(model, { opset: 17, dynamicAxes: true });
      for (const op of exported.opTypes) expect(STANDARD_OPS, `op ${op}`).toContain(op);
      const typeVocab = Number(model.configJSON()['type_vocab_size'] ?? 0);
      const batches: Batch[] = [ref, otherShape(ref, model.config.vocabSize, typeVocab > 1)];
      for (const [i, batch] of batches.entries()) {
        const expected = attnOutputs(model, batch);
        const got = await ortOutputs(exported.bytes, exported.inputNames, batch);
        expect(Object.keys(got).sort()).toEqual(exported.outputNames.slice().sort());
        for (const name of exported.outputNames) {
          const diff = maxAbsDiff(got[name]!.data as Float32Array, expected[name]!);
          const hf = i === 0 && ref.hf[name] ? ` (vs PyTorch float64 ${maxAbsDiff(got[name]!.data as Float32Array, ref.hf[name]!).toExponential(2)})` : '';
          parityReport.push(`${label} [${got[name]!.dims.join('x')}] ${name}: max |onnx - attn| ${diff.toExponential(2)}${hf}`);
          expect(diff, `${label} ${name} batch ${i}`).toBeLessThan(TOLERANCE);
        }
      }
    } finally {
      model.dispose();
    }
  }

  it('prints the parity table', () => {
    console.log(parityReport.join('\n'));
  });
});
