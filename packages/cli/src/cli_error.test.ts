import { afterEach, describe, expect, it, vi } from 'vitest';
import { CliError, runCommand, USER_FACING_ERRORS } from './cli_error';

function captureStderr(): { text: () => string; restore: () => void } {
  let text = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((text += String(s)), true));
  return { text: () => text, restore: () => spy.mockRestore() };
}

describe('runCommand', () => {
  afterEach(() => {
    process.exitCode = 0;
  });

  it('prints a CliError as one line and sets exit code 1', async () => {
    const err = captureStderr();
    await runCommand(async () => {
      throw new CliError('--model x: no config.json');
    });
    err.restore();
    expect(err.text()).toBe('error: --model x: no config.json\n');
    expect(process.exitCode).toBe(1);
  });

  it('treats every listed package error name as user-facing', async () => {
    for (const name of ['DataError', 'TokenizerError', 'PipelineInputError', 'BackendError']) {
      expect(USER_FACING_ERRORS.has(name)).toBe(true);
      const err = captureStderr();
      await runCommand(async () => {
        const e = new Error(`bad ${name}`);
        e.name = name;
        throw e;
      });
      err.restore();
      expect(err.text()).toBe(`error: bad ${name}\n`);
    }
  });

  it('reports a missing file by its path', async () => {
    const err = captureStderr();
    await runCommand(async () => {
      throw Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT', path: '/no/such.tsv' });
    });
    err.restore();
    expect(err.text()).toBe('error: file not found: /no/such.tsv\n');
    expect(process.exitCode).toBe(1);
  });

  it('rethrows programming errors with their stack', async () => {
    await expect(runCommand(async () => void (null as unknown as { x: number }).x)).rejects.toThrow(TypeError);
    expect(process.exitCode ?? 0).toBe(0);
  });
});
