import { describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { registerEvalCommand } from './eval_command';
import { oneLineError, runProgram } from './testing';
import { CliError } from './cli_error';

interface Flags { model: string; data: string; json?: boolean; int8?: boolean; onError: string; encoding: string; topN: string }
const runs: Flags[] = [];
const createProgram = (configure?: (p: Command) => void) => {
  const program = new Command('demo-app');
  configure?.(program);
  registerEvalCommand<Flags>(program, {
    description: 'score a model',
    dataHelp: 'labelled file',
    options: (cmd) => cmd.option('--top-n <n>', 'how many', '3'),
    badInput: 'bad lines',
    run: async (flags) => {
      runs.push(flags);
      if (flags.data === 'bad') throw new CliError('--data bad: no such file.');
    },
  });
  return program;
};

describe('registerEvalCommand', () => {
  it('--model and --data, the task options, then --json, --int8, --backend, --on-error and --encoding', async () => {
    const eval_ = createProgram().commands.find((c) => c.name() === 'eval')!;
    expect(eval_.options.map((o) => o.long)).toEqual(['--model', '--data', '--top-n', '--json', '--int8', '--backend', '--on-error', '--encoding']);
    expect((await runProgram(createProgram, ['eval', '--model', 'm', '--data', 'd', '--json'])).code).toBe(0);
    expect(runs.at(-1)).toEqual({ model: 'm', data: 'd', json: true, topN: '3', onError: 'throw', encoding: 'utf8' });
  });

  it('a missing --data and an error from the run are one line', async () => {
    expect(oneLineError(await runProgram(createProgram, ['eval', '--model', 'm']))).toMatch(/required option '--data <file>' not specified/);
    expect(oneLineError(await runProgram(createProgram, ['eval', '--model', 'm', '--data', 'bad']))).toBe('error: --data bad: no such file.\n');
  });
});
