// The parts of the inference benches (infer.mjs, int8.mjs) that are the same on both: the workload a child
// reads from the parent's plan file, the onnxruntime-node side, and the logit comparison.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { RESULT_PREFIX, childArg } from './side_by_side.mjs';

/** The plan's workload with, per distinct batch, the token id rows and their padded length. */
export function loadWorkload(argv) {
  const plan = JSON.parse(readFileSync(childArg(argv, '--plan'), 'utf8'));
  return { plan, workload: plan.workloads[childArg(argv, '--workload')] };
}

/** The onnxruntime-node side: runs --onnx on the plan's batches with --threads intra-op threads. */
export async function ortChild(argv) {
  const { plan, workload } = loadWorkload(argv);
  const ort = createRequire(join(childArg(argv, '--ort-dir'), 'package.json'))('onnxruntime-node');
  const threads = Number(childArg(argv, '--threads'));
  const session = await ort.InferenceSession.create(childArg(argv, '--onnx'), {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  const stepMs = [];
  const batchSizes = [];
  let checkLogits;
  for (let step = 0; step < workload.order.length; step++) {
    const rows = workload.batches[workload.order[step]].ids;
    const t0 = performance.now();
    // Padding as the collator does: ids 0 and mask 0 past each row's end; int64 as the export expects.
    const len = Math.max(...rows.map((r) => r.length));
    const ids = new BigInt64Array(rows.length * len);
    const mask = new BigInt64Array(rows.length * len);
    rows.forEach((r, i) => r.forEach((id, j) => { ids[i * len + j] = BigInt(id); mask[i * len + j] = 1n; }));
    const dims = [rows.length, len];
    const out = await session.run({
      input_ids: new ort.Tensor('int64', ids, dims),
      attention_mask: new ort.Tensor('int64', mask, dims),
      token_type_ids: new ort.Tensor('int64', new BigInt64Array(rows.length * len), dims),
    });
    const values = Array.from(out.logits.data);
    if (step < plan.warmup) continue;
    stepMs.push(performance.now() - t0);
    batchSizes.push(rows.length);
    checkLogits ??= values;
  }
  await session.release?.();
  console.log(RESULT_PREFIX + JSON.stringify({ side: 'ort', version: ort.env.versions?.common, stepMs, batchSizes, checkLogits, maxRssKb: process.resourceUsage().maxRSS }));
}

/** onnxruntime-node from $ATTN_ORT_DIR, or the reason there is no ORT column. */
export function findOrt(wanted) {
  if (!wanted) return { reason: 'skipped (--no-ort)' };
  const dir = process.env.ATTN_ORT_DIR;
  if (!dir) return { reason: 'ATTN_ORT_DIR is not set (a folder where `npm i --ignore-scripts onnxruntime-node@1.30.0` was run)' };
  try {
    const pkg = createRequire(join(dir, 'package.json')).resolve('onnxruntime-node/package.json');
    return { dir, version: JSON.parse(readFileSync(pkg, 'utf8')).version };
  } catch {
    return { reason: `ATTN_ORT_DIR=${dir} has no onnxruntime-node (run \`cd ${dir} && npm init -y && npm i --ignore-scripts onnxruntime-node@1.30.0\`)` };
  }
}

/** Largest |a − b| over two logit lists of the same batch; undefined when one side has none. */
export function maxAbsDiff(a, b) {
  return a && b && a.length === b.length ? Math.max(...a.map((x, i) => Math.abs(x - b[i]))) : undefined;
}
