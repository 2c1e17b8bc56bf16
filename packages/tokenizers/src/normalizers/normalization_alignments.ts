/**
 * The (character, change) streams of unicode-normalization-alignments, the crate HF tokenizers
 * normalizes with, fed to NormalizedString.transform. The crate's decomposition emits change 0 for
 * the first character of a decomposition and 1 for the others, then sorts runs of combining marks by
 * class (the changes travel with the characters); its recomposition gives a composed character the
 * sum of its parts' changes minus one per merge. Offsets after composed or reordered marks depend
 * on exactly these numbers, so this is a port of the crate's state machine, not a use of
 * String.normalize on whole strings (which is used for single characters only).
 */
import { COMBINING_CLASS_RANGES, CRATE_COMPOSE, CRATE_NFD, CRATE_NFKD, CRATE_NO_COMPOSE } from './unicode_normalization_tables';

export type CharChange = [string, number];

let classes: Map<number, number> | null = null;

/** The crate's (Unicode 9) canonical combining class. */
export function combiningClass(cp: number): number {
  if (cp < 0x300) return 0;
  if (classes === null) {
    classes = new Map();
    for (const [a, b, c] of COMBINING_CLASS_RANGES) for (let x = a; x <= b; x++) classes.set(x, c);
  }
  return classes.get(cp) ?? 0;
}

function decomposeChar(c: string, cp: number, compat: boolean): string {
  if (cp < 0x80) return c;
  return (compat ? CRATE_NFKD.get(cp) : CRATE_NFD.get(cp)) ?? c.normalize(compat ? 'NFKD' : 'NFD');
}

/** The crate's nfd() / nfkd() stream. */
export function decompose(text: string, compat: boolean): CharChange[] {
  const out: Array<[number, string, number]> = [];
  let pending = 0;
  const sortPending = (): void => {
    if (out.length - pending > 1) {
      // Array.prototype.sort is stable: marks of one class keep their order.
      const tail = out.slice(pending).sort((x, y) => x[0] - y[0]);
      for (let i = 0; i < tail.length; i++) out[pending + i] = tail[i]!;
    }
    pending = out.length;
  };
  for (const c of text) {
    let first = true;
    for (const d of decomposeChar(c, c.codePointAt(0)!, compat)) {
      const cls = combiningClass(d.codePointAt(0)!);
      if (cls === 0) sortPending();
      out.push([cls, d, first ? 0 : 1]);
      first = false;
    }
  }
  sortPending();
  return out.map(([, d, change]) => [d, change]);
}

function compose(a: string, b: string): string | null {
  const pair = a + b;
  const r = CRATE_COMPOSE.get(pair) ?? pair.normalize('NFC');
  const cp = r.codePointAt(0)!;
  if (r.length > (cp > 0xffff ? 2 : 1) || CRATE_NO_COMPOSE.has(cp)) return null;
  return r;
}

/** The crate's nfc() / nfkc() stream: its Recompositions iterator, state for state. */
export function recompose(text: string, compat: boolean): CharChange[] {
  const out: CharChange[] = [];
  let composee: CharChange | null = null;
  let lastClass: number | null = null;
  let buffer: CharChange[] = [];
  for (const [ch, change] of decompose(text, compat)) {
    const cls = combiningClass(ch.codePointAt(0)!);
    if (composee === null) {
      if (cls !== 0) out.push([ch, change]);
      else composee = [ch, change];
      continue;
    }
    if (lastClass === null) {
      const r = compose(composee[0], ch);
      if (r !== null) {
        composee = [r, composee[1] + change - 1];
        continue;
      }
      if (cls === 0) {
        out.push(composee);
        composee = [ch, change];
        continue;
      }
      buffer.push([ch, change]);
      lastClass = cls;
      continue;
    }
    if (lastClass >= cls) {
      // Blocked from the composee.
      if (cls === 0) {
        out.push(composee, ...buffer);
        buffer = [];
        composee = [ch, change];
        lastClass = null;
        continue;
      }
      buffer.push([ch, change]);
      lastClass = cls;
      continue;
    }
    const r = compose(composee[0], ch);
    if (r !== null) {
      composee = [r, composee[1] + change - 1];
      continue;
    }
    buffer.push([ch, change]);
    lastClass = cls;
  }
  // At the end the crate emits the composee, then the marks blocked from it.
  if (composee !== null) out.push(composee);
  out.push(...buffer);
  return out;
}
