import { mkdtempSync, writeFileSync, readFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, beforeAll, vi } from 'vitest';
import { tf } from '@attn/tensor';
import { auditDurableWrites, type DurabilityReport } from '@attn/tensor/testing';
import { train } from './commands/train';
import { evaluate } from './commands/evaluate';
import { predict } from './commands/predict';
import { TRAIN_DEFAULTS } from './train_config';
import { parseTrainArgs } from './train_args';
import { runCommand } from './cli_error';
import { APP_DATA } from './model_source';
import { runInterruptedAtFirstCheckpoint } from '@attn/cli/testing';

const dir = mkdtempSync(join(tmpdir(), 'attn-classify-test-'));
const sst = readFileSync(join(APP_DATA, 'sst2-train-4k.tsv'), 'utf8').split('\n');
const trainFile = join(dir, 'train.tsv');
const devFile = join(dir, 'dev.tsv');
writeFileSync(trainFile, sst.slice(0, 49).join('\n') + '\n');
writeFileSync(devFile, [sst[0], ...sst.slice(100, 124)].join('\n') + '\n');
const out = join(dir, 'model');
const quiet = () => {};

async function oneLineError(fn: () => Promise<void>): Promise<string> {
  const writes: string[] = [];
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => (writes.push(String(s)), true));
  try {
    await runCommand(fn);
  } finally {
    spy.mockRestore();
  }
  process.exitCode = 0;
  expect(writes).toHaveLength(1);
  expect(writes[0]!.split('\n').filter(Boolean)).toHaveLength(1);
  return writes[0]!;
}

describe('attn-classify end to end', () => {
  let devAccuracy = 0;
  let trainAudit: DurabilityReport;
  beforeAll(async () => {
    trainAudit = await auditDurableWrites(out, async () => {
      const result = await train(
        { ...TRAIN_DEFAULTS, train: trainFile, dev: devFile, model: 'bert-tiny', out, epochs: 1, batchSize: 16, backend: 'wasm' },
        quiet,
      );
      devAccuracy = result.dev!.accuracy;
    });
  });

  it('every file it saves is durable (flushed, renamed, directory flushed) but the appended log.jsonl', () => {
    expect(trainAudit.files).toEqual(expect.arrayContaining(['config.json', 'model.safetensors', 'train_config.json', 'curves.svg', 'confusion_matrix_dev.svg']));
    expect(trainAudit.notDurable).toEqual(['log.jsonl: content never flushed (fsync) before it was put in place']);
  });

  it('saves an HF-format directory with labels, weights, tokenizer, log and pictures', () => {
    for (const f of ['config.json', 'model.safetensors', 'tokenizer.json', 'log.jsonl', 'curves.svg', 'confusion_matrix_dev.svg']) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect(config.id2label).toEqual({ 0: '0', 1: '1' });
    expect(config.architectures).toEqual(['BertForSequenceClassification']);
  });

  it('eval on the saved model reproduces the accuracy measured after training', async () => {
    const acc = await evaluate({ model: out, data: devFile, textColumn: 'sentence', labelColumn: 'label', maxLength: 128, backend: 'wasm' }, quiet);
    expect(acc).toBeCloseTo(devAccuracy, 10);
  });

  it('predict gives probabilities that sum to one, the same on every load, without leaking tensors', async () => {
    const texts = ['a great movie', 'a boring film'];
    const first = await predict({ model: out, texts, maxLength: 128, backend: 'wasm' }, quiet);
    const before = tf.memory().numTensors;
    const second = await predict({ model: out, texts, maxLength: 128, backend: 'wasm' }, quiet);
    expect(tf.memory().numTensors).toBe(before);
    for (const r of first) expect(r.scores.reduce((s, x) => s + x.score, 0)).toBeCloseTo(1, 5);
    expect(second.map((r) => r.scores.map((s) => s.score))).toEqual(first.map((r) => r.scores.map((s) => s.score)));
  });

  it('--int8: eval and predict quantize the model (accuracy within a few points here, scores near float), no leak', async () => {
    const acc = await evaluate({ model: out, data: devFile, textColumn: 'sentence', labelColumn: 'label', maxLength: 128, backend: 'wasm', int8: true }, quiet);
    expect(Math.abs(acc - devAccuracy)).toBeLessThan(0.05);
    const texts = ['a great movie', 'a boring film'];
    const float = await predict({ model: out, texts, maxLength: 128, backend: 'wasm' }, quiet);
    const before = tf.memory().numTensors;
    const int8 = await predict({ model: out, texts, maxLength: 128, backend: 'wasm', int8: true }, quiet);
    expect(tf.memory().numTensors).toBe(before);
    int8.forEach((r, i) => {
      const diff = Math.max(...r.scores.map((s, j) => Math.abs(s.score - float[i]!.scores[j]!.score)));
      expect(diff).toBeGreaterThan(0); // it really ran in int8
      expect(diff).toBeLessThan(0.02);
    });
  });

  it('bad input gives one-line actionable errors', async () => {
    const unknown = join(dir, 'unknown.tsv');
    writeFileSync(unknown, 'sentence\tlabel\nfine \t7\n');
    expect(await oneLineError(async () => void await evaluate({ model: out, data: unknown, textColumn: 'sentence', labelColumn: 'label', maxLength: 128 }, quiet))).toMatch(/unknown\.tsv.*7/);

    const empty = join(dir, 'empty.tsv');
    writeFileSync(empty, 'sentence\tlabel\n');
    expect(await oneLineError(() => parseTrainArgs(['--train', empty, '--model', 'bert-tiny', '--out', join(dir, 'x')]).then((c) => train(c, quiet)).then(() => {}))).toMatch(/empty\.tsv.*(no examples|empty dataset)/);

    const noColumn = join(dir, 'nocol.tsv');
    writeFileSync(noColumn, 'text\tlabel\nfine \t1\n');
    expect(await oneLineError(() => parseTrainArgs(['--train', noColumn, '--model', 'bert-tiny', '--out', join(dir, 'x')]).then((c) => train(c, quiet)).then(() => {}))).toMatch(/sentence/);

    const noWeights = join(dir, 'noweights');
    mkdirSync(noWeights);
    writeFileSync(join(noWeights, 'config.json'), readFileSync(join(out, 'config.json')));
    expect(await oneLineError(() => predict({ model: noWeights, texts: ['x'], maxLength: 128 }, quiet).then(() => {}))).toMatch(/no model\.safetensors/);

    expect(await oneLineError(async () => void (await parseTrainArgs(['--train', trainFile, '--model', 'bert-tiny', '--out', out, '--optimizer', 'adam'])))).toMatch(/adamw or sgd/);
  });
});

