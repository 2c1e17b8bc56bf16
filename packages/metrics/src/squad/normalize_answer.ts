/**
 * The official SQuAD answer normalisation (evaluate-v1.1.py / v2.0), in the
 * same order: lowercase, drop ASCII punctuation (Python's
 * `string.punctuation` only — “curly quotes” and other Unicode punctuation
 * stay), remove the articles a/an/the as whole words, collapse whitespace.
 */
export function normalizeAnswer(s: string): string {
  return whiteSpaceFix(removeArticles(removePunctuation(s.toLowerCase())));
}

// string.punctuation: !"#$%&'()*+,-./:;<=>?@[\]^_`{|}~
const PUNCTUATION = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');

function removePunctuation(text: string): string {
  let out = '';
  for (const ch of text) if (!PUNCTUATION.has(ch)) out += ch;
  return out;
}

// Python's `\b` on str is Unicode-aware: a word character is any letter,
// digit or underscore in any script, so "éthe" keeps its "the". JavaScript's
// `\b` is ASCII-only even with /u, hence the explicit look-arounds.
const ARTICLES = /(?<![\p{L}\p{N}_])(?:a|an|the)(?![\p{L}\p{N}_])/gu;

function removeArticles(text: string): string {
  return text.replace(ARTICLES, ' ');
}

// Python's str.split() whitespace: JavaScript's \s minus U+FEFF, plus U+001C–U+001F and U+0085.
const PY_WHITESPACE = /[\t\n\v\f\r \u001c-\u001f\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/u;

/** Python's `s.split()`: split on runs of Unicode whitespace, no empty pieces. */
export function pythonSplit(text: string): string[] {
  return text.split(PY_WHITESPACE).filter((t) => t.length > 0);
}

function whiteSpaceFix(text: string): string {
  return pythonSplit(text).join(' ');
}
