import { tf } from '@attn/tensor';
import type { TaskModel } from '@attn/models';
import type { Tokenizer } from '@attn/tokenizers';
import { SentencePrior, padToTensor, paddedLength, prepareQaEvalFeatures, questionMatchTypeId, sentencePriorWeight, type FeatureTokenizer, type QaEvalFeature, type QaExample } from '@attn/data';
import { PipelineInputError } from './pipeline_error';
import { readAsync, readSync, type ReadSteps } from './read_back';

export interface QuestionAnsweringOptions {
  /** Tokens per window, question included. Default 384 (HF). */
  maxLength?: number;
  /** Tokens shared by consecutive windows of a long context. Default 128 (HF's doc_stride). */
  stride?: number;
  /** Longest answer in tokens. Default 15 (HF pipeline's max_answer_len). */
  maxAnswerLength?: number;
  /** Windows run through the model this many at a time. Default 8. */
  batchSize?: number;
  /**
   * Weight of the sentence prior over answer spans (@attn/data SentencePrior): a span's score is multiplied by
   * exp(weight × (its sentence's IDF-weighted question-word score − the best sentence's)), and spans across sentences are
   * dropped. Default: the model config's task_specific_params["question-answering"].sentence_prior, else 0 (HF's scores).
   */
  sentencePrior?: number;
}

export interface QuestionAnsweringInput {
  question: string;
  context: string;
}

export interface AnswerSpan {
  /** context.slice(start, end). */
  answer: string;
  /** [start, end) in the context, UTF-16 code units. */
  start: number;
  end: number;
  /** P(start) · P(end), each a softmax over its window's context tokens (HF pipeline's score). */
  score: number;
}

/** Softmax over the context tokens only (others get probability 0), as HF masks them with -10000. */
function contextSoftmax(logits: ArrayLike<number>, offsets: QaEvalFeature['offsetMapping']): Float64Array {
  const p = new Float64Array(offsets.length);
  let max = -Infinity;
  for (let t = 0; t < offsets.length; t++) if (offsets[t] && logits[t]! > max) max = logits[t]!;
  let sum = 0;
  for (let t = 0; t < offsets.length; t++) {
    if (!offsets[t]) continue;
    p[t] = Math.exp(logits[t]! - max);
    sum += p[t]!;
  }
  if (sum > 0) for (let t = 0; t < p.length; t++) p[t]! /= sum;
  return p;
}

/**
 * Question + context of any length → answer spans, as HF's `pipeline('question-answering')`:
 * the context is cut into windows of maxLength tokens overlapping by `stride`; in each window every
 * start ≤ end ≤ start + maxAnswerLength − 1 inside the context is scored P(start)·P(end); the
 * windows' candidates compete together and the topK best distinct spans are returned.
 */
export class QuestionAnsweringPipeline {
  readonly task = 'question-answering';
  private readonly maxLength: number;
  private readonly stride: number;
  private readonly maxAnswerLength: number;
  private readonly batchSize: number;
  /** The model's question-match token type (config.json question_match_type_id), if it was trained with one. */
  private readonly questionMatchTypeId: number | undefined;
  /** The sentence prior's weight in use (0: none). */
  readonly sentencePrior: number;

  constructor(
    readonly model: TaskModel,
    readonly tokenizer: Tokenizer,
    opts: QuestionAnsweringOptions = {},
  ) {
    this.maxLength = Math.min(opts.maxLength ?? 384, model.config.maxPositionEmbeddings);
    this.stride = Math.max(0, Math.min(opts.stride ?? 128, Math.floor(this.maxLength / 2)));
    this.maxAnswerLength = opts.maxAnswerLength ?? 15;
    this.batchSize = opts.batchSize ?? 8;
    this.questionMatchTypeId = questionMatchTypeId(model.config);
    this.sentencePrior = opts.sentencePrior ?? sentencePriorWeight(model.config);
    if (!(this.sentencePrior >= 0) || !Number.isFinite(this.sentencePrior)) throw new PipelineInputError(`sentencePrior must be a non-negative number, got ${this.sentencePrior}.`);
    model.eval();
  }

  /** Start and end logits per window of the given features, in feature order. On webgpu use logitsAsync. */
  logits(features: readonly QaEvalFeature[]): { start: Float32Array[]; end: Float32Array[] } {
    return readSync(this.logitSteps(features));
  }

  /** logits() with asynchronous read-backs (webgpu). */
  logitsAsync(features: readonly QaEvalFeature[]): Promise<{ start: Float32Array[]; end: Float32Array[] }> {
    return readAsync(this.logitSteps(features));
  }

