import { describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { onBackends } from './backend_parity';

describe('wasm Identity (shared buffer)', () => {
  it('identity shares buffers but values stay independent of later ops', async () => {
    const [wasm] = await onBackends(['wasm'], () => {
      const x = tf.tensor1d([1, 2, 3]);
      const c = tf.clone(x);
      const v = tf.variable(c);
      v.assign(tf.tensor1d([7, 8, 9]));
      const out = [c, x, tf.clone(v)];
      v.dispose();
      return out;
    });
    expect(wasm!.map((r) => r.values)).toEqual([[1, 2, 3], [1, 2, 3], [7, 8, 9]]);
  });
});
