import { STOP_WORDS } from './question_match';

/**
 * config.json place of the sentence prior's weight, HF's `task_specific_params` (the per-task pipeline defaults that
 * T5 and BART checkpoints carry): `{"task_specific_params": {"question-answering": {"sentence_prior": 8}}}`.
 */
export const SENTENCE_PRIOR_TASK = 'question-answering';
export const SENTENCE_PRIOR_KEY = 'sentence_prior';

/** [start, end) of each sentence of a text: a sentence ends at . ! or ? (and closing quotes or brackets) before white space and a capital, digit or opening quote. */
export function sentenceSpans(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let start = 0;
  for (const m of text.matchAll(/[.!?]+["'”’)\]]*\s+(?=["'“‘(\[]?[\p{Lu}\p{N}])/gu)) {
    const end = m.index + m[0].length;
    spans.push([start, end]);
    start = end;
  }
  if (start < text.length) spans.push([start, text.length]);
  return spans;
}

function contentWords(text: string): Set<string> {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return new Set(words.filter((w) => !STOP_WORDS.has(w)));
}

/**
 * How well each sentence of the context matches the question: the sum over the question's content words that the
 * sentence holds of ln(1 + sentences / sentences holding the word), so a word found in every sentence counts little.
 * A span's log-weight is `weight × (its sentence's score − the best sentence's score)`: spans in the best-matching
 * sentence keep their score and a large weight keeps the answer inside it. A span that crosses sentences gets
 * -Infinity. This is the SQuAD paper's sliding-window baseline (Rajpurkar et al. 2016, after Richardson et al. 2013:
 * overlap weighted by inverse counts), used as a prior over a reader's spans.
 */
export class SentencePrior {
  private readonly spans: Array<[number, number]>;
  private readonly scores: number[];
  private readonly best: number;

  constructor(
    question: string,
    context: string,
    readonly weight: number,
  ) {
    const q = contentWords(question);
    this.spans = sentenceSpans(context);
    const words = this.spans.map(([s, e]) => contentWords(context.slice(s, e)));
    const holding = new Map<string, number>();
    for (const ws of words) for (const w of ws) holding.set(w, (holding.get(w) ?? 0) + 1);
    this.scores = words.map((ws) => {
      let score = 0;
      for (const w of ws) if (q.has(w)) score += Math.log(1 + this.spans.length / holding.get(w)!);
      return score;
    });
    this.best = Math.max(0, ...this.scores);
  }

  /** Log-weight of the answer context.slice(start, end). */
  logWeight(start: number, end: number): number {
    const i = this.sentenceAt(start);
    if (i < 0 || end > this.spans[i]![1]) return -Infinity;
    return this.weight * (this.scores[i]! - this.best);
  }

  private sentenceAt(char: number): number {
    let lo = 0;
    let hi = this.spans.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const [s, e] = this.spans[mid]!;
      if (char < s) hi = mid - 1;
      else if (char >= e) lo = mid + 1;
      else return mid;
    }
    return -1;
  }
}

/** What sentencePriorWeight reads from a model config (PretrainedConfig has this shape). */
export interface SentencePriorConfig {
  extra?: Record<string, unknown>;
}

/**
 * The model's sentence-prior weight (config.json task_specific_params["question-answering"].sentence_prior), 0 when
 * it has none. A value that is not a finite non-negative number is refused with one line naming the field.
 */
export function sentencePriorWeight(config: SentencePriorConfig, source = 'config.json'): number {
  const params = config.extra?.['task_specific_params'] as Record<string, unknown> | undefined;
  const task = params && typeof params === 'object' ? (params[SENTENCE_PRIOR_TASK] as Record<string, unknown> | undefined) : undefined;
  const v = task && typeof task === 'object' ? task[SENTENCE_PRIOR_KEY] : undefined;
  if (v === undefined || v === null) return 0;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new TypeError(`${source}: field "task_specific_params.${SENTENCE_PRIOR_TASK}.${SENTENCE_PRIOR_KEY}" must be a non-negative number, got ${JSON.stringify(v)}.`);
  }
  return v;
}

/** Writes the weight into a config's task_specific_params, keeping whatever else is there. */
export function setSentencePriorWeight(config: { extra: Record<string, unknown> }, weight: number): void {
  const params = { ...((config.extra['task_specific_params'] as Record<string, unknown> | undefined) ?? {}) };
  params[SENTENCE_PRIOR_TASK] = { ...((params[SENTENCE_PRIOR_TASK] as Record<string, unknown> | undefined) ?? {}), [SENTENCE_PRIOR_KEY]: weight };
  config.extra['task_specific_params'] = params;
}
