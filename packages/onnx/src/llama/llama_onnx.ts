import type { ModelTask } from '@attn/models';
import { configNumber, configString, key, type OnnxExportContext, type OnnxExporter } from '../onnx_exporter';
import { int } from '../onnx_graph';
import { OnnxExportError } from '../onnx_errors';
import { linear, tiedDecoder } from '../layers/linear';
import { rmsNorm } from '../layers/rms_norm';
import { activation } from '../layers/activation';
import { embeddingLookup } from '../bert/bert_onnx';
import { appendToCache, cachedAttention, causalAttentionMask, decoderInputs, presentOutputs, splitHeads } from '../layers/decoder_io';
import { lastHiddenStateOutput, logitsOutput, unsupportedTask } from '../layers/task_outputs';
import { classifyLastToken } from '../gpt2/gpt2_onnx';

const TASKS: readonly ModelTask[] = ['base', 'causal-lm', 'sequence-classification'];

function ropeTheta(ctx: OnnxExportContext): number {
  const params = ctx.config['rope_parameters'] as { rope_theta?: unknown; rope_type?: unknown } | undefined;
  const type = params?.rope_type ?? (ctx.config['rope_scaling'] as { rope_type?: unknown; type?: unknown } | null | undefined)?.rope_type ?? 'default';
  if (type !== 'default') throw new OnnxExportError(`${ctx.architecture}: rope_type "${String(type)}" has no ONNX graph here; only the default rotary embedding is exported.`);
  const theta = params?.rope_theta ?? ctx.config['rope_theta'] ?? 10000;
  if (typeof theta !== 'number') throw new OnnxExportError(`${ctx.architecture}: rope_theta must be a number; got ${JSON.stringify(theta)}.`);
  return theta;
}

/**
 * cos and sin [batch, 1, seq, headDim] of the rotary embedding at `positionIds` (HF's LlamaRotaryEmbedding,
 * default type): angles position · theta^(-2i/d), the half-size table repeated twice.
 */
function rotaryTables(ctx: OnnxExportContext, positionIds: string, headDim: number): { cos: string; sin: string } {
  const g = ctx.graph;
  const theta = ropeTheta(ctx);
  const invFreq = Float32Array.from({ length: headDim / 2 }, (_, i) => 1 / theta ** ((2 * i) / headDim));
  g.initializer('rotary_emb.inv_freq', invFreq, [headDim / 2]);
  return g.scope('rotary_emb', () => {
    const pos = g.op1('Unsqueeze', [g.op1('Cast', [positionIds], { to: int(1) }), g.int64([2])]); // [batch, seq, 1]
    const half = g.op1('Mul', [pos, 'rotary_emb.inv_freq']); // [batch, seq, d/2]
    const angles = g.op1('Unsqueeze', [g.op1('Concat', [half, half], { axis: int(-1) }), g.int64([1])]); // [batch, 1, seq, d]
    return { cos: g.op1('Cos', [angles]), sin: g.op1('Sin', [angles]) };
  });
}

/** x·cos + rotate_half(x)·sin, rotate_half(x) = [-x₂, x₁] on the halves of the last axis. */
function applyRotary(ctx: OnnxExportContext, x: string, rope: { cos: string; sin: string }, headDim: number): string {
  const g = ctx.graph;
  const [x1, x2] = g.op('Split', [x, g.int64([headDim / 2, headDim / 2])], { axis: int(-1) }, 2) as [string, string];
  const rotated = g.op1('Concat', [g.op1('Neg', [x2]), x1], { axis: int(-1) });
  return g.op1('Add', [g.op1('Mul', [x, rope.cos]), g.op1('Mul', [rotated, rope.sin])]);
}

/**
 * Llama as HF's modeling_llama: RMSNorm pre-norm blocks, rotary position embeddings, grouped-query attention,
 * SwiGLU MLP, lm_head (or tied to embed_tokens). The causal LM has HF Optimum's text-generation-with-past
 * interface; the cache holds keys after rotation, kv_heads wide.
 */
export const llamaOnnx: OnnxExporter = {
  modelType: 'llama',
  tasks: TASKS,
  build(ctx) {
    const { graph: g, weights: w } = ctx;
    const layers = configNumber(ctx, 'num_hidden_layers');
    const heads = configNumber(ctx, 'num_attention_heads');
    const kvHeads = configNumber(ctx, 'num_key_value_heads', heads);
    const hidden = configNumber(ctx, 'hidden_size');
    const headDim = configNumber(ctx, 'head_dim', hidden / heads);
    const eps = configNumber(ctx, 'rms_norm_eps', 1e-6);
    const withPast = ctx.task === 'causal-lm';
    const io = decoderInputs(ctx, layers, kvHeads, headDim, withPast);
    const mask = causalAttentionMask(ctx, io.inputIds, io.attentionMask);
    const rope = rotaryTables(ctx, io.positionIds, headDim);
    const p = (rest: string) => key(ctx, rest);
    let x = embeddingLookup(ctx, p('embed_tokens.weight'), io.inputIds);
    const present: Array<{ key: string; value: string }> = [];
    for (let i = 0; i < layers; i++) {
      const layer = p(`layers.${i}`);
      x = g.scope(layer, () => {
        const h = rmsNorm(g, w, x, `${layer}.input_layernorm`, eps, ctx.opset);
        const a = `${layer}.self_attn`;
        const q = applyRotary(ctx, splitHeads(ctx, linear(g, w, h, `${a}.q_proj`), heads, headDim), rope, headDim);
        const k = applyRotary(ctx, splitHeads(ctx, linear(g, w, h, `${a}.k_proj`), kvHeads, headDim), rope, headDim);
        const kAll = appendToCache(ctx, io.past[i]?.key, k);
        const vAll = appendToCache(ctx, io.past[i]?.value, splitHeads(ctx, linear(g, w, h, `${a}.v_proj`), kvHeads, headDim));
        present.push({ key: kAll, value: vAll });
        const r = g.op1('Add', [x, linear(g, w, cachedAttention(ctx, q, kAll, vAll, mask, heads, kvHeads, headDim), `${a}.o_proj`)]);
        const m = rmsNorm(g, w, r, `${layer}.post_attention_layernorm`, eps, ctx.opset);
        const mlp = `${layer}.mlp`;
        const gated = g.op1('Mul', [activation(g, linear(g, w, m, `${mlp}.gate_proj`), configString(ctx, 'hidden_act', 'silu')), linear(g, w, m, `${mlp}.up_proj`)]);
        return g.op1('Add', [r, linear(g, w, gated, `${mlp}.down_proj`)]);
      });
    }
    x = rmsNorm(g, w, x, p('norm'), eps, ctx.opset);
    switch (ctx.task) {
      case 'base':
        return lastHiddenStateOutput(ctx, x, hidden);
      case 'causal-lm': {
        const logits = w.has('lm_head.weight') ? linear(g, w, x, 'lm_head') : tiedDecoder(g, w, x, p('embed_tokens.weight'));
        logitsOutput(ctx, logits, configNumber(ctx, 'vocab_size'));
        return presentOutputs(ctx, present, kvHeads, headDim);
      }
      case 'sequence-classification':
        return classifyLastToken(ctx, x, io.inputIds);
      default:
        return unsupportedTask(ctx, TASKS);
    }
  },
};
