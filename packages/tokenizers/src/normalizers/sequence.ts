import type { NormalizedString } from '../normalized_string';
import type { Normalizer } from './normalizer';

/** HF normalizers.Sequence: applies its normalizers in order. */
export class NormalizerSequence implements Normalizer {
  constructor(readonly normalizers: Normalizer[]) {}

  normalize(ns: NormalizedString): void {
    for (const n of this.normalizers) n.normalize(ns);
  }

  toJSON(): Record<string, unknown> {
    return { type: 'Sequence', normalizers: this.normalizers.map((n) => n.toJSON()) };
  }
}
