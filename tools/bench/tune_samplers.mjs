#!/usr/bin/env node
// Sampler quality and overhead, @attn/tune against Optuna in the same run (issue #25): Branin,
// Hartmann-6 and a noisy 1-D learning-rate curve, N seeds × T trials per sampler. Reports the median
// regret (true value of the best-so-far trial minus the optimum) after 20 and T trials with the
// seed-to-seed spread (25th–75th percentile), the chance that a TPE run ends better than a random
// run, and the time of one ask (sampling included) at trial T; writes best-so-far SVG charts.
//
//   cd packages/tune && npx tsup && cd ../metrics && npx tsup   # the built packages are used
//   nice -n 10 node tools/bench/tune_samplers.mjs --python /tmp/optuna-venv/bin/python
//
// Flags: --seeds 30 --trials 50 --functions branin,hartmann6,lr_curve --python PATH (Optuna's
// interpreter; --no-optuna to skip) --json FILE --svg-dir DIR (default packages/tune/docs).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus } from 'node:os';
import { importAttn, repoRoot } from './attn_runtime.mjs';

const args = process.argv.slice(2);
const flag = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const SEEDS = Number(flag('seeds', 30));
const TRIALS = Number(flag('trials', 50));
const FUNCTIONS = flag('functions', 'branin,hartmann6,lr_curve').split(',');
const PYTHON = flag('python', 'python3');
const SVG_DIR = flag('svg-dir', join(repoRoot, 'packages', 'tune', 'docs'));
const JSON_OUT = flag('json', undefined);
const WITH_OPTUNA = !args.includes('--no-optuna');

const { Study, Rng } = await importAttn('tune');
const { lineChartSvg } = await importAttn('metrics');
const OBJ = JSON.parse(readFileSync(new URL('./tune_objectives.json', import.meta.url), 'utf8'));

const A6 = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]];
const P6 = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991], [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]];
const ALPHA = [1.0, 1.2, 3.0, 3.2];
const FUNCS = {
  branin: ({ x1, x2 }) => (x2 - (5.1 / (4 * Math.PI ** 2)) * x1 ** 2 + (5 / Math.PI) * x1 - 6) ** 2 + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x1) + 10,
  hartmann6: (p) => {
    const x = [0, 1, 2, 3, 4, 5].map((i) => p[`x${i}`]);
    return -ALPHA.reduce((s, a, i) => s + a * Math.exp(-x.reduce((t, xj, j) => t + A6[i][j] * (xj - P6[i][j] * 1e-4) ** 2, 0)), 0);
  },
  // A fine-tuning loss against log10(lr): a parabola around 5e-4, then divergence past ~3e-3.
  lr_curve: ({ lr }) => {
    const x = Math.log10(lr);
    return 0.25 + 0.3 * (x + 3.3) ** 2 + (x > -2.5 ? 1.5 * (x + 2.5) : 0);
  },
};

// The same noise for both sides: seed s, trial i → noise[s][i].
const noise = {};
for (let s = 0; s < SEEDS; s++) {
  const r = new Rng(1_000_003, s);
  noise[s] = Array.from({ length: TRIALS }, () => OBJ.lr_curve.noise_sd * r.normal());
}

const SAMPLERS = [['random', 'random'], ['tpe-independent', 'independent'], ['tpe', 'multivariate']];

async function runAttn(fname, sampler, seed) {
  const f = FUNCS[fname];
  const study = Study.open({ space: OBJ[fname].space, sampler, seed, direction: 'minimize' });
  let bestObs = Infinity;
  let bestTrue = Infinity;
  const curve = [];
  const askS = [];
  for (let i = 0; i < TRIALS; i++) {
    const t0 = performance.now();
    const trial = study.ask();
    askS.push((performance.now() - t0) / 1000);
    const truth = f(trial.params);
    const observed = truth + (fname === 'lr_curve' ? noise[seed][i] : 0);
    study.tell(trial.number, { state: 'complete', value: observed });
    if (observed < bestObs) [bestObs, bestTrue] = [observed, truth];
    curve.push(bestTrue);
  }
  return { curve, askS };
}

const results = { attn: {}, optuna: {} };
for (const fname of FUNCTIONS) {
  for (const [sampler] of SAMPLERS) {
    const curves = [];
    const asks = [];
    for (let seed = 0; seed < SEEDS; seed++) {
      const { curve, askS } = await runAttn(fname, sampler, seed);
      curves.push(curve);
      asks.push(askS);
    }
    results.attn[`${fname}/${sampler}`] = { curves, ask_s: asks };
    console.error(`attn ${fname} ${sampler} done`);
  }
}

