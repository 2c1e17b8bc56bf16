import { cloneEncoding, type Encoding } from './encoding';

function appendInPlace(a: Encoding, b: Encoding): void {
  const n = b.ids.length;
  for (let i = 0; i < n; i++) {
    a.ids.push(b.ids[i]!);
    a.typeIds.push(b.typeIds[i]!);
    a.tokens.push(b.tokens[i]!);
    const o = b.offsets[i]!;
    a.offsets.push([o[0], o[1]]);
    a.attentionMask.push(b.attentionMask[i]!);
    a.specialTokensMask.push(b.specialTokensMask[i]!);
    a.wordIds.push(b.wordIds[i]!);
    a.sequenceIds.push(b.sequenceIds[i]!);
  }
}

/**
 * HF Encoding::merge_with: appends `pair` to `self`. The overflowing windows combine as HF
 * does: each of self's windows with pair (and with pair's windows, nested), then self with each of
 * pair's windows; this is what gives the cross product of windows for longest_first pairs.
 */
export function mergeWith(self: Encoding, pair: Encoding): void {
  const overflowings: Encoding[] = [];
  for (const so of self.overflowing) {
    const n = cloneEncoding(so);
    mergeWith(n, cloneEncoding(pair));
    overflowings.push(n);
    for (const po of pair.overflowing) {
      const m = cloneEncoding(so);
      mergeWith(m, cloneEncoding(po));
      overflowings.push(m);
    }
  }
  for (const po of pair.overflowing) {
    const n = cloneEncoding(self);
    mergeWith(n, cloneEncoding(po));
    overflowings.push(n);
  }
  appendInPlace(self, pair);
  self.overflowing = overflowings;
}

/** HF Encoding::merge: folds mergeWith over the list. Inputs are never modified. */
export function mergeEncodings(encodings: Encoding[]): Encoding {
  // Common case, no overflowing windows anywhere: plain concatenation.
  if (encodings.every((e) => e.overflowing.length === 0)) {
    const out: Encoding = { ids: [], typeIds: [], tokens: [], offsets: [], attentionMask: [], specialTokensMask: [], wordIds: [], sequenceIds: [], overflowing: [] };
    for (const e of encodings) appendInPlace(out, e);
    return out;
  }
  const [first, ...rest] = encodings;
  const out = cloneEncoding(first!);
  for (const e of rest) mergeWith(out, e);
  return out;
}
