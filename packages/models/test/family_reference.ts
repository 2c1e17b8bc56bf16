// The shared acceptance check of a model family: each micro checkpoint in fixtures/reference/families
// (saved by HF transformers 5.18, vectors computed by PyTorch in float64) is loaded with loadModel(dir) and
// no class named, and must reproduce the outputs and loss (1e-4 abs) and every parameter's gradient
// (1e-3 x its max |ref|; sampled tensors also l2 within 1e-3 relative). See that folder's README.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { tf, initBackend, nativeKernelsActive, type BackendName } from '@attn/tensor';
import { loadModel, type ModelInputs, type ModelOutput, type TaskModel } from '../src/index';

export const FAMILY_REF = join(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/reference/families');

interface RefTensor {
  shape: number[];
  max_abs: number;
  l2: number;
  kind: 'full' | 'sample';
  index?: number[];
  data: number[];
}
export interface FamilyVectors {
  checkpoint: string;
  model_class: string;
  model_type: string;
  inputs: { input_ids: number[][]; attention_mask: number[][]; token_type_ids?: number[][] };
  labels: { labels?: number[] | number[][]; start_positions?: number[]; end_positions?: number[] };
  outputs: Record<string, RefTensor | { value: number }>;
  grads: Record<string, RefTensor>;
}

export const familyVectors = (name: string): FamilyVectors =>
  JSON.parse(readFileSync(join(FAMILY_REF, 'vectors', `${name}.json`), 'utf8')) as FamilyVectors;

const ids2d = (rows: number[][]) => tf.tensor2d(rows, [rows.length, rows[0]!.length], 'int32');

/** The vectors' inputs and labels as model inputs (labels int32, any rank). */
export function familyInputs(v: FamilyVectors): ModelInputs {
  const inputs: ModelInputs = { inputIds: ids2d(v.inputs.input_ids), attentionMask: ids2d(v.inputs.attention_mask) };
  if (v.inputs.token_type_ids) inputs.tokenTypeIds = ids2d(v.inputs.token_type_ids);
  const l = v.labels;
  if (l.labels) inputs.labels = tf.tensor(l.labels as number[], undefined, 'int32');
  if (l.start_positions) inputs.startPositions = tf.tensor1d(l.start_positions, 'int32');
  if (l.end_positions) inputs.endPositions = tf.tensor1d(l.end_positions, 'int32');
  return inputs;
}

const OUTPUT_NAMES: Record<string, keyof ModelOutput> = { logits: 'logits', start_logits: 'startLogits', end_logits: 'endLogits' };

function l2(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * a[i]!;
  return Math.sqrt(s);
}

/** max |got - ref| over the stored values (all, or the sampled flat indices). */
function deviation(all: ArrayLike<number>, ref: RefTensor): number {
  let m = 0;
  for (let k = 0; k < ref.data.length; k++) {
    const i = ref.kind === 'sample' ? ref.index![k]! : k;
    m = Math.max(m, Math.abs(all[i]! - ref.data[k]!));
  }
  return m;
}

// Worst deviations on the current backend, printed after its block.
const worst = { output: 0, grad: 0 };

export function expectFamilyOutput(name: string, got: tf.Tensor, ref: RefTensor): void {
  expect(got.shape, `${name} shape`).toEqual(ref.shape);
  const d = deviation(got.dataSync(), ref);
  worst.output = Math.max(worst.output, d);
  expect(d, `${name}: max |got - ref| = ${d}`).toBeLessThanOrEqual(1e-4);
}

/** Gradients of the loss by HF key, in torch layout. */
export function familyGrads(model: TaskModel, f: () => ModelOutput): { loss: number; grads: Map<string, tf.Tensor> } {
  const named = model.namedParameters();
  const { value, grads } = tf.variableGrads(() => f().loss!, named.map(([, v]) => v));
  const transposed = model.transposedParameterNames();
  const out = new Map<string, tf.Tensor>();
  for (const [n, v] of named) {
    const g = grads[v.name]!;
    out.set(n, transposed.has(n) ? tf.transpose(g) : g);
    if (transposed.has(n)) g.dispose();
  }
  const loss = value.dataSync()[0]!;
  value.dispose();
  return { loss, grads: out };
}

/** A reference gradient whose largest entry is below this is float64 round-off of an exact zero. */
const ZERO_IN_EXACT_MATH = 1e-10;

export function expectFamilyGrads(got: Map<string, tf.Tensor>, ref: Record<string, RefTensor>): void {
  for (const [name, r] of Object.entries(ref)) {
    const g = got.get(name);
    expect(g, `no gradient for ${name} (have: ${[...got.keys()].slice(0, 8).join(', ')}, ...)`).toBeDefined();
    expect(g!.shape, `${name} shape`).toEqual(r.shape);
    const all = g!.dataSync();
    if (r.max_abs < ZERO_IN_EXACT_MATH) {
      // Zero in exact math (an attention key bias: softmax ignores a per-query constant); float64 left
      // ~1e-17, float32 leaves ~1e-9. Relative to that max the test would be meaningless: bound it absolutely.
      const m = deviation(all, r);
      expect(m, `${name}: zero in exact math, max |got| = ${m}`).toBeLessThanOrEqual(1e-5);
      continue;
    }
    const rel = deviation(all, r) / r.max_abs;
    worst.grad = Math.max(worst.grad, rel);
    expect(rel, `${name}: max |got - ref| / max |ref| = ${rel}`).toBeLessThanOrEqual(1e-3);
    if (r.kind === 'sample' && r.l2 > 0) {
      const l = l2(all);
      expect(Math.abs(l - r.l2) / r.l2, `${name}: l2 ${l} vs ${r.l2}`).toBeLessThanOrEqual(1e-3);
    }
  }
  expect(got.size, 'attn has parameters the reference has no gradient for').toBe(Object.keys(ref).length);
}

/** Loads `name`'s checkpoint with no class, then checks outputs, loss and gradients. */
export async function checkFamilyReference(name: string): Promise<void> {
  const v = familyVectors(name);
  const model = await loadModel(join(FAMILY_REF, v.checkpoint));
  expect(model.architecture).toBe(v.model_class);
  expect(model.config.modelType).toBe(v.model_type);
  const inputs = familyInputs(v);
  const { loss, grads } = familyGrads(model, () => {
    const out = model.forward(inputs);
    for (const [key, ref] of Object.entries(v.outputs)) {
      if (key === 'loss') continue;
      const got = out[OUTPUT_NAMES[key] ?? (key as keyof ModelOutput)] as tf.Tensor | undefined;
      expect(got, `output ${key}`).toBeDefined();
      expectFamilyOutput(key, got!, ref as RefTensor);
    }
    return out;
  });
  const dl = Math.abs(loss - (v.outputs['loss'] as { value: number }).value);
  worst.output = Math.max(worst.output, dl);
  expect(dl, `loss: |got - ref| = ${dl}`).toBeLessThanOrEqual(1e-4);
  expectFamilyGrads(grads, v.grads);
  tf.dispose([...grads.values(), ...(Object.values(inputs).filter((x) => x instanceof tf.Tensor) as tf.Tensor[])]);
  model.dispose();
}

/**
 * savePretrained → loadModel is bit-identical: the same architecture, config.json and parameters, and a
 * second save writes byte-identical files (tied weights are omitted, as HF omits them).
 */
export async function checkFamilyRoundTrip(name: string): Promise<void> {
  const v = familyVectors(name);
  const model = await loadModel(join(FAMILY_REF, v.checkpoint));
  const a = mkdtempSync(join(tmpdir(), 'attn-family-'));
  const b = mkdtempSync(join(tmpdir(), 'attn-family-'));
  try {
    await model.savePretrained(a);
    const again = await loadModel(a);
    expect(again.architecture).toBe(model.architecture);
    expect(again.config.toJSON()).toEqual(model.config.toJSON());
    const before = new Map(model.namedParameters().map(([n, p]) => [n, p.dataSync()]));
    const after = again.namedParameters();
    expect(after.map(([n]) => n)).toEqual([...before.keys()]);
    for (const [n, p] of after) expect(Buffer.from(p.dataSync().buffer).equals(Buffer.from(before.get(n)!.buffer)), n).toBe(true);
    await again.savePretrained(b);
    for (const f of ['config.json', 'model.safetensors']) expect(readFileSync(join(b, f)).equals(readFileSync(join(a, f))), f).toBe(true);
    again.dispose();
  } finally {
    model.dispose();
    rmSync(a, { recursive: true, force: true });
    rmSync(b, { recursive: true, force: true });
  }
}

/**
 * One describe block per backend: every checkpoint's parity test, then a check that no test leaked tensors.
 * ATTN_NATIVE=0 in the environment runs wasm on the stock kernels (the `.no_native` test files set it).
 */
export function describeFamilyReference(family: string, names: readonly string[], backends: readonly BackendName[] = ['cpu', 'wasm']): void {
  describe.each(backends as BackendName[])(`${family}: HF/PyTorch reference on %s`, (backend) => {
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
      const native = backend === 'wasm' ? (nativeKernelsActive() || process.env.ATTN_TEST_NATIVE_SETUP === '1' ? ' (+ native kernels)' : ' (stock kernels)') : '';
      console.log(`${family} parity on ${backend}${native}: worst output/loss abs diff ${worst.output.toExponential(2)}, worst gradient diff ${worst.grad.toExponential(2)} x max|ref|`);
      expect(new Set(counts.slice(1)).size, `tensor counts after each test: ${counts.join(', ')}`).toBeLessThanOrEqual(1);
    });
    it.each(names as string[])('%s: loads with no class and matches outputs, loss and gradients', async (name) => {
      await checkFamilyReference(name);
    });
    if (backend === backends[0]) {
      it.each(names as string[])('%s: savePretrained → loadModel is bit-identical', async (name) => {
        await checkFamilyRoundTrip(name);
      });
    }
  });
}
