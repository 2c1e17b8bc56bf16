#!/usr/bin/env node
// Fine-tuning throughput, attn against PyTorch in the same invocation: sequences/s of full
// fine-tuning steps (BertForSequenceClassification, AdamW lr 1e-4 wd 0.01, clip 1.0) for BERT tiny /
// mini / base on three workloads (tools/bench/workloads.mjs), each side in its own process with its
// own peak RSS, and the ratio attn/PyTorch.
//   nice -n 10 node tools/bench/train.mjs --quick
//   node tools/bench/train.mjs --models tiny,mini,base --workload fixed,sst2,sst2-grouped --steps 10 --threads 2 --json out.json
// --micro-batch M splits attn's batches into 32/M micro-batches with gradient accumulation (a row
// that runs out of the 4 GB wasm heap is retried that way by itself; PyTorch keeps whole batches).
// attn runs @attn/trainer's Trainer itself (maxSteps = warm-up + N, no saving or logging), timed per
// optimizer update by a callback; PyTorch runs tools/bench/torch_bench.py train.
// --gradient-checkpointing [on|both]: both sides recompute each layer in backward (attn's
// TrainingArguments.gradientCheckpointing, PyTorch's gradient_checkpointing_enable()); `both` runs every row
// without and with it on each side and prints the cost (seq/s with / without) and the memory saved; there
// --micro-batch applies to the rows without it (BERT-base: `--micro-batch 4` skips the 4 GB aborts).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importAttn, startAttnBackend, repoRoot } from './attn_runtime.mjs';
import { buildPlan } from './workloads.mjs';
import { formatKernelProfile, installKernelProfile } from './kernel_profile.mjs';
import {
  BenchArgsError, RESULT_PREFIX, cpuDescription, REFERENCE_FIGURES, childArg, findPython, formatTable, mb, parseBenchArgs, runSide, writeJsonResults,
} from './side_by_side.mjs';

const LEARNING_RATE = 1e-4;
const WEIGHT_DECAY = 0.01;
const MAX_GRAD_NORM = 1.0;

const argv = process.argv.slice(2);
if (childArg(argv, '--child') === 'attn') await attnChild();
else await parent();

