// The native dropout mask against @attn/tensor's JS Generator: the same stream, bit for bit, on odd
// sizes, across the 64k slices the threads split it into, at rates 0.1 / 0.5 / 0.9, with 1 and 2 threads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DROPOUT_MASK_KERNEL, Generator, dropout, dropoutMask, initBackend, tf } from '@attn/tensor';
import { loadNativeAddon, type NativeAddon } from '../native_addon';
import { registerNativeKernels, unregisterNativeKernels } from '../register_native_kernels';
import type { DropoutMaskAddon } from './dropout_mask';

const addon = loadNativeAddon() as (NativeAddon & DropoutMaskAddon) | null;

function jsMask(shape: number[], rate: number, seed: number): Float32Array {
  const out = new Float32Array(shape.reduce((a, b) => a * b, 1));
  new Generator(seed).fillKeepMask(out, rate, 1 / (1 - rate));
  return out;
}

function mismatches(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let bad = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) bad++;
  return bad;
}

describe.skipIf(!addon?.dropoutMask)('native dropout mask', () => {
  const threads = addon?.info().threads ?? 1;
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
    expect(registerNativeKernels(tf)).toBe(true);
  });
  afterAll(() => {
    addon!.setThreads(threads);
    unregisterNativeKernels(tf);
  });

  it('jumps the generator ahead exactly (the split the threads use)', () => {
    for (const steps of [0, 1, 63, 64, 65536, 65536 * 7 + 3, 2 ** 40 + 5]) {
      const g = new Generator(steps + 11);
      const start = g.getState();
      if (steps <= 65536 * 8) for (let i = 0; i < steps; i++) g.nextUint32();
      const jumped = addon!.xoshiroJump!(start[0]!, start[1]!, start[2]!, start[3]!, steps);
      if (steps <= 65536 * 8) expect(jumped).toEqual(g.getState());
      // Jumping a then b lands where jumping a + b does.
      const half = addon!.xoshiroJump!(start[0]!, start[1]!, start[2]!, start[3]!, Math.floor(steps / 2));
      expect(addon!.xoshiroJump!(half[0]!, half[1]!, half[2]!, half[3]!, steps - Math.floor(steps / 2))).toEqual(jumped);
    }
  });

  it.each([1, 2])('gives the JS mask bit for bit (%i threads)', (n) => {
    addon!.setThreads(n);
    const cases: [number[], number, number][] = [
      [[1], 0.1, 1],
      [[3, 7], 0.5, 2],
      [[2, 65536], 0.1, 3], // exactly two slices
      [[65537], 0.9, 4], // one float past a slice
      [[4, 3, 129, 127], 0.25, 0xffffffff],
      [[2, 1, 2048], 0.1, 2 ** 40 + 17],
    ];
    for (const [shape, rate, seed] of cases) {
      const mask = dropoutMask(shape, rate, seed);
      expect(mask.shape).toEqual(shape);
      expect(mismatches(mask.dataSync(), jsMask(shape, rate, seed)), `shape ${shape} rate ${rate}`).toBe(0);
      mask.dispose();
    }
  });

  it('is what dropoutMask dispatches to, and dropout keeps the same values and no tensors', () => {
    expect(tf.getKernel(DROPOUT_MASK_KERNEL, 'wasm')).toBeTruthy();
    const x = tf.randomNormal([5, 300]);
    const before = tf.memory().numTensors;
    const y = dropout(x, 0.3, 99);
    const expected = tf.tidy(() => tf.mul(x, tf.tensor(jsMask([5, 300], 0.3, 99), [5, 300])));
    expect(mismatches(y.dataSync(), expected.dataSync())).toBe(0);
    tf.dispose([y, expected]);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it('empty shapes give empty masks', () => {
    const mask = dropoutMask([0, 4], 0.1, 1);
    expect(mask.shape).toEqual([0, 4]);
    mask.dispose();
  });
});
