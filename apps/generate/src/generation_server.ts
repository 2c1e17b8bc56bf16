import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { TextGenerationPipeline } from '@attn/pipelines';
import type { Tokenizer } from '@attn/tokenizers';
import type { CausalLM } from './causal_lm_dir';
import { parseGenerationRequest, GenerationRequestError, type GenerationRequest } from './generation_request';

export interface GenerationServerOptions {
  /** Largest request body accepted, in bytes (default 1 MiB). */
  maxBodyBytes?: number;
  defaultMaxNewTokens?: number;
}

/**
 * POST /generate: {"prompt", options...} → {"text"} (JSON), or with "stream": true (or Accept: text/event-stream)
 * server-sent events: one `data: {"text": piece}` per token, then `event: done` with the whole text. GET /health
 * says what is served. One generation runs at a time (each takes the CPU); later requests wait their turn. A
 * client that disconnects mid-stream stops its generation.
 */
export function generationServer(model: CausalLM, tokenizer: Tokenizer, opts: GenerationServerOptions = {}): Server {
  const maxBody = opts.maxBodyBytes ?? 1 << 20;
  const pipe = new TextGenerationPipeline(model, tokenizer);
  const context = model.config.maxPositionEmbeddings;
  let queue: Promise<void> = Promise.resolve();

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(`${JSON.stringify(body)}\n`);
  };

  const run = async (req: IncomingMessage, res: ServerResponse, request: GenerationRequest) => {
    const stream = request.stream || (req.headers.accept ?? '').includes('text/event-stream');
    if (!stream || (request.options.numBeams ?? 1) > 1) {
      const [results] = pipe.call(request.prompt, { ...request.options, returnFullText: false });
      const texts = results!.map((r) => r.generatedText);
      return json(res, 200, { prompt: request.prompt, text: texts[0], ...(texts.length > 1 ? { texts } : {}) });
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    let closed = false;
    res.on('close', () => (closed = true));
    const pieces = pipe.stream(request.prompt, request.options);
    let sent = 0;
    for (let r = await pieces.next(); ; r = await pieces.next()) {
      if (closed) {
        await pieces.return(''); // stops the generation and frees its KV cache
        return;
      }
      if (r.done) return void res.end(`event: done\ndata: ${JSON.stringify({ text: r.value, pieces: sent })}\n\n`);
      sent++;
      res.write(`data: ${JSON.stringify({ text: r.value })}\n\n`);
    }
  };

  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/health' && req.method === 'GET') return json(res, 200, { status: 'ok', model: model.architecture, modelType: model.config.modelType, context });
    if (path !== '/generate') return json(res, 404, { error: `No route ${path}; POST /generate or GET /health.` });
    if (req.method !== 'POST') return json(res, 405, { error: 'Use POST /generate with a JSON body.' });
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxBody) {
        json(res, 413, { error: `Body over ${maxBody} bytes.` });
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => {
      if (size > maxBody) return;
      // Checked at once: a bad request gets its 400 without waiting for the generations ahead of it.
      let request: GenerationRequest;
      try {
        request = parseGenerationRequest(JSON.parse(Buffer.concat(chunks).toString('utf8')), (p) => tokenizer.encode(p).ids.length, context, opts.defaultMaxNewTokens);
      } catch (e) {
        const message = e instanceof SyntaxError ? `The body is not JSON: ${e.message}.` : (e as Error).message;
        return json(res, e instanceof SyntaxError || e instanceof GenerationRequestError ? 400 : 500, { error: message });
      }
      queue = queue.then(() =>
        run(req, res, request).catch((e: Error) => {
          if (!res.headersSent) json(res, 500, { error: e.message });
          else res.end();
        }),
      );
    });
  });
}
