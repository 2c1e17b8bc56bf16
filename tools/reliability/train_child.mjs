// A training process to be killed: trains a tiny BERT with the BUILT packages (packages/*/dist),
// saving a checkpoint every `saveSteps` updates, and appends every update's loss to a log
// ({"step","loss"} per line) so that a parent can compare the losses of interrupted and
// uninterrupted runs. Usage: node train_child.mjs '<json options>'
//   { outDir, lossLog, maxSteps = 12, saveSteps = 1, saveTotalLimit = 2, resume = false, verify = false }
// verify: instead of training, load the newest complete checkpoint-<step> of outDir (weights,
// optimizer moments, schedule, RNG) and print {"checkpoint": step | null} as JSON.
import { appendFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const load = (name) => import(pathToFileURL(join(root, 'packages', name, 'dist', 'index.js')).href);
const [{ initBackend }, { BertConfig, createModel }, { ArrayDataset, DataLoader, classificationCollator }, trainerPkg] =
  await Promise.all([load('tensor'), load('models'), load('data'), load('trainer')]);

const opts = { maxSteps: 12, saveSteps: 1, saveTotalLimit: 2, resume: false, ...JSON.parse(process.argv[2] ?? '{}') };
const { Trainer, AdamW, weightDecayParamGroups, listCheckpoints, readTrainerCheckpoint, createScheduler } = trainerPkg;
await initBackend({ backend: 'wasm' });

/** Deterministic features: label 1 when token 7 occurs. */
function features(n) {
  let s = 4242;
  const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
  return Array.from({ length: n }, () => {
    const len = 3 + Math.floor(rand() * 8);
    const ids = [101, ...Array.from({ length: len }, () => 10 + Math.floor(rand() * 100)), 102];
    const label = rand() < 0.5 ? 1 : 0;
    if (label) ids[1 + Math.floor(rand() * len)] = 7;
    return { inputIds: ids, attentionMask: ids.map(() => 1), tokenTypeIds: ids.map(() => 0), label };
  });
}

const config = BertConfig.fromJSON({
  vocab_size: 128, hidden_size: 16, num_hidden_layers: 2, num_attention_heads: 2,
  intermediate_size: 32, max_position_embeddings: 32, num_labels: 2,
});
// Weights from the global generator, which the Trainer seeds (args.seed) and checkpoints.
const model = createModel('sequence-classification', config);

if (opts.verify) {
  const latest = (await listCheckpoints(opts.outDir)).at(-1);
  if (!latest) {
    process.stdout.write(JSON.stringify({ checkpoint: null }) + '\n');
    process.exit(0);
  }
  const optimizer = new AdamW(weightDecayParamGroups(model.trainableParameters(), { lr: 5e-3, weightDecay: 0.01 }));
  const scheduler = createScheduler('linear', optimizer, { numWarmupSteps: 2, numTrainingSteps: opts.maxSteps });
  const state = await readTrainerCheckpoint(latest.dir, { model, optimizer, scheduler });
  if (state.globalStep !== latest.step) throw new Error(`${latest.dir}: trainer_state.json says globalStep ${state.globalStep}`);
  for (const [name, v] of model.namedParameters()) {
    if (!v.dataSync().every(Number.isFinite)) throw new Error(`${latest.dir}: parameter ${name} is not finite`);
  }
  process.stdout.write(JSON.stringify({ checkpoint: latest.step }) + '\n');
  process.exit(0);
}
const trainer = new Trainer({
  model,
  args: {
    outputDir: opts.outDir, learningRate: 5e-3, warmupSteps: 2, weightDecay: 0.01, maxSteps: opts.maxSteps,
    gradientAccumulationSteps: 2, maxGradNorm: 1, loggingSteps: 1000, saveStrategy: 'steps',
    saveSteps: opts.saveSteps, saveTotalLimit: opts.saveTotalLimit, seed: 11,
  },
  trainDataLoader: new DataLoader(new ArrayDataset(features(36)), {
    batchSize: 4, shuffle: true, seed: 5, collate: classificationCollator({ padTokenId: 0 }),
  }),
  callbacks: [{ onTrainBegin: () => process.stdout.write('begin\n'), onStepEnd: (ctx) => appendFileSync(opts.lossLog, JSON.stringify({ step: ctx.state.globalStep, loss: ctx.loss }) + '\n') }],
});
await trainer.train(opts.resume ? { resumeFromCheckpoint: true } : {});
process.stdout.write(`done ${join(opts.outDir)}\n`);
