import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@attn/tensor';
import { trainQa, type QaTrainFlags } from './train';
import { optionDefaults, runInterruptedAtFirstCheckpoint } from '@attn/cli/testing';
import { createProgram } from '../program';

const FIXTURES = resolve(__dirname, '../../../../fixtures');
const work = mkdtempSync(join(tmpdir(), 'attn-qa-resume-'));
const flags = (out: string) => ({
  ...optionDefaults(createProgram, 'train'),
  train: join(FIXTURES, 'data', 'squad-v1.1-2articles.json'), devSplitArticles: '1', model: 'bert-tiny',
  tokenizer: join(FIXTURES, 'tokenizers', 'bert-base-uncased', 'tokenizer.json'), out, batchSize: '8', epochs: '3', dropout: '0.1',
  patience: '0', seed: '1', maxLength: '64', stride: '16', limit: '16', devLimit: '8', loggingSteps: '2', quiet: true,
}) as QaTrainFlags;

beforeAll(() => initBackend({ backend: 'wasm' }));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('attn-qa train: SIGTERM writes a checkpoint, --resume continues bit-identically', () => {
  it('a run sent SIGTERM after its first checkpoint exits 143; resumed, it ends exactly as an uninterrupted run', async () => {
    const straight = join(work, 'straight');
    const whole = await trainQa(flags(straight));

    const cut = join(work, 'cut');
    const { code, stderr } = await runInterruptedAtFirstCheckpoint(cut, 'SIGTERM', () => trainQa(flags(cut)));
    expect(code).toBe(143);
    expect(stderr).toMatch(/interrupted by SIGTERM after update \d+; resumable checkpoint written to \S+checkpoint-\d+\nresume with: node .*--resume \S+checkpoint-\d+\n/);

    const resumed = await trainQa({ ...flags(cut), resume: true });
    expect(resumed).toEqual({ ...whole, out: cut });
    expect(readFileSync(join(cut, 'model.safetensors')).equals(readFileSync(join(straight, 'model.safetensors')))).toBe(true);
    const epochs = (out: string) => JSON.parse(readFileSync(join(out, 'train_results.json'), 'utf8')).epochs;
    expect(epochs(cut)).toEqual(epochs(straight));
  });
});
