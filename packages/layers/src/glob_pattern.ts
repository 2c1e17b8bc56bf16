/**
 * Parameter-name globs for freeze()/unfreeze(): `*` matches any run of characters (dots included),
 * `{0..3}` an integer range, `{a,b}` alternatives. A pattern matches a full dotted name or any tail
 * of it that starts after a dot, so `embeddings.*` also matches `bert.embeddings.LayerNorm.weight`.
 */
export class GlobPatternError extends Error {
  override name = 'GlobPatternError';
}

function escapeRegExp(s: string): string {
  return s.replace(/[.+?^$()|[\]\\]/g, '\\$&');
}

function braceToRegExp(body: string, pattern: string): string {
  const range = /^(\d+)\.\.(\d+)$/.exec(body);
  if (range) {
    const lo = Number(range[1]);
    const hi = Number(range[2]);
    if (lo > hi) throw new GlobPatternError(`Glob "${pattern}": range {${body}} is empty; write {low..high} with low <= high.`);
    const alts: string[] = [];
    for (let i = lo; i <= hi; i++) alts.push(String(i));
    return `(?:${alts.join('|')})`;
  }
  return `(?:${body.split(',').map((a) => a.split('*').map(escapeRegExp).join('.*')).join('|')})`;
}

/** Compiles one glob to an anchored RegExp over dotted parameter names. */
export function globToRegExp(pattern: string): RegExp {
  let src = '';
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '{') {
      const end = pattern.indexOf('}', i);
      if (end < 0) throw new GlobPatternError(`Glob "${pattern}": "{" at ${i} is never closed.`);
      src += braceToRegExp(pattern.slice(i + 1, end), pattern);
      i = end + 1;
    } else if (c === '*') {
      src += '.*';
      i++;
    } else {
      src += escapeRegExp(c);
      i++;
    }
  }
  return new RegExp(`^(?:.*\\.)?${src}$`);
}

/** True when the name matches any of the patterns. */
export function matchesAny(name: string, patterns: RegExp[]): boolean {
  return patterns.some((p) => p.test(name));
}
