import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tune } from './commands/tune';
import { APP_DATA } from './model_source';
import { resolveTrainConfig } from './train_config';

const work = mkdtempSync(join(tmpdir(), 'attn-classify-tune-'));
const CLI = resolve(APP_DATA, '..', 'dist', 'cli.js');
const small = join(work, 'train.tsv');
const dev = join(work, 'dev.tsv');
{
  const lines = readFileSync(join(APP_DATA, 'sst2-train-4k.tsv'), 'utf8').split('\n');
  writeFileSync(small, lines.slice(0, 97).join('\n') + '\n');
  writeFileSync(dev, readFileSync(join(APP_DATA, 'sst2-dev.tsv'), 'utf8').split('\n').slice(0, 49).join('\n') + '\n');
}
const trainFlags = (out: string) => ({ train: small, dev, out, model: 'bert-tiny', maxLength: '32', backend: 'wasm' });
const base = { trials: 3, sampler: 'tpe', pruner: 'median', parallel: 1, resume: false, seed: 1 };

const spaceFile = (space: unknown) => {
  const p = join(work, `space-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(p, JSON.stringify(space));
  return p;
};

describe('attn-classify tune: a bad space file is one line naming the field, before any trial', () => {
  it.each([
    [{ lr: { type: 'float', low: 1e-3, high: 1e-5, log: true } }, 'lr.high: empty range: high (0.00001) must be greater than low (0.001)'],
    [{ learning_rate: { type: 'float', low: 1e-5, high: 1e-3 } }, 'learning_rate: unknown parameter; expected one of lr, batchSize, epochs'],
    [{ epochs: { type: 'int', low: '1', high: 3 } }, 'epochs.low: expected a finite number, found "1"'],
    [{ warmupRatio: { type: 'float', low: 0, high: 2 } }, 'warmupRatio.high: train refuses 2: must be in [0, 1]; got 2.'],
    [{ freeze: { type: 'categorical', choices: ['none', 'botom:1'] } }, 'freeze.choices[1]: train refuses "botom:1": must be none, embeddings, all-but-head or bottom:<layers>'],
  ])('%j', async (space, message) => {
    const out = join(work, `bad-${Math.random().toString(36).slice(2)}`);
    const path = spaceFile(space);
    const err = await tune({ ...base, trainFlags: trainFlags(out), space: path, cli: CLI }, () => {}).catch((e: Error) => e);
    expect((err as Error).message.startsWith(`${path}: ${message}`)).toBe(true);
    expect((err as Error).message).not.toContain('\n');
    expect(existsSync(join(out, 'study.jsonl'))).toBe(false);
  });
});

// Each trial runs the built CLI (dist/cli.js) in a child process: build the app first (CI builds before testing).
describe.skipIf(!existsSync(CLI))('attn-classify tune on a tiny model', () => {
  it('runs trials in child processes, writes the best config (that train accepts), the best model and charts; --resume adds trials without repeating one', async () => {
    const out = join(work, 'study');
    const lines: string[] = [];
    const space = spaceFile({ lr: { type: 'float', low: 1e-4, high: 3e-3, log: true }, epochs: { type: 'int', low: 1, high: 2 } });
    const r = await tune({ ...base, trainFlags: trainFlags(out), space, cli: CLI }, (s) => void lines.push(s));
    expect(r.study.trials).toHaveLength(3);
    expect(r.study.trials.every((t) => t.state === 'complete' || t.state === 'pruned')).toBe(true);
    const best = r.study.bestTrial!;
    expect(best.value).toBeGreaterThan(0);
    for (const f of ['config.json', 'model.safetensors', 'tokenizer.json']) expect(existsSync(join(out, 'best-model', f))).toBe(true);
    // An HF model config, not the trial's train settings (those are trial_config.json).
    expect(JSON.parse(readFileSync(join(out, 'best-model', 'config.json'), 'utf8')).architectures).toEqual(['BertForSequenceClassification']);
    expect(existsSync(join(out, 'trials', `trial-${best.number}`, 'trial_config.json'))).toBe(true);
    const cfg = resolveTrainConfig({ config: join(out, 'best_config.json') });
    expect(cfg.lr).toBe(best.params.lr);
    expect(cfg.epochs).toBe(best.params.epochs);
    expect(cfg.model).toBe('bert-tiny');
    for (const f of ['history.svg', 'param-lr.svg', 'param-epochs.svg', 'trials.txt']) expect(existsSync(join(out, f))).toBe(true);
    // Only the best trial keeps its weights.
    const kept = r.study.trials.filter((t) => existsSync(join(out, 'trials', `trial-${t.number}`, 'model.safetensors')));
    expect(kept.map((t) => t.number)).toEqual([best.number]);
    expect(lines.some((l) => l.startsWith(`Best: trial ${best.number}, dev accuracy`))).toBe(true);

    await expect(tune({ ...base, trainFlags: trainFlags(out), space, cli: CLI }, () => {})).rejects.toThrow('study.jsonl exists: pass --resume');
    const again = await tune({ ...base, trials: 4, resume: true, trainFlags: trainFlags(out), space, cli: CLI }, () => {});
    expect(again.study.trials).toHaveLength(4);
    expect(again.study.trials.slice(0, 3)).toEqual(r.study.trials);
  });
});
