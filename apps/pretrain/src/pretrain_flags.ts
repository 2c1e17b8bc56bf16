import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Option, type Command } from 'commander';
import { backendOption, CliError, numberFlag } from '@attn/cli';
import type { Objective } from './pretrain_model';

/** The repository root (src/ and dist/ both sit one level under apps/pretrain). */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const DEFAULT_CORPUS = join(REPO_ROOT, '..', 'shared', 'data', 'corpus', 'gutenberg');
const DEFAULT_VOCAB = join(REPO_ROOT, 'fixtures', 'tokenizers', 'bert-base-uncased', 'vocab.txt');

/** The run's flags as commander hands them over (train, export and eval share them). */
export interface PretrainFlags {
  objective?: string;
  outputDir?: string;
  corpus?: string;
  holdout?: string;
  vocab?: string;
  tokenizer?: string;
  cased?: boolean;
  preset?: string;
  config?: string;
  dropout?: string;
  seqLen?: string;
  batchSize?: string;
  lr?: string;
  warmupSteps?: string;
  maxSteps?: string;
  weightDecay?: string;
  saveSteps?: string;
  saveTotalLimit?: string;
  loggingSteps?: string;
  evalSteps?: string;
  evalSegments?: string;
  extra?: string[];
  squadDevArticles?: string;
  maxBooks?: string;
  maxSegments?: string;
  wholeWordMask?: boolean;
  initFrom?: string;
  tilePositions?: string;
  sinusoidalPositions?: boolean;
  maskRate?: string;
  seed?: string;
  native?: boolean;
  threads?: string;
  backend?: string;
}

/** The flags checked, with defaults. */
export interface PretrainSettings {
  objective: Objective;
  outputDir: string;
  corpus: string;
  holdout: string;
  vocab: string;
  tokenizer?: string;
  cased: boolean;
  preset?: string;
  config?: string;
  /** Undefined: the config's own dropout (a CLM run without --dropout). */
  dropout?: number;
  seqLen: number;
  batchSize: number;
  lr: number;
  warmupSteps: number;
  maxSteps: number;
  weightDecay: number;
  saveSteps: number;
  saveTotalLimit: number;
  loggingSteps: number;
  evalSteps: number;
  evalSegments: number;
  extra: string[];
  squadDevArticles: number;
  maxBooks?: number;
  maxSegments?: number;
  wholeWordMask: boolean;
  initFrom?: string;
  tilePositions?: number;
  sinusoidalPositions: boolean;
  maskRate: number;
  seed: number;
  native: boolean;
  threads?: number;
  backend?: string;
}

/** commander: a repeatable flag's values in order. */
export const collect = (v: string, all: string[] = []): string[] => [...all, v];

/** The options of train / export / eval (the former pretraining script's flags, plus --objective and --config). */
export function addPretrainOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--objective <mlm|clm>', 'masked-LM (BERT) or causal-LM (GPT-2 / Llama) pretraining').default('mlm'))
    .option('--output-dir <dir>', 'checkpoints, log.jsonl and eval.jsonl; rerunning resumes from its newest checkpoint (default runs/pretrain, git-ignored)')
    .option('--corpus <dir>', 'folder of Project Gutenberg .txt books (default ../shared/data/corpus/gutenberg)')
    .option('--holdout <prefix>', 'file-name prefix of the held-out book (default pg84, Frankenstein)')
    .option('--vocab <vocab.txt>', 'a WordPiece vocab.txt (default bert-base-uncased\'s); lower-cased unless --cased')
    .option('--tokenizer <tokenizer.json>', 'a tokenizer.json instead of --vocab (e.g. from `attn-pretrain vocab`)')
    .option('--cased', '--vocab without lower-casing (bert-base-cased\'s vocab.txt)')
    .option('--preset <name>', 'model size to start from (default bert-tiny for mlm)')
    .option('--config <preset|config.json|dir|json>', 'model config instead of --preset: a preset, a config.json (file or model directory) or inline JSON; needed for clm (GPT-2 / Llama)')
    .option('--dropout <p>', 'every dropout probability while pretraining (mlm default 0.1; clm default: the config\'s); the export keeps the config\'s for fine-tuning')
    .option('--seq-len <n>', 'tokens per segment (default 128)')
    .option('--batch-size <n>', '(default 64)')
    .option('--lr <number>', 'AdamW peak learning rate (default 1e-3)')
    .option('--warmup-steps <n>', 'linear warm-up, then linear decay to 0 at --max-steps (default 1000)')
    .option('--max-steps <n>', 'total updates; may change on resume, the schedule follows (default 6000)')
    .option('--weight-decay <x>', '(default 0.01; none on biases and LayerNorm)')
    .option('--save-steps <n>', 'updates between checkpoints (default 100)')
    .option('--save-total-limit <n>', 'checkpoints kept (default 3)')
    .option('--logging-steps <n>', '(default 10)')
    .option('--eval-steps <n>', 'updates between held-out evaluations (default 200)')
    .option('--eval-segments <n>', 'held-out segments evaluated (default 256)')
    .option('--extra <file>', 'more training text, repeatable: SST-2 .tsv, SQuAD .json (contexts), CoNLL column file, .txt (one paragraph per line)', collect)
    .option('--squad-dev-articles <n>', 'the last n articles of a SQuAD --extra are never trained on (default 6)')
    .option('--max-books <n>', 'only the first n training books (small runs)')
    .option('--max-segments <n>', 'cap the training segments (small runs)')
    .option('--whole-word-mask', 'mlm: mask whole words (word ids from the "##" continuation pieces)')
    .option('--init-from <dir>', 'a fresh run starts from these weights (a checkpoint or HF directory), e.g. after a shorter-segment phase')
    .option('--tile-positions <n>', 'with --init-from: the earlier phase\'s segment length; longer positions start as copies of its trained ones')
    .option('--sinusoidal-positions', 'start the learned position table from sin/cos values')
    .option('--mask-rate <p>', 'mlm: share of tokens predicted in training (held-out evaluation always masks 15%; default 0.15)')
    .option('--seed <n>', '(default 42)')
    .option('--no-native', 'do not load @attn/tensor-native\'s kernels')
    .option('--threads <n>', 'threads of the native kernels (default: all cores)')
    .addOption(backendOption());
}

