import { describe, it, expect, beforeAll } from 'vitest';
import { tf, initBackend } from '@attn/tensor';
import { BertConfig } from './bert_config';
import { BertPooler } from './bert_pooler';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('BertPooler', () => {
  it('is tanh(dense(hidden[:, 0])) and ignores the other positions', () => {
    const pooler = new BertPooler(BertConfig.fromJSON({ hidden_size: 4, num_attention_heads: 2, initializer_range: 1 }));
    const h = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 1);
    const got = pooler.forward(h);
    const first = tf.slice(h, [0, 0, 0], [2, 1, 4]).reshape([2, 4]);
    const want = tf.tanh(tf.add(tf.matMul(first, pooler.dense.weight), pooler.dense.bias!));
    expect(got.shape).toEqual([2, 4]);
    expect(tf.max(tf.abs(tf.sub(got, want))).dataSync()[0]).toBeLessThan(1e-6);
    pooler.dispose();
  });
});
