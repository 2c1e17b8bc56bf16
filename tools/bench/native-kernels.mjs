#!/usr/bin/env node
// Stock wasm vs @attn/tensor-native, per kernel (GFLOP/s, GB/s or ms) and per BERT training step
// (b32 × s128, tiny and/or mini), with PyTorch's step in the same run when a Python with torch +
// transformers is found (tools/bench/torch_bert_step.py). Needs `pnpm build` in packages/tensor
// and packages/tensor-native.
//   node tools/bench/native-kernels.mjs [--quick] [--profile] [--no-kernels] [--no-train] [--model tiny,mini] [--threads N]
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { tf, initBackend, gelu, layerNorm, adamwUpdate, hasFusedKernels } = await import(join(root, 'packages/tensor/dist/index.js'));
const native = await import(join(root, 'packages/tensor-native/dist/index.js'));

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const threadsArg = argv.indexOf('--threads');
await initBackend({ backend: 'wasm' });
const addon = native.loadNativeAddon();
if (!addon) {
  console.log(`native addon unavailable: ${native.nativeAddonStatus().reason}`);
  process.exit(1);
}
if (threadsArg >= 0) addon.setThreads(Number(argv[threadsArg + 1]));
const info = addon.info();
console.log(`tfjs ${tf.version.tfjs} wasm backend; native addon: ${info.isa}, ${info.threads} threads; ${new Date().toISOString()}`);

