import { describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { CliError, runCommand } from './cli_error';
import { oneLineError, runProgram } from './testing';

/** A two-command tree as an app's program.ts builds it. */
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
