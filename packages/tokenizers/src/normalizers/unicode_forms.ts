import type { NormalizedString } from '../normalized_string';
import type { Normalizer } from './normalizer';
import { NFD_OVERRIDES } from '../unicode_overrides';

export type UnicodeForm = 'NFC' | 'NFD' | 'NFKC' | 'NFKD';

// A starter and the combining marks after it: the unit within which composition can happen.
const SEGMENT = /\P{M}\p{M}*|\p{M}+/gsu;

/**
 * HF's NFC / NFD / NFKC / NFKD normalizers. Decompositions map every produced character to the
 * character it came from; compositions give the composed character its first source's range.
 */
export class UnicodeNormalizer implements Normalizer {
  constructor(readonly form: UnicodeForm) {}

  normalize(ns: NormalizedString): void {
    const form = this.form;
    if (ns.text.normalize(form) === ns.text) return;
    if (form === 'NFD' || form === 'NFKD') {
      ns.mapChars((cp) => {
        const s = String.fromCodePoint(cp);
        const d = (form === 'NFD' ? NFD_OVERRIDES.get(cp) : undefined) ?? s.normalize(form);
        return d === s ? null : d;
      });
      // Canonical reordering of combining marks across characters: permute within the segment.
      if (ns.text.normalize(form) !== ns.text) ns.mapRuns(SEGMENT, (run) => run.normalize(form));
    } else {
      ns.mapRuns(SEGMENT, (run) => run.normalize(form));
    }
  }

  toJSON(): Record<string, unknown> {
    return { type: this.form };
  }
}
