import type { GenerationOptions } from '@attn/models';

/** A POST /generate body, checked. */
export interface GenerationRequest {
  prompt: string;
  stream: boolean;
  options: GenerationOptions;
}

/** A request the server answers with 400 and this message. */
export class GenerationRequestError extends Error {
  override name = 'GenerationRequestError';
}

type Check = (v: unknown) => boolean;
const int = (min: number): Check => (v) => typeof v === 'number' && Number.isInteger(v) && v >= min;
const num = (min: number, max = Infinity, open = false): Check => (v) => typeof v === 'number' && Number.isFinite(v) && (open ? v > min : v >= min) && v <= max;
const bool: Check = (v) => typeof v === 'boolean';

// Each accepted option: its check and what it must be, for the 400 message.
const OPTIONS: Record<string, [Check, string]> = {
  maxNewTokens: [int(1), 'an integer >= 1'],
  doSample: [bool, 'true or false'],
  temperature: [num(0, Infinity, true), 'a number > 0'],
  topK: [int(0), 'an integer >= 0'],
  topP: [num(0, 1, true), 'a number in (0, 1]'],
  repetitionPenalty: [num(0, Infinity, true), 'a number > 0'],
  numBeams: [int(1), 'an integer >= 1'],
  lengthPenalty: [num(-Infinity), 'a number'],
  numReturnSequences: [int(1), 'an integer >= 1'],
  seed: [(v) => typeof v === 'number' && Number.isInteger(v), 'an integer'],
  stop: [(v) => Array.isArray(v) && v.every((x) => typeof x === 'string' && x !== ''), 'a list of non-empty strings'],
};

/**
 * Checks a parsed JSON body: a non-empty `prompt`, known options of the right type, `stream` a boolean, and
 * the prompt's tokens plus maxNewTokens within the model's context (`contextLength`).
 */
export function parseGenerationRequest(body: unknown, promptTokens: (prompt: string) => number, contextLength: number, defaultMaxNewTokens = 50): GenerationRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new GenerationRequestError('The body must be a JSON object such as {"prompt": "Once upon a time", "maxNewTokens": 40}.');
  const b = body as Record<string, unknown>;
  const unknown = Object.keys(b).filter((k) => k !== 'prompt' && k !== 'stream' && !(k in OPTIONS));
  if (unknown.length) throw new GenerationRequestError(`Unknown option${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}; accepted: prompt, stream, ${Object.keys(OPTIONS).join(', ')}.`);
  if (typeof b['prompt'] !== 'string' || b['prompt'].trim() === '') throw new GenerationRequestError('"prompt" must be a non-empty string.');
  if (b['stream'] !== undefined && typeof b['stream'] !== 'boolean') throw new GenerationRequestError('"stream" must be true or false.');
  const options: GenerationOptions = { maxNewTokens: defaultMaxNewTokens };
  for (const [k, [check, what]] of Object.entries(OPTIONS)) {
    if (b[k] === undefined) continue;
    if (!check(b[k])) throw new GenerationRequestError(`"${k}" must be ${what}; got ${JSON.stringify(b[k])}.`);
    if (k === 'stop') options.stopStrings = b[k] as string[];
    else (options as Record<string, unknown>)[k] = b[k];
  }
  if ((options.numReturnSequences ?? 1) > (options.numBeams ?? 1)) throw new GenerationRequestError('"numReturnSequences" must be at most "numBeams" (one sequence per prompt without beam search).');
  if (options.doSample && (options.numBeams ?? 1) > 1) throw new GenerationRequestError('"doSample" with "numBeams" > 1 is not supported; use one or the other.');
  const prompt = b['prompt'];
  const n = promptTokens(prompt);
  if (n + options.maxNewTokens! > contextLength) {
    throw new GenerationRequestError(`The prompt's ${n} tokens plus maxNewTokens ${options.maxNewTokens} exceed the model's context of ${contextLength} tokens; ask for at most ${Math.max(0, contextLength - n)} new tokens.`);
  }
  const stream = b['stream'] === true;
  if (stream && (options.numBeams ?? 1) > 1) throw new GenerationRequestError('Beam search is not streamed; drop "stream" or "numBeams".');
  return { prompt, stream, options };
}
