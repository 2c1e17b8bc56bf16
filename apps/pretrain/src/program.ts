import { join } from 'node:path';
import { Command } from 'commander';
import { runCommand } from '@attn/cli';
import { addPretrainOptions, collect, REPO_ROOT } from './pretrain_flags';
import { trainCommand } from './commands/train';
import { evalCommand, exportCommand } from './commands/export';
import { vocabCommand } from './commands/vocab';
import { plotCommand } from './commands/plot';
import { compareCommand } from './commands/compare';

/** The `attn-pretrain` command tree; cli.ts runs it, tests call parseAsync on a fresh one. */
export function createProgram(configure?: (program: Command) => void): Command {
  const program = new Command('attn-pretrain')
    .description('Pretrain a Transformer from scratch on a book corpus: masked-LM BERT or causal-LM GPT-2 / Llama, resumable, exported as an HF directory (attn app).')
    .showHelpAfterError();
  configure?.(program);

  addPretrainOptions(program.command('train').description('pretrain (or resume: rerun the same command) into --output-dir'))
    .action((flags) => runCommand(async () => void (await trainCommand(flags))));

  addPretrainOptions(program.command('export').description('the newest checkpoint of --output-dir as an HF model directory (same data and tokenizer flags as train)'))
    .argument('<dir>', 'where the model goes')
    .action((dir: string, flags) => runCommand(async () => void (await exportCommand(dir, flags))));

  addPretrainOptions(program.command('eval').description('held-out loss of the newest checkpoint of --output-dir, one JSON line'))
    .action((flags) => runCommand(async () => void (await evalCommand(flags))));

  program
    .command('vocab')
    .description('train a WordPiece vocabulary on the pretraining text: tokenizer.json + vocab.txt')
    .requiredOption('--out <dir>', 'where tokenizer.json and vocab.txt go')
    .option('--corpus <dir>', 'folder of Project Gutenberg .txt books (default ../shared/data/corpus/gutenberg)')
    .option('--holdout <prefix>', 'the held-out book, left out (default pg84)')
    .option('--extra <file>', 'more text, repeatable (as train)', collect)
    .option('--squad-dev-articles <n>', '(default 6)')
    .option('--max-books <n>', 'only the first n books')
    .option('--vocab-size <n>', '(default 8192)')
    .option('--min-frequency <n>', '(default 2)')
    .option('--limit-alphabet <n>', '(default 1000)')
    .option('--cased', 'keep case and accents')
    .action((flags) => runCommand(async () => void (await vocabCommand(flags, { corpus: join(REPO_ROOT, '..', 'shared', 'data', 'corpus', 'gutenberg') }))));

  program
    .command('plot')
    .description('loss and accuracy curves (SVG) of a run from its log.jsonl and eval.jsonl')
    .requiredOption('--output-dir <dir>', 'the run')
    .requiredOption('--svg-dir <dir>', 'where <prefix>-loss.svg and <prefix>-accuracy.svg go')
    .option('--batch-size <n>', 'the run\'s batch size, for tokens seen (default 32)')
    .option('--seq-len <n>', 'the run\'s segment length (default 128)')
    .option('--title <text>', 'the loss chart\'s title')
    .option('--also <label=eval.jsonl>', 'another run\'s held-out curve, repeatable', collect)
    .option('--prefix <name>', 'file-name prefix (default pretrain)')
    .option('--name <label>', 'this run\'s label when --also adds others (default "this run")')
    .action((flags) => runCommand(async () => void (await plotCommand(flags))));

  program
    .command('compare')
    .description('fine-tune SST-2 / CoNLL-2003 / SQuAD from a checkpoint and from random weights of the same size and tokenizer; one table (a measurement, minutes to hours)')
    .requiredOption('--model <dir>', 'the pretrained HF directory (config.json, tokenizer.json)')
    .option('--tasks <list>', 'sst2-4k, sst2-full, conll, squad (default sst2-4k,conll,squad)')
    .option('--inits <list>', 'pretrained, random (default both)')
    .option('--out <dir>', 'the runs and results.json (default runs/compare, git-ignored)')
    .option('--conll-epochs <n>', '(default 3)')
    .option('--squad-epochs <n>', '(default 2)')
    .option('--squad-max-length <n>', 'window length; 128 uses only positions pretraining trained (default 384)')
    .option('--sst2-epochs <n>', 'sst2-full epochs (default 2)')
    .option('--lr <number>', 'override every task\'s learning rate')
    .option('--seed <n>', 'fine-tuning seed (default 42)')
    .action((flags) => runCommand(async () => void (await compareCommand(flags))));

  return program;
}
