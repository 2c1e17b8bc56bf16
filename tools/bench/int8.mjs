#!/usr/bin/env node
// int8 inference, attn against onnxruntime-node, on the SAME weights, all four sides in one invocation:
//   attn fp32, attn int8 (quantize(model): dynamic int8 Linears, @attn/tensor-native's VNNI/AVX2 kernel),
//   ORT fp32 (PyTorch's ONNX export of the weights attn saved) and ORT int8 (onnxruntime.quantization.quantize_dynamic
//   of that export, per_channel=True, QInt8 weights: tools/bench/ort_quantize.py).
// Forward only, eval mode; logits are read back after every batch. Needs ATTN_ORT_DIR (onnxruntime-node) and a
// Python with torch + transformers + onnxruntime (/tmp/hfvenv), like infer.mjs's ORT column.
//   ATTN_ORT_DIR=/tmp/ortbench bash /work/h/quiet.sh node tools/bench/int8.mjs --models tiny --workload fixed,sst2 --steps 10
// --no-ort: attn fp32 vs int8 only. --repeats N: N - 1 more rounds of attn int8 then ORT int8 per row, alternating; both
// int8 columns are the median of the N runs (one run per side moves a row by ±25% on these machines).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importAttn, startAttnBackend, repoRoot } from './attn_runtime.mjs';
import { buildPlan } from './workloads.mjs';
import { findOrt, loadWorkload, maxAbsDiff, ortChild } from './ort_side.mjs';
import { RESULT_PREFIX, childArg, findPython, formatTable, mb, median, parseBenchArgs, runSide, writeJsonResults } from './side_by_side.mjs';

const argv = process.argv.slice(2);
const child = childArg(argv, '--child');
if (child === 'attn') await attnChild();
else if (child === 'ort') await ortChild(argv);
else await parent();

async function attnChild() {
  const { plan, workload } = loadWorkload(argv);
  const { tf, kernels, wasmHeapBytes } = await startAttnBackend({ threads: Number(childArg(argv, '--threads')) });
  const { BertConfig, createModel, quantize } = await importAttn('models');
  const { classificationCollator } = await importAttn('data');
  const model = createModel('sequence-classification', BertConfig.preset(`bert-${childArg(argv, '--model')}`, { num_labels: 2 }), { seed: 42 });
  model.eval();
  const saveDir = childArg(argv, '--save-weights');
  if (saveDir && !existsSync(join(saveDir, 'model.safetensors'))) await model.savePretrained(saveDir);
  const int8 = argv.includes('--int8');
  if (int8) quantize(model);
  const collate = classificationCollator({ padTokenId: 0 });
  const features = workload.batches.map((b) => b.ids.map((ids) => ({ inputIds: ids, attentionMask: ids.map(() => 1), tokenTypeIds: ids.map(() => 0) })));
  const stepMs = [];
  const batchSizes = [];
  let checkLogits;
  const tensorsBefore = tf.memory().numTensors;
  workload.order.forEach((k, step) => {
    const t0 = performance.now();
    const batch = collate(features[k]);
    const logits = tf.tidy(() => model.forward({ inputIds: batch.inputIds, attentionMask: batch.attentionMask, tokenTypeIds: batch.tokenTypeIds }).logits);
    const values = logits.dataSync();
    tf.dispose([logits, ...Object.values(batch)]);
    if (step < plan.warmup) return;
    stepMs.push(performance.now() - t0);
    batchSizes.push(features[k].length);
    checkLogits ??= Array.from(values);
  });
  const { loadNativeAddon } = await importAttn('tensor-native');
  const addon = process.env.ATTN_NATIVE === '0' ? null : loadNativeAddon();
  const result = {
    side: int8 ? 'attn-int8' : 'attn',
    backend: `wasm + ${kernels}${int8 ? `, int8 kernel ${addon?.int8Isa?.() ?? 'tfjs-op fallback'}` : ''}`,
    stepMs,
    batchSizes,
    checkLogits,
    tensorLeak: tf.memory().numTensors - tensorsBefore,
    maxRssKb: process.resourceUsage().maxRSS,
    wasmHeapMb: wasmHeapBytes() / 2 ** 20,
  };
  model.dispose();
  console.log(RESULT_PREFIX + JSON.stringify(result));
}

