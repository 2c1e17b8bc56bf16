import { niceTicks, tickLabel } from './nice_ticks';
import { escapeXml, PALETTE, px, textWidth } from './svg_text';

export interface LineChartSeries {
  name: string;
  /** [x, y] pairs, e.g. [step, loss]; non-finite y values break the line. */
  points: readonly (readonly [number, number])[];
  /** 'line' (default) joins the points; 'points' draws a dot per point (a scatter plot). */
  style?: 'line' | 'points';
}

export interface LineChartSvgOptions {
  series: readonly LineChartSeries[];
  title?: string;
  xLabel?: string;
  yLabel?: string;
  width?: number;
  height?: number;
}

const MIN_PLOT_WIDTH = 320;

/** Line chart (loss / accuracy curves) as a standalone SVG string with axes, ticks and a legend. */
export function lineChartSvg(options: LineChartSvgOptions): string {
  const height = options.height ?? 360;
  const all = options.series.flatMap((s) => s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)));
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]);
  const xTicks = all.length ? niceTicks(Math.min(...xs), Math.max(...xs), 6) : [0, 1];
  const yTicks = all.length ? niceTicks(Math.min(...ys), Math.max(...ys), 5) : [0, 1];
  const [x0, x1] = [xTicks[0]!, xTicks.at(-1)!];
  const [y0, y1] = [yTicks[0]!, yTicks.at(-1)!];
  const legendW = Math.max(0, ...options.series.map((s) => textWidth(s.name, 11))) + 30;
  const m = { left: 64, right: 16 + legendW, top: options.title ? 36 : 14, bottom: options.xLabel ? 48 : 32 };
  // Long series names widen the image rather than squeeze the plot (at 640 wide, names of ~90 characters left it a
  // negative width and drew every curve off the axes).
  const width = Math.max(options.width ?? 640, m.left + m.right + MIN_PLOT_WIDTH);
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom;
  const sx = (x: number) => m.left + ((x - x0) / (x1 - x0 || 1)) * plotW;
  const sy = (y: number) => m.top + plotH - ((y - y0) / (y1 - y0 || 1)) * plotH;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${px(width)}" height="${px(height)}" viewBox="0 0 ${px(width)} ${px(height)}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
  ];
  if (options.title) {
    // Centred over the plot, but never past either edge of the image (a wide legend makes the plot narrow).
    const half = (textWidth(options.title, 15) * 1.08) / 2; // bold is a little wider
    const cx = Math.min(Math.max(m.left + plotW / 2, half + 4), width - half - 4);
    parts.push(`<text x="${px(cx)}" y="22" font-size="15" text-anchor="middle" font-weight="bold">${escapeXml(options.title)}</text>`);
  }
  for (const t of yTicks) {
    parts.push(`<line x1="${px(m.left)}" x2="${px(m.left + plotW)}" y1="${px(sy(t))}" y2="${px(sy(t))}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${px(m.left - 6)}" y="${px(sy(t) + 4)}" font-size="11" text-anchor="end">${tickLabel(t)}</text>`);
  }
  for (const t of xTicks) {
    parts.push(`<line x1="${px(sx(t))}" x2="${px(sx(t))}" y1="${px(m.top + plotH)}" y2="${px(m.top + plotH + 4)}" stroke="black"/>`);
    parts.push(`<text x="${px(sx(t))}" y="${px(m.top + plotH + 17)}" font-size="11" text-anchor="middle">${tickLabel(t)}</text>`);
  }
  parts.push(`<rect x="${px(m.left)}" y="${px(m.top)}" width="${px(plotW)}" height="${px(plotH)}" fill="none" stroke="black"/>`);
  options.series.forEach((s, si) => {
    const color = PALETTE[si % PALETTE.length]!;
    if (s.style === 'points') {
      for (const [x, y] of s.points) {
        if (Number.isFinite(x) && Number.isFinite(y)) parts.push(`<circle class="series" data-series="${escapeXml(s.name)}" cx="${px(sx(x))}" cy="${px(sy(y))}" r="3" fill="${color}" fill-opacity="0.8"/>`);
      }
      const ly = m.top + 10 + si * 18;
      const lx = m.left + plotW + 12;
      parts.push(`<circle cx="${px(lx + 7)}" cy="${px(ly - 4)}" r="3" fill="${color}"/>`);
      parts.push(`<text x="${px(lx + 18)}" y="${px(ly)}" font-size="11">${escapeXml(s.name)}</text>`);
      return;
    }
    // Non-finite values (a NaN loss) split the line into separate runs.
    const runs: string[] = [];
    let cur: string[] = [];
    for (const [x, y] of s.points) {
      if (Number.isFinite(x) && Number.isFinite(y)) cur.push(`${px(sx(x))},${px(sy(y))}`);
      else if (cur.length) {
        runs.push(cur.join(' '));
        cur = [];
      }
    }
    if (cur.length) runs.push(cur.join(' '));
    for (const r of runs) {
      parts.push(`<polyline class="series" data-series="${escapeXml(s.name)}" points="${r}" fill="none" stroke="${color}" stroke-width="2"/>`);
    }
    if (s.points.length === 1 && runs.length === 1) parts.push(`<circle cx="${runs[0]!.split(',')[0]}" cy="${runs[0]!.split(',')[1]}" r="3" fill="${color}"/>`);
    const ly = m.top + 10 + si * 18;
    const lx = m.left + plotW + 12;
    parts.push(`<line x1="${px(lx)}" x2="${px(lx + 14)}" y1="${px(ly - 4)}" y2="${px(ly - 4)}" stroke="${color}" stroke-width="2"/>`);
    parts.push(`<text x="${px(lx + 18)}" y="${px(ly)}" font-size="11">${escapeXml(s.name)}</text>`);
  });
  if (options.xLabel) parts.push(`<text x="${px(m.left + plotW / 2)}" y="${px(height - 8)}" font-size="12" text-anchor="middle">${escapeXml(options.xLabel)}</text>`);
  if (options.yLabel) {
    const cy = m.top + plotH / 2;
    parts.push(`<text x="14" y="${px(cy)}" font-size="12" text-anchor="middle" transform="rotate(-90 14 ${px(cy)})">${escapeXml(options.yLabel)}</text>`);
  }
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
