import { Command } from 'commander';
import { resolveTrainConfig, TRAIN_DEFAULTS, type ClassifyTrainFlags } from './train_config';
import { INT8_FLAG_HELP, addEncodingOption, addTrainingOptions, backendOption, numberFlag, registerExportCommand, runCommand } from '@attn/cli';
import { train } from './commands/train';
import { evaluate } from './commands/evaluate';
import { predict } from './commands/predict';
import { demo } from './commands/demo';
import { registerServe } from './commands/serve';
import { registerTune } from './commands/tune';
import { CLASSIFIER_DIR_MESSAGES } from './model_source';

/**
 * The `attn-classify` command tree; cli.ts runs it, tests call parseAsync on a fresh one.
 * `configure` runs before the subcommands are added, so they inherit it (tests: exitOverride, configureOutput).
 */
export function createProgram(configure?: (program: Command) => void): Command {
  const program = new Command('attn-classify')
    .description('Fine-tune, evaluate and use a BERT text classifier (attn sample app).')
    .showHelpAfterError();
  configure?.(program);

  const trainCommand = program
    .command('train')
    .description('fine-tune a classifier and save it in HF format')
    .option('--train <file>', 'training data: .tsv (GLUE), .csv or .jsonl (required)')
    .option('--dev <file>', 'dev data, evaluated after every epoch (early stopping watches its accuracy)')
    .option('--test <file>', 'test data, reported at the end')
    .option('--model <dir|preset>', 'HF model directory, or bert-tiny | bert-mini | bert-small | bert-medium | bert-base to start from random weights (default: the bundled pretrained models/attn-bert-tiny)')
    .option('--tokenizer <file>', 'vocab.txt or tokenizer.json (for a preset; default: bundled bert-base-uncased vocab)')
    .option('--out <dir>', 'where the model, reports and log go (required)')
    .option('--text-column <name>', 'text column / JSON field', TRAIN_DEFAULTS.textColumn)
    .option('--text-pair-column <name>', 'second text column for pair tasks')
    .option('--label-column <name>', 'label column / JSON field', TRAIN_DEFAULTS.labelColumn)
    .option('--label-names <names>', 'comma-separated names for the label values 0, 1, ... (GLUE files hold ids), e.g. negative,positive: config.json\'s id2label, predict and the reports use them')
    .option('--scheduler <name>', 'linear | cosine | constant_with_warmup | constant', TRAIN_DEFAULTS.scheduler)
    .option('--lora-rank <n>', 'train LoRA adapters of this rank (query, value) and the head only (0 = off)', String(TRAIN_DEFAULTS.loraRank))
    .option('--max-length <n>', 'tokens per text', String(TRAIN_DEFAULTS.maxLength));
  // The hyperparameters, checkpoints and --config are @attn/cli's shared training flags, as in ner and qa.
  addEncodingOption(
    addTrainingOptions(trainCommand, {
      unit: 'sentences',
      batchSize: String(TRAIN_DEFAULTS.batchSize),
      epochs: String(TRAIN_DEFAULTS.epochs),
      lr: String(TRAIN_DEFAULTS.lr),
      loggingSteps: null,
      loggingStepsHelp: 'a tenth of an epoch',
    }),
  ).action((flags: ClassifyTrainFlags) => runCommand(async () => void (await train(resolveTrainConfig(flags), flags.quiet ? () => {} : undefined))));

  program
    .command('eval')
    .description('evaluate a saved model on a labelled file: classification report and confusion matrix')
    .requiredOption('--model <dir>', 'model directory')
    .requiredOption('--data <file>', 'labelled .tsv, .csv or .jsonl')
    .option('--text-column <name>', 'text column', TRAIN_DEFAULTS.textColumn)
    .option('--text-pair-column <name>', 'second text column')
    .option('--label-column <name>', 'label column', TRAIN_DEFAULTS.labelColumn)
    .option('--max-length <n>', "tokens per text (at most the model's max_position_embeddings)", String(TRAIN_DEFAULTS.maxLength))
    .option('--int8', INT8_FLAG_HELP)
    .addOption(backendOption());
  addEncodingOption(program.commands.at(-1)!).action((flags) => runCommand(async () => void (await evaluate(flags))));

  program
    .command('predict')
    .description('label new texts (arguments, --file, or lines on standard input)')
    .requiredOption('--model <dir>', 'model directory')
    .argument('[texts...]', 'texts to classify')
    .option('--file <file>', "one text per line ('-' for standard input)")
    .option('--json', 'one JSON object per line')
    .option('--max-length <n>', "tokens per text (at most the model's max_position_embeddings)", String(TRAIN_DEFAULTS.maxLength))
    .option('--int8', INT8_FLAG_HELP)
    .addOption(backendOption());
  addEncodingOption(program.commands.at(-1)!).action((texts: string[], flags) => runCommand(async () => void (await predict({ ...flags, texts }))));

  program
    .command('demo')
    .description('the README main job: train on bundled SST-2 sentences, report on SST-2 dev, predict two sentences')
    .option('--out <dir>', 'where to save the model (default: a folder in the OS temp dir)')
    .option('--epochs <n>', 'epochs (default 4)')
    .addOption(backendOption())
    .action((flags) => runCommand(() => demo({ ...flags, epochs: flags.epochs === undefined ? undefined : numberFlag('epochs', flags.epochs, { min: 0.01 }) })));

  registerServe(program, backendOption);
  registerTune(program);
  registerExportCommand(program, { app: 'classify', task: 'sequence-classification', modelDirMessages: CLASSIFIER_DIR_MESSAGES });
  return program;
}
