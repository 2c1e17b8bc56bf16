import { describe, it, expect, beforeAll } from 'vitest';
import { tf, initBackend } from '@attn/tensor';
import { ScaledDotProductAttention } from '@attn/layers';
import { createModel } from './load_model';
import type { ModelTask, PreTrainedModel } from './pretrained_model';
import type { PretrainedConfig } from './pretrained_config';
import type { ModelInputs } from './model_io';
import { BertConfig } from './bert/bert_config';
import { RobertaConfig } from './roberta/roberta_config';
import { DistilBertConfig } from './distilbert/distilbert_config';
import { AlbertConfig } from './albert/albert_config';
import { ElectraConfig } from './electra/electra_config';
import { GPT2Config } from './gpt2/gpt2_config';
import { LlamaConfig } from './llama/llama_config';
import { KeyValueCache } from './generation/kv_cache';

/**
 * max |a − b| / max(max|b|, 1e-3): relative, but tensors that are 0 analytically (the key bias's gradient: softmax
 * ignores a per-row shift) hold only rounding noise and are compared absolutely.
 */
function rel(a: tf.Tensor, b: tf.Tensor): number {
  expect(a.shape).toEqual(b.shape);
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]! / Math.max(tf.max(tf.abs(b)).dataSync()[0]!, 1e-3));
}

const noDropout = { hidden_dropout_prob: 0, attention_probs_dropout_prob: 0 };
const encoder = { vocab_size: 50, hidden_size: 16, num_hidden_layers: 2, num_attention_heads: 2, intermediate_size: 24, max_position_embeddings: 40, ...noDropout };
const FAMILIES: Array<[string, ModelTask, () => PretrainedConfig]> = [
  ['bert', 'sequence-classification', () => BertConfig.fromJSON(encoder)],
  ['roberta', 'masked-lm', () => RobertaConfig.fromJSON({ ...encoder, pad_token_id: 1 })],
  ['electra', 'token-classification', () => ElectraConfig.fromJSON({ ...encoder, embedding_size: 8 })],
  ['albert', 'sequence-classification', () => AlbertConfig.fromJSON({ ...encoder, embedding_size: 8, classifier_dropout_prob: 0 })],
  ['distilbert', 'question-answering', () => DistilBertConfig.fromJSON({ vocab_size: 50, dim: 16, n_layers: 2, n_heads: 2, hidden_dim: 24, max_position_embeddings: 40, dropout: 0, attention_dropout: 0, qa_dropout: 0 })],
  ['gpt2', 'causal-lm', () => GPT2Config.fromJSON({ vocab_size: 50, n_embd: 16, n_layer: 2, n_head: 2, n_positions: 40, resid_pdrop: 0, embd_pdrop: 0, attn_pdrop: 0 })],
  ['llama (GQA)', 'causal-lm', () => LlamaConfig.fromJSON({ vocab_size: 50, hidden_size: 16, intermediate_size: 40, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2 })],
];

/** Output tensors and the gradient of a scalar of them w.r.t. every parameter, in train mode (dropout 0). */
function run(model: PreTrainedModel, inputs: ModelInputs): tf.Tensor[] {
  model.train();
  const score = () => {
    const out = model.forward(inputs);
    const main = out.logits ?? out.startLogits!;
    return tf.sum(tf.mul(main, tf.sin(tf.range(0, main.size).reshape(main.shape)))) as tf.Scalar;
  };
  const { value, grads } = tf.variableGrads(score);
  return [value, ...model.namedParameters().map(([, p]) => grads[p.name]!).filter(Boolean)];
}

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe("attnImplementation: 'memory_efficient' vs 'eager' in every family", () => {
  it.each(FAMILIES)('%s: outputs and every parameter gradient match, with padding', (_, task, config) => {
    const ids = tf.tensor2d([[5, 9, 14, 3, 7, 22, 8], [4, 11, 6, 0, 0, 0, 0]], [2, 7], 'int32');
    const mask = tf.tensor2d([[1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 0, 0, 0, 0]], [2, 7], 'int32');
    const eager = createModel(task, config(), { seed: 7 });
    const fused = createModel(task, config(), { seed: 7, attnImplementation: 'memory_efficient' });
    const kinds = fused.namedModules().filter(([, m]) => m instanceof ScaledDotProductAttention).map(([, m]) => (m as ScaledDotProductAttention).config.implementation);
    expect(kinds.length).toBeGreaterThan(0);
    expect(new Set(kinds)).toEqual(new Set(['memory_efficient']));
    tf.tidy(() => {
      const a = run(eager, { inputIds: ids, attentionMask: mask });
      const b = run(fused, { inputIds: ids, attentionMask: mask });
      // Rows a padded query never feeds are compared too: the loss weights every logit.
      const worst = Math.max(...b.map((t, i) => rel(t, a[i]!)));
      console.log(`${task}: worst relative difference ${worst.toExponential(2)} over the loss and ${b.length - 1} parameter gradients`);
      expect(worst).toBeLessThan(1e-5);
    });
    tf.dispose([ids, mask]);
    eager.dispose();
    fused.dispose();
  });

  it('decoders: a step on a KV cache (causal with offset) matches, and setAttnImplementation switches a built model', () => {
    for (const [, task, config] of FAMILIES.filter(([, t]) => t === 'causal-lm')) {
      const eager = createModel(task, config(), { seed: 3 }).eval();
      const fused = createModel(task, config(), { seed: 3 }).setAttnImplementation('memory_efficient').eval();
      tf.tidy(() => {
        const logits = (model: PreTrainedModel) => {
          const cache = new KeyValueCache();
          const mask = tf.tensor2d([[0, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1]], [2, 6], 'int32');
          model.forward({ inputIds: tf.tensor2d([[0, 5, 9, 14, 3], [4, 11, 6, 2, 8]], [2, 5], 'int32'), attentionMask: tf.slice(mask, [0, 0], [2, 5]), pastKeyValues: cache } as never);
          const out = model.forward({ inputIds: tf.tensor2d([[7], [21]], [2, 1], 'int32'), attentionMask: mask, pastKeyValues: cache } as never).logits!;
          cache.dispose();
          return out;
        };
        expect(rel(logits(fused), logits(eager))).toBeLessThan(1e-5);
      });
      eager.dispose();
      fused.dispose();
    }
    expect(() => createModel('causal-lm', FAMILIES[5]![2](), { attnImplementation: 'flash' })).toThrow(/Unknown attention implementation "flash"/);
  });
});
