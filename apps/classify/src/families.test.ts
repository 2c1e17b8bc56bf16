// Any registered encoder family goes through the app: a micro RoBERTa and a micro DistilBERT, as HF saved
// them (fixtures/models), are fine-tuned for a few steps, saved, reloaded and used to predict.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tf } from '@attn/tensor';
import { train } from './commands/train';
import { evaluate } from './commands/evaluate';
import { predict } from './commands/predict';
import { TRAIN_DEFAULTS } from './train_config';
import { APP_DATA } from './model_source';

const MODELS = resolve(__dirname, '../../../fixtures/models');
const dir = mkdtempSync(join(tmpdir(), 'attn-classify-families-'));
const sst = readFileSync(join(APP_DATA, 'sst2-train-4k.tsv'), 'utf8').split('\n');
const trainFile = join(dir, 'train.tsv');
const devFile = join(dir, 'dev.tsv');
writeFileSync(trainFile, sst.slice(0, 33).join('\n') + '\n');
writeFileSync(devFile, [sst[0], ...sst.slice(100, 116)].join('\n') + '\n');
const quiet = () => {};

describe.each([
  ['micro-roberta', 'RobertaForSequenceClassification', 'RobertaTokenizer'],
  ['micro-distilbert', 'DistilBertForSequenceClassification', 'DistilBertTokenizer'],
])('attn-classify with %s', (name, architecture, tokenizerClass) => {
  it('fine-tunes, saves as the same family with its tokenizer, reloads to the same accuracy and predicts without leaks', async () => {
    const out = join(dir, name);
    const result = await train({ ...TRAIN_DEFAULTS, train: trainFile, dev: devFile, model: join(MODELS, name), out, epochs: 1, batchSize: 16, lr: 1e-3, backend: 'wasm' }, quiet);
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect(config.architectures).toEqual([architecture]);
    expect(config.id2label).toEqual({ 0: '0', 1: '1' });
    expect(JSON.parse(readFileSync(join(out, 'tokenizer_config.json'), 'utf8')).tokenizer_class).toBe(tokenizerClass);
    const acc = await evaluate({ model: out, data: devFile, textColumn: 'sentence', labelColumn: 'label', maxLength: 128, backend: 'wasm' }, quiet);
    expect(acc).toBeCloseTo(result.dev!.accuracy, 10);
    await predict({ model: out, texts: ['a great movie'], maxLength: 128, backend: 'wasm' }, quiet);
    const before = tf.memory().numTensors;
    const [r] = await predict({ model: out, texts: ['a great movie', 'a boring film'], maxLength: 128, backend: 'wasm' }, quiet);
    expect(tf.memory().numTensors).toBe(before);
    expect(r!.scores.reduce((s, x) => s + x.score, 0)).toBeCloseTo(1, 5);
  });
});
