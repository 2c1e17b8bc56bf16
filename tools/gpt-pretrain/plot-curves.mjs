#!/usr/bin/env node
// The default GPT's training-loss curve, attn (the run's log.jsonl) against its PyTorch twin
// (torch_twin.py's jsonl), as one SVG drawn by @attn/metrics' lineChartSvg. The final held-out losses
// (eval_loss records) are single points at the last step.
//
//   node tools/gpt-pretrain/plot-curves.mjs --attn models/attn-gpt2-tiny/log.jsonl --attn-eval models/attn-gpt2-tiny/eval_results.json \
//     --torch models/attn-gpt2-tiny/docs/torch_log.jsonl --out models/attn-gpt2-tiny/docs/loss_curve.svg
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { lineChartSvg } = await import(join(root, 'packages', 'metrics', 'dist', 'index.js'));
// --attn-eval: attn's held-out loss when the run did not evaluate in training (an eval_results.json with eval_loss).
const { values: opt } = parseArgs({ options: { attn: { type: 'string' }, 'attn-eval': { type: 'string' }, torch: { type: 'string' }, out: { type: 'string' } } });

const records = (path) => readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const points = (recs, key) => recs.filter((r) => typeof r[key] === 'number' && typeof r.step === 'number').map((r) => [r.step, r[key]]);
const attn = records(opt.attn);
const torch = records(opt.torch);
if (opt['attn-eval']) {
  const lastStep = Math.max(...points(attn, 'loss').map(([s]) => s));
  attn.push({ step: lastStep, eval_loss: JSON.parse(readFileSync(opt['attn-eval'], 'utf8')).eval_loss });
}
const series = [
  { name: 'attn: training loss', points: points(attn, 'loss') },
  { name: 'PyTorch: training loss', points: points(torch, 'loss') },
  { name: 'attn: held-out loss', points: points(attn, 'eval_loss'), style: 'points' },
  { name: 'PyTorch: held-out loss', points: points(torch, 'eval_loss'), style: 'points' },
].filter((s) => s.points.length > 0);
writeFileSync(
  opt.out,
  lineChartSvg({ title: 'attn-gpt2-tiny pretraining: same init, blocks, order and schedule', xLabel: 'update', yLabel: 'loss (nats per token)', series }),
);
console.log(`${opt.out}: ${series.map((s) => `${s.name} (${s.points.length})`).join(', ')}`);
