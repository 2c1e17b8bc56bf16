import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// As in an install without @attn/tensor-native: the lookup finds no package.
vi.mock('./kernels/register_wasm', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./kernels/register_wasm')>();
  return { ...actual, registerNativeWasmKernels: async () => false, nativeKernelLookup: () => 'missing' as const };
});

const { initBackend } = await import('./backend');
const { NATIVE_KERNELS_NOTICE, noticeMissingNativeKernels } = await import('./native_kernels_notice');

const SHOWN = Symbol.for('@attn/tensor.nativeKernelsNoticeShown');
const quiet = process.env.ATTN_QUIET_NATIVE;
let stderr: string;
beforeEach(() => {
  delete (globalThis as Record<symbol, unknown>)[SHOWN];
  delete process.env.ATTN_QUIET_NATIVE;
  stderr = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
});
afterEach(() => {
  vi.restoreAllMocks();
});
afterAll(async () => {
  if (quiet !== undefined) process.env.ATTN_QUIET_NATIVE = quiet;
  await initBackend({ backend: 'cpu' });
});

describe('initBackend without @attn/tensor-native', () => {
  it('prints one line on stderr when it picks wasm, once per process', async () => {
    expect(NATIVE_KERNELS_NOTICE).toBe('attn: native kernels not found: npm install @attn/tensor-native for ~3–6× speed (ATTN_QUIET_NATIVE=1 silences this)');
    expect(await initBackend({ backend: 'wasm' })).toBe('wasm');
    expect(await initBackend({ backend: 'wasm' })).toBe('wasm');
    expect(await initBackend()).toBe('wasm');
    expect(stderr).toBe(`${NATIVE_KERNELS_NOTICE}\n`);
  });

  it('says nothing when ATTN_QUIET_NATIVE=1', async () => {
    process.env.ATTN_QUIET_NATIVE = '1';
    expect(await initBackend({ backend: 'wasm' })).toBe('wasm');
    expect(stderr).toBe('');
    // ATTN_QUIET_NATIVE=0 does not silence it.
    process.env.ATTN_QUIET_NATIVE = '0';
    expect(noticeMissingNativeKernels()).toBe(true);
  });

  it('says nothing on the cpu backend (the hint is about wasm)', async () => {
    expect(await initBackend({ backend: 'cpu' })).toBe('cpu');
    expect(stderr).toBe('');
  });
});
