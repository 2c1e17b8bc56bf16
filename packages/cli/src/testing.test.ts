import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { CliError, runCommand } from './cli_error';
import { oneLineError, optionDefault, optionDefaults, runProgram, trainingLosses } from './testing';

const outDirs: string[] = [];

/** A small command tree as an app's program.ts builds it. */
function createProgram(configure?: (program: Command) => void): Command {
  const program = new Command('demo-app');
  configure?.(program);
  program.command('hello').argument('<who>').action((who: string) => {
    console.log('hello', who);
    process.stdout.write('written\n');
  });
  program.command('fail').action(() => runCommand(async () => {
    throw new CliError('--x must be 1; got 2.');
  }));
  // A train command that logs two steps and an evaluation to --out/log.jsonl, as the Trainer's JsonlLoggerCallback does.
  program
    .command('train')
    .option('--lr <x>', 'learning rate', '1e-3')
    .requiredOption('--out <dir>', 'output')
    .option('--save-strategy <s>')
    .option('--logging-steps <n>', 'log every n steps', '50')
    .option('--quiet')
    .option('--fail')
    .action((o: { out: string; fail?: boolean }) => runCommand(async () => {
      outDirs.push(o.out);
      if (o.fail) throw new CliError('--fail was given.');
      const entries = [{ loss: 2, learning_rate: 0 }, { eval_loss: 1.5 }, { loss: 1, learning_rate: 1e-3 }];
      writeFileSync(join(o.out, 'log.jsonl'), entries.map((e) => JSON.stringify(e) + '\n').join(''));
    }));
  return program;
}

describe('runProgram', () => {
  it('captures what a command prints and its exit code, and leaves process.exitCode at 0', async () => {
    expect(await runProgram(createProgram, ['hello', 'you'])).toEqual({ stdout: 'hello you\nwritten\n', stderr: '', code: 0 });
    const failed = await runProgram(createProgram, ['fail']);
    expect(oneLineError(failed)).toBe('error: --x must be 1; got 2.\n');
    expect(process.exitCode).toBe(0);
  });

  it("reports commander's usage errors as their exit code", async () => {
    const r = await runProgram(createProgram, ['hello']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/missing required argument 'who'/);
    expect(() => oneLineError({ stdout: '', stderr: 'a\nb\n', code: 1 })).toThrow(/one line on stderr/);
  });
});

describe('optionDefault', () => {
  it("is the default commander fills in, and names what is missing", () => {
    expect(optionDefault(createProgram, 'train', '--lr')).toBe('1e-3');
    expect(optionDefault(createProgram, 'train', '--out')).toBeUndefined();
    expect(() => optionDefault(createProgram, 'tune', '--lr')).toThrow('demo-app has no command "tune"');
    expect(() => optionDefault(createProgram, 'train', '--epochs')).toThrow('demo-app train has no option --epochs');
  });

  it('optionDefaults: every default by the name the action receives it under', () => {
    expect(optionDefaults(createProgram, 'train')).toEqual({ lr: '1e-3', loggingSteps: '50' });
  });
});

describe('trainingLosses', () => {
  it("runs train into a temporary --out, returns the logged training losses and removes the directory", async () => {
    expect(await trainingLosses(createProgram, ['--lr', '1e-2'])).toEqual([2, 1]);
    expect(existsSync(outDirs.at(-1)!)).toBe(false);
    await expect(trainingLosses(createProgram, ['--fail'])).rejects.toThrow(/train --fail exited with code 1:\nerror: --fail was given\./);
    expect(existsSync(outDirs.at(-1)!)).toBe(false);
  });
});
