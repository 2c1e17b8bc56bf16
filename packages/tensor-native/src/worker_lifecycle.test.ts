import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nativeAddonStatus } from './native_addon';

// Node unloads an addon when the last worker_thread that loaded it exits. The addon's thread pool
// is process-wide, so its parked threads would be left in unmapped code (a later wake-up is a
// SIGSEGV) and every new worker would start another pool. Linking with -z nodelete keeps the addon
// mapped: this runs workers one after another in a child process and checks both.
const status = nativeAddonStatus();

describe.skipIf(!status.addon)('the addon across worker_threads', () => {
  it('stays mapped after the worker that loaded it exits, and its pool threads are reused', () => {
    const script = `
      import { Worker, isMainThread } from 'node:worker_threads';
      import { readFileSync } from 'node:fs';
      import { createRequire } from 'node:module';
      const path = ${JSON.stringify(status.path)};
      const mapped = () => readFileSync('/proc/self/maps', 'utf8').includes(path);
      const threads = () => Number(readFileSync('/proc/self/status', 'utf8').match(/Threads:\\s+(\\d+)/)[1]);
      if (isMainThread) {
        const seen = [];
        for (let i = 0; i < 3; i++) {
          await new Promise((res, rej) => { const w = new Worker(new URL(import.meta.url)); w.on('exit', res); w.on('error', rej); });
          seen.push({ mapped: mapped(), threads: threads() });
        }
        console.log(JSON.stringify(seen));
      } else {
        const addon = createRequire(import.meta.url)(path);
        addon.setThreads(2);
        const n = 64, heap = new ArrayBuffer(3 * n * n * 4);
        addon.gemm(heap, 0, n * n * 4, 2 * n * n * 4, 1, n, n, n, 0, 0, 1, 1, null, null);
      }`;
    const file = join(mkdtempSync(join(tmpdir(), 'attn-native-workers-')), 'workers.mjs');
    writeFileSync(file, script);
    const out = execFileSync(process.execPath, [file], { encoding: 'utf8' });
    const seen = JSON.parse(out.trim().split('\n').pop()!) as Array<{ mapped: boolean; threads: number }>;
    expect(seen.map((s) => s.mapped)).toEqual([true, true, true]);
    expect(seen[2]!.threads).toBe(seen[0]!.threads);
  });
});
