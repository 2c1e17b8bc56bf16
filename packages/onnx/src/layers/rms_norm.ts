import type { OnnxGraph } from '../onnx_graph';
import { int, ints } from '../onnx_graph';
import type { CheckpointWeights } from '../checkpoint_weights';

/** The mean of `x` over its last axis, kept as size 1 (ReduceMean took axes as an attribute before opset 18). */
export function meanLastAxis(g: OnnxGraph, x: string, opset: number): string {
  return opset >= 18 ? g.op1('ReduceMean', [x, g.int64([-1])], { keepdims: int(1) }) : g.op1('ReduceMean', [x], { axes: ints([-1]), keepdims: int(1) });
}

/** Llama's RMSNorm under `key`: w · x / sqrt(mean(x²) + eps), in standard ops (no contrib SimplifiedLayerNormalization). */
export function rmsNorm(g: OnnxGraph, w: CheckpointWeights, x: string, key: string, eps: number, opset: number): string {
  const weight = w.get(`${key}.weight`);
  g.initializer(`${key}.weight`, weight.data, weight.dims);
  return g.scope(key, () => {
    const ms = meanLastAxis(g, g.op1('Mul', [x, x]), opset);
    const normed = g.op1('Div', [x, g.op1('Sqrt', [g.op1('Add', [ms, g.scalar(eps)])])]);
    return g.op1('Mul', [normed, `${key}.weight`]);
  });
}
