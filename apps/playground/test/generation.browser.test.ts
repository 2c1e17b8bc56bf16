// The Generate section in Debian's Chromium on the production build: tokens appear one by one on wasm and on
// webgl, greedy output is token for token what @attn/models' generate() gives in Node for the same prompt, Stop
// ends a run early, and no run leaves a tensor behind.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { initBackend } from '@attn/tensor';
import { generate, loadModel } from '@attn/models';
import { Tokenizer } from '@attn/tokenizers';
import { serveStatic } from './static_server';

const CHROMIUM = '/usr/bin/chromium';
const appDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const repoDir = join(appDir, '../..');
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`playground generation tests skipped: ${CHROMIUM} is missing (install it with: apt-get update && apt-get install -y chromium).`);

const PROMPT = 'It is a truth universally acknowledged';
const MAX_NEW = 16;
// The fixture's random weights repeat one token greedily; a strong penalty makes every step pick a new one, so equal
// outputs check every step's logits (positions, the KV cache), not one token repeated.
const PENALTY = 3;

/** Generates greedily on `backend`; returns the new token ids and every text the output showed on the way. */
async function generateOn(page: Page, backend: string, maxNew: number, stopAfter?: number): Promise<{ tokens: number[]; shown: string[]; stopped: boolean; tensors: [number, number] }> {
  await page.fill('#gen-prompt', PROMPT);
  await page.fill('#gen-max', String(maxNew));
  await page.fill('#gen-rep', String(PENALTY));
  await page.check('#gen-greedy');
  // Every text the output element held, in order, recorded in the page as it changes.
  await page.evaluate((stop) => {
    const out = document.getElementById('gen-output')!;
    const seen: string[] = [];
    (window as unknown as { shown: string[] }).shown = seen;
    new MutationObserver(() => {
      if (out.dataset.tokens && seen.at(-1) !== out.dataset.tokens) {
        seen.push(out.dataset.tokens);
        if (stop !== null && JSON.parse(out.dataset.tokens).length >= stop) document.getElementById('gen-stop')!.click();
      }
    }).observe(out, { attributes: true, childList: true, characterData: true, subtree: true });
  }, stopAfter ?? null);
  await page.click('#gen-run');
  await page.waitForSelector('#gen-output[data-done="1"]', { timeout: 120_000 });
  await page.waitForSelector('body:not([data-busy])');
  expect(await page.textContent('#status'), `status on ${backend}`).not.toMatch(/failed/);
  const out = await page.$eval('#gen-output', (e) => ({ ...(e as HTMLElement).dataset }));
  return {
    tokens: JSON.parse(out.tokens ?? '[]'),
    shown: await page.evaluate(() => (window as unknown as { shown: string[] }).shown),
    stopped: out.stopped === '1',
    tensors: [Number(out.tensorsBefore), Number(out.tensorsAfter)],
  };
}

describe.skipIf(!hasChromium)('playground Generate section in Chromium', () => {
  let browser: BrowserContext;
  let server: Server;
  let url: string;
  let outDir: string;
  let userDataDir: string;
  let nodeGreedy: number[];

  beforeAll(async () => {
    // Its own build directory: the other browser tests build at the same time.
    outDir = await mkdtemp(join(tmpdir(), 'attn-playground-gen-dist-'));
    await build({ configFile: join(appDir, 'vite.config.ts'), root: appDir, mode: 'production', logLevel: 'error', build: { outDir, emptyOutDir: true } });
    ({ server, url } = await serveStatic(outDir));
    userDataDir = await mkdtemp(join(tmpdir(), 'attn-chromium-gen-'));
    browser = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    // Node's answer for the same checkpoint and tokenizer the page bundles.
    await initBackend({ backend: 'wasm' });
    const model = await loadModel(join(repoDir, 'models/attn-gpt2-tiny'), { quiet: true });
    const tokenizer = Tokenizer.fromJSON(await readFile(join(repoDir, 'models/attn-gpt2-tiny/tokenizer.json'), 'utf8'));
    const ids = tokenizer.encode(PROMPT).ids;
    nodeGreedy = generate(model as never, [ids], { maxNewTokens: MAX_NEW, repetitionPenalty: PENALTY }).sequences[0]!.slice(ids.length);
    expect(new Set(nodeGreedy).size).toBe(MAX_NEW);
    model.dispose();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    server?.close();
    for (const dir of [userDataDir, outDir]) if (dir) await rm(dir, { recursive: true, force: true });
  });

  for (const backend of ['wasm', 'webgl']) {
    it(`streams tokens on ${backend}; greedy equals Node's generate(); Stop ends early; no tensor leaks`, async () => {
      const page = await browser.newPage();
      page.on('pageerror', (e) => console.error(`[page ${backend}]`, e.message));
      try {
        await page.goto(`${url}?backend=${backend}`);
        await page.waitForSelector('body[data-ready="1"]', { timeout: 120_000 });
        expect(await page.textContent('#backend-status')).toBe(backend);

        const first = await generateOn(page, backend, MAX_NEW);
        expect(first.tokens).toEqual(nodeGreedy);
        // Streamed: the page showed 1, 2, 3, … tokens, each a prefix of the next, not the whole answer at once.
        expect(first.shown.length).toBe(first.tokens.length);
        first.shown.forEach((s, i) => expect(JSON.parse(s)).toEqual(first.tokens.slice(0, i + 1)));
        expect(first.stopped).toBe(false);

        expect(first.tensors[1]).toBe(first.tensors[0]);

        const stopped = await generateOn(page, backend, 40, 3);
        expect(stopped.tokens).toEqual(nodeGreedy.slice(0, stopped.tokens.length));
        expect(stopped.stopped).toBe(true);
        expect(stopped.tokens.length).toBeGreaterThanOrEqual(3);
        expect(stopped.tokens.length).toBeLessThan(40);
        expect(stopped.tensors[1]).toBe(stopped.tensors[0]);
        console.log(`generation ${backend}: ${await page.textContent('#gen-status')} greedy ${JSON.stringify(first.tokens)}`);
      } finally {
        await page.close();
      }
    }, 240_000);
  }
});
