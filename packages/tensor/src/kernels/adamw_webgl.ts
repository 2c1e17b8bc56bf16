// AttnAdamW for the webgl backend: three packed shader passes per parameter (m, v, then p) instead of the composed
// path's ~14 kernels and ~9 uploaded scalar constants per parameter. On the playground's BERT-tiny that is ~120 draws
// a step instead of ~570 (issue #29 item 7). Same float32 arithmetic as adamwUpdate's composed path; the host
// computes the bias corrections in float64 and passes every constant as a uniform, so one shader per shape serves
// every step and learning rate.
import { tf } from '../tf';
import { ADAMW_KERNEL, type AdamWKernelAttrs } from '../ops/fused_kernel_names';

/** The parts of tfjs-backend-webgl's GPGPUProgram / MathBackendWebGL this kernel uses (structural, no import). */
interface PackedProgram {
  variableNames: string[];
  outputShape: number[];
  userCode: string;
  packedInputs: boolean;
  packedOutput: boolean;
  customUniforms: Array<{ name: string; type: 'float' }>;
}
interface WebGLProgramRunner {
  runWebGLProgram(program: PackedProgram, inputs: tf.TensorInfo[], outputDtype: 'float32', customUniformValues?: number[][]): tf.TensorInfo;
}

function program(outputShape: number[], variableNames: string[], uniforms: string[], body: string): PackedProgram {
  return {
    variableNames,
    outputShape,
    packedInputs: true,
    packedOutput: true,
    customUniforms: uniforms.map((name) => ({ name, type: 'float' })),
    userCode: `void main() {\n${body}\n}`,
  };
}

// m ← β1·m + (1−β1)·g
const M_CODE = '  setOutput(uBeta1 * getMAtOutCoords() + uOneMinusBeta1 * getGAtOutCoords());';
// v ← β2·v + (1−β2)·g²
const V_CODE = '  vec4 g = getGAtOutCoords();\n  setOutput(uBeta2 * getVAtOutCoords() + uOneMinusBeta2 * (g * g));';
// p ← p·(1 − lr·wd) − lr/(1−β1ᵗ) · m / (√v / √(1−β2ᵗ) + ε)
const P_CODE = '  setOutput(getPAtOutCoords() * uDecay - (getMAtOutCoords() / (sqrt(getVAtOutCoords()) / uSqrtBc2 + uEps)) * uStepSize);';

function adamwWebgl({ inputs, attrs, backend }: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: unknown }): tf.TensorInfo[] {
  const gl = backend as WebGLProgramRunner & { disposeIntermediateTensorInfo(t: tf.TensorInfo): void };
  const a = attrs as unknown as AdamWKernelAttrs;
  const bc1 = 1 - a.beta1 ** a.step;
  const sqrtBc2 = Math.sqrt(1 - a.beta2 ** a.step);
  const out: tf.TensorInfo[] = [];
  for (let i = 0; i < a.count; i++) {
    const [p, g, m, v] = (['p', 'g', 'm', 'v'] as const).map((k) => inputs[`${k}${i}`]!);
    const shape = p!.shape;
    const m2 = gl.runWebGLProgram(program(shape, ['M', 'G'], ['uBeta1', 'uOneMinusBeta1'], M_CODE), [m!, g!], 'float32', [[a.beta1], [1 - a.beta1]]);
    const v2 = gl.runWebGLProgram(program(shape, ['V', 'G'], ['uBeta2', 'uOneMinusBeta2'], V_CODE), [v!, g!], 'float32', [[a.beta2], [1 - a.beta2]]);
    const p2 = gl.runWebGLProgram(
      program(shape, ['P', 'M', 'V'], ['uDecay', 'uSqrtBc2', 'uEps', 'uStepSize'], P_CODE),
      [p!, m2, v2],
      'float32',
      [[1 - a.lr * a.weightDecay[i]!], [sqrtBc2], [a.eps], [a.lr / bc1]],
    );
    out.push(p2, m2, v2);
  }
  return out;
}

export const adamwWebglKernel: tf.KernelConfig = { kernelName: ADAMW_KERNEL, backendName: 'webgl', kernelFunc: adamwWebgl as unknown as tf.KernelFunc };
