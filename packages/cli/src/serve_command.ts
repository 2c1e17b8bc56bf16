import { isIP } from 'node:net';
import { lookup } from 'node:dns/promises';
import { Option, type Command } from 'commander';
import { closeOnSignal, createServer, type PredictionServer, type Predictor } from '@attn/serve';
import { CliError, runCommand } from './cli_error';
import { numberFlag } from './number_flag';
import { backendOption, startBackend } from './backend_flag';

/** The flags every `serve` command has, as commander hands them over (strings). */
export interface ServeFlags {
  model: string;
  host: string;
  port: string;
  maxBatchSize: string;
  batchWindowMs: string;
  maxTextLength: string;
  maxBatchItems: string;
  /** Seconds SIGTERM waits for accepted requests before closing their connections. */
  drainTimeout: string;
  backend?: string;
  /** --int8: dynamic int8 quantization of the model's Linear layers after loading (makePredictor passes it to pipeline()). */
  int8?: boolean;
}

/** A predictor and what releases the model behind it. */
export interface ServedModel {
  // The input/output types are the task's; the server only passes them through.
  predictor: Predictor<never, unknown>;
  dispose(): void;
}

export interface ServeCommandSpec<F extends ServeFlags> {
  /** `serve --help` description. */
  description: string;
  /** Help of --model (default 'trained model directory'). */
  modelHelp?: string;
  /** What one input is called in help, plural: 'texts', 'questions'. */
  items: string;
  /** Help of --max-text-length (default 'longest accepted text, in characters'). */
  maxTextLengthHelp?: string;
  /** Adds the task's own options (after the common ones, before --backend). */
  options?: (command: Command) => void;
  /** The --backend option (default: 'wasm or cpu (default: the best available)'). */
  backendOption?: () => Option;
  /** Checks the flags before the backend starts: throw CliError for a bad value or model directory. */
  validate?: (flags: F) => void;
  /** Loads the model and wraps it as a predictor; runs after the backend is ready. */
  makePredictor: (flags: F) => Promise<ServedModel>;
  /** Where progress lines go (default: stdout). */
  print?: (line: string) => void;
}

/** Serves `makePredictor`'s model behind POST /predict until SIGTERM or SIGINT. */
export async function serveModel<F extends ServeFlags>(flags: F, spec: ServeCommandSpec<F>): Promise<void> {
  const print = spec.print ?? ((line: string) => void process.stdout.write(`${line}\n`));
  // Every flag is checked before the backend starts and the model loads, naming it as typed.
  const options = {
    host: await checkHost(flags.host),
    port: numberFlag('port', flags.port, { int: true, min: 0, max: 65535 }),
    maxBatchSize: numberFlag('max-batch-size', flags.maxBatchSize, { int: true, min: 1 }),
    batchWindowMs: numberFlag('batch-window-ms', flags.batchWindowMs, { min: 0 }),
    maxTextLength: numberFlag('max-text-length', flags.maxTextLength, { int: true, min: 1 }),
    maxBatchItems: numberFlag('max-batch-items', flags.maxBatchItems, { int: true, min: 1 }),
    drainTimeoutMs: numberFlag('drain-timeout', flags.drainTimeout, { min: 0 }) * 1000,
  };
  spec.validate?.(flags);
  await startBackend(flags.backend);
  const served = await spec.makePredictor(flags);
  try {
    let server: PredictionServer;
    let url: string;
    try {
      server = createServer(served.predictor, options);
      ({ url } = await server.listen());
    } catch (e) {
      const err = e as Error & { code?: string };
      if (err.code === 'EADDRINUSE') throw new CliError(`--port ${flags.port}: already in use; pick another port, or --port 0 for any free one.`);
      if (err.code === 'EACCES') throw new CliError(`--port ${flags.port}: permission denied (ports below 1024 need privileges); pick a port above 1023, or --port 0 for any free one.`);
      if (err.code === 'EADDRNOTAVAIL') throw new CliError(`--host ${flags.host}: not an address of this machine; pass 127.0.0.1 (this machine only), 0.0.0.0 (every interface) or one of its own addresses.`);
      if (err.name === 'ServeOptionsError') throw new CliError(err.message);
      throw e;
    }
    print(`serving ${flags.model} at ${url} (POST /predict, GET /health, GET /model); Ctrl-C or SIGTERM stops it`);
    const shutdown = await closeOnSignal(server);
    const seconds = (shutdown.ms / 1000).toFixed(1);
    if (shutdown.timedOut) {
      // A non-zero exit tells the supervisor that requests were dropped.
      throw new CliError(
        `${shutdown.signal}: --drain-timeout ${flags.drainTimeout} s passed with ${shutdown.unanswered} request(s) unanswered (${shutdown.answered} answered); closed their connections. Raise --drain-timeout if the model needs longer.`,
      );
    }
    print(`${shutdown.signal}: answered ${shutdown.answered} request(s) in flight in ${seconds} s, stopped`);
  } finally {
    served.dispose();
  }
}

/**
 * `--host`: an IP address, or a name this machine resolves (localhost). `999.1.1.1` is neither, and
 * would otherwise surface as a raw getaddrinfo stack trace from listen().
 */
async function checkHost(host: string): Promise<string> {
  if (isIP(host)) return host;
  const hint = 'pass an IP address such as 127.0.0.1 (this machine only) or 0.0.0.0 (every interface), or a host name this machine resolves';
  if (/^[\d.]+$/.test(host) || host.trim() === '') throw new CliError(`--host ${JSON.stringify(host)} is not a valid IP address; ${hint}.`);
  try {
    await lookup(host);
  } catch (e) {
    throw new CliError(`--host ${host}: cannot resolve this name (${(e as { code?: string }).code ?? (e as Error).message}); ${hint}.`);
  }
  return host;
}

/** Help of every app's --int8 (serve here; predict and eval in each app). */
export const INT8_FLAG_HELP =
  'dynamic int8 quantization of the Linear layers after loading (as onnxruntime quantize_dynamic: int8 weights per output channel, activations per row at run time); faster on CPUs with AVX-512 VNNI, within about half a point of float accuracy';

/** Adds `serve` to an app's program: the common server flags, the task's own, and one-line errors. */
export function registerServeCommand<F extends ServeFlags>(program: Command, spec: ServeCommandSpec<F>): Command {
  const command = program
    .command('serve')
    .description(spec.description)
    .requiredOption('--model <dir>', spec.modelHelp ?? 'trained model directory')
    .option('--host <host>', 'interface to bind (0.0.0.0 exposes it beyond this machine)', '127.0.0.1')
    .option('--port <n>', 'port (0 = any free port)', '8080')
    .option('--max-batch-size <n>', `most ${spec.items} merged into one model call (1 = no dynamic batching)`, '32')
    .option('--batch-window-ms <ms>', 'how long a request waits for others to join its batch', '5')
    .option('--max-text-length <n>', spec.maxTextLengthHelp ?? 'longest accepted text, in characters', '10000')
    .option('--max-batch-items <n>', `most ${spec.items} in one request`, '128')
    .option('--drain-timeout <s>', 'on SIGTERM/SIGINT, seconds to answer the requests already accepted; past it they are dropped and the exit code is 1', '25')
    .option('--int8', INT8_FLAG_HELP);
  spec.options?.(command);
  command.addOption(spec.backendOption?.() ?? backendOption());
  command.action((flags: F) => runCommand(() => serveModel(flags, spec)));
  return command;
}
