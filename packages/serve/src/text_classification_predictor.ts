import type { TextClassificationPipeline } from '@attn/pipelines';
import type { Predictor } from './predictor';
import type { TextInput } from './input_schema';
import { modelInfo, tensorHealth } from './model_info';

/** One line of `attn-classify predict --json`: the text, its best label and every label's probability. */
export interface TextClassificationOutput {
  text: string;
  text_pair?: string;
  label: string;
  score: number;
  scores: Array<{ label: string; score: number }>;
}

/** Serves a TextClassificationPipeline: `{"text": "..."}` → `{text, label, score, scores}`. */
export function textClassificationPredictor(pipe: TextClassificationPipeline): Predictor<TextInput, TextClassificationOutput> {
  return {
    task: 'text-classification',
    predictBatch(inputs) {
      const results = pipe.predict(inputs.map((x) => (x.textPair === undefined ? x.text : ([x.text, x.textPair] as [string, string]))));
      return results.map((r, i) => {
        const { text, textPair } = inputs[i]!;
        return textPair === undefined ? { text, label: r.label, score: r.score, scores: r.scores } : { text, text_pair: textPair, label: r.label, score: r.score, scores: r.scores };
      });
    },
    health: tensorHealth,
    info: () => modelInfo(pipe.model, pipe.labels),
  };
}
