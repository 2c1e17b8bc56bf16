#!/usr/bin/env node
// Summarizes attn-classify tune studies run with and without a pruner (issue #25's pruning evidence):
// best dev accuracy, epochs trained (one report per epoch), trials complete / pruned / failed, time.
//
//   node apps/classify/dist/cli.js tune --train … --dev … --out runs/p-none   --trials 16 --pruner none
//   node apps/classify/dist/cli.js tune --train … --dev … --out runs/p-median --trials 16 --pruner median
//   node tools/bench/tune_pruning.mjs runs/p-none runs/p-median [runs/p-asha]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const rows = [];
for (const dir of process.argv.slice(2)) {
  const events = readFileSync(join(dir, 'study.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const study = events[0];
  const tells = events.filter((e) => e.op === 'tell' && !e.interrupted);
  const asks = events.filter((e) => e.op === 'ask');
  const epochs = events.filter((e) => e.op === 'report').length;
  const complete = tells.filter((t) => t.state === 'complete');
  const best = Math.max(...complete.map((t) => t.value));
  const seconds = (Math.max(...tells.map((t) => t.time)) - Math.min(...asks.map((a) => a.time))) / 1000;
  rows.push({ dir, pruner: study.pruner, trials: tells.length, complete: complete.length, pruned: tells.filter((t) => t.state === 'pruned').length, failed: tells.filter((t) => t.state === 'failed').length, epochs, best, seconds });
}
const base = rows.find((r) => r.pruner === 'none');
console.log('| study | pruner | trials (complete / pruned / failed) | epochs trained | vs no pruning | best dev accuracy | vs no pruning | wall time |');
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  const dEpochs = base ? `${(((r.epochs - base.epochs) / base.epochs) * 100).toFixed(0)}%` : '—';
  const dBest = base ? `${((r.best - base.best) * 100).toFixed(2)} points` : '—';
  console.log(`| ${r.dir} | ${r.pruner} | ${r.trials} (${r.complete} / ${r.pruned} / ${r.failed}) | ${r.epochs} | ${dEpochs} | ${(r.best * 100).toFixed(2)}% | ${dBest} | ${(r.seconds / 60).toFixed(1)} min |`);
}
