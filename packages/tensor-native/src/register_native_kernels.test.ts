import { beforeAll, describe, expect, it, vi } from 'vitest';
import { initBackend, isNativeWasmKernel, setAttnWasmKernels, tf } from '@attn/tensor';
import { loadNativeAddon } from './native_addon';

const addon = loadNativeAddon();

async function freshModule() {
  vi.resetModules();
  return import('./register_native_kernels');
}

describe('registration and fallback', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('with ATTN_NATIVE=0 registers nothing and stock kernels keep working', async () => {
    vi.stubEnv('ATTN_NATIVE', '0');
    try {
      const m = await freshModule();
      const stock = tf.getKernel('BatchMatMul', 'wasm');
      const r = m.registerNativeKernelsDetailed(tf);
      expect(r).toMatchObject({ registered: false, kernels: [], reason: 'disabled by ATTN_NATIVE=0' });
      expect(tf.getKernel('BatchMatMul', 'wasm')).toBe(stock);
      expect(m.activeNativeKernels(tf)).toEqual([]);
      const y = tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[5, 6], [7, 8]]), true, false));
      expect(Array.from(y.dataSync())).toEqual([26, 30, 38, 44]);
      y.dispose();
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('with the addon absent returns false with a one-line notice', async () => {
    vi.stubEnv('ATTN_NATIVE_PATH', '');
    vi.stubEnv('ATTN_NATIVE', '1'); // the notice is silent when the user disabled the addon
    const m = await freshModule();
    const na = await import('./native_addon');
    // Stands in for a machine without the compiled addon.
    vi.spyOn(na, 'nativeAddonStatus').mockReturnValue({ addon: null, reason: 'no attn_native.node for test' });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(m.registerNativeKernels(tf)).toBe(false);
    expect(m.registerNativeKernels(tf)).toBe(false);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(/^attn: native kernels off.*no attn_native\.node for test/);
    expect(m.activeNativeKernels(tf)).toEqual([]);
    warn.mockRestore();
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  it.skipIf(!addon)('registers once, unregisters back to the stock configs', async () => {
    const m = await freshModule();
    const stock = m.NATIVE_KERNELS.map((d) => tf.getKernel(d.kernelName, 'wasm'));
    expect(m.registerNativeKernels(tf)).toBe(true);
    expect(m.activeNativeKernels(tf)).toEqual(m.NATIVE_KERNELS.map((d) => d.kernelName));
    const first = m.NATIVE_KERNELS.map((d) => tf.getKernel(d.kernelName, 'wasm'));
    expect(m.registerNativeKernels(tf)).toBe(true);
    expect(m.NATIVE_KERNELS.map((d) => tf.getKernel(d.kernelName, 'wasm'))).toEqual(first);
    // A second copy of the module (ESM next to CJS) recognises the first one's kernels.
    const other = await freshModule();
    expect(other.registerNativeKernelsDetailed(tf).kernels).toEqual(m.NATIVE_KERNELS.map((d) => d.kernelName));
    expect(m.NATIVE_KERNELS.map((d) => tf.getKernel(d.kernelName, 'wasm'))).toEqual(first);
    expect(m.unregisterNativeKernels(tf)).toEqual(m.NATIVE_KERNELS.map((d) => d.kernelName));
    m.NATIVE_KERNELS.forEach((d, i) => expect(tf.getKernel(d.kernelName, 'wasm')).toBe(stock[i]));
  });
});

describe.skipIf(!addon)('an addon older than the JS', () => {
  it('leaves a fused kernel whose entry it lacks unregistered (callers keep their unfused path)', async () => {
    await initBackend({ backend: 'wasm' });
    const m = await freshModule();
    const na = await import('./native_addon');
    // The addon's entries (non-enumerable N-API properties) through its prototype, less `embeddings`.
    const older = Object.create(addon, { embeddings: { value: undefined } }) as typeof addon;
    vi.spyOn(na, 'nativeAddonStatus').mockReturnValue({ addon: older, path: 'older.node' });
    try {
      expect(m.registerNativeKernels(tf)).toBe(true);
      const active = m.activeNativeKernels(tf);
      expect(active).not.toContain('AttnEmbeddings');
      expect(active).toContain('AttnEncoderLayer');
    } finally {
      m.unregisterNativeKernels(tf);
      vi.restoreAllMocks();
    }
  });
});

describe.skipIf(!addon)('native kernels and @attn/tensor own kernels', () => {
  it("setAttnWasmKernels(true/false) after registerNativeKernels keeps the native kernels", async () => {
    await initBackend({ backend: 'wasm' });
    const m = await import('./register_native_kernels');
    expect(m.registerNativeKernels(tf)).toBe(true);
    const active = m.activeNativeKernels(tf);
    expect(active).toEqual(expect.arrayContaining(['BatchMatMul', '_FusedMatMul', 'UnsortedSegmentSum']));
    try {
      for (const on of [false, true]) {
        setAttnWasmKernels(on);
        expect(m.activeNativeKernels(tf)).toEqual(active);
        expect(isNativeWasmKernel('BatchMatMul')).toBe(true);
        // Still correct through the native kernel: a transposed batched matmul.
        const y = tf.tidy(() => Array.from(tf.matMul(tf.ones([2, 2, 3]), tf.ones([2, 4, 3]), false, true).dataSync()));
        expect(y).toEqual(new Array(16).fill(3));
      }
    } finally {
      m.unregisterNativeKernels(tf);
      setAttnWasmKernels(true);
    }
    expect(isNativeWasmKernel('BatchMatMul')).toBe(false);
  });

  it('the fused kernel names are the ones @attn/tensor dispatches to', async () => {
    const t = await import('@attn/tensor');
    const g = await import('./kernels/fused_gelu');
    const l = await import('./kernels/fused_layer_norm');
    const a = await import('./kernels/fused_adamw');
    expect([g.GELU_KERNEL, g.GELU_GRAD_KERNEL, l.LAYER_NORM_KERNEL, l.LAYER_NORM_GRAD_KERNEL, a.ADAMW_KERNEL]).toEqual([
      'AttnGelu',
      'AttnGeluGrad',
      'AttnLayerNorm',
      'AttnLayerNormGrad',
      'AttnAdamW',
    ]);
    expect([t.GELU_KERNEL, t.GELU_GRAD_KERNEL, t.LAYER_NORM_KERNEL, t.LAYER_NORM_GRAD_KERNEL, t.ADAMW_KERNEL]).toEqual([
      g.GELU_KERNEL,
      g.GELU_GRAD_KERNEL,
      l.LAYER_NORM_KERNEL,
      l.LAYER_NORM_GRAD_KERNEL,
      a.ADAMW_KERNEL,
    ]);
  });
});
