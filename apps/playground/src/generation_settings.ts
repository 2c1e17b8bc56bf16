// The generation form's numbers, checked before a run: a token budget past the model's context, a temperature of 0
// or a fractional top-k would fail inside generate() or silently mean something else.
import type { GenerationOptions } from '@attn/models';

export interface GenerationSettings {
  maxNewTokens: number;
  /** Greedy decoding (the best token each step); temperature and top-k apply only when false. */
  greedy: boolean;
  temperature: number;
  /** 0 = off (every token may be drawn). */
  topK: number;
  /** > 1 discourages tokens already in the text (greedy too, as HF); 1 = off. */
  repetitionPenalty: number;
}

export type GenerationSetting = 'maxNewTokens' | 'temperature' | 'topK' | 'repetitionPenalty';

/** Temperatures (and repetition penalties) beyond this make every token about equally likely: noise, whatever the model. */
export const MAX_TEMPERATURE = 10;

/**
 * The form's text values as settings, or one message per bad field. `room` is how many tokens the model's context
 * has left after the prompt (n_positions minus the prompt's tokens).
 */
export function parseGenerationSettings(
  text: Record<GenerationSetting, string>,
  greedy: boolean,
  room: number,
): { settings?: GenerationSettings; errors: Partial<Record<GenerationSetting, string>> } {
  // Number('') is 0: an empty field is NaN here, so it is reported as empty, not as 0.
  const num = (v: string) => (v.trim() === '' ? NaN : Number(v));
  const settings: GenerationSettings = { maxNewTokens: num(text.maxNewTokens), greedy, temperature: num(text.temperature), topK: num(text.topK), repetitionPenalty: num(text.repetitionPenalty) };
  const errors: Partial<Record<GenerationSetting, string>> = {};
  const shown = (k: GenerationSetting) => JSON.stringify(text[k]);
  if (room < 1) errors.maxNewTokens = `The prompt fills the model's context; shorten it to leave room for new tokens.`;
  else if (!Number.isInteger(settings.maxNewTokens) || settings.maxNewTokens < 1 || settings.maxNewTokens > room) {
    errors.maxNewTokens = `Max new tokens must be a whole number from 1 to ${room} (the context left after the prompt); got ${shown('maxNewTokens')}.`;
  }
  const rp = settings.repetitionPenalty;
  if (!Number.isFinite(rp) || rp <= 0 || rp > MAX_TEMPERATURE) errors.repetitionPenalty = `Repetition penalty must be above 0 and at most ${MAX_TEMPERATURE} (1 = off); got ${shown('repetitionPenalty')}.`;
  // Sampling settings are ignored when greedy, so they are not held against a greedy run.
  if (!greedy) {
    const t = settings.temperature;
    if (!Number.isFinite(t) || t <= 0 || t > MAX_TEMPERATURE) errors.temperature = `Temperature must be above 0 and at most ${MAX_TEMPERATURE}; got ${shown('temperature')}.`;
    if (!Number.isInteger(settings.topK) || settings.topK < 0) errors.topK = `Top-k must be a whole number, 0 for off; got ${shown('topK')}.`;
  }
  return Object.keys(errors).length ? { errors } : { settings, errors };
}

/** generate() options for the settings (greedy, or sampling with temperature and top-k). */
export function generationOptions(s: GenerationSettings): GenerationOptions {
  const common = { maxNewTokens: s.maxNewTokens, repetitionPenalty: s.repetitionPenalty };
  return s.greedy ? common : { ...common, doSample: true, temperature: s.temperature, topK: s.topK };
}
