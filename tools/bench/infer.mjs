#!/usr/bin/env node
// Inference throughput, attn against PyTorch (and onnxruntime-node, the engine under transformers.js)
// in the same invocation, on the SAME weights: attn initialises BERT tiny / mini / base with a fixed
// seed and saves it (savePretrained); PyTorch loads that directory with from_pretrained, exports it
// to ONNX for onnxruntime-node, and the largest logit difference on the first timed batch is printed.
// Forward only, eval mode, no gradient tape; logits are read back after every batch (dataSync).
//   nice -n 10 node tools/bench/infer.mjs --quick
//   ATTN_ORT_DIR=/tmp/ortbench node tools/bench/infer.mjs --models tiny,mini,base --steps 20 --json out.json
// --unfused adds a side: the same attn with ATTN_FUSED_INFER=0 (each encoder layer as tfjs ops), the before column.
// --repeats N runs attn and ORT N times per row, alternating, and reports each side's median (PyTorch runs once).
// onnxruntime-node is never a dependency of this repo: the ORT column appears when ATTN_ORT_DIR names
// a folder where `npm i --ignore-scripts onnxruntime-node` was run (and Python could export the model).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importAttn, startAttnBackend, repoRoot } from './attn_runtime.mjs';
import { buildPlan } from './workloads.mjs';
import { findOrt, loadWorkload, maxAbsDiff, ortChild } from './ort_side.mjs';
import { formatKernelProfile, installKernelProfile } from './kernel_profile.mjs';
import {
  RESULT_PREFIX, cpuDescription, REFERENCE_FIGURES, childArg, findPython, formatTable, mb, parseBenchArgs, runSide, writeJsonResults, median } from './side_by_side.mjs';

const argv = process.argv.slice(2);
const child = childArg(argv, '--child');
if (child === 'attn') await attnChild();
else if (child === 'ort') await ortChild(argv);
else await parent();

