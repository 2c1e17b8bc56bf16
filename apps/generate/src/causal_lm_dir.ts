import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadModel, type TaskModel, type CausalLanguageModel } from '@attn/models';
import { loadTokenizer } from '@attn/pipelines';
import type { Tokenizer } from '@attn/tokenizers';
import { CliError } from '@attn/cli';

/** A causal LM as the commands use it: a TaskModel whose head predicts the next token. */
export type CausalLM = TaskModel & CausalLanguageModel & { config: TaskModel['config'] & { eosTokenId?: number | number[] | null } };

/** Loads `--model`: an HF directory with a causal-LM head (GPT2LMHeadModel, LlamaForCausalLM) and its tokenizer.json. */
export async function loadCausalLM(dir: string): Promise<{ model: CausalLM; tokenizer: Tokenizer }> {
  if (!existsSync(join(dir, 'config.json'))) {
    throw new CliError(`--model ${dir}: no config.json; pass a directory written by \`attn-generate train\` or an HF model directory (GPT-2 or Llama family).`);
  }
  const model = await loadModel(dir, { quiet: true });
  if (model.task !== 'causal-lm') {
    const arch = model.architecture;
    model.dispose();
    throw new CliError(`--model ${dir} is a ${arch} (${model.task}); attn-generate needs a causal-LM model such as GPT2LMHeadModel or LlamaForCausalLM.`);
  }
  const tokenizer = await loadTokenizer(dir);
  return { model: model as CausalLM, tokenizer };
}
