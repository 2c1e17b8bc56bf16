import { TokenizerError } from '../errors';
import { asArray, asObject, at, reqType, type JsonContext, type JsonObject } from '../json_fields';
import { BPEDecoder } from './bpe';
import { ByteFallbackDecoder } from './byte_fallback';
import { FuseDecoder } from './fuse';
import { ReplaceDecoder } from './replace';
import { StripDecoder } from './strip';
import { ByteLevelDecoder } from './byte_level';
import type { Decoder } from './decoder';
import { MetaspaceDecoder } from './metaspace';
import { DecoderSequence } from './sequence';
import { WordPieceDecoder } from './word_piece';

export type DecoderFactory = (o: JsonObject, ctx: JsonContext) => Decoder;
type Factory = (o: JsonObject, ctx: JsonContext) => Decoder;

/** tokenizer.json "decoder.type" → constructor. A new decoder is a file plus one line here. */
export const decoderRegistry: Record<string, Factory> = {
  WordPiece: WordPieceDecoder.fromJSON,
  ByteLevel: () => new ByteLevelDecoder(),
  BPEDecoder: BPEDecoder.fromJSON,
  Metaspace: MetaspaceDecoder.fromJSON,
  Replace: ReplaceDecoder.fromJSON,
  Fuse: () => new FuseDecoder(),
  Strip: StripDecoder.fromJSON,
  ByteFallback: () => new ByteFallbackDecoder(),
  Sequence: (o, ctx) => new DecoderSequence(asArray(o.decoders, at(ctx, 'decoders')).map((d, i) => decoderFromJSON(d, at(at(ctx, 'decoders'), i))!)),
};

export function decoderFromJSON(v: unknown, ctx: JsonContext): Decoder | null {
  if (v === null || v === undefined) return null;
  const o = asObject(v, ctx);
  const type = reqType(o, ctx);
  const f = decoderRegistry[type];
  if (!f) throw new TokenizerError(`unknown decoder type ${JSON.stringify(type)} (known: ${Object.keys(decoderRegistry).join(', ')})`, { file: ctx.file, field: at(ctx, 'type').path });
  return f(o, ctx);
}

/**
 * Adds a decoder that tokenizer.json can name by its "type"; a type already registered is refused (one file plus this
 * call is a new stage).
 */
export function registerDecoder(type: string, factory: DecoderFactory): void {
  if (Object.prototype.hasOwnProperty.call(decoderRegistry, type)) throw new TokenizerError(`a decoder of type ${JSON.stringify(type)} is already registered`);
  decoderRegistry[type] = factory;
}
