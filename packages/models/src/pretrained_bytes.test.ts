import { describe, it, expect, beforeAll } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tf, initBackend } from '@attn/tensor';
import { BertForSequenceClassification } from './bert/bert_for_sequence_classification';
import { BertForTokenClassification } from './bert/bert_for_token_classification';
import { fromPretrainedBytes, toPretrainedBytes, toPretrainedBytesAsync } from './load_model';

const CKPT = join(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/reference/checkpoints');
const VECTORS = join(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/reference/vectors');

async function bytesOf(name: string) {
  const dir = join(CKPT, name);
  return { config: await readFile(join(dir, 'config.json'), 'utf8'), safetensors: new Uint8Array(await readFile(join(dir, 'model.safetensors'))) };
}

function logitsOf(model: BertForSequenceClassification, v: { inputs: Record<string, number[][]> & { shape: number[] } }): Float32Array {
  return tf.tidy(() => {
    const [inputIds, attentionMask, tokenTypeIds] = ['input_ids', 'attention_mask', 'token_type_ids'].map((k) => tf.tensor2d(v.inputs[k]!.flat(), v.inputs.shape as [number, number], 'int32'));
    return model.forward({ inputIds: inputIds!, attentionMask, tokenTypeIds }).logits!.dataSync() as Float32Array;
  });
}

describe('fromPretrainedBytes / toPretrainedBytes', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu' });
  });

  it('gives the PyTorch reference logits from in-memory bytes, and round-trips through toPretrainedBytes', async () => {
    const v = JSON.parse(await readFile(join(VECTORS, 'micro-seqcls.json'), 'utf8'));
    const before = tf.memory().numTensors;
    const model = fromPretrainedBytes(BertForSequenceClassification, await bytesOf('micro-seqcls'), { quiet: true });
    const got = logitsOf(model, v);
    const ref = v.outputs.logits.data.flat() as number[];
    expect(got.length).toBe(ref.length);
    got.forEach((x, i) => expect(Math.abs(x - ref[i]!)).toBeLessThan(1e-4));
    const saved = toPretrainedBytes(model);
    expect(JSON.parse(saved.config).architectures).toEqual(['BertForSequenceClassification']);
    const again = fromPretrainedBytes(BertForSequenceClassification, saved, { quiet: true });
    expect(again.loadingInfo!.missingKeys).toEqual([]);
    expect(Array.from(logitsOf(again, v))).toEqual(Array.from(got));
    model.dispose();
    again.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('toPretrainedBytesAsync (webgpu reads back asynchronously) writes the same bytes and frees what it made', async () => {
    const model = fromPretrainedBytes(BertForSequenceClassification, await bytesOf('micro-seqcls'), { quiet: true });
    const before = tf.memory().numTensors;
    const saved = await toPretrainedBytesAsync(model);
    expect(tf.memory().numTensors).toBe(before);
    const sync = toPretrainedBytes(model);
    expect(saved.config).toBe(sync.config);
    expect(Buffer.from(saved.safetensors).equals(Buffer.from(sync.safetensors))).toBe(true);
    model.dispose();
  });

  it('writes the dtype the checkpoint came in (float16 config → F16 weights), or the one asked for', async () => {
    const src = await bytesOf('micro-seqcls');
    const half = { config: JSON.stringify({ ...JSON.parse(src.config), torch_dtype: 'float16' }), safetensors: src.safetensors };
    const model = fromPretrainedBytes(BertForSequenceClassification, half, { quiet: true });
    const header = (b: Uint8Array): Record<string, { dtype?: string }> => JSON.parse(Buffer.from(b.subarray(8, 8 + Number(Buffer.from(b).readBigUInt64LE(0)))).toString('utf8'));
    const dtypesOf = (b: Uint8Array) => new Set(Object.entries(header(b)).filter(([k]) => k !== '__metadata__').map(([, t]) => t.dtype));
    const saved = toPretrainedBytes(model);
    expect(JSON.parse(saved.config).torch_dtype).toBe('float16');
    expect(dtypesOf(saved.safetensors)).toEqual(new Set(['F16']));
    const async16 = await toPretrainedBytesAsync(model);
    expect(Buffer.from(async16.safetensors).equals(Buffer.from(saved.safetensors))).toBe(true);
    const full = toPretrainedBytes(model, { dtype: 'float32' });
    expect(JSON.parse(full.config).torch_dtype).toBe('float32');
    expect(dtypesOf(full.safetensors)).toEqual(new Set(['F32']));
    const again = fromPretrainedBytes(BertForSequenceClassification, saved, { quiet: true });
    expect(again.sourceDtype()).toBe('float16');
    expect(() => toPretrainedBytes(model, { dtype: 'int4' as never })).toThrow(/toPretrainedBytes: dtype "int4" is not one of float32, float16, bfloat16/);
    model.dispose();
    again.dispose();
  });

  it('re-initialises a head of another size (ignoreMismatchedSizes) and names it in loadingInfo', async () => {
    const model = fromPretrainedBytes(BertForTokenClassification, await bytesOf('micro-seqcls'), { quiet: true, numLabels: 5, ignoreMismatchedSizes: true });
    expect(model.loadingInfo!.mismatchedKeys.map((m) => m.key).sort()).toEqual(['classifier.bias', 'classifier.weight']);
    expect(model.loadingInfo!.unexpectedKeys).toContain('bert.pooler.dense.weight');
    model.dispose();
  });

  it('names the source in a config error', () => {
    expect(() => fromPretrainedBytes(BertForSequenceClassification, { config: '[]', safetensors: new Uint8Array(8) }, { source: 'upload' })).toThrow(/upload\/config.json/);
  });
});
