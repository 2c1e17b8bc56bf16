#!/usr/bin/env node
// The `long` workload (issue #24 goal 3): training memory and speed at long sequences, attn with its
// 'memory_efficient' attention (tiled, online softmax), attn with 'eager' attention and PyTorch's SDPA, each
// row in its own process, in one invocation. A BERT-mini-like classifier (L4/H256/A4/I1024) with 2048
// positions, train mode (dropout 0.1), every position valid; one step = forward + backward (gradients only,
// no optimizer, on both sides): attention's activations are what grows with the sequence.
//   nice -n 10 node tools/bench/long.mjs                       # 8×512, 4×1024, 2×2048; 1 warm-up + 2 timed steps
//   node tools/bench/long.mjs --shapes 8x512,2x2048 --steps 3 --sides fused,eager,pytorch --json out.json
// Each side also reports its CPU time per step (all threads; on a loaded machine it moves less than wall time).
// Peak memory per side: the process's max RSS; for attn also the wasm heap's final size (it only grows, so
// that is its high-water mark) and tfjs's peak tensor bytes over one step (tf.profile; it counts a tensor
// that shares another's buffer — a reshape, a saved clone, a slice view — in full, so it overstates).
// Same weights and ids on every side: the first attn side saves its initial model and ids (savePretrained), the
// others load them; after the timed steps each side computes eval-mode logits of one check batch (the last
// sequence half padded) and the table prints the largest |logit difference| to PyTorch.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importAttn, startAttnBackend } from './attn_runtime.mjs';
import { childArg, findPython, formatTable, mb, runSide, writeJsonResults, RESULT_PREFIX } from './side_by_side.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
if (childArg(argv, '--child') === 'attn') await attnChild();
else await parent();

function miniConfig(BertConfig) {
  return BertConfig.preset('bert-mini', { num_labels: 2, max_position_embeddings: 2048 });
}

/** One shape × one attention implementation: warm-up, timed steps, then one profiled step. */
async function attnChild() {
  const batch = Number(childArg(argv, '--batch'));
  const seq = Number(childArg(argv, '--seq'));
  const steps = Number(childArg(argv, '--steps'));
  const warmup = Number(childArg(argv, '--warmup'));
  const impl = childArg(argv, '--impl');
  const { tf, tensor, kernels, wasmHeapBytes } = await startAttnBackend({ threads: Number(childArg(argv, '--threads')) });
  const { BertConfig, createModel, loadModel } = await importAttn('models');
  const weights = childArg(argv, '--weights');
  const idsFile = join(weights, 'ids.json');
  let model;
  if (existsSync(idsFile)) {
    model = await loadModel(weights, { task: 'sequence-classification', attnImplementation: impl });
  } else {
    model = createModel('sequence-classification', miniConfig(BertConfig), { seed: 42, attnImplementation: impl });
    await model.savePretrained(weights);
    const fresh = tf.tidy(() => tf.cast(tf.randomUniform([batch, seq], 1000, 30000, 'float32', 1), 'int32'));
    writeFileSync(idsFile, JSON.stringify(Array.from(fresh.dataSync())));
    fresh.dispose();
  }
  model.train();
  const ids = tf.tensor2d(JSON.parse(readFileSync(idsFile, 'utf8')), [batch, seq], 'int32');
  const mask = tf.onesLike(ids);
  const labels = tf.tensor1d(Array.from({ length: batch }, (_, i) => i % 2), 'int32');
  const step = () => {
    // @attn/tensor's variableGrads (what the Trainer uses): gradients freed as the backward passes them.
    const { value, grads } = tensor.variableGrads(() => model.forward({ inputIds: ids, attentionMask: mask, labels }).loss);
    const loss = value.dataSync()[0];
    tf.dispose([value, ...Object.values(grads)]);
    return loss;
  };
  const stepMs = [];
  const stepCpuMs = [];
  let loss;
  for (let i = 0; i < warmup + steps; i++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    loss = step();
    const c = process.cpuUsage(c0);
    if (i >= warmup) {
      stepMs.push(performance.now() - t0);
      stepCpuMs.push((c.user + c.system) / 1000);
    }
  }
  const before = tf.memory().numBytes;
  const info = await tf.profile(() => {
    step();
  });
  // Eval mode (no dropout) logits of the check batch, attention through `impl` (recorded for a gradient so an
  // eval-mode fused encoder layer does not stand in for it).
  model.eval();
  const checkMask = tf.tensor2d(checkMaskRows(batch, seq), [batch, seq], 'int32');
  let checkLogits;
  tf.tidy(() => {
    tf.variableGrads(() => {
      const logits = model.forward({ inputIds: ids, attentionMask: checkMask }).logits;
      checkLogits = Array.from(logits.dataSync());
      return tf.sum(logits);
    });
  });
  checkMask.dispose();
  const result = {
    side: `attn-${impl}`,
    kernels,
    stepMs,
    stepCpuMs,
    loss,
    checkLogits,
    tfPeakBytes: info.peakBytes - before,
    // The wasm heap only grows: its size at the end is the high-water mark of everything attn held.
    wasmHeapBytes: wasmHeapBytes(),
    maxRssKb: process.resourceUsage().maxRSS,
  };
  console.log(RESULT_PREFIX + JSON.stringify(result));
}

