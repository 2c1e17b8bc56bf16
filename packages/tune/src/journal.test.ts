import { describe, expect, it } from 'vitest';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Journal, JournalError } from './journal';

describe('Journal', () => {
  const dir = mkdtempSync(join(tmpdir(), 'attn-journal-'));

  it('appends one JSON event per line and reads them back', () => {
    const j = new Journal(join(dir, 'a.jsonl'));
    j.append({ op: 'ask', trial: 0, params: { x: 1 }, time: 1 });
    j.append({ op: 'report', trial: 0, step: 1, value: 0.5 });
    expect(j.read()).toEqual([{ op: 'ask', trial: 0, params: { x: 1 }, time: 1 }, { op: 'report', trial: 0, step: 1, value: 0.5 }]);
  });

  it('creates the folder of a journal path that does not exist yet', () => {
    const j = new Journal(join(dir, 'runs', 'study-1', 'study.jsonl'));
    j.append({ op: 'ask', trial: 0, params: {}, time: 1 });
    expect(j.read()).toHaveLength(1);
  });

  it('drops a last line cut short by a kill and cuts it from the file', () => {
    const path = join(dir, 'b.jsonl');
    const j = new Journal(path);
    j.append({ op: 'ask', trial: 0, params: {}, time: 1 });
    appendFileSync(path, '{"op":"report","tri');
    expect(j.read()).toHaveLength(1);
    j.append({ op: 'report', trial: 0, step: 1, value: 2 });
    expect(readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).op)).toEqual(['ask', 'report']);
  });

  it('refuses a damaged line in the middle, naming the file and line', () => {
    const path = join(dir, 'c.jsonl');
    writeFileSync(path, '{"op":"ask","trial":0,"params":{},"time":1}\nnot json\n{"op":"ask","trial":1,"params":{},"time":1}\n');
    expect(() => new Journal(path).read()).toThrow(JournalError);
    expect(() => new Journal(path).read()).toThrow(`${path}:2: not a JSON event`);
  });
});
