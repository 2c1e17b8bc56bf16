#!/usr/bin/env node
// One BERT training step (forward + backward: embeddings, LayerNorm, masked attention, GELU FFN,
// pooler, cross-entropy) on wasm: attn's kernels and fused ops against naive tfjs (stock kernels,
// unfused ops). Prints sequences/s and checks that no tensor leaks across steps.
// Usage: (cd packages/tensor && npx tsup) && node tools/bench/bert_step.mjs [--size tiny|mini|small|base] [--batch 8] [--seq 128] [--steps 3]
import {
  tf, initBackend, setAttnWasmKernels, Generator, gelu, layerNorm, linear,
  scaledDotProductAttention, softmaxCrossEntropy, matMul,
} from '../../packages/tensor/dist/index.js';

const arg = (n, d) => { const i = process.argv.indexOf(n); return i > 0 ? process.argv[i + 1] : d; };
const sizes = { tiny: [2, 128, 2], mini: [4, 256, 4], small: [4, 512, 8], base: [12, 768, 12] };
const [layers, hidden, heads] = sizes[arg('--size', 'tiny')];
const batch = Number(arg('--batch', '8')), seq = Number(arg('--seq', '128')), steps = Number(arg('--steps', '3'));
const vocab = 30522, inter = 4 * hidden, headDim = hidden / heads;

await initBackend({ backend: 'wasm' });
const rng = new Generator(1);
const param = (shape, std = 0.02) => tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => std * rng.normal()), shape);
const P = { word: param([vocab, hidden]), pos: param([512, hidden]), type: param([2, hidden]), g: tf.ones([hidden]), b: tf.zeros([hidden]),
  poolW: param([hidden, hidden]), poolB: tf.zeros([hidden]), clsW: param([hidden, 2]), clsB: tf.zeros([2]) };
for (let l = 0; l < layers; l++) {
  for (const n of ['q', 'k', 'v', 'o']) { P[`${l}${n}W`] = param([hidden, hidden]); P[`${l}${n}B`] = tf.zeros([hidden]); }
  P[`${l}iW`] = param([hidden, inter]); P[`${l}iB`] = tf.zeros([inter]); P[`${l}fW`] = param([inter, hidden]); P[`${l}fB`] = tf.zeros([hidden]);
}
const names = Object.keys(P);
const ids = tf.tensor2d(Int32Array.from({ length: batch * seq }, () => rng.int(vocab)), [batch, seq], 'int32');
const types = tf.zeros([batch, seq], 'int32');
const mask = tf.reshape(tf.mul(tf.sub(1, tf.tensor2d(Float32Array.from({ length: batch * seq }, (_, i) => (i % seq < seq - (i / seq | 0) * 3 ? 1 : 0)), [batch, seq])), -1e4), [batch, 1, 1, seq]);
const labels = tf.tensor1d(Int32Array.from({ length: batch }, (_, i) => i % 2), 'int32');

const naiveOps = {
  gelu: (x) => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.div(x, Math.SQRT2)))),
  layerNorm: (x, g, b) => { const { mean, variance } = tf.moments(x, -1, true); return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-12))), g), b); },
  linear: (x, w, b) => tf.add(tf.reshape(tf.matMul(tf.reshape(x, [-1, x.shape[x.rank - 1]]), w), [...x.shape.slice(0, -1), w.shape[1]]), b),
  attention: (q, k, v, m) => tf.matMul(tf.softmax(tf.add(tf.div(tf.matMul(q, k, false, true), Math.sqrt(headDim)), m), -1), v),
  ce: (logits, lab) => tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(logits), tf.oneHot(lab, 2)), -1))),
};
const attnOps = { gelu, layerNorm: (x, g, b) => layerNorm(x, g, b), linear, attention: (q, k, v, m) => scaledDotProductAttention(q, k, v, { additiveMask: m }).output, ce: softmaxCrossEntropy };

function loss(o, p) {
  const split = (t) => tf.transpose(tf.reshape(t, [batch, seq, heads, headDim]), [0, 2, 1, 3]);
  let x = tf.add(tf.add(tf.gather(p.word, ids), tf.gather(p.type, types)), tf.slice(p.pos, [0, 0], [seq, hidden]));
  x = o.layerNorm(x, p.g, p.b);
  for (let l = 0; l < layers; l++) {
    const ctx = o.attention(split(o.linear(x, p[`${l}qW`], p[`${l}qB`])), split(o.linear(x, p[`${l}kW`], p[`${l}kB`])), split(o.linear(x, p[`${l}vW`], p[`${l}vB`])), mask);
    x = o.layerNorm(tf.add(x, o.linear(tf.reshape(tf.transpose(ctx, [0, 2, 1, 3]), [batch, seq, hidden]), p[`${l}oW`], p[`${l}oB`])), p.g, p.b);
    x = o.layerNorm(tf.add(x, o.linear(o.gelu(o.linear(x, p[`${l}iW`], p[`${l}iB`])), p[`${l}fW`], p[`${l}fB`])), p.g, p.b);
  }
  const pooled = tf.tanh(o.linear(tf.reshape(tf.slice(x, [0, 0, 0], [batch, 1, hidden]), [batch, hidden]), p.poolW, p.poolB));
  return o.ce(o.linear(pooled, p.clsW, p.clsB), labels);
}

function run(label, ops) {
  const params = names.map((n) => P[n]);
  const step = () => tf.tidy(() => {
    const { value, grads } = tf.valueAndGrads((...ps) => loss(ops, Object.fromEntries(names.map((n, i) => [n, ps[i]]))))(params);
    return value.dataSync()[0];
  });
  let l = step();
  const n0 = tf.memory().numTensors;
  // CPU time of this process: on a shared machine wall time mostly measures the other jobs.
  const c0 = process.cpuUsage();
  for (let i = 0; i < steps; i++) l = step();
  const c = process.cpuUsage(c0);
  const s = (c.user + c.system) / 1e6 / steps;
  console.log(`${label}: ${(batch / s).toFixed(2)} seq/s (${(s * 1000).toFixed(0)} ms/step), loss ${l.toFixed(4)}, tensors leaked per ${steps} steps: ${tf.memory().numTensors - n0}`);
}

console.log(`BERT L${layers}/H${hidden}/A${heads}, batch ${batch} x seq ${seq}, wasm, ${steps} timed steps after 1 warm-up, CPU time`);
run('attn (kernels + fused ops)', attnOps);
// Stock kernels, except the one wasm lacks entirely (without it the naive step cannot run at all).
setAttnWasmKernels(false);
setAttnWasmKernels(true, ['UnsortedSegmentSum']);
if (!process.argv.includes('--no-naive')) {
  try { run('naive tfjs (stock kernels + attn UnsortedSegmentSum)', naiveOps); } catch (e) { console.log(`naive tfjs (stock kernels): fails — ${e.message.split('\n')[0]}`); }
}
setAttnWasmKernels(true);
