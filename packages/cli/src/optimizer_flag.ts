import { CliError } from './cli_error';

/** The optimizers `--optimizer` names (TrainingArguments' `optim`). */
export const OPTIMIZERS = ['adamw', 'sgd'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

/** `--optimizer` checked: adamw or sgd, else one line naming the flag and what was given. */
export function optimizerFlag(value: unknown): OptimizerName {
  if ((OPTIMIZERS as readonly unknown[]).includes(value)) return value as OptimizerName;
  throw new CliError(`--optimizer must be ${OPTIMIZERS.join(' or ')}; got ${JSON.stringify(value)}.`);
}
