import { MetricsOptionError, SeqevalSchemeError } from '../metrics_error';
import {
  autoDetectScheme,
  checkAllowed,
  isEnd,
  isInside,
  isStart,
  parseSchemeToken,
  SCHEMES,
  type SchemeName,
  type SchemeToken,
} from './scheme';

/** An entity as seqeval's `get_entities` returns it: [type, start, end] with `end` inclusive. */
export type EntitySpan = [type: string, start: number, endInclusive: number];

/**
 * An entity with offsets inside its own sentence: [type, start, endInclusive,
 * sentence]. seqeval's strict `Entity` holds the same facts as
 * (sent_id, type, start, endExclusive).
 */
export type SentenceEntitySpan = [type: string, start: number, endInclusive: number, sentence: number];

export interface EntityOptions {
  /** 'strict': a chunk counts only if the scheme's begin/inside/end rules hold. Default: conlleval-compatible. */
  mode?: 'strict';
  /** Scheme for strict mode. Default: detected from the tags (IOB2, IOE2, IOBES or BILOU). Ignored in default mode. */
  scheme?: SchemeName;
  /** Tags are written `PER-B` instead of `B-PER`. */
  suffix?: boolean;
  /**
   * For a list of sentences: `'joined'` (default, as seqeval's `get_entities`)
   * counts offsets in the sentences joined with one `O` between them;
   * `'sentence'` (as seqeval's strict `Entities`) counts them from the start
   * of each sentence and adds the sentence index.
   */
  offsets?: 'joined' | 'sentence';
  /** Receives seqeval's "X seems not to be NE tag." (default mode, once per tag). Default: console.warn. */
  onWarning?: (message: string) => void;
}

/**
 * Default (conlleval-compatible) extraction, as seqeval's `get_entities`: any
 * tag that is not `O` belongs to a chunk, an `I-` after `O` or after another
 * type starts one, a type switch inside a chunk ends it. Sentences of a nested
 * list are joined with an `O` between them, so offsets count that separator.
 */
export function defaultEntities(
  seq: readonly string[] | readonly (readonly string[])[],
  suffix = false,
  onNotNeTag?: (message: string) => void,
): EntitySpan[] {
  const flat: string[] = isNested(seq) ? seq.flatMap((s) => [...s, 'O']) : [...(seq as readonly string[])];
  flat.push('O');
  const warn = onNotNeTag ?? ((m: string) => console.warn(m));
  const warned = new Set<string>();
  let prevTag = 'O';
  let prevType = '';
  let begin = 0;
  const chunks: EntitySpan[] = [];
  for (let i = 0; i < flat.length; i++) {
    const chunk = flat[i]!;
    if (!looksLikeNeTag(chunk, suffix) && !warned.has(chunk)) {
      warned.add(chunk);
      warn(`${chunk} seems not to be NE tag.`);
    }
    let tag: string;
    let type: string;
    if (suffix) {
      tag = chunk.slice(-1);
      const head = chunk.slice(0, -1);
      const cut = head.lastIndexOf('-');
      type = (cut === -1 ? head : head.slice(0, cut)) || '_';
    } else {
      tag = chunk.slice(0, 1);
      const rest = chunk.slice(1);
      const cut = rest.indexOf('-');
      type = (cut === -1 ? rest : rest.slice(cut + 1)) || '_';
    }
    if (endOfChunk(prevTag, tag, prevType, type)) chunks.push([prevType, begin, i - 1]);
    if (startOfChunk(prevTag, tag, prevType, type)) begin = i;
    prevTag = tag;
    prevType = type;
  }
  return chunks;
}

/** seqeval's `_validate_chunk`: `O`, a bare prefix, or a prefix with `-` (before the type, or after it with suffix). */
function looksLikeNeTag(chunk: string, suffix: boolean): boolean {
  if (chunk === 'O' || chunk === 'B' || chunk === 'I' || chunk === 'E' || chunk === 'S') return true;
  return suffix ? /-[BIES]$/.test(chunk) : /^[BIES]-/.test(chunk);
}

function endOfChunk(prevTag: string, tag: string, prevType: string, type: string): boolean {
  if (prevTag === 'E' || prevTag === 'S') return true;
  if ((prevTag === 'B' || prevTag === 'I') && (tag === 'B' || tag === 'S' || tag === 'O')) return true;
  // A type switch closes the chunk whatever the prefixes say.
  return prevTag !== 'O' && prevTag !== '.' && prevType !== type;
}

