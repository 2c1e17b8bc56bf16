#!/usr/bin/env node
// Packs every package (or the ones named) into dist-packs/ with `pnpm pack`, which rewrites each
// `workspace:^` dependency to the version it points at; `npm pack` keeps `workspace:^`, and npm
// cannot install such a tarball. Then checks that no tarball's package.json has a workspace: range.
// Build first (`pnpm run build`): a package's tarball holds its dist/.
// Usage: pnpm run pack   |   node tools/pack.mjs [--out DIR] [name ...]   (names as in packages/, e.g. tensor)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PNPM = ['-y', 'pnpm@10.34.9'];

/** The package folders under packages/ (every one has a package.json). */
export function packageNames() {
  return readdirSync(join(root, 'packages')).filter((n) => existsSync(join(root, 'packages', n, 'package.json')));
}

/** Packs each named package into `outDir`; returns { name: tarball path }. */
export function packPackages(outDir, names = packageNames()) {
  mkdirSync(outDir, { recursive: true });
  const tarballs = {};
  for (const n of names) {
    const dir = join(root, 'packages', n);
    if (!existsSync(join(dir, 'package.json'))) throw new Error(`no package packages/${n}; packages: ${packageNames().join(', ')}`);
    const out = execFileSync('npx', [...PNPM, 'pack', '--pack-destination', outDir], { cwd: dir, encoding: 'utf8' });
    // pnpm prints the tarball's path last.
    tarballs[n] = join(outDir, out.trim().split('\n').pop().split('/').pop());
  }
  return tarballs;
}

/** The package.json inside a tarball. */
export function tarballManifest(tarball) {
  return JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }));
}

/** "dep@range" for every dependency of the tarball that still has a workspace: range. */
export function workspaceRanges(tarball) {
  const m = tarballManifest(tarball);
  const fields = ['dependencies', 'peerDependencies', 'optionalDependencies', 'devDependencies'];
  return fields.flatMap((f) => Object.entries(m[f] ?? {}).filter(([, r]) => String(r).startsWith('workspace:')).map(([d, r]) => `${d}@${r}`));
}

/**
 * Files in the tarball that are model checkpoints or come from the repository's models/: none may be published
 * (models/attn-bert-tiny-conll03 is derived from CoNLL-2003's Reuters text, which may not be redistributed).
 */
export function modelFiles(tarball) {
  const entries = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean);
  return entries.filter((e) => /(^|\/)models\/attn-|\.safetensors$/.test(e));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const i = args.indexOf('--out');
  const outDir = resolve(i >= 0 ? args[i + 1] : join(root, 'dist-packs'));
  const names = args.filter((a, k) => !a.startsWith('--') && args[k - 1] !== '--out');
  const unbuilt = (names.length ? names : packageNames()).filter((n) => {
    const pkg = JSON.parse(readFileSync(join(root, 'packages', n, 'package.json'), 'utf8'));
    return pkg.main && !existsSync(join(root, 'packages', n, pkg.main));
  });
  if (unbuilt.length) {
    console.error(`error: not built: ${unbuilt.map((n) => `@attn/${n}`).join(', ')}; run \`npx -y pnpm@10.34.9 run build\` first.`);
    process.exit(1);
  }
  const tarballs = packPackages(outDir, names.length ? names : undefined);
  let bad = 0;
  for (const [n, t] of Object.entries(tarballs)) {
    const left = workspaceRanges(t);
    const models = modelFiles(t);
    if (left.length || models.length) bad++;
    const why = [left.length ? `still has ${left.join(', ')}` : '', models.length ? `holds model files (${models.join(', ')}); keep models/ out of "files"` : ''].filter(Boolean).join('; ');
    console.log(`${why ? 'FAIL' : 'ok  '} @attn/${n}: ${t}${why ? ` ${why}` : ''}`);
  }
  if (bad) process.exit(1);
  console.log(`\n${Object.keys(tarballs).length} tarball(s) in ${outDir}; install one with the @attn packages it depends on, e.g.\n  npm install ${join(outDir, 'attn-tensor-0.1.0.tgz')}`);
}
