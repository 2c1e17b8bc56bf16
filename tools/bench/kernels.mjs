#!/usr/bin/env node
// Kernel benchmark for @attn/tensor: attn's kernels and fused ops against the same work in naive
// tfjs (stock kernels, unfused compositions), on wasm and cpu, side by side in one run.
// Usage: (cd packages/tensor && npx tsup) && node tools/bench/kernels.mjs [--quick] [--no-cpu]
import {
  tf, initBackend, setAttnWasmKernels, matMul, gelu, layerNorm, maskedSoftmax,
  scaledDotProductAttention, softmaxCrossEntropy,
} from '../../packages/tensor/dist/index.js';

const quick = process.argv.includes('--quick');
const withCpu = !process.argv.includes('--no-cpu');
const B = quick ? 2 : 8; // attention batch; BERT-base heads 12, seq 128, headDim 64
const H = 12, S = 128, D = 64;

/**
 * Fastest of `reps` runs in ms of this process's CPU time (user + system): on a shared machine wall
 * time mostly measures the other jobs, CPU time of a single-threaded backend does not.
 */
function timeMs(fn, reps) {
  // wasm and cpu kernels run synchronously: no dataSync, which would add a copy out of the heap.
  const once = () => tf.tidy(() => { fn(); });
  once();
  const ts = [];
  for (let i = 0; i < reps; i++) {
    const c0 = process.cpuUsage();
    once();
    const c = process.cpuUsage(c0);
    ts.push((c.user + c.system) / 1000);
  }
  return Math.min(...ts);
}
const fwdBwd = (f) => (...xs) => tf.grads((...ys) => tf.sum(f(...ys)))(xs);

const naive = {
  gelu: (x) => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.div(x, Math.SQRT2)))),
  layerNorm: (x, g, b) => { const { mean, variance } = tf.moments(x, -1, true); return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-12))), g), b); },
  maskedSoftmax: (s, m) => tf.softmax(tf.add(s, m), -1),
  attention: (q, k, v, m) => tf.matMul(tf.softmax(tf.add(tf.div(tf.matMul(q, k, false, true), Math.sqrt(D)), m), -1), v),
  ce: (logits, labels) => {
    const c = logits.shape[1]; const valid = tf.notEqual(labels, -100);
    const picked = tf.sum(tf.mul(tf.logSoftmax(logits), tf.oneHot(tf.where(valid, labels, tf.zerosLike(labels)), c)), -1);
    const w = tf.cast(valid, 'float32'); return tf.div(tf.neg(tf.sum(tf.mul(picked, w))), tf.maximum(tf.sum(w), 1));
  },
};

// Each case: name, flops (0 = report ms only), inputs factory, naive fn, attn fn.
function cases() {
  const r = (shape) => tf.randomNormal(shape, 0, 1, 'float32', 1);
  const rows = B * S;
  const mask = () => tf.mul(tf.cast(tf.greater(tf.randomUniform([B, 1, 1, S], 0, 1, 'float32', 2), 0.8), 'float32'), -1e4);
  const labels = () => tf.tensor1d(Array.from({ length: rows }, (_, i) => (i % 7 === 0 ? -100 : i % 30)), 'int32');
  return [
    ['matmul plain [1024,768]x[768,768]', 2 * 1024 * 768 * 768, () => [r([1024, 768]), r([768, 768])], (a, b) => tf.matMul(a, b), (a, b) => matMul(a, b)],
    ['matmul transposeB [1024,768]x[768,768]ᵀ', 2 * 1024 * 768 * 768, () => [r([1024, 768]), r([768, 768])], (a, b) => tf.matMul(a, b, false, true), (a, b) => matMul(a, b, false, true)],
    ['matmul transposeA [768,1024]ᵀx[768,768]', 2 * 1024 * 768 * 768, () => [r([768, 1024]), r([768, 768])], (a, b) => tf.matMul(a, b, true, false), (a, b) => matMul(a, b, true, false)],
    [`batched [${B * H},128,64]x[${B * H},64,128]`, 2 * B * H * S * S * D, () => [r([B * H, S, D]), r([B * H, D, S])], (a, b) => tf.matMul(a, b), (a, b) => matMul(a, b)],
    [`attention QKᵀ [${B},12,128,64]`, 2 * B * H * S * S * D, () => [r([B, H, S, D]), r([B, H, S, D])], (a, b) => tf.matMul(a, b, false, true), (a, b) => matMul(a, b, false, true)],
    [`attention PV [${B},12,128,128]x[..,64]`, 2 * B * H * S * S * D, () => [r([B, H, S, S]), r([B, H, S, D])], (a, b) => tf.matMul(a, b), (a, b) => matMul(a, b)],
    [`gelu [${rows},3072]`, 0, () => [r([rows, 3072])], naive.gelu, gelu],
    [`layerNorm [${rows},768]`, 0, () => [r([rows, 768]), r([768]), r([768])], naive.layerNorm, (x, g, b) => layerNorm(x, g, b)],
    [`maskedSoftmax [${B},12,128,128]`, 0, () => [r([B, H, S, S]), mask()], naive.maskedSoftmax, maskedSoftmax],
    [`attention (fused) [${B},12,128,64]`, 4 * B * H * S * S * D, () => [r([B, H, S, D]), r([B, H, S, D]), r([B, H, S, D]), mask()], naive.attention, (q, k, v, m) => scaledDotProductAttention(q, k, v, { additiveMask: m }).output],
    [`cross-entropy [${rows},30522]`, 0, () => [r([rows, 30522]), labels()], naive.ce, softmaxCrossEntropy],
  ];
}

