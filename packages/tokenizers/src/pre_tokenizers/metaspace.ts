import type { PreTokenizedString } from '../pre_tokenized_string';
import { splitByMatches } from '../split_behavior';
import type { PreTokenizer } from './pre_tokenizer';
import { optBool, optString, type JsonContext, type JsonObject } from '../json_fields';
import { TokenizerError } from '../errors';

export type PrependScheme = 'always' | 'first' | 'never';

/** HF Metaspace (SentencePiece): spaces become '▁', a '▁' is prepended, and words start at each '▁'. */
export class Metaspace implements PreTokenizer {
  constructor(readonly replacement = '\u2581', readonly prependScheme: PrependScheme = 'always', readonly split = true) {}

  static fromJSON(o: JsonObject, ctx: JsonContext): Metaspace {
    const rep = optString(o, 'replacement', ctx, '\u2581')!;
    let scheme = optString(o, 'prepend_scheme', ctx, null) as PrependScheme | null;
    if (scheme === null) scheme = optBool(o, 'add_prefix_space', ctx, true) ? 'always' : 'never';
    if (!['always', 'first', 'never'].includes(scheme)) throw new TokenizerError(`expected always, first or never, found ${scheme}`, { file: ctx.file, field: `${ctx.path}.prepend_scheme` });
    return new Metaspace(rep, scheme, optBool(o, 'split', ctx, true));
  }

  preTokenize(pts: PreTokenizedString): void {
    const rep = this.replacement;
    pts.split((ns) => {
      ns.mapChars((cp) => (cp === 32 ? rep : null));
      if (this.prependScheme === 'always' || (this.prependScheme === 'first' && ns.origStart === 0)) {
        if (!ns.text.startsWith(rep)) ns.prepend(rep);
      }
      if (!this.split) return [ns];
      const m: Array<[number, number, boolean]> = [];
      const t = ns.text;
      let last = 0;
      for (let i = t.indexOf(rep); i >= 0; i = t.indexOf(rep, i + rep.length)) {
        if (last < i) m.push([last, i, false]);
        m.push([i, i + rep.length, true]);
        last = i + rep.length;
      }
      if (last < t.length || t.length === 0) m.push([last, t.length, false]);
      return splitByMatches(ns, m, 'MergedWithNext');
    });
  }

  toJSON(): Record<string, unknown> {
    return { type: 'Metaspace', replacement: this.replacement, prepend_scheme: this.prependScheme, split: this.split };
  }
}
