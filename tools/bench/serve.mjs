#!/usr/bin/env node
// Load test of `attn-classify serve` on loopback: requests/s and p50/p99 latency at 1, 16 and 64
// concurrent clients, with dynamic batching (--max-batch-size 32) and without (1), plus errors and
// the server's RSS and live tensor count before/after. Bounded: every point runs --duration seconds.
// The server runs in its own process, so the load generator (autocannon) does not share its event loop.
// Needs built packages and app: `npx nx run-many -t build --projects=@attn/*,@attn/app-classify`.
// Usage: node tools/bench/serve.mjs [--model DIR] [--duration 10] [--rounds 5] [--clients 1,16,64] [--backend wasm]
//        [--modes 32:5,32:0,1:0]   (maxBatchSize:batchWindowMs per server; maxBatchSize 1 = batching off)
//        (without --model: a random-weight bert-tiny classifier, which is as fast as a trained one)
//        [--layouts 2x1,1x2]  instead of --modes: N replicas × T threads each (ATTN_NATIVE_THREADS), every layout
//        behind nginx through tools/serve-replicas/replicas.mjs, batching 32:5; counters summed over replicas
import { spawn } from 'node:child_process';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// autocannon is @attn/serve's pinned devDependency.
const autocannon = createRequire(join(root, 'packages/serve/package.json'))('autocannon');

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const duration = Number(arg('duration', 10));
const rounds = Number(arg('rounds', 5));
const clients = arg('clients', '1,16,64').split(',').map(Number);
const backend = arg('backend', 'wasm');
const modes = arg('modes', '32:5,32:0,1:0').split(',').map((m) => m.split(':').map(Number));
const layouts = arg('layouts', undefined)?.split(',').map((l) => l.split('x').map(Number));
const modeName = ([size, win]) => (size === 1 ? 'off (max batch 1)' : `max batch ${size}, window ${win} ms`);
const HOST = '127.0.0.1'; // loopback only, by design

const TEXTS = [
  'a gripping, beautifully shot film with a great cast',
  'the plot never goes anywhere and the jokes fall flat.',
  'it is a movie about a family in a small town',
  'unbelievably dull; i left halfway through',
  'one of the best performances of the year',
  'a mess from start to finish, but a charming one',
  'the soundtrack alone is worth the ticket',
  'too long by half an hour',
];

async function randomModel() {
  const { initBackend } = await import(join(root, 'packages/tensor/dist/index.js'));
  const { BertConfig, BertForSequenceClassification } = await import(join(root, 'packages/models/dist/index.js'));
  await initBackend({ backend });
  const dir = await mkdtemp(join(tmpdir(), 'attn-serve-bench-'));
  const model = new BertForSequenceClassification(
    BertConfig.preset('bert-tiny', { id2label: { 0: 'negative', 1: 'positive' }, label2id: { negative: 0, positive: 1 } }),
    { seed: 1 },
  );
  await model.savePretrained(dir);
  model.dispose();
  await copyFile(join(root, 'fixtures/tokenizers/bert-base-uncased/vocab.txt'), join(dir, 'vocab.txt'));
  return dir;
}

/** Starts the app's serve command; resolves with its url once it prints it. */
async function startServer(modelDir, maxBatchSize, windowMs) {
  const child = spawn(
    process.execPath,
    [join(root, 'apps/classify/dist/cli.js'), 'serve', '--model', modelDir, '--host', HOST, '--port', '0', '--max-batch-size', String(maxBatchSize), '--batch-window-ms', String(windowMs), '--backend', backend],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise((r) => child.on('exit', (code) => r(code)));
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise((resolve, reject) => {
    lines.on('line', (l) => {
      const m = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(l);
      if (m) resolve(m[1]);
    });
    exited.then((code) => reject(new Error(`serve exited with ${code} before listening`)));
  });
  return { url, health: () => getJson(`${url}/health`), stop: async () => (child.kill('SIGTERM'), await exited) };
}

const getJson = async (url) => (await fetch(url)).json();

/** N replicas × T threads behind nginx (tools/serve-replicas/replicas.mjs); health sums the replicas' counters. */
async function startReplicas(modelDir, replicas, threads) {
  const cli = [process.execPath, join(root, 'apps/classify/dist/cli.js'), 'serve', '--model', modelDir, '--max-batch-size', '32', '--batch-window-ms', '5', '--backend', backend];
  const child = spawn(process.execPath, [join(root, 'tools/serve-replicas/replicas.mjs'), '--replicas', String(replicas), '--threads', String(threads), '--port', '0', '--', ...cli], { stdio: ['ignore', 'pipe', 'ignore'] });
  const exited = new Promise((r) => child.on('exit', (code) => r(code)));
  const ready = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (l) => resolve(JSON.parse(l)));
    exited.then((code) => reject(new Error(`replicas.mjs exited with ${code} before listening`)));
  });
  const health = async () => {
    const hs = await Promise.all(ready.replicas.map((r) => getJson(`${r.url}/health`)));
    const sum = (k) => hs.reduce((a, h) => a + h[k], 0);
    return { batches: sum('batches'), inputs: sum('inputs'), requests: sum('requests'), rssBytes: sum('rssBytes'), numTensors: sum('numTensors') };
  };
  return { url: ready.url, health, stop: async () => (child.kill('SIGTERM'), await exited) };
}