/** The check batch's attention mask: every position valid but the last sequence's second half (as torch_long.py). */
function checkMaskRows(batch, seq) {
  return Array.from({ length: batch }, (_, r) => Array.from({ length: seq }, (_, j) => (r === batch - 1 && j >= Math.ceil(seq / 2) ? 0 : 1)));
}

function median(xs) {
  return xs?.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] : NaN;
}

function maxAbsDiff(a, b) {
  return a && b && a.length === b.length ? Math.max(...a.map((x, i) => Math.abs(x - b[i]))) : undefined;
}

async function parent() {
  const shapes = (childArg(argv, '--shapes') ?? '8x512,4x1024,2x2048').split(',').map((s) => s.split('x').map(Number));
  const sides = (childArg(argv, '--sides') ?? 'fused,eager,pytorch').split(',');
  const steps = Number(childArg(argv, '--steps') ?? 2);
  const warmup = Number(childArg(argv, '--warmup') ?? 1);
  const threads = Number(childArg(argv, '--threads') ?? 2);
  const jsonPath = childArg(argv, '--json') ?? join(here, 'results', `long-${Date.now()}.json`);
  const cpu = execFileSync('lscpu', { encoding: 'utf8' }).match(/Model name:\s*(.+)/)?.[1]?.trim() ?? 'unknown CPU';
  const load = execFileSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).split(' ').slice(0, 3).join(' ');
  const py = sides.includes('pytorch') ? findPython(childArg(argv, '--python')) : undefined;
  console.log(`long workload: BERT-mini (L4/H256/A4), 2048 positions, forward + backward, ${threads} threads; ${cpu}; load average ${load}`);
  if (py?.reason) console.log(`PyTorch side skipped: ${py.reason}`);
  const rows = [];
  const work = mkdtempSync(join(tmpdir(), 'attn-long-'));
  // PyTorch loads the weights an attn side saved: attn goes first.
  const order = [...sides.filter((s) => s !== 'pytorch'), ...sides.filter((s) => s === 'pytorch')];
  for (const [batch, seq] of shapes) {
    const row = { batch, seq };
    const weights = join(work, `${batch}x${seq}`);
    for (const side of order) {
      const common = ['--batch', String(batch), '--seq', String(seq), '--steps', String(steps), '--warmup', String(warmup), '--threads', String(threads), '--weights', weights];
      let res;
      if (side === 'pytorch') {
        if (!py?.python) continue;
        if (!existsSync(join(weights, 'ids.json'))) {
          row[side] = { error: 'no attn side saved the weights' };
          continue;
        }
        res = await runSide(`pytorch ${batch}x${seq}`, py.python, [join(here, 'torch_long.py'), ...common], { env: py.env });
      } else {
        const impl = side === 'fused' ? 'memory_efficient' : 'eager';
        res = await runSide(`attn ${impl} ${batch}x${seq}`, process.execPath, [fileURLToPath(import.meta.url), '--child', 'attn', '--impl', impl, ...common]);
      }
      row[side] = res;
      const median = res.stepMs ? [...res.stepMs].sort((a, b) => a - b)[Math.floor(res.stepMs.length / 2)] : NaN;
      res.seqPerSec = (batch * 1000) / median;
      console.log(`  ${side} ${batch}x${seq}: ${res.error ? 'failed' : `${res.seqPerSec.toFixed(2)} seq/s, RSS ${mb(res.maxRssKb).toFixed(0)} MB${res.wasmHeapBytes ? `, wasm heap ${(res.wasmHeapBytes / 2 ** 20).toFixed(0)} MB, tf tensor bytes peak ${(res.tfPeakBytes / 2 ** 20).toFixed(0)} MB` : ''}`}`);
    }
    for (const side of sides.filter((s) => s !== 'pytorch')) {
      row[`${side}DiffTorch`] = maxAbsDiff(row[side]?.checkLogits, row.pytorch?.checkLogits);
      if (row[`${side}DiffTorch`] !== undefined) console.log(`  max |logit ${side} − PyTorch| ${row[`${side}DiffTorch`].toExponential(2)} (check batch, eval mode)`);
    }
    rows.push(row);
  }
  rmSync(work, { recursive: true, force: true });
  const columns = [
    { title: 'batch', get: (r) => String(r.batch) },
    { title: 'seq', get: (r) => String(r.seq) },
  ];
  for (const side of sides) {
    if (side !== 'pytorch') columns.push({ title: `${side} heap MB`, get: (r) => (r[side]?.wasmHeapBytes ?? NaN) / 2 ** 20, digits: 0 });
    columns.push({ title: `${side} RSS MB`, get: (r) => mb(r[side]?.maxRssKb), digits: 0 });
    columns.push({ title: `${side} seq/s`, get: (r) => r[side]?.seqPerSec, digits: 2 });
    columns.push({ title: `${side} CPU s/step`, get: (r) => median(r[side]?.stepCpuMs) / 1000, digits: 1 });
  }
  if (sides.includes('pytorch')) {
    for (const side of sides.filter((s) => s !== 'pytorch')) {
      columns.push({ title: `${side}/PyTorch`, get: (r) => r[side]?.seqPerSec / r.pytorch?.seqPerSec, digits: 2 });
      columns.push({ title: `max|Δlogit| ${side}`, get: (r) => r[`${side}DiffTorch`]?.toExponential(1) });
    }
  }
  console.log(`\n${formatTable(rows, columns)}`);
  writeJsonResults(jsonPath, { cpu, loadAverage: load, threads, steps, warmup, python: py?.versions, rows });
}
