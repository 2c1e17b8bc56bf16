import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend';
import { tf } from '../tf';
import { countNewTensors, expectNoTensorLeak, TensorLeakError } from './tensor_leak';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('tensor leak helpers', () => {
  it('counts tensors left alive, not the returned ones', async () => {
    expect(await countNewTensors(() => tf.tidy(() => tf.add(tf.ones([2]), 1)))).toBe(0);
    expect(await countNewTensors(() => ({ a: tf.ones([2]), b: [tf.zeros([1])] }))).toBe(0);
    let leaked: tf.Tensor | undefined;
    expect(
      await countNewTensors(() => {
        leaked = tf.ones([3]);
        return tf.add(leaked, 1);
      }),
    ).toBe(1);
    leaked!.dispose();
  });

  it('expectNoTensorLeak throws a TensorLeakError naming the block', async () => {
    await expect(expectNoTensorLeak(() => tf.tidy(() => tf.sum(tf.ones([4]))))).resolves.toBeUndefined();
    let kept: tf.Tensor | undefined;
    await expect(
      expectNoTensorLeak(
        () => {
          kept = tf.ones([1]);
        },
        0,
        'train step',
      ),
    ).rejects.toThrow(TensorLeakError);
    kept!.dispose();
  });
});
