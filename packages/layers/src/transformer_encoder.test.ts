import { describe, it, expect, beforeAll } from 'vitest';
import { tf, initBackend, Generator } from '@attn/tensor';
import { TransformerEncoder } from './transformer_encoder';
import { additiveAttentionMask } from './attention_mask';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

const config = { numLayers: 2, hiddenSize: 16, numHeads: 2, intermediateSize: 32, hiddenDropout: 0.1, attentionDropout: 0.1 };

describe('TransformerEncoder', () => {
  it('names layers as HF BertEncoder (layer.{i}.attention/intermediate/output)', () => {
    const enc = new TransformerEncoder(config);
    const names = enc.namedParameters().map(([n]) => n);
    expect(names.length).toBe(2 * 16);
    expect(names.slice(0, 2)).toEqual(['layer.0.attention.self.query.weight', 'layer.0.attention.self.query.bias']);
    expect(names).toContain('layer.1.intermediate.dense.weight');
    expect(names).toContain('layer.1.output.LayerNorm.bias');
    expect(enc.numParameters()).toBe(2 * (4 * (16 * 16 + 16) + 2 * 16 + (16 * 32 + 32) + (32 * 16 + 16) + 2 * 16));
    enc.dispose();
  });

  it('returns every layer\'s attention and hidden states on request; pre-norm adds a final LayerNorm', () => {
    const enc = new TransformerEncoder({ ...config, normFirst: true }).eval();
    expect(enc.namedParameters().map(([n]) => n).slice(-2)).toEqual(['LayerNorm.weight', 'LayerNorm.bias']);
    const x = tf.randomNormal([2, 5, 16], 0, 1, 'float32', 4);
    const out = enc.forward(x, { outputAttentions: true, outputHiddenStates: true });
    expect(out.attentions!.map((a) => a.shape)).toEqual([[2, 2, 5, 5], [2, 2, 5, 5]]);
    expect(out.hiddenStates!.length).toBe(3);
    expect(out.lastHiddenState.shape).toEqual([2, 5, 16]);
    enc.dispose();
  });

  it('keeps tf.memory().numTensors stable over 20 forward+backward steps in training mode', () => {
    const enc = new TransformerEncoder(config, { rng: new Generator(1) }).train();
    const x = tf.randomNormal([2, 6, 16], 0, 1, 'float32', 5);
    const mask = additiveAttentionMask(tf.tensor2d([[1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 1]], undefined, 'int32'));
    const vars = enc.parameters();
    const step = () => {
      const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(enc.forward(x, { additiveMask: mask }).lastHiddenState)) as tf.Scalar, vars);
      tf.tidy(() => {
        for (const v of vars) v.assign(tf.sub(v, tf.mul(grads[v.name]!, 0.01)));
      });
      const loss = value.dataSync()[0]!;
      tf.dispose([value, ...Object.values(grads)]);
      return loss;
    };
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) expect(Number.isFinite(step())).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    enc.dispose();
  });
});
