import type { Generator } from '@attn/tensor';

// HF's logits processors and warpers (generation/logits_process.py) on one row of scores, in place. Rows are
// small enough (one vocabulary) that plain loops beat a tensor round trip per step.

/** HF RepetitionPenaltyLogitsProcessor: each token already in the row is divided by p (positive) or multiplied by p. */
export function applyRepetitionPenalty(scores: Float32Array, previous: readonly number[], penalty: number): void {
  if (penalty === 1) return;
  for (const t of new Set(previous)) {
    const s = scores[t]!;
    scores[t] = s < 0 ? s * penalty : s / penalty;
  }
}

/** HF TemperatureLogitsWarper. */
export function applyTemperature(scores: Float32Array, temperature: number): void {
  if (temperature === 1) return;
  for (let i = 0; i < scores.length; i++) scores[i]! /= temperature;
}

/** HF TopKLogitsWarper: everything below the k-th largest score becomes -Infinity (ties with it are kept). */
export function applyTopK(scores: Float32Array, k: number): void {
  if (k <= 0 || k >= scores.length) return;
  const kth = Float32Array.from(scores).sort()[scores.length - k]!;
  for (let i = 0; i < scores.length; i++) if (scores[i]! < kth) scores[i] = -Infinity;
}

/**
 * HF TopPLogitsWarper (nucleus, Holtzman et al. 2020): tokens sorted ascending; those whose cumulative
 * probability is at most 1 - p are removed, the most likely one is always kept.
 */
export function applyTopP(scores: Float32Array, p: number): void {
  if (p >= 1) return;
  const order = Array.from(scores.keys()).sort((a, b) => scores[a]! - scores[b]! || a - b);
  const probs = softmax(scores);
  let cum = 0;
  for (let r = 0; r < order.length - 1; r++) {
    cum += probs[order[r]!]!;
    if (cum <= 1 - p) scores[order[r]!] = -Infinity;
    else break;
  }
}

export function softmax(scores: Float32Array): Float64Array {
  let max = -Infinity;
  for (const s of scores) if (s > max) max = s;
  const out = new Float64Array(scores.length);
  let sum = 0;
  for (let i = 0; i < scores.length; i++) sum += out[i] = Math.exp(scores[i]! - max);
  for (let i = 0; i < out.length; i++) out[i]! /= sum;
  return out;
}

/** log_softmax in float64 over a row of float32 logits. */
export function logSoftmax(scores: Float32Array): Float64Array {
  let max = -Infinity;
  for (const s of scores) if (s > max) max = s;
  let sum = 0;
  for (const s of scores) sum += Math.exp(s - max);
  const lse = max + Math.log(sum);
  return Float64Array.from(scores, (s) => s - lse);
}

/** Index of the largest score, the first one on ties (torch.argmax). */
export function argMax(scores: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < scores.length; i++) if (scores[i]! > scores[best]!) best = i;
  return best;
}

/** One draw from softmax(scores) with the seeded generator (torch.multinomial, 1 sample). */
export function sampleFromScores(scores: Float32Array, rng: Generator): number {
  const probs = softmax(scores);
  const u = rng.nextFloat();
  let cum = 0;
  let last = 0;
  for (let i = 0; i < probs.length; i++) {
    if (probs[i]! === 0) continue;
    last = i;
    cum += probs[i]!;
    if (u < cum) return i;
  }
  return last; // u within rounding of 1
}
