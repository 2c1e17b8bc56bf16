import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { nativeKernelsActive } from '@attn/tensor';
import { applyLoRA } from '@attn/layers';
import { ArrayDataset, DataLoader, LabelMap, classificationCollator, prepareClassificationFeatures, type ClassificationExample } from '@attn/data';
import { Trainer, EarlyStoppingCallback, ProgressCallback, JsonlLoggerCallback, PruningCallback, freezeStrategy } from '@attn/trainer';
import { currentTrial } from '@attn/tune';
import { TextClassificationPipeline, saveTokenizer } from '@attn/pipelines';
import { lineChartSvg } from '@attn/metrics';
import type { TrainConfig } from '../train_config';
import { readClassificationFile } from '../classification_file';
import { loadModelSource } from '../model_source';
import { evaluateExamples, writeEvaluation, type EvaluationResult } from '../evaluation_report';
import { CliError, SaveOnSignalCallback, parseFreezeFlag, resolveResume, startBackend } from '@attn/cli';

export interface TrainResult {
  dev?: EvaluationResult;
  test?: EvaluationResult;
  seconds: number;
  examplesPerSecond: number;
  outDir: string;
}

/** Fine-tunes a sequence classifier: the seed's recipe, step by step, printing what it does. */
export async function train(cfg: TrainConfig, print: (s: string) => void = (s) => console.log(s)): Promise<TrainResult> {
  const resume = await resolveResume(cfg.resume, cfg.out);
  const backend = await startBackend(cfg.backend);
  print(`Backend: ${backend}${nativeKernelsActive() ? ' + @attn/tensor-native kernels' : ''}`);

  print(`Reading training data from ${cfg.train}`);
  let trainExamples = await readClassificationFile(cfg.train, cfg);
  if (cfg.limit > 0) trainExamples = trainExamples.slice(0, cfg.limit);
  const labels = LabelMap.fromData(trainExamples.map((e) => e.label!));
  if (labels.labels.length < 2) throw new CliError(`${cfg.train}: only one label (${labels.labels[0]}) in column "${cfg.labelColumn}"; classification needs at least two.`);
  const read = (path: string) => readClassificationFile(path, { ...cfg, labels: labels.labels });
  const devExamples = cfg.dev ? await read(cfg.dev) : undefined;
  const testExamples = cfg.test ? await read(cfg.test) : undefined;
  print(`  ${trainExamples.length} training examples, labels ${labels.labels.join(', ')}${devExamples ? `; ${devExamples.length} dev` : ''}${testExamples ? `; ${testExamples.length} test` : ''}`);

  const { model, tokenizer, from } = await loadModelSource(cfg.model, { labels, tokenizer: cfg.tokenizer, dropout: cfg.dropout, seed: cfg.seed });
  print(`Model: ${from}; ${model.numParameters().toLocaleString('en-US')} parameters`);
  if (cfg.loraRank > 0) {
    const names = applyLoRA(model, { rank: cfg.loraRank, alpha: cfg.loraRank * 2, targetModules: ['query', 'value'] });
    for (const [name, v] of model.namedParameters()) if (name.startsWith('classifier.')) v.trainable = true;
    print(`  LoRA rank ${cfg.loraRank} on ${names.length} layers`);
  } else if (cfg.freeze !== 'none') {
    freezeStrategy(model, parseFreezeFlag(cfg.freeze));
  }
  print(`  trainable: ${model.numParameters({ trainableOnly: true }).toLocaleString('en-US')} parameters (freeze: ${cfg.loraRank > 0 ? 'LoRA only' : cfg.freeze})`);

  const features = (examples: ClassificationExample[]) => prepareClassificationFeatures(tokenizer, examples, { labelMap: labels, maxLength: cfg.maxLength });
  const collate = classificationCollator({ padTokenId: tokenizer.padTokenId ?? 0 });
  const trainFeatures = features(trainExamples);
  const trainLoader = new DataLoader(new ArrayDataset(trainFeatures), { batchSize: cfg.batchSize, shuffle: true, seed: cfg.seed, groupByLength: true, collate });
  const evalLoader = devExamples
    ? new DataLoader(new ArrayDataset(features(devExamples)), { batchSize: Math.max(cfg.batchSize, 64), collate })
    : undefined;
  print(`Tokenized; batches are padded to their longest sentence (dynamic padding, max ${cfg.maxLength} tokens)`);

  await mkdir(cfg.out, { recursive: true });
  const interrupt = new SaveOnSignalCallback();
  // Started by `attn-classify tune`: report dev accuracy per epoch to the study, stop when it prunes.
  const tuneTrial = currentTrial();
  const pruning = tuneTrial && evalLoader ? new PruningCallback(tuneTrial, { metric: 'accuracy' }) : undefined;
  const trainer = new Trainer({
    model,
    args: {
      outputDir: cfg.out,
      learningRate: cfg.lr,
      perDeviceTrainBatchSize: cfg.batchSize,
      numTrainEpochs: cfg.epochs,
      weightDecay: cfg.weightDecay,
      warmupRatio: cfg.warmupRatio,
      lrSchedulerType: cfg.scheduler,
      maxGradNorm: cfg.maxGradNorm,
      evalStrategy: evalLoader ? 'epoch' : 'no',
      saveStrategy: cfg.saveStrategy,
      saveSteps: cfg.saveSteps,
      saveTotalLimit: cfg.saveTotalLimit,
      loggingSteps: Math.max(1, Math.floor(trainLoader.length / 10)),
      seed: cfg.seed,
      optim: cfg.optimizer,
      metricForBestModel: 'accuracy',
      greaterIsBetter: true,
    },
    trainDataLoader: trainLoader,
    evalDataLoader: evalLoader,
    computeMetrics: (p) => {
      // One array over the dev set: logits [N, numLabels], labels [N].
      const logits = p.predictions.logits!;
      const gold = p.labelIds.labels!;
      const n = logits.shape[1]!;
      let correct = 0;
      for (let i = 0; i < logits.shape[0]!; i++) {
        let best = 0;
        for (let j = 1; j < n; j++) if (logits.data[i * n + j]! > logits.data[i * n + best]!) best = j;
        if (best === gold.data[i]) correct++;
      }
      return { accuracy: correct / logits.shape[0]! };
    },
    callbacks: [
      interrupt,
      new ProgressCallback(),
      new JsonlLoggerCallback(),
      ...(evalLoader ? [new EarlyStoppingCallback({ patience: cfg.patience, metric: 'accuracy', greaterIsBetter: true, restoreBest: true })] : []),
      ...(pruning ? [pruning] : []),
    ],
  });

  print(`Training: ${cfg.epochs} epoch(s) × ${trainLoader.length} batches of ${cfg.batchSize}, ${cfg.optimizer} lr ${cfg.lr}, ${cfg.scheduler} schedule, warmup ${cfg.warmupRatio}, weight decay ${cfg.weightDecay}`);
  if (resume) print(`Resuming from ${resume}`);
  const started = performance.now();
  let out;
  try {
    out = await trainer.train({ resumeFromCheckpoint: resume });
  } catch (e) {
    trainer.dispose();
    throw e;
  } finally {
    interrupt.dispose();
  }
  const seconds = (performance.now() - started) / 1000;
  const examplesPerSecond = trainer.state.numInputExamples / seconds;
  if (pruning?.pruned) {
    print(`Pruned by the study after epoch ${Math.round(trainer.state.epoch)} (dev accuracy ${pruning.lastValue}); not saved.`);
    tuneTrial!.pruned();
    trainer.dispose();
    return { seconds, examplesPerSecond, outDir: cfg.out };
  }
  print(`Trained ${out.globalStep} steps in ${seconds.toFixed(1)} s (${examplesPerSecond.toFixed(1)} examples/s), final training loss ${out.trainingLoss.toFixed(4)}`);

  print(`Saving the model to ${cfg.out} (config.json with id2label/label2id, model.safetensors, tokenizer.json)`);
  await model.savePretrained(cfg.out);
  await saveTokenizer(tokenizer, cfg.out);
  await writeFile(join(cfg.out, 'train_config.json'), JSON.stringify(cfg, null, 2) + '\n');
  await writeFile(join(cfg.out, 'curves.svg'), curvesSvg(trainer.state.logHistory));

  const pipe = new TextClassificationPipeline(model, tokenizer, { maxLength: cfg.maxLength, batchSize: 64 });
  const result: TrainResult = { seconds, examplesPerSecond, outDir: cfg.out };
  if (devExamples) {
    result.dev = evaluateExamples(pipe, devExamples);
    await writeEvaluation('dev', result.dev, labels.labels as string[], cfg.out, print);
  }
  if (testExamples) {
    result.test = evaluateExamples(pipe, testExamples);
    await writeEvaluation('test', result.test, labels.labels as string[], cfg.out, print);
  }
  print(`Pictures: ${join(cfg.out, 'curves.svg')}${devExamples ? `, ${join(cfg.out, 'confusion_matrix_dev.svg')}` : ''}; training log: ${join(cfg.out, 'log.jsonl')}`);
  trainer.dispose();
  pipe.dispose();
  if (tuneTrial && result.dev) tuneTrial.complete(result.dev.accuracy);
  return result;
}

/** Training loss per logged step and dev accuracy per epoch, as one SVG. */
function curvesSvg(history: Array<Record<string, number | string>>): string {
  const loss = history.filter((h) => typeof h.loss === 'number').map((h) => [Number(h.step), Number(h.loss)] as [number, number]);
  const evalLoss = history.filter((h) => typeof h.eval_loss === 'number').map((h) => [Number(h.step), Number(h.eval_loss)] as [number, number]);
  const acc = history.filter((h) => typeof h.eval_accuracy === 'number').map((h) => [Number(h.step), Number(h.eval_accuracy)] as [number, number]);
  return lineChartSvg({
    title: 'Training curves',
    xLabel: 'step',
    yLabel: 'loss / accuracy',
    series: [
      { name: 'train loss', points: loss },
      { name: 'dev loss', points: evalLoss },
      { name: 'dev accuracy', points: acc },
    ].filter((s) => s.points.length > 0),
  });
}
