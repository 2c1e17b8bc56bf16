import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Two replicas of the built CLI (dist/cli.js; CI builds before testing) behind nginx, through
// tools/serve-replicas/replicas.mjs. One replica gets SIGTERM while clients keep sending: every request must
// still be answered 200, by the draining replica or by nginx passing it on to the other one.
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const hasNginx = !spawnSync('nginx', ['-v'], { stdio: 'ignore' }).error;
if (!hasNginx) console.warn('serve_replicas.test: nginx not installed (apt-get install nginx-light; .ci/run installs it): skipped');

const TEXTS = ['a gripping, beautifully shot film', 'the plot never goes anywhere', 'unbelievably dull', 'one of the best of the year'];

describe.skipIf(!hasNginx)('attn-classify serve: 2 replicas behind nginx', () => {
  it('drops no request when one replica is stopped under load', async () => {
    const launcher = spawn(
      process.execPath,
      [join(root, 'tools/serve-replicas/replicas.mjs'), '--replicas', '2', '--threads', '1', '--port', '0', '--', process.execPath, join(root, 'apps/classify/dist/cli.js'), 'serve', '--model', join(root, 'models/attn-bert-tiny-sst2'), '--backend', 'wasm'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let log = '';
    launcher.stderr.on('data', (d) => (log += d));
    const exited = new Promise<number | null>((r) => launcher.on('exit', (code) => r(code)));
    try {
      const ready = await new Promise<{ url: string; replicas: { pid: number; url: string }[] }>((resolve, reject) => {
        createInterface({ input: launcher.stdout }).on('line', (l) => resolve(JSON.parse(l)));
        void exited.then((code) => reject(new Error(`replicas.mjs exited with ${code}:\n${log}`)));
      });
      expect(ready.replicas).toHaveLength(2);

      const statuses = new Map<string, number>();
      const count = (k: string) => statuses.set(k, (statuses.get(k) ?? 0) + 1);
      let stop = false;
      let afterKill = 0;
      let killed = false;
      const body = JSON.stringify({ inputs: TEXTS.map((text) => ({ text })) });
      const client = async () => {
        while (!stop) {
          try {
            const res = await fetch(`${ready.url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
            const text = await res.text();
            const answered = res.status === 200 && (JSON.parse(text) as unknown[]).length === TEXTS.length;
            count(answered ? '200' : `status ${res.status}`);
            if (killed) afterKill++;
          } catch (e) {
            count(`error ${(e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message}`);
          }
        }
      };
      const clients = Array.from({ length: 8 }, client);
      await new Promise((r) => setTimeout(r, 1500));
      process.kill(ready.replicas[0]!.pid, 'SIGTERM');
      killed = true;
      await new Promise((r) => setTimeout(r, 2500));
      stop = true;
      await Promise.all(clients);

      expect(Object.fromEntries(statuses)).toEqual({ '200': expect.any(Number) });
      expect(statuses.get('200')).toBeGreaterThan(10);
      expect(afterKill).toBeGreaterThan(0); // the other replica went on answering
      expect(log).toMatch(/\[replica 0\] SIGTERM: answered \d+ request\(s\) in flight/);
    } finally {
      launcher.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 60_000);
});
