#!/usr/bin/env node
// Where BERT's training memory goes: the wasm heap after one forward + backward (tf.variableGrads) of a
// sequence classifier at batch B × 128, on a fresh process, with @attn/tensor-native's kernels when built.
//   node tools/bench/heap_probe.mjs [--model base] [--batch 4] [--seq 128] [--dropout P] [--attn eager] [--backward tfjs]
// --dropout sets every dropout probability (to see what the masks hold); --attn picks the attention implementation;
// --backward tfjs differentiates with tf.variableGrads (keeps every gradient to the end) instead of attn's variableGrads.
// The heap only grows, so its size after the step is the step's high-water mark; the weights and their gradients are
// printed beside it (tfjs's numBytes counts tensors sharing one buffer several times, so it is no measure here).
import { importAttn, startAttnBackend } from './attn_runtime.mjs';

const argv = process.argv.slice(2);
const arg = (name, dflt) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : dflt);
const size = arg('--model', 'base');
const batch = Number(arg('--batch', '4'));
const seq = Number(arg('--seq', '128'));
const { tf, wasmHeapBytes, kernels } = await startAttnBackend({ threads: 2 });
const { BertConfig, createModel } = await importAttn('models');
const { variableGrads } = await importAttn('tensor');
const backward = arg('--backward', 'attn');
const mb = (b) => (b / 2 ** 20).toFixed(0);
const dropout = arg('--dropout');
const overrides = dropout === undefined ? {} : { hidden_dropout_prob: Number(dropout), attention_probs_dropout_prob: Number(dropout) };
const model = createModel('sequence-classification', BertConfig.preset(`bert-${size}`, { num_labels: 2, ...overrides }), { seed: 42, attnImplementation: arg('--attn') });
model.train();
const weights = tf.memory().numBytes;
const ids = tf.tensor2d(Array.from({ length: batch }, (_, i) => Array.from({ length: seq }, (_, j) => 1000 + ((i * 131 + j * 7) % 20000))), [batch, seq], 'int32');
const mask = tf.onesLike(ids);
const labels = tf.tensor1d(Array.from({ length: batch }, (_, i) => i % 2), 'int32');
const vars = model.namedParameters().map(([, p]) => p);
console.log(`bert-${size}, batch ${batch} × ${seq}, attention ${arg('--attn', 'sdpa (default)')}, dropout ${dropout ?? 'config'}, backward ${backward}, ${kernels}; weights ${mb(weights)} MB, heap before ${mb(wasmHeapBytes())} MB`);
for (let round = 1; round <= 2; round++) {
  const { value, grads } = (backward === 'tfjs' ? tf.variableGrads : variableGrads)(() => model.forward({ inputIds: ids, attentionMask: mask, labels }).loss, vars);
  tf.dispose([value, ...Object.values(grads)]);
  const heap = wasmHeapBytes();
  console.log(`step ${round}: heap ${mb(heap)} MB; above weights + gradients: ${mb(heap - 2 * weights)} MB = ${((heap - 2 * weights) / 2 ** 10 / (batch * seq)).toFixed(0)} KB a token`);
}
process.exit(0);
