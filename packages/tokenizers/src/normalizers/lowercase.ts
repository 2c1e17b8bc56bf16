import type { NormalizedString } from '../normalized_string';
import { rustLowercase } from './rust_lowercase';
import type { Normalizer } from './normalizer';

/** HF Lowercase: Rust's per-character lowercase ('İ' becomes two characters, both mapped to 'İ'). */
export class Lowercase implements Normalizer {
  normalize(ns: NormalizedString): void {
    if (/^[\x00-\x7f]*$/.test(ns.text)) {
      ns.replaceSameLength(ns.text.toLowerCase());
      return;
    }
    ns.mapChars((cp) => {
      const l = rustLowercase(cp);
      return l === String.fromCodePoint(cp) ? null : l;
    });
  }

  toJSON(): Record<string, unknown> {
    return { type: 'Lowercase' };
  }
}
