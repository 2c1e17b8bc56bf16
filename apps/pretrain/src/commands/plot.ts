import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { writeFileDurable } from '@attn/tensor/durable_write';
import { join } from 'node:path';
import { lineChartSvg } from '@attn/metrics';
import { CliError, numberFlag } from '@attn/cli';

export interface PlotFlags {
  outputDir: string;
  svgDir: string;
  batchSize?: string;
  seqLen?: string;
  title?: string;
  also?: string[];
  prefix?: string;
  name?: string;
}

type Entry = Record<string, number>;

function jsonl(file: string): Entry[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l, i) => {
    try {
      return JSON.parse(l) as Entry;
    } catch (e) {
      throw new CliError(`${file}:${i + 1}: not JSON (${(e as Error).message}).`);
    }
  });
}

/** A resumed run logs the steps after its checkpoint again: the last entry of each step. */
const lastPerStep = (entries: Entry[]) => [...new Map(entries.map((e) => [e['step'], e])).values()].sort((a, b) => a['step']! - b['step']!);

/**
 * `attn-pretrain plot`: <prefix>-loss.svg (training loss and held-out loss against tokens seen) and
 * <prefix>-accuracy.svg (held-out masked-token or next-token accuracy) from a run's log.jsonl and eval.jsonl;
 * `--also label=<eval.jsonl>` adds other runs' held-out curves.
 */
export async function plotCommand(f: PlotFlags, print: (s: string) => void = (s) => console.log(s)): Promise<string[]> {
  const tokensPerStep = numberFlag('batch-size', f.batchSize ?? '32', { int: true, min: 1 }) * numberFlag('seq-len', f.seqLen ?? '128', { int: true, min: 1 });
  const mTokens = (step: number) => (step * tokensPerStep) / 1e6;
  const train = lastPerStep(jsonl(join(f.outputDir, 'log.jsonl')).filter((e) => typeof e['loss'] === 'number' && e['step']! > 0 && e['train_loss'] === undefined));
  const evals = lastPerStep(jsonl(join(f.outputDir, 'eval.jsonl')));
  if (train.length === 0 && evals.length === 0) throw new CliError(`--output-dir ${f.outputDir}: no log.jsonl or eval.jsonl entries to plot.`);
  const others = (f.also ?? []).map((a) => {
    const i = a.indexOf('=');
    if (i <= 0) throw new CliError(`--also ${a}: expected label=<eval.jsonl>.`);
    return { name: a.slice(0, i), evals: lastPerStep(jsonl(a.slice(i + 1))) };
  });
  const mlm = evals.some((e) => e['eval_mlm_loss'] !== undefined);
  const lossKey = mlm ? 'eval_mlm_loss' : 'eval_loss';
  const accKey = mlm ? 'eval_masked_accuracy' : 'eval_token_accuracy';
  const name = f.name ?? 'this run';
  const points = (es: Entry[], key: string, scale = 1) => es.filter((e) => typeof e[key] === 'number').map((e) => [mTokens(e['step']!), scale * e[key]!] as [number, number]);
  const loss = lineChartSvg({
    title: f.title ?? `${mlm ? 'MLM' : 'Causal-LM'} pretraining (attn)`,
    xLabel: 'tokens seen (millions)',
    yLabel: `${mlm ? 'MLM' : 'next-token'} loss (nats)`,
    series: [
      { name: others.length ? `train loss, ${name}` : `train loss${mlm ? ' (masked tokens)' : ''}`, points: train.map((e) => [mTokens(e['step']!), e['loss']!] as [number, number]) },
      { name: others.length ? `held-out loss, ${name}` : 'held-out loss', points: points(evals, lossKey) },
      ...others.map((o) => ({ name: `held-out loss, ${o.name}`, points: points(o.evals, lossKey) })),
    ].filter((s) => s.points.length > 0),
  });
  const accuracy = lineChartSvg({
    title: `${mlm ? 'Masked-token' : 'Next-token'} accuracy on the held-out book`,
    xLabel: 'tokens seen (millions)',
    yLabel: 'accuracy (%)',
    series: [
      { name: others.length ? name : 'held-out accuracy', points: points(evals, accKey, 100) },
      ...others.map((o) => ({ name: o.name, points: points(o.evals, accKey, 100) })),
    ].filter((s) => s.points.length > 0),
  });
  await mkdir(f.svgDir, { recursive: true });
  const prefix = f.prefix ?? 'pretrain';
  const files = [join(f.svgDir, `${prefix}-loss.svg`), join(f.svgDir, `${prefix}-accuracy.svg`)];
  await writeFileDurable(files[0]!, loss);
  await writeFileDurable(files[1]!, accuracy);
  print(`wrote ${files.join(' and ')} (${train.length} train points, ${evals.length} eval points)`);
  return files;
}
