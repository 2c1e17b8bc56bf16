#!/usr/bin/env node
// Issue #11: can 2 data-parallel replicas (native threads 1 each) train BERT faster than one
// replica with 2 native threads? Same global batch (32 × 128), same seeded weights and data,
// dropout off (so every mode computes the same function):
//   single  one worker_thread, batch 32, native threads 2 (the reference)
//   single1 (optional) one worker_thread, batch 32, native threads 1: what one core does alone
//   threads 2 worker_threads of this process, batch 16 each, native threads 1, gradients averaged
//           in a SharedArrayBuffer (Atomics barrier). NOTE: the addon is an N-API module, so every
//           worker can load it, but its thread pool and GEMM packing scratch are process-global and
//           every call takes one process-wide lock (caller_mu in native/src/thread_pool.c), even at
//           setThreads(1) where it runs inline on the caller's thread: the replicas' native kernels
//           (~90% of a step) run one after the other. An addon with setCallerInline(true) (see
//           below) is used automatically when present. Node also unloads the addon when the last
//           Worker that loaded it exits, which kills the addon's parked pool threads (SIGSEGV);
//           this script loads it in the main thread so that it stays mapped.
//   procs   2 forked child processes, batch 16 each, native threads 1, gradients exchanged
//           through a /dev/shm file + an IPC barrier (Node processes cannot share memory).
// Checks: replicas end bit-identical; each equals the single run within --tol; no tensor leaks.
//
// The C change that would let in-process replicas overlap (not made here):
//   thread_pool.c: `static _Thread_local int caller_inline;` set by a new
//     `void attn_set_caller_inline(int on)`; at the top of attn_parallel_for, before caller_mu:
//     `if (caller_inline) { for (long t = 0; t < ntasks; t++) fn(ctx, t, 0); return; }`
//   gemm.c thread_scratch(): thread 0 always runs on the calling thread, so give it a per-thread
//     buffer: `static _Thread_local scratch_t caller_scratch;` and `s = thread == 0 ? &caller_scratch
//     : &scratch[thread];` (~2.3 MB per calling thread, allocated on first use).
//   addon.c: `setCallerInline(on)` → attn_set_caller_inline; native_addon.ts: add it to NativeAddon.
//   binding.gyp: "ldflags": ["-Wl,-z,nodelete"], so a Worker's exit never unmaps the pool's code
//     (or: napi_add_env_cleanup_hook that joins the pool threads when the last env goes away).
//
// Usage: nice -n 10 node tools/bench/data-parallel.mjs [--models tiny,mini] [--modes single,threads,procs]
//          [--steps 8] [--warmup 2] [--replicas 2] [--batch 32] [--seq 128] [--quick] [--tol 1e-5]
//          [--rounds 1]  repeat the modes in turn and report medians (a shared machine's load drifts)
//          [--profile-native]  also time the native kernels (their share of the step)
//          [--optim trainer|flat]  trainer: @attn/trainer AdamW, run in full by every replica;
//          flat: one AdamW loop over the flat Float32Arrays, each replica updating its own slice of
//          the shared weights (SAB mode) — the optimizer then costs 1/N per replica.
// Needs the built dist of tensor, tensor-native, models, trainer.
import { Worker } from 'node:worker_threads';
import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const { BertConfig } = await import(join(here, '..', '..', 'packages', 'models', 'dist', 'index.js'));
// Node unloads (dlclose) an addon when the last Worker that loaded it exits; the addon's parked
// pool threads then run unmapped code (SIGSEGV, or a futex abort). Loading it here keeps it mapped.
const { loadNativeAddon } = await import(join(here, '..', '..', 'packages', 'tensor-native', 'dist', 'index.js'));
if (!loadNativeAddon()) throw new Error('data-parallel: the native addon does not load; build packages/tensor-native first');
const workerFile = join(here, 'data-parallel-worker.mjs');
const { values: opt } = parseArgs({
  options: {
    models: { type: 'string', default: 'tiny,mini' },
    modes: { type: 'string', default: 'single,threads,procs' },
    steps: { type: 'string' },
    warmup: { type: 'string' },
    replicas: { type: 'string', default: '2' },
    batch: { type: 'string', default: '32' },
    seq: { type: 'string', default: '128' },
    lr: { type: 'string', default: '1e-4' },
    tol: { type: 'string', default: '1e-5' },
    optim: { type: 'string', default: 'trainer' },
    quick: { type: 'boolean', default: false },
    'profile-native': { type: 'boolean', default: false },
    rounds: { type: 'string', default: '1' },
  },
});
const replicas = Number(opt.replicas), globalBatch = Number(opt.batch), seq = Number(opt.seq);
const steps = Number(opt.steps ?? (opt.quick ? 3 : 8)), warmup = Number(opt.warmup ?? (opt.quick ? 1 : 2));
const tol = Number(opt.tol);
if (globalBatch % replicas !== 0) throw new Error(`--batch ${globalBatch} must divide by --replicas ${replicas}`);
const modes = opt.modes.split(',');
if (!['trainer', 'flat'].includes(opt.optim)) throw new Error(`--optim ${opt.optim}: use trainer (@attn/trainer AdamW on every replica) or flat (one AdamW loop over flat Float32Arrays, split across replicas in SAB mode)`);

