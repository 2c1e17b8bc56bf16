import type { NormalizedString } from '../normalized_string';
import type { Normalizer } from './normalizer';
import { decompose, recompose, type CharChange } from './normalization_alignments';

export type UnicodeForm = 'NFC' | 'NFD' | 'NFKC' | 'NFKD';

// An ASCII character resets the crate's state (it is a starter and decomposes to itself), so the
// stream can be computed per run of non-ASCII text together with the character before it.
const RUN = /[\0-\x7f]?[^\0-\x7f]+/gu;

/**
 * HF's NFC / NFD / NFKC / NFKD normalizers, offsets included: the text is rewritten through the
 * same (character, change) stream the crate behind HF produces (see normalization_alignments.ts).
 */
export class UnicodeNormalizer implements Normalizer {
  constructor(readonly form: UnicodeForm) {}

  normalize(ns: NormalizedString): void {
    const t = ns.text;
    if (t.normalize(this.form) === t) return;
    const compat = this.form === 'NFKC' || this.form === 'NFKD';
    const stream = this.form === 'NFC' || this.form === 'NFKC' ? recompose : decompose;
    const out: CharChange[] = [];
    let last = 0;
    const keep = (to: number): void => {
      for (const c of t.slice(last, to)) out.push([c, 0]);
    };
    for (const m of t.matchAll(RUN)) {
      keep(m.index);
      for (const x of stream(m[0], compat)) out.push(x);
      last = m.index + m[0].length;
    }
    keep(t.length);
    ns.transform(out);
  }

  toJSON(): Record<string, unknown> {
    return { type: this.form };
  }
}
