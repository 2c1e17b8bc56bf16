import { TokenizerError } from '../errors';
import { asArray, asObject, at, reqType, type JsonContext, type JsonObject } from '../json_fields';
import { BertNormalizer } from './bert_normalizer';
import { Lowercase } from './lowercase';
import type { Normalizer } from './normalizer';
import { Prepend } from './prepend';
import { Replace } from './replace';
import { NormalizerSequence } from './sequence';
import { Strip } from './strip';
import { StripAccents } from './strip_accents';
import { UnicodeNormalizer } from './unicode_forms';

export type NormalizerFactory = (o: JsonObject, ctx: JsonContext) => Normalizer;
type Factory = (o: JsonObject, ctx: JsonContext) => Normalizer;

/** tokenizer.json "normalizer.type" → constructor. A new normalizer is a file plus one line here. */
export const normalizerRegistry: Record<string, Factory> = {
  BertNormalizer: BertNormalizer.fromJSON,
  NFC: () => new UnicodeNormalizer('NFC'),
  NFD: () => new UnicodeNormalizer('NFD'),
  NFKC: () => new UnicodeNormalizer('NFKC'),
  NFKD: () => new UnicodeNormalizer('NFKD'),
  Lowercase: () => new Lowercase(),
  StripAccents: () => new StripAccents(),
  Strip: Strip.fromJSON,
  Replace: Replace.fromJSON,
  Prepend: Prepend.fromJSON,
  Sequence: (o, ctx) => new NormalizerSequence(asArray(o.normalizers, at(ctx, 'normalizers')).map((n, i) => normalizerFromJSON(n, at(at(ctx, 'normalizers'), i))!)),
};

export function normalizerFromJSON(v: unknown, ctx: JsonContext): Normalizer | null {
  if (v === null || v === undefined) return null;
  const o = asObject(v, ctx);
  const type = reqType(o, ctx);
  const f = normalizerRegistry[type];
  if (!f) throw new TokenizerError(`unknown normalizer type ${JSON.stringify(type)} (known: ${Object.keys(normalizerRegistry).join(', ')})`, { file: ctx.file, field: at(ctx, 'type').path });
  return f(o, ctx);
}

/**
 * Adds a normalizer that tokenizer.json can name by its "type"; a type already registered is refused (one file plus this
 * call is a new stage).
 */
export function registerNormalizer(type: string, factory: NormalizerFactory): void {
  if (Object.prototype.hasOwnProperty.call(normalizerRegistry, type)) throw new TokenizerError(`a normalizer of type ${JSON.stringify(type)} is already registered`);
  normalizerRegistry[type] = factory;
}
