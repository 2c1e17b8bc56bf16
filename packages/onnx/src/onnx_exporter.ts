import type { ModelTask } from '@attn/models';
import type { CheckpointWeights } from './checkpoint_weights';
import type { Dim, OnnxGraph } from './onnx_graph';
import { OnnxExportError } from './onnx_errors';

/** What a family's graph builder gets: the graph, the weights under HF keys, config.json's fields and the head. */
export interface OnnxExportContext {
  graph: OnnxGraph;
  weights: CheckpointWeights;
  /** config.json as the model would save it (HF field names: hidden_size, layer_norm_eps, hidden_act, ...). */
  config: Readonly<Record<string, unknown>>;
  task: ModelTask;
  /** HF's class name, e.g. 'BertForSequenceClassification'. */
  architecture: string;
  /** The backbone's key prefix (`bert`), '' for a bare base model: join keys with `key()`. */
  prefix: string;
  /** The batch and sequence dimensions of inputs and outputs: names when dynamic, sizes when fixed. */
  batch: Dim;
  sequence: Dim;
  /** The opset being written (17 or later). */
  opset: number;
}

/**
 * A family's ONNX graph builder, registered by model_type beside the family's other code: it declares the graph
 * inputs (HF Optimum's names), builds the body and the head for `task`, and declares the outputs.
 */
export interface OnnxExporter {
  modelType: string;
  /** The heads it can export; exportOnnx refuses the others with this list. */
  tasks: readonly ModelTask[];
  build(ctx: OnnxExportContext): void;
}

/** `prefix.rest`, or `rest` for a bare base model. */
export function key(ctx: Pick<OnnxExportContext, 'prefix'>, rest: string): string {
  return ctx.prefix ? `${ctx.prefix}.${rest}` : rest;
}

/** A config.json number, or `fallback` when absent. */
export function configNumber(ctx: Pick<OnnxExportContext, 'config'>, name: string, fallback?: number): number {
  const v = ctx.config[name];
  if (typeof v === 'number') return v;
  if (fallback !== undefined) return fallback;
  throw new OnnxExportError(`config.json has no number "${name}", which the ONNX graph needs.`);
}

export function configString(ctx: Pick<OnnxExportContext, 'config'>, name: string, fallback: string): string {
  const v = ctx.config[name];
  return typeof v === 'string' ? v : fallback;
}
