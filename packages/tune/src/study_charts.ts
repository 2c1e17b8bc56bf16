// The study's pictures: the objective by trial with the running best, and the objective against
// each parameter (log10 for log-scale parameters, the choice's index for categorical ones).
import { lineChartSvg, type LineChartSeries } from '@attn/metrics';
import { lossOf, type Direction, type FrozenTrial } from './frozen_trial';
import type { SearchSpace } from './search_space';

/** Objective of each complete trial (dots), each pruned trial's last value, and the best so far (line). */
export function historySvg(trials: readonly FrozenTrial[], direction: Direction, title = 'Objective by trial'): string {
  const complete = trials.filter((t) => t.state === 'complete');
  const pruned = trials.filter((t) => t.state === 'pruned' && t.value !== undefined);
  const best: [number, number][] = [];
  let b: number | undefined;
  for (const t of complete) {
    if (b === undefined || lossOf(t.value!, direction) < lossOf(b, direction)) b = t.value!;
    best.push([t.number, b]);
  }
  const series: LineChartSeries[] = [
    { name: 'complete', style: 'points', points: complete.map((t) => [t.number, t.value!]) },
    { name: 'pruned (last value)', style: 'points', points: pruned.map((t) => [t.number, t.value!]) },
    { name: 'best so far', points: best },
  ];
  return lineChartSvg({ title, xLabel: 'trial', yLabel: 'objective', series: series.filter((s) => s.points.length > 0) });
}

/** Objective against one parameter, one dot per complete trial that has it. */
export function paramSvg(trials: readonly FrozenTrial[], space: SearchSpace, name: string): string {
  const spec = space[name];
  if (!spec) throw new RangeError(`paramSvg: no parameter "${name}" in the space`);
  const complete = trials.filter((t) => t.state === 'complete' && name in t.params);
  const x = (v: unknown) => (spec.type === 'categorical' ? spec.choices.indexOf(v as never) : spec.log ? Math.log10(v as number) : (v as number));
  const xLabel =
    spec.type === 'categorical' ? `${name} (${spec.choices.map((c, i) => `${i} = ${String(c)}`).join(', ')})` : spec.log ? `log10 ${name}` : name;
  return lineChartSvg({
    title: `Objective against ${name}`,
    xLabel,
    yLabel: 'objective',
    series: [{ name: 'trials', style: 'points', points: complete.map((t) => [x(t.params[name]), t.value!]) }],
  });
}
