// The families exportOnnx knows without a registerOnnxExporter() call: one line each, beside models' families.ts.
import type { OnnxExporter } from './onnx_exporter';
import { bertOnnx } from './bert/bert_onnx';
import { robertaOnnx } from './roberta/roberta_onnx';
import { electraOnnx } from './electra/electra_onnx';
import { distilbertOnnx } from './distilbert/distilbert_onnx';
import { albertOnnx } from './albert/albert_onnx';
import { gpt2Onnx } from './gpt2/gpt2_onnx';
import { llamaOnnx } from './llama/llama_onnx';

export const BUILTIN_EXPORTERS: readonly OnnxExporter[] = [bertOnnx, robertaOnnx, electraOnnx, distilbertOnnx, albertOnnx, gpt2Onnx, llamaOnnx];
