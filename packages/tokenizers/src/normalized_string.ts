/**
 * A piece of text together with, for every UTF-16 code unit of its current (normalized) form, the
 * [start, end) range of the original input it came from. This is HF tokenizers' NormalizedString,
 * counted in UTF-16 code units instead of UTF-8 bytes: every normalized character maps to the whole
 * original character it was produced from, so offsets always fall on character boundaries.
 *
 * While nothing has changed the text, no arrays are kept: unit i maps to [base + i, base + i + 1].
 */
export class NormalizedString {
  text: string;
  starts: Int32Array | null;
  ends: Int32Array | null;
  base: number;
  /** The original range this piece covers (absolute in the input string). */
  origStart: number;
  origEnd: number;

  constructor(text: string, base = 0, starts: Int32Array | null = null, ends: Int32Array | null = null, origStart = base, origEnd = base + text.length) {
    this.text = text;
    this.base = base;
    this.starts = starts;
    this.ends = ends;
    this.origStart = origStart;
    this.origEnd = origEnd;
  }

  get length(): number {
    return this.text.length;
  }

  /** Original [start, end) of the normalized range [s, e), as HF's convert_offsets(Range::Normalized). */
  convert(s: number, e: number): [number, number] {
    if (s === e) {
      // HF returns an empty target unchanged (relative to the piece's original start).
      if (this.text.length === 0 && s === 0) return [this.origStart, this.origEnd];
      return [this.origStart + s, this.origStart + e];
    }
    if (this.starts === null) return [this.base + s, this.base + e];
    return [this.starts[s]!, this.ends![e - 1]!];
  }

  slice(s: number, e: number): NormalizedString {
    const text = this.text.slice(s, e);
    if (this.starts === null) return new NormalizedString(text, this.base + s);
    const [os, oe] = s === e ? [this.origStart, this.origStart] : this.convert(s, e);
    return new NormalizedString(text, 0, this.starts.subarray(s, e), this.ends!.subarray(s, e), os, oe);
  }

