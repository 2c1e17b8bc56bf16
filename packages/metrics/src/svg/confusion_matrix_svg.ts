import { MetricsInputError } from '../metrics_error';
import { escapeXml, px, textWidth } from './svg_text';

export interface ConfusionMatrixSvgOptions {
  /** Rows: true labels; columns: predicted labels (as `confusionMatrix`). */
  matrix: readonly (readonly number[])[];
  labels: readonly (string | number)[];
  title?: string;
  /** Cell side in pixels. Default 48. */
  cellSize?: number;
  /** Decimal places for non-integer cells (normalised matrices). Default 2. */
  digits?: number;
}

/** White → blue, like matplotlib's "Blues", by linear interpolation in RGB. */
function blues(t: number): string {
  const a = [247, 251, 255];
  const b = [8, 48, 107];
  const c = a.map((v, i) => Math.round(v + (b[i]! - v) * Math.min(1, Math.max(0, t))));
  return `rgb(${c.join(',')})`;
}

/**
 * A confusion-matrix heat map as a standalone SVG string: darker cells hold
 * more samples, each cell prints its value, axes name true and predicted labels.
 */
export function confusionMatrixSvg(options: ConfusionMatrixSvgOptions): string {
  const { matrix, labels } = options;
  const n = labels.length;
  if (matrix.length !== n || matrix.some((row) => row.length !== n)) {
    throw new MetricsInputError('confusionMatrixSvg', 'options.matrix', `expected a ${n}x${n} matrix to match ${n} labels`);
  }
  const cell = options.cellSize ?? 48;
  const digits = options.digits ?? 2;
  const font = Math.max(9, Math.min(14, cell / 3.5));
  const names = labels.map(String);
  const leftLabel = Math.max(30, ...names.map((s) => textWidth(s, font))) + 36;
  const topPad = options.title ? 40 : 16;
  const bottomLabel = Math.max(30, ...names.map((s) => textWidth(s, font))) + 36;
  const width = leftLabel + n * cell + 20;
  const height = topPad + n * cell + bottomLabel;
  let max = 0;
  for (const row of matrix) for (const v of row) if (Number.isFinite(v)) max = Math.max(max, v);
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${px(width)}" height="${px(height)}" viewBox="0 0 ${px(width)} ${px(height)}" font-family="sans-serif">`,
  );
  parts.push(`<rect width="100%" height="100%" fill="white"/>`);
  if (options.title) {
    parts.push(`<text x="${px(width / 2)}" y="24" font-size="16" text-anchor="middle" font-weight="bold">${escapeXml(options.title)}</text>`);
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = matrix[i]![j]!;
      const t = max > 0 ? v / max : 0;
      const x = leftLabel + j * cell;
      const y = topPad + i * cell;
      const text = Number.isInteger(v) ? String(v) : v.toFixed(digits);
      parts.push(
        `<rect class="cell" data-row="${i}" data-col="${j}" x="${px(x)}" y="${px(y)}" width="${px(cell)}" height="${px(cell)}" fill="${blues(t)}" stroke="#ddd"/>`,
      );
      parts.push(
        `<text x="${px(x + cell / 2)}" y="${px(y + cell / 2 + font / 3)}" font-size="${px(font)}" text-anchor="middle" fill="${t > 0.5 ? 'white' : 'black'}">${text}</text>`,
      );
    }
    const y = topPad + i * cell + cell / 2 + font / 3;
    parts.push(`<text x="${px(leftLabel - 6)}" y="${px(y)}" font-size="${px(font)}" text-anchor="end">${escapeXml(names[i]!)}</text>`);
  }
  const axisY = topPad + n * cell + 6;
  for (let j = 0; j < n; j++) {
    const x = leftLabel + j * cell + cell / 2;
    parts.push(
      `<text x="${px(x)}" y="${px(axisY)}" font-size="${px(font)}" text-anchor="end" transform="rotate(-45 ${px(x)} ${px(axisY)})">${escapeXml(names[j]!)}</text>`,
    );
  }
  parts.push(`<text x="${px(leftLabel + (n * cell) / 2)}" y="${px(height - 6)}" font-size="13" text-anchor="middle">Predicted label</text>`);
  const cy = topPad + (n * cell) / 2;
  parts.push(`<text x="14" y="${px(cy)}" font-size="13" text-anchor="middle" transform="rotate(-90 14 ${px(cy)})">True label</text>`);
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
