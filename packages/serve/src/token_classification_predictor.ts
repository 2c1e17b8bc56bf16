import type { Entity, TokenClassificationPipeline } from '@attn/pipelines';
import type { Predictor } from './predictor';
import type { TextInput } from './input_schema';
import { modelInfo, tensorHealth } from './model_info';

/** One line of `attn-ner predict --json`: the text and its entities with character offsets. */
export interface TokenClassificationOutput {
  text: string;
  entities: Entity[];
}

/** Serves a TokenClassificationPipeline: `{"text": "..."}` → `{text, entities}`. */
export function tokenClassificationPredictor(pipe: TokenClassificationPipeline): Predictor<TextInput, TokenClassificationOutput> {
  return {
    task: 'token-classification',
    predictBatch(inputs) {
      const texts = inputs.map((x) => x.text);
      return pipe.predict(texts).map((entities, i) => ({ text: texts[i]!, entities }));
    },
    health: tensorHealth,
    info: () => ({ aggregationStrategy: pipe.aggregationStrategy, ...modelInfo(pipe.model, pipe.labels) }),
  };
}
