import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend } from '@attn/tensor';
import { BertConfig } from './bert/bert_config';
import { loadModel, createModel } from './load_model';

const CKPT = join(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/reference/checkpoints');
let tmp = '';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  tmp = await mkdtemp(join(tmpdir(), 'attn-load-model-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('createModel', () => {
  it('builds the head for each task', () => {
    const config = BertConfig.preset('bert-tiny', { vocab_size: 100, num_labels: 3 });
    const names = (['sequence-classification', 'token-classification', 'question-answering', 'masked-lm'] as const).map((t) => {
      const m = createModel(t, config, { seed: 1 });
      const n = m.className;
      m.dispose();
      return n;
    });
    expect(names).toEqual(['BertForSequenceClassification', 'BertForTokenClassification', 'BertForQuestionAnswering', 'BertForMaskedLM']);
    expect(() => createModel('summarization' as never, config)).toThrow(/has no summarization head/);
  });
});

describe('loadModel', () => {
  it('picks the head from config.architectures, or from the task for a bare checkpoint', async () => {
    const names: string[] = [];
    for (const c of ['micro-seqcls', 'micro-tokcls', 'micro-qa', 'micro-mlm']) {
      const m = await loadModel(join(CKPT, c));
      names.push(m.className);
      m.dispose();
    }
    expect(names).toEqual(['BertForSequenceClassification', 'BertForTokenClassification', 'BertForQuestionAnswering', 'BertForMaskedLM']);
    await expect(loadModel(join(CKPT, 'micro'))).rejects.toThrow(/names no bert task head/);
    const qa = await loadModel(join(CKPT, 'micro'), { task: 'question-answering', quiet: true });
    expect(qa.className).toBe('BertForQuestionAnswering');
    qa.dispose();
  });

  it('fails with the path when config.json is missing', async () => {
    const dir = join(tmp, 'empty');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'README'), 'nothing here');
    await expect(loadModel(dir)).rejects.toThrow(/config\.json/);
  });
});

describe('savePretrained dtype: a model is saved in the format it came from', () => {
  const header = async (dir: string): Promise<Record<string, { dtype: string }>> => {
    const { readFile } = await import('node:fs/promises');
    const bytes = await readFile(join(dir, 'model.safetensors'));
    const n = Number(Buffer.from(bytes).readBigUInt64LE(0));
    return JSON.parse(bytes.subarray(8, 8 + n).toString('utf8'));
  };
  const dtypes = async (dir: string) => new Set(Object.entries(await header(dir)).filter(([k]) => k !== '__metadata__').map(([, v]) => v.dtype));
  const config = async (dir: string) => JSON.parse(await (await import('node:fs/promises')).readFile(join(dir, 'config.json'), 'utf8'));

  it('float32 by default; float16 on request, which reloads as float16 and within half precision of the weights', async () => {
    const m = createModel('sequence-classification', BertConfig.preset('bert-tiny', { vocab_size: 100, num_labels: 2 }), { seed: 3 });
    expect(m.sourceDtype()).toBe('float32');
    await m.savePretrained(join(tmp, 'f32'));
    expect(await dtypes(join(tmp, 'f32'))).toEqual(new Set(['F32']));
    await m.savePretrained(join(tmp, 'f16'), { dtype: 'float16' });
    expect(await dtypes(join(tmp, 'f16'))).toEqual(new Set(['F16']));
    expect((await config(join(tmp, 'f16'))).torch_dtype ?? (await config(join(tmp, 'f16'))).dtype).toBe('float16');
    const back = await loadModel(join(tmp, 'f16'));
    expect(back.sourceDtype()).toBe('float16');
    const a = m.stateDict();
    const b = back.stateDict();
    for (const [name, t] of Object.entries(a)) {
      const x = t.dataSync();
      const y = b[name]!.dataSync();
      for (let i = 0; i < x.length; i++) expect(Math.abs(x[i]! - y[i]!)).toBeLessThanOrEqual(Math.abs(x[i]!) * 2 ** -11 + 2 ** -24);
    }
    // Saved again without a dtype: float16, as it came; float32 when asked (what trainer checkpoints do).
    await back.savePretrained(join(tmp, 'f16-again'));
    expect(await dtypes(join(tmp, 'f16-again'))).toEqual(new Set(['F16']));
    await back.savePretrained(join(tmp, 'f16-as-f32'), { dtype: 'float32' });
    expect(await dtypes(join(tmp, 'f16-as-f32'))).toEqual(new Set(['F32']));
    expect((await config(join(tmp, 'f16-as-f32'))).torch_dtype).toBe('float32');
    await m.savePretrained(join(tmp, 'bf16'), { dtype: 'bfloat16' });
    expect(await dtypes(join(tmp, 'bf16'))).toEqual(new Set(['BF16']));
    await expect(m.savePretrained(join(tmp, 'bad'), { dtype: 'float8' as never })).rejects.toThrow(/dtype "float8" is not one of float32, float16, bfloat16/);
    m.dispose();
    back.dispose();
  });
});
