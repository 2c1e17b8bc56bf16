import { isAlphanumeric, isWhitespace } from './char_classes';
import { asArray, asObject, at, optBool, reqInt, reqString, type JsonContext } from './json_fields';
import { NormalizedString, codePointAt } from './normalized_string';
import type { Normalizer } from './normalizers/normalizer';
import { escapeRegExp } from './pattern';
import { PreTokenizedString, type Split } from './pre_tokenized_string';

/** A token matched in the raw text before the model runs (special tokens, user-added words). */
export interface AddedToken {
  content: string;
  id: number;
  special: boolean;
  /** Only match when not inside a word. */
  singleWord: boolean;
  /** Also swallow whitespace on the left / right of a match. */
  lstrip: boolean;
  rstrip: boolean;
  /** Match against the normalized text (true) or the original (false). */
  normalized: boolean;
}

const isWordChar = (cp: number): boolean => cp === 95 || isAlphanumeric(cp);

function lastCodePoint(t: string, end: number): number {
  const c = t.charCodeAt(end - 1);
  if (c >= 0xdc00 && c <= 0xdfff && end >= 2) {
    const h = t.charCodeAt(end - 2);
    if (h >= 0xd800 && h <= 0xdbff) return codePointAt(t, end - 2);
  }
  return c;
}

/**
 * HF AddedVocabulary: the added tokens are cut out of the text first (non-normalized ones from
 * the original text, then normalized ones from each normalized piece), leftmost-longest, with the
 * single_word / lstrip / rstrip rules.
 */
export class AddedVocabulary {
  private readonly byContent = new Map<string, AddedToken>();
  private readonly byId = new Map<number, AddedToken>();
  private order: AddedToken[] = [];
  private rawRe: RegExp | null = null;
  private normRe: RegExp | null = null;

  static fromJSON(v: unknown, ctx: JsonContext): AddedToken[] {
    return asArray(v ?? [], ctx).map((t, i) => {
      const c = at(ctx, i);
      const o = asObject(t, c);
      const special = optBool(o, 'special', c, false);
      return {
        id: reqInt(o, 'id', c),
        content: reqString(o, 'content', c),
        special,
        singleWord: optBool(o, 'single_word', c, false),
        lstrip: optBool(o, 'lstrip', c, false),
        rstrip: optBool(o, 'rstrip', c, false),
        normalized: optBool(o, 'normalized', c, !special),
      };
    });
  }

  get size(): number {
    return this.order.length;
  }

  all(): AddedToken[] {
    return [...this.order].sort((a, b) => a.id - b.id);
  }

  add(tokens: AddedToken[], normalizer: Normalizer | null): void {
    for (const t of tokens) {
      if (t.content.length === 0) continue;
      const old = this.byContent.get(t.content);
      if (old) this.order = this.order.filter((x) => x !== old);
      this.byContent.set(t.content, t);
      this.byId.set(t.id, t);
      this.order.push(t);
    }
    this.refresh(normalizer);
  }

  /** Rebuilds the two matchers; longer contents first so that alternation finds the longest match. */
  refresh(normalizer: Normalizer | null): void {
    const raw: string[] = [];
    const norm: string[] = [];
    for (const t of this.order) {
      if (t.normalized) {
        const ns = new NormalizedString(t.content);
        normalizer?.normalize(ns);
        if (ns.text.length > 0) norm.push(ns.text);
      } else raw.push(t.content);
    }
    const build = (list: string[]): RegExp | null =>
      list.length === 0 ? null : new RegExp([...new Set(list)].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'), 'gu');
    this.rawRe = build(raw);
    this.normRe = build(norm);
    this.normalizedContent.clear();
    for (const t of this.order) {
      if (!t.normalized) continue;
      const ns = new NormalizedString(t.content);
      normalizer?.normalize(ns);
      this.normalizedContent.set(ns.text, t);
    }
  }

  private readonly normalizedContent = new Map<string, AddedToken>();

  tokenToId(content: string): number | undefined {
    return this.byContent.get(content)?.id;
  }

  idToToken(id: number): string | undefined {
    return this.byId.get(id)?.content;
  }

  get(content: string): AddedToken | undefined {
    return this.byContent.get(content);
  }

  isSpecialId(id: number): boolean {
    return this.byId.get(id)?.special ?? false;
  }

  isSpecialContent(content: string): boolean {
    return this.byContent.get(content)?.special ?? false;
  }

  /** HF find_matches: [start, end, token | null] pieces covering `t`. */
  private findMatches(t: string, re: RegExp, lookup: (m: string) => AddedToken | undefined): Array<[number, number, AddedToken | null]> {
    const out: Array<[number, number, AddedToken | null]> = [];
    let startOffset = 0;
    re.lastIndex = 0;
    for (let m = re.exec(t); m !== null; m = re.exec(t)) {
      let start = m.index;
      let stop = start + m[0].length;
      const tok = lookup(m[0])!;
      if (tok.singleWord) {
        const startSpace = start === 0 || !isWordChar(lastCodePoint(t, start));
        const stopSpace = stop === t.length || !isWordChar(codePointAt(t, stop));
        if (!startSpace || !stopSpace) continue;
      }
      if (tok.lstrip) {
        let s = start;
        while (s > 0) {
          const cp = lastCodePoint(t, s);
          if (!isWhitespace(cp)) break;
          s -= cp > 0xffff ? 2 : 1;
        }
        start = Math.max(s, startOffset);
      }
      if (tok.rstrip) {
        while (stop < t.length) {
          const cp = codePointAt(t, stop);
          if (!isWhitespace(cp)) break;
          stop += cp > 0xffff ? 2 : 1;
        }
        re.lastIndex = stop;
      }
      if (startOffset < start) out.push([startOffset, start, null]);
      out.push([start, stop, tok]);
      startOffset = stop;
    }
    if (startOffset !== t.length) out.push([startOffset, t.length, null]);
    return out;
  }

  private splitWith(ns: NormalizedString, re: RegExp | null, lookup: (m: string) => AddedToken | undefined): Split[] {
    if (re === null || ns.text.length === 0) return [{ ns, tokens: null }];
    const pieces = this.findMatches(ns.text, re, lookup);
    if (pieces.length === 1 && pieces[0]![2] === null) return [{ ns, tokens: null }];
    return pieces.map(([s, e, tok]) => {
      const sl = ns.slice(s, e);
      return { ns: sl, tokens: tok ? [{ id: tok.id, value: sl.text, start: 0, end: sl.text.length }] : null };
    });
  }

  /** HF extract_and_normalize: added tokens cut out, the rest normalized piece by piece. */
  extractAndNormalize(normalizer: Normalizer | null, text: string): PreTokenizedString {
    const root = new NormalizedString(text);
    const first = this.splitWith(root, this.rawRe, (m) => this.byContent.get(m));
    const out: Split[] = [];
    for (const sp of first) {
      if (sp.ns.text.length === 0) continue;
      if (sp.tokens !== null) {
        out.push(sp);
        continue;
      }
      normalizer?.normalize(sp.ns);
      for (const s2 of this.splitWith(sp.ns, this.normRe, (m) => this.normalizedContent.get(m))) if (s2.ns.text.length > 0) out.push(s2);
    }
    return new PreTokenizedString(out);
  }
}
