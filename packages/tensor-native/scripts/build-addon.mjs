#!/usr/bin/env node
// Compiles native/ with node-gyp (offline: Node's own headers, npm's bundled node-gyp) and
// copies the addon to prebuilds/<platform>-<arch>/. No compiler, no headers or a failed
// build is a warning, never an error: the package then runs on stock wasm kernels.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const nativeDir = join(root, 'native');
const target = join(root, 'prebuilds', `${process.platform}-${process.arch}`);

function warn(msg) {
  console.warn(`@attn/tensor-native: ${msg}; the package will use stock wasm kernels.`);
  process.exit(0);
}

if (process.env.ATTN_NATIVE === '0') warn('ATTN_NATIVE=0, not compiling the addon');

function findNodeGyp() {
  try {
    return createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js');
  } catch {}
  const prefix = join(dirname(process.execPath), '..');
  for (const p of [
    join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    join(prefix, 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ]) {
    if (existsSync(p)) return p;
  }
  try {
    const npmRoot = execFileSync('npm', ['root', '-g'], { encoding: 'utf8' }).trim();
    const p = join(npmRoot, 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
    if (existsSync(p)) return p;
  } catch {}
  return null;
}

// Two builds at once (nx runs, an engineer's shell) would race in native/build: take a lock.
const lock = join(nativeDir, '.build-lock');
function acquireLock() {
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      process.on('exit', () => rmSync(lock, { recursive: true, force: true }));
      return;
    } catch {
      try {
        if (Date.now() - statSync(lock).mtimeMs > 300_000) rmSync(lock, { recursive: true, force: true }); // stale
      } catch {}
      if (Date.now() > deadline) warn('another build of the addon holds native/.build-lock for over 3 minutes');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
}

const nodeGyp = findNodeGyp();
if (!nodeGyp) warn('node-gyp not found (it ships with npm)');
// Node's headers live under <prefix>/include/node; pointing node-gyp there avoids a download.
const nodedir = join(dirname(process.execPath), '..');
acquireLock();
const args = [nodeGyp, 'rebuild', '--release'];
if (existsSync(join(nodedir, 'include', 'node', 'node_api.h'))) args.push(`--nodedir=${nodedir}`);
try {
  execFileSync(process.execPath, args, { cwd: nativeDir, stdio: ['ignore', 'ignore', 'pipe'] });
} catch (err) {
  const stderr = String(err.stderr ?? err.message ?? err).trim().split('\n').filter((l) => /error/i.test(l)).slice(0, 3).join(' | ');
  warn(`compiling the addon failed (${stderr || 'see node-gyp output'})`);
}
const built = join(nativeDir, 'build', 'Release', 'attn_native.node');
if (!existsSync(built)) warn(`node-gyp finished but ${built} is missing`);
mkdirSync(target, { recursive: true });
// Copy then rename: a process that has the old addon loaded keeps its (unlinked) file intact,
// where writing over a loaded shared object could crash it.
const tmp = join(target, `.attn_native.node.${process.pid}`);
copyFileSync(built, tmp);
renameSync(tmp, join(target, 'attn_native.node'));
console.log(`@attn/tensor-native: built ${join('prebuilds', `${process.platform}-${process.arch}`, 'attn_native.node')}`);
