import { describe, it, expect, beforeAll } from 'vitest';
import { tf, initBackend } from '@attn/tensor';
import { TransformerEncoderLayer } from './transformer_encoder_layer';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('TransformerEncoderLayer', () => {
  it('has HF BertLayer names (feed-forward at the layer level) and equals attention then feed-forward', () => {
    const layer = new TransformerEncoderLayer({ hiddenSize: 8, numHeads: 2, intermediateSize: 16, initializerRange: 0.3 }).eval();
    expect(layer.namedParameters().map(([n]) => n)).toEqual([
      'attention.self.query.weight', 'attention.self.query.bias', 'attention.self.key.weight', 'attention.self.key.bias',
      'attention.self.value.weight', 'attention.self.value.bias', 'attention.output.dense.weight', 'attention.output.dense.bias',
      'attention.output.LayerNorm.weight', 'attention.output.LayerNorm.bias', 'intermediate.dense.weight', 'intermediate.dense.bias',
      'output.dense.weight', 'output.dense.bias', 'output.LayerNorm.weight', 'output.LayerNorm.bias',
    ]);
    const x = tf.randomNormal([2, 3, 8], 0, 1, 'float32', 2);
    const { output, probs } = layer.forward(x, { outputAttentions: true });
    const want = layer.feedForward.forward(layer.attention.forward(x).output);
    expect(Array.from(output.dataSync())).toEqual(Array.from(want.dataSync()));
    expect(probs!.shape).toEqual([2, 2, 3, 3]);
    layer.dispose();
  });
});
