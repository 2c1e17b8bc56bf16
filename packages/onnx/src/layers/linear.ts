import type { OnnxGraph } from '../onnx_graph';
import { transpose2d, type CheckpointWeights } from '../checkpoint_weights';
import { quantizedMatMul } from './quantized_matmul';

/**
 * x W + b for the nn.Linear under `key` (`key.weight` [out, in], `key.bias` optional): MatMul on the transposed
 * weight (an initializer `key.weight.T`), then Add. Works on any leading dims, unlike Gemm. In an int8 graph the
 * weight is quantized (quantizedMatMul).
 */
export function linear(g: OnnxGraph, w: CheckpointWeights, x: string, key: string): string {
  const weightT = `${key}.weight.T`;
  if (g.quantize === 'int8') {
    const y = g.scope(key, () => quantizedMatMul(g, x, transpose2d(w.get(`${key}.weight`)), weightT));
    return addBias(g, w, y, `${key}.bias`);
  }
  if (!g.hasInitializer(weightT)) {
    const t = transpose2d(w.get(`${key}.weight`));
    g.initializer(weightT, t.data, t.dims);
  }
  const y = g.scope(key, () => g.op1('MatMul', [x, weightT]));
  return addBias(g, w, y, `${key}.bias`);
}

/** y + b when the checkpoint has `biasKey` (Llama's projections have none). */
export function addBias(g: OnnxGraph, w: CheckpointWeights, y: string, biasKey: string): string {
  if (!w.has(biasKey)) return y;
  const b = w.get(biasKey);
  g.initializer(biasKey, b.data, b.dims);
  return g.scope(biasKey.replace(/\.bias$/, ''), () => g.op1('Add', [y, biasKey]));
}

/** x Eᵀ (+ bias) with an embedding matrix E [vocab, hidden] as the decoder of a tied LM head; E is stored once. */
export function tiedDecoder(g: OnnxGraph, w: CheckpointWeights, x: string, embeddingKey: string, biasKey?: string): string {
  const e = w.get(embeddingKey);
  g.initializer(embeddingKey, e.data, e.dims);
  // Transpose of a constant: onnxruntime folds it once at session start, the file keeps one copy.
  const eT = g.op1('Transpose', [embeddingKey], { perm: { ints: [1, 0] } });
  const y = g.op1('MatMul', [x, eT]);
  return biasKey ? addBias(g, w, y, biasKey) : y;
}

/** x W + b for GPT-2's Conv1D under `key`: its weight is stored [in, out] already, so no transpose. */
export function conv1d(g: OnnxGraph, w: CheckpointWeights, x: string, key: string): string {
  const weight = w.get(`${key}.weight`);
  if (g.quantize === 'int8') return addBias(g, w, g.scope(key, () => quantizedMatMul(g, x, weight, `${key}.weight`)), `${key}.bias`);
  g.initializer(`${key}.weight`, weight.data, weight.dims);
  const y = g.scope(key, () => g.op1('MatMul', [x, `${key}.weight`]));
  return addBias(g, w, y, `${key}.bias`);
}
