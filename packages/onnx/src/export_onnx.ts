import type { PreTrainedModel } from '@attn/models';
import { writeFileDurable } from '@attn/tensor';
import { CheckpointWeights } from './checkpoint_weights';
import { onnxExporterFor } from './exporter_registry';
import { encodeModelProto, type ModelProto } from './onnx_proto';
import { OnnxGraph, type Dim } from './onnx_graph';
import { OnnxExportError } from './onnx_errors';
// The published version (changesets bump package.json; the bundler inlines this one field).
import { version as PRODUCER_VERSION } from '../package.json';

export interface ExportOnnxOptions {
  /** ONNX opset: 17 (the first with LayerNormalization) up to 21. Default 17. */
  opset?: number;
  /** Batch and sequence axes named `batch_size` / `sequence_length` (any size at run time). Default true. */
  dynamicAxes?: boolean;
  /** The fixed [batch, sequence] sizes written when dynamicAxes is false. */
  inputShape?: readonly [number, number];
  /**
   * 'int8': dynamic quantization of every linear layer (int8 weights with a scale per output column, activations
   * quantized at run time; DynamicQuantizeLinear + MatMulInteger). Embeddings, norms, attention products and tied
   * LM decoders stay float32. Roughly 4x smaller linear weights; outputs move by the quantization error.
   */
  quantize?: 'int8';
}

export interface OnnxExport {
  /** The .onnx file's bytes. */
  bytes: Uint8Array;
  /** HF's class name of the exported model. */
  architecture: string;
  opset: number;
  inputNames: string[];
  outputNames: string[];
  /** The ONNX op types the graph uses. */
  opTypes: string[];
  initializerCount: number;
}

export const MIN_OPSET = 17;
export const MAX_OPSET = 21;
// IR version 8 (onnx 1.12, opset 17): read by every onnxruntime since 1.13 and by onnxruntime-web.
const IR_VERSION = 8;

/**
 * Exports a model with its task head to ONNX (standard ops only, weights as initializers): the graph comes from
 * the exporter registered for its model_type, its inputs and outputs are named as HF Optimum names them
 * (input_ids, attention_mask, token_type_ids → logits, or start_logits / end_logits).
 */
export function exportOnnx(model: PreTrainedModel, opts: ExportOnnxOptions = {}): OnnxExport {
  const opset = opts.opset ?? MIN_OPSET;
  if (!Number.isInteger(opset) || opset < MIN_OPSET || opset > MAX_OPSET) {
    throw new OnnxExportError(`opset ${opset} is not supported: choose ${MIN_OPSET} to ${MAX_OPSET} (LayerNormalization needs 17).`);
  }
  const dynamic = opts.dynamicAxes ?? true;
  let batch: Dim = 'batch_size';
  let sequence: Dim = 'sequence_length';
  if (!dynamic) {
    if (!opts.inputShape) throw new OnnxExportError('dynamicAxes: false needs inputShape: [batch, sequence], the fixed sizes to write.');
    [batch, sequence] = opts.inputShape;
  }
  const config = model.configJSON();
  const exporter = onnxExporterFor(model.config.modelType);
  if (!exporter.tasks.includes(model.task)) {
    throw new OnnxExportError(`${model.architecture}: the ${exporter.modelType} ONNX exporter has no graph for ${model.task}; it exports ${exporter.tasks.join(', ')}.`);
  }
  if (opts.quantize !== undefined && opts.quantize !== 'int8') throw new OnnxExportError(`quantize "${String(opts.quantize)}" is not supported: 'int8' or leave it out.`);
  const graph = new OnnxGraph(model.architecture, opts.quantize);
  const weights = CheckpointWeights.fromModel(model);
  exporter.build({ graph, weights, config, task: model.task, architecture: model.architecture, prefix: model.baseModelPrefix, batch, sequence, opset });
  const graphProto = graph.toProto(`${model.architecture} exported by @attn/onnx`);
  const proto: ModelProto = {
    ir_version: IR_VERSION,
    opset_import: [{ domain: '', version: opset }],
    producer_name: 'attn',
    producer_version: PRODUCER_VERSION,
    graph: graphProto,
    metadata_props: [
      { key: 'architecture', value: model.architecture },
      { key: 'model_type', value: model.config.modelType },
      { key: 'task', value: model.task },
      ...(opts.quantize ? [{ key: 'quantization', value: 'dynamic int8 (MatMulInteger), per-column weight scales' }] : []),
    ],
  };
  return {
    bytes: encodeModelProto(proto),
    architecture: model.architecture,
    opset,
    inputNames: graphProto.input.map((i) => i.name),
    outputNames: graphProto.output.map((o) => o.name),
    opTypes: [...graph.opTypes()].sort(),
    initializerCount: graphProto.initializer.length,
  };
}

/** exportOnnx, written to `path` with @attn/tensor's durable writer (temporary file flushed, renamed, directory flushed). */
export async function saveOnnx(model: PreTrainedModel, path: string, opts: ExportOnnxOptions = {}): Promise<OnnxExport> {
  const result = exportOnnx(model, opts);
  await writeFileDurable(path, result.bytes);
  return result;
}
