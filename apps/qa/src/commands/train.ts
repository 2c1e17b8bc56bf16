import { mkdirSync } from 'node:fs';
import { writeFileDurableSync } from '@attn/tensor/durable_write';
import { join } from 'node:path';
import type { Command } from 'commander';
import { ArrayDataset, DataLoader, QUESTION_MATCH_CONFIG_KEY, prepareQaEvalFeatures, prepareQaTrainFeatures, qaCollator, questionMatchTypeId, sentencePriorWeight, setSentencePriorWeight, type QaExample } from '@attn/data';
import { addTokenType } from '@attn/models';
import { JsonlLoggerCallback, ProgressCallback, freezeStrategy, type TrainerCallback } from '@attn/trainer';
import { trainingCurvesSvg } from '@attn/metrics';
import type { Tokenizer } from '@attn/tokenizers';
import { CliError, EpochEvaluationCallback, addEncodingOption, addTrainingOptions, defaultModel, encodingFlag, loadModelSource, numberFlag, parseTrainingFlags, repoPath, resolveResume, runCommand, runTraining, saveTrained, startBackend, studyTrial, trainingArguments, type TrainingFlags, addOnErrorOption, onErrorFlag } from '@attn/cli';
import { addWindowOptions, windowFlags } from '../window_flags';
import { readSquadFile, splitByArticle } from '../squad_file';
import { evaluateSquad } from '../squad_evaluation';

/**
 * `--model` when none is given: the repository's pretrained models/attn-bert-tiny-cased (BERT-tiny with
 * bert-base-cased's vocabulary, pretrained by apps/pretrain), else bert-tiny from random weights.
 */
export const DEFAULT_MODEL = defaultModel(repoPath(import.meta.url, 'models', 'attn-bert-tiny-cased'));

/** The app's own flags; the hyperparameters are @attn/cli's shared TrainingFlags. */
export interface QaTrainFlags extends TrainingFlags {
  train: string;
  dev?: string;
  devSplitArticles?: string;
  /** Default: DEFAULT_MODEL (the bundled pretrained checkpoint). */
  model?: string;
  tokenizer?: string;
  cased?: boolean;
  out: string;
  onError: string;
  maxLength: string;
  stride: string;
  maxAnswerLength: string;
  sentencePrior?: string;
  /** How the SQuAD files are decoded: utf8 (default, strict) or latin1. */
  encoding?: string;
  /** Mark context tokens that occur in the question with a token type of their own (a new row of the type table). */
  questionMatch?: boolean;
}


