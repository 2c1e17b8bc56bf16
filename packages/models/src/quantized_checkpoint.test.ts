import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, tf } from '@attn/tensor';
import { BertConfig } from './bert/bert_config';
import { GPT2Config } from './gpt2/gpt2_config';
import { createModel, loadModel, loadModelFromBytes } from './load_model';
import { quantize, quantizedModules } from './quantized_checkpoint';

let tmp = '';
beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  tmp = await mkdtemp(join(tmpdir(), 'attn-int8-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const inputs = () => ({
  inputIds: tf.tensor2d([[2, 7, 9, 11, 3, 0], [2, 5, 3, 0, 0, 0]], [2, 6], 'int32'),
  attentionMask: tf.tensor2d([[1, 1, 1, 1, 1, 0], [1, 1, 1, 0, 0, 0]], [2, 6], 'int32'),
});
const logitsOf = (m: ReturnType<typeof createModel>) =>
  tf.tidy(() => {
    const x = inputs();
    return m.forward(x).logits!;
  });

describe('quantize(model) and int8 checkpoints', () => {
  it('quantizes every Linear of a BERT classifier, stays close to float, saves and reloads to the same logits', async () => {
    const config = BertConfig.preset('bert-tiny', { vocab_size: 50, num_labels: 3 });
    const model = createModel('sequence-classification', config, { seed: 3 }).eval();
    const floatLogits = logitsOf(model);
    expect(quantize(model)).toBe(model);
    const paths = quantizedModules(model).map(([p]) => p);
    // 2 layers × (q, k, v, attention out, intermediate, output) + pooler + classifier
    expect(paths.length).toBe(14);
    expect(paths).toContain('bert.encoder.layer.0.attention.self.query');
    expect(paths).toContain('classifier');
    const q = logitsOf(model);
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(q, floatLogits))).dataSync()[0]!);
    expect(diff).toBeGreaterThan(0);
    expect(diff).toBeLessThan(0.02);

    const dir = join(tmp, 'bert-int8');
    await model.savePretrained(dir);
    const json = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'));
    expect(json.quantization_config.quant_method).toBe('attn_dynamic_int8');
    expect(json.quantization_config.modules).toEqual(paths);
    const file = await readFile(join(dir, 'model.safetensors'));
    const header = JSON.parse(file.subarray(8, 8 + Number(file.readBigUInt64LE(0))).toString('utf8')) as Record<string, unknown>;
    const entry = (k: string) => header[k];
    expect(entry('bert.encoder.layer.0.attention.self.query.weight')).toMatchObject({ dtype: 'I8', shape: [128, 128] });
    expect(entry('bert.encoder.layer.0.attention.self.query.weight_scale')).toMatchObject({ dtype: 'F32', shape: [128] });
    expect(entry('bert.encoder.layer.0.attention.self.query.bias')).toMatchObject({ dtype: 'F32' });

    const before = tf.memory().numTensors;
    const loaded = await loadModel(dir);
    expect(quantizedModules(loaded).map(([p]) => p)).toEqual(paths);
    expect(loaded.training).toBe(false);
    const l = logitsOf(loaded);
    expect(Array.from(l.dataSync())).toEqual(Array.from(q.dataSync()));
    // Bytes round trip (browsers) gives the same.
    const bytes = loaded.toPretrainedBytes();
    const fromBytes = loadModelFromBytes(bytes);
    const b = logitsOf(fromBytes);
    expect(Array.from(b.dataSync())).toEqual(Array.from(q.dataSync()));
    tf.dispose([l, b]);
    loaded.dispose();
    fromBytes.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([floatLogits, q]);
    model.dispose();
  });

  it('quantizes GPT-2 Conv1D layers and reloads them', async () => {
    const config = GPT2Config.fromJSON({ vocab_size: 40, n_positions: 16, n_embd: 32, n_layer: 1, n_head: 2 });
    const model = createModel('causal-lm', config, { seed: 5 }).eval();
    quantize(model);
    expect(quantizedModules(model).map(([p]) => p)).toEqual(['transformer.h.0.attn.c_attn', 'transformer.h.0.attn.c_proj', 'transformer.h.0.mlp.c_fc', 'transformer.h.0.mlp.c_proj']);
    const ids = tf.tensor2d([[1, 2, 3, 4]], [1, 4], 'int32');
    const want = tf.tidy(() => model.forward({ inputIds: ids }).logits!);
    const dir = join(tmp, 'gpt2-int8');
    await model.savePretrained(dir);
    const loaded = await loadModel(dir);
    const got = tf.tidy(() => loaded.forward({ inputIds: ids }).logits!);
    expect(Array.from(got.dataSync())).toEqual(Array.from(want.dataSync()));
    tf.dispose([ids, want, got]);
    model.dispose();
    loaded.dispose();
  });

  it('bad int8 checkpoints fail with the file and the field', async () => {
    const config = BertConfig.preset('bert-tiny', { vocab_size: 50, num_labels: 2 });
    const model = quantize(createModel('sequence-classification', config, { seed: 1 }));
    const { config: cfg, safetensors } = model.toPretrainedBytes();
    model.dispose();
    const json = JSON.parse(cfg);
    const before = tf.memory().numTensors;
    const bad = (c: unknown) => () => loadModelFromBytes({ config: c as Record<string, unknown>, safetensors }, { source: 'ckpt' });
    expect(bad({ ...json, quantization_config: { ...json.quantization_config, modules: 'all' } })).toThrow(
      /ckpt\/config\.json: quantization_config\.modules must be a non-empty array/,
    );
    expect(bad({ ...json, quantization_config: { ...json.quantization_config, modules: [...json.quantization_config.modules, 'bert.nope'] } })).toThrow(
      /ckpt\/model\.safetensors: tensor "bert\.nope\.weight" is missing; ckpt\/config\.json quantization_config\.modules lists "bert\.nope"/,
    );
    expect(tf.memory().numTensors).toBe(before);
    // A float checkpoint's weight where int8 is expected (config says int8, file says F32).
    const dir = join(tmp, 'mixed');
    const floatModel = createModel('sequence-classification', config, { seed: 1 });
    await floatModel.savePretrained(dir);
    floatModel.dispose();
    await writeFile(join(dir, 'config.json'), JSON.stringify({ ...json, quantization_config: { ...json.quantization_config, modules: ['classifier'] } }));
    await expect(loadModel(dir)).rejects.toThrow(/mixed\/model\.safetensors: tensor "classifier\.weight_scale" is missing/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
