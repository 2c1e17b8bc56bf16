// In-memory HF checkpoints: what a browser has instead of a model directory (file pickers, fetch, downloads).
import { tf, parseSafetensors, serializeSafetensors } from '@attn/tensor';
import { deferParameterInit } from '@attn/layers';
import { BertConfig, type BertConfigJSON } from './bert_config';
import type { BertModelClass, BertPreTrainedModel, FromPretrainedOptions } from './bert_pretrained_model';

/** An HF checkpoint held in memory: config.json text (or its parsed object) and model.safetensors bytes (or its shards). */
export interface PretrainedBytes {
  config: string | BertConfigJSON;
  safetensors: Uint8Array | readonly Uint8Array[];
}

/**
 * fromPretrained for bytes: builds `cls` from config.json and safetensors bytes (one file or every shard).
 * Parameters the checkpoint lacks (e.g. a new task head) are freshly initialised, as in fromPretrained.
 * Returns the model in eval mode.
 */
export function fromPretrainedBytes<T extends BertPreTrainedModel>(
  cls: BertModelClass<T>,
  checkpoint: PretrainedBytes,
  opts: FromPretrainedOptions & { source?: string } = {},
): T {
  const source = opts.source ?? '<bytes>';
  const json = typeof checkpoint.config === 'string' ? (JSON.parse(checkpoint.config) as BertConfigJSON) : checkpoint.config;
  const config = BertConfig.fromJSON(json, `${source}/config.json`);
  if (opts.id2label) {
    config.id2label = { ...opts.id2label };
    config.label2id = opts.label2id ?? Object.fromEntries(Object.entries(opts.id2label).map(([k, v]) => [v, Number(k)]));
  } else if (opts.numLabels !== undefined) {
    config.numLabels = opts.numLabels;
  }
  if (opts.problemType !== undefined) config.problemType = opts.problemType;
  const shards = checkpoint.safetensors instanceof Uint8Array ? [checkpoint.safetensors] : checkpoint.safetensors;
  const weights: Record<string, tf.Tensor> = {};
  try {
    shards.forEach((bytes, i) => Object.assign(weights, parseSafetensors(bytes, `${source}/model.safetensors${shards.length > 1 ? ` (shard ${i + 1})` : ''}`)));
    // Parameters start as zeros; only those the checkpoint lacks get their random init (HF's no_init_weights).
    const { value: model, materialize } = deferParameterInit(() => new cls(config, opts));
    try {
      const info = model.loadPretrainedWeights(weights, { source, ignoreMismatchedSizes: opts.ignoreMismatchedSizes, quiet: opts.quiet });
      const params = new Map(model.namedParameters());
      materialize([...info.missingKeys, ...info.mismatchedKeys.map((m) => m.key)].map((k) => params.get(k)!));
      model.loadingInfo = info;
    } catch (e) {
      model.dispose();
      throw e;
    }
    return model.eval();
  } finally {
    tf.dispose(Object.values(weights));
  }
}

/** savePretrained for bytes: config.json text and model.safetensors bytes (float32, torch layout) that HF loads. */
export function toPretrainedBytes(model: BertPreTrainedModel): { config: string; safetensors: Uint8Array } {
  const json: Record<string, unknown> = { ...model.config.toJSON(), architectures: [model.className], model_type: 'bert', torch_dtype: 'float32' };
  if ('dtype' in json) json['dtype'] = 'float32';
  const tensors = model.hfStateDict();
  try {
    return { config: `${JSON.stringify(json, null, 2)}\n`, safetensors: serializeSafetensors(tensors, { format: 'pt' }, { source: 'model.safetensors' }) };
  } finally {
    tf.dispose(Object.values(tensors));
  }
}
