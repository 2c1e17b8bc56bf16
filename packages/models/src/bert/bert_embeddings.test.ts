import { describe, it, expect, beforeAll } from 'vitest';
import { tf, initBackend, layerNorm } from '@attn/tensor';
import { BertConfig } from './bert_config';
import { BertEmbeddings, BertInputError } from './bert_embeddings';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('BertEmbeddings', () => {
  const config = BertConfig.fromJSON({ vocab_size: 20, hidden_size: 8, num_attention_heads: 2, max_position_embeddings: 6, type_vocab_size: 2, initializer_range: 0.5 });

  it('is LayerNorm(word[id] + position[0..S-1] + tokenType[type])', () => {
    const e = new BertEmbeddings(config).eval();
    const ids = [[3, 4, 0], [7, 7, 2]];
    const types = [[0, 1, 0], [1, 1, 0]];
    const got = e.forward(tf.tensor2d(ids, undefined, 'int32'), tf.tensor2d(types, undefined, 'int32'));
    const w = e.word_embeddings.weight.arraySync() as number[][];
    const p = e.position_embeddings.weight.arraySync() as number[][];
    const t = e.token_type_embeddings.weight.arraySync() as number[][];
    const sum = ids.map((row, b) => row.map((id, s) => w[id]!.map((v, k) => v + p[s]![k]! + t[types[b]![s]!]![k]!)));
    const want = layerNorm(tf.tensor3d(sum), e.LayerNorm.weight, e.LayerNorm.bias, 1e-12);
    expect(tf.max(tf.abs(tf.sub(got, want))).dataSync()[0]).toBeLessThan(1e-5);
    // token types default to 0
    const noTypes = e.forward(tf.tensor2d([[3, 4]], undefined, 'int32'));
    const zeros = e.forward(tf.tensor2d([[3, 4]], undefined, 'int32'), tf.zeros([1, 2], 'int32'));
    expect(Array.from(noTypes.dataSync())).toEqual(Array.from(zeros.dataSync()));
    e.dispose();
  });

  it('rejects sequences longer than max_position_embeddings and ids that are not [batch, seq]', () => {
    const e = new BertEmbeddings(config);
    expect(() => e.forward(tf.zeros([1, 7], 'int32'))).toThrow(BertInputError);
    expect(() => e.forward(tf.zeros([7], 'int32'))).toThrow(/\[batch, seq\]/);
    e.dispose();
  });
});