function jobFor(preset, rank, n, threads, transport, extra = {}) {
  return { preset, rank, replicas: n, threads, transport, globalBatch, seq, steps, warmup, seed: 7, lr: Number(opt.lr), native: true, optim: opt.optim, profileNative: opt['profile-native'], ...extra };
}

// Parameters of BertForSequenceClassification (2 labels), to size the shared gradient buffer.
function bertClassifierParams(c) {
  const H = c.hiddenSize, I = c.intermediateSize;
  const embeddings = (c.vocabSize + c.maxPositionEmbeddings + c.typeVocabSize) * H + 2 * H;
  const layer = 4 * (H * H + H) + 2 * H + (H * I + I) + (I * H + H) + 2 * H;
  return embeddings + c.numHiddenLayers * layer + (H * H + H) + (H * 2 + 2);
}

function runThreads(preset, n, threads) {
  // 64-byte header for the barrier, then n gradient regions, the mean and (optim flat) the weights.
  const regions = n + (opt.optim === 'flat' ? 2 : 1);
  const sab = new SharedArrayBuffer(n === 1 ? 64 : 64 + regions * bertClassifierParams(BertConfig.preset(preset)) * 4);
  const workers = [];
  const done = Promise.all(Array.from({ length: n }, (_, rank) => new Promise((resolve, reject) => {
    const w = new Worker(workerFile, { workerData: jobFor(preset, rank, n, threads, 'sab', { sab }) });
    workers.push(w);
    w.on('message', (m) => { if (m.type === 'done') resolve(m); });
    w.on('error', reject);
    w.on('exit', (code) => { if (code !== 0) reject(new Error(`replica ${rank} exited with ${code}`)); });
  })));
  // A failed replica leaves the others waiting at the barrier forever: stop them all.
  return done.catch(async (err) => { await Promise.all(workers.map((w) => w.terminate())); throw err; });
}

function runProcs(preset, n, threads) {
  const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'attn-dp-'));
  const file = join(dir, 'grads.f32');
  writeFileSync(file, '');
  let arrived = 0;
  const children = [];
  const done = Promise.all(Array.from({ length: n }, (_, rank) => new Promise((resolve, reject) => {
    const c = fork(workerFile, [], { serialization: 'advanced', env: { ...process.env, ATTN_NATIVE_THREADS: String(threads) } });
    children.push(c);
    c.on('message', (m) => {
      if (m.type === 'arrived' && ++arrived === n) { arrived = 0; for (const k of children) k.send('go'); }
      if (m.type === 'done') resolve(m);
    });
    c.on('error', reject);
    c.on('exit', (code) => { if (code !== 0) reject(new Error(`replica process ${rank} exited with ${code}`)); });
    c.send(jobFor(preset, rank, n, threads, 'file', { file }));
  })));
  return done
    .catch((err) => { for (const c of children) if (c.exitCode === null) c.kill(); throw err; })
    .finally(() => rmSync(dir, { recursive: true, force: true }));
}

function maxAbsDiff(a, b) {
  let m = 0;
  for (let i = 0; i < a.length; i++) { const d = Math.abs(a[i] - b[i]); if (d > m || Number.isNaN(d)) m = Number.isNaN(d) ? Infinity : d; }
  return m;
}
const bitIdentical = (a, b) => Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;
const fmtPhases = (p) => Object.entries(p).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ');

