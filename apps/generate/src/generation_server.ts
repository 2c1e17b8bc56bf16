import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { generate, streamGenerate, type GenerationOptions } from '@attn/models';
import type { Tokenizer } from '@attn/tokenizers';
import { eosTokenIds, type CausalLM } from './causal_lm_dir';
import { continuationText } from './continuation';
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
  const eos = eosTokenIds(model, tokenizer);
  const pad = tokenizer.padTokenId ?? eos[0] ?? 0;
  const context = model.config.maxPositionEmbeddings;
  let queue: Promise<void> = Promise.resolve();
  const decode = (ids: number[]) => tokenizer.decode(ids, { skipSpecialTokens: true });
  const continuation = continuationText(tokenizer, eos);

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(`${JSON.stringify(body)}\n`);
  };

  const run = async (req: IncomingMessage, res: ServerResponse, request: GenerationRequest) => {
    const ids = tokenizer.encode(request.prompt).ids;
    const options: GenerationOptions = { ...request.options, eosTokenId: eos, padTokenId: pad, decode };
    const stream = request.stream || (req.headers.accept ?? '').includes('text/event-stream');
    if (!stream || (options.numBeams ?? 1) > 1) {
      const out = generate(model, [ids], options);
      const texts = out.sequences.map((s) => continuation(ids, s.slice(ids.length)));
      return json(res, 200, { prompt: request.prompt, text: texts[0], ...(texts.length > 1 ? { texts, sequencesScores: out.sequencesScores } : {}) });
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    let closed = false;
    res.on('close', () => (closed = true));
    let shown = '';
    let generated = 0;
    for await (const step of streamGenerate(model, [ids], options)) {
      if (closed) break; // leaving the loop frees the KV cache
      generated++;
      const text = continuation(ids, step.sequences[0]!.slice(ids.length));
      if (text.length > shown.length && text.startsWith(shown)) res.write(`data: ${JSON.stringify({ text: text.slice(shown.length) })}\n\n`);
      shown = text;
    }
    if (!closed) res.end(`event: done\ndata: ${JSON.stringify({ text: shown, tokens: generated })}\n\n`);
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
