// The playground in a real Chromium (Debian's /usr/bin/chromium, driven by playwright-core), on the production
// build (minified, as users get it): inference on wasm and webgl, a short fine-tune whose loss falls, and a
// downloaded model that @attn/models' loadModel(dir) in Node, told no class, predicts the same with.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { chromium, type BrowserContext, type Download, type Page } from 'playwright-core';
import { initBackend, tf } from '@attn/tensor';
import { loadModel, toPretrainedBytes } from '@attn/models';
import { Tokenizer } from '@attn/tokenizers';
import { TextClassificationPipeline } from '@attn/pipelines';

const CHROMIUM = '/usr/bin/chromium';
const appDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const distDir = join(appDir, 'dist');
const repoDir = join(appDir, '../..');
const shots = join(appDir, 'screenshots');
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`playground browser tests skipped: ${CHROMIUM} is missing (install it with: apt-get update && apt-get install -y chromium).`);

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.wasm': 'application/wasm' };

/** A static server for the built page on 127.0.0.1 (an ephemeral port). */
async function serve(root: string): Promise<{ server: Server; url: string }> {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(root, path.endsWith('/') ? `${path}index.html` : path);
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address() as { port: number };
  return { server, url: `http://127.0.0.1:${addr.port}/` };
}

async function openPage(browser: BrowserContext, url: string, backend: string): Promise<Page> {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error(`[page ${backend}]`, e.message));
  await page.goto(`${url}?backend=${backend}`);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 60_000 });
  return page;
}

async function probs(page: Page): Promise<number[]> {
  return JSON.parse((await page.getAttribute('#cls-result', 'data-probs')) ?? '[]');
}

async function click(page: Page, id: string): Promise<void> {
  await page.click(id);
  await page.waitForSelector('body:not([data-busy])', { timeout: 60_000 });
  const status = await page.textContent('#status');
  expect(status, `after clicking ${id}`).not.toMatch(/failed/);
}

/** Clicks Download and saves the three files the page offers into `dir`. */
async function downloadModel(page: Page, dir: string): Promise<void> {
  const downloads: Promise<unknown>[] = [];
  const got = new Promise<void>((resolve) => {
    const onDownload = (d: Download) => {
      downloads.push(d.saveAs(join(dir, d.suggestedFilename())));
      if (downloads.length === 3) {
        page.off('download', onDownload);
        resolve();
      }
    };
    page.on('download', onDownload);
  });
  await page.click('#ft-download');
  await got;
  await Promise.all(downloads);
}

/** An in-memory file for an <input type=file>. */
function file(name: string, content: string | Uint8Array): { name: string; mimeType: string; buffer: Buffer } {
  return { name, mimeType: 'application/octet-stream', buffer: Buffer.from(content) };
}

