import type { AnswerSpan, QuestionAnsweringInput, QuestionAnsweringPipeline } from '@attn/pipelines';
import type { Predictor } from './predictor';
import { modelInfo, tensorHealth } from './model_info';

/** What `attn-qa predict --json` prints: the best span, or the topK best (best first) when topK > 1. */
export type QuestionAnsweringOutput = AnswerSpan | AnswerSpan[];

/** Serves a QuestionAnsweringPipeline: `{"question", "context"}` → `{answer, start, end, score}` (character offsets into the context). */
export function questionAnsweringPredictor(pipe: QuestionAnsweringPipeline, opts: { topK?: number } = {}): Predictor<QuestionAnsweringInput, QuestionAnsweringOutput> {
  const topK = opts.topK ?? 1;
  return {
    task: 'question-answering',
    predictBatch(inputs) {
      // A non-blank context (the schema requires one) always has a span; the fallback keeps the shape.
      return pipe.predict(inputs, { topK }).map((answers) => (topK === 1 ? (answers[0] ?? { answer: '', start: 0, end: 0, score: 0 }) : answers));
    },
    health: tensorHealth,
    info: () => ({ topK, ...modelInfo(pipe.model, []) }),
  };
}
