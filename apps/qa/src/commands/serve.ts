import type { Command } from 'commander';
import { initBackend, type BackendName } from '@attn/tensor';
import { pipeline } from '@attn/pipelines';
import { closeOnSignal, createServer, questionAnsweringPredictor, type PredictionServer } from '@attn/serve';
import { CliError, runCommand } from '../cli_error';
import { checkModelDir } from '../model_source';

export interface QaServeFlags {
  model: string;
  host: string;
  port: string;
  maxBatchSize: string;
  batchWindowMs: string;
  maxTextLength: string;
  maxBatchItems: string;
  topK: string;
  maxLength: string;
  stride: string;
  maxAnswerLength: string;
  backend?: string;
}

/** `attn-qa serve`: the reader behind POST /predict until SIGTERM or SIGINT. */
export async function serveQa(flags: QaServeFlags): Promise<void> {
  const topK = Number(flags.topK);
  if (!Number.isInteger(topK) || topK < 1) throw new CliError(`--top-k must be a positive integer; got ${JSON.stringify(flags.topK)}.`);
  checkModelDir(flags.model);
  await initBackend({ backend: flags.backend as BackendName | undefined });
  const qa = await pipeline('question-answering', flags.model, { maxLength: Number(flags.maxLength), stride: Number(flags.stride), maxAnswerLength: Number(flags.maxAnswerLength) });
  try {
    let server: PredictionServer;
    let url: string;
    try {
      server = createServer(questionAnsweringPredictor(qa, { topK }), {
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
    qa.dispose();
  }
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the reader over HTTP: POST /predict {"question","context"} or {"inputs": [...]} (same JSON as predict --json), GET /health, GET /model')
    .requiredOption('--model <dir>', 'trained model directory')
    .option('--host <host>', 'interface to bind (0.0.0.0 exposes it beyond this machine)', '127.0.0.1')
    .option('--port <n>', 'port (0 = any free port)', '8080')
    .option('--max-batch-size <n>', 'most questions merged into one model call (1 = no dynamic batching)', '32')
    .option('--batch-window-ms <ms>', 'how long a request waits for others to join its batch', '5')
    .option('--max-text-length <n>', 'longest accepted question or context, in characters', '10000')
    .option('--max-batch-items <n>', 'most questions in one request', '128')
    .option('--top-k <n>', 'answers per question, best first (an array when > 1)', '1')
    .option('--max-length <n>', 'tokens per window', '384')
    .option('--stride <n>', 'tokens shared by consecutive windows', '128')
    .option('--max-answer-length <n>', 'longest answer in tokens', '30')
    .option('--backend <name>', 'wasm or cpu (default: the best available)')
    .action((opts: QaServeFlags) => runCommand(() => serveQa(opts)));
}
