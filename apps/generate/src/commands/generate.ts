import { GenerationOptionsError } from '@attn/models';
import { DefaultModelError, TextGenerationPipeline, defaultModelDir } from '@attn/pipelines';
import { CliError, startBackend } from '@attn/cli';
import { loadCausalLM } from '../causal_lm_dir';
import { decodingOptions, type DecodingFlags } from '../decoding_flags';

export interface GenerateFlags extends DecodingFlags {
  /** Model directory; default: pipeline('text-generation')'s default, the repository's models/attn-gpt2-tiny. */
  model?: string;
  prompts: string[];
  backend?: string;
  /** commander's --no-stream gives stream: false. */
  stream?: boolean;
}

/**
 * Continues each prompt. One prompt with greedy or sampled decoding streams its text as it is generated;
 * several prompts (one left-padded batch) and beam search print when done, one result per line.
 * Returns the new texts (without their prompts).
 */
export async function generateCommand(f: GenerateFlags, write: (s: string) => void = (s) => void process.stdout.write(s)): Promise<string[]> {
  if (f.prompts.length === 0 || f.prompts.some((p) => p === '')) throw new CliError('generate needs a non-empty prompt: attn-generate generate "Once upon a time"');
  const dir = f.model ?? (await defaultGenerationModel());
  await startBackend(f.backend);
  const { model, tokenizer } = await loadCausalLM(dir);
  try {
    const pipe = new TextGenerationPipeline(model, tokenizer);
    const options = decodingOptions(f);
    if (f.stream !== false && f.prompts.length === 1 && (options.numBeams ?? 1) === 1) {
      write(f.prompts[0]!);
      const pieces = pipe.stream(f.prompts[0]!, options);
      let r = await pieces.next();
      while (!r.done) {
        write(r.value);
        r = await pieces.next();
      }
      write('\n');
      return [r.value];
    }
    const results = pipe.call(f.prompts, { ...options, returnFullText: false });
    const texts = results.flat().map((r) => r.generatedText);
    const per = texts.length / f.prompts.length;
    texts.forEach((t, i) => write(`${texts.length > 1 ? `[${i}] ` : ''}${f.prompts[Math.floor(i / per)]}${t}\n`));
    return texts;
  } catch (e) {
    if (e instanceof GenerationOptionsError) throw new CliError(e.message.replace(/^(generate|streamGenerate): /, ''));
    throw e;
  } finally {
    model.dispose();
  }
}

/** The directory of pipeline('text-generation')'s default model; a missing one is a one-line CliError. */
export async function defaultGenerationModel(): Promise<string> {
  try {
    return await defaultModelDir('text-generation');
  } catch (e) {
    if (e instanceof DefaultModelError) throw new CliError(`${e.message.replace("pipeline('text-generation', 'path/to/model')", '--model DIR')}`);
    throw e;
  }
}
