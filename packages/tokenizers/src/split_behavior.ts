import type { NormalizedString } from './normalized_string';
import { TokenizerError } from './errors';
import type { JsonContext } from './json_fields';

/** HF SplitDelimiterBehavior: what happens to the matched delimiters when a piece is split. */
export type SplitBehavior = 'Removed' | 'Isolated' | 'MergedWithPrevious' | 'MergedWithNext' | 'Contiguous';

const BEHAVIORS: SplitBehavior[] = ['Removed', 'Isolated', 'MergedWithPrevious', 'MergedWithNext', 'Contiguous'];

export function splitBehaviorFromJSON(v: unknown, ctx: JsonContext, dflt: SplitBehavior): SplitBehavior {
  if (v === undefined || v === null) return dflt;
  if (typeof v === 'string' && (BEHAVIORS as string[]).includes(v)) return v as SplitBehavior;
  throw new TokenizerError(`expected one of ${BEHAVIORS.join(', ')}, found ${JSON.stringify(v)}`, { file: ctx.file, field: ctx.path });
}

/** HF NormalizedString::split: cuts `ns` at the [start, end, isMatch] pieces according to `behavior`. */
export function splitByMatches(ns: NormalizedString, matches: Array<[number, number, boolean]>, behavior: SplitBehavior): NormalizedString[] {
  let pieces: Array<[number, number, boolean]>; // [start, end, remove]
  switch (behavior) {
    case 'Isolated':
      pieces = matches.map(([s, e]) => [s, e, false]);
      break;
    case 'Removed':
      pieces = matches;
      break;
    case 'Contiguous': {
      pieces = [];
      let prev = false;
      for (const [s, e, m] of matches) {
        if (m === prev && pieces.length > 0) pieces[pieces.length - 1]![1] = e;
        else pieces.push([s, e, false]);
        prev = m;
      }
      break;
    }
    case 'MergedWithPrevious': {
      pieces = [];
      let prev = false;
      for (const [s, e, m] of matches) {
        if (m && !prev && pieces.length > 0) pieces[pieces.length - 1]![1] = e;
        else pieces.push([s, e, false]);
        prev = m;
      }
      break;
    }
    case 'MergedWithNext': {
      pieces = [];
      let prev = false;
      for (let i = matches.length - 1; i >= 0; i--) {
        const [s, e, m] = matches[i]!;
        if (m && !prev && pieces.length > 0) pieces[pieces.length - 1]![0] = s;
        else pieces.push([s, e, false]);
        prev = m;
      }
      pieces.reverse();
      break;
    }
  }
  const out: NormalizedString[] = [];
  for (const [s, e, remove] of pieces) if (!remove) out.push(ns.slice(s, e));
  return out;
}

/** HF's Pattern for a character predicate: each matching character is its own match. */
export function findCharMatches(text: string, pred: (cp: number) => boolean): Array<[number, number, boolean]> {
  if (text.length === 0) return [[0, 0, false]];
  const out: Array<[number, number, boolean]> = [];
  let last = 0;
  for (let i = 0; i < text.length; ) {
    const c = text.codePointAt(i)!;
    const len = c > 0xffff ? 2 : 1;
    if (pred(c)) {
      if (last < i) out.push([last, i, false]);
      out.push([i, i + len, true]);
      last = i + len;
    }
    i += len;
  }
  if (last < text.length) out.push([last, text.length, false]);
  return out;
}
