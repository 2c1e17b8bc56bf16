import { CliError } from './cli_error';

export interface NumberFlagOptions {
  /** Reject fractions. */
  int?: boolean;
  /** Smallest accepted value. */
  min?: number;
  /** Largest accepted value. */
  max?: number;
}

/** A numeric flag's value, or a CliError naming the flag, what it must be and what was given. */
export function numberFlag(flag: string, value: string | undefined, opts: NumberFlagOptions = {}): number {
  const n = Number(value);
  // Number('') is 0: an empty value is not a number.
  if (value === undefined || value.trim() === '' || !Number.isFinite(n) || (opts.int && !Number.isInteger(n)) || (opts.min !== undefined && n < opts.min) || (opts.max !== undefined && n > opts.max)) {
    const range = opts.min !== undefined && opts.max !== undefined ? ` in [${opts.min}, ${opts.max}]` : opts.min !== undefined ? ` >= ${opts.min}` : opts.max !== undefined ? ` <= ${opts.max}` : '';
    throw new CliError(`--${flag} must be ${opts.int ? 'an integer' : 'a number'}${range}; got ${JSON.stringify(value)}.`);
  }
  return n;
}
