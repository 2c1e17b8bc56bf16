import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { tf, initBackend } from '@attn/tensor';
import { createModel, familyOf, loadModel, type TaskModel } from '@attn/models';
import { decodeModelProto, exportOnnx } from '../src/index';
import { ROOT } from './reference_checkpoints';

const DIR = join(ROOT, 'fixtures/reference/families');
const TOLERANCE = 1e-4;
// Standard ONNX ops only (domain ''): what the decoder graphs may use.
const STANDARD_OPS = new Set(['Add', 'And', 'ArgMax', 'Cast', 'Concat', 'Cos', 'Div', 'Equal', 'Expand', 'Gather', 'GatherND', 'LayerNormalization', 'LessOrEqual', 'MatMul', 'Mul', 'Neg', 'Not', 'Range', 'ReduceMean', 'Reshape', 'Shape', 'Sigmoid', 'Sin', 'Softmax', 'Split', 'Sqrt', 'Sub', 'Tanh', 'Transpose', 'Unsqueeze', 'Where']);
const report: string[] = [];

interface Vectors {
  inputs: { input_ids: number[][]; attention_mask: number[][] };
  generation?: { greedy: Array<{ prompt: number[]; sequence: number[]; max_new_tokens: number }> };
}
const vectors = (name: string): Vectors => JSON.parse(readFileSync(join(DIR, 'vectors', `${name}.json`), 'utf8'));

const int64 = (rows: number[][]) => new ort.Tensor('int64', BigInt64Array.from(rows.flat().map(BigInt)), [rows.length, rows[0]!.length]);

function attnLogits(model: TaskModel, ids: number[][], mask: number[][]): { data: Float32Array; shape: number[] } {
  return tf.tidy(() => {
    const out = model.forward({ inputIds: tf.tensor2d(ids, undefined, 'int32'), attentionMask: tf.tensor2d(mask, undefined, 'int32') });
    const t = (out.logits ?? out.lastHiddenState)!;
    return { data: t.dataSync() as Float32Array, shape: t.shape };
  });
}

/** max |a - b| over rows b and positions s where mask[b][s] = 1 (per-token outputs), or everywhere (per-row). */
function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>, shape: number[], mask?: number[][], fromPos = 0): number {
  const [batch, seq] = shape as [number, number];
  const width = shape.length === 3 ? shape[2]! : 1;
  let m = 0;
  if (shape.length === 2 && !mask) {
    for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
    return m;
  }
  for (let r = 0; r < batch; r++) {
    for (let s = 0; s < seq; s++) {
      if (mask && mask[r]![s + fromPos] !== 1) continue;
      for (let k = 0; k < width; k++) m = Math.max(m, Math.abs(a[(r * seq + s) * width + k]! - b[(r * seq + s) * width + k]!));
    }
  }
  return m;
}

class CausalSession {
  private constructor(readonly session: ort.InferenceSession, readonly layers: number, readonly kvHeads: number, readonly headDim: number) {}

  static async create(bytes: Uint8Array): Promise<CausalSession> {
    const proto = decodeModelProto(bytes);
    const past = proto.graph.input.filter((i) => i.name.startsWith('past_key_values.'));
    const dims = past[0]!.type.tensor_type.shape.dim as Array<{ dim_value?: number }>;
    const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 });
    return new CausalSession(session, past.length / 2, dims[1]!.dim_value!, dims[3]!.dim_value!);
  }

  emptyCache(batch: number): Record<string, ort.Tensor> {
    const feeds: Record<string, ort.Tensor> = {};
    for (let i = 0; i < this.layers; i++) {
      for (const kv of ['key', 'value']) feeds[`past_key_values.${i}.${kv}`] = new ort.Tensor('float32', new Float32Array(0), [batch, this.kvHeads, 0, this.headDim]);
    }
    return feeds;
  }

  /** One step: new ids at positions past..past+seq-1 with the cache of earlier steps; returns logits and the new cache. */
  async step(ids: number[][], mask: number[][], cache: Record<string, ort.Tensor>): Promise<{ logits: ort.Tensor; cache: Record<string, ort.Tensor> }> {
    const past = mask[0]!.length - ids[0]!.length;
    const positions = ids.map((r) => r.map((_, j) => past + j));
    const out = await this.session.run({ input_ids: int64(ids), attention_mask: int64(mask), position_ids: int64(positions), ...cache });
    const next: Record<string, ort.Tensor> = {};
    for (const [k, v] of Object.entries(out)) if (k.startsWith('present.')) next[k.replace('present.', 'past_key_values.')] = v;
    return { logits: out['logits']!, cache: next };
  }
}

const argmaxLast = (logits: ort.Tensor): number => {
  const [, seq, vocab] = logits.dims as [number, number, number];
  const row = (logits.data as Float32Array).subarray((seq - 1) * vocab, seq * vocab);
  let best = 0;
  for (let i = 1; i < vocab; i++) if (row[i]! > row[best]!) best = i;
  return best;
};

