import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { LabelMap } from '@attn/data';
import { saveTokenizer } from '@attn/pipelines';
import { oneLineError, runProgram } from '@attn/cli/testing';
import { createProgram } from './program';
import { APP_DATA, loadModelSource } from './model_source';
import { demo } from './commands/demo';

const work = mkdtempSync(join(tmpdir(), 'attn-classify-checks-'));
const model = join(work, 'model');
const missing = join(work, 'no-such-file.tsv');

/** `café crème` as ISO-8859-1 (é = E9, è = E8): invalid as UTF-8. */
const CAFE_LATIN1 = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x63, 0x72, 0xe8, 0x6d, 0x65]);

const cli = (...args: string[]) => runProgram(createProgram, args);
beforeAll(async () => {
  // A classifier from random weights is enough: these tests are about input and flags, not accuracy.
  const source = await loadModelSource('bert-tiny', { labels: LabelMap.fromLabels(['neg', 'pos']), seed: 1 });
  await source.model.savePretrained(model);
  await saveTokenizer(source.tokenizer, model);
  source.model.dispose();
});

describe('attn-classify: a Latin-1 file is an error naming file and line; --encoding latin1 reads it (issue #22 item 4)', () => {
  const texts = join(work, 'texts-latin1.txt');
  const data = join(work, 'train-latin1.tsv');
  writeFileSync(texts, Buffer.concat([Buffer.from('a fine film\n'), CAFE_LATIN1, Buffer.from('\n')]));
  writeFileSync(data, Buffer.concat([Buffer.from('sentence\tlabel\ngood\tpos\n'), CAFE_LATIN1, Buffer.from('\tneg\nbad\tneg\nnice\tpos\n')]));

  it('predict --file', async () => {
    expect(oneLineError(await cli('predict', '--model', model, '--file', texts))).toMatch(new RegExp(`^error: ${texts}:2: not valid UTF-8 \\(byte 0xE9 at byte 4 of the line\\)\\. If the file is Latin-1 .*--encoding latin1`));
    const ok = await cli('predict', '--model', model, '--file', texts, '--encoding', 'latin1', '--json', '--backend', 'wasm');
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout.trim().split('\n').map((l) => JSON.parse(l).text)).toEqual(['a fine film', 'café crème']);
  });

  it('eval --data and train --train', async () => {
    expect(oneLineError(await cli('eval', '--model', model, '--data', data))).toMatch(new RegExp(`^error: ${data}:3: not valid UTF-8`));
    expect(oneLineError(await cli('train', '--train', data, '--model', 'bert-tiny', '--out', join(work, 'never')))).toMatch(new RegExp(`^error: ${data}:3: not valid UTF-8`));
    const ok = await cli('eval', '--model', model, '--data', data, '--encoding', 'latin1', '--backend', 'wasm');
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/accuracy \d\.\d+ on 4 examples/);
    const trained = await cli('train', '--train', data, '--model', 'bert-tiny', '--out', join(work, 'latin1-model'), '--encoding', 'latin1', '--epochs', '1', '--save-strategy', 'no', '--backend', 'wasm');
    expect(trained.code, trained.stderr).toBe(0);
    expect(trained.stdout).toMatch(/4 training examples, labels neg, pos/);
    expect(oneLineError(await cli('predict', '--model', model, '--encoding', 'cp1252', 'x'))).toBe('error: --encoding must be utf8 or latin1; got "cp1252".\n');
    const config = join(work, 'config-latin1.json');
    writeFileSync(config, Buffer.concat([Buffer.from('{\n  "textColumn": "'), CAFE_LATIN1, Buffer.from('"\n}\n')]));
    expect(oneLineError(await cli('train', '--config', config, '--train', data, '--out', join(work, 'never')))).toMatch(new RegExp(`^error: --config ${config}:2: not valid UTF-8 \\(byte 0xE9`));
  });
});

