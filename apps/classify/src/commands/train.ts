import { mkdir } from 'node:fs/promises';
import { writeFileDurable } from '@attn/tensor/durable_write';
import { join } from 'node:path';
import { nativeKernelsActive } from '@attn/tensor';
import { applyLoRA } from '@attn/layers';
import { ArrayDataset, DataLoader, LabelMap, classificationCollator, prepareClassificationFeatures, type ClassificationExample } from '@attn/data';
import { EarlyStoppingCallback, ProgressCallback, JsonlLoggerCallback, freezeStrategy } from '@attn/trainer';
import { TextClassificationPipeline } from '@attn/pipelines';
import { accuracyScore, argmaxRows, trainingCurvesSvg } from '@attn/metrics';
import type { TrainConfig } from '../train_config';
import { readClassificationFile } from '../classification_file';
import { loadModelSource } from '../model_source';
import { evaluateExamples, writeEvaluation, type EvaluationResult } from '../evaluation_report';
import { CliError, parseFreezeFlag, resolveResume, runTraining, saveTrained, startBackend, studyTrial, trainingArguments } from '@attn/cli';

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
  // With --label-names the file's ids 0..n-1 become the names (id order kept); else the labels as written, sorted.
  let trainExamples = await readClassificationFile(cfg.train, { ...cfg, labels: cfg.labelNames });
  if (cfg.limit > 0) trainExamples = trainExamples.slice(0, cfg.limit);
  const labels = cfg.labelNames ? LabelMap.fromLabels(cfg.labelNames) : LabelMap.fromData(trainExamples.map((e) => e.label!));
  if (labels.labels.length < 2) throw new CliError(`${cfg.train}: only one label (${labels.labels[0]}) in column "${cfg.labelColumn}"; classification needs at least two.`);
  const read = (path: string) => readClassificationFile(path, { ...cfg, labels: labels.labels });
  let devExamples = cfg.dev ? await read(cfg.dev) : undefined;
  if (devExamples && cfg.devLimit > 0) devExamples = devExamples.slice(0, cfg.devLimit);
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
  // Started by `attn-classify tune`: report dev accuracy per epoch to the study, stop when it prunes.
  const trial = evalLoader ? studyTrial('accuracy') : undefined;
  print(`Training: ${cfg.epochs} epoch(s) × ${trainLoader.length} batches of ${cfg.batchSize}, ${cfg.optimizer} lr ${cfg.lr}, ${cfg.scheduler} schedule, warmup ${cfg.warmupRatio}, weight decay ${cfg.weightDecay}`);
  if (resume) print(`Resuming from ${resume}`);
  const started = performance.now();
  const { trainer, output: out } = await runTraining(
    {
      model,
      args: {
        ...trainingArguments(cfg, cfg.out),
        lrSchedulerType: cfg.scheduler,
        evalStrategy: evalLoader ? 'epoch' : 'no',
        loggingSteps: cfg.loggingSteps ?? Math.max(1, Math.floor(trainLoader.length / 10)),
        metricForBestModel: 'accuracy',
        greaterIsBetter: true,
      },
      trainDataLoader: trainLoader,
      evalDataLoader: evalLoader,
      // One array over the dev set: logits [N, numLabels], labels [N].
      computeMetrics: (p) => ({ accuracy: accuracyScore(p.labelIds.labels!.data, argmaxRows(p.predictions.logits!.data, p.predictions.logits!.shape[1]!)) }),
      callbacks: [
        ...(cfg.quiet ? [] : [new ProgressCallback()]),
        new JsonlLoggerCallback(),
        // patience 0: never stop early, keep the last epoch (as ner and qa).
        ...(evalLoader && cfg.patience > 0 ? [new EarlyStoppingCallback({ patience: cfg.patience, metric: 'accuracy', greaterIsBetter: true, restoreBest: true })] : []),
        ...(trial ? [trial.callback] : []),
      ],
    },
    resume,
  );
  const seconds = (performance.now() - started) / 1000;
  const examplesPerSecond = trainer.state.numInputExamples / seconds;
  if (trial?.pruned) {
    print(trial.endPruned(trainer.state.epoch));
    return { seconds, examplesPerSecond, outDir: cfg.out };
  }
  print(`Trained ${out.globalStep} steps in ${seconds.toFixed(1)} s (${examplesPerSecond.toFixed(1)} examples/s), final training loss ${out.trainingLoss.toFixed(4)}`);

  print(`Saving the model to ${cfg.out} (config.json with id2label/label2id, model.safetensors, tokenizer.json)`);
  await saveTrained(model, tokenizer, cfg.out);
  // The run's settings as a file `train --config` takes (label names as the flag writes them).
  const { resume: _resume, quiet: _quiet, ...settings } = cfg;
  await writeFileDurable(join(cfg.out, 'train_config.json'), JSON.stringify({ ...settings, labelNames: cfg.labelNames?.join(',') }, null, 2) + '\n');
  const curves = [{ key: 'loss', name: 'train loss' }, { key: 'eval_loss', name: 'dev loss' }, { key: 'eval_accuracy', name: 'dev accuracy' }];
  await writeFileDurable(join(cfg.out, 'curves.svg'), trainingCurvesSvg(trainer.state.logHistory, { curves, title: 'Training curves', yLabel: 'loss / accuracy' }));

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
  pipe.dispose();
  trial?.finish(result.dev?.accuracy);
  return result;
}

