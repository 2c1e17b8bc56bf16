import { tf, Generator, globalGenerator } from '@attn/tensor';
import { IncrementalDecoder, type CausalLanguageModel } from './incremental_decoder';
import { beamSearch } from './beam_search';
import { applyRepetitionPenalty, applyTemperature, applyTopK, applyTopP, argMax, sampleFromScores } from './logits_processors';
import { GenerationOptionsError, type GenerationOptions, type GenerationOutput } from './generation_options';

/** The config fields generate() reads for its defaults. */
interface GenerationDefaults {
  eosTokenId?: number | number[] | null;
  padTokenId: number | null;
}

function rows(x: tf.Tensor | number[][], name: string): number[][] {
  if (Array.isArray(x)) return x.map((r) => [...r]);
  if (x.rank !== 2) throw new GenerationOptionsError(`generate: ${name} must be [batch, seq], got shape [${x.shape.join(', ')}].`);
  return x.arraySync() as number[][];
}

/**
 * Continues each prompt (HF `generate` for decoder-only models): greedy, sampling (temperature, top-k, top-p,
 * seeded) or beam search, with a KV cache. Prompts of different lengths are left-padded with attentionMask 0.
 * Returns plain arrays; no tensor outlives the call.
 */
export function generate(
  model: CausalLanguageModel & { config: GenerationDefaults },
  inputIds: tf.Tensor | number[][],
  options: GenerationOptions = {},
): GenerationOutput {
  const task = (model as { task?: string }).task;
  if (task !== undefined && task !== 'causal-lm') {
    throw new GenerationOptionsError(
      `generate: ${(model as { architecture?: string }).architecture ?? 'this model'} is a ${task} model; generation needs a causal-LM head (GPT2LMHeadModel, LlamaForCausalLM). Load the checkpoint with { task: 'causal-lm' }.`,
    );
  }
  const prompts = rows(inputIds, 'inputIds');
  if (prompts.length === 0 || prompts[0]!.length === 0) throw new GenerationOptionsError('generate: inputIds is empty; pass at least one token per prompt (a BOS token, say).');
  const mask = options.attentionMask ? rows(options.attentionMask, 'attentionMask') : prompts.map((p) => p.map(() => 1));
  if (mask.length !== prompts.length || mask.some((m, i) => m.length !== prompts[i]!.length)) {
    throw new GenerationOptionsError('generate: attentionMask must have the shape of inputIds ([batch, seq]; 1 = token, 0 = left padding).');
  }
  const eosOption = options.eosTokenId === undefined ? model.config.eosTokenId : options.eosTokenId;
  const eos = eosOption == null ? [] : Array.isArray(eosOption) ? eosOption : [eosOption];
  const padTokenId = options.padTokenId ?? model.config.padTokenId ?? eos[0] ?? 0;
  const maxNewTokens = options.maxNewTokens ?? 20;
  const numBeams = options.numBeams ?? 1;
  const numReturnSequences = options.numReturnSequences ?? 1;
  if (!(Number.isInteger(maxNewTokens) && maxNewTokens >= 1)) throw new GenerationOptionsError(`generate: maxNewTokens must be a positive integer, got ${maxNewTokens}.`);
  if (!(Number.isInteger(numBeams) && numBeams >= 1)) throw new GenerationOptionsError(`generate: numBeams must be a positive integer, got ${numBeams}.`);
  if (numReturnSequences > numBeams) {
    throw new GenerationOptionsError(`generate: numReturnSequences ${numReturnSequences} exceeds numBeams ${numBeams}; greedy and sampling return one sequence per prompt (repeat the prompt for more samples).`);
  }
  if (options.temperature !== undefined && !(options.temperature > 0)) throw new GenerationOptionsError(`generate: temperature must be > 0, got ${options.temperature}.`);
  if (options.topP !== undefined && !(options.topP > 0 && options.topP <= 1)) throw new GenerationOptionsError(`generate: topP must be in (0, 1], got ${options.topP}.`);
  if (options.stopStrings?.length && !options.decode) throw new GenerationOptionsError('generate: stopStrings need a decode function (token ids → text), e.g. the tokenizer\'s decode.');

  const decoder = new IncrementalDecoder(model);
  try {
    if (numBeams > 1) {
      if (options.doSample) throw new GenerationOptionsError('generate: beam search with sampling (doSample and numBeams > 1) is not implemented; use one or the other.');
      return beamSearch(decoder, prompts, mask, {
        numBeams,
        maxNewTokens,
        lengthPenalty: options.lengthPenalty ?? 1,
        earlyStopping: options.earlyStopping ?? false,
        numReturnSequences,
        eos,
        padTokenId,
        repetitionPenalty: options.repetitionPenalty ?? 1,
      });
    }
    return { sequences: greedyOrSample(decoder, prompts, mask, options, { eos, padTokenId, maxNewTokens }) };
  } finally {
    decoder.dispose();
  }
}

/** HF `_sample`: process the logits, then take the best token or draw one; finished rows get padding. */
function greedyOrSample(
  decoder: IncrementalDecoder,
  prompts: number[][],
  mask: number[][],
  options: GenerationOptions,
  s: { eos: number[]; padTokenId: number; maxNewTokens: number },
): number[][] {
  const rng = options.doSample ? (options.rng ?? (options.seed !== undefined ? new Generator(options.seed) : globalGenerator())) : undefined;
  const sequences = prompts.map((p) => [...p]);
  const finished = prompts.map(() => false);
  const promptLen = prompts[0]!.length;
  let logits = decoder.prefill(prompts, mask);
  for (let step = 0; step < s.maxNewTokens; step++) {
    const tokens = logits.map((scores, r) => {
      if (finished[r]) return s.padTokenId;
      applyRepetitionPenalty(scores, sequences[r]!, options.repetitionPenalty ?? 1);
      if (!rng) return argMax(scores);
      applyTemperature(scores, options.temperature ?? 1);
      applyTopK(scores, options.topK ?? 0);
      applyTopP(scores, options.topP ?? 1);
      return sampleFromScores(scores, rng);
    });
    tokens.forEach((t, r) => {
      const wasFinished = finished[r];
      sequences[r]!.push(t);
      if (wasFinished) return;
      if (s.eos.includes(t)) finished[r] = true;
      else if (options.stopStrings?.length) {
        const text = options.decode!(sequences[r]!.slice(promptLen));
        if (options.stopStrings.some((stop) => text.includes(stop))) finished[r] = true;
      }
    });
    const go = options.onToken?.(tokens, [...finished]);
    if (go === false || finished.every((f) => f) || step === s.maxNewTokens - 1) break;
    logits = decoder.step(tokens);
  }
  return sequences;
}
