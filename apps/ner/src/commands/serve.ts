import type { Command } from 'commander';
import { initBackend, type BackendName } from '@attn/tensor';
import { AGGREGATION_STRATEGIES, pipeline, type AggregationStrategy } from '@attn/pipelines';
import { closeOnSignal, createServer, tokenClassificationPredictor, type PredictionServer } from '@attn/serve';
import { CliError, runCommand } from '../cli_error';
import { checkModelDir } from '../model_source';

export interface NerServeFlags {
  model: string;
  host: string;
  port: string;
  maxBatchSize: string;
  batchWindowMs: string;
  maxTextLength: string;
  maxBatchItems: string;
  aggregation: string;
  maxLength: string;
  backend?: string;
}

/** `attn-ner serve`: the tagger behind POST /predict until SIGTERM or SIGINT. */
export async function serveNer(flags: NerServeFlags): Promise<void> {
  if (!(AGGREGATION_STRATEGIES as readonly string[]).includes(flags.aggregation)) {
    throw new CliError(`--aggregation must be one of ${AGGREGATION_STRATEGIES.join(', ')}; got ${JSON.stringify(flags.aggregation)}.`);
  }
  checkModelDir(flags.model);
  await initBackend({ backend: flags.backend as BackendName | undefined });
  const ner = await pipeline('ner', flags.model, { aggregationStrategy: flags.aggregation as AggregationStrategy, maxLength: Number(flags.maxLength) });
  try {
    let server: PredictionServer;
    let url: string;
    try {
      server = createServer(tokenClassificationPredictor(ner), {
        host: flags.host,
        port: Number(flags.port),
        maxBatchSize: Number(flags.maxBatchSize),
        batchWindowMs: Number(flags.batchWindowMs),
        maxTextLength: Number(flags.maxTextLength),
        maxBatchItems: Number(flags.maxBatchItems),
      });
      ({ url } = await server.listen());
    } catch (e) {
      const err = e as Error & { code?: string };
      if (err.code === 'EADDRINUSE') throw new CliError(`--port ${flags.port}: already in use; pick another port, or --port 0 for any free one.`);
      if (err.name === 'ServeOptionsError') throw new CliError(err.message);
      throw e;
    }
    process.stdout.write(`serving ${flags.model} at ${url} (POST /predict, GET /health, GET /model); Ctrl-C or SIGTERM stops it\n`);
    const signal = await closeOnSignal(server);
    process.stdout.write(`${signal}: finished in-flight requests, stopped\n`);
  } finally {
    ner.dispose();
  }
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the tagger over HTTP: POST /predict {"text"} or {"inputs": [...]} (same JSON as predict --json), GET /health, GET /model')
    .requiredOption('--model <dir>', 'trained model directory')
    .option('--host <host>', 'interface to bind (0.0.0.0 exposes it beyond this machine)', '127.0.0.1')
    .option('--port <n>', 'port (0 = any free port)', '8080')
    .option('--max-batch-size <n>', 'most texts merged into one model call (1 = no dynamic batching)', '32')
    .option('--batch-window-ms <ms>', 'how long a request waits for others to join its batch', '5')
    .option('--max-text-length <n>', 'longest accepted text, in characters', '10000')
    .option('--max-batch-items <n>', 'most texts in one request', '128')
    .option('--aggregation <strategy>', `how sub-tokens become entities: ${AGGREGATION_STRATEGIES.join(', ')}`, 'first')
    .option('--max-length <n>', 'tokens per window; longer texts are split into overlapping windows', '512')
    .option('--backend <name>', 'wasm or cpu (default: the best available)')
    .action((opts: NerServeFlags) => runCommand(() => serveNer(opts)));
}
