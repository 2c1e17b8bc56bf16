import type { NormalizedString } from '../normalized_string';
import { isBertControl, isBertWhitespace, isChineseChar, isMarkNonspacing } from '../char_classes';
import { rustLowercase } from './rust_lowercase';
import { NFD_OVERRIDES } from '../unicode_overrides';
import type { Normalizer } from './normalizer';
import { optBool, optNullableBool, type JsonContext, type JsonObject } from '../json_fields';

export interface BertNormalizerOptions {
  cleanText?: boolean;
  handleChineseChars?: boolean;
  /** null: follows `lowercase`, as in HF. */
  stripAccents?: boolean | null;
  lowercase?: boolean;
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * HF BertNormalizer: removes control characters and maps whitespace to ' ' (clean_text), surrounds
 * CJK ideographs with spaces, strips accents (NFD then drop Mn) and lowercases. Every stage maps
 * one character to zero or more characters, so they are fused into one per-character table.
 */
export class BertNormalizer implements Normalizer {
  readonly cleanText: boolean;
  readonly handleChineseChars: boolean;
  readonly stripAccents: boolean | null;
  readonly lowercase: boolean;
  private readonly strip: boolean;
  private readonly cache = new Map<number, string | null>();

  constructor(opts: BertNormalizerOptions = {}) {
    this.cleanText = opts.cleanText ?? true;
    this.handleChineseChars = opts.handleChineseChars ?? true;
    this.stripAccents = opts.stripAccents ?? null;
    this.lowercase = opts.lowercase ?? true;
    this.strip = this.stripAccents ?? this.lowercase;
  }

  static fromJSON(o: JsonObject, ctx: JsonContext): BertNormalizer {
    return new BertNormalizer({
      cleanText: optBool(o, 'clean_text', ctx, true),
      handleChineseChars: optBool(o, 'handle_chinese_chars', ctx, true),
      stripAccents: optNullableBool(o, 'strip_accents', ctx),
      lowercase: optBool(o, 'lowercase', ctx, true),
    });
  }

  normalize(ns: NormalizedString): void {
    // Printable ASCII: only lowercasing can change anything, and it keeps the length.
    if (PRINTABLE_ASCII.test(ns.text)) {
      if (this.lowercase) ns.replaceSameLength(ns.text.toLowerCase());
      return;
    }
    ns.mapChars(this.mapChar);
  }

  private readonly mapChar = (cp: number): string | null => {
    let r = this.cache.get(cp);
    if (r === undefined) {
      r = this.compute(cp);
      this.cache.set(cp, r);
    }
    return r;
  };

  private compute(cp: number): string | null {
    if (this.cleanText) {
      if (cp === 0 || cp === 0xfffd || isBertControl(cp)) return '';
      if (isBertWhitespace(cp)) return cp === 32 ? null : ' ';
    }
    let chars = [cp];
    if (this.handleChineseChars && isChineseChar(cp)) chars = [32, cp, 32];
    if (this.strip) {
      const out: number[] = [];
      for (const c of chars) {
        for (const d of NFD_OVERRIDES.get(c) ?? String.fromCodePoint(c).normalize('NFD')) {
          const dc = d.codePointAt(0)!;
          if (!isMarkNonspacing(dc)) out.push(dc);
        }
      }
      chars = out;
    }
    let s = '';
    for (const c of chars) s += this.lowercase ? rustLowercase(c) : String.fromCodePoint(c);
    return s === String.fromCodePoint(cp) ? null : s;
  }

  toJSON(): Record<string, unknown> {
    return {
      type: 'BertNormalizer',
      clean_text: this.cleanText,
      handle_chinese_chars: this.handleChineseChars,
      strip_accents: this.stripAccents,
      lowercase: this.lowercase,
    };
  }
}
