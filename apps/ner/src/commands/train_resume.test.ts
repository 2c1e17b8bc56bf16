import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@attn/tensor';
import { trainNer, type NerTrainFlags } from './train';
import { optionDefaults, runInterruptedAtFirstCheckpoint } from '@attn/cli/testing';
import { createProgram } from '../program';

const CONLL = join(resolve(__dirname, '../../../../fixtures'), 'data', 'conll2003-valid-50.txt');
const work = mkdtempSync(join(tmpdir(), 'attn-ner-resume-'));
const flags = (out: string) => ({
  ...optionDefaults(createProgram, 'train'),
  train: CONLL, dev: CONLL, model: 'bert-tiny', out, batchSize: '8', epochs: '4', dropout: '0.1', patience: '2', seed: '1', maxLength: '64', loggingSteps: '2', quiet: true,
}) as NerTrainFlags;
const losses = (out: string) => readFileSync(join(out, 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((e) => 'loss' in e || 'eval_f1' in e).map((e) => Object.fromEntries(Object.entries(e).filter(([k]) => k !== 'time' && !/runtime|per_second/.test(k))));

beforeAll(() => initBackend({ backend: 'wasm' }));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('attn-ner train: Ctrl-C writes a checkpoint, --resume continues bit-identically', () => {
  it('a run sent SIGINT after its first checkpoint exits 130 and, resumed, ends exactly as an uninterrupted run', async () => {
    const straight = join(work, 'straight');
    const whole = await trainNer(flags(straight));
    expect(readdirSync(straight).filter((n) => n.startsWith('checkpoint-'))).toHaveLength(4); // --save-strategy epoch by default

    const cut = join(work, 'cut');
    const { code, stderr } = await runInterruptedAtFirstCheckpoint(cut, 'SIGINT', () => trainNer(flags(cut)));
    expect(code).toBe(130);
    const checkpoint = /written to (\S+checkpoint-\d+)/.exec(stderr)?.[1];
    expect(checkpoint, stderr).toBeDefined();
    expect(stderr).toMatch(new RegExp(`resume with: node \\S+ .*--resume ${checkpoint!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    expect(readdirSync(cut)).not.toContain('model.safetensors');

    const resumed = await trainNer({ ...flags(cut), resume: true });
    expect(resumed.f1).toBe(whole.f1);
    expect(readFileSync(join(cut, 'model.safetensors')).equals(readFileSync(join(straight, 'model.safetensors')))).toBe(true);
    expect(losses(cut)).toEqual(losses(straight));
  });

  it('--resume without a checkpoint and a bad --save-strategy are one-line errors before any loading', async () => {
    await expect(trainNer({ ...flags(join(work, 'none')), resume: true })).rejects.toThrow(/^--resume: \S+none holds no checkpoint-<step> directory/);
    await expect(trainNer({ ...flags(join(work, 'x')), saveStrategy: 'often' })).rejects.toThrow('--save-strategy must be epoch, steps or no; got "often".');
  });
});
