import { CliError } from './cli_error';

export interface NumberFlagOptions {
  /** Reject fractions. */
  int?: boolean;
  /** Smallest accepted value. */
  min?: number;
}

/** A numeric flag's value, or a CliError naming the flag, what it must be and what was given. */
export function numberFlag(flag: string, value: string | undefined, opts: NumberFlagOptions = {}): number {
  const n = Number(value);
  if (value === undefined || !Number.isFinite(n) || (opts.int && !Number.isInteger(n)) || (opts.min !== undefined && n < opts.min)) {
    throw new CliError(`--${flag} must be ${opts.int ? 'an integer' : 'a number'}${opts.min !== undefined ? ` >= ${opts.min}` : ''}; got ${JSON.stringify(value)}.`);
  }
  return n;
}
