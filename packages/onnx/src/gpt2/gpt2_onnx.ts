import type { ModelTask } from '@attn/models';
import { configNumber, configString, key, type OnnxExportContext, type OnnxExporter } from '../onnx_exporter';
import { int } from '../onnx_graph';
import { OnnxExportError } from '../onnx_errors';
import { conv1d, linear, tiedDecoder } from '../layers/linear';
import { layerNorm } from '../layers/layer_norm';
import { activation } from '../layers/activation';
import { embeddingLookup } from '../bert/bert_onnx';
import { appendToCache, cachedAttention, causalAttentionMask, decoderInputs, lastNonPadToken, presentOutputs, splitHeads } from '../layers/decoder_io';
import { lastHiddenStateOutput, logitsOutput, outFeatures, unsupportedTask } from '../layers/task_outputs';

const TASKS: readonly ModelTask[] = ['base', 'causal-lm', 'sequence-classification'];

/**
 * GPT-2 as HF's modeling_gpt2: pre-norm blocks with fused c_attn (Conv1D, [in, out] weights), learned positions,
 * ln_f. The causal LM has HF Optimum's text-generation-with-past interface (position_ids and
 * past_key_values.{i}.key/value in, logits and present.{i}.key/value out); sequence classification pools the last
 * non-padding token and takes input_ids and attention_mask only.
 */
export const gpt2Onnx: OnnxExporter = {
  modelType: 'gpt2',
  tasks: TASKS,
  build(ctx) {
    const { graph: g, weights: w } = ctx;
    if (ctx.config['scale_attn_by_inverse_layer_idx'] === true || ctx.config['reorder_and_upcast_attn'] === true || ctx.config['scale_attn_weights'] === false) {
      throw new OnnxExportError(`${ctx.architecture}: scale_attn_by_inverse_layer_idx / reorder_and_upcast_attn / scale_attn_weights false have no ONNX graph here.`);
    }
    const layers = configNumber(ctx, 'n_layer');
    const heads = configNumber(ctx, 'n_head');
    const hidden = configNumber(ctx, 'n_embd');
    const headDim = hidden / heads;
    const eps = configNumber(ctx, 'layer_norm_epsilon', 1e-5);
    const withPast = ctx.task === 'causal-lm';
    const io = decoderInputs(ctx, layers, heads, headDim, withPast);
    const mask = causalAttentionMask(ctx, io.inputIds, io.attentionMask);
    const p = (rest: string) => key(ctx, rest);
    let x = g.op1('Add', [embeddingLookup(ctx, p('wte.weight'), io.inputIds), embeddingLookup(ctx, p('wpe.weight'), io.positionIds)]);
    const present: Array<{ key: string; value: string }> = [];
    for (let i = 0; i < layers; i++) {
      const block = p(`h.${i}`);
      x = g.scope(block, () => {
        const h = layerNorm(g, w, x, `${block}.ln_1`, eps);
        const [q, k, v] = g.op('Split', [conv1d(g, w, h, `${block}.attn.c_attn`), g.int64([hidden, hidden, hidden])], { axis: int(2) }, 3) as [string, string, string];
        const kAll = appendToCache(ctx, io.past[i]?.key, splitHeads(ctx, k, heads, headDim));
        const vAll = appendToCache(ctx, io.past[i]?.value, splitHeads(ctx, v, heads, headDim));
        present.push({ key: kAll, value: vAll });
        const attn = conv1d(g, w, cachedAttention(ctx, splitHeads(ctx, q, heads, headDim), kAll, vAll, mask, heads, heads, headDim), `${block}.attn.c_proj`);
        const r = g.op1('Add', [x, attn]);
        const m = layerNorm(g, w, r, `${block}.ln_2`, eps);
        const ffn = conv1d(g, w, activation(g, conv1d(g, w, m, `${block}.mlp.c_fc`), configString(ctx, 'activation_function', 'gelu_new')), `${block}.mlp.c_proj`);
        return g.op1('Add', [r, ffn]);
      });
    }
    x = layerNorm(g, w, x, p('ln_f'), eps);
    switch (ctx.task) {
      case 'base':
        return lastHiddenStateOutput(ctx, x, hidden);
      case 'causal-lm': {
        // GPT2LMHeadModel's lm_head is tied to wte unless the checkpoint stores its own.
        const logits = w.has('lm_head.weight') ? linear(g, w, x, 'lm_head') : tiedDecoder(g, w, x, p('wte.weight'));
        logitsOutput(ctx, logits, configNumber(ctx, 'vocab_size'));
        return presentOutputs(ctx, present, heads, headDim);
      }
      case 'sequence-classification':
        return classifyLastToken(ctx, x, io.inputIds);
      default:
        return unsupportedTask(ctx, TASKS);
    }
  },
};

/** `score` on the last non-padding token (HF's decoder sequence classification), pad_token_id from config.json. */
export function classifyLastToken(ctx: OnnxExportContext, hidden: string, inputIds: string): void {
  const pad = ctx.config['pad_token_id'];
  if (typeof pad !== 'number') {
    throw new OnnxExportError(`${ctx.architecture}: config.json has no pad_token_id, which sequence classification needs to find each row's last token.`);
  }
  const pooled = lastNonPadToken(ctx, hidden, inputIds, pad);
  logitsOutput(ctx, linear(ctx.graph, ctx.weights, pooled, 'score'), outFeatures(ctx, 'score'));
}
