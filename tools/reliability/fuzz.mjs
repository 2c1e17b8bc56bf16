// Long fuzzing run: the CI fuzz tests (*.reliability.test.ts with fast-check) with thousands of
// cases each instead of a few hundred: node tools/reliability/fuzz.mjs [runs=5000]
// Runs vitest (sources, no build needed) per package with ATTN_FUZZ_RUNS set.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const runs = process.argv[2] ?? '5000';
const suites = [
  ['packages/data', 'src/readers.reliability.test.ts'],
  ['packages/models', 'src/bert_config.reliability.test.ts'],
  ['apps/classify', 'src/train_config.reliability.test.ts'],
  // Tokenizer files and safetensors are fuzzed by their own suites (fixed 3,000 / property runs).
  ['packages/tokenizers', 'src/errors.test.ts'],
  ['packages/tokenizers', 'src/limits.reliability.test.ts'],
  ['packages/tensor', 'src/safetensors/safetensors.test.ts'],
];
let failed = 0;
for (const [dir, file] of suites) {
  const t0 = performance.now();
  const r = spawnSync('npx', ['vitest', 'run', file], { cwd: join(root, dir), env: { ...process.env, ATTN_FUZZ_RUNS: runs }, encoding: 'utf8' });
  const summary = (r.stdout + r.stderr).split('\n').find((l) => /Tests\s/.test(l))?.replace(/\x1b\[[0-9;]*m/g, '').trim();
  console.log(`${dir}/${file}: ${summary ?? 'no summary'} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  if (r.status !== 0) {
    failed += 1;
    console.log((r.stdout + r.stderr).slice(-3000));
  }
}
console.log(failed ? `FAIL: ${failed} suite(s)` : `PASS: every fuzz property held for ${runs} cases`);
process.exit(failed ? 1 : 0);
