import { Command } from 'commander';
import { backendOption, runCommand } from '@attn/cli';
import { generateCommand } from './commands/generate';
import { evaluateCommand } from './commands/evaluate';
import { trainCommand } from './commands/train';
import { serveCommand } from './commands/serve';

/** The `attn-generate` command tree; cli.ts runs it, tests call parseAsync on a fresh one. */
export function createProgram(configure?: (program: Command) => void): Command {
  const program = new Command('attn-generate')
    .description('Fine-tune a causal language model (GPT-2 or Llama family), measure its perplexity and generate text (attn sample app).')
    .showHelpAfterError();
  configure?.(program);

  program
    .command('train')
    .description('causal-LM fine-tuning (--model) or pretraining from scratch (--config, --tokenizer) on a text corpus; saves an HF model directory')
    .option('--model <dir>', 'HF model directory with a causal-LM head (GPT2LMHeadModel, LlamaForCausalLM) and tokenizer.json')
    .option('--config <file>', 'from scratch: an HF config.json (model_type gpt2 or llama) to initialise; the initial weights go to <out>/init')
    .option('--tokenizer <file>', 'from scratch: the tokenizer.json to use (its vocabulary must fit vocab_size)')
    .requiredOption('--data <file>', 'corpus: .txt (one text per line) or .jsonl (see --text-field)')
    .requiredOption('--out <dir>', 'where the fine-tuned model goes')
    .option('--dev <file>', 'held-out corpus (default: the last --validation-split of the training blocks)')
    .option('--validation-split <fraction>', 'held-out share of the blocks when no --dev (default 0.05)')
    .option('--text-field <name>', 'JSON field of a .jsonl corpus (default text)')
    .option('--block-size <n>', 'tokens per training block (default min(128, context))')
    .option('--batch-size <n>', '(default 8)')
    .option('--epochs <n>', '(default 3)')
    .option('--max-steps <n>', 'stop after this many updates (overrides --epochs)')
    .option('--logging-steps <n>', 'training loss logged every n updates (default a tenth of the run)')
    .option('--lr <number>', 'AdamW learning rate, linear decay (default 5e-4)')
    .option('--lora-rank <n>', 'train LoRA adapters of this rank on every projection, merged on save (default 0 = full fine-tuning)')
    .option('--patience <n>', 'early stopping: epochs without held-out improvement (default 2)')
    .option('--seed <n>', '(default 42)')
    .addOption(backendOption())
    .action((flags) => runCommand(async () => void (await trainCommand(flags))));

  program
    .command('eval')
    .description('perplexity of a causal LM on a corpus')
    .requiredOption('--model <dir>', 'model directory')
    .requiredOption('--data <file>', '.txt or .jsonl corpus')
    .option('--text-field <name>', 'JSON field of a .jsonl corpus (default text)')
    .option('--block-size <n>', 'tokens per block (default min(128, context))')
    .option('--batch-size <n>', '(default 8)')
    .addOption(backendOption())
    .action((flags) => runCommand(async () => void (await evaluateCommand(flags))));

  program
    .command('generate')
    .description('continue prompts; one prompt streams its tokens as they come')
    .option('--model <dir>', 'model directory (default: models/attn-gpt2-tiny, a small GPT pretrained by attn on Project Gutenberg)')
    .argument('<prompts...>', 'prompt text(s); several are batched with left padding')
    .option('--max-new-tokens <n>', 'tokens to add at most (default 50)')
    .option('--do-sample', 'sample instead of greedy decoding')
    .option('--temperature <t>', 'sampling temperature (default 1)')
    .option('--top-k <k>', 'sample among the k most likely tokens (default off)')
    .option('--top-p <p>', 'nucleus sampling mass (default 1 = off)')
    .option('--repetition-penalty <p>', '> 1 discourages repeats (default 1)')
    .option('--num-beams <n>', 'beam search width (default 1)')
    .option('--length-penalty <x>', 'beam scores / length^x (default 1)')
    .option('--num-return-sequences <n>', 'beam search: sequences per prompt (default 1)')
    .option('--seed <n>', 'sampling seed')
    .option('--stop <strings...>', 'stop a sequence once its text contains one of these')
    .option('--no-stream', 'print when done instead of token by token')
    .addOption(backendOption())
    .action((prompts: string[], flags) => runCommand(async () => void (await generateCommand({ ...flags, prompts }))));

  program
    .command('serve')
    .description('POST /generate: JSON, or server-sent events with "stream": true; GET /health')
    .option('--model <dir>', 'model directory (default: the bundled models/attn-gpt2-tiny)')
    .option('--host <host>', 'interface to listen on (default 127.0.0.1)')
    .option('--port <n>', 'port (default 8080; 0 = any free port)')
    .option('--max-new-tokens <n>', 'default of requests that do not set maxNewTokens (default 50)')
    .addOption(backendOption())
    .action((flags) => runCommand(async () => void (await serveCommand(flags))));

  return program;
}
