import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createProgram } from './program';

const FIXTURES = resolve(__dirname, '../../../fixtures');
const work = mkdtempSync(join(tmpdir(), 'attn-qa-checks-'));

/** Runs `attn-qa ...args`: what it wrote to stdout / stderr and the exit code it set. */
async function cli(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  let stdout = '';
  let stderr = '';
  const so = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  const se = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  process.exitCode = 0;
  try {
    await createProgram((p) => p.exitOverride().configureOutput({ writeErr: (s) => (stderr += s), writeOut: (s) => (stdout += s) })).parseAsync(['node', 'attn-qa', ...args]);
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

describe('attn-qa refuses a model trained for another task', () => {
  it('predict, eval and serve name what the model is', async () => {
    const ner = modelDir('BertForTokenClassification');
    const expected = `error: --model ${ner} is a token-classification model (BertForTokenClassification); qa needs a question-answering model.\n`;
    expect(oneLine(await cli('predict', '--model', ner, '--question', 'Who?', '--context', 'Ann did.'))).toBe(expected);
    expect(oneLine(await cli('eval', '--model', ner, '--data', join(FIXTURES, 'data', 'squad-v1.1-2articles.json')))).toBe(expected);
    expect(oneLine(await cli('serve', '--model', modelDir('BertForSequenceClassification'), '--port', '0'))).toMatch(/is a sequence-classification model \(BertForSequenceClassification\); qa needs a question-answering model/);
  });
});
