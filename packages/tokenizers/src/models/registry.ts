import { TokenizerError } from '../errors';
import { asObject, at, type JsonContext, type JsonObject } from '../json_fields';
import { BPE } from './bpe';
import type { Model } from './model';
import { Unigram } from './unigram';
import { WordLevel } from './word_level';
import { WordPiece } from './word_piece';

export type ModelFactory = (o: JsonObject, ctx: JsonContext) => Model;
type Factory = (o: JsonObject, ctx: JsonContext) => Model;

/** tokenizer.json "model.type" → constructor. A new model is a file plus one line here. */
export const modelRegistry: Record<string, Factory> = {
  WordPiece: WordPiece.fromJSON,
  BPE: BPE.fromJSON,
  Unigram: Unigram.fromJSON,
  WordLevel: WordLevel.fromJSON,
};

export function modelFromJSON(v: unknown, ctx: JsonContext): Model {
  const o = asObject(v, ctx);
  // Old files omit model.type: guess from the fields, as HF does.
  let type = o.type;
  if (type === undefined) type = 'merges' in o ? 'BPE' : 'continuing_subword_prefix' in o || 'max_input_chars_per_word' in o ? 'WordPiece' : undefined;
  if (typeof type !== 'string') throw new TokenizerError('expected a model "type" (WordPiece or BPE)', { file: ctx.file, field: at(ctx, 'type').path });
  const f = modelRegistry[type];
  if (!f) throw new TokenizerError(`unknown model type ${JSON.stringify(type)} (known: ${Object.keys(modelRegistry).join(', ')})`, { file: ctx.file, field: at(ctx, 'type').path });
  return f(o, ctx);
}

/**
 * Adds a model that tokenizer.json can name by its "type"; a type already registered is refused (one file plus this
 * call is a new stage).
 */
export function registerModel(type: string, factory: ModelFactory): void {
  if (Object.prototype.hasOwnProperty.call(modelRegistry, type)) throw new TokenizerError(`a model of type ${JSON.stringify(type)} is already registered`);
  modelRegistry[type] = factory;
}
