#!/usr/bin/env node
// SIGTERM under load: how many requests `attn-classify serve` answers when it is stopped while busy.
// Sends --requests concurrent POST /predict requests of --texts texts each, each on its own connection,
// waits until every body is fully sent, waits --delay ms, sends SIGTERM, then counts what came back:
// 200s, 503s (split: "server busy", the queue past --max-queued-inputs, which is load shedding and
// an answer; and any other 503, e.g. "closing"), connection resets (or other socket errors), the
// drain time and the exit code. Every request here was accepted before SIGTERM, so a correct drain
// answers each one: 200, or busy when the queue is full. Keep requests × texts ≤ 4096 (the server's
// default maxQueuedInputs) to see only 200s.
// Loopback only; bounded: --rounds servers, one burst each.
// Needs built packages and app: `npx nx run-many -t build --projects=@attn/*,@attn/app-classify`.
// Usage: node tools/bench/serve_drain.mjs [--model DIR] [--requests 64] [--texts 64] [--delay 150] [--rounds 3] [--backend wasm]
//        (without --model: a random-weight bert-tiny classifier, as fast as a trained one)
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const requests = Number(arg('requests', 64));
const texts = Number(arg('texts', 64));
const delayMs = Number(arg('delay', 150));
const rounds = Number(arg('rounds', 3));
const backend = arg('backend', 'wasm');
const HOST = '127.0.0.1'; // loopback only, by design

const SENTENCES = [
  'a gripping, beautifully shot film with a great cast',
  'the plot never goes anywhere and the jokes fall flat.',
  'it is a movie about a family in a small town',
  'unbelievably dull; i left halfway through',
];

async function randomModel() {
  const { initBackend } = await import(join(root, 'packages/tensor/dist/index.js'));
  const { BertConfig, BertForSequenceClassification } = await import(join(root, 'packages/models/dist/index.js'));
  await initBackend({ backend });
  const dir = await mkdtemp(join(tmpdir(), 'attn-serve-drain-'));
  const model = new BertForSequenceClassification(
    BertConfig.preset('bert-tiny', { id2label: { 0: 'negative', 1: 'positive' }, label2id: { negative: 0, positive: 1 } }),
    { seed: 1 },
  );
  await model.savePretrained(dir);
  model.dispose();
  await copyFile(join(root, 'fixtures/tokenizers/bert-base-uncased/vocab.txt'), join(dir, 'vocab.txt'));
  return dir;
}

async function startServer(modelDir) {
  const child = spawn(
    process.execPath,
    [join(root, 'apps/classify/dist/cli.js'), 'serve', '--model', modelDir, '--host', HOST, '--port', '0', '--max-batch-items', String(Math.max(128, texts)), '--backend', backend],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  child.stderr.on('data', (d) => (log += d));
  const exited = new Promise((r) => child.on('exit', (code) => r(code)));
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (l) => (log += `${l}\n`));
  const url = await new Promise((resolve, reject) => {
    lines.on('line', (l) => {
      const m = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(l);
      if (m) resolve(m[1]);
    });
    exited.then((code) => reject(new Error(`serve exited with ${code} before listening:\n${log}`)));
  });
  return { child, url, exited, log: () => log };
}

/** POSTs on a fresh connection; `sent` resolves once the body is handed to the kernel. */
function post(url, body) {
  let markSent;
  const sent = new Promise((r) => (markSent = r));
  const outcome = new Promise((resolve) => {
    const req = request(`${url}/predict`, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode, busy: res.statusCode === 503 && text.includes('server busy') }));
      res.on('error', (e) => resolve({ error: e.code ?? e.message }));
    });
    req.on('error', (e) => {
      markSent();
      resolve({ error: e.code ?? e.message });
    });
    req.on('finish', markSent);
    req.end(body);
  });
  return { sent, outcome };
}

const body = JSON.stringify({ inputs: Array.from({ length: texts }, (_, i) => ({ text: SENTENCES[i % SENTENCES.length] })) });
const modelDir = arg('model', undefined) ?? (await randomModel());
const rows = [];
for (let round = 0; round < rounds; round++) {
  const server = await startServer(modelDir);
  await post(server.url, body).outcome; // warm-up: JIT, wasm, allocator
  const t0 = performance.now();
  const burst = Array.from({ length: requests }, () => post(server.url, body));
  await Promise.all(burst.map((r) => r.sent));
  const sentMs = performance.now() - t0;
  await new Promise((r) => setTimeout(r, delayMs));
  const tTerm = performance.now();
  server.child.kill('SIGTERM');
  const outcomes = await Promise.all(burst.map((r) => r.outcome));
  const code = await server.exited;
  const drainS = (performance.now() - tTerm) / 1000;
  const errors = outcomes.filter((o) => 'error' in o);
  const row = {
    sent: outcomes.length - errors.filter((e) => e.error === 'ECONNREFUSED').length,
    ok: outcomes.filter((o) => o.status === 200).length,
    busy: outcomes.filter((o) => o.status === 503 && o.busy).length,
    unavailable: outcomes.filter((o) => o.status === 503 && !o.busy).length,
    otherStatus: outcomes.filter((o) => 'status' in o && o.status !== 200 && o.status !== 503).length,
    reset: errors.length,
    errorCodes: [...new Set(errors.map((e) => e.error))].join(',') || '-',
    sentMs,
    drainS,
    code,
    lastLine: server.log().trim().split('\n').at(-1),
  };
  rows.push(row);
  console.error(`round ${round + 1}: ${JSON.stringify(row)}`);
}
if (!arg('model', undefined)) await rm(modelDir, { recursive: true, force: true });

console.log(`\nattn-classify serve, ${arg('model', undefined) ? modelDir : 'bert-tiny (random weights)'}, backend ${backend}, ${cpus()[0]?.model ?? '?'}: ${requests} concurrent requests of ${texts} texts, each on its own connection, SIGTERM ${delayMs} ms after all were fully sent\n`);
console.log('| round | requests sent before SIGTERM | 200 | 503 busy (queue full) | 503 other | other status | reset / socket error | drain s | exit code |');
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
rows.forEach((r, i) => console.log(`| ${i + 1} | ${r.sent} | ${r.ok} | ${r.busy} | ${r.unavailable} | ${r.otherStatus} | ${r.reset} ${r.errorCodes === '-' ? '' : `(${r.errorCodes})`} | ${r.drainS.toFixed(1)} | ${r.code} |`));
if (rows.some((r) => r.ok + r.busy !== r.sent || r.code !== 0)) {
  console.error('FAIL: a request accepted before SIGTERM got no answer (a reset or a 503 other than busy), or the server did not exit 0');
  process.exitCode = 1;
}
