import { STATUS_CODES } from 'node:http';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { Predictor } from './predictor';
import { DynamicBatcher, type BatcherStats, type DynamicBatcherOptions } from './dynamic_batcher';
import { defaultInputSchema, type InputSchema } from './input_schema';
import { parsePredictRequest, predictBodySchema, type RequestLimits } from './predict_request';
import { validationMessage, type SchemaError } from './validation_message';
import { ServeOptionsError } from './serve_error';

export interface ServeOptions<I> extends DynamicBatcherOptions, Partial<RequestLimits> {
  /** Interface to bind (default 127.0.0.1: loopback only; pass '0.0.0.0' deliberately to expose it). */
  host?: string;
  /** Port (default 0: an ephemeral port, see listen()'s url). */
  port?: number;
  /** How a request spells one input (default: by predictor.task, see defaultInputSchema). */
  inputSchema?: InputSchema<I>;
  /** Largest request body in bytes (default: enough for maxBatchItems texts of maxTextLength, at least 1 MiB). */
  bodyLimit?: number;
  /** Fastify's request log to stdout (default off). */
  logger?: boolean;
  /**
   * How long close() waits for accepted requests to be answered, in ms (default 30,000); past it the
   * remaining connections are closed and close() reports `timedOut: true`.
   */
  drainTimeoutMs?: number;
}

/** What close() did. */
export interface DrainResult {
  /** The drain timeout passed with requests unanswered; their connections were closed. */
  timedOut: boolean;
  /** Requests still unanswered when the timeout passed (0 when it did not). */
  unanswered: number;
  /** Requests answered while draining. */
  answered: number;
  /** From close() to the last connection closed, in ms. */
  ms: number;
}

export interface PredictionServer {
  /** The Fastify instance, for hooks, extra routes or `inject` in tests. */
  readonly app: FastifyInstance;
  /** Starts listening; the url has the actual port when port was 0. */
  listen(): Promise<{ url: string; port: number }>;
  /**
   * Stops accepting connections and answers every request already accepted (those the kernel holds
   * unread included), then resolves; after drainTimeoutMs it closes what is left and says so.
   */
  close(): Promise<DrainResult>;
  /** Model calls, inputs and requests so far (also in GET /health). */
  stats(): BatcherStats;
}

/** Default drainTimeoutMs: within Kubernetes' default 30 s grace period before SIGKILL, with margin. */
export const DEFAULT_DRAIN_TIMEOUT_MS = 25_000;

/** Defaults: text up to 10,000 characters, 128 inputs per request. */
export const DEFAULT_LIMITS: RequestLimits = { maxTextLength: 10_000, maxBatchItems: 128 };

/** Most event-loop turns close() spends accepting queued connections (twice Node's default backlog). */
const MAX_ACCEPT_TURNS = 1024;

/** Resolves after the current event-loop turn's I/O (poll) phase: a setImmediate callback runs after it. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new ServeOptionsError(`${name} must be an integer ≥ 1; got ${value}.`);
  return value;
}

/**
 * An HTTP server for any predictor: `POST /predict` (one input or `{"inputs": [...]}`), `GET /health`,
 * `GET /model`. Requests are validated one by one against a JSON schema before they join a dynamic
 * batch, so a bad request is answered 4xx on its own and never reaches the model.
 */
