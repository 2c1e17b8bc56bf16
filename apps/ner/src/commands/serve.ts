import type { Command } from 'commander';
import { AGGREGATION_STRATEGIES, pipeline, type AggregationStrategy } from '@attn/pipelines';
import { tokenClassificationPredictor } from '@attn/serve';
import { assertTrainedModelDir, CliError, maxLengthFlag, registerServeCommand, type ServeFlags } from '@attn/cli';

export interface NerServeFlags extends ServeFlags {
  aggregation: string;
  maxLength: string;
}

/** `attn-ner serve`: the tagger behind POST /predict until SIGTERM or SIGINT. */
export function registerServe(program: Command): void {
  registerServeCommand<NerServeFlags>(program, {
    description: 'serve the tagger over HTTP: POST /predict {"text"} or {"inputs": [...]} (same JSON as predict --json), GET /health, GET /model',
    items: 'texts',
    options: (command) =>
      command
        .option('--aggregation <strategy>', `how sub-tokens become entities: ${AGGREGATION_STRATEGIES.join(', ')}`, 'first')
        .option('--max-length <n>', 'tokens per window; longer texts are split into overlapping windows', '512'),
    validate: (flags) => {
      if (!(AGGREGATION_STRATEGIES as readonly string[]).includes(flags.aggregation)) {
        throw new CliError(`--aggregation must be one of ${AGGREGATION_STRATEGIES.join(', ')}; got ${JSON.stringify(flags.aggregation)}.`);
      }
      assertTrainedModelDir(flags.model, 'token-classification', 'ner');
      maxLengthFlag(flags.maxLength);
    },
    makePredictor: async (flags) => {
      const ner = await pipeline('ner', flags.model, { aggregationStrategy: flags.aggregation as AggregationStrategy, maxLength: maxLengthFlag(flags.maxLength), int8: flags.int8 });
      return { predictor: tokenClassificationPredictor(ner), dispose: () => ner.dispose() };
    },
  });
}
