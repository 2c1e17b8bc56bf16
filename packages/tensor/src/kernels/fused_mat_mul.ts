import { tf } from '../tf';
import type { TensorInfo } from './kernel_backend';

type FusedArgs = {
  inputs: { a: TensorInfo; b: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo };
  attrs: { transposeA: boolean; transposeB: boolean; activation?: string; leakyreluAlpha?: number };
  backend: { disposeData(dataId: object): void };
};

const ACTIVATION_KERNELS: Record<string, string> = {
  relu: 'Relu',
  relu6: 'Relu6',
  elu: 'Elu',
  sigmoid: 'Sigmoid',
  leakyrelu: 'LeakyRelu',
  prelu: 'Prelu',
};

/**
 * wasm _FusedMatMul (tf.fused.matMul, used by tfjs-layers Dense) as registered BatchMatMul → Add →
 * activation kernels. The stock kernel returns wrong values with a bias and batch > 1 (off by whole
 * units); composing the registered kernels also puts the product on attn's fast BatchMatMul.
 */
export const fusedMatMulWasm: tf.KernelConfig = {
  kernelName: '_FusedMatMul',
  backendName: 'wasm',
  kernelFunc: ((args: FusedArgs) => {
    const { inputs, attrs, backend } = args;
    const call = (name: string, ins: Record<string, TensorInfo>, at: Record<string, unknown> = {}): TensorInfo => {
      const k = tf.getKernel(name, 'wasm');
      if (!k) throw new Error(`_FusedMatMul: kernel ${name} is not registered for wasm.`);
      return k.kernelFunc({ inputs: ins, attrs: at, backend } as unknown as Parameters<tf.KernelFunc>[0]) as TensorInfo;
    };
    let out = call('BatchMatMul', { a: inputs.a, b: inputs.b }, { transposeA: attrs.transposeA, transposeB: attrs.transposeB });
    const step = (next: TensorInfo) => {
      backend.disposeData(out.dataId);
      out = next;
    };
    if (inputs.bias) step(call('Add', { a: out, b: inputs.bias }));
    const act = attrs.activation && attrs.activation !== 'linear' ? attrs.activation : undefined;
    if (act) {
      const name = ACTIVATION_KERNELS[act];
      if (!name) throw new Error(`_FusedMatMul: activation "${act}" is not supported on wasm.`);
      if (act === 'prelu') step(call(name, { x: out, alpha: inputs.preluActivationWeights! }));
      else step(call(name, { x: out }, act === 'leakyrelu' ? { alpha: attrs.leakyreluAlpha ?? 0.2 } : {}));
    }
    return out;
  }) as unknown as tf.KernelFunc,
};
