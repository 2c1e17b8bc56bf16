import { describe, it, expect, beforeAll, afterAll, vi } from 'vitest';
import { mkdtemp, readFile, rm, copyFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tf, initBackend, loadCheckpointWeights, saveSafetensors } from '@attn/tensor';
import { BertModel } from './bert_model';
import { BertForSequenceClassification } from './bert_for_sequence_classification';
import { BertForTokenClassification } from './bert_for_token_classification';
import { BertForMaskedLM } from './bert_for_masked_lm';
import { CheckpointShapeError } from '../checkpoint_errors';

const CKPT = join(dirname(fileURLToPath(import.meta.url)), '../../../../fixtures/reference/checkpoints');
let tmp = '';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  tmp = await mkdtemp(join(tmpdir(), 'attn-models-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

function sameValues(a: tf.Tensor, b: tf.Tensor): boolean {
  const x = new Uint32Array(Float32Array.from(a.dataSync()).buffer);
  const y = new Uint32Array(Float32Array.from(b.dataSync()).buffer);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

describe('fromPretrained', () => {
  it('loads a checkpoint with its head: nothing missing, nothing unused, eval mode', async () => {
    const m = await BertForSequenceClassification.fromPretrained(join(CKPT, 'micro-seqcls'));
    expect(m.loadingInfo).toEqual({ missingKeys: [], unexpectedKeys: [], mismatchedKeys: [] });
    expect(m.training).toBe(false);
    expect(m.config.id2label[2]).toBe('positive');
    // torch [out, in] on disk → [in, out] kernel: transposed exactly once
    const raw = await loadCheckpointWeights(join(CKPT, 'micro-seqcls'));
    expect(sameValues(m.classifier.weight, tf.transpose(raw['classifier.weight']!))).toBe(true);
    tf.dispose(Object.values(raw));
    m.dispose();
  });

  it('initialises a missing head with HF\'s warning, and drops unused base weights (pooler)', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const m = await BertForTokenClassification.fromPretrained(join(CKPT, 'micro'), { numLabels: 5, seed: 1 });
    expect(m.loadingInfo!.missingKeys).toEqual(['classifier.weight', 'classifier.bias']);
    expect(m.loadingInfo!.unexpectedKeys).toEqual(['bert.pooler.dense.bias', 'bert.pooler.dense.weight']);
    const text = warn.mock.calls.map((c) => String(c[0])).join('\n');
    expect(text).toMatch(/newly initialized: \[classifier\.weight, classifier\.bias\]/);
    expect(text).toMatch(/were not used when initializing BertForTokenClassification: \[bert\.pooler\.dense\.bias/);
    warn.mockRestore();
    expect(m.classifier.weight.shape).toEqual([64, 5]);
    // The new head got HF's init (normal(0, 0.02), zero bias), not the zeros of deferred init.
    const w = Array.from(m.classifier.weight.dataSync());
    const std = Math.sqrt(w.reduce((a, x) => a + x * x, 0) / w.length);
    expect(std).toBeGreaterThan(0.015);
    expect(std).toBeLessThan(0.025);
    expect(m.classifier.bias!.dataSync().every((x) => x === 0)).toBe(true);
    m.dispose();
  });

  it('accepts keys with or without the bert. prefix, as HF', async () => {
    // A bare BertModel reads prefixed keys, and its own save (no prefix) loads into a model with a head.
    const base = await BertModel.fromPretrained(join(CKPT, 'micro'));
    expect(base.loadingInfo!.missingKeys).toEqual([]);
    const dir = join(tmp, 'base');
    await base.savePretrained(dir);
    const saved = await loadCheckpointWeights(dir);
    expect(Object.keys(saved).some((k) => k.startsWith('bert.'))).toBe(false);
    expect(saved['embeddings.word_embeddings.weight']).toBeDefined();
    tf.dispose(Object.values(saved));
    const head = await BertForSequenceClassification.fromPretrained(dir, { numLabels: 3, quiet: true });
    expect(head.loadingInfo!.missingKeys).toEqual(['classifier.weight', 'classifier.bias']);
    expect(sameValues(head.bert.encoder.layer.at(1).feedForward.output.dense.weight, base.encoder.layer.at(1).feedForward.output.dense.weight)).toBe(true);
    base.dispose();
    head.dispose();
  });

  it('names the key and both shapes when the checkpoint does not fit the config', async () => {
    const p = BertForSequenceClassification.fromPretrained(join(CKPT, 'micro-seqcls'), { numLabels: 5 });
    await expect(p).rejects.toThrow(CheckpointShapeError);
    await expect(BertForSequenceClassification.fromPretrained(join(CKPT, 'micro-seqcls'), { numLabels: 5 })).rejects.toThrow(
      /micro-seqcls: "classifier\.(weight|bias)" has shape \[3(, 64)?\] in the checkpoint, but the model built from config\.json expects \[5(, 64)?\]/,
    );
    const m = await BertForSequenceClassification.fromPretrained(join(CKPT, 'micro-seqcls'), { numLabels: 5, ignoreMismatchedSizes: true, quiet: true });
    expect(m.loadingInfo!.mismatchedKeys.map((k) => k.key).sort()).toEqual(['classifier.bias', 'classifier.weight']);
    expect(m.loadingInfo!.missingKeys).toEqual([]);
    expect(m.classifier.weight.dataSync().some((x) => x !== 0)).toBe(true);
    m.dispose();
  });

  it('reads F16, BF16 and sharded checkpoints (values checked by the parity test)', async () => {
    for (const name of ['micro-fp16', 'micro-bf16', 'micro-sharded']) {
      const m = await BertForSequenceClassification.fromPretrained(join(CKPT, name));
      expect(m.loadingInfo!.missingKeys).toEqual([]);
      m.dispose();
    }
  });

  it('ties the MLM decoder: a stored decoder.weight is accepted, and decoder.bias is an alias', async () => {
    const m = await BertForMaskedLM.fromPretrained(join(CKPT, 'micro-mlm'));
    expect(m.loadingInfo).toEqual({ missingKeys: [], unexpectedKeys: [], mismatchedKeys: [] });
    // Rename cls.predictions.bias to its HF alias cls.predictions.decoder.bias and drop the decoder weight.
    const raw = await loadCheckpointWeights(join(CKPT, 'micro-mlm'));
    const dir = join(tmp, 'mlm-alias');
    await mkdir(dir, { recursive: true });
    const renamed: Record<string, tf.Tensor> = {};
    for (const [k, t] of Object.entries(raw)) {
      if (k === 'cls.predictions.decoder.weight') continue;
      renamed[k === 'cls.predictions.bias' ? 'cls.predictions.decoder.bias' : k] = t;
    }
    await saveSafetensors(join(dir, 'model.safetensors'), renamed, { format: 'pt' });
    await copyFile(join(CKPT, 'micro-mlm/config.json'), join(dir, 'config.json'));
    const m2 = await BertForMaskedLM.fromPretrained(dir);
    expect(m2.loadingInfo!.missingKeys).toEqual([]);
    expect(sameValues(m2.cls.predictions.bias, m.cls.predictions.bias)).toBe(true);
    tf.dispose(Object.values(raw));
    m.dispose();
    m2.dispose();
  });
});

describe('savePretrained', () => {
  it('round-trips bit-identically, HF layout on disk, config fields kept', async () => {
    const m = await BertForTokenClassification.fromPretrained(join(CKPT, 'micro-tokcls'));
    // Train-like change so the round trip is not just the fixture copied.
    tf.tidy(() => m.classifier.bias!.assign(tf.add(m.classifier.bias!, 0.125)));
    const a = join(tmp, 'tok-a');
    await m.savePretrained(a);
    const config = JSON.parse(await readFile(join(a, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(config['architectures']).toEqual(['BertForTokenClassification']);
    expect(config['model_type']).toBe('bert');
    expect((config['id2label'] as Record<string, string>)['8']).toBe('I-MISC');
    const onDisk = await loadCheckpointWeights(a);
    expect(onDisk['classifier.weight']!.shape).toEqual([9, 64]);
    expect(onDisk['bert.encoder.layer.0.intermediate.dense.weight']!.shape).toEqual([128, 64]);
    tf.dispose(Object.values(onDisk));

    const back = await BertForTokenClassification.fromPretrained(a);
    const sd = m.stateDict();
    for (const [n, v] of back.namedParameters()) expect(sameValues(v, sd[n]!), n).toBe(true);
    const b = join(tmp, 'tok-b');
    await back.savePretrained(b);
    expect(Buffer.compare(await readFile(join(a, 'model.safetensors')), await readFile(join(b, 'model.safetensors')))).toBe(0);
    expect(await readFile(join(b, 'config.json'), 'utf8')).toBe(await readFile(join(a, 'config.json'), 'utf8'));
    m.dispose();
    back.dispose();
  });

  it('writes the tied MLM decoder once (HF omits tied weights) and reloads it tied', async () => {
    const m = await BertForMaskedLM.fromPretrained(join(CKPT, 'micro-mlm'));
    const dir = join(tmp, 'mlm');
    await m.savePretrained(dir);
    const onDisk = await loadCheckpointWeights(dir);
    expect(Object.keys(onDisk).filter((k) => k.includes('decoder'))).toEqual([]);
    expect(Object.keys(onDisk).length).toBe(m.namedParameters().length);
    tf.dispose(Object.values(onDisk));
    const back = await BertForMaskedLM.fromPretrained(dir);
    expect(back.loadingInfo!.missingKeys).toEqual([]);
    m.dispose();
    back.dispose();
  });
});
