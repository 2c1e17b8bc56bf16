import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { numberFlag, startBackend } from '@attn/cli';
import { loadCausalLM } from '../causal_lm_dir';
import { generationServer } from '../generation_server';
import { defaultGenerationModel } from './generate';

export interface ServeFlags {
  /** Default: pipeline('text-generation')'s default model (models/attn-gpt2-tiny). */
  model?: string;
  host?: string;
  port?: string;
  maxNewTokens?: string;
  backend?: string;
}

/** `attn-generate serve`: POST /generate (JSON or server-sent events) until SIGTERM or SIGINT. */
export async function serveCommand(f: ServeFlags, print: (s: string) => void = (s) => console.log(s)): Promise<{ close(): Promise<void>; port: number }> {
  const port = f.port === undefined ? 8080 : numberFlag('port', f.port, { int: true, min: 0, max: 65535 });
  const defaultMaxNewTokens = f.maxNewTokens === undefined ? 50 : numberFlag('max-new-tokens', f.maxNewTokens, { int: true, min: 1 });
  const dir = f.model ?? (await defaultGenerationModel());
  await startBackend(f.backend);
  const { model, tokenizer } = await loadCausalLM(dir);
  const server = generationServer(model, tokenizer, { defaultMaxNewTokens });
  server.listen(port, f.host ?? '127.0.0.1');
  await once(server, 'listening');
  const bound = (server.address() as AddressInfo).port;
  print(`Serving ${model.architecture} from ${dir} on http://${f.host ?? '127.0.0.1'}:${bound}: POST /generate {"prompt": "...", "stream": true}`);
  const close = async () => {
    server.close();
    server.closeAllConnections();
    model.dispose();
  };
  const onSignal = () => void close().then(() => process.exit(0));
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  return {
    port: bound,
    close: async () => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      await close();
    },
  };
}
