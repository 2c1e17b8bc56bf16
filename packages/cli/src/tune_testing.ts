// @attn/cli/testing for `tune`: one small study of an app, run in-process, and what is wrong with it.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { runProgram } from './testing';

export interface TuneStudyExpectations {
  /** A folder for the space file, the study (`study/`) and the retrained model (`retrained/`). */
  work: string;
  /** The metric as tune prints it: `dev entity F1`. */
  metricLabel: string;
  /** The best model's config.json `architectures[0]`: `BertForTokenClassification`. */
  architecture: string;
}

/**
 * Runs `<app> tune <args> --out <work>/study --trials 2` over lr and warmupRatio (args: the train
 * settings, one epoch), then `train --config <work>/study/best_config.json --out <work>/retrained`
 * (the flag wins over the file's out), and lists what is wrong: a trial not complete, no report of
 * the dev metric after epoch 1, no Best line, a missing output, a best model of another
 * architecture, a retrain that fails. An empty list is a working tune.
 */
export async function tuneStudyProblems(createProgram: (configure: (program: Command) => void) => Command, args: readonly string[], expect: TuneStudyExpectations): Promise<string[]> {
  const problems: string[] = [];
  const out = join(expect.work, 'study');
  const space = join(expect.work, 'space.json');
  writeFileSync(space, JSON.stringify({ lr: { type: 'float', low: 1e-3, high: 5e-3, log: true }, warmupRatio: { type: 'float', low: 0, high: 0.2 } }));
  const tune = await runProgram(createProgram, ['tune', ...args, '--out', out, '--trials', '2', '--space', space]);
  if (tune.code !== 0) return [`tune exited with ${tune.code}: ${tune.stderr}`];
  const events = readFileSync(join(out, 'study.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { op: string; trial: number; step?: number; state?: string });
  const states = events.filter((e) => e.op === 'tell').map((e) => e.state);
  if (states.join() !== 'complete,complete') problems.push(`trial states ${states.join()}, expected complete,complete`);
  // Sorted: with --parallel 2 (the default on 2+ cores) the two trials report in either order.
  const reports = events.filter((e) => e.op === 'report').map((e) => `${e.trial}@${e.step}`).sort();
  if (reports.join() !== '0@1,1@1') problems.push(`reports ${reports.join()}, expected one after epoch 1 from each trial (0@1,1@1)`);
  if (!new RegExp(`Best: trial \\d, ${expect.metricLabel} `).test(tune.stdout)) problems.push(`no "Best: trial <n>, ${expect.metricLabel} …" line in:\n${tune.stdout}`);
  for (const f of ['best_config.json', 'best-model/config.json', 'best-model/model.safetensors', 'best-model/tokenizer.json', 'history.svg', 'param-lr.svg', 'param-warmupRatio.svg', 'trials.txt']) {
    if (!existsSync(join(out, f))) problems.push(`${f} missing`);
  }
  if (existsSync(join(out, 'best-model', 'config.json'))) {
    const arch = (JSON.parse(readFileSync(join(out, 'best-model', 'config.json'), 'utf8')) as { architectures?: string[] }).architectures?.[0];
    if (arch !== expect.architecture) problems.push(`best-model is a ${arch}, expected ${expect.architecture}`);
  }
  const retrained = join(expect.work, 'retrained');
  const train = await runProgram(createProgram, ['train', '--config', join(out, 'best_config.json'), '--out', retrained, '--quiet']);
  if (train.code !== 0) problems.push(`train --config best_config.json exited with ${train.code}: ${train.stderr}`);
  else if (!existsSync(join(retrained, 'model.safetensors'))) problems.push('train --config best_config.json --out <dir> saved no model.safetensors there');
  return problems;
}
