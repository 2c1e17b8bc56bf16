import type { IncrementalDecoder } from './incremental_decoder';
import { applyRepetitionPenalty, logSoftmax } from './logits_processors';

export interface BeamSearchSettings {
  numBeams: number;
  maxNewTokens: number;
  lengthPenalty: number;
  earlyStopping: boolean | 'never';
  numReturnSequences: number;
  eos: readonly number[];
  padTokenId: number;
  repetitionPenalty: number;
}

interface Candidate {
  score: number;
  seq: number[];
  /** Index into the running beams it extends (flattened over the batch). */
  from: number;
  hitsStop: boolean;
}

/** k largest of `items` by `key`, stable on ties (torch.topk on distinct values). */
function topK<T>(items: T[], k: number, key: (t: T) => number): T[] {
  return items
    .map((t, i) => [t, i] as const)
    .sort((a, b) => key(b[0]) - key(a[0]) || a[1] - b[1])
    .slice(0, k)
    .map(([t]) => t);
}

/**
 * HF's vectorised beam search (generation/utils.py `_beam_search`, transformers 5): per prompt, the top
 * max(2, 1 + #eos) · numBeams continuations over all beams; those that hit a stop (EOS, max length) become
 * finished hypotheses scored sum log p / (new tokens)^lengthPenalty if among the top numBeams; the best
 * numBeams unfinished continue. Rows of `prompts` are [batch] prompts, already left-padded to one length.
 */
export function beamSearch(
  decoder: IncrementalDecoder,
  prompts: number[][],
  mask: number[][],
  s: BeamSearchSettings,
): { sequences: number[][]; sequencesScores: number[] } {
  const B = prompts.length;
  const K = s.numBeams;
  const promptLen = prompts[0]!.length;
  const maxLength = promptLen + s.maxNewTokens;
  const keep = Math.max(2, 1 + s.eos.length) * K;
  // Each prompt repeated numBeams times (repeat_interleave); only the first beam starts live.
  let running: number[][] = prompts.flatMap((p) => Array.from({ length: K }, () => [...p]));
  let runningScores: number[] = prompts.flatMap(() => Array.from({ length: K }, (_, j) => (j === 0 ? 0 : -1e9)));
  const finished: Array<Array<{ seq: number[]; score: number }>> = prompts.map(() => []);
  const earlyStopUnsatisfied: boolean[] = prompts.map(() => true);
  let logits = decoder.prefill(
    running,
    mask.flatMap((m) => Array.from({ length: K }, () => m)),
  );
  let curLen = promptLen;
  for (;;) {
    const nextRunning: number[][] = [];
    const nextScores: number[] = [];
    const beamIdx: number[] = [];
    const lastTokens: number[] = [];
    let allHitStop = true;
    for (let b = 0; b < B; b++) {
      const cands: Candidate[] = [];
      // The top `keep` over numBeams × vocab: each beam's own top `keep` suffice.
      for (let j = 0; j < K; j++) {
        const row = b * K + j;
        const lp = logSoftmax(logits[row]!);
        // HF applies the processors to the log-probabilities in beam search.
        if (s.repetitionPenalty !== 1) {
          const f = Float32Array.from(lp);
          applyRepetitionPenalty(f, running[row]!, s.repetitionPenalty);
          lp.set(f);
        }
        const base = runningScores[row]!;
        const best = topK(Array.from(lp.keys()), keep, (t) => lp[t]!);
        for (const t of best) {
          const seq = [...running[row]!, t];
          cands.push({ score: base + lp[t]!, seq, from: row, hitsStop: curLen + 1 >= maxLength || s.eos.includes(t) });
        }
      }
      const top = topK(cands, keep, (c) => c.score);
      // Finished hypotheses: only those among the top numBeams that hit a stop.
      const fin = finished[b]!;
      const isFull = fin.length >= K && s.earlyStopping === true;
      top.forEach((c, r) => {
        if (r < K && c.hitsStop && !isFull && earlyStopUnsatisfied[b]) {
          fin.push({ seq: c.seq, score: c.score / (curLen + 1 - promptLen) ** s.lengthPenalty });
        }
      });
      fin.sort((x, y) => y.score - x.score);
      fin.splice(K);
      // The best numBeams that did not stop continue.
      const cont = topK(top, K, (c) => c.score + (c.hitsStop ? -1e9 : 0));
      for (const c of cont) {
        nextRunning.push(c.seq);
        nextScores.push(c.score + (c.hitsStop ? -1e9 : 0));
        beamIdx.push(c.from);
        lastTokens.push(c.seq[c.seq.length - 1]!);
      }
      if (!top.every((c) => c.hitsStop)) allHitStop = false;
    }
    running = nextRunning;
    runningScores = nextScores;
    curLen++;
    // HF _check_early_stop_heuristic: can the best running beam still beat the worst finished one?
    for (let b = 0; b < B; b++) {
      const fin = finished[b]!;
      const len = s.earlyStopping === 'never' && s.lengthPenalty > 0 ? maxLength - promptLen : curLen - promptLen;
      const bestRunning = runningScores[b * K]! / len ** s.lengthPenalty;
      const worstFinished = fin.length >= K ? fin[K - 1]!.score : -1e9;
      earlyStopUnsatisfied[b] = earlyStopUnsatisfied[b]! && bestRunning > worstFinished;
    }
    const improvementPossible = earlyStopUnsatisfied.some((x) => x);
    const openBeam = !(finished.every((f) => f.length >= K) && s.earlyStopping === true);
    if (!(improvementPossible && openBeam && !allHitStop) || curLen >= maxLength) break;
    decoder.reorder(beamIdx);
    logits = decoder.step(lastTokens);
  }
  const sequences: number[][] = [];
  const sequencesScores: number[] = [];
  for (const fin of finished) {
    for (const h of fin.slice(0, s.numReturnSequences)) {
      sequences.push(h.seq);
      sequencesScores.push(h.score);
    }
  }
  // HF crops to the longest returned sequence and pads the shorter ones with `pad_token_id or eos_token_id[0]`:
  // a pad id of 0 (falsy in Python) pads with the EOS id, and attn does the same so outputs stay token-identical.
  const width = Math.max(...sequences.map((q) => q.length));
  const fill = s.eos.length > 0 ? s.padTokenId || s.eos[0]! : s.padTokenId;
  return { sequences: sequences.map((q) => [...q, ...Array<number>(width - q.length).fill(fill)]), sequencesScores };
}
