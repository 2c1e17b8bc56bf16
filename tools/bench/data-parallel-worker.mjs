// One replica of tools/bench/data-parallel.mjs: builds a seeded BERT classifier on wasm (+ native
// kernels), trains it for a number of steps on its rows of a deterministic global batch, and
// averages gradients with the other replicas before every AdamW step.
// Runs as a worker_thread (transport "sab": gradients in a SharedArrayBuffer, Atomics barrier) or as
// a forked child process (transport "file": gradients in one file under /dev/shm, IPC barrier),
// because the native addon serialises calls from threads of one process (see data-parallel.mjs).
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { openSync, writeSync, readSync, closeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = (p) => join(root, 'packages', p, 'dist', 'index.js');

const inThread = !isMainThread;
// A child keeps its IPC channel (and so itself) alive only while a 'message' listener exists.
const inbox = [];
let onInbox;
if (!inThread) process.on('message', (m) => { inbox.push(m); onInbox?.(); });
const nextMessage = () => new Promise((resolve) => {
  const take = () => { onInbox = undefined; resolve(inbox.shift()); };
  if (inbox.length) take(); else onInbox = take;
});
const job = inThread ? workerData : await nextMessage();
const send = (msg) => (inThread ? parentPort.postMessage(msg) : process.send(msg));

const { tf, initBackend, Generator, variableGrads } = await import(dist('tensor'));
const { BertConfig, createModel } = await import(dist('models'));
const { AdamW } = await import(dist('trainer'));

await initBackend({ backend: 'wasm' });
let nativeInfo = 'off';
let nativeMs = 0;
let nativeDepth = 0;
if (job.native) {
  const native = await import(dist('tensor-native'));
  const r = native.registerNativeKernelsDetailed(tf, 'wasm');
  const addon = native.loadNativeAddon();
  if (!r.registered || !addon) throw new Error(`native kernels unavailable: ${r.reason}`);
  addon.setThreads(job.threads);
  // Proposed addon call (not in the addon yet, see data-parallel.mjs): this calling thread runs
  // its kernels inline without the process-wide caller lock, so in-process replicas overlap.
  const inline = job.transport === 'sab' && job.replicas > 1 && typeof addon.setCallerInline === 'function';
  if (inline) addon.setCallerInline(true);
  // Time spent in the native kernels: threads of one process take turns in the addon
  // (caller_mu), so this share of a replica's step cannot overlap with another in-process
  // replica's. (The addon's own properties are read-only, so the kernels are wrapped instead.)
  if (job.profileNative) {
    for (const name of r.kernels) {
      const cfg = tf.getKernel(name, 'wasm');
      tf.unregisterKernel(name, 'wasm');
      tf.registerKernel({ ...cfg, kernelFunc: (a) => {
        // Outermost call only: a native kernel may run another (or its stock fallback) inside.
        const t = performance.now();
        nativeDepth++;
        try { return cfg.kernelFunc(a); } finally { if (--nativeDepth === 0) nativeMs += performance.now() - t; }
      } });
    }
  }
  const info = addon.info();
  nativeInfo = `${info.isa}, ${inline ? 'inline on each replica thread' : `${info.threads} thread(s)`}`;
}

// Dropout off: replicas and the single-process reference must compute the same function.
const config = BertConfig.preset(job.preset, { hidden_dropout_prob: 0, attention_probs_dropout_prob: 0, num_labels: 2 });
const model = createModel('sequence-classification', config, { seed: job.seed });
model.train();
const params = model.trainableParameters();
const optimizer = new AdamW([{ params, lr: job.lr, weightDecay: 0.01 }]);
const sizes = params.map(([, v]) => v.size);
const offsets = [];
let total = 0;
for (const s of sizes) { offsets.push(total); total += s; }

// Rows [rank·b, (rank+1)·b) of global batch `step`; no padding, so the mean of the replicas'
// mean losses equals the full batch's mean loss.
function batchFor(step) {
  const rng = new Generator(job.seed * 1000 + step);
  const B = job.globalBatch, S = job.seq, V = config.vocabSize;
  const ids = new Int32Array(B * S);
  for (let i = 0; i < ids.length; i++) ids[i] = i % S === 0 ? 101 : 1000 + rng.int(V - 1000);
  const labels = Int32Array.from({ length: B }, () => rng.int(2));
  const b = B / job.replicas, r0 = job.rank * b;
  return {
    inputIds: tf.tensor2d(ids.subarray(r0 * S, (r0 + b) * S), [b, S], 'int32'),
    attentionMask: tf.ones([b, S], 'int32'),
    tokenTypeIds: tf.zeros([b, S], 'int32'),
    labels: tf.tensor1d(labels.subarray(r0, r0 + b), 'int32'),
  };
}

// --- gradient exchange -------------------------------------------------------------------------
// SAB layout (floats, after a 64-byte barrier header): N regions of `total` gradients, one region
// for the mean, then (optim "flat") the master weights. Every replica computes
// mean = (Σ_k g_k)·(1/N) in rank order, so all of them get bit-identical means.
const N = job.replicas;
const flat = job.optim === 'flat';
let own, mean, weights, exchange;
const m1 = flat ? new Float32Array(total) : null;
const m2 = flat ? new Float32Array(total) : null;
let adamStep = 0;
let waitMs = 0; // part of the exchange spent waiting for the other replicas (barrier / IPC)

// AdamW as torch.optim.AdamW (and @attn/trainer's AdamW) over elements [lo, hi) of the flat
// vectors, in float64 arithmetic rounded to float32 once per value.
function flatAdamW(g, lo, hi) {
  const lr = job.lr, wd = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8;
  const stepSize = lr / (1 - b1 ** adamStep), bc2Sqrt = Math.sqrt(1 - b2 ** adamStep), decay = 1 - lr * wd;
  for (let i = lo; i < hi; i++) {
    const gi = g[i];
    const m = (m1[i] = b1 * m1[i] + (1 - b1) * gi);
    const v = (m2[i] = b2 * m2[i] + (1 - b2) * gi * gi);
    weights[i] = weights[i] * decay - (stepSize * m) / (Math.sqrt(v) / bc2Sqrt + eps);
  }
}
const readWeights = (into) => params.forEach(([, v], i) => into.set(v.dataSync(), offsets[i]));

if (N === 1) {
  own = new Float32Array(total);
  mean = own;
  if (flat) { weights = new Float32Array(total); readWeights(weights); }
  exchange = async () => { if (flat) flatAdamW(mean, 0, total); };
} else if (job.transport === 'sab') {
  const regions = N + (flat ? 2 : 1);
  if (job.sab.byteLength < 64 + regions * total * 4) {
    throw new Error(`data-parallel-worker: the SharedArrayBuffer holds ${job.sab.byteLength} bytes, ${64 + regions * total * 4} needed for ${total} parameters; fix bertClassifierParams in data-parallel.mjs`);
  }
  const ctl = new Int32Array(job.sab, 0, 2); // [arrived, generation]
  const all = new Float32Array(job.sab, 64, regions * total);
  own = all.subarray(job.rank * total, (job.rank + 1) * total);
  mean = all.subarray(N * total, (N + 1) * total);
  const barrier = () => {
    const gen = Atomics.load(ctl, 1);
    if (Atomics.add(ctl, 0, 1) === N - 1) {
      Atomics.store(ctl, 0, 0);
      Atomics.add(ctl, 1, 1);
      Atomics.notify(ctl, 1);
    } else {
      while (Atomics.load(ctl, 1) === gen) Atomics.wait(ctl, 1, gen);
    }
  };
  // Each replica reduces (and, optim "flat", updates) its own slice, so that work is split too.
  const lo = Math.floor((job.rank * total) / N), hi = Math.floor(((job.rank + 1) * total) / N);
  if (flat) {
    weights = all.subarray((N + 1) * total, (N + 2) * total);
    const mine = new Float32Array(total);
    readWeights(mine);
    weights.set(mine.subarray(lo, hi), lo);
    barrier();
  }
  exchange = async () => {
    let t = performance.now();
    barrier();
    waitMs += performance.now() - t;
    const inv = 1 / N;
    for (let i = lo; i < hi; i++) {
      let s = all[i];
      for (let k = 1; k < N; k++) s += all[k * total + i];
      mean[i] = s * inv;
    }
    if (flat) flatAdamW(mean, lo, hi);
    t = performance.now();
    barrier();
    waitMs += performance.now() - t;
  };
} else {
  // Node processes cannot share memory: write our gradients into one /dev/shm file, wait until
  // every replica has, read the others' back (page cache: memcpy speed) and average locally.
  const fd = openSync(job.file, 'r+');
  own = new Float32Array(total);
  mean = new Float32Array(total);
  if (flat) { weights = new Float32Array(total); readWeights(weights); }
  const others = Array.from({ length: N }, (_, k) => (k === job.rank ? own : new Float32Array(total)));
  const bytes = total * 4;
  const io = (fn, arr, k) => {
    const buf = new Uint8Array(arr.buffer, arr.byteOffset, bytes);
    for (let done = 0; done < bytes;) done += fn(fd, buf, done, bytes - done, k * bytes + done);
  };
  exchange = async () => {
    io(writeSync, own, job.rank);
    const t = performance.now();
    send({ type: 'arrived' });
    const m = await nextMessage();
    waitMs += performance.now() - t;
    if (m !== 'go') throw new Error(`data-parallel-worker: expected "go" from the parent, got ${JSON.stringify(m)}`);
    for (let k = 0; k < N; k++) if (k !== job.rank) io(readSync, others[k], k);
    const inv = 1 / N;
    for (let i = 0; i < total; i++) {
      let s = others[0][i];
      for (let k = 1; k < N; k++) s += others[k][i];
      mean[i] = s * inv;
    }
    // Separate memories: every replica updates all weights (the same way).
    if (flat) flatAdamW(mean, 0, total);
  };
  process.on('exit', () => closeSync(fd));
}

// --- training ------------------------------------------------------------------------------------
// exchange: own work (write/read/average); wait: at the barrier, for the slowest replica.
const phases = { compute: 0, flatten: 0, exchange: 0, wait: 0, apply: 0 };
const stepMs = [];
async function trainStep(step, timed) {
  const t0 = performance.now();
  const batch = batchFor(step);
  const { value, grads } = variableGrads(() => model.forward(batch).loss, params.map(([, v]) => v));
  const loss = value.dataSync()[0];
  value.dispose();
  for (const t of Object.values(batch)) t.dispose();
  const t1 = performance.now();
  params.forEach(([, v], i) => {
    own.set(grads[v.name].dataSync(), offsets[i]);
    grads[v.name].dispose();
  });
  const t2 = performance.now();
  adamStep++;
  waitMs = 0;
  await exchange();
  const t3 = performance.now();
  if (flat) {
    params.forEach(([, v], i) => tf.tidy(() => v.assign(tf.tensor(weights.subarray(offsets[i], offsets[i] + sizes[i]), v.shape))));
  } else {
    const gradMap = new Map(params.map(([name, v], i) => [name, tf.tensor(mean.subarray(offsets[i], offsets[i] + sizes[i]), v.shape)]));
    optimizer.step(gradMap);
    for (const g of gradMap.values()) g.dispose();
  }
  const t4 = performance.now();
  if (timed) {
    stepMs.push(t4 - t0);
    phases.compute += t1 - t0; phases.flatten += t2 - t1; phases.exchange += t3 - t2 - waitMs; phases.wait += waitMs; phases.apply += t4 - t3;
  }
  return loss;
}

let step = 0;
for (let i = 0; i < job.warmup; i++) await trainStep(step++, false);
const tensorsBefore = tf.memory().numTensors;
const c0 = process.cpuUsage();
nativeMs = 0;
const w0 = performance.now();
let loss = 0;
for (let i = 0; i < job.steps; i++) loss = await trainStep(step++, true);
const wall = (performance.now() - w0) / 1000;
const cpu = process.cpuUsage(c0); // whole process: in thread mode it includes the other replicas
const finalWeights = new Float32Array(total);
readWeights(finalWeights);
send({
  type: 'done', rank: job.rank, wall, stepMs, nativeMsPerStep: nativeMs / job.steps, cpuS: (cpu.user + cpu.system) / 1e6, loss, nativeInfo,
  phases: Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, v / job.steps])),
  tensorLeak: tf.memory().numTensors - tensorsBefore, numParams: total, weights: finalWeights,
});
// Leave once the parent has the result: disconnecting at once could drop the large message.
if (!inThread) process.send({ type: 'bye' }, () => process.disconnect());