export async function trainQa(flags: QaTrainFlags): Promise<{ exactMatch?: number; f1?: number; out: string }> {
  const started = performance.now();
  const onError = onErrorFlag(flags.onError);
  if (flags.dev && flags.devSplitArticles) throw new CliError('pass either --dev <file> or --dev-split-articles <n>, not both.');
  // Every flag is checked before data and model load, so a typo fails at once.
  const t = parseTrainingFlags(flags);
  const { seed, batchSize, dropout, freeze, limit, devLimit } = t;
  const { maxLength, stride, maxAnswerLength, sentencePrior } = windowFlags(flags, flags.model ?? DEFAULT_MODEL);
  const encoding = encodingFlag(flags.encoding);
  const devSplitArticles = flags.devSplitArticles ? numberFlag('dev-split-articles', flags.devSplitArticles, { int: true, min: 1 }) : undefined;
  const resume = await resolveResume(flags.resume, flags.out);
  const backend = await startBackend(flags.backend);

  let train = await readSquadFile(flags.train, onError, 0, encoding);
  let dev: QaExample[] | undefined;
  if (flags.dev) dev = await readSquadFile(flags.dev, onError, 0, encoding);
  else if (devSplitArticles) ({ train, dev } = splitByArticle(train, devSplitArticles, flags.train));
  if (limit > 0) train = train.slice(0, limit);
  if (dev && devLimit > 0) dev = dev.slice(0, devLimit);

  const { model, tokenizer, from } = await loadModelSource(flags.model ?? DEFAULT_MODEL, {
    task: 'question-answering',
    tokenizer: flags.tokenizer,
    defaultTokenizer: repoPath(import.meta.url, 'fixtures', 'tokenizers', 'bert-base-uncased', 'tokenizer.json'),
    lowercase: !flags.cased,
    dropout,
    seed,
  });
  // A model trained with the question-match type keeps it (config.json question_match_type_id); --question-match adds it.
  let matchType = questionMatchTypeId(model.config, `${from}/config.json`);
  if (flags.questionMatch && matchType === undefined) {
    matchType = addTokenType(model);
    model.config.extra[QUESTION_MATCH_CONFIG_KEY] = matchType;
  }
  // --sentence-prior is saved with the model (task_specific_params), so eval, predict and the pipeline use it; without
  // the flag a model that has one keeps it.
  if (sentencePrior !== undefined) setSentencePriorWeight(model.config, sentencePrior);
  const prior = sentencePriorWeight(model.config, `${from}/config.json`);
  const trainable = freezeStrategy(model, freeze);
  const log = (s: string) => flags.quiet || process.stderr.write(s + '\n');
  const featureOpts = { maxLength, stride, questionMatchTypeId: matchType };
  const trainFeatures = prepareQaTrainFeatures(tokenizer, train, featureOpts);
  const devFeatures = dev ? prepareQaEvalFeatures(tokenizer, dev, featureOpts) : undefined;
  log(
    `backend ${backend}; model ${from}; ${train.length} train questions (${trainFeatures.length} windows of ${maxLength}, stride ${stride}) / ` +
      `${dev?.length ?? 0} dev questions (${devFeatures?.length ?? 0} windows)` +
      (matchType === undefined ? '' : `; context tokens found in the question get token type ${matchType}`) +
      (prior > 0 ? `; sentence prior ${prior}` : '') +
      (trainable.length < model.namedParameters().length ? `; ${model.namedParameters().length - trainable.length} tensors frozen` : ''),
  );

  mkdirSync(flags.out, { recursive: true });
  const logFile = join(flags.out, 'log.jsonl');
  const collate = qaCollator({ padTokenId: tokenizer.padTokenId ?? 0 });
  const trainLoader = new DataLoader(new ArrayDataset(trainFeatures), { batchSize, shuffle: true, seed, collate });
  const callbacks: TrainerCallback[] = [new JsonlLoggerCallback(logFile)];
  if (!flags.quiet) callbacks.push(new ProgressCallback());
  // SQuAD EM / F1 after every epoch (scored per question after post-processing, which the Trainer's own
  // evaluation cannot do), with early stopping on F1: the saved model is then the one `final` reports.
  // Started by `attn-qa tune`: dev F1 reported to the study after every epoch; it may prune the run.
  const trial = dev ? studyTrial('f1') : undefined;
  const squadEval = dev && devFeatures
    ? new EpochEvaluationCallback({
        evaluate: () => {
          const r = evaluateSquad(model, tokenizer, dev, devFeatures, { maxAnswerLength });
          return { exact_match: r.exactMatch, f1: r.f1 };
        },
        metric: 'f1',
        patience: t.patience,
        logFile,
        report: (e) => log(`\nepoch ${e.epoch.toFixed(2)}: dev EM ${e.exact_match.toFixed(2)}  F1 ${e.f1.toFixed(2)} (${dev.length} questions)`),
        listeners: trial ? [trial.callback] : [],
      })
    : undefined;
  if (squadEval) callbacks.push(squadEval);
  if (resume) log(`resuming from ${resume}`);
  const { trainer, output: result } = await runTraining(
    {
      model,
      args: { ...trainingArguments(t, flags.out), evalStrategy: 'no', loggingStrategy: 'steps', loggingSteps: t.loggingSteps, disableTqdm: !process.stderr.isTTY },
      trainDataLoader: trainLoader,
      callbacks,
    },
    resume,
  );

  if (trial?.stopIfPruned(model, trainer.state.epoch, log)) return { out: flags.out };
  await saveTrained(model, tokenizer, flags.out);
  const final = squadEval?.final;
  const history = trainer.state.logHistory;
  writeFileDurableSync(join(flags.out, 'loss.svg'), trainingCurvesSvg(history, { curves: [{ key: 'loss', name: 'train loss' }], title: 'QA training loss', yLabel: 'loss' }));
  if (squadEval && squadEval.history.length > 0) {
    // SquadEvalCallback logs each epoch's scores into the history as eval_exact_match / eval_f1.
    const curves = [{ key: 'eval_exact_match', name: 'dev EM' }, { key: 'eval_f1', name: 'dev F1' }];
    writeFileDurableSync(join(flags.out, 'squad.svg'), trainingCurvesSvg(history, { curves, x: 'epoch', title: 'SQuAD dev EM / F1 per epoch', yLabel: 'percent' }));
  }
  const wallSeconds = (performance.now() - started) / 1000;
  writeFileDurableSync(
    join(flags.out, 'train_results.json'),
    JSON.stringify({ backend, model: from, trainQuestions: train.length, trainWindows: trainFeatures.length, devQuestions: dev?.length ?? 0, maxLength, stride, ...result.metrics, globalStep: result.globalStep, epochs: squadEval?.history ?? [], final, wallSeconds }, null, 2) + '\n',
  );
  model.dispose();
  if (!flags.quiet) {
    if (final) process.stdout.write(`dev EM ${final.exact_match.toFixed(2)}  F1 ${final.f1.toFixed(2)} on ${dev!.length} questions\n`);
    process.stdout.write(`saved model, tokenizer.json, log.jsonl, train_results.json, loss.svg to ${flags.out} (${wallSeconds.toFixed(1)} s)\n`);
  }
  trial?.finish(final?.f1);
  return { exactMatch: final?.exact_match, f1: final?.f1, out: flags.out };
}

