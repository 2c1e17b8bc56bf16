import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { addConfigOption, readConfigFile } from './config_file';

const work = mkdtempSync(join(tmpdir(), 'attn-cli-config-'));
const file = (name: string, text: string | Buffer) => {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
};

/** A `train` command with a required flag, a defaulted one, a switch and an optional-value flag. */
function parse(args: string[]): Record<string, unknown> {
  let got: Record<string, unknown> = {};
  const program = new Command().exitOverride().configureOutput({ writeErr: () => {} });
  const train = program
    .command('train')
    .requiredOption('--train <file>', 'data')
    .option('--batch-size <n>', 'batch', '32')
    .option('--lr <n>', 'learning rate', '5e-5')
    .option('--quiet', 'no output')
    .option('--resume [dir]', 'resume');
  addConfigOption(train).action((o: Record<string, unknown>) => {
    got = o;
  });
  program.parse(['node', 'x', 'train', ...args]);
  return got;
}

describe('--config', () => {
  it('sets flags from the file as the command line would (numbers as text); typed flags win, before or after it', () => {
    const cfg = file('a.json', JSON.stringify({ train: 't.txt', batchSize: 8, lr: '1e-3', quiet: true, resume: 'ckpt' }));
    expect(parse(['--config', cfg])).toEqual({ config: cfg, train: 't.txt', batchSize: '8', lr: '1e-3', quiet: true, resume: 'ckpt' });
    expect(parse(['--lr', '2e-3', '--config', cfg, '--batch-size', '4'])).toMatchObject({ lr: '2e-3', batchSize: '4', train: 't.txt' });
  });

  it('without a file a required flag is still required', () => {
    expect(() => parse([])).toThrow(/required option '--train <file>'/);
  });

  it('refuses unknown keys, wrong types, bad JSON and non-objects in one line naming the file', () => {
    const one = (text: string) => {
      const path = file('bad.json', text);
      try {
        parse(['--config', path]);
      } catch (e) {
        // What commander printed (exitOverride: thrown instead of exiting 1).
        expect(e).toMatchObject({ code: 'commander.error', exitCode: 1 });
        expect((e as Error).message).not.toContain('\n');
        return (e as Error).message.replace(path, 'F').replace(/^error: /, '');
      }
      throw new Error('accepted');
    };
    expect(one('{"train": "t", "batchSzie": 8}')).toBe('--config F: unknown keys batchSzie; known: train, batchSize, lr, quiet, resume.');
    expect(one('{"train": "t", "batchSize": [8]}')).toBe('--config F: "batchSize" (--batch-size) must be a string or number; got [8].');
    expect(one('{"train": "t", "quiet": "yes"}')).toBe('--config F: "quiet" (--quiet) must be true or false; got "yes".');
    expect(one('{"train": "t", "batchSize": true}')).toBe('--config F: "batchSize" (--batch-size) must be a string or number; got true.');
    expect(one('[1, 2]')).toBe('--config F: expected a JSON object of settings, found [1,2].');
    expect(one('{"train": ')).toMatch(/^--config F: .*JSON/);
  });

  it('readConfigFile names a missing file and a byte that is not UTF-8', () => {
    expect(() => readConfigFile(join(work, 'missing.json'), [])).toThrow(/^--config .*missing\.json: .*ENOENT/);
    const latin1 = file('latin1.json', Buffer.from('{\n"text": "caf\xe9"}', 'latin1'));
    expect(() => readConfigFile(latin1, ['text'])).toThrow(new RegExp(`^--config ${latin1}:2: not valid UTF-8`));
  });
});
