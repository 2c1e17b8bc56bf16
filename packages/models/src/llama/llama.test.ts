import { describe, it, expect, beforeAll } from 'vitest';
import { tf, initBackend } from '@attn/tensor';
import { describeFamilyReference } from '../../test/family_reference';
import { expectSameOutputsAfterSaveLoad } from '../../test/family_save_load';
import { createModel, loadModelFromBytes } from '../load_model';
import { LlamaConfig } from './llama_config';

const NAMES = ['micro-llama-clm', 'micro-llama-tied-clm', 'micro-llama-seqcls'];
describeFamilyReference('Llama', NAMES);

const micro = (extra: Record<string, unknown> = {}) =>
  LlamaConfig.fromJSON({ vocab_size: 64, hidden_size: 16, intermediate_size: 40, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, ...extra });

describe('Llama', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu' });
  });

  it.each(NAMES)('%s: savePretrained → loadModel gives bit-identical outputs', async (name) => {
    await expectSameOutputsAfterSaveLoad(name);
  });

  it('rope_theta from rope_parameters or the top level, written back as read; GQA and rope types checked', () => {
    expect(micro().ropeTheta).toBe(10000);
    expect(micro({ rope_parameters: { rope_theta: 500000, rope_type: 'default' } }).ropeTheta).toBe(500000);
    const legacy = micro({ rope_theta: 1e6 });
    expect(legacy.ropeTheta).toBe(1e6);
    expect(legacy.toJSON()['rope_theta']).toBe(1e6);
    expect(legacy.toJSON()['rope_parameters']).toBeUndefined();
    expect(micro({ num_key_value_heads: null }).numKeyValueHeads).toBe(4);
    expect(micro().headDim).toBe(4);
    expect(() => micro({ num_key_value_heads: 3 })).toThrow(/multiple of num_key_value_heads/);
    expect(() => micro({ rope_parameters: { rope_theta: 1e4, rope_type: 'yarn' } })).toThrow(/"default" rotary/);
    expect(() => micro({ rope_scaling: { type: 'linear', factor: 2 } })).toThrow(/"default" rotary/);
  });

  it('rope_theta changes the logits; attention_bias adds q/k/v/o biases (Qwen-style) that get gradients', () => {
    const ids = tf.tensor2d([[3, 9, 27, 5]], [1, 4], 'int32');
    const logitsOf = (extra: Record<string, unknown>) => {
      const m = createModel('causal-lm', micro(extra), { seed: 3 });
      const out = tf.tidy(() => Array.from(m.forward({ inputIds: ids }).logits!.dataSync()));
      m.dispose();
      return out;
    };
    expect(logitsOf({ rope_theta: 10 })).not.toEqual(logitsOf({}));
    const m = createModel('causal-lm', micro({ attention_bias: true }), { seed: 4 });
    const names = m.namedParameters().map(([n]) => n);
    expect(names.filter((n) => n.startsWith('model.layers.0.self_attn.') && n.endsWith('.bias'))).toEqual([
      'model.layers.0.self_attn.q_proj.bias',
      'model.layers.0.self_attn.k_proj.bias',
      'model.layers.0.self_attn.v_proj.bias',
      'model.layers.0.self_attn.o_proj.bias',
    ]);
    const labels = ids;
    const bias = m.namedParameters().find(([n]) => n === 'model.layers.0.self_attn.v_proj.bias')![1];
    const { grads, value } = tf.variableGrads(() => m.forward({ inputIds: ids, labels }).loss!, [bias]);
    expect(tf.max(tf.abs(grads[bias.name]!)).dataSync()[0]).toBeGreaterThan(0);
    tf.dispose([value, ...Object.values(grads)]);
    // Tied: no lm_head parameter, and bytes round trip through loadModelFromBytes.
    const tied = createModel('causal-lm', micro({ tie_word_embeddings: true }), { seed: 5 });
    expect(tied.namedParameters().some(([n]) => n.startsWith('lm_head'))).toBe(false);
    const again = loadModelFromBytes(tied.toPretrainedBytes());
    const [a, b] = tf.tidy(() => [tied.forward({ inputIds: ids }).logits!.dataSync(), again.forward({ inputIds: ids }).logits!.dataSync()]);
    expect(Array.from(b!)).toEqual(Array.from(a!));
    tf.dispose(ids);
    [m, tied, again].forEach((x) => x.dispose());
  });
});
