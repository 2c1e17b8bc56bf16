// Memory soak for every task head with the BUILT packages (packages/*/dist):
//   node --expose-gc tools/reliability/soak.mjs [steps=1000] [calls=10000]
// Per head (seqcls, tokcls, QA, MLM): `steps` Trainer updates, then `calls` inference calls.
// Records tf.memory().numTensors / numBytes after warm-up and at the end (must be equal) and
// process RSS (must not grow beyond allocator noise). Exit code 1 on any growth in tensors/bytes.
import { dirname, join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const load = (name) => import(pathToFileURL(join(root, 'packages', name, 'dist', 'index.js')).href);
const [{ initBackend, tf }, { BertConfig, createModel }, { Trainer }] = await Promise.all([load('tensor'), load('models'), load('trainer')]);
const { wasmHeapBytes } = await import(pathToFileURL(join(root, 'packages', 'tensor', 'dist', 'internal.js')).href);

const steps = Number(process.argv[2] ?? 1000);
const calls = Number(process.argv[3] ?? 10000);
await initBackend({ backend: 'wasm' });
const VOCAB = 64;
const config = () => BertConfig.fromJSON({
  vocab_size: VOCAB, hidden_size: 16, num_hidden_layers: 1, num_attention_heads: 2,
  intermediate_size: 32, max_position_embeddings: 32, num_labels: 3,
});

/** Same batches as packages/trainer/test/memory.reliability.test.ts: varying sequence lengths. */
function batchFor(task, i, withLabels) {
  const b = 4;
  const s = 6 + (i % 5);
  const ids = Array.from({ length: b * s }, (_, k) => 1 + ((k * 7 + i * 3) % (VOCAB - 1)));
  const mask = Array.from({ length: b * s }, (_, k) => ((k % s) < s - (k % 3) ? 1 : 0));
  const batch = { inputIds: tf.tensor2d(ids, [b, s], 'int32'), attentionMask: tf.tensor2d(mask, [b, s], 'int32'), tokenTypeIds: tf.zeros([b, s], 'int32') };
  if (!withLabels) return batch;
  if (task === 'sequence-classification') batch.labels = tf.tensor1d([0, 1, 2, i % 3], 'int32');
  else if (task === 'token-classification') batch.labels = tf.tensor2d(ids.map((x, k) => (mask[k] ? x % 3 : -100)), [b, s], 'int32');
  else if (task === 'masked-lm') batch.labels = tf.tensor2d(ids.map((x, k) => (k % 4 === 0 ? x : -100)), [b, s], 'int32');
  else {
    batch.startPositions = tf.tensor1d([1, 2, 0, s - 1], 'int32');
    batch.endPositions = tf.tensor1d([2, 3, 0, s + 3], 'int32');
  }
  return batch;
}

// RSS after a full GC when run with --expose-gc (as recorded in the README), else raw RSS.
const wasmHeapMB = () => {
  const bytes = wasmHeapBytes(tf.backend());
  return bytes === undefined ? undefined : +(bytes / 2 ** 20).toFixed(1);
};
const mem = () => (globalThis.gc?.(), {
  wasmMB: wasmHeapMB(), numTensors: tf.memory().numTensors, numBytes: tf.memory().numBytes, rssMB: +(process.memoryUsage().rss / 2 ** 20).toFixed(1) });
const rows = [];
let failed = false;
for (const task of ['sequence-classification', 'token-classification', 'question-answering', 'masked-lm']) {
  const model = createModel(task, config(), { seed: 3 });
  const dir = mkdtempSync(join(tmpdir(), 'attn-soak-'));
  const at = {};
  const warm = Math.min(50, Math.floor(steps / 10));
  const t0 = performance.now();
  const trainer = new Trainer({
    model,
    args: { outputDir: dir, learningRate: 1e-3, maxSteps: steps, maxGradNorm: 1, saveStrategy: 'no', loggingSteps: 1e9, seed: 1 },
    trainDataLoader: { length: steps, *[Symbol.iterator]() { for (let i = 0; i < steps; i++) yield batchFor(task, i, true); } },
    callbacks: [{ onStepEnd: (ctx) => { const k = ctx.state.globalStep; if (k === warm || k === steps / 2 || k === steps) at[k] = mem(); } }],
  });
  await trainer.train();
  const trainS = (performance.now() - t0) / 1000;
  trainer.dispose();
  model.eval();
  const inf = {};
  const warmCalls = Math.min(100, Math.floor(calls / 10));
  const t1 = performance.now();
  for (let i = 1; i <= calls; i++) {
    const batch = batchFor(task, i, false);
    const out = model.forward(batch);
    (out.logits ?? out.startLogits).dataSync();
    tf.dispose([...Object.values(out), ...Object.values(batch)]);
    if (i === warmCalls || i === calls / 2 || i === calls) inf[i] = mem();
  }
  const inferS = (performance.now() - t1) / 1000;
  model.dispose();
  rmSync(dir, { recursive: true, force: true });
  const trainOk = at[warm].numTensors === at[steps].numTensors && at[warm].numBytes === at[steps].numBytes;
  const inferOk = inf[warmCalls].numTensors === inf[calls].numTensors && inf[warmCalls].numBytes === inf[calls].numBytes;
  failed ||= !trainOk || !inferOk;
  rows.push({ task, steps, trainS: +trainS.toFixed(1), trainWarm: at[warm], trainMid: at[steps / 2], trainEnd: at[steps], calls, inferS: +inferS.toFixed(1), inferWarm: inf[warmCalls], inferMid: inf[calls / 2], inferEnd: inf[calls], ok: trainOk && inferOk });
  console.log(JSON.stringify(rows.at(-1)));
}
console.log('| head | updates | tensors (warm → end) | bytes (warm → end) | RSS MB (warm → half → end) | wasm heap MB | calls | tensors (warm → end) | bytes | RSS MB (warm → half → end) |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.task} | ${r.steps} (${r.trainS} s) | ${r.trainWarm.numTensors} → ${r.trainEnd.numTensors} | ${r.trainWarm.numBytes} → ${r.trainEnd.numBytes} | ${r.trainWarm.rssMB} → ${r.trainMid.rssMB} → ${r.trainEnd.rssMB} | ${r.trainWarm.wasmMB} → ${r.inferEnd.wasmMB} | ${r.calls} (${r.inferS} s) | ${r.inferWarm.numTensors} → ${r.inferEnd.numTensors} | ${r.inferWarm.numBytes} → ${r.inferEnd.numBytes} | ${r.inferWarm.rssMB} → ${r.inferMid.rssMB} → ${r.inferEnd.rssMB} |`);
}
console.log(failed ? 'FAIL: tensors or bytes grew' : 'PASS: tensors and bytes flat for every head');
process.exit(failed ? 1 : 0);
