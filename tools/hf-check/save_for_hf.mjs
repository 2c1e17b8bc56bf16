#!/usr/bin/env node
// Writes one attn-saved directory per BERT head (fresh seeded weights, micro size) and one per family reference
// checkpoint of a registered family (fixtures/reference/families: loaded by attn with no class, then saved by
// attn) and a few fresh ones of the families' other heads, plus attn's outputs on fixed inputs, for check_with_hf.py
// to load with HuggingFace transformers. Not a CI test (needs Python + torch).
// Needs built packages. Usage: node tools/hf-check/save_for_hf.mjs OUT_DIR
import { writeFile, mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tf, initBackend } from '../../packages/tensor/dist/index.js';
import { BertConfig, BertModel, AlbertConfig, DistilBertConfig, GPT2Config, LlamaConfig, createModel, loadModel, registeredFamilies } from '../../packages/models/dist/index.js';

const out = process.argv[2] ?? '/tmp/attn-hf-check';
await initBackend({ backend: 'wasm' });
const config = (labels) =>
  BertConfig.fromJSON({
    vocab_size: 1024, hidden_size: 64, num_hidden_layers: 2, num_attention_heads: 4, intermediate_size: 128,
    max_position_embeddings: 64, num_labels: labels, hidden_act: 'gelu', initializer_range: 0.2,
  });
const inputs = {
  input_ids: [[101, 345, 678, 103, 102, 912, 0, 0], [101, 150, 817, 404, 999, 262, 103, 102]],
  attention_mask: [[1, 1, 1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 1, 1, 1]],
  token_type_ids: [[0, 0, 0, 0, 0, 1, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0]],
};
const batch = {
  inputIds: tf.tensor2d(inputs.input_ids, undefined, 'int32'),
  attentionMask: tf.tensor2d(inputs.attention_mask, undefined, 'int32'),
  tokenTypeIds: tf.tensor2d(inputs.token_type_ids, undefined, 'int32'),
};
const models = [
  ['BertModel', new BertModel(config(2), { seed: 1 })],
  ['BertForSequenceClassification', createModel('sequence-classification', config(3), { seed: 2 })],
  ['BertForTokenClassification', createModel('token-classification', config(5), { seed: 3 })],
  ['BertForQuestionAnswering', createModel('question-answering', config(2), { seed: 4 })],
  ['BertForMaskedLM', createModel('masked-lm', config(2), { seed: 5 })],
];
const expected = { inputs, models: {} };
for (const [name, model] of models) {
  // Move every bias / LayerNorm off its init so a dropped tensor shows up in the outputs.
  tf.tidy(() => model.namedParameters().forEach(([, v], i) => v.assign(tf.add(v, tf.mul(tf.randomNormal(v.shape, 0, 0.05, 'float32', i), 1)))));
  model.eval();
  const dir = join(out, name);
  await mkdir(dir, { recursive: true });
  await model.savePretrained(dir);
  const o = model.forward(batch);
  const pick = (t) => (t ? Array.from(t.dataSync()) : undefined);
  expected.models[name] = {
    dir,
    last_hidden_state: pick(o.lastHiddenState),
    pooler_output: pick(o.poolerOutput),
    logits: pick(o.logits),
    start_logits: pick(o.startLogits),
    end_logits: pick(o.endLogits),
  };
}
// Every family reference checkpoint whose model_type is registered: attn loads it (no class), saves it, and
// records its logits on the checkpoint's own inputs.
const families = new URL('../../fixtures/reference/families/', import.meta.url).pathname;
const known = new Set(registeredFamilies().map((f) => f.modelType));
let saved = models.length;
for (const name of (await readdir(join(families, 'checkpoints'))).sort()) {
  const v = JSON.parse(await readFile(join(families, 'vectors', `${name}.json`), 'utf8'));
  if (!known.has(v.model_type)) continue;
  const model = await loadModel(join(families, 'checkpoints', name));
  const dir = join(out, name);
  await mkdir(dir, { recursive: true });
  await model.savePretrained(dir);
  const ids = (rows) => tf.tensor2d(rows, undefined, 'int32');
  const o = model.forward({ inputIds: ids(v.inputs.input_ids), attentionMask: ids(v.inputs.attention_mask), ...(v.inputs.token_type_ids ? { tokenTypeIds: ids(v.inputs.token_type_ids) } : {}) });
  const pick = (t) => (t ? Array.from(t.dataSync()) : undefined);
  expected.models[name] = { dir, class: model.architecture, inputs: v.inputs, logits: pick(o.logits), start_logits: pick(o.startLogits), end_logits: pick(o.endLogits) };
  model.dispose();
  saved++;
}
// What the family references do not cover, fresh and seeded: ALBERT's token-classification and QA heads, ALBERT
// with two layer groups of two inner layers over four layers, and DistilBERT's bare base model (keys without prefix).
const albert = (extra) =>
  AlbertConfig.fromJSON({
    vocab_size: 1024, embedding_size: 32, hidden_size: 64, num_hidden_layers: 2, num_attention_heads: 4, intermediate_size: 128,
    max_position_embeddings: 64, initializer_range: 0.2, ...extra,
  });