let failed = false;
const rounds = Number(opt.rounds);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
console.log(`data-parallel bench: global batch ${globalBatch} x seq ${seq}, ${replicas} replicas, ${steps} timed steps after ${warmup} warm-up, ` +
  `optimizer ${opt.optim}, ${rounds} round(s) of the modes in turn (medians), wall time`);
for (const m of opt.models.split(',')) {
  const preset = m.startsWith('bert-') ? m : `bert-${m}`;
  const results = Object.fromEntries(modes.map((mode) => [mode, { seqPerS: [], bestSeqPerS: [], cpuMs: [] }]));
  for (let round = 0; round < rounds; round++) {
    // Modes take turns so that a change in the machine's load hits all of them alike.
    for (const mode of modes) {
      const res = mode === 'single' ? await runThreads(preset, 1, replicas)
        : mode === 'single1' ? await runThreads(preset, 1, 1)
        : mode === 'threads' ? await runThreads(preset, replicas, 1)
        : mode === 'procs' ? await runProcs(preset, replicas, 1)
        : (() => { throw new Error(`unknown mode ${mode}; use single, single1, threads, procs`); })();
      const wall = Math.max(...res.map((r) => r.wall));
      // Replicas meet at a barrier every step, so a step lasts as long as its slowest replica. On a
      // shared machine the fastest step is the best guess for an idle one.
      const perStep = res[0].stepMs.map((_, i) => Math.max(...res.map((r) => r.stepMs[i])));
      // CPU ms per step of one replica (thread mode: the process's CPU shared out over its replicas).
      const cpuMs = Math.max(...res.map((r) => (r.cpuS * 1000) / steps / (mode === 'threads' ? res.length : 1)));
      const loss = res.reduce((a, r) => a + r.loss, 0) / res.length; // mean of half-batch means = full-batch mean
      const leak = res.map((r) => r.tensorLeak);
      const identical = res.every((r) => bitIdentical(r.weights, res[0].weights));
      if (leak.some((l) => l !== 0) || !identical) failed = true;
      const r = results[mode];
      r.seqPerS.push((globalBatch * steps) / wall);
      r.bestSeqPerS.push((globalBatch * 1000) / Math.min(...perStep));
      r.cpuMs.push(cpuMs);
      r.weights = res[0].weights;
      console.log(`${preset} ${mode.padEnd(7)}: ${r.seqPerS.at(-1).toFixed(1)} seq/s, best step ${r.bestSeqPerS.at(-1).toFixed(1)} seq/s ` +
        `(CPU ${cpuMs.toFixed(0)} ms/step${res.length > 1 ? ' per replica' : ''}; native ${res[0].nativeInfo}; ` +
        `rank 0 ms/step: ${fmtPhases(res[0].phases)}${opt['profile-native'] ? `, in native kernels ${res[0].nativeMsPerStep.toFixed(0)}` : ''}), ` +
        `loss ${loss.toFixed(5)}, tensors leaked ${leak.join('/')}` + (res.length > 1 ? `, replicas bit-identical: ${identical}` : ''));
    }
  }
  const ref = results.single;
  for (const mode of modes) {
    if (mode === 'single' || !ref) continue;
    const r = results[mode];
    let line = `${preset} ${mode} vs single: speed ratio ${(median(r.seqPerS) / median(ref.seqPerS)).toFixed(2)}x ` +
      `(best steps ${(median(r.bestSeqPerS) / median(ref.bestSeqPerS)).toFixed(2)}x; CPU ms/step ${median(r.cpuMs).toFixed(0)} per replica vs ${median(ref.cpuMs).toFixed(0)})`;
    if (mode !== 'single1') {
      const diff = maxAbsDiff(r.weights, ref.weights);
      if (!(diff <= tol)) failed = true;
      line += `, max |weight diff| after ${warmup + steps} steps ${diff.toExponential(2)} (tol ${tol})`;
    }
    console.log(line);
  }
}
if (failed) {
  console.log('FAILED: a leak, replicas that diverged, or weights outside the tolerance (see above)');
  process.exitCode = 1;
}
