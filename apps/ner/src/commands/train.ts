import { writeFileDurableSync } from '@attn/tensor/durable_write';
import { join } from 'node:path';
import type { Command } from 'commander';
import { ArrayDataset, DataLoader, LabelMap, prepareTokenClassificationFeatures, tokenClassificationCollator } from '@attn/data';
import { EarlyStoppingCallback, JsonlLoggerCallback, ProgressCallback, Trainer, freezeStrategy, type TrainerCallback } from '@attn/trainer';
import { addEncodingOption, addTrainingOptions, defaultModel, encodingFlag, loadModelSource, maxLengthFlag, parseTrainingFlags, repoPath, resolveResume, runCommand, runTraining, saveTrained, startBackend, studyTrial, trainingArguments, type TrainingFlags, addOnErrorOption, onErrorFlag } from '@attn/cli';
import { addConllOptions, inputSchemeFlag, readConllFile } from '../conll_file';
import { entityReport, flatMetrics, tagSequences, type EntityReport } from '../entity_metrics';
import { writeRunCharts } from '../run_charts';

/**
 * `--model` when none is given: the repository's pretrained models/attn-bert-tiny-cased (BERT-tiny with
 * bert-base-cased's vocabulary, pretrained by apps/pretrain), else bert-tiny from random weights.
 */
export const DEFAULT_MODEL = defaultModel(repoPath(import.meta.url, 'models', 'attn-bert-tiny-cased'));

/** The app's own flags; the hyperparameters are @attn/cli's shared TrainingFlags. */
export interface NerTrainFlags extends TrainingFlags {
  train: string;
  dev?: string;
  /** Default: DEFAULT_MODEL (the bundled pretrained checkpoint). */
  model?: string;
  tokenizer?: string;
  lowercase?: boolean;
  out: string;
  tagColumn: string;
  columns?: string;
  inputScheme: string;
  onError: string;
  maxLength: string;
  labelAllTokens?: boolean;
  /** How the CoNLL files are decoded: utf8 (default, strict) or latin1. */
  encoding?: string;
}


/** Prints the seqeval report after each evaluation (the Trainer's computeMetrics keeps the latest). */
class ReportPrinter implements TrainerCallback {
  latest?: EntityReport;
  constructor(private readonly quiet: boolean) {}
  onEvaluate(ctx: { state: { epoch: number }; metrics?: Record<string, number> }): void {
    if (this.quiet || !this.latest) return;
    process.stderr.write(`\nepoch ${ctx.state.epoch.toFixed(2)}: dev entity F1 ${(100 * (ctx.metrics?.eval_f1 ?? 0)).toFixed(2)}\n${this.latest.text}\n`);
  }
}