describe.skipIf(!hasChromium)('playground in Chromium', () => {
  let browser: BrowserContext;
  let server: Server;
  let url: string;
  let userDataDir: string;
  const wasmDefault: number[] = [];
  const wasmLosses: number[] = [];

  beforeAll(async () => {
    await build({ configFile: join(appDir, 'vite.config.ts'), root: appDir, mode: 'production', logLevel: 'error' });
    ({ server, url } = await serve(distDir));
    userDataDir = await mkdtemp(join(tmpdir(), 'attn-chromium-'));
    // A fresh profile per run (playwright passes it as --user-data-dir).
    browser = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      acceptDownloads: true,
      viewport: { width: 1100, height: 900 },
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    await mkdir(shots, { recursive: true });
    await initBackend({ backend: 'wasm' });
  });

  afterAll(async () => {
    await browser?.close();
    server?.close();
    if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
  });

  it('is tested on a minified bundle: no model class keeps its name', async () => {
    // What made downloads say "architectures": ["I9"]: names taken from constructor.name, which the minifier renames.
    const js = (await readdir(join(distDir, 'assets'))).filter((f) => f.endsWith('.js'));
    expect(js).toHaveLength(1);
    const bundle = await readFile(join(distDir, 'assets', js[0]!), 'utf8');
    expect(bundle).toMatch(/architecture=[`"']BertForSequenceClassification[`"']/);
    expect(bundle).not.toMatch(/class BertForSequenceClassification\b/);
  });

  it('classifies, finds entities, answers and draws attention on wasm', async () => {
    const page = await openPage(browser, url, 'wasm');
    expect(await page.textContent('#backend-status')).toBe('wasm');
    const p = await probs(page);
    expect(p).toHaveLength(2);
    expect(p[0]! + p[1]!).toBeCloseTo(1, 5);
    wasmDefault.push(...p);
    // The page's default is models/attn-bert-tiny-sst2: Node loads the same folder and gives the page's probabilities.
    expect(await page.textContent('#model-desc')).toMatch(/attn-bert-tiny-sst2/);
    const before = tf.memory().numTensors;
    const reference = await loadModel(join(repoDir, 'models/attn-bert-tiny-sst2'), { quiet: true });
    const tokenizer = Tokenizer.fromJSON(await readFile(join(repoDir, 'models/attn-bert-tiny-sst2/tokenizer.json'), 'utf8'));
    const nodeProbs = Array.from(new TextClassificationPipeline(reference, tokenizer).probabilities([await page.inputValue('#cls-text')])[0]!);
    reference.dispose();
    expect(tf.memory().numTensors).toBe(before);
    nodeProbs.forEach((x, i) => expect(Math.abs(x - p[i]!)).toBeLessThan(1e-4));
    // Inference leaves no tensor behind: the count is the same after a second and a third classification.
    await click(page, '#cls-run');
    const tensors = await page.getAttribute('body', 'data-tensors');
    await click(page, '#cls-run');
    expect(await page.getAttribute('body', 'data-tensors')).toBe(tensors);
    await click(page, '#ner-run');
    expect(JSON.parse((await page.getAttribute('#ner-result', 'data-entities'))!)).toBeInstanceOf(Array);
    await click(page, '#qa-run');
    const answer = JSON.parse((await page.getAttribute('#qa-result', 'data-answer'))!);
    const context = await page.inputValue('#qa-context');
    expect(context.slice(answer.start, answer.end)).toBe(answer.answer);
    expect(await page.locator('#qa-result mark').count()).toBe(1);
    await page.selectOption('#attn-layer', '1');
    await page.selectOption('#attn-head', '1');
    await click(page, '#attn-run');
    expect(Number(await page.getAttribute('#attn-canvas', 'data-tokens'))).toBeGreaterThan(5);
    await page.screenshot({ path: join(shots, 'inference-wasm.png'), fullPage: true });
    await page.close();
  });

  it('opens on fine-tuned defaults, one per task and fetched lazily, with their dev scores: sentiment and entities are right', async () => {
    const page = await openPage(browser, url, 'wasm');
    const fetched = async () => (await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name))).filter((n) => n.endsWith('.safetensors'));
    // Only the sentiment model is fetched at start.
    expect(await fetched()).toHaveLength(1);
    expect(await page.textContent('#cls-note')).toMatch(/^Model: attn-bert-tiny-sst2 — SST-2 dev accuracy \d\d\.\d\d% \(872 sentences\)\.$/);
    expect(await page.textContent('#ner-note')).toMatch(/^Model: attn-bert-tiny-conll03 — CoNLL-2003 dev entity F1 \d\d\.\d\d \(3250 sentences\)\. Fetched when you first run this section\.$/);
    expect(await page.textContent('#qa-note')).toMatch(/^Model: attn-bert-tiny-squad — SQuAD v1\.1 dev EM \/ F1 \d+\.\d\d \/ \d+\.\d\d \(\d+ questions\)\. Fetched when/);
    for (const [text, label] of [
      ['This movie was wonderful, I loved every minute.', 'POSITIVE'],
      ['A dull, boring film. I hated every minute of it.', 'NEGATIVE'],
    ]) {
      await page.fill('#cls-text', text!);
      await click(page, '#cls-run');
      expect(await page.getAttribute('#cls-result', 'data-label'), text).toBe(label);
    }
    await page.fill('#ner-text', 'John Smith moved from London to Berlin last year.');
    await click(page, '#ner-run');
    const entities: Array<{ entity: string; word: string }> = JSON.parse((await page.getAttribute('#ner-result', 'data-entities'))!);
    expect(entities.map((e) => `${e.entity}:${e.word}`)).toEqual(expect.arrayContaining(['PER:John Smith', 'LOC:London']));
    expect(await page.getAttribute('#ner-note', 'data-model')).toBe('attn-bert-tiny-conll03');
    expect(await page.textContent('#ner-note')).not.toMatch(/Fetched when/);
    expect(await fetched()).toHaveLength(2);
    await click(page, '#qa-run');
    expect(await page.getAttribute('#qa-note', 'data-model')).toBe('attn-bert-tiny-squad');
    expect(await fetched()).toHaveLength(3);
    // A second run fetches nothing again.
    await click(page, '#ner-run');
    expect(await fetched()).toHaveLength(3);
    await page.close();
  });

  it('gives the same classification on webgl as on wasm (within 1e-4)', async () => {
    const page = await openPage(browser, url, 'webgl');
    expect(await page.textContent('#backend-status')).toBe('webgl');
    const p = await probs(page);
    expect(p).toHaveLength(2);
    p.forEach((x, i) => expect(Math.abs(x - wasmDefault[i]!)).toBeLessThan(1e-4));
    await page.close();
  });

  it('runs the same weights exported to ONNX in onnxruntime-web with the probabilities of attn on wasm (within 1e-4)', async () => {
    const page = await openPage(browser, url, 'wasm');
    for (const text of ['This movie was wonderful, I loved every minute.', 'A dull, boring film. I hated every minute of it.']) {
      await page.fill('#cls-text', text);
      await click(page, '#cls-run');
      await click(page, '#cls-ort-run');
      const attn = await probs(page);
      const ort: number[] = JSON.parse((await page.getAttribute('#cls-ort-result', 'data-probs')) ?? '[]');
      expect(ort, text).toHaveLength(2);
      ort.forEach((x, i) => expect(Math.abs(x - attn[i]!), text).toBeLessThan(1e-4));
    }
    expect(await page.textContent('#cls-ort-result')).toMatch(/^onnxruntime-web: NEGATIVE 0\.\d{4}, POSITIVE 0\.\d{4}$/);
    await page.close();
  });

  it('fine-tunes on 20 rows with a falling loss; loadModel(dir) in Node, given no class, predicts the same with the download', async () => {
    const page = await openPage(browser, url, 'wasm');
    await page.setInputFiles('#ft-file', join(appDir, 'test/data/sentiment20.tsv'));
    await page.waitForSelector('#ft-data[data-rows="20"]');
    await page.fill('#ft-steps', '16');
    await page.fill('#ft-lr', '0.005');
    await click(page, '#ft-run');
    expect(await page.getAttribute('#ft-status', 'data-done')).toBe('1');
    const losses: number[] = JSON.parse((await page.getAttribute('#ft-status', 'data-losses'))!);
    expect(losses).toHaveLength(16);
    wasmLosses.push(...losses);
    // Optimizer slots are created on the first step; after that a step must not grow the tensor count.
    const counts: number[] = JSON.parse((await page.getAttribute('#ft-status', 'data-tensor-counts'))!);
    expect(new Set(counts.slice(1)).size).toBe(1);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(losses.slice(-3))).toBeLessThan(mean(losses.slice(0, 3)) * 0.8);

    const text = 'a wonderful, moving film';
    await page.fill('#cls-text', text);
    await click(page, '#cls-run');
    const browserProbs = await probs(page);
    await page.screenshot({ path: join(shots, 'fine-tune-wasm.png'), fullPage: true });

    const dir = await mkdtemp(join(tmpdir(), 'attn-playground-model-'));
    try {
      await downloadModel(page, dir);
      expect((await readdir(dir)).sort()).toEqual(['config.json', 'model.safetensors', 'tokenizer.json']);
      const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'));
      expect(config.architectures).toEqual(['BertForSequenceClassification']);
      expect(config.model_type).toBe('bert');
      const before = tf.memory().numTensors;
      // As a user would: the class comes from config.json, as HF's AutoModel decides it.
      const model = await loadModel(dir, { quiet: true });
      expect(model.architecture).toBe('BertForSequenceClassification');
      expect(model.task).toBe('sequence-classification');
      const tokenizer = Tokenizer.fromJSON(await readFile(join(dir, 'tokenizer.json'), 'utf8'));
      const nodeProbs = Array.from(new TextClassificationPipeline(model, tokenizer).probabilities([text])[0]!);
      expect(model.config.id2label).toEqual({ 0: 'negative', 1: 'positive' });
      nodeProbs.forEach((x, i) => expect(Math.abs(x - browserProbs[i]!)).toBeLessThan(1e-4));
      model.dispose();
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      await rm(dir, { recursive: true, force: true });
      await page.close();
    }
  });

  // Family-neutral: HF-saved micro RoBERTa and DistilBERT directories (fixtures/models) go through every section.
  it.each([
    ['micro-roberta', 'RobertaForSequenceClassification'],
    ['micro-distilbert', 'DistilBertForSequenceClassification'],
  ])('runs and fine-tunes %s picked as files; loadModel(dir) reloads the download as %s', async (name, architecture) => {
    const page = await openPage(browser, url, 'wasm');
    const src = join(repoDir, 'fixtures/models', name);
    await page.setInputFiles('#model-files', ['config.json', 'model.safetensors', 'tokenizer.json'].map((f) => join(src, f)));
    await page.waitForSelector('body:not([data-busy])');
    expect(await page.textContent('#status')).not.toMatch(/failed/);
    expect(await page.textContent('#model-desc')).toMatch(/^Files: /);
    // The checkpoint is a masked-LM one: every task head is new, and the page says so for NER and QA.
    expect(await page.textContent('#ner-note')).toMatch(/no token-classification head/);
    await click(page, '#cls-run');
    expect((await probs(page)).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    await click(page, '#ner-run');
    await click(page, '#qa-run');
    const answer = JSON.parse((await page.getAttribute('#qa-result', 'data-answer'))!);
    expect((await page.inputValue('#qa-context')).slice(answer.start, answer.end)).toBe(answer.answer);
    await click(page, '#attn-run');
    expect(Number(await page.getAttribute('#attn-canvas', 'data-tokens'))).toBeGreaterThan(5);

    await page.setInputFiles('#ft-file', join(appDir, 'test/data/sentiment20.tsv'));
    await page.waitForSelector('#ft-data[data-rows="20"]');
    await page.fill('#ft-steps', '3');
    await click(page, '#ft-run');
    expect(await page.getAttribute('#ft-status', 'data-done')).toBe('1');
    const text = 'a wonderful, moving film';
    await page.fill('#cls-text', text);
    await click(page, '#cls-run');
    const browserProbs = await probs(page);
    const dir = await mkdtemp(join(tmpdir(), `attn-playground-${name}-`));
    try {
      await downloadModel(page, dir);
      expect(JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')).architectures).toEqual([architecture]);
      const model = await loadModel(dir, { quiet: true });
      expect(model.architecture).toBe(architecture);
      const tokenizer = Tokenizer.fromJSON(await readFile(join(dir, 'tokenizer.json'), 'utf8'));
      const nodeProbs = Array.from(new TextClassificationPipeline(model, tokenizer).probabilities([text])[0]!);
      model.dispose();
      nodeProbs.forEach((x, i) => expect(Math.abs(x - browserProbs[i]!)).toBeLessThan(1e-4));
    } finally {
      await rm(dir, { recursive: true, force: true });
      await page.close();
    }
  });

  it('refuses nonsense fine-tuning settings next to the field and keeps Train disabled until they are fixed', async () => {
    const page = await openPage(browser, url, 'wasm');
    await page.setInputFiles('#ft-file', join(appDir, 'test/data/sentiment20.tsv'));
    await page.waitForSelector('#ft-data[data-rows="20"]');
    expect(await page.isEnabled('#ft-run')).toBe(true);
    const cases: Array<[string, string, RegExp]> = [
      ['#ft-steps', '0', /^Steps must be a whole number from 1 to 10000; got "0"\.$/],
      ['#ft-steps', '', /^Steps must be a whole number from 1 to 10000; got ""\.$/],
      ['#ft-batch', '0', /^Batch must be a whole number from 1 to 128; got "0"\.$/],
      ['#ft-lr', '-1', /^Learning rate must be above 0 and at most 1 \(fine-tuning uses about 1e-5 to 1e-2\); got "-1"\.$/],
      ['#ft-lr', '1e30', /^Learning rate must be above 0 .*; got "1e30"\.$/],
    ];
    for (const [field, bad, message] of cases) {
      const good = await page.inputValue(field);
      await page.fill(field, bad);
      expect(await page.textContent(`${field}-error`), `${field} = ${bad}`).toMatch(message);
      expect(await page.getAttribute(field, 'aria-invalid')).toBe('true');
      expect(await page.isEnabled('#ft-run'), `Train with ${field} = ${bad}`).toBe(false);
      await page.fill(field, good);
      expect(await page.textContent(`${field}-error`)).toBe('');
      expect(await page.isEnabled('#ft-run')).toBe(true);
    }
    await page.fill('#ft-steps', '0');
    await page.fill('#ft-lr', '1e30');
    await page.locator('#finetune').screenshot({ path: join(shots, 'fine-tune-settings-errors.png') });
    await page.fill('#ft-steps', '30');
    await page.fill('#ft-lr', '0.005');
    // Nothing ran: no status, no fine-tuned model.
    expect(await page.textContent('#ft-status')).toBe('');
    expect(await page.isEnabled('#ft-download')).toBe(false);
    await page.close();
  });

  it('refuses a file that is not UTF-8 (naming file and line) or has one label, and clears the previous file', async () => {
    const page = await openPage(browser, url, 'wasm');
    await page.setInputFiles('#ft-file', join(appDir, 'test/data/sentiment20.tsv'));
    await page.waitForSelector('#ft-data[data-rows="20"]');
    expect(await page.isEnabled('#ft-run')).toBe(true);
    // Latin-1: "café crème" read as UTF-8 was "caf� cr�me" and trained on.
    const latin1 = Uint8Array.from('sentence\tlabel\nthe best film\tpositive\ncaf\u00e9 cr\u00e8me, lovely\tpositive\nawful\tnegative\n', (c) => c.charCodeAt(0));
    await page.setInputFiles('#ft-file', file('reviews-latin1.tsv', latin1));
    await page.waitForSelector('#ft-data[data-error="1"]');
    expect(await page.textContent('#ft-data')).toMatch(/^reviews-latin1\.tsv:3: not valid UTF-8 \(byte 0xE9 at byte 4 of the line\)\. If the file is Latin-1 \(ISO-8859-1\), read it with encoding 'latin1'/);
    expect(await page.getAttribute('#ft-data', 'data-rows')).toBeNull();
    expect(await page.textContent('#ft-data')).not.toMatch(/sentiment20/);
    expect(await page.isEnabled('#ft-run')).toBe(false);
    expect(await page.textContent('#status')).toMatch(/^Reading data failed: reviews-latin1\.tsv:3: not valid UTF-8/);
    // Read on purpose as Latin-1 (the file is re-read when the encoding changes): the accents survive.
    await page.selectOption('#ft-encoding', 'latin1');
    await page.waitForSelector('#ft-data[data-rows="3"]');
    expect(await page.textContent('#ft-data')).toBe('reviews-latin1.tsv (Latin-1): 3 rows (0 skipped), text column "sentence", labels negative, positive');
    expect(await page.isEnabled('#ft-run')).toBe(true);
    await page.selectOption('#ft-encoding', 'utf8');

    await page.waitForSelector('#ft-data[data-error="1"]');
    await page.setInputFiles('#ft-file', join(appDir, 'test/data/sentiment20.tsv'));
    await page.waitForSelector('#ft-data[data-rows="20"]');
    expect(await page.textContent('#ft-data')).toMatch(/^sentiment20\.tsv \(UTF-8\): 20 rows/);
    expect(await page.isEnabled('#ft-run')).toBe(true);
    await page.setInputFiles('#ft-file', file('one-label.tsv', 'sentence\tlabel\ngood\tpositive\ngreat\tpositive\n'));
    await page.waitForSelector('#ft-data[data-error="1"]');
    expect(await page.textContent('#ft-data')).toMatch(/^one-label\.tsv \(field "label"\): a classifier needs at least 2 different labels; found 2 usable rows \(0 skipped\) with labels \[positive\]\.$/);
    expect(await page.isEnabled('#ft-run')).toBe(false);
    await page.close();
  });

  it('stops on a non-finite loss: the page keeps its model and the earlier fine-tuned download', async () => {
    const page = await openPage(browser, url, 'wasm');
    await page.setInputFiles('#ft-file', join(appDir, 'test/data/sentiment20.tsv'));
    await page.waitForSelector('#ft-data[data-rows="20"]');
    await page.fill('#ft-steps', '3');
    await click(page, '#ft-run');
    expect(await page.textContent('#ft-status')).toMatch(/^Finished after 3 steps .*\(\d+\.\d examples\/s\); loss \d\.\d{4} → \d\.\d{4}\. The page now uses the fine-tuned model\.$/);
    expect(await page.isEnabled('#ft-download')).toBe(true);

    // A checkpoint holding a NaN weight (as an overflowed half-precision save does): its first loss is NaN.
    const reference = await loadModel(join(repoDir, 'models/attn-bert-tiny'), { task: 'sequence-classification', seed: 0, quiet: true });
    const [, norm] = reference.namedParameters().find(([n]) => n === 'bert.embeddings.LayerNorm.weight')!;
    tf.tidy(() => norm.assign(tf.fill(norm.shape, NaN)));
    const broken = toPretrainedBytes(reference);
    reference.dispose();
    const tokenizerJson = await readFile(join(repoDir, 'models/attn-bert-tiny/tokenizer.json'), 'utf8');
    await page.setInputFiles('#model-files', [file('config.json', broken.config), file('model.safetensors', broken.safetensors), file('tokenizer.json', tokenizerJson)]);
    await page.waitForSelector('body:not([data-busy])');
    const description = await page.textContent('#model-desc');
    expect(description).toMatch(/^Files: /);
    const tensors = await page.getAttribute('body', 'data-tensors');

    await page.click('#ft-run');
    await page.waitForSelector('#ft-status[data-failed="1"]', { timeout: 60_000 });
    await page.waitForSelector('body:not([data-busy])');
    expect(await page.textContent('#ft-status')).toBe('The loss is NaN at step 1, before any update: the checkpoint holds a NaN or infinite weight. Training stopped; the previous model is kept.');
    expect(await page.textContent('#status')).toMatch(/^Fine-tuning failed: The loss is NaN/);
    expect(await page.textContent('#model-desc')).toBe(description);
    // Everything the failed run built was disposed.
    expect(await page.getAttribute('body', 'data-tensors')).toBe(tensors);
    expect(await page.isEnabled('#ft-run')).toBe(true);
    expect(await page.isEnabled('#ft-stop')).toBe(false);

    // The download is still the first run's model, whole.
    const dir = await mkdtemp(join(tmpdir(), 'attn-playground-kept-'));
    try {
      await downloadModel(page, dir);
      const model = await loadModel(dir, { quiet: true });
      expect(model.config.id2label).toEqual({ 0: 'negative', 1: 'positive' });
      const allFinite = model.namedParameters().every(([, v]) => tf.tidy(() => tf.all(tf.isFinite(v)).dataSync()[0] === 1));
      model.dispose();
      expect(allFinite).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
      await page.close();
    }
  });

  // WebGL under SwiftShader trains at ~2 examples/s here: the same 16-step run as on wasm, stopped after 2+ steps,
  // which must match wasm's losses step by step.
  it('fine-tunes on webgl with the same losses as wasm (within 1e-4), and stops on Stop', async () => {
    const page = await openPage(browser, url, 'webgl');
    await page.setInputFiles('#ft-file', join(appDir, 'test/data/sentiment20.tsv'));
    await page.waitForSelector('#ft-data[data-rows="20"]');
    await page.fill('#ft-steps', '16');
    await page.fill('#ft-lr', '0.005');
    await page.click('#ft-run');
    await page.waitForFunction(() => /^step ([2-9]|1\d):/.test(document.getElementById('ft-status')?.textContent ?? ''), null, { timeout: 60_000 });
    await page.click('#ft-stop');
    await page.waitForSelector('#ft-status[data-done="1"]', { timeout: 60_000 });
    expect(await page.textContent('#ft-status')).toMatch(/^Stopped after/);
    const losses: number[] = JSON.parse((await page.getAttribute('#ft-status', 'data-losses'))!);
    expect(losses.length).toBeGreaterThanOrEqual(2);
    expect(losses.length).toBeLessThan(16);
    losses.forEach((x, i) => expect(Math.abs(x - wasmLosses[i]!)).toBeLessThan(1e-4));
    await page.screenshot({ path: join(shots, 'fine-tune-webgl.png'), fullPage: true });
    await page.close();
  });
});
