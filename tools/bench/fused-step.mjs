#!/usr/bin/env node
// The Trainer-path training step (BertForSequenceClassification from @attn/models' createModel,
// @attn/trainer's AdamW with HF's no-decay groups, grad-norm clip 1.0) on wasm + @attn/tensor-native,
// with @attn/tensor's fused-kernel dispatch on (gelu/layerNorm/AdamW as single native kernels) and
// off (setFusedKernelsEnabled(false), the same as ATTN_FUSED=0: the composed ops), alternating step by
// step in one process so both see the same machine load. Prints sequences/s per mode and the ratio.
//   (cd packages/tensor && npx tsup) && (cd packages/tensor-native && npx tsup) && (cd packages/trainer && npx tsup)
//   nice -n 10 node tools/bench/fused-step.mjs --quick
//   node tools/bench/fused-step.mjs --models tiny,mini --batch 32 --seq 128 --steps 5 --rounds 3 --threads 2 [--dropout 0]
import { importAttn, startAttnBackend } from './attn_runtime.mjs';

const argv = process.argv.slice(2);
const arg = (name, d) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : d;
};
const quick = argv.includes('--quick');
const models = arg('--models', 'tiny').split(',');
const batch = Number(arg('--batch', '32'));
const seq = Number(arg('--seq', '128'));
const steps = Number(arg('--steps', quick ? '3' : '5'));
const rounds = Number(arg('--rounds', quick ? '2' : '3'));
const threads = Number(arg('--threads', '2'));
// --dropout 0 switches dropout off (as the hand-rolled step in native-kernels.mjs has none); default: BERT's 0.1.
const dropout = arg('--dropout');

const { tf, tensor, kernels } = await startAttnBackend({ threads });
const { BertConfig, createModel } = await importAttn('models');
const { AdamW, clipGradNorm, weightDecayParamGroups } = await importAttn('trainer');
console.log(`backend: wasm + ${kernels}; batch ${batch} × seq ${seq}; dropout ${dropout ?? 'BERT default'}; ${steps * rounds} timed steps per mode, alternating`);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

for (const name of models) {
  const overrides = dropout === undefined ? {} : { hidden_dropout_prob: Number(dropout), attention_probs_dropout_prob: Number(dropout) };
  const config = BertConfig.preset(`bert-${name}`, { num_labels: 2, ...overrides });
  const vocab = config.vocab_size ?? config.vocabSize ?? 30522;
  const model = createModel('sequence-classification', config, { seed: 42 });
  model.train();
  const params = model.trainableParameters();
  const vars = params.map(([, v]) => v);
  const byVar = new Map(params.map(([n, v]) => [v.name, n]));
  const optimizer = new AdamW(weightDecayParamGroups(params, { lr: 1e-4, weightDecay: 0.01 }));
  let seed = 7;
  const rand = (n) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
  const inputs = {
    inputIds: tf.tensor2d(Int32Array.from({ length: batch * seq }, () => rand(vocab)), [batch, seq], 'int32'),
    attentionMask: tf.tensor2d(Int32Array.from({ length: batch * seq }, (_, i) => (i % seq < seq - (Math.floor(i / seq) % 8) * 4 ? 1 : 0)), [batch, seq], 'int32'),
    tokenTypeIds: tf.zeros([batch, seq], 'int32'),
    labels: tf.tensor1d(Int32Array.from({ length: batch }, (_, i) => i % 2), 'int32'),
  };
  const step = () => {
    const { value, grads } = tensor.variableGrads(() => model.forward(inputs).loss, vars);
    const loss = value.dataSync()[0];
    value.dispose();
    const named = new Map(Object.entries(grads).map(([k, g]) => [byVar.get(k), g]));
    const { grads: clipped } = clipGradNorm(named, 1.0);
    optimizer.step(clipped);
    clipped.forEach((g) => g.dispose());
    return loss;
  };
  const modes = { fused: true, composed: false };
  const times = { fused: [], composed: [] };
  for (const [mode, on] of Object.entries(modes)) {
    tensor.setFusedKernelsEnabled(on);
    step(); // warm-up: kernel set-up, first optimizer slots
  }
  // Modes alternate step by step, so both see the same load drift on a shared machine.
  const before = tf.memory().numTensors;
  for (let i = 0; i < rounds * steps; i++) {
    for (const [mode, on] of Object.entries(modes)) {
      tensor.setFusedKernelsEnabled(on);
      const t0 = performance.now();
      const loss = step();
      times[mode].push(performance.now() - t0);
      if (!Number.isFinite(loss)) throw new Error(`bert-${name} ${mode}: loss ${loss} at step ${i}`);
    }
  }
  if (tf.memory().numTensors !== before) throw new Error(`bert-${name}: ${tf.memory().numTensors - before} tensors leaked over ${rounds * steps} step pairs`);
  tensor.setFusedKernelsEnabled(true);
  const sps = Object.fromEntries(Object.entries(times).map(([m, ts]) => [m, (batch * 1000) / median(ts)]));
  console.log(
    `bert-${name}: fused ${sps.fused.toFixed(1)} seq/s (median ${median(times.fused).toFixed(0)} ms/step), ` +
      `composed ${sps.composed.toFixed(1)} seq/s (median ${median(times.composed).toFixed(0)} ms/step), ` +
      `ratio ${(sps.fused / sps.composed).toFixed(2)}×`,
  );
  tf.dispose(Object.values(inputs));
  optimizer.dispose();
  model.dispose();
}
process.exit(0);
