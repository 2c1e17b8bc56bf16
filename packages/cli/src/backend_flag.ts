import { Option } from 'commander';
import { backendPreference, initBackend, type BackendName } from '@attn/tensor';
import { CliError } from './cli_error';

/** How to get a backend that needs an optional install (Node). */
const INSTALL: Partial<Record<BackendName, string>> = {
  tensorflow: 'it needs @tensorflow/tfjs-node (or @tensorflow/tfjs-node-gpu), which is not installed here: run `npm install @tensorflow/tfjs-node` beside attn (Linux, macOS or Windows, x64/arm64)',
};

/** `--backend <name>`, as every command that loads a model takes it (startBackend checks and starts it). */
export function backendOption(): Option {
  return new Option('--backend <name>', 'tensorflow | wasm | cpu (default: the best available; env ATTN_BACKEND)');
}

/**
 * Starts `--backend` (or the best available when not given), before any data or model loads. A
 * name this platform does not have, or one that fails to start, is a CliError naming the flag as
 * typed, what it needs and what to pass instead.
 */
export async function startBackend(value: string | undefined, flag = '--backend'): Promise<BackendName> {
  if (value === undefined) return initBackend();
  const names = backendPreference();
  if (!(names as string[]).includes(value)) throw new CliError(`${flag} must be one of ${names.join(', ')}; got ${JSON.stringify(value)}.`);
  try {
    return await initBackend({ backend: value as BackendName });
  } catch (e) {
    if ((e as Error).name !== 'BackendError') throw e;
    const others = names.filter((n) => n !== value && n !== 'tensorflow');
    const why = INSTALL[value as BackendName] ?? 'it could not be initialised on this machine';
    throw new CliError(`${flag} ${value}: ${why}. Or pass ${others.map((n) => `${flag} ${n}`).join(' or ')}.`);
  }
}
