/** Escapes text for SVG/XML content and attribute values. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Fixed-precision coordinate so SVG output is stable across platforms and small. */
export function px(x: number): string {
  return String(Math.round(x * 100) / 100);
}

/** A qualitative palette (Tableau 10) for series and bars, readable on white. */
export const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

/** Rough text width for layout without a font engine: ~0.6 em per character. */
export function textWidth(s: string, fontSize: number): number {
  return [...s].length * fontSize * 0.6;
}
