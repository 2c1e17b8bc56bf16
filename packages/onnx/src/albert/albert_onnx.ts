import { configNumber, configString, key, type OnnxExportContext, type OnnxExporter } from '../onnx_exporter';
import { linear } from '../layers/linear';
import { layerNorm } from '../layers/layer_norm';
import { activation } from '../layers/activation';
import { additiveAttentionMask, positionIds } from '../layers/attention_mask';
import { selfAttention } from '../layers/self_attention';
import { firstToken } from '../layers/task_outputs';
import { BERT_TASKS, bertEmbeddings, bertStyleHeads, checkAbsolutePositions, encoderInputs, mlmDecoder } from '../bert/bert_onnx';

/** AlbertLayer `layerKey`: attention with its own dense + LayerNorm, then ffn / ffn_output into full_layer_layer_norm. */
function albertLayer(ctx: OnnxExportContext, x: string, mask: string, layerKey: string): string {
  const { graph: g, weights: w } = ctx;
  const eps = configNumber(ctx, 'layer_norm_eps', 1e-12);
  const a = `${layerKey}.attention`;
  const attn = selfAttention(g, w, x, mask, { query: `${a}.query`, key: `${a}.key`, value: `${a}.value`, output: `${a}.dense` }, configNumber(ctx, 'num_attention_heads'), configNumber(ctx, 'hidden_size'));
  const h = layerNorm(g, w, g.op1('Add', [x, attn]), `${a}.LayerNorm`, eps);
  const ffn = linear(g, w, activation(g, linear(g, w, h, `${layerKey}.ffn`), configString(ctx, 'hidden_act', 'gelu_new')), `${layerKey}.ffn_output`);
  return layerNorm(g, w, g.op1('Add', [ffn, h]), `${layerKey}.full_layer_layer_norm`, eps);
}

/**
 * ALBERT: factorised embeddings (embedding_size → hidden_size through encoder.embedding_hidden_mapping_in), then
 * num_hidden_layers applications of the shared layer groups, grouped as HF's AlbertTransformer does. The shared
 * weights are initializers once, used by every layer that applies them.
 */
export const albertOnnx: OnnxExporter = {
  modelType: 'albert',
  tasks: BERT_TASKS,
  build(ctx) {
    checkAbsolutePositions(ctx);
    const { graph: g, weights: w } = ctx;
    const ids = encoderInputs(ctx, true);
    let x = linear(g, w, bertEmbeddings(ctx, ids, positionIds(g, ids.inputIds)), key(ctx, 'encoder.embedding_hidden_mapping_in'));
    const mask = additiveAttentionMask(g, ids.attentionMask);
    const layers = configNumber(ctx, 'num_hidden_layers');
    const groups = configNumber(ctx, 'num_hidden_groups', 1);
    const inner = configNumber(ctx, 'inner_group_num', 1);
    for (let i = 0; i < layers; i++) {
      const group = Math.floor(i / (layers / groups));
      for (let j = 0; j < inner; j++) {
        const layerKey = key(ctx, `encoder.albert_layer_groups.${group}.albert_layers.${j}`);
        x = g.scope(`${key(ctx, 'encoder.layer')}.${i}.${j}`, () => albertLayer(ctx, x, mask, layerKey));
      }
    }
    const hidden = x;
    bertStyleHeads(
      ctx,
      hidden,
      () => g.op1('Tanh', [linear(g, w, firstToken(ctx, hidden), key(ctx, 'pooler'))]),
      () => {
        // HF AlbertMLMHead: LayerNorm(act(dense(h))) at embedding_size, decoder tied to the word embeddings, + bias.
        const t = activation(g, linear(g, w, hidden, 'predictions.dense'), configString(ctx, 'hidden_act', 'gelu_new'));
        const h = layerNorm(g, w, t, 'predictions.LayerNorm', configNumber(ctx, 'layer_norm_eps', 1e-12));
        return mlmDecoder(ctx, h, 'predictions.decoder', 'predictions.bias', key(ctx, 'embeddings.word_embeddings.weight'));
      },
    );
  },
};