describe('ONNX export of decoders: onnxruntime-node with a KV cache matches attn', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu' });
  });

  it.each(['micro-gpt2-clm', 'micro-llama-clm', 'micro-llama-tied-clm'])('%s: full pass, cached continuation and greedy generation', async (name) => {
    const model = await loadModel(join(DIR, 'checkpoints', name), { quiet: true });
    try {
      const exported = exportOnnx(model, { opset: 17 });
      for (const op of exported.opTypes) expect(STANDARD_OPS, `op ${op}`).toContain(op);
      const layers = Number(model.configJSON()['n_layer'] ?? model.configJSON()['num_hidden_layers']);
      expect(exported.inputNames).toEqual(['input_ids', 'attention_mask', 'position_ids', ...Array.from({ length: layers }, (_, i) => [`past_key_values.${i}.key`, `past_key_values.${i}.value`]).flat()]);
      expect(exported.outputNames).toEqual(['logits', ...Array.from({ length: layers }, (_, i) => [`present.${i}.key`, `present.${i}.value`]).flat()]);
      const s = await CausalSession.create(exported.bytes);
      const { input_ids: ids, attention_mask: mask } = vectors(name).inputs;
      const expected = attnLogits(model, ids, mask);

      // The whole batch in one step from an empty cache (past_sequence_length 0).
      const full = await s.step(ids, mask, s.emptyCache(ids.length));
      const dFull = maxDiff(full.logits.data as Float32Array, expected.data, expected.shape, mask);
      // The first 7 tokens, then the other 5 on their cache: logits of the 5 equal the full pass's.
      const first = await s.step(ids.map((r) => r.slice(0, 7)), mask.map((r) => r.slice(0, 7)), s.emptyCache(ids.length));
      const rest = await s.step(ids.map((r) => r.slice(7)), mask, first.cache);
      const vocab = expected.shape[2]!;
      const tail = new Float32Array(ids.length * 5 * vocab);
      for (let r = 0; r < ids.length; r++) tail.set(expected.data.subarray((r * 12 + 7) * vocab, (r * 12 + 12) * vocab), r * 5 * vocab);
      const dCached = maxDiff(rest.logits.data as Float32Array, tail, [ids.length, 5, vocab], mask, 7);
      report.push(`${name}: logits [2x12x${vocab}] max |onnx - attn| ${dFull.toExponential(2)} in one pass, ${dCached.toExponential(2)} for 5 tokens on a 7-token cache`);
      expect(dFull).toBeLessThan(TOLERANCE);
      expect(dCached).toBeLessThan(TOLERANCE);

      // Greedy decoding one token at a time on the cache reproduces HF generate()'s sequences from the fixtures.
      for (const g of vectors(name).generation!.greedy) {
        const seq = [...g.prompt];
        let step = await s.step([seq], [seq.map(() => 1)], s.emptyCache(1));
        while (seq.length < g.prompt.length + g.max_new_tokens) {
          seq.push(argmaxLast(step.logits));
          if (seq.length === g.prompt.length + g.max_new_tokens) break;
          step = await s.step([[seq.at(-1)!]], [seq.map(() => 1)], step.cache);
        }
        expect(seq).toEqual(g.sequence);
      }
      await s.session.release();
    } finally {
      model.dispose();
    }
  });

  // Sequence classification (checkpoints) and bare base models (seeded random weights): input_ids and attention_mask only.
  const CASES: Array<[string, () => Promise<TaskModel>, string]> = [
    ['micro-gpt2-seqcls', () => loadModel(join(DIR, 'checkpoints/micro-gpt2-seqcls'), { quiet: true }), 'micro-gpt2-seqcls'],
    ['micro-llama-seqcls', () => loadModel(join(DIR, 'checkpoints/micro-llama-seqcls'), { quiet: true }), 'micro-llama-seqcls'],
    ...(['gpt2', 'llama'] as const).map((f): [string, () => Promise<TaskModel>, string] => [
      `${f} base (random)`,
      async () => {
        const json = JSON.parse(readFileSync(join(DIR, `checkpoints/micro-${f}-clm/config.json`), 'utf8'));
        return createModel('base', familyOf(f).configClass.fromJSON({ ...json, initializer_range: 0.3 }), { seed: 5 }).eval() as TaskModel;
      },
      `micro-${f}-seqcls`,
    ]),
  ];
  it.each(CASES)('%s', async (label, make, inputsFrom) => {
    const model = await make();
    try {
      const exported = exportOnnx(model, { opset: 17 });
      for (const op of exported.opTypes) expect(STANDARD_OPS, `op ${op}`).toContain(op);
      expect(exported.inputNames).toEqual(['input_ids', 'attention_mask']);
      const { input_ids: ids, attention_mask: mask } = vectors(inputsFrom).inputs;
      const session = await ort.InferenceSession.create(exported.bytes, { intraOpNumThreads: 1 });
      const out = await session.run({ input_ids: int64(ids), attention_mask: int64(mask) });
      await session.release();
      const expected = attnLogits(model, ids, mask);
      const name = exported.outputNames[0]!;
      const d = maxDiff(out[name]!.data as Float32Array, expected.data, expected.shape, expected.shape.length === 3 ? mask : undefined);
      report.push(`${label}: ${name} [${expected.shape.join('x')}] max |onnx - attn| ${d.toExponential(2)}`);
      expect(d).toBeLessThan(TOLERANCE);
    } finally {
      model.dispose();
    }
  });

  it('opset 18+ writes ReduceMean with axes as an input (RMSNorm) and still runs', async () => {
    const model = await loadModel(join(DIR, 'checkpoints/micro-llama-seqcls'), { quiet: true });
    const { input_ids: ids, attention_mask: mask } = vectors('micro-llama-seqcls').inputs;
    const run = async (opset: number) => {
      const s = await ort.InferenceSession.create(exportOnnx(model, { opset }).bytes);
      const r = [...((await s.run({ input_ids: int64(ids), attention_mask: int64(mask) }))['logits']!.data as Float32Array)];
      await s.release();
      return r;
    };
    const [a, b] = [await run(17), await run(18)];
    model.dispose();
    expect(maxDiff(a, b, [a.length, 1])).toBeLessThan(1e-6);
  });

  it('prints the parity table', () => {
    console.log(report.join('\n'));
  });
});
