#!/usr/bin/env node
// How should `attn-classify tune` use the cores: N trials at once with fewer native threads each, or one
// trial at a time with all of them? Runs the same small study (same sampler, seed, space and trials)
// once per layout, back to back, and prints the wall time to finish it, trials per hour and the ratio.
//
//   node tools/bench/tune_parallel.mjs                       # 1x2 then 2x1, 4 trials of 2 epochs on the 4k subset
//   node tools/bench/tune_parallel.mjs --layouts 1x2,2x1,2x1,1x2 --trials 4 --out /tmp/tune-parallel
//
// A layout PxT runs `tune --parallel P` with ATTN_NATIVE_THREADS=T in every trial's process.
// Flags: --layouts (1x2,2x1), --trials (4), --epochs (2), --batch-size (32), --train, --dev (the bundled
// SST-2 4k subset and dev), --cli (apps/classify/dist/cli.js), --out (a temporary folder; wiped per layout).
// The trials are checked to give the same dev accuracies in every layout (training is deterministic).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, loadavg, cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values: a } = parseArgs({
  options: {
    layouts: { type: 'string', default: '1x2,2x1' },
    trials: { type: 'string', default: '4' },
    epochs: { type: 'string', default: '2' },
    'batch-size': { type: 'string', default: '32' },
    train: { type: 'string', default: join(root, 'apps/classify/data/sst2-train-4k.tsv') },
    dev: { type: 'string', default: join(root, 'apps/classify/data/sst2-dev.tsv') },
    cli: { type: 'string', default: join(root, 'apps/classify/dist/cli.js') },
    out: { type: 'string' },
  },
});

const layouts = a.layouts.split(',').map((s) => {
  const m = /^(\d+)x(\d+)$/.exec(s.trim());
  if (!m) throw new Error(`--layouts: "${s}" is not PxT (trials at once x native threads each), e.g. 2x1`);
  return { parallel: Number(m[1]), threads: Number(m[2]), name: s.trim() };
});
const out = a.out ?? mkdtempSync(join(tmpdir(), 'tune-parallel-'));
mkdirSync(out, { recursive: true });
// Only lr and warmup vary, so every trial does the same work: 2 epochs of the same batches.
writeFileSync(join(out, 'space.json'), JSON.stringify({ lr: { type: 'float', low: 1e-4, high: 3e-3, log: true }, warmupRatio: { type: 'float', low: 0, high: 0.2 } }));
writeFileSync(join(out, 'base.json'), JSON.stringify({ epochs: Number(a.epochs), batchSize: Number(a['batch-size']) }));

const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
console.log(`${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} logical CPUs; ${a.trials} trials x ${a.epochs} epochs of ${a.train}`);
const rows = [];
let i = 0;
for (const l of layouts) {
  const dir = join(out, `${i++}-${l.name}`);
  rmSync(dir, { recursive: true, force: true });
  const before = load();
  const t0 = performance.now();
  const r = spawnSync(
    process.execPath,
    [a.cli, 'tune', '--train', a.train, '--dev', a.dev, '--space', join(out, 'space.json'), '--config', join(out, 'base.json'),
      '--sampler', 'random', '--pruner', 'none', '--seed', '0', '--trials', a.trials, '--parallel', String(l.parallel), '--out', dir],
    { env: { ...process.env, ATTN_NATIVE_THREADS: String(l.threads) }, encoding: 'utf8' },
  );
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`tune (${l.name}) exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  const values = readFileSync(join(dir, 'study.jsonl'), 'utf8').split('\n').filter(Boolean).map((s) => JSON.parse(s))
    .filter((e) => e.op === 'tell').sort((x, y) => x.trial - y.trial).map((e) => e.value);
  rows.push({ ...l, seconds, perHour: (Number(a.trials) * 3600) / seconds, values, load: `${before} → ${load()}` });
  console.log(`${l.name}: ${seconds.toFixed(1)} s, ${((Number(a.trials) * 3600) / seconds).toFixed(1)} trials/h; dev accuracies ${values.map((v) => v.toFixed(4)).join(' ')}; load ${rows.at(-1).load}`);
}

const mean = (name) => {
  const rs = rows.filter((r) => r.name === name);
  return rs.reduce((s, r) => s + r.seconds, 0) / rs.length;
};
const names = [...new Set(rows.map((r) => r.name))];
console.log('\n| layout (trials at once x threads) | runs | mean wall time | trials/hour | vs ' + names[0] + ' |');
console.log('|---|---|---|---|---|');
for (const n of names) {
  const s = mean(n);
  console.log(`| ${n} | ${rows.filter((r) => r.name === n).length} | ${s.toFixed(1)} s | ${((Number(a.trials) * 3600) / s).toFixed(1)} | ${(mean(names[0]) / s).toFixed(2)}x |`);
}
const same = rows.every((r) => r.values.join() === rows[0].values.join());
console.log(same ? 'Every layout gave the same dev accuracy per trial.' : 'note: the layouts gave different dev accuracies per trial (see above).');
