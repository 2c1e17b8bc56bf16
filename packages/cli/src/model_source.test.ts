import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { initBackend, tf } from '@attn/tensor';
import { LabelMap } from '@attn/data';
import { BertForSequenceClassification, BertForTokenClassification, type BertConfig } from '@attn/models';
import { modelPresets, isPreset, loadModelSource, readTokenizer } from './model_source';
import { CliError } from './cli_error';

const FIXTURES = resolve(__dirname, '../../../fixtures');
const CASED = join(FIXTURES, 'tokenizers', 'bert-base-cased', 'vocab.txt');
const UNCASED = join(FIXTURES, 'tokenizers', 'bert-base-uncased', 'vocab.txt');
const SEQCLS = join(FIXTURES, 'reference', 'checkpoints', 'micro-seqcls');
// micro-seqcls has vocab_size 1024: its tokenizer is the first 1,024 entries of the uncased vocabulary.
const MICRO_VOCAB = join(mkdtempSync(join(tmpdir(), 'attn-cli-vocab-')), 'vocab.txt');
writeFileSync(MICRO_VOCAB, readFileSync(UNCASED, 'utf8').split('\n').slice(0, 1024).join('\n') + '\n');

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('isPreset', () => {
  it('knows the five BERT sizes and nothing else', () => {
    expect(modelPresets()).toEqual(expect.arrayContaining(['bert-tiny', 'bert-mini', 'bert-small', 'bert-medium', 'bert-base']));
    expect(modelPresets().every(isPreset)).toBe(true);
    expect(isPreset('bert-huge')).toBe(false);
  });
});

describe('readTokenizer', () => {
  it('lower-cases only when asked', async () => {
    expect((await readTokenizer(CASED, false)).encode('Paris').tokens).toEqual(['[CLS]', 'Paris', '[SEP]']);
    expect((await readTokenizer(UNCASED, true)).encode('Paris').tokens).toEqual(['[CLS]', 'paris', '[SEP]']);
  });

  it('names a missing --tokenizer file, or leaves it to the tokenizer error when asked', async () => {
    await expect(readTokenizer('/no/vocab.txt', true)).rejects.toThrow(new CliError('--tokenizer /no/vocab.txt: no such file; pass a vocab.txt or tokenizer.json.'));
    await expect(readTokenizer('/no/vocab.txt', true, false)).rejects.toMatchObject({ name: 'TokenizerError' });
  });
});

describe('loadModelSource', () => {
  const labels = LabelMap.fromLabels(['O', 'B-PER', 'I-PER']);
  const disposeAfter: Array<{ dispose(): void }> = [];
  afterAll(() => disposeAfter.forEach((m) => m.dispose()));

  it('builds a preset for the task with the tokenizer vocabulary, labels and dropout', async () => {
    const before = tf.memory().numTensors;
    const { model, tokenizer, from } = await loadModelSource('bert-tiny', { task: 'token-classification', labels, defaultTokenizer: CASED, lowercase: false, dropout: 0.2, seed: 1 });
    expect(model).toBeInstanceOf(BertForTokenClassification);
    expect(model.config.vocabSize).toBe(tokenizer.getVocabSize(true));
    expect(model.config.numLabels).toBe(3);
    expect((model.config as BertConfig).hiddenDropoutProb).toBe(0.2);
    expect(from).toBe(`bert-tiny (random init, tokenizer ${CASED})`);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('loads a directory, re-initialising a head of another size unless told not to', async () => {
    const two = LabelMap.fromLabels(['neg', 'pos']);
    const note = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const { model, from } = await loadModelSource(SEQCLS, { task: 'sequence-classification', labels: two, tokenizer: MICRO_VOCAB, defaultTokenizer: UNCASED, lowercase: true, dropout: 0.3, seed: 1 });
      disposeAfter.push(model);
      expect(model).toBeInstanceOf(BertForSequenceClassification);
      expect(model.config.numLabels).toBe(2);
      expect(from).toBe(SEQCLS);
      expect(String(note.mock.calls.at(-1)?.[0])).toMatch(/^note: --dropout applies to models started from a preset/);
      await expect(
        loadModelSource(SEQCLS, { task: 'sequence-classification', labels: two, tokenizer: MICRO_VOCAB, defaultTokenizer: UNCASED, lowercase: true, seed: 1, ignoreMismatchedSizes: false }),
      ).rejects.toMatchObject({ name: 'CheckpointShapeError' });
    } finally {
      note.mockRestore();
      warn.mockRestore();
    }
  });

  it('refuses a --tokenizer with more tokens than the model directory\'s vocabulary', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await expect(
        loadModelSource(SEQCLS, { task: 'sequence-classification', labels: LabelMap.fromLabels(['neg', 'pos']), tokenizer: UNCASED, defaultTokenizer: UNCASED, lowercase: true, seed: 1 }),
      ).rejects.toThrow(new CliError(`--tokenizer ${UNCASED} has 30522 tokens but ${SEQCLS}/config.json has vocab_size 1024; drop --tokenizer to use the model's own tokenizer, or pass a preset (bert-tiny, ...) to start from random weights with this tokenizer.`));
    } finally {
      warn.mockRestore();
    }
  });

  it('says a name is neither a preset nor a model directory', async () => {
    await expect(loadModelSource('/no/such/model', { task: 'question-answering', defaultTokenizer: UNCASED, lowercase: true, seed: 1 })).rejects.toThrow(
      new CliError(`--model /no/such/model: not a preset (${modelPresets().join(', ')}) and has no config.json; pass an HF-format model directory.`),
    );
  });
});
