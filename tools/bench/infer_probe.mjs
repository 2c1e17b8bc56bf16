#!/usr/bin/env node
// Milliseconds a batch of BERT classifier inference (eval forward + logits read back), attn alone, for A/Bs of native
// switches (ATTN_LAYER_SPLIT=0, ATTN_GEMM_PF=0, ATTN_ENCODER_LAYER_PROFILE=1) run alternately from the shell:
//   node tools/bench/infer_probe.mjs [--model mini] [--batch 32] [--seq 14] [--steps 300] [--threads 2] [--int8]
// Random ids; sequence i has i % 4 padded positions at its end (so padding skipping runs). The side-by-side figures
// against PyTorch and onnxruntime come from infer.mjs; this is for one lever at a time, on the same machine and minute.
import { importAttn, startAttnBackend } from './attn_runtime.mjs';

const argv = process.argv.slice(2);
const arg = (name, dflt) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : dflt);
const size = arg('--model', 'mini');
const [batch, seq, steps] = ['--batch', '--seq', '--steps'].map((n, i) => Number(arg(n, ['32', '14', '300'][i])));
const { tf, kernels } = await startAttnBackend({ threads: Number(arg('--threads', '2')) });
const { BertConfig, createModel, quantize } = await importAttn('models');
const model = createModel('sequence-classification', BertConfig.preset(`bert-${size}`, { num_labels: 2 }), { seed: 42 });
model.eval();
const int8 = argv.includes('--int8');
if (int8) quantize(model);
const ids = tf.tensor2d(Array.from({ length: batch }, (_, i) => Array.from({ length: seq }, (_, j) => 1000 + ((i * 131 + j * 7) % 20000))), [batch, seq], 'int32');
const mask = tf.tensor2d(Array.from({ length: batch }, (_, i) => Array.from({ length: seq }, (_, j) => (j < seq - (i % 4) ? 1 : 0))), [batch, seq], 'int32');
const tokenTypeIds = tf.zerosLike(ids);
const step = () => {
  const logits = tf.tidy(() => model.forward({ inputIds: ids, attentionMask: mask, tokenTypeIds }).logits);
  logits.dataSync();
  logits.dispose();
};
for (let i = 0; i < Math.min(20, steps); i++) step();
const t0 = performance.now();
for (let i = 0; i < steps; i++) step();
const ms = (performance.now() - t0) / steps;
console.log(`bert-${size}${int8 ? ' int8' : ''} ${batch} × ${seq}: ${ms.toFixed(3)} ms a batch, ${((batch * 1000) / ms).toFixed(0)} seq/s (${kernels})`);
process.exit(0);
