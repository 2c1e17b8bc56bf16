import { lineChartSvg } from './line_chart_svg';

/** One curve: the log-history key it plots (`loss`, `eval_loss`, `eval_accuracy`, ...) and its legend name. */
export interface TrainingCurve {
  key: string;
  name: string;
}

export interface TrainingCurvesSvgOptions {
  curves: readonly TrainingCurve[];
  /** The x axis: the entries' `step` (default) or `epoch`. */
  x?: 'step' | 'epoch';
  title?: string;
  yLabel?: string;
}

/**
 * Curves from a Trainer's log history (HF's `trainer.state.log_history`: one record per logging
 * step or evaluation) as a line-chart SVG. Each curve takes the entries that hold its key as a
 * number; a curve with no such entry is left out of the chart and its legend.
 */
export function trainingCurvesSvg(history: readonly Readonly<Record<string, unknown>>[], options: TrainingCurvesSvgOptions): string {
  const x = options.x ?? 'step';
  const series = options.curves
    .map((c) => ({ name: c.name, points: history.filter((e) => typeof e[c.key] === 'number').map((e) => [Number(e[x]), e[c.key] as number] as const) }))
    .filter((s) => s.points.length > 0);
  return lineChartSvg({ series, title: options.title, xLabel: x, yLabel: options.yLabel });
}