function startOfChunk(prevTag: string, tag: string, prevType: string, type: string): boolean {
  if (tag === 'B' || tag === 'S') return true;
  if ((prevTag === 'E' || prevTag === 'S' || prevTag === 'O') && (tag === 'E' || tag === 'I')) return true;
  return tag !== 'O' && tag !== '.' && prevType !== type;
}

function isNested(seq: readonly unknown[]): seq is readonly (readonly string[])[] {
  return seq.some((s) => Array.isArray(s));
}

/** A strict-mode entity: sentence index, type, start, end (exclusive), as seqeval's `Entity`. */
export interface StrictEntity {
  sentence: number;
  type: string;
  start: number;
  end: number;
}

/**
 * Strict extraction of one sentence, as seqeval's `Tokens.entities`: a chunk
 * is kept only if it starts by the scheme's start rule and its last token
 * ends it by the end rule (`B-PER I-PER` in IOBES is dropped: no `E-`).
 */
export function strictSentenceEntities(
  tags: readonly string[],
  scheme: SchemeName,
  sentence = 0,
  suffix = false,
  fn = 'getEntities',
): StrictEntity[] {
  const def = SCHEMES[scheme];
  const outside = parseSchemeToken('O', suffix, fn);
  const tokens: SchemeToken[] = tags.map((t) => {
    if (t.length === 0) throw new SeqevalSchemeError(fn, 'tags', `empty tag in sentence ${sentence}`);
    return parseSchemeToken(t, suffix, fn);
  });
  tokens.push(outside); // sentinel
  const entities: StrictEntity[] = [];
  let prev = outside;
  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i]!;
    checkAllowed(def, token, fn);
    if (isStart(def, prev, token)) {
      let end = tokens.length - 2; // seqeval's fallback; the sentinel 'O' is never inside a chunk
      let last = token;
      for (let j = i + 1; j < tokens.length; j++) {
        if (isInside(def, last, tokens[j]!)) last = tokens[j]!;
        else {
          end = j;
          break;
        }
      }
      if (isEnd(def, tokens[end - 1]!, tokens[end]!)) entities.push({ sentence, type: token.type, start: i, end });
      i = end;
    } else {
      i += 1;
    }
    prev = tokens[i - 1]!;
  }
  return entities;
}

/**
 * Entities of a tag sequence as [type, start, endInclusive].
 * Default mode follows seqeval's `get_entities` (conlleval). Strict mode
 * follows seqeval's scheme-based extraction. For a list of sentences, offsets
 * are counted in the joined sequence (sentences joined with one `O` between
 * them, as `get_entities` does) unless `offsets: 'sentence'` asks for
 * sentence-relative ones (as seqeval's strict `Entities`), which adds the
 * sentence index to each span. Chunks never cross sentences either way.
 */
export function getEntities(
  seq: readonly string[] | readonly (readonly string[])[],
  options: EntityOptions & { offsets: 'sentence' },
): SentenceEntitySpan[];
export function getEntities(
  seq: readonly string[] | readonly (readonly string[])[],
  options?: EntityOptions & { offsets?: 'joined' },
): EntitySpan[];
export function getEntities(
  seq: readonly string[] | readonly (readonly string[])[],
  options: EntityOptions = {},
): EntitySpan[] | SentenceEntitySpan[] {
  const offsets = options.offsets ?? 'joined';
  if (offsets !== 'joined' && offsets !== 'sentence') {
    throw new MetricsOptionError('getEntities', 'options.offsets', `expected 'joined' or 'sentence', found ${String(offsets)}`);
  }
  const suffix = options.suffix ?? false;
  const sentences = isNested(seq) ? seq : [seq as readonly string[]];
  if (options.mode !== 'strict' && offsets === 'joined') return defaultEntities(seq, suffix, options.onWarning);
  const scheme = options.mode === 'strict' ? (options.scheme ?? autoDetectScheme(sentences, suffix, 'getEntities')) : undefined;
  const out: (EntitySpan | SentenceEntitySpan)[] = [];
  let offset = 0;
  const warned = new Set<string>();
  const onNotNeTag = (m: string) => {
    if (!warned.has(m)) (warned.add(m), (options.onWarning ?? ((w: string) => console.warn(w)))(m));
  };
  sentences.forEach((tags, s) => {
    const spans: EntitySpan[] =
      scheme === undefined
        ? defaultEntities(tags, suffix, onNotNeTag)
        : strictSentenceEntities(tags, scheme, s, suffix).map((e) => [e.type, e.start, e.end - 1]);
    for (const [type, start, end] of spans) {
      out.push(offsets === 'sentence' ? [type, start, end, s] : [type, offset + start, offset + end]);
    }
    offset += tags.length + 1;
  });
  return out as EntitySpan[] | SentenceEntitySpan[];
}
