import { mkdir } from 'node:fs/promises';
import { writeFileDurable } from '@attn/tensor/durable_write';
import { join } from 'node:path';
import { applyLoRA } from '@attn/layers';
import { Trainer, EarlyStoppingCallback, ProgressCallback, JsonlLoggerCallback } from '@attn/trainer';
import { saveTokenizer } from '@attn/pipelines';
import { lineChartSvg } from '@attn/metrics';
import type { CausalLmFeature } from '@attn/data';
import { CliError, numberFlag, startBackend } from '@attn/cli';
import { initCausalLM, loadCausalLM } from '../causal_lm_dir';
import { readCorpus } from '../text_corpus';
import { blockLoader, tokenizeIntoBlocks } from '../block_batches';
import { LORA_TARGETS, mergeLoRA } from '../lora_targets';
import { blockPerplexity, type PerplexityResult } from './evaluate';

export interface TrainFlags {
  /** An HF model directory to fine-tune; or, to pretrain from scratch, `config` and `tokenizer`. */
  model?: string;
  config?: string;
  tokenizer?: string;
  data: string;
  dev?: string;
  out: string;
  textField?: string;
  blockSize?: string;
  batchSize?: string;
  epochs?: string;
  maxSteps?: string;
  loggingSteps?: string;
  lr?: string;
  loraRank?: string;
  patience?: string;
  seed?: string;
  validationSplit?: string;
  backend?: string;
}

export interface TrainResult {
  /** Held-out perplexity after each epoch, then of the saved model. */
  epochPerplexity: number[];
  dev?: PerplexityResult;
  outDir: string;
}

/**
 * `attn-generate train`: causal-LM fine-tuning (HF run_clm): the corpus tokenized and cut into blocks, labels =
 * inputs, AdamW with linear decay, held-out perplexity each epoch with early stopping, HF-format output
 * (LoRA adapters merged into the weights).
 */