function timeIt(fn, minMs = quick ? 150 : 600) {
  for (let i = 0; i < 2; i++) tf.dispose(fn());
  const times = [];
  const start = performance.now();
  while (performance.now() - start < minMs || times.length < 3) {
    const t0 = performance.now();
    tf.dispose(fn());
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function both(fn) {
  native.unregisterNativeKernels(tf);
  const stock = timeIt(fn);
  native.registerNativeKernels(tf);
  const fast = timeIt(fn);
  return { stock, fast };
}

const rows = [];
function report(name, work, unit, { stock, fast }) {
  const s = work / stock / 1e6;
  const f = work / fast / 1e6;
  rows.push({ name, stock: s, native: f, ratio: stock / fast });
  console.log(`${name.padEnd(44)} ${s.toFixed(1).padStart(8)} → ${f.toFixed(1).padStart(8)} ${unit}  ×${(stock / fast).toFixed(1)}`);
}

const kernels = !argv.includes('--no-kernels');
if (kernels) console.log(`\n${'matmul'.padEnd(44)} ${'stock'.padStart(8)}   ${'native'.padStart(8)}`);
const matmuls = [
  ['plain 1024²', [1024, 1024], [1024, 1024], false, false],
  ['transposeA 1024²', [1024, 1024], [1024, 1024], true, false],
  ['transposeB 1024²', [1024, 1024], [1024, 1024], false, true],
  ['plain 64² (small path)', [64, 64], [64, 64], false, false],
  ['attention QKᵀ [64,128,64]·[64,128,64]ᵀ', [64, 128, 64], [64, 128, 64], false, true],
  ['attention PV [64,128,128]·[64,128,64]', [64, 128, 128], [64, 128, 64], false, false],
  ['BERT-tiny FFN fwd [4096,128]·[128,512]', [4096, 128], [128, 512], false, false],
  ['BERT-tiny FFN dX [4096,512]·[128,512]ᵀ', [4096, 512], [128, 512], false, true],
  ['BERT-tiny FFN dW [4096,128]ᵀ·[4096,512]', [4096, 128], [4096, 512], true, false],
  ['broadcast batch [8,1,64,64]·[1,8,64,64]', [8, 1, 64, 64], [1, 8, 64, 64], false, false],
];
for (const [name, as, bs, ta, tb] of kernels ? matmuls : []) {
  const a = tf.randomNormal(as);
  const b = tf.randomNormal(bs);
  const out = tf.matMul(a, b, ta, tb);
  const k = ta ? as[as.length - 2] : as[as.length - 1];
  const flops = 2 * out.size * k;
  out.dispose();
  if (name.startsWith('broadcast')) {
    // Stock wasm pairs batches by modulo and gives a wrong answer here; time native only.
    native.registerNativeKernels(tf);
    const fast = timeIt(() => tf.matMul(a, b, ta, tb));
    console.log(`${name.padEnd(44)} ${'n/a'.padStart(8)} → ${(flops / fast / 1e6).toFixed(1).padStart(8)} GFLOP/s`);
  } else {
    report(name, flops, 'GFLOP/s', both(() => tf.matMul(a, b, ta, tb)));
  }
  tf.dispose([a, b]);
}

const fused = native.NATIVE_KERNELS.map((d) => d.kernelName).filter((n) => n !== 'BatchMatMul');
if (kernels && fused.length) {
  console.log(`\n${'memory-bound kernels (GB/s moved)'.padEnd(44)} ${'stock'.padStart(8)}   ${'native'.padStart(8)}`);
  const x = tf.randomNormal([4096, 512]);
  const bias = tf.randomNormal([512]);
  const y = tf.randomNormal([4096, 512]);
  const scores = tf.randomNormal([32, 2, 128, 128]);
  const bytes = (n) => n * 4;
  if (fused.includes('Sum')) {
    report('Sum axis 0 (bias grad) [4096,512]', bytes(x.size), 'GB/s', both(() => tf.sum(x, 0)));
    report('Sum last axis [4096,512]', bytes(x.size), 'GB/s', both(() => tf.sum(x, -1)));
  }
  if (fused.includes('Add')) {
    report('Add bias [4096,512]+[512]', bytes(2 * x.size), 'GB/s', both(() => tf.add(x, bias)));
    report('Add residual [4096,512]+[4096,512]', bytes(3 * x.size), 'GB/s', both(() => tf.add(x, y)));
  }
  if (fused.includes('Multiply')) report('Multiply [4096,512]·[4096,512]', bytes(3 * x.size), 'GB/s', both(() => tf.mul(x, y)));
  if (fused.includes('Softmax')) report('Softmax [32,2,128,128]', bytes(2 * scores.size), 'GB/s', both(() => tf.softmax(scores)));
  tf.dispose([x, bias, y, scores]);
}

if (kernels && hasFusedKernels(native.GELU_KERNEL)) {
  console.log(`\n${'fused ops (time, composed → fused)'.padEnd(44)} ${'stock'.padStart(8)}   ${'native'.padStart(8)}`);
  const act = tf.randomNormal([4096, 512]);
  const h = tf.randomNormal([4096, 128]);
  const g = tf.variable(tf.ones([128]));
  const b = tf.variable(tf.zeros([128]));
  const msRow = (name, composedMs, fusedMs) => {
    rows.push({ name, stock: composedMs, native: fusedMs, ratio: composedMs / fusedMs });
    console.log(`${name.padEnd(44)} ${composedMs.toFixed(2).padStart(8)} → ${fusedMs.toFixed(2).padStart(8)} ms  ×${(composedMs / fusedMs).toFixed(1)}`);
  };
  const composedGelu = (x) => tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1));
  const composedLn = (x) => { const { mean, variance } = tf.moments(x, -1, true); return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-12))), g), b); };
  const fwdBwd = (f, x) => () => tf.tidy(() => tf.grads((xx) => tf.sum(f(xx)))([x]));
  const stockTime = (fn) => { native.unregisterNativeKernels(tf); const ms = timeIt(fn); native.registerNativeKernels(tf); return ms; };
  msRow('GELU fwd+bwd [4096,512]', stockTime(fwdBwd(composedGelu, act)), timeIt(fwdBwd(gelu, act)));
  msRow('LayerNorm fwd+bwd [4096,128]', stockTime(fwdBwd(composedLn, h)), timeIt(fwdBwd((x) => layerNorm(x, g, b), h)));
  // AdamW over BERT-tiny's 4.39M parameters (30522×128 word embeddings included).
  const shapes = [[30522, 128], [512, 128], [2, 128], ...Array.from({ length: 2 }, () => [[128, 128], [128, 128], [128, 128], [128, 128], [128, 512], [512, 128]]).flat(), [128, 2]];
  const vars = shapes.map((s) => tf.variable(tf.randomNormal(s)));
  const grads = shapes.map((s) => tf.randomNormal(s));
  const slots = vars.map((p, i) => ({ param: p, grad: grads[i], m: tf.variable(tf.zeros(p.shape)), v: tf.variable(tf.zeros(p.shape)) }));
  const adam = tf.train.adam(1e-4);
  const named = Object.fromEntries(vars.map((v, i) => [v.name, grads[i]]));
  native.unregisterNativeKernels(tf);
  const tfjsAdam = timeIt(() => { adam.applyGradients(named); return []; });
  native.registerNativeKernels(tf);
  let step = 0;
  msRow('AdamW 4.39M params (tfjs Adam → fused)', tfjsAdam, timeIt(() => { adamwUpdate(slots, { learningRate: 1e-4, step: ++step }); return []; }));
  tf.dispose([act, h, g, b, ...vars, ...grads, ...slots.flatMap((s) => [s.m, s.v])]);
  adam.dispose();
}

