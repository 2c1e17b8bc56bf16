import { TokenizerError } from './errors';
import { asObject, at, type JsonContext } from './json_fields';

/** HF's `{"String": s}` / `{"Regex": r}` pattern, compiled to a global JS regex. */
export interface Pattern {
  kind: 'String' | 'Regex';
  source: string;
  regex: RegExp;
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function patternFromJSON(v: unknown, ctx: JsonContext): Pattern {
  const o = asObject(v, ctx);
  if (typeof o.String === 'string') return { kind: 'String', source: o.String, regex: new RegExp(escapeRegExp(o.String), 'gu') };
  if (typeof o.Regex === 'string') {
    try {
      return { kind: 'Regex', source: o.Regex, regex: new RegExp(o.Regex, 'gu') };
    } catch (e) {
      throw new TokenizerError(`invalid regular expression ${JSON.stringify(o.Regex)}: ${(e as Error).message}`, { file: ctx.file, field: at(ctx, 'Regex').path });
    }
  }
  throw new TokenizerError('expected {"String": ...} or {"Regex": ...}', { file: ctx.file, field: ctx.path });
}

export function patternToJSON(p: Pattern): Record<string, string> {
  return { [p.kind]: p.source };
}

/**
 * HF's find_matches: the text cut into consecutive [start, end, isMatch] pieces covering it all
 * (an empty text gives one empty non-match).
 */
export function findMatches(re: RegExp, text: string): Array<[number, number, boolean]> {
  if (text.length === 0) return [[0, 0, false]];
  const out: Array<[number, number, boolean]> = [];
  let prev = 0;
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const s = m.index;
    const e = s + m[0].length;
    if (s === e) {
      re.lastIndex = e + 1;
      continue;
    }
    if (prev !== s) out.push([prev, s, false]);
    out.push([s, e, true]);
    prev = e;
  }
  if (prev !== text.length) out.push([prev, text.length, false]);
  return out;
}