export async function trainCommand(f: TrainFlags, print: (s: string) => void = (s) => console.log(s)): Promise<TrainResult> {
  const n = (flag: string, v: string | undefined, d: number, o: Parameters<typeof numberFlag>[2]) => (v === undefined ? d : numberFlag(flag, v, o));
  const seed = n('seed', f.seed, 42, { int: true });
  const fromScratch = f.config !== undefined || f.tokenizer !== undefined;
  if (fromScratch ? f.model !== undefined || !f.config || !f.tokenizer : !f.model) {
    throw new CliError('train needs --model DIR (fine-tune) or --config config.json --tokenizer tokenizer.json (pretrain from scratch), not both.');
  }
  await startBackend(f.backend);
  const { model, tokenizer } = fromScratch ? await initCausalLM(f.config!, f.tokenizer!, seed) : await loadCausalLM(f.model!);
  const maxPos = model.config.maxPositionEmbeddings;
  const blockSize = n('block-size', f.blockSize, Math.min(128, maxPos), { int: true, min: 2, max: maxPos });
  const batchSize = n('batch-size', f.batchSize, 8, { int: true, min: 1 });
  const epochs = n('epochs', f.epochs, 3, { min: 0.01 });
  const maxSteps = n('max-steps', f.maxSteps, -1, { int: true, min: 1 });
  const lr = n('lr', f.lr, 5e-4, { min: 0 });
  const loraRank = n('lora-rank', f.loraRank, 0, { int: true, min: 0 });
  const patience = n('patience', f.patience, 2, { int: true, min: 1 });
  const split = n('validation-split', f.validationSplit, 0.05, { min: 0, max: 0.5 });
  const pad = tokenizer.padTokenId ?? 0;

  let train = tokenizeIntoBlocks(tokenizer, await readCorpus(f.data, f.textField), blockSize, f.data);
  let dev: CausalLmFeature[] | undefined;
  if (f.dev) dev = tokenizeIntoBlocks(tokenizer, await readCorpus(f.dev, f.textField), blockSize, f.dev);
  else if (split > 0 && train.length >= 2) {
    // The held-out blocks are the corpus's last ones (no shuffle: neighbouring blocks share documents).
    const k = Math.max(1, Math.round(train.length * split));
    dev = train.slice(train.length - k);
    train = train.slice(0, train.length - k);
  }
  print(`Model: ${fromScratch ? `${f.config}, initialised with seed ${seed}` : f.model} (${model.architecture}, ${model.numParameters().toLocaleString('en-US')} parameters)`);
  print(`Data: ${train.length} training blocks of ${blockSize} tokens${dev ? `, ${dev.length} held-out` : ''}`);

  if (loraRank > 0) {
    const targets = LORA_TARGETS[model.config.modelType];
    if (!targets) throw new CliError(`--lora-rank: no LoRA target list for model_type "${model.config.modelType}"; known: ${Object.keys(LORA_TARGETS).join(', ')}.`);
    const adapted = applyLoRA(model, { rank: loraRank, alpha: 2 * loraRank, targetModules: targets });
    print(`LoRA rank ${loraRank} on ${adapted.length} projections (${targets.join(', ')}); trainable ${model.numParameters({ trainableOnly: true }).toLocaleString('en-US')} parameters`);
  }

  await mkdir(f.out, { recursive: true });
  if (fromScratch) {
    // The initial weights, so that another framework can start from the same point (and a run can be redone).
    await model.savePretrained(join(f.out, 'init'));
    await saveTokenizer(tokenizer, join(f.out, 'init'));
  }
  const trainLoader = blockLoader(train, { batchSize, padTokenId: pad, shuffle: true, seed });
  const evalLoader = dev ? blockLoader(dev, { batchSize, padTokenId: pad }) : undefined;
  const trainer = new Trainer({
    model,
    args: {
      outputDir: f.out,
      learningRate: lr,
      perDeviceTrainBatchSize: batchSize,
      numTrainEpochs: epochs,
      maxSteps,
      warmupRatio: 0.05,
      evalStrategy: evalLoader ? 'epoch' : 'no',
      saveStrategy: 'no',
      loggingSteps: n('logging-steps', f.loggingSteps, Math.max(1, Math.floor((maxSteps > 0 ? maxSteps : trainLoader.length) / 10)), { int: true, min: 1 }),
      seed,
      metricForBestModel: 'loss',
      greaterIsBetter: false,
      predictionLossOnly: true,
    },
    trainDataLoader: trainLoader,
    evalDataLoader: evalLoader,
    callbacks: [
      new ProgressCallback(),
      new JsonlLoggerCallback(),
      ...(evalLoader ? [new EarlyStoppingCallback({ patience, metric: 'loss', greaterIsBetter: false, restoreBest: true })] : []),
    ],
  });
  let out;
  try {
    out = await trainer.train();
  } finally {
    trainer.dispose();
  }
  const epochPerplexity = trainer.state.logHistory.filter((h) => typeof h.eval_loss === 'number').map((h) => Math.exp(Number(h.eval_loss)));
  epochPerplexity.forEach((p, i) => print(`epoch ${i + 1}: held-out perplexity ${p.toFixed(2)}`));
  print(`Trained ${out.globalStep} steps, final training loss ${out.trainingLoss.toFixed(4)}`);

  if (loraRank > 0) print(`Merged ${mergeLoRA(model)} LoRA adapters into their weights`);
  const result: TrainResult = { epochPerplexity, outDir: f.out };
  if (dev) {
    result.dev = blockPerplexity(model, dev, batchSize, pad);
    print(`Saved model: held-out loss ${result.dev.loss.toFixed(4)}, perplexity ${result.dev.perplexity.toFixed(2)}`);
  }
  await model.savePretrained(f.out);
  await saveTokenizer(tokenizer, f.out);
  await writeFileDurable(join(f.out, 'loss_curve.svg'), lossCurveSvg(trainer.state.logHistory));
  print(`Saved to ${f.out} (config.json, model.safetensors, tokenizer.json, loss_curve.svg, log.jsonl)`);
  model.dispose();
  return result;
}

/** Training loss per logged step and held-out loss per epoch. */
function lossCurveSvg(history: Array<Record<string, number | string>>): string {
  const points = (key: string) => history.filter((h) => typeof h[key] === 'number').map((h) => [Number(h.step), Number(h[key])] as [number, number]);
  return lineChartSvg({
    title: 'Causal-LM training',
    xLabel: 'step',
    yLabel: 'loss (nats per token)',
    series: [
      { name: 'train loss', points: points('loss') },
      { name: 'held-out loss', points: points('eval_loss') },
    ].filter((s) => s.points.length > 0),
  });
}
