import { tf } from '@attn/tensor';
import type { TaskModel } from '@attn/models';
import type { Encoding, Tokenizer } from '@attn/tokenizers';
import { padToTensor, paddedLength } from '@attn/data';
import { aggregateEntities, AGGREGATION_STRATEGIES, type AggregationStrategy, type Entity, type TokenScores } from './aggregate_entities';
import { PipelineInputError } from './pipeline_error';
import { readAsync, readSync, type ReadSteps } from './read_back';

export interface TokenClassificationOptions {
  /** How sub-token predictions become entities (HF's aggregation_strategy). Default 'simple'. */
  aggregationStrategy?: AggregationStrategy;
  /** Labels (or entity types) left out of the result. Default ['O']. */
  ignoreLabels?: string[];
  /** Tokens per window; longer texts are cut into overlapping windows. Default 512 (capped by the model's positions). */
  maxLength?: number;
  /** Tokens shared by consecutive windows. Default 128 (capped below maxLength). */
  stride?: number;
  /** Windows run through the model this many at a time. Default 16. */
  batchSize?: number;
}

interface Window {
  text: number;
  enc: Encoding;
}

/**
 * Text → entities with character offsets into the original text, as HF's
 * `pipeline('token-classification')` (alias 'ner'). Texts of any length: windows overlap by
 * `stride` tokens and each token keeps the prediction of the window where it sits farthest from an edge.
 */
export class TokenClassificationPipeline {
  readonly task = 'token-classification';
  readonly aggregationStrategy: AggregationStrategy;
  private readonly ignoreLabels: string[];
  private readonly maxLength: number;
  private readonly stride: number;
  private readonly batchSize: number;

  constructor(
    readonly model: TaskModel,
    readonly tokenizer: Tokenizer,
    opts: TokenClassificationOptions = {},
  ) {
    const strategy = opts.aggregationStrategy ?? 'simple';
    if (!AGGREGATION_STRATEGIES.includes(strategy)) {
      throw new PipelineInputError(`aggregationStrategy must be one of ${AGGREGATION_STRATEGIES.join(', ')}; got ${JSON.stringify(strategy)}.`);
    }
    this.aggregationStrategy = strategy;
    this.ignoreLabels = opts.ignoreLabels ?? ['O'];
    this.maxLength = Math.min(opts.maxLength ?? 512, model.config.maxPositionEmbeddings);
    this.stride = Math.max(0, Math.min(opts.stride ?? 128, this.maxLength - 8));
    this.batchSize = opts.batchSize ?? 16;
    model.eval();
  }

  get labels(): string[] {
    const id2label = this.model.config.id2label ?? {};
    const n = this.model.config.numLabels;
    return Array.from({ length: n }, (_, i) => id2label[i] ?? `LABEL_${i}`);
  }

  /** Per text, its non-special tokens with label probabilities, merged across windows. On webgpu use tokenScoresAsync. */
  tokenScores(texts: readonly string[]): TokenScores[][] {
    return readSync(this.tokenScoreSteps(texts));
  }

  /** tokenScores() with asynchronous read-backs (webgpu). */
  tokenScoresAsync(texts: readonly string[]): Promise<TokenScores[][]> {
    return readAsync(this.tokenScoreSteps(texts));
  }

  private *tokenScoreSteps(texts: readonly string[]): ReadSteps<TokenScores[][]> {
    const windows: Window[] = [];
    texts.forEach((text, i) => {
      const enc = this.tokenizer.encode(text, undefined, { addSpecialTokens: true, truncation: { maxLength: this.maxLength, stride: this.stride } });
      for (const w of [enc, ...enc.overflowing]) windows.push({ text: i, enc: w });
    });
    // Per text: token start offset → [distance from the window edge, token].
    const best = texts.map(() => new Map<number, [number, TokenScores, number | null]>());
    const pad = this.tokenizer.padTokenId ?? 0;
    for (let b = 0; b < windows.length; b += this.batchSize) {
      const chunk = windows.slice(b, b + this.batchSize);
      const len = paddedLength(chunk.map((w) => w.enc.ids));
      const inputs = {
        inputIds: padToTensor(chunk.map((w) => w.enc.ids), len, pad),
        attentionMask: padToTensor(chunk.map((w) => w.enc.attentionMask), len, 0),
        tokenTypeIds: padToTensor(chunk.map((w) => w.enc.typeIds), len, 0),
      };
      let probs: Float32Array;
      let numLabels: number;
      try {
        const p = tf.tidy(() => {
          const logits = this.model.forward(inputs).logits;
          if (!logits || logits.rank !== 3) {
            throw new PipelineInputError(`the model returned ${logits ? `logits of rank ${logits.rank}` : 'no logits'}; token classification needs [batch, seq, labels] (a …ForTokenClassification head).`);
          }
          return tf.softmax(logits, -1);
        });
        numLabels = p.shape[2]!;
        try {
          [probs] = (yield [p]) as [Float32Array];
        } finally {
          p.dispose();
        }
      } finally {
        tf.dispose(Object.values(inputs));
      }
      chunk.forEach((w, r) => {
        const { enc } = w;
        const real = enc.ids.map((_, t) => t).filter((t) => enc.specialTokensMask[t] !== 1 && enc.offsets[t]![1] > enc.offsets[t]![0]);
        real.forEach((t, k) => {
          const edge = Math.min(k, real.length - 1 - k);
          const start = enc.offsets[t]![0];
          const prev = best[w.text]!.get(start);
          if (prev && prev[0] >= edge) return;
          const scores = probs.slice((r * len + t) * numLabels, (r * len + t + 1) * numLabels);
          best[w.text]!.set(start, [edge, { index: t, start, end: enc.offsets[t]![1], scores, isSubword: false }, enc.wordIds[t] ?? null]);
        });
      });
    }
    return best.map((m) => {
      const ordered = [...m.values()].sort((a, b) => a[1].start - b[1].start);
      // A token continues a word when the pre-tokenizer put it in the same word as the token before it;
      // index counts [CLS] as 0, as in a single window.
      return ordered.map(([, tok, word], i) => ({ ...tok, index: i + 1, isSubword: i > 0 && word !== null && ordered[i - 1]![2] === word && ordered[i - 1]![1].end === tok.start }));
    });
  }

  /** Entities per text. */
  predict(texts: readonly string[]): Entity[][] {
    return this.entities(texts, this.tokenScores(texts));
  }

  /** predict() with asynchronous read-backs (webgpu). */
  async predictAsync(texts: readonly string[]): Promise<Entity[][]> {
    return this.entities(texts, await this.tokenScoresAsync(texts));
  }

  private entities(texts: readonly string[], scores: TokenScores[][]): Entity[][] {
    const labels = this.labels;
    return scores.map((tokens, i) => aggregateEntities(texts[i]!, tokens, labels, this.aggregationStrategy, this.ignoreLabels));
  }

  dispose(): void {
    this.model.dispose();
  }
}
