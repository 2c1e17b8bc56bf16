import type { QaEvalFeature } from './question_answering';
import type { QaExample } from './squad';
import { SentencePrior } from './sentence_prior';

export interface QaPostprocessOptions {
  /** Candidate starts and ends kept per window. Default 20. */
  nBest?: number;
  /** Longest answer in tokens. Default 30. */
  maxAnswerLength?: number;
  /** SQuAD v2: allow "no answer" (empty text) when it beats the best span by the threshold. */
  version2WithNegative?: boolean;
  /** Default 0. */
  nullScoreDiffThreshold?: number;
  /**
   * Weight of the sentence prior (SentencePrior): each span's score gets weight × (its sentence's count of question
   * words − the best sentence's), and spans that cross sentences are dropped. Every span of the window is then a
   * candidate, not only the top-n starts × ends. Default 0: HF's post-processing.
   */
  sentencePrior?: number;
}

export interface QaCandidate {
  text: string;
  /** [start, end) in the example's context, UTF-16 code units; [0, 0] for "no answer". */
  start: number;
  end: number;
  /** startLogit + endLogit. */
  score: number;
  startLogit: number;
  endLogit: number;
  /** Softmax of the scores over the n-best list. */
  probability: number;
}

export interface QaPrediction {
  id: string;
  /** Best answer; '' means "no answer" (SQuAD v2). */
  text: string;
  start: number;
  end: number;
  score: number;
  nBest: QaCandidate[];
}

/** Indices of the k largest values, largest first (np.argsort(x)[-1:-k-1:-1]). */
function topK(values: ArrayLike<number>, k: number): number[] {
  const idx = Array.from({ length: values.length }, (_, i) => i);
  idx.sort((a, b) => values[b]! - values[a]!);
  return idx.slice(0, k);
}

/**
 * Start/end logits per window → best text span per example, as HF's `postprocess_qa_predictions`:
 * top-n starts × top-n ends inside the context, end ≥ start, at most maxAnswerLength tokens; the
 * windows of one example compete in one n-best list.
 */
export function postprocessQaPredictions(
  examples: readonly QaExample[],
  features: readonly QaEvalFeature[],
  startLogits: ReadonlyArray<ArrayLike<number>>,
  endLogits: ReadonlyArray<ArrayLike<number>>,
  opts: QaPostprocessOptions = {},
): QaPrediction[] {
  if (startLogits.length !== features.length || endLogits.length !== features.length) {
    throw new RangeError(`got ${startLogits.length} start and ${endLogits.length} end logit rows for ${features.length} features; pass one row per feature.`);
  }
  const nBest = opts.nBest ?? 20;
  const maxAnswerLength = opts.maxAnswerLength ?? 30;
  const byExample = new Map<string, number[]>();
  features.forEach((f, i) => {
    const list = byExample.get(f.exampleId) ?? [];
    list.push(i);
    byExample.set(f.exampleId, list);
  });

  return examples.map((example) => {
    type Prelim = Omit<QaCandidate, 'text' | 'probability'>;
    const prelim: Prelim[] = [];
    let nullPrediction: Prelim | null = null;
    const prior = opts.sentencePrior ? new SentencePrior(example.question, example.context, opts.sentencePrior) : undefined;
    for (const fi of byExample.get(example.id) ?? []) {
      const s = startLogits[fi]!;
      const e = endLogits[fi]!;
      const offsets = features[fi]!.offsetMapping;
      // Index 0 is CLS: its score is this window's "no answer" score; the lowest one counts.
      const nullScore = s[0]! + e[0]!;
      if (nullPrediction === null || nullPrediction.score > nullScore) {
        nullPrediction = { start: 0, end: 0, score: nullScore, startLogit: s[0]!, endLogit: e[0]! };
      }
      if (prior) {
        for (let si = 0; si < offsets.length; si++) {
          const so = offsets[si];
          if (!so) continue;
          for (let ei = si; ei < Math.min(offsets.length, si + maxAnswerLength); ei++) {
            const eo = offsets[ei];
            if (!eo) continue;
            const w = prior.logWeight(so[0], eo[1]);
            if (w === -Infinity) continue;
            prelim.push({ start: so[0], end: eo[1], score: s[si]! + e[ei]! + w, startLogit: s[si]!, endLogit: e[ei]! });
          }
        }
        continue;
      }
      const ends = topK(e, nBest);
      for (const si of topK(s, nBest)) {
        for (const ei of ends) {
          const so = si < offsets.length ? offsets[si] : null;
          const eo = ei < offsets.length ? offsets[ei] : null;
          if (!so || !eo) continue;
          if (ei < si || ei - si + 1 > maxAnswerLength) continue;
          prelim.push({ start: so[0], end: eo[1], score: s[si]! + e[ei]!, startLogit: s[si]!, endLogit: e[ei]! });
        }
      }
    }
    if (opts.version2WithNegative && nullPrediction) prelim.push(nullPrediction);
    prelim.sort((a, b) => b.score - a.score);
    const top = prelim.slice(0, nBest);
    if (opts.version2WithNegative && nullPrediction && !top.some((p) => p.start === 0 && p.end === 0)) top.push(nullPrediction);

    let candidates: Array<Omit<QaCandidate, 'probability'>> = top.map((p) => ({ ...p, text: example.context.slice(p.start, p.end) }));
    if (candidates.length === 0 || (candidates.length === 1 && candidates[0]!.text === '')) {
      // HF's placeholder when nothing valid was found, so there is always a best answer.
      candidates = [{ text: 'empty', start: 0, end: 0, score: 0, startLogit: 0, endLogit: 0 }, ...candidates];
    }
    const maxScore = Math.max(...candidates.map((c) => c.score));
    const exps = candidates.map((c) => Math.exp(c.score - maxScore));
    const sum = exps.reduce((a, b) => a + b, 0);
    const nBestList: QaCandidate[] = candidates.map((c, i) => ({ ...c, probability: exps[i]! / sum }));

    let best = nBestList[0]!;
    if (opts.version2WithNegative && nullPrediction) {
      const bestNonNull = nBestList.find((c) => c.text !== '') ?? best;
      const diff = nullPrediction.score - bestNonNull.startLogit - bestNonNull.endLogit;
      best = diff > (opts.nullScoreDiffThreshold ?? 0) ? { ...nullPrediction, text: '', probability: 0 } : bestNonNull;
    }
    return { id: example.id, text: best.text, start: best.start, end: best.end, score: best.score, nBest: nBestList };
  });
}
