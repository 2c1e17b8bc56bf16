import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@attn/tensor';
import { loadNativeAddon } from '../native_addon';
import { registerNativeKernels, unregisterNativeKernels } from '../register_native_kernels';
import { compareWithStock as compare, expectClose, randomTensor as t } from './test_support';

const addon = loadNativeAddon();

describe.skipIf(!addon)('native Softmax equals stock wasm', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
    expect(registerNativeKernels(tf)).toBe(true);
  });
  afterAll(() => {
    unregisterNativeKernels(tf);
  });

  it('Softmax over the last axis, odd widths, large logits', () => {
    compare(() => tf.softmax(t([4, 3, 33, 65], 41)));
    compare(() => tf.softmax(t([40, 3, 33, 65], 44)));
    compare(() => tf.softmax(tf.mul(t([70, 129], 42), 80)));
    compare(() => tf.softmax(t([5000, 1], 43)));
  });

  it('gradients through the native kernels match stock and leak nothing', () => {
    const x = t([64, 300], 51);
    const b = t([300], 52);
    const f = (xx: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(tf.softmax(tf.add(xx, bb)), tf.div(xx, tf.add(tf.abs(bb), 1))));
    const g = tf.grads(f);
    const before = tf.memory().numTensors;
    g([x, b]).forEach((v) => v.dispose());
    expect(tf.memory().numTensors).toBe(before);
    const native = g([x, b]);
    unregisterNativeKernels(tf);
    const stock = g([x, b]);
    registerNativeKernels(tf);
    expectClose(native[0]!.dataSync(), stock[0]!.dataSync());
    expectClose(native[1]!.dataSync(), stock[1]!.dataSync());
    tf.dispose([...native, ...stock, x, b]);
  });
});
