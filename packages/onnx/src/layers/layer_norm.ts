import type { OnnxGraph } from '../onnx_graph';
import { float, int } from '../onnx_graph';
import type { CheckpointWeights } from '../checkpoint_weights';

/** LayerNormalization (opset 17) over the last axis with `key.weight` / `key.bias`. */
export function layerNorm(g: OnnxGraph, w: CheckpointWeights, x: string, key: string, epsilon: number): string {
  const gamma = w.get(`${key}.weight`);
  const beta = w.get(`${key}.bias`);
  g.initializer(`${key}.weight`, gamma.data, gamma.dims);
  g.initializer(`${key}.bias`, beta.data, beta.dims);
  return g.scope(key, () => g.op1('LayerNormalization', [x, `${key}.weight`, `${key}.bias`], { axis: int(-1), epsilon: float(epsilon) }));
}
