import type { ClassificationExample } from './classification_example';
import type { FeatureTokenizer } from './feature_tokenizer';
import type { LabelMap } from './label_map';

/** Model inputs for one example of sequence classification; plain arrays, unpadded. */
export interface ClassificationFeature {
  inputIds: number[];
  attentionMask: number[];
  tokenTypeIds: number[];
  /** Class id; absent for unlabelled examples. */
  label?: number;
}

export interface ClassificationFeatureOptions {
  /** Maps label strings to ids; required when examples carry labels. */
  labelMap?: LabelMap;
  /** Default 128, as HF's run_glue. Longer inputs are truncated longest-first. */
  maxLength?: number;
}

/** Tokenizes one example (text or text pair) as HF's run_glue `preprocess_function` does. */
export function prepareClassificationFeature(
  tokenizer: FeatureTokenizer,
  example: ClassificationExample,
  opts: ClassificationFeatureOptions = {},
): ClassificationFeature {
  const enc = tokenizer.encode(example.text, example.textPair, {
    addSpecialTokens: true,
    truncation: { maxLength: opts.maxLength ?? 128, strategy: 'longest_first' },
  });
  const feature: ClassificationFeature = { inputIds: enc.ids, attentionMask: enc.attentionMask, tokenTypeIds: enc.typeIds };
  if (example.label !== undefined) {
    if (!opts.labelMap) throw new TypeError('examples carry labels: pass `labelMap` to turn them into class ids.');
    feature.label = opts.labelMap.id(example.label, example.source);
  }
  return feature;
}

export function prepareClassificationFeatures(
  tokenizer: FeatureTokenizer,
  examples: readonly ClassificationExample[],
  opts: ClassificationFeatureOptions = {},
): ClassificationFeature[] {
  return examples.map((ex) => prepareClassificationFeature(tokenizer, ex, opts));
}