// ---------------------------------------------------------------- BERT training step
// A hand-rolled BERT encoder (tiny: L2 H128 2 heads FFN 512; mini: L4 H256 4 heads FFN 1024) with
// a classification head. Word embeddings (30522 × H) train when the wasm backend has an
// UnsortedSegmentSum kernel (@attn/tensor registers one); otherwise they are a fixed input.
const CONFIGS = { tiny: { H: 128, heads: 2, ffn: 512, layers: 2 }, mini: { H: 256, heads: 4, ffn: 1024, layers: 4 } };
const trainEmbeddings = !!tf.getKernel('UnsortedSegmentSum', 'wasm');
function bertStep(batch, seq, { fused = false, model = 'tiny' } = {}) {
  const { H, heads, ffn, layers } = CONFIGS[model];
  const dh = H / heads, labels = 2, vocab = 30522;
  const v = (shape, scale = 0.02) => tf.variable(tf.mul(tf.randomNormal(shape), scale));
  const params = [];
  const P = (shape, scale) => { const p = v(shape, scale); params.push(p); return p; };
  const onesP = (n) => { const p = tf.variable(tf.ones([n])); params.push(p); return p; };
  const zerosP = (n) => { const p = tf.variable(tf.zeros([n])); params.push(p); return p; };
  const pos = P([seq, H]);
  const embLn = [onesP(H), zerosP(H)];
  const L = [];
  for (let l = 0; l < layers; l++) {
    L.push({
      q: [P([H, H]), zerosP(H)], k: [P([H, H]), zerosP(H)], v: [P([H, H]), zerosP(H)], o: [P([H, H]), zerosP(H)],
      ln1: [onesP(H), zerosP(H)], f1: [P([H, ffn]), zerosP(ffn)], f2: [P([ffn, H]), zerosP(H)], ln2: [onesP(H), zerosP(H)],
    });
  }
  const cls = [P([H, labels]), zerosP(labels)];
  const wordEmb = trainEmbeddings ? P([vocab, H]) : null;
  const ids = tf.tensor2d(Array.from({ length: batch * seq }, (_, i) => (i * 7919) % vocab), [batch, seq], 'int32');
  const fixedWords = trainEmbeddings ? null : tf.randomNormal([batch, seq, H]);
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: batch }, (_, i) => i % labels), 'int32'), labels);
  const lin = (x, [w, b]) => tf.add(tf.matMul(x, w), b);
  const ln = (x, [g, b]) => {
    if (fused) return layerNorm(x, g, b, 1e-12);
    const { mean, variance } = tf.moments(x, -1, true);
    return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-12))), g), b);
  };
  const gelu = (x) => (fused ? gelu(x) : tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1)));
  const split = (x) => tf.transpose(tf.reshape(x, [batch, seq, heads, dh]), [0, 2, 1, 3]);
  const loss = () => {
    const words = wordEmb ? tf.gather(wordEmb, ids) : fixedWords;
    let h = ln(tf.reshape(tf.add(words, pos), [batch * seq, H]), embLn);
    for (const p of L) {
      const q = split(lin(h, p.q)), k = split(lin(h, p.k)), vv = split(lin(h, p.v));
      const att = tf.softmax(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(dh)));
      const ctx = tf.reshape(tf.transpose(tf.matMul(att, vv), [0, 2, 1, 3]), [batch * seq, H]);
      h = ln(tf.add(h, lin(ctx, p.o)), p.ln1);
      h = ln(tf.add(h, lin(gelu(lin(h, p.f1)), p.f2)), p.ln2);
    }
    const first = tf.reshape(tf.slice(tf.reshape(h, [batch, seq, H]), [0, 0, 0], [batch, 1, H]), [batch, H]);
    return tf.losses.softmaxCrossEntropy(y, lin(tf.tanh(first), cls));
  };
  const opt = tf.train.adam(1e-4);
  // Fused: one AdamW kernel for all parameters instead of tfjs's ~10 kernels per parameter.
  const slots = params.map((p) => ({ param: p, grad: null, m: tf.variable(tf.zeros(p.shape), false), v: tf.variable(tf.zeros(p.shape), false) }));
  let t = 0;
  const step = fused
    ? () => {
        const { value, grads } = tf.variableGrads(loss, params);
        slots.forEach((s) => { s.grad = grads[s.param.name]; });
        adamwUpdate(slots, { learningRate: 1e-4, step: ++t, weightDecay: 0.01 });
        tf.dispose(Object.values(grads));
        return value;
      }
    : () => opt.minimize(loss, true, params);
  const dispose = () => { tf.dispose([...params, ids, y, ...(fixedWords ? [fixedWords] : []), ...slots.flatMap((s) => [s.m, s.v])]); opt.dispose(); };
  return { step, dispose };
}

