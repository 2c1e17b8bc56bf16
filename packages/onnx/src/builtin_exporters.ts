// The families exportOnnx knows without a registerOnnxExporter() call: one line each, beside models' families.ts.
import type { OnnxExporter } from './onnx_exporter';
import { bertOnnx } from './bert/bert_onnx';
import { robertaOnnx } from './roberta/roberta_onnx';
import { electraOnnx } from './electra/electra_onnx';
import { distilbertOnnx } from './distilbert/distilbert_onnx';
import { albertOnnx } from './albert/albert_onnx';

export const BUILTIN_EXPORTERS: readonly OnnxExporter[] = [bertOnnx, robertaOnnx, electraOnnx, distilbertOnnx, albertOnnx];