/** One model × one workload, attn side: prints BENCH_RESULT with the timed step times and maxRSS. */
async function attnChild() {
  const plan = JSON.parse(readFileSync(childArg(argv, '--plan'), 'utf8'));
  const workload = plan.workloads[childArg(argv, '--workload')];
  const modelName = childArg(argv, '--model');
  const threads = Number(childArg(argv, '--threads'));
  const { tf, kernels, wasmHeapBytes } = await startAttnBackend({ threads });
  const { BertConfig, createModel } = await importAttn('models');
  const { Trainer } = await importAttn('trainer');
  const { classificationCollator } = await importAttn('data');

  const model = createModel('sequence-classification', BertConfig.preset(`bert-${modelName}`, { num_labels: 2 }), { seed: 42, attnImplementation: process.env.ATTN_BENCH_ATTN_IMPL || undefined });
  const collate = classificationCollator({ padTokenId: 0 });
  const features = workload.batches.map((b) =>
    b.ids.map((ids, i) => ({ inputIds: ids, attentionMask: ids.map(() => 1), tokenTypeIds: ids.map(() => 0), label: b.labels[i] })),
  );
  // --micro-batch m: each planned batch goes through the Trainer as 32/m micro-batches with gradient
  // accumulation (one optimizer update per planned batch: the same update, less memory at once).
  const micro = Number(childArg(argv, '--micro-batch') ?? plan.batchSize);
  const gradientCheckpointing = argv.includes('--gradient-checkpointing');
  const accum = Math.ceil(plan.batchSize / micro);
  const chunks = (rows) => Array.from({ length: Math.ceil(rows.length / micro) }, (_, i) => rows.slice(i * micro, (i + 1) * micro));
  // A BatchSource over the planned batches; collated lazily, as the DataLoader does, so collation is timed.
  const source = {
    length: workload.order.length * accum,
    *[Symbol.iterator]() {
      for (const k of workload.order) for (const rows of chunks(features[k])) yield collate(rows);
    },
  };
  const stamps = [];
  const losses = [];
  // --profile: kernel time by name and read-backs, counted over the timed steps only.
  const profiler = argv.includes('--profile') ? installKernelProfile(tf) : undefined;
  const timer = {
    onTrainBegin: () => stamps.push(performance.now()),
    onStepEnd: (ctx) => {
      stamps.push(performance.now());
      losses.push(ctx.loss);
      if (stamps.length === plan.warmup + 1) profiler?.reset();
    },
  };
  // Inside the parent's work folder (beside the plan), so that a crashed child leaves nothing behind.
  const outputDir = mkdtempSync(join(dirname(childArg(argv, '--plan')), 'trainer-'));
  const tensorsBefore = tf.memory().numTensors;
  const trainer = new Trainer({
    model,
    trainDataLoader: source,
    callbacks: [timer],
    args: {
      outputDir,
      maxSteps: workload.order.length,
      learningRate: LEARNING_RATE,
      weightDecay: WEIGHT_DECAY,
      maxGradNorm: MAX_GRAD_NORM,
      perDeviceTrainBatchSize: micro,
      gradientAccumulationSteps: accum,
      saveStrategy: 'no',
      loggingStrategy: 'no',
      evalStrategy: 'no',
      disableTqdm: true,
      seed: 42,
      gradientCheckpointing,
    },
  });
  await trainer.train();
  trainer.dispose();
  const tensorsAfter = tf.memory().numTensors;
  rmSync(outputDir, { recursive: true, force: true });

  const stepMs = stamps.slice(1).map((t, i) => t - stamps[i]).slice(plan.warmup);
  const batchSizes = workload.order.slice(plan.warmup).map((k) => workload.batches[k].ids.length);
  const result = {
    side: 'attn',
    backend: `wasm + ${kernels}`,
    microBatch: micro,
    gradientCheckpointing,
    parameters: model.numParameters(),
    stepMs,
    batchSizes,
    firstLoss: losses[0],
    lastLoss: losses[losses.length - 1],
    // Optimizer slots are freed by trainer.dispose(): what is left over would be a leak.
    tensorLeak: tensorsAfter - tensorsBefore,
    maxRssKb: process.resourceUsage().maxRSS,
    // The wasm memory only grows (to 4 GB at most): its final size is the step's high-water mark.
    wasmHeapMb: wasmHeapBytes() / 2 ** 20,
    profile: profiler?.report(stamps[stamps.length - 1] - stamps[plan.warmup], stamps.length - 1 - plan.warmup),
  };
  model.dispose();
  console.log(RESULT_PREFIX + JSON.stringify(result));
}