describe('attn-classify predict: empty or whitespace-only input is an error, never a label (item 7)', () => {
  it('arguments and files', async () => {
    expect(oneLineError(await cli('predict', '--model', model, ''))).toBe('error: text argument 1 is empty; there is nothing to label.\n');
    expect(oneLineError(await cli('predict', '--model', model, 'a fine film', '   '))).toBe('error: text argument 2 of 2 is only whitespace; there is nothing to label.\n');
    const blank = join(work, 'blank.txt');
    writeFileSync(blank, '\n \n\t\n');
    expect(oneLineError(await cli('predict', '--model', model, '--file', blank))).toBe(`error: --file ${blank}: no text to label (every line is empty or whitespace).\n`);
  });
});

describe("attn-classify --max-length above the model's positions is refused at start-up (item 8)", () => {
  const expected = (m: string) => `error: --max-length 1024 is more than ${m} can take (max_position_embeddings 512); pass --max-length 512 or less.\n`;

  it('train (before any data is read), eval, predict and serve', async () => {
    expect(oneLineError(await cli('train', '--train', missing, '--model', 'bert-tiny', '--out', join(work, 'never'), '--max-length', '1024'))).toBe(expected('bert-tiny'));
    expect(oneLineError(await cli('eval', '--model', model, '--data', missing, '--max-length', '1024'))).toBe(expected(model));
    expect(oneLineError(await cli('predict', '--model', model, '--max-length', '1024', 'a long text'))).toBe(expected(model));
    expect(oneLineError(await cli('serve', '--model', model, '--port', '0', '--max-length', '1024'))).toBe(expected(model));
  });

  it('serve at --max-length 512 answers a text far longer than 512 tokens with a label (truncated), not a 500', async () => {
    let stdout = '';
    let stderr = '';
    const listening = new Promise<string>((resolve) => {
      vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
        stdout += String(s);
        const m = /at (http:\/\/\S+) /.exec(stdout);
        if (m) resolve(m[1]!);
        return true;
      });
    });
    const se = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const run = createProgram((p) => p.exitOverride()).parseAsync(['node', 'attn-classify', 'serve', '--model', model, '--port', '0', '--max-length', '512', '--backend', 'wasm']);
      const url = await Promise.race([listening, run.then(() => Promise.reject(new Error(`serve exited: ${stderr}`)))]);
      const long = Array.from({ length: 900 }, (_, i) => `word${i}`).join(' ');
      const res = await fetch(`${url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: long }) });
      expect(res.status).toBe(200);
      expect(['neg', 'pos']).toContain(((await res.json()) as { label: string }).label);
      process.emit('SIGTERM', 'SIGTERM');
      await run;
    } finally {
      vi.restoreAllMocks();
      se.mockRestore();
      warn.mockRestore();
    }
    expect(process.exitCode ?? 0).toBe(0);
  });
});

describe('attn-classify start-up errors name the flag as typed, before data or model load (item 9)', () => {
  it('train --lr -1 and --max-length 0, with a training file that does not exist', async () => {
    expect(oneLineError(await cli('train', '--train', missing, '--model', 'bert-tiny', '--out', join(work, 'never'), '--lr', '-1'))).toBe('error: --lr must be a number >= 0; got "-1".\n');
    expect(oneLineError(await cli('train', '--train', missing, '--model', 'bert-tiny', '--out', join(work, 'never'), '--max-length', '0'))).toBe('error: --max-length must be an integer >= 8; got "0".\n');
  });

  it('predict and eval --max-length 0 name --max-length', async () => {
    expect(oneLineError(await cli('predict', '--model', model, '--max-length', '0', 'x'))).toBe('error: --max-length must be an integer >= 8; got "0".\n');
    expect(oneLineError(await cli('eval', '--model', model, '--data', missing, '--max-length', '0'))).toBe('error: --max-length must be an integer >= 8; got "0".\n');
  });

  it('serve --host 999.1.1.1 and --port abc', async () => {
    expect(oneLineError(await cli('serve', '--model', model, '--host', '999.1.1.1'))).toMatch(/^error: --host "999\.1\.1\.1" is not a valid IP address; pass an IP address such as 127\.0\.0\.1/);
    expect(oneLineError(await cli('serve', '--model', model, '--port', 'abc'))).toBe('error: --port must be an integer in [0, 65535]; got "abc".\n');
  });

  it('--backend tensorflow says it is not installed here and how to get it', async () => {
    const r = oneLineError(await cli('predict', '--model', model, '--backend', 'tensorflow', 'x'));
    expect(r).toMatch(/^error: --backend tensorflow: it needs @tensorflow\/tfjs-node .*not installed here: run `npm install @tensorflow\/tfjs-node`.*Or pass --backend wasm or --backend cpu\.\n$/);
    expect(r).not.toMatch(/Available here/);
    expect(oneLineError(await cli('train', '--train', missing, '--model', 'bert-tiny', '--out', join(work, 'never'), '--backend', 'tensorflow'))).toMatch(/^error: --backend tensorflow: it needs/);
  });
});

describe("the demo's closing hint is a command that runs from a clone (item 15)", () => {
  it('names the built script by its path from here, not attn-classify (which is not on PATH)', async () => {
    const lines: string[] = [];
    const out = join(work, 'demo');
    // A sliver of an epoch: the hint, not the accuracy, is under test.
    await demo({ out, epochs: 0.01, backend: 'wasm' }, (s) => void lines.push(s));
    const hint = lines.at(-1)!;
    const m = /^\nNext: node (\S+) predict --model (\S+) "your sentence" {3}\| {3}node (\S+) eval --model (\S+) --data file\.tsv$/.exec(hint);
    expect(m, hint).not.toBeNull();
    expect(resolve(process.cwd(), m![1]!)).toBe(resolve(APP_DATA, '..', 'dist', 'cli.js'));
    expect(m![3]).toBe(m![1]);
    expect([m![2], m![4]]).toEqual([out, out]);
    // The printed predict command, run (in-process) with the model it names, labels the sentence.
    const r = await cli('predict', '--model', m![2]!, 'your sentence', '--backend', 'wasm');
    expect(r.code, r.stderr).toBe(0);
    // SST-2's ids named (--label-names negative,positive): predictions say negative / positive, not 0 / 1.
    expect(r.stdout).toMatch(/^(negative|positive) +\d\.\d{3} {2}your sentence\n$/);
    expect(lines.filter((l) => /^(negative|positive) +\d\.\d{3} {2}a (gripping|dull)/.test(l))).toHaveLength(2);
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).id2label).toEqual({ 0: 'negative', 1: 'positive' });
  });
});

describe('label names for a file of label ids (GLUE TSVs hold 0 / 1)', () => {
  it('eval reads ids as the model\'s id2label names; an id outside them names the line', async () => {
    const ids = join(work, 'ids.tsv');
    writeFileSync(ids, 'sentence\tlabel\ngood\t1\nbad\t0\nfine\tpos\n');
    const r = await cli('eval', '--model', model, '--data', ids, '--backend', 'wasm');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/neg +[\d.]+ +[\d.]+ +[\d.]+ +1\n +pos +[\d.]+ +[\d.]+ +[\d.]+ +2\n/);
    writeFileSync(ids, 'sentence\tlabel\ngood\t1\nbad\t2\n');
    expect(oneLineError(await cli('eval', '--model', model, '--data', ids))).toMatch(new RegExp(`^error: ${ids}:3 .*unknown label "2"`));
  });

  it('train --label-names must name two or more distinct labels', async () => {
    expect(oneLineError(await cli('train', '--train', missing, '--model', 'bert-tiny', '--out', join(work, 'never'), '--label-names', 'negative,negative'))).toBe(
      'error: --label-names must be two or more distinct names for the labels 0, 1, ... (e.g. negative,positive); got "negative,negative".\n',
    );
  });
});
