import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditDurableWrites } from '@attn/tensor/testing';
import { MlmCollator } from '@attn/data';
import { CliError } from '@attn/cli';
import { COLLATOR_STATE_FILE, loadCollatorState, saveCollatorState } from './collator_state';

const root = mkdtempSync(join(tmpdir(), 'attn-collator-state-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const collator = (seed = 7) => new MlmCollator({ maskTokenId: 4, padTokenId: 0, vocabSize: 50, seed });
let n = 0;
const checkpoint = () => {
  const dir = join(root, `checkpoint-${++n}`);
  mkdirSync(dir);
  return dir;
};

describe('MLM collator state in a checkpoint', () => {
  it('is saved durably (flushed, renamed, directory flushed) and restores the same stream of masks', async () => {
    const dir = checkpoint();
    const a = collator();
    a.collate([{ inputIds: [2, 10, 11, 12, 3] }]); // move the stream off its seed
    const report = await auditDurableWrites(dir, async () => saveCollatorState(dir, a));
    expect(report).toEqual({ files: [COLLATOR_STATE_FILE], notDurable: [] });
    const b = collator(99);
    expect(loadCollatorState(dir, b)).toBe(true);
    expect(b.getState()).toEqual(a.getState());
  });

  it('a missing file is not an error (the caller says the masks start fresh)', () => {
    expect(loadCollatorState(checkpoint(), collator())).toBe(false);
  });

  it('a torn or wrong file is a one-line CliError naming the file and what is wrong', () => {
    const cases: Array<[string, RegExp]> = [
      ['[12, 34', /: not JSON \(/],
      ['', /: not JSON \(/],
      ['{"state": [1, 2, 3, 4]}', /the collator state is object, not an array/],
      ['[1, 2, 3]', /the collator state has 3 words/],
      ['[1, 2, -3, 4]', /the collator state word \[2\] is -3/],
      ['[1, 2, 3, 4294967296]', /word \[3\] is 4294967296/],
      ['[1, "2", 3, 4]', /word \[1\] is "2"/],
      ['[0, 0, 0, 0]', /is all zeros/],
    ];
    for (const [text, message] of cases) {
      const dir = checkpoint();
      const file = join(dir, COLLATOR_STATE_FILE);
      writeFileSync(file, text);
      const c = collator();
      const before = c.getState();
      let error: unknown;
      try {
        loadCollatorState(dir, c);
      } catch (e) {
        error = e;
      }
      expect(error, text).toBeInstanceOf(CliError);
      const msg = (error as Error).message;
      expect(msg, text).toMatch(message);
      expect(msg.startsWith(`${file}: `), text).toBe(true);
      expect(msg, text).not.toContain('\n');
      expect(c.getState(), text).toEqual(before); // nothing half-applied
      expect(readFileSync(file, 'utf8')).toBe(text);
    }
  });
});
