import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';

const pkg = resolve(__dirname, '..');
// Inside the package's node_modules, so the bundle's external `fastify` resolves from it.
const outfile = join(pkg, 'node_modules', '.cache', 'attn-serve-test', 'drain_server.mjs');

beforeAll(async () => {
  mkdirSync(join(outfile, '..'), { recursive: true });
  await build({ entryPoints: [join(pkg, 'test', 'drain_server.ts')], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'error' });
});

type Outcome = { status: number } | { error: string };

/** POSTs `body` on a fresh connection; `sent` resolves once the whole body is handed to the kernel. */
function post(url: string, body: string): { sent: Promise<void>; outcome: Promise<Outcome> } {
  let markSent!: () => void;
  const sent = new Promise<void>((r) => (markSent = r));
  const outcome = new Promise<Outcome>((resolveOutcome) => {
    const req = request(`${url}/predict`, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolveOutcome({ status: res.statusCode! }));
      res.on('error', (e: NodeJS.ErrnoException) => resolveOutcome({ error: e.code ?? e.message }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      markSent();
      resolveOutcome({ error: e.code ?? e.message });
    });
    req.on('finish', markSent);
    req.end(body);
  });
  return { sent, outcome };
}

function startServer(env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [outfile], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  /** The child's next stdout line that has `key`. */
  const next = async (key: string): Promise<Record<string, unknown>> => {
    for (;;) {
      const line = await lines.next();
      if (line.done) throw new Error(`the server exited before printing ${key}`);
      const obj = JSON.parse(line.value as string) as Record<string, unknown>;
      if (key in obj) return obj;
    }
  };
  return { child, exited, next };
}

const TEXTS = Array.from({ length: 128 }, (_, i) => `review number ${i}: a gripping, beautifully shot film with a great cast`);

describe('SIGTERM under load (a CPU-bound model in a child process)', () => {
  it('answers every request sent before SIGTERM, refuses new connections, exits 0', async () => {
    const { child, exited, next } = startServer();
    const { url } = (await next('url')) as { url: string };
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    // One request starts the (slow) first model call; the other 23 arrive while it blocks the
    // server, and SIGTERM follows as soon as they are fully sent: the server has not read them yet.
    const body = JSON.stringify({ inputs: TEXTS.map((text) => ({ text })) });
    const requests = [post(url, body)];
    await next('call');
    for (let i = 1; i < 24; i++) requests.push(post(url, body));
    await Promise.all(requests.map((r) => r.sent));
    child.kill('SIGTERM');

    const outcomes = await Promise.all(requests.map((r) => r.outcome));
    const count = (pred: (o: Outcome) => boolean) => outcomes.filter(pred).length;
    const tally = { ok: count((o) => 'status' in o && o.status === 200), busy: count((o) => 'status' in o && o.status === 503), reset: count((o) => 'error' in o) };
    expect(tally).toEqual({ ok: 24, busy: 0, reset: 0 });

    const report = (await next('result')) as { result: { signal: string; timedOut: boolean }; stats: { requests: number; pending: number } };
    expect(report.result).toMatchObject({ signal: 'SIGTERM', timedOut: false });
    expect(report.stats).toMatchObject({ requests: 24, pending: 0 });
    expect(await exited).toBe(0);
    expect(await post(url, body).outcome).toEqual({ error: 'ECONNREFUSED' });
  });
});
