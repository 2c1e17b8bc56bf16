import { tf, Generator as RandomGenerator, globalGenerator } from '@attn/tensor';
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
/** What generate() and streamGenerate() work from once the options are checked. */
interface GenerationPlan {
  prompts: number[][];
  mask: number[][];
  eos: number[];
  padTokenId: number;
  maxNewTokens: number;
  numBeams: number;
  numReturnSequences: number;
}

function plan(model: CausalLanguageModel & { config: GenerationDefaults }, inputIds: tf.Tensor | number[][], options: GenerationOptions): GenerationPlan {
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

  if (numBeams > 1 && options.doSample) throw new GenerationOptionsError('generate: beam search with sampling (doSample and numBeams > 1) is not implemented; use one or the other.');
  return { prompts, mask, eos, padTokenId, maxNewTokens, numBeams, numReturnSequences };
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
  const p = plan(model, inputIds, options);
  if (p.numBeams > 1) {
    const decoder = new IncrementalDecoder(model);
    try {
      return beamSearch(decoder, p.prompts, p.mask, {
        numBeams: p.numBeams,
        maxNewTokens: p.maxNewTokens,
        lengthPenalty: options.lengthPenalty ?? 1,
        earlyStopping: options.earlyStopping ?? false,
        numReturnSequences: p.numReturnSequences,
        eos: p.eos,
        padTokenId: p.padTokenId,
        repetitionPenalty: options.repetitionPenalty ?? 1,
      });
    } finally {
      decoder.dispose();
    }
  }
  const steps = decodeSteps(model, p, options);
  try {
    for (;;) {
      const r = steps.next();
      if (r.done) return r.value;
      if (options.onToken?.(r.value.tokens, r.value.finished) === false) return { sequences: r.value.sequences };
    }
  } finally {
    steps.return({ sequences: [] }); // frees the KV cache when onToken stopped early
  }
}

/** One decoding step as streamGenerate() yields it. */
export interface GenerationStep {
  /** The new token of every row (padding for finished rows). */
  tokens: number[];
  finished: boolean[];
  /** Prompt + tokens so far, per row. */
  sequences: number[][];
}

/**
 * generate() for servers and UIs: yields after every step of greedy or sampled decoding and lets the event loop
 * run before the next, so a token can be sent while the following one is computed. Stopping the iteration
 * early (return(), break) frees the KV cache. Beam search is not streamed (its best sequence is known at the end).
 */
export async function* streamGenerate(
  model: CausalLanguageModel & { config: GenerationDefaults },
  inputIds: tf.Tensor | number[][],
  options: GenerationOptions = {},
): AsyncGenerator<GenerationStep, GenerationOutput> {
  const p = plan(model, inputIds, options);
  if (p.numBeams > 1) throw new GenerationOptionsError('streamGenerate: beam search is not streamed; call generate() for numBeams > 1.');
  const steps = decodeSteps(model, p, options);
  try {
    for (;;) {
      const r = steps.next();
      if (r.done) return r.value;
      yield r.value;
      await nextTask();
    }
  } finally {
    steps.return({ sequences: [] });
  }
}

/** Resolves on the event loop's next turn: setImmediate in Node, a MessageChannel message in browsers (no setImmediate there, and setTimeout(0) is clamped to 4 ms after a few nestings). */
function nextTask(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** HF `_sample` as a generator of steps: process the logits, take the best token or draw one; finished rows get padding. */
function* decodeSteps(model: CausalLanguageModel, p: GenerationPlan, options: GenerationOptions): Generator<GenerationStep, GenerationOutput> {
  const rng = options.doSample ? (options.rng ?? (options.seed !== undefined ? new RandomGenerator(options.seed) : globalGenerator())) : undefined;
  const sequences = p.prompts.map((row) => [...row]);
  const finished = p.prompts.map(() => false);
  const promptLen = p.prompts[0]!.length;
  const decoder = new IncrementalDecoder(model);
  try {
    let logits = decoder.prefill(p.prompts, p.mask);
    for (let step = 0; step < p.maxNewTokens; step++) {
      const tokens = logits.map((scores, r) => {
        if (finished[r]) return p.padTokenId;
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
        if (p.eos.includes(t)) finished[r] = true;
        else if (options.stopStrings?.length) {
          const text = options.decode!(sequences[r]!.slice(promptLen));
          if (options.stopStrings.some((stop) => text.includes(stop))) finished[r] = true;
        }
      });
      yield { tokens, finished: [...finished], sequences };
      if (finished.every((f) => f) || step === p.maxNewTokens - 1) break;
      logits = decoder.step(tokens);
    }
    return { sequences };
  } finally {
    decoder.dispose();
  }
}
