#!/usr/bin/env node
// Runs the whole test suite: build, typecheck and test every project with nx, check that each
// package installs on its own, then prints one plain closing line "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const projectDirs = ['packages', 'apps'].flatMap((group) =>
  readdirSync(join(root, group), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, group, d.name, 'package.json')))
    .map((d) => join(group, d.name)),
);

function run(title, cmd, args) {
  console.log(`\n=== ${title} ===`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env });
  console.log(`=== ${title}: ${r.status === 0 ? 'ok' : `FAILED (exit ${r.status})`} in ${((Date.now() - started) / 1000).toFixed(0)} s ===`);
  return r.status === 0;
}

for (const dir of projectDirs) rmSync(join(root, dir, 'test-results.json'), { force: true });

const nx = join(root, 'node_modules', '.bin', 'nx');
const steps = [];
steps.push(['build', run('build every package and app', nx, ['run-many', '-t', 'build', '--output-style=stream', '--parallel=2'])]);
steps.push(['typecheck', run('typecheck', nx, ['run-many', '-t', 'typecheck', '--output-style=stream', '--parallel=2'])]);
steps.push(['repo-files', run('tracked files: none over 1 MiB outside models/, no identical copies (tools/check-repo-files.mjs)', process.execPath, [join(root, 'tools', 'check-repo-files.mjs')])]);
steps.push(['test', run('unit and integration tests', nx, ['run-many', '-t', 'test', '--output-style=stream', '--parallel=2'])]);
if (!process.argv.includes('--skip-packages')) {
  steps.push(['check-packages', run('each package installs alone (tools/check-packages.mjs)', process.execPath, [join(root, 'tools', 'check-packages.mjs')])]);
}

let passed = 0;
let failed = 0;
let skipped = 0;
const rows = [];
for (const dir of projectDirs) {
  const file = join(root, dir, 'test-results.json');
  if (!existsSync(file)) {
    rows.push(`${dir.padEnd(28)} no test results`);
    continue;
  }
  const r = JSON.parse(readFileSync(file, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  rows.push(`${dir.padEnd(28)} ${String(r.numPassedTests).padStart(5)} passed ${String(r.numFailedTests).padStart(4)} failed`);
}
// Steps that are not vitest suites count as one test each, so a broken build or install shows.
for (const [name, ok] of steps.filter(([n]) => n !== 'test')) {
  if (ok) passed += 1;
  else failed += 1;
  rows.push(`${('step: ' + name).padEnd(28)} ${ok ? 'ok' : 'FAILED'}`);
}
const testStepOk = steps.find(([n]) => n === 'test')[1];
if (!testStepOk && failed === 0) failed += 1; // a suite crashed without reporting a failing test

console.log('\nSummary');
for (const row of rows) console.log('  ' + row);
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed === 0 && steps.every(([, ok]) => ok) ? 0 : 1);
