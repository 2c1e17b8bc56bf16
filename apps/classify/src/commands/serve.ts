import { initBackend } from '@attn/tensor';
import { pipeline } from '@attn/pipelines';
import { closeOnSignal, createServer, textClassificationPredictor } from '@attn/serve';
import { assertModelDir } from '../model_source';
import { CliError } from '../cli_error';

export interface ServeCommandOptions {
  model: string;
  host: string;
  port: number;
  maxBatchSize: number;
  batchWindowMs: number;
  maxTextLength: number;
  maxBatchItems: number;
  maxLength: number;
  backend?: string;
}

/** `attn-classify serve`: the model behind POST /predict until SIGTERM or SIGINT. */
export async function serve(opts: ServeCommandOptions, print: (s: string) => void = (s) => console.log(s)): Promise<void> {
  assertModelDir(opts.model);
  await initBackend({ backend: opts.backend as never });
  const pipe = await pipeline('text-classification', opts.model, { maxLength: opts.maxLength });
  try {
    let server;
    let url: string;
    try {
      server = createServer(textClassificationPredictor(pipe), opts);
      ({ url } = await server.listen());
    } catch (e) {
      const err = e as Error & { code?: string };
      if (err.code === 'EADDRINUSE') throw new CliError(`--port ${opts.port}: already in use; pick another port, or --port 0 for any free one.`);
      if (err.name === 'ServeOptionsError') throw new CliError(err.message);
      throw e;
    }
    print(`serving ${opts.model} at ${url} (POST /predict, GET /health, GET /model); Ctrl-C or SIGTERM stops it`);
    const signal = await closeOnSignal(server);
    print(`${signal}: finished in-flight requests, stopped`);
  } finally {
    pipe.dispose();
  }
}