describe('attn-classify train: Ctrl-C and --resume', () => {
  it('SIGINT after the first checkpoint exits 130 with the resume command; resumed, the run ends exactly as an uninterrupted one', async () => {
    const cfg = (o: string) => parseTrainArgs(['--train', trainFile, '--dev', devFile, '--model', 'bert-tiny', '--out', o, '--epochs', '3', '--batch-size', '16', '--backend', 'wasm']);
    const straight = join(dir, 'straight');
    const whole = await train(await cfg(straight), quiet);
    const cut = join(dir, 'cut');
    const { code, stderr } = await runInterruptedAtFirstCheckpoint(cut, 'SIGINT', async () => train(await cfg(cut), quiet));
    expect(code).toBe(130);
    expect(stderr).toMatch(/resumable checkpoint written to \S+checkpoint-\d+\nresume with: node .*--resume \S+checkpoint-\d+\n/);
    const resumed = await train({ ...(await cfg(cut)), resume: true }, quiet);
    expect(resumed.dev).toEqual(whole.dev);
    expect(readFileSync(join(cut, 'model.safetensors')).equals(readFileSync(join(straight, 'model.safetensors')))).toBe(true);
  });
});

describe('attn-classify refuses a model trained for another task', () => {
  it('predict and eval name what the model is', async () => {
    const ner = join(dir, 'ner-model');
    mkdirSync(ner);
    writeFileSync(join(ner, 'config.json'), JSON.stringify({ architectures: ['BertForTokenClassification'], model_type: 'bert' }));
    writeFileSync(join(ner, 'model.safetensors'), '');
    const expected = `error: --model ${ner} is a token-classification model (BertForTokenClassification); classify needs a sequence-classification model.\n`;
    expect(await oneLineError(() => predict({ model: ner, texts: ['a fine film'], maxLength: 128 }, quiet).then(() => {}))).toBe(expected);
    expect(await oneLineError(() => evaluate({ model: ner, data: devFile, textColumn: 'sentence', labelColumn: 'label', maxLength: 128 }, quiet).then(() => {}))).toBe(expected);
  });
});