export function createServer<I, O>(predictor: Predictor<I, O>, opts: ServeOptions<I> = {}): PredictionServer {
  const limits: RequestLimits = {
    maxTextLength: positiveInteger('maxTextLength', opts.maxTextLength ?? DEFAULT_LIMITS.maxTextLength),
    maxBatchItems: positiveInteger('maxBatchItems', opts.maxBatchItems ?? DEFAULT_LIMITS.maxBatchItems),
  };
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ServeOptionsError(`port must be an integer in 0..65535 (0 = any free port); got ${port}.`);
  const drainTimeoutMs = opts.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS;
  if (!Number.isFinite(drainTimeoutMs) || drainTimeoutMs < 0) throw new ServeOptionsError(`drainTimeoutMs must be a number of ms ≥ 0; got ${drainTimeoutMs}.`);
  const inputSchema = opts.inputSchema ?? (defaultInputSchema(predictor.task) as InputSchema<I>);
  const batcher = new DynamicBatcher<I, O>((inputs) => predictor.predictBatch(inputs), opts);
  const stringFields = Object.values(inputSchema.fields).filter((f) => f.type === 'string').length;
  // JSON may spend up to 6 bytes per character (\uXXXX escapes); allow 2 per character plus overhead.
  const bodyLimit = opts.bodyLimit ?? Math.max(1 << 20, limits.maxBatchItems * (stringFields * limits.maxTextLength * 2 + 256));
  const startedAt = Date.now();

  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit,
    // Fastify's defaults coerce types ("5" for 5) and drop unknown fields silently; a prediction
    // API should reject both, so the client learns its request was not what it meant.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false, allErrors: false, allowUnionTypes: true } },
    schemaErrorFormatter: (errors, dataVar) => new Error(validationMessage(errors as SchemaError[], dataVar)),
    // Shutdown is close()'s: requests that reach a handler while draining were sent before it began
    // (see close()), so they are served, not answered 503.
    return503OnClosing: false,
    forceCloseConnections: false,
  });

  app.setErrorHandler((err: FastifyError, req, reply) => {
    const statusCode = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (statusCode >= 500) app.log.error(err);
    // Fastify's own wording for these names the symptom, not the fix.
    const message =
      err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
        ? `send a JSON body with content-type: application/json; got content-type ${JSON.stringify(req.headers['content-type'] ?? null)}.`
        : err.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
          ? `request body over ${bodyLimit} bytes (the server's bodyLimit); send fewer or shorter texts per request.`
          : err.message;
    void reply.code(statusCode).send({ statusCode, error: STATUS_CODES[statusCode], message });
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).send({ statusCode: 404, error: STATUS_CODES[404], message: `no route ${req.method} ${req.url}; routes: POST /predict, GET /health, GET /model.` });
  });

  // JSON only: Fastify would otherwise parse text/plain into a string and answer "body must be object".
  app.removeContentTypeParser('text/plain');

  let closing = false;
  let accepted = 0; // connections
  let answered = 0;
  const inFlight = new Set<object>();
  app.server.on('connection', () => accepted++);
  app.addHook('onRequest', async (req) => {
    inFlight.add(req);
  });
  app.addHook('onResponse', async (req) => {
    if (inFlight.delete(req)) answered++;
  });
  app.addHook('onRequestAbort', async (req) => {
    inFlight.delete(req);
  });
  app.addHook('onSend', async (_req, reply, payload) => {
    // Responses finished during shutdown close their keep-alive connection, so close() does not
    // wait for the client's idle timeout.
    if (closing) reply.header('connection', 'close');
    return payload;
  });

  app.post('/predict', { schema: { body: predictBodySchema(inputSchema as InputSchema<unknown>, limits) } }, async (req, reply) => {
    const request = parsePredictRequest(inputSchema, req.body as Record<string, unknown>);
    const outputs = await batcher.submit(request.inputs);
    // Serialized here so any output (even a bare string) goes out as JSON.
    return reply.type('application/json; charset=utf-8').send(JSON.stringify((request.single ? outputs[0] : outputs) ?? null));
  });
  app.get('/health', async () => ({
    status: 'ok',
    task: predictor.task,
    uptimeS: (Date.now() - startedAt) / 1000,
    ...batcher.stats,
    rssBytes: process.memoryUsage.rss(),
    ...predictor.health?.(),
  }));
  app.get('/model', async () => ({
    task: predictor.task,
    ...predictor.info(),
    server: { maxBatchSize: batcher.maxBatchSize, batchWindowMs: batcher.batchWindowMs, maxQueuedInputs: batcher.maxQueuedInputs, ...limits, bodyLimit },
  }));

  let closed: Promise<DrainResult> | undefined;
  async function drain(): Promise<DrainResult> {
    const start = performance.now();
    closing = true;
    const answeredBefore = answered;
    // While a model call blocks the event loop, new connections wait in the kernel's accept queue and
    // their requests in socket buffers. Closing the listener resets the first; server.close() destroys
    // the second, which look idle. Node accepts one connection per event-loop turn, so keep turning
    // (the batcher answers what arrives meanwhile) until two turns in a row accept nothing: the queue
    // is empty and the last request read. Bounded by the accept backlog (Node's default is 511).
    const deadline = start + drainTimeoutMs;
    for (let turn = 0, quiet = 0; quiet < 2 && turn < MAX_ACCEPT_TURNS && performance.now() < deadline; turn++) {
      const seen = accepted;
      await nextTurn();
      quiet = accepted === seen ? quiet + 1 : 0;
    }
    // Stops listening (new connections are refused) and closes idle keep-alive connections; resolves
    // once every connection has had its answer and closed.
    const emptied = app.close().then(() => batcher.idle());
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      emptied.then(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), Math.max(0, deadline - performance.now())))),
    ]);
    clearTimeout(timer);
    const unanswered = timedOut ? inFlight.size : 0;
    if (timedOut) app.server.closeAllConnections();
    return { timedOut, unanswered, answered: answered - answeredBefore, ms: performance.now() - start };
  }

  return {
    app,
    async listen() {
      const url = await app.listen({ host, port });
      const address = app.server.address();
      return { url, port: typeof address === 'object' && address ? address.port : port };
    },
    close() {
      closed ??= drain();
      return closed;
    },
    stats: () => batcher.stats,
  };
}
