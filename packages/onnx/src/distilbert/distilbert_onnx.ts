import { configNumber, configString, key, type OnnxExportContext, type OnnxExporter } from '../onnx_exporter';
import { linear } from '../layers/linear';
import { layerNorm } from '../layers/layer_norm';
import { activation } from '../layers/activation';
import { additiveAttentionMask, positionIds } from '../layers/attention_mask';
import { selfAttention } from '../layers/self_attention';
import { firstToken, lastHiddenStateOutput, logitsOutput, outFeatures, questionAnsweringOutputs, unsupportedTask } from '../layers/task_outputs';
import { BERT_TASKS, embeddingLookup, encoderInputs, mlmDecoder } from '../bert/bert_onnx';

// HF DistilBERT hard-codes its LayerNorm epsilon.
const EPS = 1e-12;

/** TransformerBlock `layerKey`: sa_layer_norm(attn + x), then output_layer_norm(ffn + that). */
function distilBertLayer(ctx: OnnxExportContext, x: string, mask: string, layerKey: string): string {
  const { graph: g, weights: w } = ctx;
  const attn = selfAttention(
    g,
    w,
    x,
    mask,
    { query: `${layerKey}.attention.q_lin`, key: `${layerKey}.attention.k_lin`, value: `${layerKey}.attention.v_lin`, output: `${layerKey}.attention.out_lin` },
    configNumber(ctx, 'n_heads'),
    configNumber(ctx, 'dim'),
  );
  const h = layerNorm(g, w, g.op1('Add', [attn, x]), `${layerKey}.sa_layer_norm`, EPS);
  const ffn = linear(g, w, activation(g, linear(g, w, h, `${layerKey}.ffn.lin1`), configString(ctx, 'activation', 'gelu')), `${layerKey}.ffn.lin2`);
  return layerNorm(g, w, g.op1('Add', [ffn, h]), `${layerKey}.output_layer_norm`, EPS);
}

/** DistilBERT: no token types; inputs input_ids, attention_mask. Sinusoidal position tables are stored weights too. */
export const distilbertOnnx: OnnxExporter = {
  modelType: 'distilbert',
  tasks: BERT_TASKS,
  build(ctx) {
    const { graph: g, weights: w } = ctx;
    const ids = encoderInputs(ctx, false);
    const p = (rest: string) => key(ctx, rest);
    const words = embeddingLookup(ctx, p('embeddings.word_embeddings.weight'), ids.inputIds);
    const positions = embeddingLookup(ctx, p('embeddings.position_embeddings.weight'), positionIds(g, ids.inputIds));
    let x = layerNorm(g, w, g.op1('Add', [words, positions]), p('embeddings.LayerNorm'), EPS);
    const mask = additiveAttentionMask(g, ids.attentionMask);
    for (let i = 0; i < configNumber(ctx, 'n_layers'); i++) {
      const layerKey = p(`transformer.layer.${i}`);
      x = g.scope(layerKey, () => distilBertLayer(ctx, x, mask, layerKey));
    }
    switch (ctx.task) {
      case 'base':
        return lastHiddenStateOutput(ctx, x, configNumber(ctx, 'dim'));
      case 'sequence-classification': {
        const pooled = g.op1('Relu', [linear(g, w, firstToken(ctx, x), 'pre_classifier')]);
        return logitsOutput(ctx, linear(g, w, pooled, 'classifier'), outFeatures(ctx, 'classifier'));
      }
      case 'token-classification':
        return logitsOutput(ctx, linear(g, w, x, 'classifier'), outFeatures(ctx, 'classifier'));
      case 'question-answering':
        return questionAnsweringOutputs(ctx, linear(g, w, x, 'qa_outputs'));
      case 'masked-lm': {
        const t = layerNorm(g, w, activation(g, linear(g, w, x, 'vocab_transform'), configString(ctx, 'activation', 'gelu')), 'vocab_layer_norm', EPS);
        return logitsOutput(ctx, mlmDecoder(ctx, t, 'vocab_projector', 'vocab_projector.bias', p('embeddings.word_embeddings.weight')), configNumber(ctx, 'vocab_size'));
      }
      default:
        return unsupportedTask(ctx, BERT_TASKS);
    }
  },
};