  /** Explicit alignment arrays, where both units of an astral character hold the whole character's range. */
  private materialize(): void {
    if (this.starts !== null) return;
    const n = this.text.length;
    const starts = new Int32Array(n);
    const ends = new Int32Array(n);
    const b = this.base;
    for (let i = 0; i < n; i++) {
      const c = this.text.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
        const d = this.text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          starts[i] = starts[i + 1] = b + i;
          ends[i] = ends[i + 1] = b + i + 2;
          i++;
          continue;
        }
      }
      starts[i] = b + i;
      ends[i] = b + i + 1;
    }
    this.starts = starts;
    this.ends = ends;
  }

  /**
   * Replaces every character by `fn(codePoint)` (null keeps it). All units produced from one
   * character take that character's original range, as HF's transform does for a replaced char
   * followed by inserted ones; an empty result removes the character.
   */
  mapChars(fn: (cp: number) => string | null): this {
    const t = this.text;
    const n = t.length;
    let pieces: string[] | null = null;
    let froms: number[] = [];
    let tos: number[] = [];
    let kinds: number[] = [];
    let runStart = 0;
    for (let i = 0; i < n; ) {
      let cp = t.charCodeAt(i);
      let len = 1;
      if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < n) {
        const d = t.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          cp = ((cp - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
          len = 2;
        }
      }
      const r = fn(cp);
      if (r !== null) {
        if (pieces === null) {
          pieces = [];
          froms = [];
          tos = [];
          kinds = [];
        }
        if (runStart < i) {
          pieces.push(t.slice(runStart, i));
          froms.push(runStart);
          tos.push(i);
          kinds.push(0);
        }
        pieces.push(r);
        froms.push(i);
        tos.push(i + len);
        kinds.push(1);
        runStart = i + len;
      }
      i += len;
    }
    if (pieces === null) return this;
    if (runStart < n) {
      pieces.push(t.slice(runStart, n));
      froms.push(runStart);
      tos.push(n);
      kinds.push(0);
    }
    this.materialize();
    const os = this.starts!;
    const oe = this.ends!;
    const text = pieces.join('');
    const starts = new Int32Array(text.length);
    const ends = new Int32Array(text.length);
    let k = 0;
    for (let p = 0; p < pieces.length; p++) {
      const a = froms[p]!;
      if (kinds[p] === 0) {
        starts.set(os.subarray(a, tos[p]!), k);
        ends.set(oe.subarray(a, tos[p]!), k);
        k += tos[p]! - a;
      } else {
        const len = pieces[p]!.length;
        starts.fill(os[a]!, k, k + len);
        ends.fill(oe[a]!, k, k + len);
        k += len;
      }
    }
    this.text = text;
    this.starts = starts;
    this.ends = ends;
    return this;
  }

  /**
   * Replaces each match of the global regex `re` with `replace(match)`. With 'perChar' the j-th
   * produced character takes the range of the j-th matched one (the last when there are fewer), as
   * HF's transform does for composed characters; with 'last' all take the last matched character's.
   */
  mapRuns(re: RegExp, replace: (run: string) => string, align: 'perChar' | 'last' = 'perChar'): this {
    const t = this.text;
    re.lastIndex = 0;
    const pieces: string[] = [];
    const froms: number[] = [];
    const tos: number[] = [];
    const kinds: number[] = [];
    let last = 0;
    let changed = false;
    for (let m = re.exec(t); m !== null; m = re.exec(t)) {
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      const r = replace(m[0]);
      if (r === m[0]) continue;
      changed = true;
      if (last < m.index) {
        pieces.push(t.slice(last, m.index));
        froms.push(last);
        tos.push(m.index);
        kinds.push(0);
      }
      pieces.push(r);
      froms.push(m.index);
      tos.push(m.index + m[0].length);
      kinds.push(1);
      last = m.index + m[0].length;
    }
    if (!changed) return this;
    if (last < t.length) {
      pieces.push(t.slice(last));
      froms.push(last);
      tos.push(t.length);
      kinds.push(0);
    }
    this.materialize();
    const os = this.starts!;
    const oe = this.ends!;
    const text = pieces.join('');
    const starts = new Int32Array(text.length);
    const ends = new Int32Array(text.length);
    let k = 0;
    for (let p = 0; p < pieces.length; p++) {
      const a = froms[p]!;
      const b = tos[p]!;
      if (kinds[p] === 0) {
        starts.set(os.subarray(a, b), k);
        ends.set(oe.subarray(a, b), k);
        k += b - a;
        continue;
      }
      // Output char j aligns with input char j (clamped): a replacement keeps per-char ranges.
      // HF's Replace inserts the new content after the removed match: it takes the last char's range.
      const piece = pieces[p]!;
      const inChars: number[] = [];
      for (let u = a; u < b; ) {
        inChars.push(u);
        const c = t.charCodeAt(u);
        u += c >= 0xd800 && c <= 0xdbff && u + 1 < b ? 2 : 1;
      }
      if (align === 'last') inChars.splice(0, inChars.length - 1);
      let j = 0;
      for (let u = 0; u < piece.length; ) {
        const c = piece.charCodeAt(u);
        const len = c >= 0xd800 && c <= 0xdbff && u + 1 < piece.length ? 2 : 1;
        const src = inChars[Math.min(j, inChars.length - 1)]!;
        for (let q = 0; q < len; q++) {
          starts[k] = os[src]!;
          ends[k] = oe[src]!;
          k++;
        }
        u += len;
        j++;
      }
    }
    this.text = text;
    this.starts = starts;
    this.ends = ends;
    return this;
  }

  /**
   * HF's NormalizedString::transform: the new text as [character, change] pairs, read in order
   * against the current characters. Change 0 replaces the next current character (and takes its
   * range), -n replaces it and removes the n after it, and 1 inserts a character, which takes the
   * range of the last character consumed. Ranges follow position, not identity: this is what makes
   * HF's offsets after a composition or a reordering of combining marks what they are.
   */
  transform(chars: ReadonlyArray<readonly [string, number]>): this {
    this.materialize();
    const t = this.text;
    const os = this.starts!;
    const oe = this.ends!;
    let n = 0;
    for (const [c] of chars) n += c.length;
    const starts = new Int32Array(n);
    const ends = new Int32Array(n);
    let idx = 0;
    let k = 0;
    const step = (): void => {
      if (idx < t.length) idx += codePointAt(t, idx) > 0xffff ? 2 : 1;
    };
    for (const [c, change] of chars) {
      let s: number;
      let e: number;
      if (change > 0) {
        [s, e] = idx === 0 ? [this.origStart, this.origStart] : [os[idx - 1]!, oe[idx - 1]!];
      } else {
        s = os[idx] ?? this.origEnd;
        e = oe[idx] ?? this.origEnd;
        step();
        for (let r = 0; r < -change; r++) step();
      }
      starts.fill(s, k, k + c.length);
      ends.fill(e, k, k + c.length);
      k += c.length;
    }
    this.text = chars.map(([c]) => c).join('');
    this.starts = starts;
    this.ends = ends;
    return this;
  }

  /** Adds `s` before the text; it takes the first character's range (nothing happens on an empty text). */
  prepend(s: string): this {
    if (this.text.length === 0) return this;
    this.materialize();
    const starts = new Int32Array(this.text.length + s.length);
    const ends = new Int32Array(this.text.length + s.length);
    starts.fill(this.starts![0]!, 0, s.length);
    ends.fill(this.ends![0]!, 0, s.length);
    starts.set(this.starts!, s.length);
    ends.set(this.ends!, s.length);
    this.text = s + this.text;
    this.starts = starts;
    this.ends = ends;
    return this;
  }

  /** Adds `s` after the text; it takes the last character's range. */
  append(s: string): this {
    if (this.text.length === 0) return this;
    this.materialize();
    const n = this.text.length;
    const starts = new Int32Array(n + s.length);
    const ends = new Int32Array(n + s.length);
    starts.set(this.starts!, 0);
    ends.set(this.ends!, 0);
    starts.fill(this.starts![n - 1]!, n);
    ends.fill(this.ends![n - 1]!, n);
    this.text = this.text + s;
    this.starts = starts;
    this.ends = ends;
    return this;
  }

  /** Replaces the whole text by `text`, keeping the alignment arrays (same length required). */
  replaceSameLength(text: string): this {
    this.text = text;
    return this;
  }

  /** Removes leading/trailing whitespace (HF lstrip/rstrip): the kept characters keep their ranges. */
  trim(left: boolean, right: boolean, isSpace: (cp: number) => boolean): this {
    const t = this.text;
    let s = 0;
    let e = t.length;
    if (left) while (s < e && isSpace(codePointAt(t, s))) s += codePointAt(t, s) > 0xffff ? 2 : 1;
    if (right) {
      while (e > s) {
        const c = t.charCodeAt(e - 1);
        const len = c >= 0xdc00 && c <= 0xdfff && e - 2 >= s && t.charCodeAt(e - 2) >= 0xd800 && t.charCodeAt(e - 2) <= 0xdbff ? 2 : 1;
        if (!isSpace(codePointAt(t, e - len))) break;
        e -= len;
      }
    }
    if (s === 0 && e === t.length) return this;
    const sl = this.slice(s, e);
    this.text = sl.text;
    this.base = sl.base;
    this.starts = sl.starts;
    this.ends = sl.ends;
    return this;
  }
}

/** Code point at unit i and its length in units (a lone surrogate counts as one character). */
export function codePointAt(t: string, i: number): number {
  const c = t.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < t.length) {
    const d = t.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
  }
  return c;
}