/** Checks every flag; one-line errors name the flag. */
export function parsePretrainFlags(f: PretrainFlags): PretrainSettings {
  const objective = f.objective ?? 'mlm';
  if (objective !== 'mlm' && objective !== 'clm') throw new CliError(`--objective must be mlm or clm; got ${JSON.stringify(objective)}.`);
  const num = (flag: string, v: string | undefined, d: number, o: Parameters<typeof numberFlag>[2] = {}) => (v === undefined ? d : numberFlag(flag, v, o));
  const opt = (flag: string, v: string | undefined, o: Parameters<typeof numberFlag>[2] = {}) => (v === undefined ? undefined : numberFlag(flag, v, o));
  const int1 = { int: true, min: 1 };
  if (f.tilePositions !== undefined && !f.initFrom) throw new CliError('--tile-positions needs --init-from (the shorter phase whose positions it copies).');
  if (f.preset !== undefined && f.config !== undefined) throw new CliError('--preset and --config both name the model; pass one.');
  if (f.wholeWordMask && objective === 'clm') throw new CliError('--whole-word-mask is a masked-LM option; drop it with --objective clm.');
  return {
    objective,
    outputDir: f.outputDir ?? join('runs', 'pretrain'),
    corpus: f.corpus ?? DEFAULT_CORPUS,
    holdout: f.holdout ?? 'pg84',
    vocab: f.vocab ?? DEFAULT_VOCAB,
    tokenizer: f.tokenizer,
    cased: !!f.cased,
    preset: f.preset,
    config: f.config,
    dropout: f.dropout === undefined ? (objective === 'mlm' ? 0.1 : undefined) : numberFlag('dropout', f.dropout, { min: 0, max: 0.99 }),
    seqLen: num('seq-len', f.seqLen, 128, { int: true, min: objective === 'mlm' ? 3 : 2 }),
    batchSize: num('batch-size', f.batchSize, 64, int1),
    lr: num('lr', f.lr, 1e-3, { min: 0 }),
    warmupSteps: num('warmup-steps', f.warmupSteps, 1000, { int: true, min: 0 }),
    maxSteps: num('max-steps', f.maxSteps, 6000, int1),
    weightDecay: num('weight-decay', f.weightDecay, 0.01, { min: 0 }),
    saveSteps: num('save-steps', f.saveSteps, 100, int1),
    saveTotalLimit: num('save-total-limit', f.saveTotalLimit, 3, int1),
    loggingSteps: num('logging-steps', f.loggingSteps, 10, int1),
    evalSteps: num('eval-steps', f.evalSteps, 200, int1),
    evalSegments: num('eval-segments', f.evalSegments, 256, int1),
    extra: f.extra ?? [],
    squadDevArticles: num('squad-dev-articles', f.squadDevArticles, 6, { int: true, min: 0 }),
    maxBooks: opt('max-books', f.maxBooks, int1),
    maxSegments: opt('max-segments', f.maxSegments, int1),
    wholeWordMask: !!f.wholeWordMask,
    initFrom: f.initFrom,
    tilePositions: opt('tile-positions', f.tilePositions, { int: true, min: 1 }),
    sinusoidalPositions: !!f.sinusoidalPositions,
    maskRate: num('mask-rate', f.maskRate, 0.15, { min: 0.001, max: 0.999 }),
    seed: num('seed', f.seed, 42, { int: true }),
    native: f.native !== false,
    threads: opt('threads', f.threads, int1),
    backend: f.backend,
  };
}
