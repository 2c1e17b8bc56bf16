/** HF's `aggregation_strategy`: how sub-token predictions become entities. */
export type AggregationStrategy = 'none' | 'simple' | 'first' | 'average' | 'max';

export const AGGREGATION_STRATEGIES: readonly AggregationStrategy[] = ['none', 'simple', 'first', 'average', 'max'];

/** One non-special token with its label probabilities (HF's "pre-entity"). */
export interface TokenScores {
  /** Token index in its encoding. */
  index: number;
  /** [start, end) in the original text, UTF-16 code units. */
  start: number;
  end: number;
  /** Probability per label id (softmax of the logits). */
  scores: ArrayLike<number>;
  /** A continuation of the previous token's word (WordPiece's "##" pieces). */
  isSubword: boolean;
}

/** A predicted entity (or, with 'none', a labelled token) with its span in the original text. */
export interface Entity {
  /** With 'none': the token's label (e.g. "B-PER"); otherwise the entity type ("PER"). */
  entity: string;
  score: number;
  /** text.slice(start, end). */
  word: string;
  start: number;
  end: number;
  /** 'none' only: the token's index in the encoding. */
  index?: number;
}

function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let j = 1; j < values.length; j++) if (values[j]! > values[best]!) best = j;
  return best;
}

/** "B-PER" → ['B', 'PER'], "I-PER" → ['I', 'PER'], anything else (e.g. "O") → ['I', label], as HF's get_tag. */
function splitTag(label: string): [string, string] {
  if (label.startsWith('B-')) return ['B', label.slice(2)];
  if (label.startsWith('I-')) return ['I', label.slice(2)];
  return ['I', label];
}

interface Labelled {
  entity: string;
  score: number;
  start: number;
  end: number;
  index: number;
}

/** One label per word from its tokens' scores (HF aggregate_word). */
function aggregateWord(tokens: readonly TokenScores[], labels: readonly string[], strategy: 'first' | 'average' | 'max'): Labelled {
  let scores: ArrayLike<number>;
  if (strategy === 'first') scores = tokens[0]!.scores;
  else if (strategy === 'max') {
    // The token whose best label is most confident decides for the whole word.
    let best = tokens[0]!;
    let bestMax = -Infinity;
    for (const t of tokens) {
      const m = t.scores[argmax(t.scores)]!;
      if (m > bestMax) {
        bestMax = m;
        best = t;
      }
    }
    scores = best.scores;
  } else {
    const mean = new Float64Array(tokens[0]!.scores.length);
    for (const t of tokens) for (let j = 0; j < mean.length; j++) mean[j]! += t.scores[j]! / tokens.length;
    scores = mean;
  }
  const id = argmax(scores);
  return { entity: labels[id]!, score: scores[id]!, start: tokens[0]!.start, end: tokens.at(-1)!.end, index: tokens[0]!.index };
}

/**
 * Sub-token scores → entities with HF's `TokenClassificationPipeline` semantics:
 * - 'none': every token with its argmax label;
 * - 'simple': argmax per token, then adjacent tokens of one type grouped (a B- starts a new group), score = mean;
 * - 'first' / 'average' / 'max': one label per word first (its first token's / the mean / the most confident
 *   token's scores), so a word is never split between entities; then grouped as 'simple'.
 * Labels in `ignoreLabels` (default "O") are dropped at the end. `word` is the span of the original text.
 */
export function aggregateEntities(
  text: string,
  tokens: readonly TokenScores[],
  labels: readonly string[],
  strategy: AggregationStrategy,
  ignoreLabels: readonly string[] = ['O'],
): Entity[] {
  let labelled: Labelled[];
  if (strategy === 'none' || strategy === 'simple') {
    labelled = tokens.map((t) => {
      const id = argmax(t.scores);
      return { entity: labels[id]!, score: t.scores[id]!, start: t.start, end: t.end, index: t.index };
    });
  } else {
    labelled = [];
    let word: TokenScores[] = [];
    for (const t of tokens) {
      if (!t.isSubword && word.length > 0) {
        labelled.push(aggregateWord(word, labels, strategy));
        word = [];
      }
      word.push(t);
    }
    if (word.length > 0) labelled.push(aggregateWord(word, labels, strategy));
  }

  if (strategy === 'none') {
    return labelled
      .filter((l) => !ignoreLabels.includes(l.entity))
      .map((l) => ({ entity: l.entity, score: l.score, word: text.slice(l.start, l.end), start: l.start, end: l.end, index: l.index }));
  }

  const groups: Labelled[][] = [];
  for (const l of labelled) {
    const last = groups.at(-1)?.at(-1);
    const [bi, tag] = splitTag(l.entity);
    if (last && splitTag(last.entity)[1] === tag && bi !== 'B') groups.at(-1)!.push(l);
    else groups.push([l]);
  }
  const entities: Entity[] = [];
  for (const g of groups) {
    const type = splitTag(g[0]!.entity)[1];
    if (ignoreLabels.includes(type) || ignoreLabels.includes(g[0]!.entity)) continue;
    const start = g[0]!.start;
    const end = g.at(-1)!.end;
    const score = g.reduce((s, l) => s + l.score, 0) / g.length;
    entities.push({ entity: type, score, word: text.slice(start, end), start, end });
  }
  return entities;
}
