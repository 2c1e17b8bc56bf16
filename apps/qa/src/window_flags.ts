import type { Command } from 'commander';
import { CliError, maxLengthFlag, numberFlag } from '@attn/cli';

/** --max-length, --stride, --max-answer-length (the SQuAD doc-stride defaults) and --sentence-prior, on every command that windows a context. */
export function addWindowOptions(cmd: Command): Command {
  return cmd
    .option('--max-length <n>', 'tokens per window, question included', '384')
    .option('--stride <n>', 'tokens shared by consecutive windows of a long context', '128')
    .option('--max-answer-length <n>', 'longest answer in tokens', '30')
    .option('--sentence-prior <w>', "weight of the sentence prior: spans in the sentence holding the most question words are preferred, exp(w) per word (default: the model's config.json task_specific_params, else 0; train saves the value there)");
}

/** --max-length, --stride and --max-answer-length as commander hands them over. */
export interface WindowFlagValues {
  maxLength: string;
  stride: string;
  maxAnswerLength: string;
  sentencePrior?: string;
}

/**
 * How a long context becomes windows, checked at start-up with one line naming the flag:
 * `model` (when given) bounds --max-length by its position embeddings; the stride must leave
 * windows that advance.
 */
export function windowFlags(flags: WindowFlagValues, model?: string): { maxLength: number; stride: number; maxAnswerLength: number; sentencePrior?: number } {
  const maxLength = maxLengthFlag(flags.maxLength, { model, min: 32 });
  const stride = numberFlag('stride', flags.stride, { int: true, min: 0 });
  if (stride >= maxLength / 2) throw new CliError(`--stride (${stride}) must be below half of --max-length (${maxLength}) so windows advance.`);
  const maxAnswerLength = numberFlag('max-answer-length', flags.maxAnswerLength, { int: true, min: 1 });
  const sentencePrior = flags.sentencePrior === undefined ? undefined : numberFlag('sentence-prior', flags.sentencePrior, { min: 0 });
  return { maxLength, stride, maxAnswerLength, sentencePrior };
}