// Which inputs are differentiated (masks and labels are not).
const nDiff = (name, n) => (/maskedSoftmax|attention \(fused\)|cross-entropy/.test(name) ? n - 1 : n);

async function measure(backend) {
  await initBackend({ backend });
  const reps = backend === 'cpu' ? 2 : quick ? 5 : 7;
  const out = new Map();
  for (const [name, flops, make, naiveFn, attnFn] of cases()) {
    if (backend === 'cpu' && /cross-entropy|\[1024,768\]|\[768,1024\]/.test(name)) continue; // minutes at 0.4 GFLOP/s
    const inputs = make();
    const k = nDiff(name, inputs.length);
    const diffable = (f) => (...xs) => fwdBwd((...ys) => f(...ys, ...inputs.slice(k)))(...xs.slice(0, k));
    const row = {};
    for (const [label, f, stock] of [['naive', naiveFn, true], ['attn', attnFn, false]]) {
      if (backend === 'wasm') setAttnWasmKernels(!stock);
      row[`${label} fwd`] = timeMs(() => f(...inputs), reps);
      row[`${label} fwd+bwd`] = timeMs(() => diffable(f)(...inputs), reps);
    }
    if (backend === 'wasm') setAttnWasmKernels(true);
    out.set(name, { flops, row });
    process.stderr.write(`${backend}: ${name} done\n`);
    tf.dispose(inputs);
  }
  return out;
}

function fmt(ms, flops, factor) { return flops ? `${(flops * factor / ms / 1e6).toFixed(1)} GF/s` : `${ms.toFixed(1)} ms`; }

console.log(`\n@attn/tensor kernels, Node ${process.version}, batch ${B} (x12 heads x128 seq x64), CPU time, fastest of N runs; ratio = naive time / attn time`);
for (const backend of withCpu ? ['wasm', 'cpu'] : ['wasm']) {
  const results = { [backend]: await measure(backend) };
  console.log(`\n## ${backend}\n| op | naive fwd | attn fwd | ratio | naive fwd+bwd | attn fwd+bwd | ratio |\n|---|---:|---:|---:|---:|---:|---:|`);
  for (const [name, { flops, row }] of results[backend]) {
    const r1 = row['naive fwd'] / row['attn fwd'];
    const r2 = row['naive fwd+bwd'] / row['attn fwd+bwd'];
    console.log(`| ${name} | ${fmt(row['naive fwd'], flops, 1)} | ${fmt(row['attn fwd'], flops, 1)} | ${r1.toFixed(2)}x | ${fmt(row['naive fwd+bwd'], flops, 3)} | ${fmt(row['attn fwd+bwd'], flops, 3)} | ${r2.toFixed(2)}x |`);
  }
}
console.log('\nGFLOP/s for fwd+bwd count 3x the forward FLOPs (one forward, two gradient products).');