export function registerTrain(program: Command): void {
  const cmd = program
    .command('train')
    .description('fine-tune (or train from scratch) a BERT extractive-QA model on SQuAD-format JSON')
    .requiredOption('--train <file>', 'SQuAD v1.1 JSON')
    .option('--dev <file>', 'SQuAD JSON scored (EM / F1) after every epoch')
    .option('--dev-split-articles <n>', 'instead of --dev: hold out the last n articles of --train as dev')
    .option('--model <dir|preset>', 'HF-format model directory, or a preset (bert-tiny, bert-mini, ...) to start from random weights (default: the bundled pretrained models/attn-bert-tiny-cased, or bert-tiny from random weights without it)')
    .option('--tokenizer <file>', 'vocab.txt or tokenizer.json (default for presets: fixtures/tokenizers/bert-base-uncased/tokenizer.json)')
    .option('--cased', 'do not lower-case (only for a vocab.txt tokenizer)')
    .option('--question-match', 'give context tokens that also occur in the question a token type of their own (DrQA\'s exact-match feature; adds a row to the type table, saved as config.json question_match_type_id)')
    .requiredOption('--out <dir>', 'where the model, tokenizer.json, log.jsonl and charts go');
  addOnErrorOption(addWindowOptions(cmd), 'answers not at their offset and other bad questions');
  // lr 1e-3: measured for the default model (docs/default-learning-rates.md); HF's 5e-5 barely moves BERT-tiny in 2 epochs.
  addEncodingOption(addTrainingOptions(cmd, { unit: 'windows', limitUnit: 'questions', batchSize: '16', epochs: '2', lr: '1e-3' })).action((opts: QaTrainFlags) => runCommand(async () => void (await trainQa(opts))));
}
