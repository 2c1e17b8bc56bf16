// model.gradientCheckpointingEnable() (HF gradient_checkpointing_enable) in every family with a block stack:
// with dropout on, the loss and every parameter gradient equal the plain forward's, on cpu and wasm (with the
// native kernels when scripts/test-on-native.mjs runs this file).
import { describe, it, expect } from 'vitest';
import { tf, initBackend, globalGenerator } from '@attn/tensor';
import { createModel } from './load_model';
import type { ModelTask, PreTrainedModel } from './pretrained_model';
import type { PretrainedConfig } from './pretrained_config';
import { BertConfig } from './bert/bert_config';
import { DistilBertConfig } from './distilbert/distilbert_config';
import { AlbertConfig } from './albert/albert_config';
import { GPT2Config } from './gpt2/gpt2_config';
import { LlamaConfig } from './llama/llama_config';

const encoder = { vocab_size: 50, hidden_size: 16, num_hidden_layers: 3, num_attention_heads: 2, intermediate_size: 24, max_position_embeddings: 40, hidden_dropout_prob: 0.2, attention_probs_dropout_prob: 0.2 };
const FAMILIES: Array<[string, ModelTask, () => PretrainedConfig, string?]> = [
  ['bert', 'sequence-classification', () => BertConfig.fromJSON(encoder)],
  ['bert (memory_efficient attention)', 'sequence-classification', () => BertConfig.fromJSON(encoder), 'memory_efficient'],
  ['albert', 'sequence-classification', () => AlbertConfig.fromJSON({ ...encoder, embedding_size: 8 })],
  ['distilbert', 'question-answering', () => DistilBertConfig.fromJSON({ vocab_size: 50, dim: 16, n_layers: 3, n_heads: 2, hidden_dim: 24, max_position_embeddings: 40, dropout: 0.2, attention_dropout: 0.2 })],
  ['gpt2', 'causal-lm', () => GPT2Config.fromJSON({ vocab_size: 50, n_embd: 16, n_layer: 3, n_head: 2, n_positions: 40, resid_pdrop: 0.2, embd_pdrop: 0.2, attn_pdrop: 0.2 })],
  ['llama', 'causal-lm', () => LlamaConfig.fromJSON({ vocab_size: 50, hidden_size: 16, intermediate_size: 40, num_hidden_layers: 3, num_attention_heads: 4, num_key_value_heads: 2, attention_dropout: 0.2 })],
];

/** max |a − b| / max(max|b|, 1e-3). */
function rel(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]! / Math.max(tf.max(tf.abs(b)).dataSync()[0]!, 1e-3));
}

/** A scalar of the outputs and its gradient for every parameter, drawing dropout from the model's and the global stream at `rngState`. */
function lossAndGrads(model: PreTrainedModel, rngState: { model: number[]; global: number[] }): tf.Tensor[] {
  model.rng!.setState(rngState.model);
  globalGenerator().setState(rngState.global);
  const ids = tf.tensor2d([[5, 9, 14, 3, 7, 22, 8], [4, 11, 6, 0, 0, 0, 0]], [2, 7], 'int32');
  const mask = tf.tensor2d([[1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 0, 0, 0, 0]], [2, 7], 'int32');
  const { value, grads } = tf.variableGrads(() => {
    const out = model.forward({ inputIds: ids, attentionMask: mask });
    const main = out.logits ?? out.startLogits!;
    return tf.sum(tf.mul(main, tf.sin(tf.range(0, main.size).reshape(main.shape)))) as tf.Scalar;
  });
  tf.dispose([ids, mask]);
  return [value, ...model.namedParameters().map(([, p]) => grads[p.name]!)];
}

describe.each(['cpu', 'wasm'] as const)('gradient checkpointing on %s', (backend) => {
  it.each(FAMILIES)('%s: loss and every parameter gradient equal the plain ones with dropout on; no tensor leaks', async (_, task, config, attnImplementation) => {
    await initBackend({ backend });
    const model = createModel(task, config(), { seed: 3, attnImplementation }).train();
    const state = { model: model.rng!.getState(), global: globalGenerator().getState() };
    const plain = lossAndGrads(model, state);
    expect(model.isGradientCheckpointing).toBe(false);
    model.gradientCheckpointingEnable();
    expect(model.isGradientCheckpointing).toBe(true);
    const before = tf.memory().numTensors;
    const ckpt = lossAndGrads(model, state);
    expect(tf.memory().numTensors).toBe(before + ckpt.length);
    expect(ckpt.length).toBe(plain.length);
    expect(ckpt.every(Boolean)).toBe(true);
    const worst = Math.max(...plain.map((p, i) => rel(ckpt[i]!, p)));
    expect(worst).toBeLessThan(1e-5);
    tf.dispose([...plain, ...ckpt]);
    model.gradientCheckpointingDisable();
    expect(model.isGradientCheckpointing).toBe(false);
    model.dispose();
  });
});

describe('gradientCheckpointingEnable', () => {
  it('reaches the stack of a bare decoder (kept outside the module tree) and of a model with a head', async () => {
    await initBackend({ backend: 'cpu' });
    for (const task of ['base', 'causal-lm'] as const) {
      const model = createModel(task, GPT2Config.fromJSON({ vocab_size: 50, n_embd: 16, n_layer: 1, n_head: 2, n_positions: 40 }), { seed: 1 });
      expect(model.gradientCheckpointingEnable().isGradientCheckpointing).toBe(true);
      model.dispose();
    }
  });
});
