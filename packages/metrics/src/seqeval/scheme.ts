import { SeqevalSchemeError } from '../metrics_error';

/**
 * Tagging schemes for strict entity extraction, transcribed from seqeval 1.2
 * (`seqeval/scheme.py`): each scheme is the set of allowed prefixes plus
 * three pattern tables — (previous prefix, current prefix, same/different
 * type) — that say when a chunk starts, continues and ends.
 */
export type SchemeName = 'IOB1' | 'IOB2' | 'IOE1' | 'IOE2' | 'IOBES' | 'BILOU';
export const SCHEME_NAMES: readonly SchemeName[] = ['IOB1', 'IOB2', 'IOE1', 'IOE2', 'IOBES', 'BILOU'];

// Bit flags so a pattern can name several prefixes (seqeval's `Prefix.ANY`).
const I = 1;
const O = 2;
const B = 4;
const E = 8;
const S = 16;
const U = 32;
const L = 64;
const ANY = I | O | B | E | S | U | L;
export const PREFIX_BITS: Readonly<Record<string, number>> = { I, O, B, E, S, U, L };

type TagCondition = 'same' | 'diff' | 'any';
type Pattern = readonly [prev: number, current: number, tag: TagCondition];

export interface Scheme {
  name: SchemeName;
  allowed: number;
  start: readonly Pattern[];
  inside: readonly Pattern[];
  end: readonly Pattern[];
}

export const SCHEMES: Readonly<Record<SchemeName, Scheme>> = {
  IOB1: {
    name: 'IOB1',
    allowed: I | O | B,
    start: [[O, I, 'any'], [I, I, 'diff'], [B, I, 'any'], [I, B, 'same'], [B, B, 'same']],
    inside: [[B, I, 'same'], [I, I, 'same']],
    end: [[I, I, 'diff'], [I, O, 'any'], [I, B, 'any'], [B, O, 'any'], [B, I, 'diff'], [B, B, 'same']],
  },
  IOE1: {
    // seqeval notes IOE1 "hasn't yet been able to handle some cases"; these are its tables as released.
    name: 'IOE1',
    allowed: I | O | E,
    start: [[O, I, 'any'], [I, I, 'diff'], [E, I, 'any'], [E, E, 'same']],
    inside: [[I, I, 'same'], [I, E, 'same']],
    end: [[I, I, 'diff'], [I, O, 'any'], [I, E, 'diff'], [E, I, 'same'], [E, E, 'same']],
  },
  IOB2: {
    name: 'IOB2',
    allowed: I | O | B,
    start: [[ANY, B, 'any']],
    inside: [[B, I, 'same'], [I, I, 'same']],
    end: [[I, O, 'any'], [I, I, 'diff'], [I, B, 'any'], [B, O, 'any'], [B, I, 'diff'], [B, B, 'any']],
  },
  IOE2: {
    name: 'IOE2',
    allowed: I | O | E,
    start: [[O, I, 'any'], [O, E, 'any'], [E, I, 'any'], [E, E, 'any'], [I, I, 'diff'], [I, E, 'diff']],
    inside: [[I, E, 'same'], [I, I, 'same']],
    end: [[E, ANY, 'any']],
  },
  IOBES: {
    name: 'IOBES',
    allowed: I | O | B | E | S,
    start: [[ANY, B, 'any'], [ANY, S, 'any']],
    inside: [[B, I, 'same'], [B, E, 'same'], [I, I, 'same'], [I, E, 'same']],
    end: [[S, ANY, 'any'], [E, ANY, 'any']],
  },
  BILOU: {
    name: 'BILOU',
    allowed: B | I | L | O | U,
    start: [[ANY, B, 'any'], [ANY, U, 'any']],
    inside: [[B, I, 'same'], [B, L, 'same'], [I, I, 'same'], [I, L, 'same']],
    end: [[U, ANY, 'any'], [L, ANY, 'any']],
  },
};

/** A tag split into its prefix bit and entity type, as seqeval's `Token`. */
export interface SchemeToken {
  text: string;
  prefix: number;
  type: string;
}

