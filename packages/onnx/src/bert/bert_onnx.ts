import type { ModelTask } from '@attn/models';
import { configNumber, configString, key, type OnnxExportContext, type OnnxExporter } from '../onnx_exporter';
import { OnnxExportError } from '../onnx_errors';
import { linear, tiedDecoder } from '../layers/linear';
import { layerNorm } from '../layers/layer_norm';
import { activation } from '../layers/activation';
import { additiveAttentionMask, positionIds } from '../layers/attention_mask';
import { selfAttention } from '../layers/self_attention';
import { firstToken, lastHiddenStateOutput, logitsOutput, outFeatures, questionAnsweringOutputs, unsupportedTask } from '../layers/task_outputs';

/** The graph inputs of an encoder that takes token types: input_ids, attention_mask, token_type_ids (int64 [batch, seq]). */
export function encoderInputs(ctx: OnnxExportContext, withTokenTypes: boolean): { inputIds: string; attentionMask: string; tokenTypeIds?: string } {
  const g = ctx.graph;
  const dims = [ctx.batch, ctx.sequence];
  const inputIds = g.input('input_ids', 'int64', dims);
  const attentionMask = g.input('attention_mask', 'int64', dims);
  const tokenTypeIds = withTokenTypes ? g.input('token_type_ids', 'int64', dims) : undefined;
  return { inputIds, attentionMask, tokenTypeIds };
}

/** An embedding lookup: Gather of the rows of the initializer `weightKey`. */
export function embeddingLookup(ctx: OnnxExportContext, weightKey: string, ids: string): string {
  const w = ctx.weights.get(weightKey);
  ctx.graph.initializer(weightKey, w.data, w.dims);
  return ctx.graph.scope(weightKey.replace(/\.weight$/, ''), () => ctx.graph.op1('Gather', [weightKey, ids]));
}

/**
 * BertEmbeddings under `embeddings.`: LayerNorm(word + position + token type). `positions` is [1, seq] or
 * [batch, seq]; without `tokenTypeIds` row 0 of the token type table is added (HF's all-zeros default).
 */
export function bertEmbeddings(ctx: OnnxExportContext, ids: { inputIds: string; tokenTypeIds?: string }, positions: string): string {
  const g = ctx.graph;
  const p = (rest: string) => key(ctx, `embeddings.${rest}`);
  let x = g.op1('Add', [embeddingLookup(ctx, p('word_embeddings.weight'), ids.inputIds), embeddingLookup(ctx, p('position_embeddings.weight'), positions)]);
  if (ctx.weights.has(p('token_type_embeddings.weight'))) {
    const types = ids.tokenTypeIds ?? g.int64([0], []);
    x = g.op1('Add', [x, embeddingLookup(ctx, p('token_type_embeddings.weight'), types)]);
  }
  return layerNorm(g, ctx.weights, x, p('LayerNorm'), configNumber(ctx, 'layer_norm_eps', 1e-12));
}

/** BertLayer `layerKey` (`bert.encoder.layer.0`): post-norm attention and feed-forward blocks. */
export function bertLayer(ctx: OnnxExportContext, x: string, mask: string, layerKey: string): string {
  const { graph: g, weights: w } = ctx;
  const eps = configNumber(ctx, 'layer_norm_eps', 1e-12);
  const attn = selfAttention(
    g,
    w,
    x,
    mask,
    {
      query: `${layerKey}.attention.self.query`,
      key: `${layerKey}.attention.self.key`,
      value: `${layerKey}.attention.self.value`,
      output: `${layerKey}.attention.output.dense`,
    },
    configNumber(ctx, 'num_attention_heads'),
    configNumber(ctx, 'hidden_size'),
  );
  const h = layerNorm(g, w, g.op1('Add', [attn, x]), `${layerKey}.attention.output.LayerNorm`, eps);
  const inner = activation(g, linear(g, w, h, `${layerKey}.intermediate.dense`), configString(ctx, 'hidden_act', 'gelu'));
  return layerNorm(g, w, g.op1('Add', [linear(g, w, inner, `${layerKey}.output.dense`), h]), `${layerKey}.output.LayerNorm`, eps);
}

