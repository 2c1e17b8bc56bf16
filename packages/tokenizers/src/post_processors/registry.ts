import { TokenizerError } from '../errors';
import { asArray, asObject, at, reqType, type JsonContext, type JsonObject } from '../json_fields';
import { BertProcessing } from './bert_processing';
import { ByteLevelPostProcessor } from './byte_level';
import type { PostProcessor } from './post_processor';
import { RobertaProcessing } from './roberta_processing';
import { PostProcessorSequence } from './sequence';
import { TemplateProcessing } from './template_processing';

export type PostProcessorFactory = (o: JsonObject, ctx: JsonContext) => PostProcessor;
type Factory = (o: JsonObject, ctx: JsonContext) => PostProcessor;

/** tokenizer.json "post_processor.type" → constructor. A new post-processor is a file plus one line here. */
export const postProcessorRegistry: Record<string, Factory> = {
  TemplateProcessing: TemplateProcessing.fromJSON,
  BertProcessing: BertProcessing.fromJSON,
  RobertaProcessing: RobertaProcessing.fromJSON,
  ByteLevel: ByteLevelPostProcessor.fromJSON,
  Sequence: (o, ctx) => new PostProcessorSequence(asArray(o.processors, at(ctx, 'processors')).map((p, i) => postProcessorFromJSON(p, at(at(ctx, 'processors'), i))!)),
};

export function postProcessorFromJSON(v: unknown, ctx: JsonContext): PostProcessor | null {
  if (v === null || v === undefined) return null;
  const o = asObject(v, ctx);
  const type = reqType(o, ctx);
  const f = postProcessorRegistry[type];
  if (!f) throw new TokenizerError(`unknown post_processor type ${JSON.stringify(type)} (known: ${Object.keys(postProcessorRegistry).join(', ')})`, { file: ctx.file, field: at(ctx, 'type').path });
  return f(o, ctx);
}

/**
 * Adds a post-processor that tokenizer.json can name by its "type"; a type already registered is refused (one file plus this
 * call is a new stage).
 */
export function registerPostProcessor(type: string, factory: PostProcessorFactory): void {
  if (Object.prototype.hasOwnProperty.call(postProcessorRegistry, type)) throw new TokenizerError(`a post-processor of type ${JSON.stringify(type)} is already registered`);
  postProcessorRegistry[type] = factory;
}