async function parent() {
  const opts = parseBenchArgs(argv, { models: ['tiny', 'mini', 'base'], steps: 10 });
  const self = fileURLToPath(import.meta.url);
  const work = mkdtempSync(join(tmpdir(), 'attn-bench-'));
  const planPath = join(work, 'plan.json');
  const plan = await buildPlan({ workloads: opts.workloads, steps: opts.steps, warmup: opts.warmup });
  writeFileSync(planPath, JSON.stringify(plan));

  const py = opts.torch ? findPython(opts.python) : { reason: 'skipped (--no-torch)' };
  console.log(`attn fine-tuning bench: ${new Date().toISOString()}, ${opts.threads} threads per side, ${opts.warmup} warm-up + ${opts.steps} timed steps`);
  console.log(`PyTorch: ${py.python ? `${py.python} (torch ${py.versions.torch}, transformers ${py.versions.transformers})` : py.reason}`);
  for (const [name, w] of Object.entries(plan.workloads)) {
    console.log(`workload ${name}: ${w.description}; mean padded length ${w.meanPaddedLength.toFixed(1)} (whole epoch ${w.epochMeanPaddedLength.toFixed(1)})`);
  }

  const microBatch = Number(childArg(argv, '--micro-batch') ?? plan.batchSize);
  const ckptMode = checkpointingMode(argv);
  const variants = ckptMode === 'both' ? [false, true] : [ckptMode === 'on'];
  if (ckptMode !== 'off') console.log(`gradient checkpointing: ${ckptMode === 'both' ? 'each row without, then with' : 'on'} (both sides)`);
  if (!(plan.batchSize % microBatch === 0)) throw new BenchArgsError(`--micro-batch must divide the batch size ${plan.batchSize}; got ${microBatch}.`);
  const rows = [];
  try {
    for (const model of opts.models) {
      for (const [name, w] of Object.entries(plan.workloads)) {
        const common = ['--plan', planPath, '--workload', name, '--model', model, '--threads', String(opts.threads)];
        for (const ckpt of variants) {
          const flag = ckpt ? ['--gradient-checkpointing'] : [];
          const tag = ckpt ? ' (gradient checkpointing)' : '';
          const row = { model, workload: name, meanPaddedLength: w.meanPaddedLength, gradientCheckpointing: ckpt };
          console.log(`\n${model} / ${name}${tag}: attn…`);
          // The wasm heap stops at 4 GB: when a step needs more (BERT-base at 32 × 128), retry with
          // micro-batches and gradient accumulation, which is what a user would do.
          // With `both`, --micro-batch is for the rows without checkpointing: the rows with it start at whole batches.
          for (let micro = ckpt && ckptMode === 'both' ? plan.batchSize : microBatch; ; micro /= 2) {
            row.attn = await runSide(`attn ${model} ${name}${tag}`, process.execPath, [self, '--child', 'attn', ...common, '--micro-batch', String(micro), ...flag, ...(argv.includes('--profile') ? ['--profile'] : [])], { workload: w });
            if (!/Aborted\(\)|memory access out of bounds/.test(row.attn.error ?? '') || micro <= 4) break;
            console.log(`  attn ran out of the 4 GB wasm heap with micro-batches of ${micro}; retrying with ${micro / 2} (gradient accumulation, same update)`);
          }
          const attn = row.attn;
          if (attn.profile) console.log(formatKernelProfile(attn.profile));
          if (!attn.error) console.log(`  attn ${attn.seqPerSec.toFixed(2)} seq/s, loss ${attn.firstLoss.toFixed(4)} → ${attn.lastLoss.toFixed(4)}, ${mb(attn.maxRssKb).toFixed(0)} MB (wasm heap ${attn.wasmHeapMb.toFixed(0)} MB), tensor leak ${attn.tensorLeak} (${attn.backend})`);
          if (py.python) {
            console.log(`${model} / ${name}${tag}: PyTorch…`);
            row.torch = await runSide(`torch ${model} ${name}${tag}`, py.python, [join(repoRoot, 'tools/bench/torch_bench.py'), 'train', ...common, ...flag], { env: py.env, workload: w });
            const torch = row.torch;
            if (!torch.error) console.log(`  PyTorch ${torch.seqPerSec.toFixed(2)} seq/s, loss ${torch.firstLoss.toFixed(4)} → ${torch.lastLoss.toFixed(4)}, ${mb(torch.maxRssKb).toFixed(0)} MB${w.batches[0].texts ? `; HF tokenizer: ${torch.tokenMismatches} of ${w.batches.reduce((n, b) => n + b.texts.length, 0)} sentences differ from attn's ids` : ''}`);
          } else if (name === 'fixed' && REFERENCE_FIGURES.train.torch[model] && !ckpt) {
            row.reference = REFERENCE_FIGURES.train.torch[model];
          }
          rows.push(row);
        }
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  const torchCol = py.python ? 'PyTorch seq/s' : 'PyTorch seq/s (REFERENCE)';
  const torchRate = (r) => r.torch?.seqPerSec ?? r.reference;
  console.log(`\nCPU: ${cpuDescription()}`);
  console.log(`\nFine-tuning, sequences/s (higher is better), ${opts.threads} threads each${py.python ? '' : `\n${REFERENCE_FIGURES.source}`}`);
  console.log(formatTable(rows, [
    { title: 'model', get: (r) => r.model },
    { title: 'workload', get: (r) => r.workload },
    ...(ckptMode !== 'off' ? [{ title: 'grad ckpt', get: (r) => (r.gradientCheckpointing ? 'on' : 'off') }] : []),
    { title: 'mean len', get: (r) => r.meanPaddedLength },
    { title: 'attn seq/s', get: (r) => r.attn.seqPerSec, digits: 2 },
    ...(rows.some((r) => r.attn.microBatch && r.attn.microBatch !== plan.batchSize)
      ? [{ title: 'attn micro-batch', get: (r) => (r.attn.microBatch ? `${plan.batchSize / r.attn.microBatch}×${r.attn.microBatch}` : undefined) }]
      : []),
    { title: torchCol, get: torchRate, digits: 2 },
    { title: 'attn/PyTorch', get: (r) => r.attn.seqPerSec / torchRate(r), digits: 3 },
    { title: 'attn RSS MB', get: (r) => mb(r.attn.maxRssKb), digits: 0 },
    ...(ckptMode !== 'off' ? [{ title: 'attn wasm heap MB', get: (r) => r.attn.wasmHeapMb, digits: 0 }] : []),
    { title: 'PyTorch RSS MB', get: (r) => mb(r.torch?.maxRssKb), digits: 0 },
  ]));
  if (ckptMode === 'both') {
    // The cost of recomputation on each side: seq/s with checkpointing / seq/s without, row by row.
    const pairs = rows.filter((r) => !r.gradientCheckpointing).map((off) => [off, rows.find((r) => r.gradientCheckpointing && r.model === off.model && r.workload === off.workload)]);
    console.log('\nGradient checkpointing: with / without, per side');
    console.log(formatTable(pairs.map(([off, on]) => ({ off, on })), [
      { title: 'model', get: (p) => p.off.model },
      { title: 'workload', get: (p) => p.off.workload },
      { title: 'attn micro-batch off/on', get: (p) => `${plan.batchSize / p.off.attn.microBatch}×${p.off.attn.microBatch} / ${plan.batchSize / p.on.attn.microBatch}×${p.on.attn.microBatch}` },
      { title: 'attn speed on/off', get: (p) => p.on.attn.seqPerSec / p.off.attn.seqPerSec, digits: 3 },
      { title: 'PyTorch speed on/off', get: (p) => p.on.torch?.seqPerSec / p.off.torch?.seqPerSec, digits: 3 },
      { title: 'attn heap MB off/on', get: (p) => `${p.off.attn.wasmHeapMb?.toFixed(0)} / ${p.on.attn.wasmHeapMb?.toFixed(0)}` },
      { title: 'attn RSS MB off/on', get: (p) => `${mb(p.off.attn.maxRssKb)?.toFixed(0)} / ${mb(p.on.attn.maxRssKb)?.toFixed(0)}` },
      { title: 'PyTorch RSS MB off/on', get: (p) => `${mb(p.off.torch?.maxRssKb)?.toFixed(0)} / ${mb(p.on.torch?.maxRssKb)?.toFixed(0)}` },
    ]));
  }
  if (opts.json) {
    writeJsonResults(opts.json, {
      bench: 'train',
      cpu: cpuDescription(),
      date: new Date().toISOString(),
      options: opts,
      python: py.python ? { path: py.python, ...py.versions } : { reason: py.reason, reference: REFERENCE_FIGURES.source },
      workloads: Object.fromEntries(Object.entries(plan.workloads).map(([k, w]) => [k, { description: w.description, timing: w.timing, meanPaddedLength: w.meanPaddedLength, epochMeanPaddedLength: w.epochMeanPaddedLength }])),
      rows: rows.map((r) => ({
        model: r.model,
        workload: r.workload,
        gradientCheckpointing: r.gradientCheckpointing,
        meanPaddedLength: r.meanPaddedLength,
        attnSeqPerSec: r.attn.seqPerSec,
        torchSeqPerSec: r.torch?.seqPerSec ?? null,
        referenceTorchSeqPerSec: r.reference ?? null,
        ratio: r.attn.seqPerSec / torchRate(r),
        attnRssMb: mb(r.attn.maxRssKb),
        torchRssMb: mb(r.torch?.maxRssKb) ?? null,
        attn: r.attn,
        torch: r.torch ?? null,
      })),
    });
  }
}

/** --gradient-checkpointing [on|both] → 'on' | 'both'; absent → 'off'. */
function checkpointingMode(args) {
  const i = args.indexOf('--gradient-checkpointing');
  if (i < 0) return 'off';
  const v = args[i + 1];
  if (v === undefined || v.startsWith('--')) return 'on';
  if (v === 'on' || v === 'both' || v === 'off') return v;
  throw new BenchArgsError(`--gradient-checkpointing takes on or both (or nothing: on); got "${v}".`);
}
