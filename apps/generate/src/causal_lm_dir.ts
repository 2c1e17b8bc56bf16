import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createModel, loadModel, readConfigJSON, resolveArchitecture, type TaskModel, type CausalLanguageModel } from '@attn/models';
import { loadTokenizer } from '@attn/pipelines';
import { Tokenizer } from '@attn/tokenizers';
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

/**
 * A causal LM to pretrain from scratch: `configPath` (an HF config.json, e.g. model_type gpt2 or llama) with
 * freshly initialised weights (HF's init, seeded) and the tokenizer.json at `tokenizerPath`.
 */
export async function initCausalLM(configPath: string, tokenizerPath: string, seed: number): Promise<{ model: CausalLM; tokenizer: Tokenizer }> {
  for (const [flag, path] of [['--config', configPath], ['--tokenizer', tokenizerPath]] as const) {
    if (!existsSync(path)) throw new CliError(`${flag} ${path}: no such file.`);
  }
  const json = await readConfigJSON(configPath);
  const { cls } = resolveArchitecture(json, 'causal-lm', configPath);
  const config = cls.configClass.fromJSON(json, configPath);
  const tokenizer = await Tokenizer.fromFile(tokenizerPath);
  if (tokenizer.getVocabSize() > config.vocabSize) {
    throw new CliError(`--config ${configPath}: vocab_size ${config.vocabSize} is smaller than the tokenizer's ${tokenizer.getVocabSize()} tokens (${tokenizerPath}); set vocab_size to at least that.`);
  }
  const model = createModel('causal-lm', config, { seed }) as CausalLM;
  return { model, tokenizer };
}
