// attnImplementation 'sdpa' (the default, as HF's): the native tiled kernel from SDPA_MIN_QUERY_LENGTH queries when
// @attn/tensor-native registered it, eager below that and on every other backend. Bit-identical to the implementation
// it routes to, in train mode with dropout (forward and gradients), so the routing is what is tested.
import { afterAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@attn/tensor';
import { ScaledDotProductAttention, SDPA_MIN_QUERY_LENGTH, attentionImplementation } from '@attn/layers';
import { loadNativeAddon, registerNativeKernels, unregisterNativeKernels } from '@attn/tensor-native';
import { createModel } from './load_model';
import { BertConfig } from './bert/bert_config';
import { GPT2Config } from './gpt2/gpt2_config';
import type { ModelTask, PreTrainedModel } from './pretrained_model';
import type { PretrainedConfig } from './pretrained_config';

const addon = loadNativeAddon();
const bert = () =>
  BertConfig.fromJSON({ vocab_size: 60, hidden_size: 32, num_hidden_layers: 2, num_attention_heads: 2, intermediate_size: 48, max_position_embeddings: 160 });
const gpt2 = () => GPT2Config.fromJSON({ vocab_size: 60, n_embd: 32, n_layer: 2, n_head: 2, n_positions: 160 });

function inputs(b: number, s: number) {
  const ids = Array.from({ length: b }, (_, i) => Array.from({ length: s }, (_, j) => 3 + ((i * 31 + j * 17) % 55)));
  // Row 1 is half padded: the additive mask goes through the kernel too.
  const mask = ids.map((row, i) => row.map((_, j) => (i === 1 && j >= s / 2 ? 0 : 1)));
  return { inputIds: tf.tensor2d(ids, [b, s], 'int32'), attentionMask: tf.tensor2d(mask, [b, s], 'int32') };
}

/** Train mode (dropout on): the loss and every parameter gradient, as flat arrays. */
function trainStep(task: ModelTask, config: () => PretrainedConfig, impl: string | undefined, b: number, s: number): Float32Array[] {
  const model: PreTrainedModel = createModel(task, config(), { seed: 11, ...(impl ? { attnImplementation: impl } : {}) });
  model.train();
  const x = inputs(b, s);
  const out = tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => {
      const logits = model.forward(x).logits!;
      return tf.sum(tf.mul(logits, tf.sin(tf.range(0, logits.size).reshape(logits.shape)))) as tf.Scalar;
    });
    return [value, ...model.namedParameters().map(([, p]) => grads[p.name]!).filter(Boolean)];
  });
  const values = out.map((t) => t.dataSync() as Float32Array);
  tf.dispose([...out, x.inputIds, x.attentionMask]);
  model.dispose();
  return values;
}

function identical(a: Float32Array[], b: Float32Array[]): boolean {
  return a.length === b.length && a.every((t, i) => t.length === b[i]!.length && t.every((v, j) => Object.is(v, b[i]![j])));
}

describe("attention implementation 'sdpa' (the default)", () => {
  it('is what a model gets without attnImplementation; on the cpu backend it is eager, bit for bit', async () => {
    await initBackend({ backend: 'cpu' });
    expect(attentionImplementation()).toBe(attentionImplementation('sdpa'));
    const model = createModel('sequence-classification', bert(), { seed: 1 });
    const kinds = model.namedModules().filter(([, m]) => m instanceof ScaledDotProductAttention).map(([, m]) => (m as ScaledDotProductAttention).config.implementation);
    expect(kinds.length).toBe(2);
    expect(kinds.every((k) => k === undefined)).toBe(true);
    model.dispose();
    const s = SDPA_MIN_QUERY_LENGTH;
    expect(identical(trainStep('sequence-classification', bert, undefined, 2, s), trainStep('sequence-classification', bert, 'eager', 2, s))).toBe(true);
  });

  describe.skipIf(!addon)('on wasm with @attn/tensor-native', () => {
    afterAll(() => {
      unregisterNativeKernels(tf);
    });

    it.each([
      ['bert', 'sequence-classification', bert],
      ['gpt2 (causal)', 'causal-lm', gpt2],
    ] as const)('%s: the native kernel from SDPA_MIN_QUERY_LENGTH queries, eager below, same tensor count', async (_, task, config) => {
      await initBackend({ backend: 'wasm' });
      expect(registerNativeKernels(tf)).toBe(true);
      const long = SDPA_MIN_QUERY_LENGTH;
      const short = SDPA_MIN_QUERY_LENGTH - 1;
      const before = tf.memory().numTensors;
      const dflt = trainStep(task, config, undefined, 2, long);
      expect(identical(dflt, trainStep(task, config, 'memory_efficient', 2, long))).toBe(true);
      // Eager draws its dropout differently: the default must not be eager here.
      expect(identical(dflt, trainStep(task, config, 'eager', 2, long))).toBe(false);
      const dfltShort = trainStep(task, config, undefined, 2, short);
      expect(identical(dfltShort, trainStep(task, config, 'eager', 2, short))).toBe(true);
      expect(tf.memory().numTensors).toBe(before);
    });
  });
});
