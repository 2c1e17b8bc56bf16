import { resumeCommandLine, TrainingInterruptedError } from './save_on_signal';

/** A user mistake the CLI reports in one line, without a stack trace. */
export class CliError extends Error {
  override name = 'CliError';
}

/** Error classes from the attn packages whose messages are already actionable for a user. */
export const USER_FACING_ERRORS: ReadonlySet<string> = new Set([
  'CliError',
  'DataError',
  'ModelDirectoryError',
  'ConfigError',
  'BertConfigError',
  'CheckpointShapeError',
  'UnsupportedArchitectureError',
  'SafetensorsError',
  'TokenizerError',
  'TrainingArgumentsError',
  'NonFiniteLossError',
  'CheckpointError',
  'BackendError',
  'PipelineInputError',
  'OnnxExportError',
]);

/**
 * Runs a command; known errors print as `error: message` and exit 1, others keep their stack. A
 * training run stopped by a signal prints its checkpoint and resume command and exits 130 / 143.
 */
export async function runCommand(fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof TrainingInterruptedError) {
      process.stderr.write(`${e.message}\nresume with: ${resumeCommandLine(e.checkpointDir)}\n`);
      process.exitCode = e.exitCode;
      return;
    }
    const err = e as Error & { code?: string; path?: string };
    if (USER_FACING_ERRORS.has(err?.name) || err?.code === 'ENOENT') {
      const msg = err.code === 'ENOENT' ? `file not found: ${err.path ?? err.message}` : err.message;
      process.stderr.write(`error: ${msg}\n`);
      process.exitCode = 1;
      return;
    }
    throw e;
  }
}
