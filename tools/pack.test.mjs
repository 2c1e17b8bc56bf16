// node --test tools/pack.test.mjs  (a few seconds; needs packages/trainer built)
// `pnpm run pack` (tools/pack.mjs) writes tarballs whose package.json has no workspace: range, so
// `npm install ./attn-….tgz` resolves their @attn dependencies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

test('the root "pack" script packs with rewritten @attn ranges', () => {
  const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts;
  assert.equal(scripts.pack, 'node tools/pack.mjs');
  const out = mkdtempSync(join(tmpdir(), 'attn-pack-test-'));
  try {
    // trainer depends on @attn/tensor, @attn/layers and @attn/data as workspace:^ in its package.json.
    const source = JSON.parse(readFileSync(join(root, 'packages/trainer/package.json'), 'utf8'));
    assert.equal(source.dependencies['@attn/tensor'], 'workspace:^');
    execFileSync(process.execPath, [join(root, 'tools/pack.mjs'), '--out', out, 'trainer'], { encoding: 'utf8' });
    const [tgz] = readdirSync(out);
    assert.match(tgz, /^attn-trainer-\d+\.\d+\.\d+\.tgz$/);
    const manifest = JSON.parse(execFileSync('tar', ['-xzOf', join(out, tgz), 'package/package.json'], { encoding: 'utf8' }));
    const ranges = Object.values({ ...manifest.dependencies, ...manifest.peerDependencies, ...manifest.optionalDependencies });
    assert.ok(!ranges.some((r) => r.startsWith('workspace:')), JSON.stringify(manifest.dependencies));
    assert.equal(manifest.dependencies['@attn/tensor'], `^${JSON.parse(readFileSync(join(root, 'packages/tensor/package.json'), 'utf8')).version}`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('no tarball holds a model: @attn/pipelines finds the defaults in the repository, it does not ship them', () => {
  const out = mkdtempSync(join(tmpdir(), 'attn-pack-test-'));
  try {
    execFileSync(process.execPath, [join(root, 'tools/pack.mjs'), '--out', out, 'pipelines'], { encoding: 'utf8' });
    const [tgz] = readdirSync(out);
    const entries = execFileSync('tar', ['-tzf', join(out, tgz)], { encoding: 'utf8' }).split('\n').filter(Boolean);
    assert.ok(entries.includes('package/dist/index.js'), entries.join(' '));
    assert.deepEqual(entries.filter((e) => /models\/|\.safetensors$/.test(e)), []);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
