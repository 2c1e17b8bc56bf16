import { describe, expect, it } from 'vitest';
import { trainingCurvesSvg } from './training_curves_svg';
import { lineChartSvg } from './line_chart_svg';

const history = [
  { loss: 0.9, learning_rate: 1e-3, epoch: 0.5, step: 5 },
  { loss: 0.7, learning_rate: 5e-4, epoch: 1, step: 10 },
  { eval_loss: 0.6, eval_accuracy: 0.8, epoch: 1, step: 10 },
  { loss: 0.5, epoch: 1.5, step: 15 },
  { eval_loss: 0.55, eval_accuracy: 0.85, epoch: 2, step: 20 },
];

describe('trainingCurvesSvg', () => {
  it('plots each key over the steps that logged it', () => {
    const svg = trainingCurvesSvg(history, { curves: [{ key: 'loss', name: 'train loss' }, { key: 'eval_accuracy', name: 'dev accuracy' }], title: 'Training curves', yLabel: 'loss / accuracy' });
    expect(svg).toBe(
      lineChartSvg({
        title: 'Training curves',
        xLabel: 'step',
        yLabel: 'loss / accuracy',
        series: [
          { name: 'train loss', points: [[5, 0.9], [10, 0.7], [15, 0.5]] },
          { name: 'dev accuracy', points: [[10, 0.8], [20, 0.85]] },
        ],
      }),
    );
  });

  it('takes epochs as x on request and leaves out curves with no points', () => {
    const svg = trainingCurvesSvg(history, { x: 'epoch', curves: [{ key: 'eval_loss', name: 'dev loss' }, { key: 'eval_f1', name: 'dev F1' }] });
    expect(svg).toBe(lineChartSvg({ xLabel: 'epoch', series: [{ name: 'dev loss', points: [[1, 0.6], [2, 0.55]] }] }));
    expect(svg).not.toContain('dev F1');
  });
});