export async function trainNer(flags: NerTrainFlags): Promise<{ f1?: number; out: string }> {
  const started = performance.now();
  const inputScheme = inputSchemeFlag(flags.inputScheme);
  const onError = onErrorFlag(flags.onError);
  // Every flag is checked before data and model load, so a typo fails at once.
  const t = parseTrainingFlags(flags);
  const { seed, batchSize, patience, dropout, freeze } = t;
  // Sentences are truncated to --max-length sub-tokens, which the model's positions must cover.
  const maxLength = maxLengthFlag(flags.maxLength, { model: flags.model ?? DEFAULT_MODEL });
  const encoding = encodingFlag(flags.encoding);
  const resume = await resolveResume(flags.resume, flags.out);
  const backend = await startBackend(flags.backend);

  const readOpts = { tagColumn: flags.tagColumn, columns: flags.columns, inputScheme, onError, encoding } as const;
  const train = await readConllFile(flags.train, { ...readOpts, limit: t.limit });
  const dev = flags.dev ? await readConllFile(flags.dev, { ...readOpts, limit: t.devLimit }) : undefined;
  // Tag ids from the training data, sorted as HF's run_ner; dev tags outside them are an error naming the line.
  const labels = LabelMap.fromData(train.flatMap((ex) => ex.tags));

  const { model, tokenizer, from } = await loadModelSource(flags.model ?? DEFAULT_MODEL, {
    task: 'token-classification',
    labels,
    tokenizer: flags.tokenizer,
    defaultTokenizer: repoPath(import.meta.url, 'fixtures', 'tokenizers', 'bert-base-cased', 'vocab.txt'),
    lowercase: flags.lowercase ?? false,
    dropout,
    seed,
  });
  const trainable = freezeStrategy(model, freeze);
  const frozen = model.namedParameters().length - trainable.length;
  const log = (s: string) => flags.quiet || process.stderr.write(s + '\n');
  log(`backend ${backend}; model ${from}; ${train.length} train / ${dev?.length ?? 0} dev sentences; labels ${labels.labels.join(' ')}` + (frozen ? `; ${frozen} tensors frozen` : ''));

  const featureOpts = { labelMap: labels, maxLength, labelAllTokens: flags.labelAllTokens ?? false };
  const trainFeatures = prepareTokenClassificationFeatures(tokenizer, train, featureOpts);
  const devFeatures = dev ? prepareTokenClassificationFeatures(tokenizer, dev, featureOpts) : undefined;
  const collate = tokenClassificationCollator({ padTokenId: tokenizer.padTokenId ?? 0 });
  const trainLoader = new DataLoader(new ArrayDataset(trainFeatures), { batchSize, shuffle: true, seed, groupByLength: true, collate });
  const evalLoader = devFeatures ? new DataLoader(new ArrayDataset(devFeatures), { batchSize: Math.max(batchSize, 64), collate }) : undefined;

  const printer = new ReportPrinter(flags.quiet ?? false);
  const callbacks: TrainerCallback[] = [new JsonlLoggerCallback(), printer];
  if (!flags.quiet) callbacks.push(new ProgressCallback());
  if (evalLoader && patience > 0) callbacks.push(new EarlyStoppingCallback({ patience, metric: 'f1', greaterIsBetter: true }));
  // Started by `attn-ner tune`: dev entity F1 reported to the study after every epoch; it may prune the run.
  const trial = evalLoader ? studyTrial('f1') : undefined;
  if (trial) callbacks.push(trial.callback);
  const computeMetrics = (p: Parameters<typeof tagSequences>[0]) => {
    printer.latest = entityReport(tagSequences(p, labels));
    return flatMetrics(printer.latest);
  };
  if (resume) log(`resuming from ${resume}`);
  const { trainer, output: result } = await runTraining(
    {
      model,
      args: {
        ...trainingArguments(t, flags.out),
        perDeviceEvalBatchSize: Math.max(batchSize, 64),
        evalStrategy: evalLoader ? 'epoch' : 'no',
        loggingStrategy: 'steps',
        loggingSteps: t.loggingSteps,
        disableTqdm: !process.stderr.isTTY,
      },
      trainDataLoader: trainLoader,
      evalDataLoader: evalLoader,
      computeMetrics,
      callbacks,
    },
    resume,
  );

  if (trial?.stopIfPruned(model, trainer.state.epoch, log)) return { out: flags.out };
  await saveTrained(model, tokenizer, flags.out);
  let final: Record<string, number> | undefined;
  if (evalLoader) {
    // The weights just saved (the best epoch's, when early stopping restored them), scored once more.
    final = await new Trainer({ model, args: { outputDir: flags.out, disableTqdm: true }, computeMetrics }).evaluate(evalLoader);
    writeRunCharts(flags.out, printer.latest!.dict, trainer.state.logHistory);
    writeFileDurableSync(join(flags.out, 'eval_report.txt'), printer.latest!.text);
  }
  const wallSeconds = (performance.now() - started) / 1000;
  writeFileDurableSync(
    join(flags.out, 'train_results.json'),
    JSON.stringify({ backend, model: from, trainSentences: train.length, devSentences: dev?.length ?? 0, ...result.metrics, globalStep: result.globalStep, final, wallSeconds, logHistory: trainer.state.logHistory }, null, 2) + '\n',
  );
  model.dispose();
  if (!flags.quiet) {
    if (final) process.stdout.write(`final dev report (${flags.dev}):\n${printer.latest!.text}\n`);
    process.stdout.write(`saved model, tokenizer.json, log.jsonl, train_results.json${final ? ', entity_f1.svg, loss.svg' : ''} to ${flags.out} (${wallSeconds.toFixed(1)} s)\n`);
  }
  trial?.finish(final?.eval_f1);
  return { f1: final?.eval_f1, out: flags.out };
}

export function registerTrain(program: Command): void {
  const cmd = program
    .command('train')
    .description('fine-tune (or train from scratch) a BERT token classifier on CoNLL column files')
    .requiredOption('--train <file>', 'CoNLL training file (one token per line, blank line between sentences)')
    .option('--dev <file>', 'CoNLL dev file: seqeval entity report after each epoch and at the end')
    .option('--model <dir|preset>', 'HF-format model directory, or a preset (bert-tiny, bert-mini, bert-small, ...) to start from random weights (default: the bundled pretrained models/attn-bert-tiny-cased, or bert-tiny from random weights without it)')
    .option('--tokenizer <file>', 'vocab.txt or tokenizer.json (default for presets: fixtures/tokenizers/bert-base-cased/vocab.txt)')
    .option('--lowercase', 'lower-case input when the tokenizer is a vocab.txt of an uncased model')
    .requiredOption('--out <dir>', 'where the model, tokenizer.json, log.jsonl and charts go');
  addConllOptions(cmd)
    .option('--max-length <n>', 'sub-tokens per sentence (longer ones are truncated)', '128')
    .option('--label-all-tokens', 'train every sub-token on its word label, not only the first');
  addOnErrorOption(cmd, 'malformed sentences');
  // lr 2e-3: measured for the default model (docs/default-learning-rates.md); HF's 5e-5 barely moves BERT-tiny in 3 epochs.
  addEncodingOption(addTrainingOptions(cmd, { unit: 'sentences', batchSize: '32', epochs: '3', lr: '2e-3' })).action((opts: NerTrainFlags) => runCommand(async () => void (await trainNer(opts))));
}
