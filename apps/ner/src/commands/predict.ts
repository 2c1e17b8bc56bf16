import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { initBackend, type BackendName } from '@attn/tensor';
import { AGGREGATION_STRATEGIES, pipeline, type AggregationStrategy, type Entity } from '@attn/pipelines';
import { assertModelDir, assertModelTask, CliError, presetModelDirMessages, readStdin, runCommand } from '@attn/cli';
import { highlightEntities } from '../highlight';

export interface NerPredictFlags {
  model: string;
  file?: string;
  aggregation: string;
  json?: boolean;
  color?: boolean;
  maxLength: string;
  backend?: string;
}

/** Texts from arguments, else --file (one per line), else stdin (one per line). */
async function inputTexts(args: string[], file?: string): Promise<string[]> {
  if (args.length > 0) return args;
  const raw = file ? readFileSync(file, 'utf8') : process.stdin.isTTY ? '' : await readStdin();
  const texts = raw.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (texts.length === 0) throw new CliError(`no text to tag: pass texts as arguments, --file <one text per line>, or pipe them on stdin.`);
  return texts;
}

export async function predictNer(args: string[], flags: NerPredictFlags): Promise<Array<{ text: string; entities: Entity[] }>> {
  if (!(AGGREGATION_STRATEGIES as readonly string[]).includes(flags.aggregation)) {
    throw new CliError(`--aggregation must be one of ${AGGREGATION_STRATEGIES.join(', ')}; got ${JSON.stringify(flags.aggregation)}.`);
  }
  assertModelDir(flags.model, presetModelDirMessages(flags.model));
  assertModelTask(flags.model, 'token-classification', 'ner');
  const texts = await inputTexts(args, flags.file);
  await initBackend({ backend: flags.backend as BackendName | undefined });
  const ner = await pipeline('ner', flags.model, { aggregationStrategy: flags.aggregation as AggregationStrategy, maxLength: Number(flags.maxLength) });
  try {
    const results = ner.predict(texts).map((entities, i) => ({ text: texts[i]!, entities }));
    const color = flags.color ?? process.stdout.isTTY === true;
    for (const r of results) {
      if (flags.json) process.stdout.write(JSON.stringify(r) + '\n');
      else process.stdout.write(highlightEntities(r.text, r.entities, color) + '\n');
    }
    return results;
  } finally {
    ner.dispose();
  }
}

export function registerPredict(program: Command): void {
  program
    .command('predict')
    .description('tag entities in texts (arguments, --file, or stdin): highlighted text, or JSON with character offsets')
    .argument('[texts...]', 'texts to tag')
    .requiredOption('--model <dir>', 'trained model directory')
    .option('--file <file>', 'one text per line')
    .option('--aggregation <strategy>', `how sub-tokens become entities: ${AGGREGATION_STRATEGIES.join(', ')}`, 'first')
    .option('--json', 'one JSON object per text: {text, entities: [{entity, score, word, start, end}]}')
    .option('--color', 'force ANSI colours (default: when stdout is a terminal)')
    .option('--no-color', 'plain [span]TYPE markup')
    .option('--max-length <n>', 'tokens per window; longer texts are split into overlapping windows', '512')
    .option('--backend <name>', 'wasm or cpu (default: the best available)')
    .action((texts: string[], opts: NerPredictFlags) => runCommand(async () => void (await predictNer(texts, opts))));
}
