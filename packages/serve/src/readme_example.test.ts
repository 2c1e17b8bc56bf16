// The README's "From code" example runs as written: it serves the shipped SST-2 model on port 8080 until SIGTERM.
import { createServer as netServer } from 'node:net';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runUsageExample } from '../../../tools/readme-example/run_usage_example';

const portFree = (port: number) =>
  new Promise<boolean>((ok) => {
    const s = netServer().once('error', () => ok(false));
    s.listen(port, '127.0.0.1', () => s.close(() => ok(true)));
  });
const free = await portFree(8080);
if (!free) console.warn('serve README example test skipped: port 8080 (the one the example names) is in use.');

describe('README "From code" example', () => {
  it.skipIf(!free)('answers POST /predict, then drains and returns on SIGTERM', async () => {
    let answer: unknown;
    const run = await runUsageExample(resolve(__dirname, '../README.md'), {
      heading: '## From code',
      during: async () => {
        for (let i = 0; i < 600 && answer === undefined; i++) {
          try {
            const r = await fetch('http://127.0.0.1:8080/predict', {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ text: 'a gripping film' }),
            });
            answer = await r.json();
          } catch {
            await new Promise((r) => setTimeout(r, 100)); // not listening yet
          }
        }
        // What a SIGTERM delivers to closeOnSignal's listener, without signalling the test process.
        process.emit('SIGTERM', 'SIGTERM');
      },
    });
    run.cleanup();
    expect(answer).toMatchObject({ text: 'a gripping film', label: expect.any(String), score: expect.any(Number) });
  }, 90_000);
});
