// A tfjs whose wasm internals differ from the adapter's contract (simulated: a member the adapter needs is
// missing, or tfjs-backend-wasm reports another version): initBackend keeps wasm with tfjs's stock kernels
// and says so in one line.
import { afterAll, describe, expect, it, vi } from 'vitest';
import { initBackend, nativeKernelsActive } from './backend';
import { tf } from './tf';

const simulate = vi.hoisted(() => ({ problem: 'member' as 'member' | 'version' | 'register' }));

vi.mock('./kernels/wasm_internals', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./kernels/wasm_internals')>();
  const missing = { member: 'wasm.attnNoSuchMember', use: 'a symbol a later tfjs dropped', present: () => false };
  return {
    ...actual,
    wasmInternalsProblems: (backend: object | undefined, versions: import('./kernels/wasm_internals').WasmVersions) =>
      simulate.problem === 'member'
        ? actual.wasmInternalsProblems(backend, versions, [...actual.WASM_MEMBERS, missing])
        : simulate.problem === 'version'
          ? actual.wasmInternalsProblems(backend, { ...versions, wasm: '4.23.0' })
          : actual.wasmInternalsProblems(backend, versions),
  };
});

// 'register': the check passes but registering throws half-way (a bug, or a tfjs change the check missed).
vi.mock('./kernels/register_wasm', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./kernels/register_wasm')>();
  return {
    ...actual,
    registerWasmKernels: () => {
      actual.registerWasmKernels();
      if (simulate.problem === 'register') throw new Error('simulated registration failure');
    },
  };
});

afterAll(async () => {
  vi.restoreAllMocks();
  await initBackend({ backend: 'cpu' });
});

describe('initBackend when tfjs-backend-wasm is not the version attn was written for', () => {
  it.each([
    ['a member attn needs is missing', 'member', /^attn: skipping attn's wasm kernels, keeping tfjs's stock ones \(slower\): missing wasm\.attnNoSuchMember$/],
    ['tfjs-backend-wasm has another version', 'version', /^attn: skipping attn's wasm kernels, keeping tfjs's stock ones \(slower\): tfjs-backend-wasm is 4\.23\.0, not 4\.22\.0$/],
    ['registering attn kernels throws', 'register', /^attn: attn's wasm kernels could not be registered, keeping tfjs's stock ones \(slower\): simulated registration failure$/],
  ] as const)('%s: wasm with the stock kernels, one printed line', async (_label, problem, line) => {
    simulate.problem = problem;
    await import('@tensorflow/tfjs-backend-wasm');
    const stock = ['GatherV2', 'BatchMatMul', 'Slice', 'Identity', '_FusedMatMul'].map((k) => tf.getKernel(k, 'wasm'));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await initBackend()).toBe('wasm');
      const lines = [...warn.mock.calls.map((c) => String(c[0])), ...err.mock.calls.map((c) => String(c[0]))];
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(line);
    } finally {
      warn.mockRestore();
      err.mockRestore();
    }
    expect(tf.getBackend()).toBe('wasm');
    expect(['GatherV2', 'BatchMatMul', 'Slice', 'Identity', '_FusedMatMul'].map((k) => tf.getKernel(k, 'wasm'))).toEqual(stock);
    expect(tf.getKernel('UnsortedSegmentSum', 'wasm')).toBeUndefined(); // attn's, which stock wasm lacks
    expect(nativeKernelsActive()).toBe(false);
    const y = tf.tidy(() => Array.from(tf.matMul(tf.ones([2, 2, 3]), tf.ones([2, 4, 3]), false, true).dataSync()));
    expect(y).toEqual(new Array(16).fill(3));
  });
});
