import type { Entity } from '@attn/pipelines';

const COLORS = [41, 42, 43, 44, 45, 46];
const RESET = '\x1b[0m';

/** The text with each entity in a coloured box and its type after it; colours are per type, stable per run. */
export function highlightEntities(text: string, entities: readonly Entity[], color = true): string {
  const types = new Map<string, number>();
  let out = '';
  let at = 0;
  for (const e of [...entities].sort((a, b) => a.start - b.start)) {
    if (e.start < at) continue;
    if (!types.has(e.entity)) types.set(e.entity, COLORS[types.size % COLORS.length]!);
    const span = text.slice(e.start, e.end);
    out += text.slice(at, e.start);
    out += color ? `\x1b[1;97;${types.get(e.entity)}m${span}${RESET}\x1b[2m[${e.entity}]${RESET}` : `[${span}]${e.entity}`;
    at = e.end;
  }
  return out + text.slice(at);
}
