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