/** BertEncoder: every `encoder.layer.N` in turn. */
export function bertEncoder(ctx: OnnxExportContext, x: string, mask: string): string {
  const layers = configNumber(ctx, 'num_hidden_layers');
  for (let i = 0; i < layers; i++) {
    const layerKey = key(ctx, `encoder.layer.${i}`);
    x = ctx.graph.scope(layerKey, () => bertLayer(ctx, x, mask, layerKey));
  }
  return x;
}

/** Refuses BERT-family configs whose graph differs from the absolute-position one built here. */
export function checkAbsolutePositions(ctx: OnnxExportContext): void {
  const type = configString(ctx, 'position_embedding_type', 'absolute');
  if (type !== 'absolute') {
    throw new OnnxExportError(`${ctx.architecture}: position_embedding_type "${type}" has no ONNX graph here; only "absolute" is exported.`);
  }
}

/** The heads BERT and ALBERT share after the backbone; `pooled` is computed only for sequence classification. */
export function bertStyleHeads(ctx: OnnxExportContext, hidden: string, pooled: () => string, mlmLogits: () => string): void {
  const { graph: g, weights: w } = ctx;
  switch (ctx.task) {
    case 'base':
      return lastHiddenStateOutput(ctx, hidden, configNumber(ctx, 'hidden_size'));
    case 'sequence-classification':
      return logitsOutput(ctx, linear(g, w, pooled(), 'classifier'), outFeatures(ctx, 'classifier'));
    case 'token-classification':
      return logitsOutput(ctx, linear(g, w, hidden, 'classifier'), outFeatures(ctx, 'classifier'));
    case 'question-answering':
      return questionAnsweringOutputs(ctx, linear(g, w, hidden, 'qa_outputs'));
    case 'masked-lm':
      return logitsOutput(ctx, mlmLogits(), configNumber(ctx, 'vocab_size'));
    default:
      return unsupportedTask(ctx, BERT_TASKS);
  }
}

/** An MLM decoder: its own `decoderKey` weight when the checkpoint has one, else tied to the word embeddings. */
export function mlmDecoder(ctx: OnnxExportContext, x: string, decoderKey: string, biasKey: string, wordEmbeddingsKey: string): string {
  const { graph: g, weights: w } = ctx;
  if (w.has(`${decoderKey}.weight`)) {
    const y = linear(g, w, x, decoderKey);
    return w.has(`${decoderKey}.bias`) ? y : tiedDecoderBias(ctx, y, biasKey);
  }
  return tiedDecoder(g, w, x, wordEmbeddingsKey, biasKey);
}

function tiedDecoderBias(ctx: OnnxExportContext, y: string, biasKey: string): string {
  const b = ctx.weights.get(biasKey);
  ctx.graph.initializer(biasKey, b.data, b.dims);
  return ctx.graph.op1('Add', [y, biasKey]);
}

export const BERT_TASKS: readonly ModelTask[] = ['base', 'sequence-classification', 'token-classification', 'question-answering', 'masked-lm'];

/** BERT: HF modeling_bert's graph; inputs input_ids, attention_mask, token_type_ids. */
export const bertOnnx: OnnxExporter = {
  modelType: 'bert',
  tasks: BERT_TASKS,
  build(ctx) {
    checkAbsolutePositions(ctx);
    const { graph: g, weights: w } = ctx;
    const ids = encoderInputs(ctx, true);
    const hidden = bertEncoder(ctx, bertEmbeddings(ctx, ids, positionIds(g, ids.inputIds)), additiveAttentionMask(g, ids.attentionMask));
    bertStyleHeads(
      ctx,
      hidden,
      () => g.op1('Tanh', [linear(g, w, firstToken(ctx, hidden), key(ctx, 'pooler.dense'))]),
      () => {
        const t = activation(g, linear(g, w, hidden, 'cls.predictions.transform.dense'), configString(ctx, 'hidden_act', 'gelu'));
        const h = layerNorm(g, w, t, 'cls.predictions.transform.LayerNorm', configNumber(ctx, 'layer_norm_eps', 1e-12));
        return mlmDecoder(ctx, h, 'cls.predictions.decoder', 'cls.predictions.bias', key(ctx, 'embeddings.word_embeddings.weight'));
      },
    );
  },
};