function load(url, connections, seconds) {
  let k = 0;
  return autocannon({
    url: `${url}/predict`,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        setupRequest: (req) => ({ ...req, body: JSON.stringify({ text: TEXTS[k++ % TEXTS.length] }) }),
      },
    ],
  });
}

const modelDir = arg('model', undefined) ?? (await randomModel());
// Every server runs at once and the modes take turns in short rounds, so a change in the machine's
// background load (2 shared cores here) hits every mode alike instead of skewing the ratio.
const servers = [];
const setups = layouts
  ? layouts.map(([n, t]) => [`${n} replica${n > 1 ? 's' : ''} × ${t} thread${t > 1 ? 's' : ''} (nginx)`, () => startReplicas(modelDir, n, t)])
  : modes.map(([maxBatchSize, windowMs]) => [modeName([maxBatchSize, windowMs]), () => startServer(modelDir, maxBatchSize, windowMs)]);
for (const [mode, start] of setups) {
  const server = await start();
  await load(server.url, 16, 2); // warm-up: JIT, wasm, allocator
  servers.push({ mode, ...server, before: await server.health() });
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = [];
for (const c of clients) {
  const acc = new Map(servers.map((s) => [s.mode, { total: 0, seconds: 0, p50: [], p99: [], errors: 0, calls: 0, inputs: 0 }]));
  for (let round = 0; round < rounds; round++) {
    // Rotate who goes first, so no mode always follows the same neighbour.
    for (let k = 0; k < servers.length; k++) {
      const s = servers[(k + round) % servers.length];
      const h0 = await s.health();
      const r = await load(s.url, c, duration / rounds);
      const h1 = await s.health();
      const a = acc.get(s.mode);
      a.total += r.requests.total;
      a.seconds += r.duration;
      a.p50.push(r.latency.p50);
      a.p99.push(r.latency.p99);
      a.errors += r.errors + r.timeouts + r.non2xx;
      a.calls += h1.batches - h0.batches;
      a.inputs += h1.inputs - h0.inputs;
    }
  }
  for (const s of servers) {
    const a = acc.get(s.mode);
    const row = { mode: s.mode, clients: c, rps: a.total / a.seconds, p50: median(a.p50), p99: median(a.p99), errors: a.errors, meanBatch: a.inputs / a.calls };
    rows.push(row);
    console.error(`${row.mode} c=${c}: ${row.rps.toFixed(1)} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms, errors ${row.errors}, mean batch ${row.meanBatch.toFixed(1)}`);
  }
}
const memory = [];
for (const s of servers) {
  memory.push({ mode: s.mode, before: s.before, after: await s.health() });
  await s.stop();
}
if (!arg('model', undefined)) await rm(modelDir, { recursive: true, force: true });

const mb = (b) => (b / 2 ** 20).toFixed(0);
console.log(`\nattn-classify serve, ${arg('model', undefined) ? modelDir : 'bert-tiny (random weights)'}, backend ${backend}, ${cpus()[0]?.model ?? '?'} (${cpus().length} CPUs), ${duration} s per point in ${rounds} interleaved rounds, one short sentence per request\n`);
console.log(`| ${layouts ? 'layout' : 'batching'} | clients | requests/s | p50 ms | p99 ms | errors | inputs per model call |`);
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.mode} | ${r.clients} | ${r.rps.toFixed(1)} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.meanBatch.toFixed(1)} |`);
if (layouts) {
  const base = servers[servers.length - 1].mode;
  console.log(`\n| clients | ${servers.slice(0, -1).map((s) => `${s.mode} / ${base}`).join(' | ')} |\n|---:|${servers.slice(0, -1).map(() => '---:').join('|')}|`);
  for (const c of clients) {
    const u = rows.find((r) => r.mode === base && r.clients === c);
    console.log(`| ${c} | ${servers.slice(0, -1).map((s) => `${(rows.find((r) => r.mode === s.mode && r.clients === c).rps / u.rps).toFixed(2)}×`).join(' | ')} |`);
  }
}
const off = layouts ? undefined : modes.find(([size]) => size === 1);
if (off) {
  const batchedModes = modes.filter(([size]) => size !== 1).map(modeName);
  console.log(`\n| clients | ${batchedModes.map((m) => `${m} / off`).join(' | ')} |\n|---:|${batchedModes.map(() => '---:').join('|')}|`);
  for (const c of clients) {
    const u = rows.find((r) => r.mode === modeName(off) && r.clients === c);
    console.log(`| ${c} | ${batchedModes.map((m) => `${(rows.find((r) => r.mode === m && r.clients === c).rps / u.rps).toFixed(2)}×`).join(' | ')} |`);
  }
}
console.log('\n| server | requests | model calls | mean batch | RSS before → after (MiB) | tensors before → after |\n|---|---:|---:|---:|---|---|');
for (const { mode, before, after } of memory) {
  const calls = after.batches - before.batches;
  console.log(`| ${mode} | ${after.requests - before.requests} | ${calls} | ${((after.inputs - before.inputs) / calls).toFixed(1)} | ${mb(before.rssBytes)} → ${mb(after.rssBytes)} | ${before.numTensors} → ${after.numTensors} |`);
}
const failed = rows.some((r) => r.errors > 0) || memory.some((m) => m.after.numTensors !== m.before.numTensors);
if (failed) {
  console.error('FAIL: errors or tensor growth during the run');
  process.exitCode = 1;
}
