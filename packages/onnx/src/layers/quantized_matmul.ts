import type { OnnxGraph } from '../onnx_graph';
import type { WeightArray } from '../checkpoint_weights';

/**
 * x W for a float weight W [in, out] stored as int8: W ≈ Wq · s with a symmetric scale per output column
 * (s_j = max_i |W_ij| / 127), x quantized at run time to uint8 (DynamicQuantizeLinear), the product in integers
 * (MatMulInteger), then rescaled by x's scale and s. `name` is the float weight's initializer name.
 */
export function quantizedMatMul(g: OnnxGraph, x: string, weight: WeightArray, name: string): string {
  const [rows, cols] = weight.dims as [number, number];
  const scale = new Float32Array(cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) scale[j] = Math.max(scale[j]!, Math.abs(weight.data[i * cols + j]!));
  for (let j = 0; j < cols; j++) scale[j] = scale[j]! > 0 ? scale[j]! / 127 : 1;
  const q = new Int8Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) q[i * cols + j] = Math.round(weight.data[i * cols + j]! / scale[j]!);
  const wq = g.int8Initializer(`${name}_quantized`, q, [rows, cols]);
  const ws = g.initializer(`${name}_scale`, scale, [cols]);
  const [xq, xScale, xZero] = g.op('DynamicQuantizeLinear', [x], {}, 3) as [string, string, string];
  const acc = g.op1('MatMulInteger', [xq, wq, xZero]); // int32 [..., out]
  return g.op1('Mul', [g.op1('Mul', [g.op1('Cast', [acc], { to: { int: 1 } }), xScale]), ws]);
}
