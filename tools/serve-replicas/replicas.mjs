#!/usr/bin/env node
// N replicas of an attn `serve` command behind nginx on one machine.
//
//   node tools/serve-replicas/replicas.mjs --replicas 2 --threads 1 --port 8080 -- \
//     node apps/classify/dist/cli.js serve --model models/attn-bert-tiny-sst2
//
// Starts the command N times (each with --host 127.0.0.1 --port 0 appended, and ATTN_NATIVE_THREADS set to
// --threads), waits until each prints its address, writes an nginx configuration with those replicas as one
// upstream into a temporary prefix (no root needed), and runs nginx in the foreground on --host:--port.
// It prints one JSON line `{"url": ..., "replicas": [{"pid": ..., "url": ...}]}` when ready.
//
// `attn serve` is stateless, so any replica can answer any request. nginx passes a request to the next replica
// when one refuses the connection, resets it, or answers 503 (a replica that is draining after SIGTERM answers
// 503 to new requests on kept-alive connections, and closes its listener): POST /predict has no side effect, so
// the retry is safe (`non_idempotent`). A replica that failed is left out for 10 s (nginx's max_fails 1).
// SIGTERM or SIGINT to this process stops nginx gracefully (it finishes the requests it has), then sends SIGTERM
// to every replica, which drains its accepted requests; the exit code is 1 if any replica exited non-zero.
//
// Needs nginx (Debian: apt-get install nginx-light). See the root README, "Serving at scale".
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';

const sep = process.argv.indexOf('--');
const own = sep < 0 ? process.argv.slice(2) : process.argv.slice(2, sep);
const command = sep < 0 ? [] : process.argv.slice(sep + 1);
const flag = (name, dflt) => {
  const i = own.indexOf(`--${name}`);
  return i >= 0 ? own[i + 1] : dflt;
};
const fail = (msg) => {
  console.error(`replicas: ${msg}`);
  process.exit(2);
};
const replicas = Number(flag('replicas', '2'));
const threads = flag('threads', undefined);
const host = flag('host', '127.0.0.1');
let port = Number(flag('port', '8080'));
const nginxBin = flag('nginx', 'nginx');
if (!Number.isInteger(replicas) || replicas < 1 || replicas > 64) fail(`--replicas ${flag('replicas')}: a whole number from 1 to 64`);
if (threads !== undefined && !(Number.isInteger(Number(threads)) && Number(threads) >= 1)) fail(`--threads ${threads}: a whole number ≥ 1`);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port ${flag('port')}: a whole number from 0 to 65535`);
if (command.length === 0) fail('give the serve command after --, e.g. -- node apps/classify/dist/cli.js serve --model DIR');
if (spawnSync(nginxBin, ['-v'], { stdio: 'ignore' }).error) fail(`${nginxBin} not found: install nginx (Debian: apt-get install nginx-light) or pass --nginx PATH`);

// nginx cannot listen on port 0: pick a free port for it.
if (port === 0) {
  const probe = createServer();
  await new Promise((r) => probe.listen(0, host, r));
  port = probe.address().port;
  await new Promise((r) => probe.close(r));
}

const prefix = mkdtempSync(join(tmpdir(), 'attn-replicas-'));
const children = [];
let stopping = false;

function startReplica(i) {
  const env = { ...process.env, ...(threads ? { ATTN_NATIVE_THREADS: threads } : {}) };
  const child = spawn(command[0], [...command.slice(1), '--host', '127.0.0.1', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((r) => child.on('exit', (code, signal) => r(code ?? (signal ? 128 : 1))));
  const lines = createInterface({ input: child.stdout });
  const url = new Promise((resolve, reject) => {
    lines.on('line', (l) => {
      process.stderr.write(`[replica ${i}] ${l}\n`);
      const m = / at (http:\/\/127\.0\.0\.1:\d+)/.exec(l);
      if (m) resolve(m[1]);
    });
    exited.then((code) => reject(new Error(`replica ${i} exited with ${code} before listening`)));
  });
  const r = { child, exited, url };
  children.push(r);
  return r;
}

async function stopAll(nginx) {
  if (stopping) return;
  stopping = true;
  if (nginx && nginx.exitCode === null) {
    nginx.kill('SIGQUIT'); // graceful: finish the requests in flight, then exit
    await new Promise((r) => nginx.once('exit', r));
  }
  for (const c of children) if (c.child.exitCode === null) c.child.kill('SIGTERM');
  const codes = await Promise.all(children.map((c) => c.exited));
  rmSync(prefix, { recursive: true, force: true });
  process.exit(codes.some((c) => c !== 0) ? 1 : 0);
}

const started = Array.from({ length: replicas }, (_, i) => startReplica(i));
let urls;
try {
  urls = await Promise.all(started.map((r) => r.url));
} catch (e) {
  console.error(`replicas: ${e.message}`);
  for (const c of children) c.child.kill('SIGTERM');
  rmSync(prefix, { recursive: true, force: true });
  process.exit(1);
}

for (const d of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi', 'logs']) mkdirSync(join(prefix, d));
const upstreams = urls.map((u) => `    server ${u.replace('http://', '')} max_fails=1 fail_timeout=10s;`).join('\n');
writeFileSync(
  join(prefix, 'nginx.conf'),
  `worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${prefix}/body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  client_max_body_size 64m;
  upstream attn_replicas {
${upstreams}
    keepalive 64;
  }
  server {
    listen ${host}:${port};
    location / {
      proxy_pass http://attn_replicas;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_next_upstream error timeout http_502 http_503 non_idempotent;
      proxy_read_timeout 300s;
    }
  }
}
`,
);
const nginx = spawn(nginxBin, ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-e', join(prefix, 'logs', 'error.log'), '-g', 'daemon off;'], { stdio: ['ignore', 'inherit', 'inherit'] });
nginx.on('exit', (code) => {
  if (!stopping) {
    console.error(`replicas: nginx exited with ${code}`);
    stopAll(undefined);
  }
});
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => stopAll(nginx));

// nginx gives no readiness line: poll the port until it answers.
const proxyUrl = `http://${host}:${port}`;
for (let i = 0; ; i++) {
  try {
    const res = await fetch(`${proxyUrl}/health`);
    if (res.ok) break;
  } catch {
    /* not listening yet */
  }
  if (i > 100 || nginx.exitCode !== null) {
    console.error(`replicas: nginx did not answer on ${proxyUrl}`);
    await stopAll(nginx);
  }
  await new Promise((r) => setTimeout(r, 50));
}
console.log(JSON.stringify({ url: proxyUrl, replicas: started.map((r, i) => ({ pid: r.child.pid, url: urls[i] })) }));
