import type { NormalizedString } from '../normalized_string';
import { isCombiningMark } from '../char_classes';
import type { Normalizer } from './normalizer';

/** HF StripAccents: removes combining marks (M). Put it after NFD/NFKD to strip accents from letters. */
export class StripAccents implements Normalizer {
  normalize(ns: NormalizedString): void {
    ns.mapChars((cp) => (isCombiningMark(cp) ? '' : null));
  }

  toJSON(): Record<string, unknown> {
    return { type: 'StripAccents' };
  }
}
