import { afterAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend';
import { tf } from '../tf';
import { isNativeWasmKernel, registerNativeWasmKernels, setAttnWasmKernels } from './register_wasm';
import { NATIVE_KERNEL_MARK } from './native_kernel_mark';

afterAll(async () => {
  setAttnWasmKernels(true);
  await initBackend({ backend: 'cpu' });
});

describe('wasm kernel registration', () => {
  it('switches between attn and stock kernels; stock wasm lacks UnsortedSegmentSum', async () => {
    await initBackend({ backend: 'wasm' });
    const grad = () => tf.tidy(() => Array.from(tf.grad((x: tf.Tensor) => tf.sum(tf.gather(x, tf.tensor1d([1, 1], 'int32'))))(tf.ones([3])).dataSync()));
    expect(grad()).toEqual([0, 2, 0]);
    const names = setAttnWasmKernels(false);
    expect(names).toEqual(expect.arrayContaining(['UnsortedSegmentSum', 'BatchMatMul', 'GatherV2', 'Slice', 'Identity', '_FusedMatMul']));
    try {
      expect(grad).toThrow(/UnsortedSegmentSum/);
      // Stock kernels still work (their set-up ran): a transposed batched matmul.
      const y = tf.tidy(() => Array.from(tf.matMul(tf.ones([2, 2, 3]), tf.ones([2, 4, 3]), false, true).dataSync()));
      expect(y).toEqual(new Array(16).fill(3));
    } finally {
      setAttnWasmKernels(true);
    }
    expect(grad()).toEqual([0, 2, 0]);
  });

  it('leaves kernels that @attn/tensor-native serves in place (native wins over setAttnWasmKernels)', async () => {
    await initBackend({ backend: 'wasm' });
    const ours = tf.getKernel('BatchMatMul', 'wasm')!;
    // What @attn/tensor-native registers: a config marked with the shared symbol, holding the one it replaced.
    const native = { ...ours, [NATIVE_KERNEL_MARK]: ours } as tf.KernelConfig;
    tf.unregisterKernel('BatchMatMul', 'wasm');
    tf.registerKernel(native);
    try {
      expect(isNativeWasmKernel('BatchMatMul')).toBe(true);
      expect(isNativeWasmKernel('GatherV2')).toBe(false);
      setAttnWasmKernels(false);
      expect(tf.getKernel('BatchMatMul', 'wasm')).toBe(native);
      expect(tf.getKernel('GatherV2', 'wasm')).not.toBe(undefined);
      setAttnWasmKernels(true);
      expect(tf.getKernel('BatchMatMul', 'wasm')).toBe(native);
    } finally {
      tf.unregisterKernel('BatchMatMul', 'wasm');
      tf.registerKernel(ours);
      setAttnWasmKernels(true);
    }
    expect(isNativeWasmKernel('BatchMatMul')).toBe(false);
  });

  it('the optional native hook is skipped with ATTN_NATIVE=0', async () => {
    const prev = process.env.ATTN_NATIVE;
    process.env.ATTN_NATIVE = '0';
    try {
      expect(await registerNativeWasmKernels()).toBe(false);
    } finally {
      if (prev === undefined) delete process.env.ATTN_NATIVE;
      else process.env.ATTN_NATIVE = prev;
    }
  });
});
