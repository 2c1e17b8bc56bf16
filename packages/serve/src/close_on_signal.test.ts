import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';

const pkg = resolve(__dirname, '..');
// Inside the package's node_modules, so the bundle's external `fastify` resolves from it.
const outfile = join(pkg, 'node_modules', '.cache', 'attn-serve-test', 'sigterm_server.mjs');

beforeAll(async () => {
  mkdirSync(join(outfile, '..'), { recursive: true });
  await build({ entryPoints: [join(pkg, 'test', 'sigterm_server.ts')], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'error' });
});

describe('closeOnSignal (a real SIGTERM to a child process)', () => {
  it('finishes in-flight requests, then exits 0', async () => {
    const child = spawn(process.execPath, [outfile], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    const { url } = JSON.parse((await lines.next()).value as string) as { url: string };
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const send = (text: string) =>
      fetch(`${url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) }).then(async (r) => ({ status: r.status, body: await r.json() }));
    const inFlight = Promise.all(['one', 'two', 'three'].map(send));
    // SIGTERM only once the server holds all three requests (the model takes 300 ms on them).
    for (;;) {
      const health = (await (await fetch(`${url}/health`)).json()) as { requests: number };
      if (health.requests >= 3) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    child.kill('SIGTERM');

    expect(await inFlight).toEqual([
      { status: 200, body: { text: 'ONE' } },
      { status: 200, body: { text: 'TWO' } },
      { status: 200, body: { text: 'THREE' } },
    ]);
    const report = JSON.parse((await lines.next()).value as string) as { closed: string; stats: { requests: number; pending: number } };
    expect(report).toMatchObject({ closed: 'SIGTERM', timedOut: false, stats: { requests: 3, pending: 0 } });
    expect(await exited).toBe(0);
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });
});
