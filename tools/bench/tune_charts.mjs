#!/usr/bin/env node
// Charts and the trials table of a study from its journal, without opening the study (so it works on a
// journal a running or killed `tune` is still writing, and never appends to it):
//
//   node tools/bench/tune_charts.mjs runs/sst2-tune/study.jsonl docs/img/sst2-tune [--title "SST-2 dev accuracy by trial"]
//
// writes <prefix>-history.svg (objective by trial, running best), <prefix>-param-<name>.svg per parameter,
// and prints the trials table. A trial still running (asked, not told) shows as running.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { importAttn } from './attn_runtime.mjs';

const { historySvg, paramSvg, trialsTable } = await importAttn('tune');

const { values: a, positionals: [journal, prefix] } = parseArgs({ allowPositionals: true, options: { title: { type: 'string' } } });
if (!journal) throw new Error('usage: tune_charts.mjs <study.jsonl> [<output prefix>] [--title T]');
const events = readFileSync(journal, 'utf8').split('\n').filter(Boolean).flatMap((l) => {
  try {
    return [JSON.parse(l)];
  } catch {
    return []; // a line cut short by a kill
  }
});
const study = events.find((e) => e.op === 'study');
const trials = new Map();
for (const e of events) {
  if (e.op === 'ask') trials.set(e.trial, { number: e.trial, state: 'running', params: e.params, intermediate: [], startedAt: e.time });
  const t = trials.get(e.trial);
  if (!t) continue;
  if (e.op === 'report') t.intermediate.push({ step: e.step, value: e.value });
  if (e.op === 'tell') Object.assign(t, { state: e.state, value: e.value ?? t.intermediate.at(-1)?.value, error: e.error, interrupted: e.interrupted, finishedAt: e.time });
}
const list = [...trials.values()].sort((x, y) => x.number - y.number);
const better = (x, y) => (study.direction === 'maximize' ? x > y : x < y);
const best = list.filter((t) => t.state === 'complete').reduce((b, t) => (!b || better(t.value, b.value) ? t : b), undefined);
process.stdout.write(trialsTable(list, study.space, { best: best?.number }));
if (prefix) {
  writeFileSync(`${prefix}-history.svg`, historySvg(list, study.direction, a.title ?? 'Objective by trial'));
  for (const name of Object.keys(study.space)) writeFileSync(`${prefix}-param-${name}.svg`, paramSvg(list, study.space, name));
  console.log(`wrote ${prefix}-history.svg and ${prefix}-param-<name>.svg (${Object.keys(study.space).join(', ')})`);
}