async function attnChild() {
  const { plan, workload } = loadWorkload(argv);
  const { tf, kernels, wasmHeapBytes } = await startAttnBackend({ threads: Number(childArg(argv, '--threads')) });
  const { BertConfig, createModel } = await importAttn('models');
  const { classificationCollator } = await importAttn('data');
  const model = createModel('sequence-classification', BertConfig.preset(`bert-${childArg(argv, '--model')}`, { num_labels: 2 }), { seed: 42 });
  model.eval();
  const saveDir = childArg(argv, '--save-weights');
  if (saveDir && !existsSync(join(saveDir, 'model.safetensors'))) await model.savePretrained(saveDir);
  const collate = classificationCollator({ padTokenId: 0 });
  const features = workload.batches.map((b) => b.ids.map((ids) => ({ inputIds: ids, attentionMask: ids.map(() => 1), tokenTypeIds: ids.map(() => 0) })));

  const stepMs = [];
  const batchSizes = [];
  let checkLogits;
  const tensorsBefore = tf.memory().numTensors;
  // --profile: kernel time by name and read-backs over the timed batches only.
  const profiler = argv.includes('--profile') ? installKernelProfile(tf) : undefined;
  workload.order.forEach((k, step) => {
    if (step === plan.warmup) profiler?.reset();
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
  const result = {
    side: 'attn',
    backend: `wasm + ${kernels}`,
    stepMs,
    batchSizes,
    checkLogits,
    tensorLeak: tf.memory().numTensors - tensorsBefore,
    maxRssKb: process.resourceUsage().maxRSS,
    // The wasm memory only grows (to 4 GB at most): its final size is the step's high-water mark.
    wasmHeapMb: wasmHeapBytes() / 2 ** 20,
    profile: profiler?.report(stepMs.reduce((a, b) => a + b, 0), stepMs.length),
  };
  model.dispose();
  console.log(RESULT_PREFIX + JSON.stringify(result));
}

async function parent() {
  const opts = parseBenchArgs(argv, { models: ['tiny', 'mini', 'base'], steps: 20 });
  const self = fileURLToPath(import.meta.url);
  const work = mkdtempSync(join(tmpdir(), 'attn-bench-'));
  const planPath = join(work, 'plan.json');
  const plan = await buildPlan({ workloads: opts.workloads, steps: opts.steps, warmup: opts.warmup });
  writeFileSync(planPath, JSON.stringify(plan));

  const py = opts.torch ? findPython(opts.python) : { reason: 'skipped (--no-torch)' };
  let ort = findOrt(opts.ort);
  if (ort.dir && !py.python) ort = { reason: `onnxruntime-node ${ort.version} found, but exporting the weights to ONNX needs the Python side (${py.reason})` };
  console.log(`attn inference bench: ${new Date().toISOString()}, ${opts.threads} threads per side, ${opts.warmup} warm-up + ${opts.steps} timed batches`);
  console.log(`PyTorch: ${py.python ? `${py.python} (torch ${py.versions.torch}, transformers ${py.versions.transformers})` : py.reason}`);
  console.log(`onnxruntime-node: ${ort.dir ? `${ort.version} from ${ort.dir}` : ort.reason}`);
  for (const [name, w] of Object.entries(plan.workloads)) {
    console.log(`workload ${name}: ${w.description}; mean padded length ${w.meanPaddedLength.toFixed(1)} (whole epoch ${w.epochMeanPaddedLength.toFixed(1)})`);
  }

  const rows = [];
  try {
    for (const model of opts.models) {
      const weights = join(work, `bert-${model}`);
      const onnx = join(work, `bert-${model}.onnx`);
      const modelRows = [];
      for (const [name, w] of Object.entries(plan.workloads)) {
        const common = ['--plan', planPath, '--workload', name, '--model', model, '--threads', String(opts.threads)];
        console.log(`\n${model} / ${name}: attn…`);
        const attn = await runSide(`attn ${model} ${name}`, process.execPath, [self, '--child', 'attn', ...common, '--save-weights', weights, ...(argv.includes('--profile') ? ['--profile'] : [])], { workload: w });
        const row = { model, workload: name, meanPaddedLength: w.meanPaddedLength, attn };
        // Randomly initialised heads give small logits: the scale says what a difference means.
        row.logitScale = attn.checkLogits ? Math.max(...attn.checkLogits.map(Math.abs)) : undefined;
        if (attn.profile) console.log(formatKernelProfile(attn.profile));
        if (!attn.error) console.log(`  attn ${attn.seqPerSec.toFixed(2)} seq/s, ${mb(attn.maxRssKb).toFixed(0)} MB (wasm heap ${attn.wasmHeapMb.toFixed(0)} MB), tensor leak ${attn.tensorLeak} (${attn.backend})`);
        if (argv.includes('--unfused')) {
          // The before column: the same attn, each encoder layer as tfjs ops instead of one AttnEncoderLayer call.
          console.log(`${model} / ${name}: attn unfused (ATTN_FUSED_INFER=0)…`);
          row.attnUnfused = await runSide(`attn-unfused ${model} ${name}`, process.execPath, [self, '--child', 'attn', ...common, '--save-weights', weights], { env: { ...process.env, ATTN_FUSED_INFER: '0' }, workload: w });
          row.diffUnfused = maxAbsDiff(attn.checkLogits, row.attnUnfused.checkLogits);
          if (!row.attnUnfused.error) console.log(`  attn unfused ${row.attnUnfused.seqPerSec.toFixed(2)} seq/s, ${mb(row.attnUnfused.maxRssKb).toFixed(0)} MB; max |logit fused − unfused| ${row.diffUnfused?.toExponential(2)}`);
        }
        if (py.python) {
          console.log(`${model} / ${name}: PyTorch…`);
          const torch = await runSide(`torch ${model} ${name}`, py.python, [join(repoRoot, 'tools/bench/torch_bench.py'), 'infer', ...common, '--weights', weights], { env: py.env, workload: w });
          row.torch = torch;
          row.diffTorch = maxAbsDiff(attn.checkLogits, torch.checkLogits);
          if (!torch.error) console.log(`  PyTorch ${torch.seqPerSec.toFixed(2)} seq/s, ${mb(torch.maxRssKb).toFixed(0)} MB; max |logit attn − PyTorch| ${row.diffTorch?.toExponential(2)} on the first timed batch (largest |logit| ${row.logitScale?.toExponential(2)})${w.batches[0].texts ? `; HF tokenizer: ${torch.tokenMismatches} of ${w.batches.reduce((n, b) => n + b.texts.length, 0)} sentences differ from attn's ids` : ''}`);
        } else if (name === 'fixed' && REFERENCE_FIGURES.infer.torch[model]) {
          row.reference = REFERENCE_FIGURES.infer.torch[model];
          row.referenceOrt = REFERENCE_FIGURES.infer.ort[model];
        }
        modelRows.push(row);
      }
      if (ort.dir) {
        let exported = existsSync(onnx);
        if (!exported) {
          console.log(`\n${model}: exporting the same weights to ONNX…`);
          exported = !(await runSide(`export ${model}`, py.python, [join(repoRoot, 'tools/bench/torch_bench.py'), 'export', '--weights', weights, '--out', onnx], { env: py.env })).error;
        }
        for (const row of exported ? modelRows : []) {
          const w = plan.workloads[row.workload];
          console.log(`${model} / ${row.workload}: onnxruntime-node…`);
          const args = [self, '--child', 'ort', '--plan', planPath, '--workload', row.workload, '--threads', String(opts.threads), '--ort-dir', ort.dir, '--onnx', onnx];
          row.ort = await runSide(`ort ${model} ${row.workload}`, process.execPath, args, { workload: w });
          row.diffOrt = maxAbsDiff(row.attn.checkLogits, row.ort.checkLogits);
          if (!row.ort.error) console.log(`  onnxruntime-node ${row.ort.seqPerSec.toFixed(2)} seq/s, ${mb(row.ort.maxRssKb).toFixed(0)} MB; max |logit attn − ORT| ${row.diffOrt?.toExponential(2)}`);
        }
        // --repeats N: N - 1 more rounds of attn then ORT per row, alternating, and the median of the N runs of each
        // side: one short run per side moves a row by ±10% between invocations on these machines.
        for (let round = 2; round <= opts.repeats && exported; round++) {
          for (const row of modelRows) {
            if (row.attn.error || !row.ort || row.ort.error) continue;
            const w = plan.workloads[row.workload];
            const common = ['--plan', planPath, '--workload', row.workload, '--model', model, '--threads', String(opts.threads)];
            const a = await runSide(`attn ${model} ${row.workload} #${round}`, process.execPath, [self, '--child', 'attn', ...common, '--save-weights', weights], { workload: w });
            const o = await runSide(`ort ${model} ${row.workload} #${round}`, process.execPath, [self, '--child', 'ort', '--plan', planPath, '--workload', row.workload, '--threads', String(opts.threads), '--ort-dir', ort.dir, '--onnx', onnx], { workload: w });
            if (a.error || o.error) continue;
            (row.attnRuns ??= [row.attn.seqPerSec]).push(a.seqPerSec);
            (row.ortRuns ??= [row.ort.seqPerSec]).push(o.seqPerSec);
            console.log(`${model} / ${row.workload} round ${round}: attn ${a.seqPerSec.toFixed(2)}, ORT ${o.seqPerSec.toFixed(2)} seq/s (${(a.seqPerSec / o.seqPerSec).toFixed(3)})`);
          }
        }
        for (const row of modelRows) {
          if (!row.attnRuns) continue;
          row.attn.seqPerSec = median(row.attnRuns);
          row.ort.seqPerSec = median(row.ortRuns);
        }
      }
      rows.push(...modelRows);
      rmSync(weights, { recursive: true, force: true });
      rmSync(onnx, { force: true });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  if (opts.repeats > 1) {
    console.log(`\nattn and ORT: median of ${opts.repeats} alternating runs per row (PyTorch: one run); attn/ORT of each round:`);
    for (const r of rows) if (r.attnRuns) console.log(`  ${r.model} ${r.workload}: ${r.attnRuns.map((a, i) => (a / r.ortRuns[i]).toFixed(3)).join(' ')}`);
  }
  const torchRate = (r) => r.torch?.seqPerSec ?? r.reference;
  const columns = [
    { title: 'model', get: (r) => r.model },
    { title: 'workload', get: (r) => r.workload },
    { title: 'mean len', get: (r) => r.meanPaddedLength },
    { title: 'attn seq/s', get: (r) => r.attn.seqPerSec, digits: 2 },
    { title: py.python ? 'PyTorch seq/s' : 'PyTorch seq/s (REFERENCE)', get: torchRate, digits: 2 },
    { title: 'attn/PyTorch', get: (r) => r.attn.seqPerSec / torchRate(r), digits: 3 },
  ];
  const ortRate = (r) => r.ort?.seqPerSec ?? r.referenceOrt;
  if (ort.dir || !py.python) {
    columns.push({ title: ort.dir ? 'ORT seq/s' : 'ORT seq/s (REFERENCE)', get: ortRate, digits: 2 }, { title: 'attn/ORT', get: (r) => r.attn.seqPerSec / ortRate(r), digits: 3 });
  }
  if (argv.includes('--unfused')) {
    columns.push({ title: 'unfused seq/s', get: (r) => r.attnUnfused?.seqPerSec, digits: 2 }, { title: 'unfused/ORT', get: (r) => r.attnUnfused?.seqPerSec / ortRate(r), digits: 3 });
  }
  columns.push({ title: 'attn RSS MB', get: (r) => mb(r.attn.maxRssKb), digits: 0 }, { title: 'PyTorch RSS MB', get: (r) => mb(r.torch?.maxRssKb), digits: 0 });
  if (ort.dir) columns.push({ title: 'ORT RSS MB', get: (r) => mb(r.ort?.maxRssKb), digits: 0 });
  if (py.python) columns.push({ title: 'max|Δlogit| PyTorch', get: (r) => r.diffTorch?.toExponential(1) });
  if (ort.dir) columns.push({ title: 'max|Δlogit| ORT', get: (r) => r.diffOrt?.toExponential(1) });
  console.log(`\nCPU: ${cpuDescription()}`);
  console.log(`\nInference, sequences/s (higher is better), ${opts.threads} threads each, same weights on every side${py.python ? '' : `\n${REFERENCE_FIGURES.source}`}`);
  console.log(formatTable(rows, columns));
  if (opts.json) {
    writeJsonResults(opts.json, {
      bench: 'infer',
      cpu: cpuDescription(),
      date: new Date().toISOString(),
      options: opts,
      python: py.python ? { path: py.python, ...py.versions } : { reason: py.reason, reference: REFERENCE_FIGURES.source },
      onnxruntime: ort.dir ? { dir: ort.dir, version: ort.version } : { reason: ort.reason },
      workloads: Object.fromEntries(Object.entries(plan.workloads).map(([k, w]) => [k, { description: w.description, timing: w.timing, meanPaddedLength: w.meanPaddedLength, epochMeanPaddedLength: w.epochMeanPaddedLength }])),
      rows: rows.map((r) => ({
        model: r.model,
        workload: r.workload,
        meanPaddedLength: r.meanPaddedLength,
        attnSeqPerSec: r.attn.seqPerSec,
        torchSeqPerSec: r.torch?.seqPerSec ?? null,
        referenceTorchSeqPerSec: r.reference ?? null,
        ratioTorch: r.attn.seqPerSec / torchRate(r),
        ortSeqPerSec: r.ort?.seqPerSec ?? null,
        referenceOrtSeqPerSec: r.referenceOrt ?? null,
        ratioOrt: ortRate(r) ? r.attn.seqPerSec / ortRate(r) : null,
        attnRssMb: mb(r.attn.maxRssKb),
        torchRssMb: mb(r.torch?.maxRssKb) ?? null,
        ortRssMb: mb(r.ort?.maxRssKb) ?? null,
        maxAbsLogit: r.logitScale,
        maxAbsLogitDiffTorch: r.diffTorch ?? null,
        maxAbsLogitDiffOrt: r.diffOrt ?? null,
        attnUnfusedSeqPerSec: r.attnUnfused?.seqPerSec ?? null,
        attnRunsSeqPerSec: r.attnRuns ?? null,
        ortRunsSeqPerSec: r.ortRuns ?? null,
        maxAbsLogitDiffUnfused: r.diffUnfused ?? null,
        attn: { ...r.attn, checkLogits: undefined },
        attnUnfused: r.attnUnfused ? { ...r.attnUnfused, checkLogits: undefined } : null,
        torch: r.torch ? { ...r.torch, checkLogits: undefined } : null,
        ort: r.ort ? { ...r.ort, checkLogits: undefined } : null,
      })),
    });
  }
}
