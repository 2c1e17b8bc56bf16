// @attn/trainer's browser stores in headless Chromium: OpfsStore (the origin private file system: files,
// directories, a directory rename as the checkpoint commit does it, persistence across a reload) and
// downloadFile from a MemoryStore. The store files are bundled alone (they import no tfjs).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { chromium, type Browser, type Page } from 'playwright-core';
import { serveStatic } from './static_server';

const CHROMIUM = '/usr/bin/chromium';
const storageDir = join(dirname(fileURLToPath(import.meta.url)), '../../../packages/trainer/src/storage');
const hasChromium = existsSync(CHROMIUM);

describe.skipIf(!hasChromium)('trainer stores in Chromium', () => {
  let dir: string;
  let server: Server;
  let url: string;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'attn-store-page-'));
    const entry = join(dir, 'entry.ts');
    await writeFile(
      entry,
      [`export { OpfsStore } from '${storageDir}/opfs_store';`, `export { MemoryStore } from '${storageDir}/memory_store';`, `export { downloadFile } from '${storageDir}/download';`].join('\n'),
    );
    await build({ configFile: false, logLevel: 'error', build: { lib: { entry, formats: ['es'], fileName: 'stores' }, outDir: join(dir, 'site'), minify: false } });
    await writeFile(join(dir, 'site', 'index.html'), `<!doctype html><script type="module">import * as s from './stores.js'; window.stores = s; document.body.dataset.ready = '1';</script>`);
    ({ server, url } = await serveStatic(join(dir, 'site')));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'] });
    page = await browser.newPage({ acceptDownloads: true });
    page.on('pageerror', (e) => console.error('[store page]', e.message));
    await page.goto(url);
    await page.waitForSelector('body[data-ready="1"]', { state: 'attached' });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('OpfsStore: write, read, list, a staged directory renamed into place, remove; files survive a reload', async () => {
    const seen = await page.evaluate(async () => {
      const { OpfsStore } = (window as unknown as { stores: typeof import('@attn/trainer') }).stores;
      const store = (await OpfsStore.open())!;
      await store.remove('run');
      await store.makeDir('run/.checkpoint-2.tmp-x');
      await store.writeFile('run/.checkpoint-2.tmp-x/trainer_state.json', '{"globalStep":2}');
      await store.writeFile('run/.checkpoint-2.tmp-x/model.safetensors', new Uint8Array([1, 2, 3]));
      await store.rename('run/.checkpoint-2.tmp-x', 'run/checkpoint-2');
      await store.writeFile('run/scratch.txt', 'gone soon');
      await store.remove('run/scratch.txt');
      return {
        list: (await store.list('run')).sort(),
        inside: (await store.list('run/checkpoint-2')).sort(),
        state: new TextDecoder().decode(await store.readFile('run/checkpoint-2/trainer_state.json')),
        missing: (await store.readFile('run/nothing')) === undefined,
        stagingGone: !(await store.exists('run/.checkpoint-2.tmp-x')),
      };
    });
    expect(seen).toEqual({ list: ['checkpoint-2'], inside: ['model.safetensors', 'trainer_state.json'], state: '{"globalStep":2}', missing: true, stagingGone: true });
    await page.reload();
    await page.waitForSelector('body[data-ready="1"]', { state: 'attached' });
    const after = await page.evaluate(async () => {
      const { OpfsStore } = (window as unknown as { stores: typeof import('@attn/trainer') }).stores;
      const bytes = await (await OpfsStore.open())!.readFile('run/checkpoint-2/model.safetensors');
      return Array.from(bytes ?? []);
    });
    expect(after).toEqual([1, 2, 3]);
  });

  it('downloadFile offers a MemoryStore file under its name', async () => {
    const download = page.waitForEvent('download');
    await page.evaluate(async () => {
      const { MemoryStore, downloadFile } = (window as unknown as { stores: typeof import('@attn/trainer') }).stores;
      const store = new MemoryStore();
      await store.writeFile('out/final/config.json', '{"model_type":"bert"}');
      await downloadFile(store, 'out/final/config.json');
    });
    const d = await download;
    expect(d.suggestedFilename()).toBe('config.json');
    expect(await readFile((await d.path())!, 'utf8')).toBe('{"model_type":"bert"}');
  });
});