let optunaVersion = null;
if (WITH_OPTUNA) {
  const job = { functions: FUNCTIONS, samplers: ['random', 'tpe-independent', 'tpe'], seeds: SEEDS, trials: TRIALS, noise };
  const r = spawnSync(PYTHON, [join(repoRoot, 'tools', 'bench', 'tune_samplers_optuna.py')], { input: JSON.stringify(job), encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['pipe', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`${PYTHON} tune_samplers_optuna.py exited ${r.status}; install optuna (pip install optuna) or pass --python / --no-optuna`);
  const out = JSON.parse(r.stdout);
  optunaVersion = out.optuna;
  results.optuna = out.results;
}

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  return s[lo] + (s[Math.ceil(pos)] - s[lo]) * (pos - lo);
};
const regretsAt = (res, fname, n) => res.curves.map((c) => c[n - 1] - OBJ[fname].optimum);
/** P(a run of `a` ends better than a run of `b`), over all seed pairs; ties count half. */
const chanceBetter = (a, b) => {
  let wins = 0;
  for (const x of a) for (const y of b) wins += x < y ? 1 : x === y ? 0.5 : 0;
  return wins / (a.length * b.length);
};
const fmt = (x, d = 3) => x.toFixed(d);

const cpuModel = (() => {
  const r = spawnSync('lscpu', [], { encoding: 'utf8' });
  const line = (k) => r.stdout?.split('\n').find((l) => l.startsWith(k))?.split(':')[1]?.trim();
  const flags = line('Flags') ?? '';
  return `${line('Model name') ?? cpus()[0].model}, ${line('CPU(s)')} CPUs${flags.includes('avx512f') ? ', AVX-512' : ''}`;
})();

const lines = [];
lines.push(`CPU: ${cpuModel}; Node ${process.version}; Optuna ${optunaVersion ?? '(not run)'}; ${SEEDS} seeds × ${TRIALS} trials.`);
lines.push('');
lines.push(`Median regret after ${TRIALS} trials [25th–75th percentile over seeds]; after 20 trials in parentheses:`);
lines.push('');
lines.push(`| function | sampler | attn | Optuna |`);
lines.push(`|---|---|---|---|`);
for (const fname of FUNCTIONS) {
  for (const [sampler, label] of SAMPLERS) {
    const cell = (side) => {
      const res = results[side][`${fname}/${sampler}`];
      if (!res) return '—';
      const r = regretsAt(res, fname, TRIALS);
      return `${fmt(quantile(r, 0.5))} [${fmt(quantile(r, 0.25))}–${fmt(quantile(r, 0.75))}] (${fmt(quantile(regretsAt(res, fname, 20), 0.5))})`;
    };
    lines.push(`| ${fname} | ${label} | ${cell('attn')} | ${cell('optuna')} |`);
  }
}
lines.push('');
lines.push('Chance that a TPE run ends better than a random-search run of the same library (over all seed pairs):');
lines.push('');
lines.push(`| function | TPE | after 20: attn | Optuna | after ${TRIALS}: attn | Optuna |`);
lines.push('|---|---|---|---|---|---|');
for (const fname of FUNCTIONS) {
  for (const [sampler, label] of SAMPLERS.slice(1)) {
    const c = (side, n) => {
      const t = results[side][`${fname}/${sampler}`];
      const r = results[side][`${fname}/random`];
      return t && r ? fmt(chanceBetter(regretsAt(t, fname, n), regretsAt(r, fname, n)), 2) : '—';
    };
    lines.push(`| ${fname} | ${label} | ${c('attn', 20)} | ${c('optuna', 20)} | ${c('attn', TRIALS)} | ${c('optuna', TRIALS)} |`);
  }
}
lines.push('');
lines.push(`Time of one ask at trial ${TRIALS} (sampling included; Optuna: ask() + suggest_float() calls, in-memory storage), median over seeds, ms:`);
lines.push('');
lines.push('| function | sampler | attn | Optuna | attn / Optuna |');
lines.push('|---|---|---|---|---|');
for (const fname of FUNCTIONS) {
  for (const [sampler, label] of SAMPLERS) {
    const ms = (side) => {
      const res = results[side][`${fname}/${sampler}`];
      return res ? 1000 * quantile(res.ask_s.map((a) => a[TRIALS - 1]), 0.5) : NaN;
    };
    const a = ms('attn');
    const o = ms('optuna');
    lines.push(`| ${fname} | ${label} | ${fmt(a, 2)} | ${Number.isNaN(o) ? '—' : fmt(o, 2)} | ${Number.isNaN(o) ? '—' : fmt(a / o, 2)} |`);
  }
}
const report = lines.join('\n');
console.log(report);

mkdirSync(SVG_DIR, { recursive: true });
for (const fname of FUNCTIONS) {
  const series = [];
  for (const side of ['attn', 'optuna']) {
    for (const [sampler, label] of SAMPLERS) {
      const res = results[side][`${fname}/${sampler}`];
      if (!res) continue;
      const pts = Array.from({ length: TRIALS }, (_, i) => [i + 1, Math.log10(Math.max(1e-6, quantile(regretsAt(res, fname, i + 1), 0.5)))]);
      series.push({ name: `${side === 'attn' ? 'attn' : 'Optuna'} ${label}`, points: pts });
    }
  }
  const svg = lineChartSvg({ series, title: `${fname}: median best-so-far regret over ${SEEDS} seeds`, xLabel: 'trial', yLabel: 'log10 regret' });
  writeFileSync(join(SVG_DIR, `tune-samplers-${fname}.svg`), svg);
}
if (JSON_OUT) writeFileSync(JSON_OUT, JSON.stringify({ cpu: cpuModel, optuna: optunaVersion, seeds: SEEDS, trials: TRIALS, report, results }, null, 0));
