import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createProgram } from './program';

const FIXTURES = resolve(__dirname, '../../../fixtures');
const work = mkdtempSync(join(tmpdir(), 'attn-ner-checks-'));

/** Runs `attn-ner ...args`: what it wrote to stdout / stderr and the exit code it set. */
async function cli(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  let stdout = '';
  let stderr = '';
  const so = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  const se = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  process.exitCode = 0;
  try {
    await createProgram((p) => p.exitOverride().configureOutput({ writeErr: (s) => (stderr += s), writeOut: (s) => (stdout += s) })).parseAsync(['node', 'attn-ner', ...args]);
  } catch (e) {
    if ((e as { code?: string }).code?.startsWith('commander.')) process.exitCode = (e as { exitCode?: number }).exitCode ?? 1;
    else throw e;
  } finally {
    so.mockRestore();
    se.mockRestore();
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { stdout, stderr, code };
}

/** A model directory whose config.json names `architecture` (the check runs before any weights are read). */
function modelDir(architecture: string): string {
  const dir = join(work, architecture);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ architectures: [architecture], model_type: 'bert' }));
  writeFileSync(join(dir, 'model.safetensors'), '');
  return dir;
}

function oneLine(r: { stderr: string; code: number }): string {
  expect(r.code).toBe(1);
  expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
  return r.stderr;
}

describe('attn-ner refuses a model trained for another task', () => {
  it('predict, eval and serve name what the model is', async () => {
    const sentiment = modelDir('BertForSequenceClassification');
    const expected = `error: --model ${sentiment} is a sequence-classification model (BertForSequenceClassification); ner needs a token-classification model.\n`;
    expect(oneLine(await cli('predict', '--model', sentiment, 'Obama visited Paris'))).toBe(expected);
    expect(oneLine(await cli('eval', '--model', sentiment, '--data', join(FIXTURES, 'data', 'conll2003-valid-50.txt')))).toBe(expected);
    expect(oneLine(await cli('serve', '--model', modelDir('RobertaForQuestionAnswering'), '--port', '0'))).toMatch(/is a question-answering model \(RobertaForQuestionAnswering\); ner needs a token-classification model/);
  });
});
