import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@attn/tensor';
import { optionDefault, trainingLosses } from '@attn/cli/testing';
import { createProgram } from '../src/program';

// Chosen by measurement (docs/default-learning-rates.md): 1,000 CoNLL-2003 sentences, 3 epochs,
// from models/attn-bert-tiny-cased. The old 5e-5 left dev F1 near 0.
const MEASURED_DEFAULT_LR = '2e-3';
const CONLL = resolve(__dirname, '../../../fixtures/data/conll2003-valid-50.txt');

beforeAll(() => initBackend({ backend: 'wasm' }));

describe('ner train defaults suit the default model', () => {
  it(`--lr defaults to the measured ${MEASURED_DEFAULT_LR}`, () => {
    expect(optionDefault(createProgram, 'train', '--lr')).toBe(MEASURED_DEFAULT_LR);
  });

  it('a run with every default (model, lr, batch, epochs) learns on 50 sentences', async () => {
    const l = await trainingLosses(createProgram, ['--train', CONLL]);
    // 50 sentences, batch 32, 3 epochs: 6 updates, the first at warm-up's 0. The mean of the last two
    // losses against the first: 0.94 at the old 5e-5, 0.67 at 1e-3, 0.50 at 2e-3.
    expect(l).toHaveLength(6);
    expect((l[4] + l[5]) / 2).toBeLessThan(0.8 * l[0]);
  });
});
