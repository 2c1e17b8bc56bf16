import type { GenerationOptions } from '@attn/models';
import { numberFlag } from '@attn/cli';

/** The decoding flags as commander gives them (strings). */
export interface DecodingFlags {
  maxNewTokens?: string;
  doSample?: boolean;
  temperature?: string;
  topK?: string;
  topP?: string;
  repetitionPenalty?: string;
  numBeams?: string;
  lengthPenalty?: string;
  numReturnSequences?: string;
  seed?: string;
  stop?: string[];
}

/** Flags → generate() options, each checked with the flag named in the error. */
export function decodingOptions(f: DecodingFlags): GenerationOptions {
  const opt = (name: string, v: string | undefined, o: Parameters<typeof numberFlag>[2]) => (v === undefined ? undefined : numberFlag(name, v, o));
  const o: GenerationOptions = {
    maxNewTokens: opt('max-new-tokens', f.maxNewTokens, { int: true, min: 1 }) ?? 50,
    doSample: f.doSample ?? false,
    temperature: opt('temperature', f.temperature, { min: 1e-6 }),
    topK: opt('top-k', f.topK, { int: true, min: 0 }),
    topP: opt('top-p', f.topP, { min: 1e-6, max: 1 }),
    repetitionPenalty: opt('repetition-penalty', f.repetitionPenalty, { min: 1e-6 }),
    numBeams: opt('num-beams', f.numBeams, { int: true, min: 1 }),
    lengthPenalty: opt('length-penalty', f.lengthPenalty, {}),
    numReturnSequences: opt('num-return-sequences', f.numReturnSequences, { int: true, min: 1 }),
    seed: opt('seed', f.seed, { int: true }),
    stopStrings: f.stop,
  };
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as GenerationOptions;
}
