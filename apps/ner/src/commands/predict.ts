import type { Command } from 'commander';
import { AGGREGATION_STRATEGIES, pipeline, type AggregationStrategy, type Entity } from '@attn/pipelines';
import { INT8_FLAG_HELP, addEncodingOption, assertTrainedModelDir, backendOption, CliError, encodingFlag, maxLengthFlag, predictTexts, runCommand, startBackend } from '@attn/cli';
import { highlightEntities } from '../highlight';

export interface NerPredictFlags {
  model: string;
  file?: string;
  aggregation: string;
  json?: boolean;
  color?: boolean;
  maxLength: string;
  /** How --file or standard input is decoded: utf8 (default, strict) or latin1. */
  encoding?: string;
  backend?: string;
  /** Dynamic int8 quantization of the Linear layers after loading. */
  int8?: boolean;
}

export async function predictNer(args: string[], flags: NerPredictFlags): Promise<Array<{ text: string; entities: Entity[] }>> {
  if (!(AGGREGATION_STRATEGIES as readonly string[]).includes(flags.aggregation)) {
    throw new CliError(`--aggregation must be one of ${AGGREGATION_STRATEGIES.join(', ')}; got ${JSON.stringify(flags.aggregation)}.`);
  }
  assertTrainedModelDir(flags.model, 'token-classification', 'ner');
  // Longer texts are split into windows of at most the model's positions: no upper bound to check.
  const maxLength = maxLengthFlag(flags.maxLength);
  const texts = await predictTexts(args, { file: flags.file, encoding: encodingFlag(flags.encoding), verb: 'tag' });
  await startBackend(flags.backend);
  const ner = await pipeline('ner', flags.model, { aggregationStrategy: flags.aggregation as AggregationStrategy, maxLength, int8: flags.int8 });
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
  const cmd = program
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
    .option('--int8', INT8_FLAG_HELP)
    .addOption(backendOption());
  addEncodingOption(cmd).action((texts: string[], opts: NerPredictFlags) => runCommand(async () => void (await predictNer(texts, opts))));
}