async function parent() {
  const opts = parseBenchArgs(argv, { models: ['tiny', 'mini', 'base'], steps: 10 });
  const self = fileURLToPath(import.meta.url);
  const work = mkdtempSync(join(tmpdir(), 'attn-int8-bench-'));
  const planPath = join(work, 'plan.json');
  const plan = await buildPlan({ workloads: opts.workloads, steps: opts.steps, warmup: opts.warmup });
  writeFileSync(planPath, JSON.stringify(plan));
  const py = findPython(opts.python);
  let ort = findOrt(opts.ort);
  if (ort.dir && !py.python) ort = { reason: `onnxruntime-node ${ort.version} found, but the ONNX export and quantize_dynamic need Python (${py.reason})` };
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(`attn int8 bench: ${new Date().toISOString()}, ${cpu}, ${opts.threads} threads per side, ${opts.warmup} warm-up + ${opts.steps} timed batches, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`onnxruntime-node: ${ort.dir ? `${ort.version} from ${ort.dir}; Python ${py.python}` : ort.reason}`);
  for (const [name, w] of Object.entries(plan.workloads)) console.log(`workload ${name}: ${w.description}; mean padded length ${w.meanPaddedLength.toFixed(1)}`);

  const rows = [];
  try {
    for (const model of opts.models) {
      const weights = join(work, `bert-${model}`);
      const onnx = join(work, `bert-${model}.onnx`);
      const onnxInt8 = join(work, `bert-${model}.int8.onnx`);
      const modelRows = [];
      for (const [name, w] of Object.entries(plan.workloads)) {
        const common = ['--plan', planPath, '--workload', name, '--model', model, '--threads', String(opts.threads)];
        const row = { model, workload: name, meanPaddedLength: w.meanPaddedLength };
        console.log(`\n${model} / ${name}: attn fp32…`);
        row.attn = await runSide(`attn ${model} ${name}`, process.execPath, [self, '--child', 'attn', ...common, '--save-weights', weights], { workload: w });
        console.log(`${model} / ${name}: attn int8…`);
        row.attnInt8 = await runSide(`attn-int8 ${model} ${name}`, process.execPath, [self, '--child', 'attn', ...common, '--int8'], { workload: w });
        row.logitScale = row.attn.checkLogits ? Math.max(...row.attn.checkLogits.map(Math.abs)) : undefined;
        row.diffAttnInt8 = maxAbsDiff(row.attn.checkLogits, row.attnInt8.checkLogits);
        for (const [k, label] of [['attn', 'attn fp32'], ['attnInt8', 'attn int8']]) {
          const s = row[k];
          if (!s.error) console.log(`  ${label} ${s.seqPerSec.toFixed(2)} seq/s, ${mb(s.maxRssKb).toFixed(0)} MB, tensor leak ${s.tensorLeak} (${s.backend})`);
        }
        modelRows.push(row);
      }
      if (ort.dir) {
        if (!existsSync(onnx)) {
          console.log(`\n${model}: exporting the same weights to ONNX, then quantize_dynamic…`);
          await runSide(`export ${model}`, py.python, [join(repoRoot, 'tools/bench/torch_bench.py'), 'export', '--weights', weights, '--out', onnx], { env: py.env });
          await runSide(`quantize ${model}`, py.python, [join(repoRoot, 'tools/bench/ort_quantize.py'), onnx, onnxInt8], { env: py.env });
        }
        for (const row of modelRows) {
          const w = plan.workloads[row.workload];
          const args = (file) => [self, '--child', 'ort', '--plan', planPath, '--workload', row.workload, '--threads', String(opts.threads), '--ort-dir', ort.dir, '--onnx', file];
          console.log(`${model} / ${row.workload}: ORT fp32, ORT int8…`);
          row.ort = existsSync(onnx) ? await runSide(`ort ${model} ${row.workload}`, process.execPath, args(onnx), { workload: w }) : { error: 'no export', seqPerSec: NaN };
          row.ortInt8 = existsSync(onnxInt8) ? await runSide(`ort-int8 ${model} ${row.workload}`, process.execPath, args(onnxInt8), { workload: w }) : { error: 'no quantized model', seqPerSec: NaN };
          row.diffOrtInt8 = maxAbsDiff(row.ort.checkLogits, row.ortInt8.checkLogits);
          row.diffInt8 = maxAbsDiff(row.attnInt8.checkLogits, row.ortInt8.checkLogits);
          row.diffFp32 = maxAbsDiff(row.attn.checkLogits, row.ort.checkLogits);
          for (const [k, label] of [['ort', 'ORT fp32'], ['ortInt8', 'ORT int8']]) {
            const s = row[k];
            if (!s.error) console.log(`  ${label} ${s.seqPerSec.toFixed(2)} seq/s, ${mb(s.maxRssKb).toFixed(0)} MB`);
          }
        }
        for (let round = 2; round <= opts.repeats && existsSync(onnxInt8); round++) {
          for (const row of modelRows) {
            if (row.attnInt8.error || row.ortInt8.error) continue;
            const w = plan.workloads[row.workload];
            const common = ['--plan', planPath, '--workload', row.workload, '--model', model, '--threads', String(opts.threads)];
            const a = await runSide(`attn-int8 ${model} ${row.workload} #${round}`, process.execPath, [self, '--child', 'attn', ...common, '--int8'], { workload: w });
            const o = await runSide(`ort-int8 ${model} ${row.workload} #${round}`, process.execPath, [self, '--child', 'ort', '--plan', planPath, '--workload', row.workload, '--threads', String(opts.threads), '--ort-dir', ort.dir, '--onnx', onnxInt8], { workload: w });
            if (a.error || o.error) continue;
            (row.attnInt8Runs ??= [row.attnInt8.seqPerSec]).push(a.seqPerSec);
            (row.ortInt8Runs ??= [row.ortInt8.seqPerSec]).push(o.seqPerSec);
            console.log(`${model} / ${row.workload} round ${round}: attn int8 ${a.seqPerSec.toFixed(2)}, ORT int8 ${o.seqPerSec.toFixed(2)} seq/s (${(a.seqPerSec / o.seqPerSec).toFixed(3)})`);
          }
        }
        for (const row of modelRows) {
          if (!row.attnInt8Runs) continue;
          row.attnInt8.seqPerSec = median(row.attnInt8Runs);
          row.ortInt8.seqPerSec = median(row.ortInt8Runs);
        }
      }
      rows.push(...modelRows);
      rmSync(weights, { recursive: true, force: true });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  if (opts.repeats > 1) {
    console.log(`\nattn int8 and ORT int8: median of ${opts.repeats} alternating runs per row (fp32 sides: one run); attn int8 / ORT int8 of each round:`);
    for (const r of rows) if (r.attnInt8Runs) console.log(`  ${r.model} ${r.workload}: ${r.attnInt8Runs.map((a, i) => (a / r.ortInt8Runs[i]).toFixed(3)).join(' ')}`);
  }
  const rate = (s) => s?.seqPerSec;
  const columns = [
    { title: 'model', get: (r) => r.model },
    { title: 'workload', get: (r) => r.workload },
    { title: 'attn fp32', get: (r) => rate(r.attn), digits: 1 },
    { title: 'attn int8', get: (r) => rate(r.attnInt8), digits: 1 },
    { title: 'int8/fp32 attn', get: (r) => rate(r.attnInt8) / rate(r.attn), digits: 2 },
  ];
  if (ort.dir) {
    columns.push(
      { title: 'ORT fp32', get: (r) => rate(r.ort), digits: 1 },
      { title: 'ORT int8', get: (r) => rate(r.ortInt8), digits: 1 },
      { title: 'int8/fp32 ORT', get: (r) => rate(r.ortInt8) / rate(r.ort), digits: 2 },
      { title: 'attn int8 / ORT int8', get: (r) => rate(r.attnInt8) / rate(r.ortInt8), digits: 2 },
    );
  }
  columns.push(
    { title: 'RSS MB attn fp32/int8', get: (r) => `${mb(r.attn.maxRssKb)?.toFixed(0) ?? '—'}/${mb(r.attnInt8.maxRssKb)?.toFixed(0) ?? '—'}` },
    { title: 'max|Δlogit| attn int8−fp32', get: (r) => r.diffAttnInt8?.toExponential(1) },
  );
  if (ort.dir) {
    columns.push(
      { title: 'RSS MB ORT fp32/int8', get: (r) => `${mb(r.ort?.maxRssKb)?.toFixed(0) ?? '—'}/${mb(r.ortInt8?.maxRssKb)?.toFixed(0) ?? '—'}` },
      { title: 'ORT int8−fp32', get: (r) => r.diffOrtInt8?.toExponential(1) },
      { title: 'attn int8−ORT int8', get: (r) => r.diffInt8?.toExponential(1) },
    );
  }
  console.log(`\nInference, sequences/s (higher is better), ${opts.threads} threads each, same weights on every side, ${cpu}, load at end ${loadavg().map((l) => l.toFixed(2)).join(' ')}; largest |logit| ${rows.map((r) => r.logitScale?.toExponential(1)).join(', ')}`);
  console.log(formatTable(rows, columns));
  if (opts.json) {
    const strip = (s) => (s ? { ...s, checkLogits: undefined } : null);
    writeJsonResults(opts.json, {
      bench: 'int8',
      date: new Date().toISOString(),
      cpu,
      loadavg: loadavg(),
      options: opts,
      onnxruntime: ort.dir ? { dir: ort.dir, version: ort.version } : { reason: ort.reason },
      rows: rows.map((r) => ({
        model: r.model,
        workload: r.workload,
        meanPaddedLength: r.meanPaddedLength,
        seqPerSec: { attn: rate(r.attn), attnInt8: rate(r.attnInt8), ort: rate(r.ort) ?? null, ortInt8: rate(r.ortInt8) ?? null },
        int8Runs: r.attnInt8Runs ? { attn: r.attnInt8Runs, ort: r.ortInt8Runs } : null,
        maxAbsLogit: r.logitScale,
        maxAbsLogitDiff: { attnInt8VsFp32: r.diffAttnInt8 ?? null, ortInt8VsFp32: r.diffOrtInt8 ?? null, attnInt8VsOrtInt8: r.diffInt8 ?? null, attnVsOrtFp32: r.diffFp32 ?? null },
        attn: strip(r.attn),
        attnInt8: strip(r.attnInt8),
        ort: strip(r.ort),
        ortInt8: strip(r.ortInt8),
      })),
    });
  }
}
