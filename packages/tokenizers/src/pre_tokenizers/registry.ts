import { TokenizerError } from '../errors';
import { asArray, asObject, at, reqString, reqType, type JsonContext, type JsonObject } from '../json_fields';
import { escapeRegExp } from '../pattern';
import { BertPreTokenizer } from './bert_pre_tokenizer';
import { ByteLevelPreTokenizer } from './byte_level';
import { Digits } from './digits';
import { Metaspace } from './metaspace';
import type { PreTokenizer } from './pre_tokenizer';
import { Punctuation } from './punctuation';
import { PreTokenizerSequence } from './sequence';
import { Split } from './split';
import { Whitespace } from './whitespace';
import { WhitespaceSplit } from './whitespace_split';

export type PreTokenizerFactory = (o: JsonObject, ctx: JsonContext) => PreTokenizer;
type Factory = (o: JsonObject, ctx: JsonContext) => PreTokenizer;

/** tokenizer.json "pre_tokenizer.type" → constructor. A new pre-tokenizer is a file plus one line here. */
export const preTokenizerRegistry: Record<string, Factory> = {
  BertPreTokenizer: () => new BertPreTokenizer(),
  Whitespace: () => new Whitespace(),
  WhitespaceSplit: () => new WhitespaceSplit(),
  Punctuation: Punctuation.fromJSON,
  ByteLevel: ByteLevelPreTokenizer.fromJSON,
  Split: Split.fromJSON,
  Metaspace: Metaspace.fromJSON,
  Digits: Digits.fromJSON,
  CharDelimiterSplit: (o, ctx) => {
    const d = reqString(o, 'delimiter', ctx);
    return new Split({ kind: 'String', source: d, regex: new RegExp(escapeRegExp(d), 'gu') }, 'Removed');
  },
  Sequence: (o, ctx) => new PreTokenizerSequence(asArray(o.pretokenizers, at(ctx, 'pretokenizers')).map((p, i) => preTokenizerFromJSON(p, at(at(ctx, 'pretokenizers'), i))!)),
};

export function preTokenizerFromJSON(v: unknown, ctx: JsonContext): PreTokenizer | null {
  if (v === null || v === undefined) return null;
  const o = asObject(v, ctx);
  const type = reqType(o, ctx);
  const f = preTokenizerRegistry[type];
  if (!f) throw new TokenizerError(`unknown pre_tokenizer type ${JSON.stringify(type)} (known: ${Object.keys(preTokenizerRegistry).join(', ')})`, { file: ctx.file, field: at(ctx, 'type').path });
  return f(o, ctx);
}

/**
 * Adds a pre-tokenizer that tokenizer.json can name by its "type"; a type already registered is refused (one file plus this
 * call is a new stage).
 */
export function registerPreTokenizer(type: string, factory: PreTokenizerFactory): void {
  if (Object.prototype.hasOwnProperty.call(preTokenizerRegistry, type)) throw new TokenizerError(`a pre-tokenizer of type ${JSON.stringify(type)} is already registered`);
  preTokenizerRegistry[type] = factory;
}