/**
 * Parses `B-PER` (or `PER-B` with `suffix`). The type is the rest with the
 * delimiter stripped from both ends (`'_'` when empty), as seqeval does.
 */
export function parseSchemeToken(text: string, suffix = false, fn = 'getEntities', delimiter = '-'): SchemeToken {
  const letter = suffix ? text.slice(-1) : text.slice(0, 1);
  const prefix = PREFIX_BITS[letter];
  if (prefix === undefined) {
    throw new SeqevalSchemeError(
      fn,
      'tags',
      `tag ${JSON.stringify(text)} has no known prefix letter (expected one of I O B E S U L ${suffix ? 'at the end' : 'at the start'})`,
    );
  }
  const rest = suffix ? text.slice(0, -1) : text.slice(1);
  let a = 0;
  let b = rest.length;
  while (a < b && rest[a] === delimiter) a++;
  while (b > a && rest[b - 1] === delimiter) b--;
  return { text, prefix, type: rest.slice(a, b) || '_' };
}

function matches(scheme: Scheme, patterns: readonly Pattern[], prev: SchemeToken, cur: SchemeToken): boolean {
  void scheme;
  for (const [p, c, cond] of patterns) {
    if ((prev.prefix & p) === 0 || (cur.prefix & c) === 0) continue;
    if (cond === 'any' || (cond === 'same') === (prev.type === cur.type)) return true;
  }
  return false;
}

export const isStart = (s: Scheme, prev: SchemeToken, cur: SchemeToken) => matches(s, s.start, prev, cur);
export const isInside = (s: Scheme, prev: SchemeToken, cur: SchemeToken) => matches(s, s.inside, prev, cur);
/** Whether `prev` ends a chunk given that `cur` follows it. */
export const isEnd = (s: Scheme, prev: SchemeToken, cur: SchemeToken) => matches(s, s.end, prev, cur);

export function checkAllowed(scheme: Scheme, token: SchemeToken, fn: string): void {
  if ((token.prefix & scheme.allowed) === 0) {
    const allowed = Object.entries(PREFIX_BITS)
      .filter(([, bit]) => (scheme.allowed & bit) !== 0)
      .map(([k]) => k)
      .join('|');
    throw new SeqevalSchemeError(
      fn,
      'tags',
      `invalid tag ${JSON.stringify(token.text)} for scheme ${scheme.name}: allowed prefixes are ${allowed}`,
    );
  }
}

const setKey = (letters: string) => [...letters].map((c) => PREFIX_BITS[c]!).reduce((a, b) => a | b, 0);
const AUTO: readonly [SchemeName, readonly string[]][] = [
  ['IOB2', ['IOB', 'IB', 'BO', 'B']],
  ['IOE2', ['IOE', 'IE', 'EO', 'E']],
  ['IOBES', ['IOBES', 'IBES', 'IOBE', 'OBES', 'IBE', 'BES', 'OBE', 'BE', 'S']],
  ['BILOU', ['IOBLU', 'IBLU', 'IOBL', 'OBLU', 'IBL', 'BLU', 'OBL', 'BL', 'U']],
];

/** seqeval `auto_detect`: picks IOB2, IOE2, IOBES or BILOU from the set of prefixes used in yTrue. */
export function autoDetectScheme(sequences: readonly (readonly string[])[], suffix = false, fn = 'autoDetectScheme'): SchemeName {
  let used = 0;
  for (const seq of sequences) for (const tag of seq) used |= parseSchemeToken(tag, suffix, fn).prefix;
  for (const [name, sets] of AUTO) if (sets.some((s) => setKey(s) === used)) return name;
  const letters = Object.entries(PREFIX_BITS)
    .filter(([, bit]) => (used & bit) !== 0)
    .map(([k]) => k)
    .join(', ');
  throw new SeqevalSchemeError(fn, 'options.scheme', `cannot detect the scheme from prefixes {${letters}}; pass options.scheme`);
}
