import { describe, expect, it } from 'vitest';
import { MetricsInputError } from '../metrics_error';
import { barChartSvg } from './bar_chart_svg';
import { confusionMatrixSvg } from './confusion_matrix_svg';
import { lineChartSvg } from './line_chart_svg';
import { textWidth } from './svg_text';
import { niceTicks } from './nice_ticks';

/** Minimal well-formedness check without a browser: balanced tags, one root. */
function expectWellFormed(svg: string): void {
  expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
    const [, close, name, self] = m;
    if (self) continue;
    if (close) expect(stack.pop()).toBe(name);
    else stack.push(name!);
  }
  expect(stack).toEqual([]);
}

describe('confusionMatrixSvg', () => {
  const svg = confusionMatrixSvg({ matrix: [[5, 1], [0, 3]], labels: ['neg', 'pos <&>'], title: 'SST-2' });
  it('is well-formed standalone SVG with one cell per entry', () => {
    expectWellFormed(svg);
    expect(svg.match(/class="cell"/g)).toHaveLength(4);
    expect(svg).toContain('pos &lt;&amp;&gt;');
    expect(svg).toContain('>SST-2<');
  });
  it('shades the largest count darkest and zero white', () => {
    const fill = (r: number, c: number) => new RegExp(`data-row="${r}" data-col="${c}"[^>]*fill="([^"]+)"`).exec(svg)![1];
    expect(fill(0, 0)).toBe('rgb(8,48,107)');
    expect(fill(1, 0)).toBe('rgb(247,251,255)');
  });
  it('prints normalised values with the requested digits', () => {
    expect(confusionMatrixSvg({ matrix: [[0.75, 0.25], [0, 1]], labels: [0, 1], digits: 3 })).toContain('>0.750<');
  });
  it('rejects a matrix that does not match the labels', () => {
    expect(() => confusionMatrixSvg({ matrix: [[1]], labels: ['a', 'b'] })).toThrow(MetricsInputError);
  });
});

describe('barChartSvg', () => {
  it('draws one bar per (category, series) with a legend', () => {
    const svg = barChartSvg({
      categories: ['LOC', 'ORG', 'PER'],
      series: [
        { name: 'precision', values: [0.9, 0.5, 1] },
        { name: 'recall', values: [0.8, 0.25, 1] },
      ],
      title: 'per class',
      yLabel: 'score',
    });
    expectWellFormed(svg);
    expect(svg.match(/class="bar"/g)).toHaveLength(6);
    expect(svg).toContain('>precision<');
    // bar heights are proportional to values on a 0..1 axis
    const h = (s: string, c: string) =>
      Number(new RegExp(`data-series="${s}" data-category="${c}"[^>]*height="([^"]+)"`).exec(svg)![1]);
    expect(h('recall', 'ORG') / h('precision', 'ORG')).toBeCloseTo(0.5, 2);
    expect(h('precision', 'PER') / h('recall', 'ORG')).toBeCloseTo(4, 2);
  });
  it('rejects series of the wrong length', () => {
    expect(() => barChartSvg({ categories: ['a'], series: [{ name: 'x', values: [1, 2] }] })).toThrow(MetricsInputError);
  });
});

describe('lineChartSvg', () => {
  it('draws each series as a polyline inside the plot, with labels', () => {
    const svg = lineChartSvg({
      series: [
        { name: 'train loss', points: [[0, 0.7], [1, 0.5], [2, 0.31]] },
        { name: 'eval loss', points: [[0, 0.72], [2, 0.4]] },
      ],
      title: 'Loss',
      xLabel: 'epoch',
      yLabel: 'loss',
    });
    expectWellFormed(svg);
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    for (const s of ['>Loss<', '>epoch<', '>loss<', '>train loss<', '>eval loss<']) expect(svg).toContain(s);
    // lower loss is drawn higher up: y grows downward in SVG
    const pts = /data-series="train loss" points="([^"]+)"/.exec(svg)![1]!.split(' ').map((p) => p.split(',').map(Number));
    expect(pts[2]![1]!).toBeGreaterThan(pts[0]![1]! - 1000);
    expect(pts[0]![1]!).toBeLessThan(pts[2]![1]!);
  });
  it('breaks the line at NaN instead of drawing garbage', () => {
    const svg = lineChartSvg({ series: [{ name: 'loss', points: [[0, 1], [1, Number.NaN], [2, 0.5], [3, 0.4]] }] });
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg).not.toContain('NaN');
  });
  it('keeps a long title inside the image when a wide legend narrows the plot', () => {
    const title = 'BERT-tiny MLM pretraining (attn, wasm + native kernels)';
    const svg = lineChartSvg({ title, series: [{ name: 'held-out loss (Frankenstein), a long legend entry', points: [[0, 9], [1, 6]] }] });
    const x = Number(/<text x="([\d.]+)" y="22"/.exec(svg)![1]);
    const half = (textWidth(title, 15) * 1.08) / 2;
    expect(x - half).toBeGreaterThanOrEqual(0);
    expect(x + half).toBeLessThanOrEqual(640);
  });
  it('widens the image instead of squeezing the plot when series names are very long', () => {
    const name = 'held-out loss, BERT-mini on Intel, previous session (32 tokens, 7,000-step schedule)';
    const svg = lineChartSvg({ series: [{ name, points: [[0, 9], [1, 6], [2, 5]] }] });
    const plot = /<rect x="64" y="[\d.]+" width="([-\d.]+)"/.exec(svg)!;
    expect(Number(plot[1])).toBeGreaterThanOrEqual(320);
    const width = Number(/<svg [^>]*width="([\d.]+)"/.exec(svg)![1]);
    expect(width).toBeGreaterThan(640);
    const xs = /points="([^"]+)"/.exec(svg)![1]!.split(' ').map((p) => Number(p.split(',')[0]));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(64);
    expect(Math.max(...xs)).toBeLessThanOrEqual(64 + Number(plot[1]) + 0.01);
    // Short names keep the 640 default.
    expect(lineChartSvg({ series: [{ name: 'loss', points: [[0, 1], [1, 0.5]] }] })).toContain('width="640"');
  });
  it('handles empty and single-point series', () => {
    expectWellFormed(lineChartSvg({ series: [] }));
    const one = lineChartSvg({ series: [{ name: 'acc', points: [[5, 0.9]] }] });
    expectWellFormed(one);
    expect(one).toContain('<circle');
  });
});

describe('lineChartSvg points style', () => {
  it('draws one dot per finite point and no line for a points series', () => {
    const svg = lineChartSvg({ series: [{ name: 'trials', style: 'points', points: [[1, 0.8], [2, NaN], [3, 0.9]] }, { name: 'best', points: [[1, 0.8], [3, 0.9]] }] });
    expect(svg.match(/<circle class="series" data-series="trials"/g)).toHaveLength(2);
    expect(svg.match(/<polyline/g)).toHaveLength(1);
  });
});

describe('niceTicks', () => {
  it('uses 1/2/5 steps covering the range', () => {
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0.31, 0.72)).toEqual([0.3, 0.4, 0.5, 0.6, 0.7, 0.8]);
    expect(niceTicks(0, 1000, 4)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(niceTicks(3, 3).length).toBeGreaterThan(1);
  });

  it('puts an exact 0 on an axis that crosses it (no -5.551e-17 label)', () => {
    expect(niceTicks(-0.62, 0.61)).toEqual([-0.8, -0.6, -0.4, -0.2, 0, 0.2, 0.4, 0.6, 0.8]);
    expect(niceTicks(-0.6, 0.6, 6)).toContain(0);
  });
});