const distilbert = DistilBertConfig.fromJSON({ vocab_size: 1024, dim: 64, n_layers: 2, n_heads: 4, hidden_dim: 128, max_position_embeddings: 64, initializer_range: 0.2 });
const { token_type_ids: _, ...noTypes } = inputs;
// Decoders beyond the references: bare GPT2Model (keys without `transformer.`); a Qwen-shaped Llama with a
// top-level rope_theta (older configs), one key/value head, q/k/v/o and MLP biases and head_dim 8 ≠ 64 / 4.
const gpt2 = GPT2Config.fromJSON({ vocab_size: 1024, n_embd: 64, n_layer: 2, n_head: 4, n_positions: 64, initializer_range: 0.2 });
const llama = (extra) =>
  LlamaConfig.fromJSON({
    vocab_size: 1024, hidden_size: 64, intermediate_size: 96, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 1,
    head_dim: 8, rope_theta: 500000, attention_bias: true, mlp_bias: true, rms_norm_eps: 1e-5, max_position_embeddings: 64, initializer_range: 0.2, ...extra,
  });
const fresh = [
  ['AlbertModel-grouped', createModel('base', albert({ num_hidden_layers: 4, num_hidden_groups: 2, inner_group_num: 2 }), { seed: 6 }), inputs],
  ['AlbertForTokenClassification', createModel('token-classification', albert({ num_labels: 5 }), { seed: 7 }), inputs],
  ['AlbertForQuestionAnswering', createModel('question-answering', albert({}), { seed: 8 }), inputs],
  ['DistilBertModel', createModel('base', distilbert, { seed: 9 }), noTypes],
  ['GPT2Model', createModel('base', gpt2, { seed: 10 }), noTypes],
  // The GPT-2 options the references leave at their defaults: attention scaled by 1/(layer + 1), n_inner, exact gelu.
  ['GPT2LMHeadModel-inverse-layer-scale', createModel('causal-lm', GPT2Config.fromJSON({ ...gpt2.toJSON(), scale_attn_by_inverse_layer_idx: true, n_inner: 96, activation_function: 'gelu' }), { seed: 13 }), noTypes],
  ['LlamaModel', createModel('base', llama({}), { seed: 11 }), noTypes],
  ['LlamaForCausalLM-qwen-shaped-tied', createModel('causal-lm', llama({ tie_word_embeddings: true }), { seed: 12 }), noTypes],
];
for (const [name, model, given] of fresh) {
  tf.tidy(() => model.namedParameters().forEach(([, v], i) => v.assign(tf.add(v, tf.mul(tf.randomNormal(v.shape, 0, 0.05, 'float32', i), 1)))));
  model.eval();
  const dir = join(out, name);
  await mkdir(dir, { recursive: true });
  await model.savePretrained(dir);
  const ids = (rows) => tf.tensor2d(rows, undefined, 'int32');
  const o = model.forward({ inputIds: ids(given.input_ids), attentionMask: ids(given.attention_mask), ...(given.token_type_ids ? { tokenTypeIds: ids(given.token_type_ids) } : {}) });
  const pick = (t) => (t ? Array.from(t.dataSync()) : undefined);
  expected.models[name] = {
    dir, class: model.architecture, inputs: given,
    last_hidden_state: pick(o.lastHiddenState), pooler_output: pick(o.poolerOutput), logits: pick(o.logits), start_logits: pick(o.startLogits), end_logits: pick(o.endLogits),
  };
  model.dispose();
  saved++;
}
await writeFile(join(out, 'expected.json'), JSON.stringify(expected));
console.log(`wrote ${saved} directories and expected.json under ${out}`);
process.exit(0);
