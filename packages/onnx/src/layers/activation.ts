import type { OnnxGraph } from '../onnx_graph';
import { OnnxExportError } from '../onnx_errors';

type Activation = (g: OnnxGraph, x: string) => string;

// gelu(x) = 0.5 x (1 + erf(x / sqrt 2)): HF "gelu", exact.
const gelu: Activation = (g, x) => {
  const erf = g.op1('Erf', [g.op1('Mul', [x, g.scalar(Math.SQRT1_2)])]);
  return g.op1('Mul', [g.op1('Mul', [x, g.scalar(0.5)]), g.op1('Add', [erf, g.scalar(1)])]);
};

// 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))): HF "gelu_new" / "gelu_pytorch_tanh".
const geluTanh: Activation = (g, x) => {
  const cube = g.op1('Mul', [g.op1('Mul', [x, x]), x]);
  const inner = g.op1('Mul', [g.op1('Add', [x, g.op1('Mul', [cube, g.scalar(0.044715)])]), g.scalar(Math.sqrt(2 / Math.PI))]);
  return g.op1('Mul', [g.op1('Mul', [x, g.scalar(0.5)]), g.op1('Add', [g.op1('Tanh', [inner]), g.scalar(1)])]);
};

const ACTIVATIONS: Record<string, Activation> = {
  gelu,
  gelu_new: geluTanh,
  gelu_pytorch_tanh: geluTanh,
  relu: (g, x) => g.op1('Relu', [x]),
  tanh: (g, x) => g.op1('Tanh', [x]),
  silu: (g, x) => g.op1('Mul', [x, g.op1('Sigmoid', [x])]),
};

/** An HF activation by its config name (hidden_act / activation / activation_function) in standard ops. */
export function activation(g: OnnxGraph, x: string, name: string): string {
  const f = ACTIVATIONS[name];
  if (!f) throw new OnnxExportError(`No ONNX form for activation "${name}"; exportable: ${Object.keys(ACTIVATIONS).join(', ')}.`);
  return f(g, x);
}
