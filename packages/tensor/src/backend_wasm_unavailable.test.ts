// When the wasm backend itself cannot start, initBackend falls to cpu (~50× slower) with one printed line,
// never silently; forced, it throws.
import { afterAll, describe, expect, it, vi } from 'vitest';
import { BackendError, initBackend } from './backend';

vi.mock('@tensorflow/tfjs-backend-wasm', () => {
  throw new Error('simulated: tfjs-backend-wasm.wasm not found');
});

afterAll(() => {
  vi.restoreAllMocks();
  delete process.env.ATTN_BACKEND;
});

describe('initBackend when wasm cannot start', () => {
  it('uses cpu and says so in one line', async () => {
    delete process.env.ATTN_BACKEND;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      expect(await initBackend()).toBe('cpu');
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]![0])).toMatch(/^attn: the wasm backend could not start \(.+\); using the cpu backend, about 50× slower$/);
      expect(String(warn.mock.calls[0]![0])).not.toContain('\n');
    } finally {
      warn.mockRestore();
    }
  });

  it('throws a BackendError when wasm was asked for', async () => {
    await expect(initBackend({ backend: 'wasm' })).rejects.toThrow(BackendError);
  });
});
