import { afterAll, describe, expect, it } from 'vitest';
import { BackendError, backendPreference, currentBackend, initBackend } from './backend';
import { tf } from './tf';

afterAll(async () => {
  delete process.env.ATTN_BACKEND;
  await initBackend({ backend: 'cpu' });
});

describe('initBackend', () => {
  it('prefers tensorflow, then wasm, then cpu in Node, and picks wasm here (no tfjs-node installed)', async () => {
    expect(backendPreference()).toEqual(['tensorflow', 'wasm', 'cpu']);
    delete process.env.ATTN_BACKEND;
    expect(await initBackend()).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(currentBackend()).toBe('wasm');
  });

  it('honours the option and the ATTN_BACKEND variable, option first', async () => {
    process.env.ATTN_BACKEND = 'cpu';
    expect(await initBackend()).toBe('cpu');
    expect(await initBackend({ backend: 'wasm' })).toBe('wasm');
    delete process.env.ATTN_BACKEND;
  });

  it('throws a BackendError naming the forced backend when it cannot start', async () => {
    await expect(initBackend({ backend: 'webgl' })).rejects.toThrow(BackendError);
    await expect(initBackend({ backend: 'tensorflow' })).rejects.toThrow(/"tensorflow" \(from the backend option\)/);
  });

  it('says tensorflow is not installed here and how to get it, rather than listing it as available', async () => {
    const err = (await initBackend({ backend: 'tensorflow' }).catch((e: unknown) => e)) as Error;
    expect(err.message).toBe(
      'Backend "tensorflow" (from the backend option): it needs @tensorflow/tfjs-node (or -gpu), which is not installed here (npm install @tensorflow/tfjs-node). Use wasm or cpu instead.',
    );
  });

  it('gradients and chained ops are registered on the shared tfjs-core', async () => {
    await initBackend({ backend: 'cpu' });
    const g = tf.tidy(() => Array.from(tf.grad((x: tf.Tensor) => x.square().sum())(tf.tensor1d([1, 2])).dataSync()));
    expect(g).toEqual([2, 4]);
  });
});
