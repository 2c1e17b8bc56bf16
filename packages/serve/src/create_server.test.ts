import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type PredictionServer } from './create_server';
import type { Predictor } from './predictor';
import type { TextInput } from './input_schema';
import { ServeOptionsError } from './serve_error';

interface FakeOutput {
  text: string;
  length: number;
}

/** Labels a text with its length; throws on "boom" (a model error); records each call's size. */
function fakePredictor(delayMs = 0): Predictor<TextInput, FakeOutput> & { batchSizes: number[] } {
  const batchSizes: number[] = [];
  return {
    task: 'text-classification',
    batchSizes,
    async predictBatch(inputs) {
      batchSizes.push(inputs.length);
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      if (inputs.some((x) => x.text === 'boom')) throw new Error('the fake model exploded');
      return inputs.map((x) => ({ text: x.text, length: x.text.length + (x.textPair?.length ?? 0) }));
    },
    info: () => ({ labels: ['NEG', 'POS'], parameterCount: 42, backend: 'fake' }),
  };
}

async function post(url: string, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  const res = await fetch(`${url}/predict`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { message?: string } };
}

describe('createServer (fake predictor, real HTTP on loopback)', () => {
  const predictor = fakePredictor();
  let server: PredictionServer;
  let url: string;

  beforeAll(async () => {
    server = createServer(predictor, { maxTextLength: 50, maxBatchItems: 4, batchWindowMs: 10 });
    ({ url } = await server.listen());
  });
  afterAll(() => server.close());

  it('binds 127.0.0.1 on an ephemeral port by default', () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(Number(new URL(url).port)).toBeGreaterThan(0);
  });

  it('answers one input with one output and a batch with an array, in order', async () => {
    expect(await post(url, { text: 'hello' })).toEqual({ status: 200, body: { text: 'hello', length: 5 } });
    const batch = await post(url, { inputs: ['a', { text: 'bb' }, { text: 'c', text_pair: 'dd' }] });
    expect(batch.status).toBe(200);
    expect(batch.body).toEqual([
      { text: 'a', length: 1 },
      { text: 'bb', length: 2 },
      { text: 'c', length: 3 },
    ]);
  });

  it('answers an empty or whitespace-only text with a 400 naming the field, never a label', async () => {
    const calls = predictor.batchSizes.length;
    for (const [body, field] of [
      [{ text: '' }, 'body/text'],
      [{ text: ' \t\n' }, 'body/text'],
      [{ inputs: ['fine', '   '] }, 'body/inputs/1'],
      [{ inputs: [{ text: '' }] }, 'body/inputs/0/text'],
    ] as const) {
      const res = await post(url, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.message).toBe(`${field} must not be blank`);
    }
    expect(predictor.batchSizes.length).toBe(calls);
  });

  it('GET /health and GET /model describe the server and the model', async () => {
    const health = (await (await fetch(`${url}/health`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ status: 'ok', task: 'text-classification' });
    const model = (await (await fetch(`${url}/model`)).json()) as Record<string, unknown>;
    expect(model).toMatchObject({
      task: 'text-classification',
      labels: ['NEG', 'POS'],
      parameterCount: 42,
      backend: 'fake',
      server: { maxBatchSize: 32, batchWindowMs: 10, maxTextLength: 50, maxBatchItems: 4 },
    });
  });

  const bad: Array<[string, unknown, RegExp, number?, Record<string, string>?]> = [
    ['a number for text', { text: 5 }, /body\/text must be string/],
    ['a number inside inputs', { inputs: ['ok', 7] }, /body\/inputs\/1 must be string or object/],
    ['an object input without text', { inputs: [{ txt: 'x' }] }, /body\/inputs\/0 must have "text"/],
    ['no input at all', {}, /body must have "text" \(one input, \{"text": \.\.\.\}\) or "inputs" \(a batch\); got an empty object/],
    ['a misspelled field', { txt: 'x' }, /body has an unknown field "txt"/],
    ['both forms at once', { text: 'a', inputs: ['b'] }, /both "inputs" and "text"/],
    ['a text over maxTextLength', { text: 'x'.repeat(51) }, /body\/text must NOT have more than 50 characters \(the server's maxTextLength/],
    ['a batch item over maxTextLength', { inputs: ['x'.repeat(51)] }, /body\/inputs\/0 must NOT have more than 50 characters/],
    ['a batch over maxBatchItems', { inputs: ['a', 'b', 'c', 'd', 'e'] }, /body\/inputs must NOT have more than 4 items \(the server's maxBatchItems/],
    ['an empty batch', { inputs: [] }, /body\/inputs must NOT have fewer than 1 items/],
    ['a JSON array body', ['a'], /body must be object/],
    ['a JSON null body', 'null', /body must be object/],
    ['malformed JSON', '{"text": "unterminated', /JSON/],
    ['an empty JSON body', '', /empty/i],
    ['a plain-text body', 'hello', /send a JSON body with content-type: application\/json; got content-type "text\/plain"/, 415, { 'content-type': 'text/plain' }],
    ['a __proto__ key', '{"text":"a","__proto__":{"x":1}}', /not valid JSON/],
  ];
  for (const [what, body, message, status = 400, headers] of bad) {
    it(`answers ${status} with a message for ${what}`, async () => {
      const res = await post(url, body, headers);
      expect(res.status).toBe(status);
      expect(res.body.statusCode).toBe(status);
      expect(res.body.message).toMatch(message);
    });
  }

  it('answers 404 naming the routes for an unknown path', async () => {
    const res = await fetch(`${url}/predictt`, { method: 'POST' });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { message: string }).message).toMatch(/POST \/predict/);
  });

  it('batches concurrent requests into few model calls and answers each its own', async () => {
    predictor.batchSizes.length = 0;
    const texts = Array.from({ length: 40 }, (_, i) => 'x'.repeat(i + 1));
    const answers = await Promise.all(texts.map((t) => post(url, { text: t })));
    answers.forEach((a, i) => expect(a).toEqual({ status: 200, body: { text: texts[i], length: i + 1 } }));
    expect(predictor.batchSizes.reduce((a, b) => a + b, 0)).toBe(40);
    expect(predictor.batchSizes.length).toBeLessThan(10);
    expect(Math.max(...predictor.batchSizes)).toBeLessThanOrEqual(32);
  });

  it('a model error fails only the request that caused it, with a 500 and a message; bad requests never reach the model', async () => {
    predictor.batchSizes.length = 0;
    const [ok1, boom, invalid, ok2] = await Promise.all([
      post(url, { text: 'fine' }),
      post(url, { text: 'boom' }),
      post(url, { text: 17 }),
      post(url, { inputs: ['also', 'fine'] }),
    ]);
    expect(ok1).toEqual({ status: 200, body: { text: 'fine', length: 4 } });
    expect(ok2.status).toBe(200);
    expect(invalid.status).toBe(400);
    expect(boom.status).toBe(500);
    expect(boom.body.message).toMatch(/the model failed on a batch of 1 input\(s\): the fake model exploded/);
    // One merged call of the three valid requests, then one retry each.
    expect(predictor.batchSizes).toEqual([4, 1, 1, 2]);
    const health = (await (await fetch(`${url}/health`)).json()) as Record<string, number>;
    expect(health.failedRequests).toBeGreaterThanOrEqual(1);
  });

  it('keeps serving after every kind of bad input', async () => {
    expect(await post(url, { text: 'still here' })).toEqual({ status: 200, body: { text: 'still here', length: 10 } });
  });
});

describe('createServer lifecycle', () => {
  it('close() lets in-flight requests finish, then refuses new connections', async () => {
    const server = createServer(fakePredictor(150), { batchWindowMs: 5 });
    const { url } = await server.listen();
    const inFlight = Promise.all([post(url, { text: 'slow' }), post(url, { inputs: ['a', 'b'] })]);
    // Both requests have reached the model before shutdown starts.
    while (server.stats().requests < 2) await new Promise((r) => setTimeout(r, 2));
    const t0 = performance.now();
    expect(await server.close()).toMatchObject({ timedOut: false, unanswered: 0, answered: 2 });
    // Waited for the in-flight batch, but not for keep-alive timeouts.
    expect(performance.now() - t0).toBeGreaterThan(50);
    expect(performance.now() - t0).toBeLessThan(2000);
    const [one, two] = await inFlight;
    expect(one).toEqual({ status: 200, body: { text: 'slow', length: 4 } });
    expect(two.status).toBe(200);
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });

  it('close() gives up after drainTimeoutMs: closes what is left and reports timedOut', async () => {
    const server = createServer(fakePredictor(5000), { batchWindowMs: 0, drainTimeoutMs: 100 });
    const { url } = await server.listen();
    const stuck = fetch(`${url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"slow"}' });
    while (server.stats().requests < 1) await new Promise((r) => setTimeout(r, 2));
    const t0 = performance.now();
    const result = await server.close();
    expect(result).toMatchObject({ timedOut: true, unanswered: 1, answered: 0 });
    expect(performance.now() - t0).toBeLessThan(1000);
    await expect(stuck).rejects.toThrow();
  });

  it('rejects a negative drainTimeoutMs', () => {
    expect(() => createServer(fakePredictor(), { drainTimeoutMs: -1 })).toThrow(new ServeOptionsError('drainTimeoutMs must be a number of ms ≥ 0; got -1.'));
  });

  it('answers 503 with a message when more inputs wait than maxQueuedInputs, and serves the rest', async () => {
    const server = createServer(fakePredictor(100), { batchWindowMs: 0, maxBatchSize: 2, maxQueuedInputs: 2 });
    const { url } = await server.listen();
    try {
      const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => post(url, { text: `t${i}` })));
      const busy = answers.filter((a) => a.status === 503);
      expect(busy.length).toBeGreaterThan(0);
      expect(busy[0]!.body.message).toMatch(/server busy: .* \(maxQueuedInputs 2\); retry shortly/);
      expect(answers.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(2);
      expect(answers.every((a) => a.status === 200 || a.status === 503)).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('answers 413 with a message for a body over bodyLimit', async () => {
    const server = createServer(fakePredictor(), { bodyLimit: 1000 });
    const { url } = await server.listen();
    try {
      const res = await post(url, { text: 'x'.repeat(2000) });
      expect(res.status).toBe(413);
      expect(res.body.message).toMatch(/request body over 1000 bytes \(the server's bodyLimit\)/);
    } finally {
      await server.close();
    }
  });

  it('rejects bad options before listening', () => {
    expect(() => createServer(fakePredictor(), { maxTextLength: 0 })).toThrow(ServeOptionsError);
    expect(() => createServer(fakePredictor(), { maxBatchItems: 1.5 })).toThrow(/maxBatchItems/);
    expect(() => createServer(fakePredictor(), { port: 70000 })).toThrow(/port/);
  });

  it('uses the question-answering schema for a QA predictor', async () => {
    const qa: Predictor<{ question: string; context: string }, string> = {
      task: 'question-answering',
      predictBatch: (xs) => xs.map((x) => x.context.slice(0, 3)),
      info: () => ({}),
    };
    const server = createServer(qa);
    const { url } = await server.listen();
    try {
      expect(await post(url, { question: 'q?', context: 'abcdef' })).toEqual({ status: 200, body: 'abc' as unknown as Record<string, unknown> });
      const blank = await post(url, { inputs: [{ question: '  ', context: 'x' }] });
      expect(blank.status).toBe(400);
      expect(blank.body.message).toMatch(/body\/inputs\/0\/question must not be blank/);
      const missing = await post(url, { question: 'q?' });
      expect(missing.body.message).toMatch(/must have "context"/);
      const bare = await post(url, { inputs: ['just a string'] });
      expect(bare.body.message).toMatch(/body\/inputs\/0 must be object/);
    } finally {
      await server.close();
    }
  });
});
