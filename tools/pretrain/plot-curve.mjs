#!/usr/bin/env node
// Pretraining curves as SVG from a run's log.jsonl (training loss) and eval.jsonl (held-out MLM
// loss and masked-token accuracy), against tokens seen. Uses @attn/metrics' lineChartSvg (built dist).
//   node tools/pretrain/plot-curve.mjs --output-dir /tmp/pretrain/run --svg-dir tools/pretrain [--batch-size 32 --seq-len 128]
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { lineChartSvg } = await import(join(root, 'packages', 'metrics', 'dist', 'index.js'));
const { values: opt } = parseArgs({
  options: {
    'output-dir': { type: 'string', default: '/tmp/pretrain/run' },
    'svg-dir': { type: 'string', default: join(root, 'tools', 'pretrain') },
    'batch-size': { type: 'string', default: '32' },
    'seq-len': { type: 'string', default: '128' },
    title: { type: 'string', default: 'BERT-tiny MLM pretraining (attn, wasm + native kernels)' },
    // more runs' held-out curves on the same charts: --also "label=<eval.jsonl>" (repeatable)
    also: { type: 'string', multiple: true, default: [] },
    prefix: { type: 'string', default: 'pretrain' },
    name: { type: 'string', default: 'this run' }, // the --output-dir run's label when --also adds others // file names: <prefix>-loss.svg, <prefix>-accuracy.svg
  },
});
const jsonl = (f) => (existsSync(f) ? readFileSync(f, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []);
const tokensPerStep = Number(opt['batch-size']) * Number(opt['seq-len']);
const mTokens = (step) => (step * tokensPerStep) / 1e6;

// A resumed run logs the steps after its checkpoint again: keep the last entry of each step.
const lastPerStep = (entries) => [...new Map(entries.map((e) => [e.step, e])).values()].sort((a, b) => a.step - b.step);
const train = lastPerStep(jsonl(join(opt['output-dir'], 'log.jsonl')).filter((e) => typeof e.loss === 'number' && e.step > 0));
const evals = lastPerStep(jsonl(join(opt['output-dir'], 'eval.jsonl')));
const others = opt.also.map((a) => {
  const i = a.indexOf('=');
  if (i <= 0) throw new Error(`--also ${a}: expected label=<eval.jsonl>`);
  return { name: a.slice(0, i), evals: lastPerStep(jsonl(a.slice(i + 1))) };
});
mkdirSync(opt['svg-dir'], { recursive: true });
const lossSvg = lineChartSvg({
  title: opt.title,
  xLabel: 'tokens seen (millions)',
  yLabel: 'MLM loss (nats)',
  series: [
    { name: others.length ? `train loss, ${opt.name}` : 'train loss (masked tokens)', points: train.map((e) => [mTokens(e.step), e.loss]) },
    { name: others.length ? `held-out loss, ${opt.name}` : 'held-out loss (Frankenstein)', points: evals.map((e) => [mTokens(e.step), e.eval_mlm_loss]) },
    ...others.map((o) => ({ name: `held-out loss, ${o.name}`, points: o.evals.map((e) => [mTokens(e.step), e.eval_mlm_loss]) })),
  ],
});
const accSvg = lineChartSvg({
  title: 'Masked-token accuracy on the held-out book (Frankenstein)',
  xLabel: 'tokens seen (millions)',
  yLabel: 'accuracy (%)',
  series: [
    { name: others.length ? opt.name : 'held-out masked-token accuracy', points: evals.map((e) => [mTokens(e.step), 100 * e.eval_masked_accuracy]) },
    ...others.map((o) => ({ name: o.name, points: o.evals.map((e) => [mTokens(e.step), 100 * e.eval_masked_accuracy]) })),
  ],
});
writeFileSync(join(opt['svg-dir'], `${opt.prefix}-loss.svg`), lossSvg);
writeFileSync(join(opt['svg-dir'], `${opt.prefix}-accuracy.svg`), accSvg);
console.log(`wrote ${join(opt['svg-dir'], `${opt.prefix}-loss.svg`)} and ${opt.prefix}-accuracy.svg (${train.length} train points, ${evals.length} eval points)`);
