import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@attn/tensor';
import { assertTrainedModelDir, loadTrainedModel } from './trained_model';
import { architectureOnlyModelDir, saveRandomModel } from './testing';

const VOCAB = resolve(__dirname, '../../../fixtures/tokenizers/bert-base-uncased/vocab.txt');
const work = mkdtempSync(join(tmpdir(), 'attn-cli-trained-'));
beforeAll(() => initBackend({ backend: 'wasm' }));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('assertTrainedModelDir', () => {
  it('names a preset or a directory without config.json, one trained for another task, and the flag', () => {
    expect(() => assertTrainedModelDir('bert-tiny', 'question-answering', 'qa')).toThrow(/^--model bert-tiny: not a preset \(.*\) and has no config\.json/);
    const ner = architectureOnlyModelDir(work, 'BertForTokenClassification');
    expect(() => assertTrainedModelDir(ner, 'question-answering', 'qa', '--reader')).toThrow(
      `--reader ${ner} is a token-classification model (BertForTokenClassification); qa needs a question-answering model.`,
    );
    expect(() => assertTrainedModelDir(ner, 'token-classification', 'ner')).not.toThrow();
  });
});

describe('loadTrainedModel', () => {
  it('loads the task head and the tokenizer saved beside it; without a tokenizer it fails and frees the model', async () => {
    const dir = await saveRandomModel(join(work, 'qa'), { task: 'question-answering', defaultTokenizer: VOCAB, lowercase: true, seed: 1 });
    const before = tf.memory().numTensors;
    const { model, tokenizer } = await loadTrainedModel(dir, 'question-answering');
    expect(model.constructor.name).toBe('BertForQuestionAnswering');
    expect(tokenizer.encode('hello world').tokens).toEqual(['[CLS]', 'hello', 'world', '[SEP]']);
    model.dispose();
    const int8 = await loadTrainedModel(dir, 'question-answering', { int8: true });
    expect(int8.model.namedModules().some(([, m]) => m.constructor.name === 'QuantizedLinear')).toBe(true);
    int8.model.dispose();
    rmSync(join(dir, 'tokenizer.json'));
    await expect(loadTrainedModel(dir, 'question-answering')).rejects.toThrow(/no tokenizer\.json or vocab\.txt/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
