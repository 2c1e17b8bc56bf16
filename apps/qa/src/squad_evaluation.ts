import { postprocessQaPredictions, type QaEvalFeature, type QaExample, type QaPrediction } from '@attn/data';
import { squadV1 } from '@attn/metrics';
import { QuestionAnsweringPipeline } from '@attn/pipelines';
import type { TaskModel } from '@attn/models';
import type { Tokenizer } from '@attn/tokenizers';

export interface SquadEvaluation {
  exactMatch: number;
  f1: number;
  predictions: QaPrediction[];
}

/**
 * Model over the eval windows, HF's n-best post-processing back to text spans (with the model's sentence prior, or
 * opts.sentencePrior), SQuAD v1.1 EM / F1 against every gold answer. The model is left in the mode it was in.
 */
export function evaluateSquad(
  model: TaskModel,
  tokenizer: Tokenizer,
  examples: readonly QaExample[],
  features: readonly QaEvalFeature[],
  opts: { nBest?: number; maxAnswerLength?: number; batchSize?: number; sentencePrior?: number } = {},
): SquadEvaluation {
  const wasTraining = (model as { training?: boolean }).training === true;
  const pipe = new QuestionAnsweringPipeline(model, tokenizer, { batchSize: opts.batchSize ?? 16, sentencePrior: opts.sentencePrior });
  const { start, end } = pipe.logits(features);
  if (wasTraining) model.train();
  const predictions = postprocessQaPredictions(examples, features, start, end, { nBest: opts.nBest ?? 20, maxAnswerLength: opts.maxAnswerLength ?? 30, sentencePrior: pipe.sentencePrior });
  const scores = squadV1(
    Object.fromEntries(predictions.map((p) => [p.id, p.text])),
    Object.fromEntries(examples.map((e) => [e.id, e.answers.map((a) => a.text)])),
  );
  return { exactMatch: scores.exact_match, f1: scores.f1, predictions };
}