const modelArg = argv.indexOf('--model');
const models = modelArg >= 0 ? argv[modelArg + 1].split(',') : ['tiny'];
if (!argv.includes('--no-train')) {
  const steps = quick ? 2 : 4;
  const measure = (opts) => {
    const { step, dispose } = bertStep(32, 128, opts);
    tf.dispose(step());
    const before = tf.memory().numTensors;
    const times = [];
    for (let i = 0; i < steps; i++) { const t0 = performance.now(); const l = step(); l.dataSync(); l.dispose(); times.push(performance.now() - t0); }
    if (tf.memory().numTensors !== before) console.log(`  warning: tensor count changed ${before} → ${tf.memory().numTensors}`);
    times.sort((a, b) => a - b);
    return { ms: times[Math.floor(times.length / 2)], step, dispose };
  };
  for (const model of models) {
    console.log(`\nBERT-${model} training step, batch 32 × seq 128 (hand-rolled tf ops; word embeddings ${trainEmbeddings ? 'trained' : 'fixed'}; median of ${steps})`);
    native.unregisterNativeKernels(tf);
    const stock = measure({ model });
    stock.dispose();
    native.registerNativeKernels(tf);
    const nat = measure({ model });
    nat.dispose();
    const fusedRun = measure({ fused: true, model });
    const line = (name, ms) => console.log(`  ${name.padEnd(34)} ${(32000 / ms).toFixed(1).padStart(6)} seq/s (${ms.toFixed(0)} ms/step)  ×${(stock.ms / ms).toFixed(1)}`);
    line('stock wasm (@attn/tensor kernels), Adam', stock.ms);
    line('native kernels, composed ops, Adam', nat.ms);
    line('native + fused GELU/LN/AdamW', fusedRun.ms);
    if (argv.includes('--profile')) {
      const prof = await tf.profile(() => fusedRun.step());
      const byKernel = new Map();
      for (const k of prof.kernels) byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + k.kernelTimeMs);
      const total = [...byKernel.values()].reduce((a, b) => a + b, 0);
      console.log('  native + fused step profile (kernel ms; "forward" double-counts the fused ops\' insides):');
      for (const [n, ms] of [...byKernel].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`    ${n.padEnd(24)} ${ms.toFixed(1).padStart(8)}  ${((100 * ms) / total).toFixed(0)}%`);
    }
    fusedRun.dispose();
  }
  // PyTorch in the same run, same machine: HF BertForSequenceClassification, AdamW, 2 threads.
  const pythons = [process.env.ATTN_BENCH_PYTHON, '/tmp/hfvenv/bin/python', '/usr/bin/python3', 'python3'].filter(Boolean);
  let torchLine = 'PyTorch: no Python with torch + transformers found (set ATTN_BENCH_PYTHON); machine-facts reference, 2 threads: tiny 183 seq/s, mini 42';
  for (const py of pythons) {
    try {
      const env = { ...process.env, OMP_NUM_THREADS: '2', OPENBLAS_CORETYPE: 'SkylakeX', OMP_WAIT_POLICY: 'PASSIVE' };
      const out = execFileSync(py, [join(root, 'tools/bench/torch_bert_step.py'), models.join(','), '32', '128', String(quick ? 2 : 4)], { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'ignore'] });
      const r = JSON.parse(out.trim().split('\n').pop());
      torchLine = `PyTorch ${r.torch} (${r.threads} threads, HF BertForSequenceClassification, AdamW): ` + models.map((m) => `${m} ${r[m].toFixed(1)} seq/s`).join(', ');
      break;
    } catch {}
  }
  console.log(`\n${torchLine}`);
}
process.exit(0);