  private *logitSteps(features: readonly QaEvalFeature[]): ReadSteps<{ start: Float32Array[]; end: Float32Array[] }> {
    const start: Float32Array[] = [];
    const end: Float32Array[] = [];
    const pad = this.tokenizer.padTokenId ?? 0;
    for (let b = 0; b < features.length; b += this.batchSize) {
      const chunk = features.slice(b, b + this.batchSize);
      const len = paddedLength(chunk.map((f) => f.inputIds));
      const inputs = {
        inputIds: padToTensor(chunk.map((f) => f.inputIds), len, pad),
        attentionMask: padToTensor(chunk.map((f) => f.attentionMask), len, 0),
        tokenTypeIds: padToTensor(chunk.map((f) => f.tokenTypeIds), len, 0),
      };
      try {
        const [s, e] = tf.tidy(() => {
          const out = this.model.forward(inputs);
          if (!out.startLogits || !out.endLogits) {
            throw new PipelineInputError('the model returned no startLogits / endLogits; question answering needs a …ForQuestionAnswering head (load it with { task: "question-answering" }).');
          }
          return [out.startLogits, out.endLogits];
        });
        let sd: Float32Array, ed: Float32Array;
        try {
          [sd, ed] = (yield [s!, e!]) as [Float32Array, Float32Array];
        } finally {
          tf.dispose([s!, e!]);
        }
        chunk.forEach((_, r) => {
          start.push(sd.slice(r * len, (r + 1) * len));
          end.push(ed.slice(r * len, (r + 1) * len));
        });
      } finally {
        tf.dispose(Object.values(inputs));
      }
    }
    return { start, end };
  }

  /** The tokenised windows of each input (HF run_qa's validation features). */
  features(inputs: readonly QuestionAnsweringInput[]): QaEvalFeature[] {
    const examples: QaExample[] = inputs.map((x, i) => {
      if (typeof x.question !== 'string' || x.question.trim() === '') throw new PipelineInputError(`input ${i}: the question is empty; pass { question, context }.`);
      if (typeof x.context !== 'string' || x.context.trim() === '') throw new PipelineInputError(`input ${i}: the context is empty; pass { question, context }.`);
      // Only the context is windowed: a question must fit in one window with [CLS], [SEP] ×2 and some context.
      const questionTokens = this.tokenizer.encode(x.question, undefined, { addSpecialTokens: false }).ids.length;
      if (questionTokens + 4 > this.maxLength) {
        throw new PipelineInputError(`input ${i}: the question has ${questionTokens} tokens but a window holds ${this.maxLength} (question + context); shorten the question or raise maxLength.`);
      }
      return { id: String(i), title: '', question: x.question, context: x.context, answers: [], isImpossible: false, source: { file: '<input>' } };
    });
    return prepareQaEvalFeatures(this.tokenizer as unknown as FeatureTokenizer, examples, { maxLength: this.maxLength, stride: this.stride, questionMatchTypeId: this.questionMatchTypeId });
  }

  /** The topK best answer spans for each input, best first. */
  predict(inputs: readonly QuestionAnsweringInput[], opts: { topK?: number } = {}): AnswerSpan[][] {
    const features = this.features(inputs);
    return this.answers(inputs, features, this.logits(features), opts.topK ?? 1);
  }

  /** predict() with asynchronous read-backs (webgpu). */
  async predictAsync(inputs: readonly QuestionAnsweringInput[], opts: { topK?: number } = {}): Promise<AnswerSpan[][]> {
    const features = this.features(inputs);
    return this.answers(inputs, features, await this.logitsAsync(features), opts.topK ?? 1);
  }

  private answers(
    inputs: readonly QuestionAnsweringInput[],
    features: readonly QaEvalFeature[],
    { start, end }: { start: Float32Array[]; end: Float32Array[] },
    topK: number,
  ): AnswerSpan[][] {
    const candidates = inputs.map(() => new Map<string, AnswerSpan>());
    // One prior per input: its sentences are scored once, however many windows the context spans.
    const priors = inputs.map((x) => (this.sentencePrior > 0 ? new SentencePrior(x.question, x.context, this.sentencePrior) : undefined));
    features.forEach((f, fi) => {
      const ps = contextSoftmax(start[fi]!, f.offsetMapping);
      const pe = contextSoftmax(end[fi]!, f.offsetMapping);
      const context = inputs[f.exampleIndex]!.context;
      const prior = priors[f.exampleIndex];
      // Every valid span (≤ maxLength × maxAnswerLength of them): exact, and cheap next to the model.
      const spans: Array<[number, number, number]> = [];
      for (let s = 0; s < f.offsetMapping.length; s++) {
        if (!f.offsetMapping[s]) continue;
        for (let e = s; e < Math.min(f.offsetMapping.length, s + this.maxAnswerLength); e++) {
          if (!f.offsetMapping[e]) continue;
          const w = prior ? prior.logWeight(f.offsetMapping[s]![0], f.offsetMapping[e]![1]) : 0;
          if (w === -Infinity) continue;
          spans.push([s, e, ps[s]! * pe[e]! * Math.exp(w)]);
        }
      }
      spans.sort((a, b) => b[2] - a[2]);
      for (const [s, e, score] of spans.slice(0, topK + 20)) {
        const startChar = f.offsetMapping[s]![0];
        const endChar = f.offsetMapping[e]![1];
        const key = `${startChar}:${endChar}`;
        const prev = candidates[f.exampleIndex]!.get(key);
        // Overlapping windows see the same span twice; the more confident window speaks for it.
        if (!prev || prev.score < score) candidates[f.exampleIndex]!.set(key, { answer: context.slice(startChar, endChar), start: startChar, end: endChar, score });
      }
    });
    return candidates.map((m) => [...m.values()].sort((a, b) => b.score - a.score).slice(0, topK));
  }

  dispose(): void {
    this.model.dispose();
  }
}
