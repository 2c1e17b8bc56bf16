import { MetricsInputError } from '../metrics_error';
import { niceTicks, tickLabel } from './nice_ticks';
import { escapeXml, PALETTE, px, textWidth } from './svg_text';

export interface BarChartSvgOptions {
  /** One group of bars per category (e.g. per class). */
  categories: readonly string[];
  /** One bar per series in each group (e.g. precision, recall, f1-score). */
  series: readonly { name: string; values: readonly number[] }[];
  title?: string;
  yLabel?: string;
  /** Top of the value axis. Default: a round number above the largest value (1 for scores in [0,1]). */
  yMax?: number;
  width?: number;
  height?: number;
}

/**
 * Grouped bar chart as a standalone SVG string — e.g. per-class precision,
 * recall and F1 from `classificationReport(..., {outputDict: true})`.
 */
export function barChartSvg(options: BarChartSvgOptions): string {
  const { categories, series } = options;
  for (const s of series) {
    if (s.values.length !== categories.length) {
      throw new MetricsInputError('barChartSvg', `options.series[${JSON.stringify(s.name)}].values`, `expected ${categories.length} values (one per category), found ${s.values.length}`);
    }
  }
  const width = options.width ?? Math.max(360, 90 + categories.length * (series.length * 18 + 24));
  const height = options.height ?? 320;
  const dataMax = Math.max(0, ...series.flatMap((s) => s.values.filter(Number.isFinite)));
  const yMax = options.yMax ?? (dataMax <= 1 ? 1 : niceTicks(0, dataMax).at(-1)!);
  const ticks = niceTicks(0, yMax).filter((t) => t <= yMax + 1e-12);
  const longest = Math.max(0, ...categories.map((c) => textWidth(c, 11)));
  const m = { left: 56, right: 16, top: options.title ? 36 : 14, bottom: 28 + Math.min(120, longest * 0.75) + (series.length > 1 ? 22 : 0) };
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom;
  const y = (v: number) => m.top + plotH - (Math.max(0, Math.min(v, yMax)) / yMax) * plotH;
  const groupW = plotW / Math.max(1, categories.length);
  const barW = Math.max(2, (groupW * 0.8) / Math.max(1, series.length));
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${px(width)}" height="${px(height)}" viewBox="0 0 ${px(width)} ${px(height)}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
  ];
  if (options.title) parts.push(`<text x="${px(width / 2)}" y="22" font-size="15" text-anchor="middle" font-weight="bold">${escapeXml(options.title)}</text>`);
  for (const t of ticks) {
    parts.push(`<line x1="${px(m.left)}" x2="${px(m.left + plotW)}" y1="${px(y(t))}" y2="${px(y(t))}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${px(m.left - 6)}" y="${px(y(t) + 4)}" font-size="11" text-anchor="end">${tickLabel(t)}</text>`);
  }
  categories.forEach((c, ci) => {
    const gx = m.left + ci * groupW + groupW * 0.1;
    series.forEach((s, si) => {
      const v = s.values[ci]!;
      const top = y(Number.isFinite(v) ? v : 0);
      parts.push(
        `<rect class="bar" data-series="${escapeXml(s.name)}" data-category="${escapeXml(c)}" x="${px(gx + si * barW)}" y="${px(top)}" width="${px(barW - 1)}" height="${px(m.top + plotH - top)}" fill="${PALETTE[si % PALETTE.length]}"><title>${escapeXml(`${c} ${s.name}: ${v}`)}</title></rect>`,
      );
    });
    const lx = m.left + ci * groupW + groupW / 2;
    const ly = m.top + plotH + 14;
    parts.push(`<text x="${px(lx)}" y="${px(ly)}" font-size="11" text-anchor="end" transform="rotate(-35 ${px(lx)} ${px(ly)})">${escapeXml(c)}</text>`);
  });
  parts.push(`<line x1="${px(m.left)}" x2="${px(m.left + plotW)}" y1="${px(m.top + plotH)}" y2="${px(m.top + plotH)}" stroke="black"/>`);
  parts.push(`<line x1="${px(m.left)}" x2="${px(m.left)}" y1="${px(m.top)}" y2="${px(m.top + plotH)}" stroke="black"/>`);
  if (options.yLabel) {
    const cy = m.top + plotH / 2;
    parts.push(`<text x="14" y="${px(cy)}" font-size="12" text-anchor="middle" transform="rotate(-90 14 ${px(cy)})">${escapeXml(options.yLabel)}</text>`);
  }
  if (series.length > 1) {
    let lx = m.left;
    const ly = height - 10;
    series.forEach((s, si) => {
      parts.push(`<rect x="${px(lx)}" y="${px(ly - 9)}" width="10" height="10" fill="${PALETTE[si % PALETTE.length]}"/>`);
      parts.push(`<text x="${px(lx + 14)}" y="${px(ly)}" font-size="11">${escapeXml(s.name)}</text>`);
      lx += 24 + textWidth(s.name, 11);
    });
  }
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
