import { writeFileDurableSync } from '@attn/tensor/durable_write';
import { join } from 'node:path';
import { barChartSvg, trainingCurvesSvg, type SeqevalReportDict } from '@attn/metrics';
import type { LogEntry } from '@attn/trainer';

/** Writes entity_f1.svg (precision / recall / F1 per entity type) and loss.svg (train and eval loss). */
export function writeRunCharts(dir: string, report: SeqevalReportDict, history: readonly LogEntry[]): string[] {
  const types = Object.keys(report).filter((k) => !k.endsWith(' avg'));
  const categories = [...types, 'micro avg'];
  const pick = (k: 'precision' | 'recall' | 'f1-score') => categories.map((c) => report[c]?.[k] ?? 0);
  writeFileDurableSync(
    join(dir, 'entity_f1.svg'),
    barChartSvg({
      categories,
      series: [
        { name: 'precision', values: pick('precision') },
        { name: 'recall', values: pick('recall') },
        { name: 'f1-score', values: pick('f1-score') },
      ],
      title: 'dev entity scores per type (seqeval)',
      yLabel: 'score',
    }),
  );
  writeFileDurableSync(join(dir, 'loss.svg'), trainingCurvesSvg(history, { curves: [{ key: 'loss', name: 'train loss' }, { key: 'eval_loss', name: 'eval loss' }], title: 'loss', yLabel: 'loss' }));
  return [join(dir, 'entity_f1.svg'), join(dir, 'loss.svg')];
}
