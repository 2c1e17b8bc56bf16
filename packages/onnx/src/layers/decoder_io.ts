import type { OnnxExportContext } from '../onnx_exporter';
import { int, ints } from '../onnx_graph';
import { positionIds as positionRange } from './attention_mask';

// A float32's lowest value: an additive bias that zeroes a key after softmax (see attention_mask.ts).
const MASKED = -3.4028234663852886e38;

/** The graph inputs of a causal LM with a KV cache, as HF Optimum's text-generation-with-past export names them. */
export interface DecoderInputs {
  inputIds: string;
  /** [batch, past_sequence_length + sequence_length]: 1 for real tokens, past and new. */
  attentionMask: string;
  /** [batch, sequence_length]: each new token's position (an input with a cache; 0..seq-1 as [1, seq] without). */
  positionIds: string;
  /** past_key_values.{i}.key / .value [batch, kv_heads, past_sequence_length, head_dim], or none (no cache). */
  past: Array<{ key: string; value: string }>;
}

/**
 * Declares input_ids and attention_mask and, when `withPast`, position_ids and past_key_values.{i}.key/value
 * for every layer (a first step passes past tensors with past_sequence_length 0). Without a cache (sequence
 * classification, base model) positions are 0..seq-1, as HF's default.
 */
export function decoderInputs(ctx: OnnxExportContext, layers: number, kvHeads: number, headDim: number, withPast: boolean): DecoderInputs {
  const g = ctx.graph;
  const total = withPast ? 'past_sequence_length + sequence_length' : ctx.sequence;
  const inputIds = g.input('input_ids', 'int64', [ctx.batch, ctx.sequence]);
  const attentionMask = g.input('attention_mask', 'int64', [ctx.batch, total]);
  const positionIds = withPast ? g.input('position_ids', 'int64', [ctx.batch, ctx.sequence]) : positionRange(g, inputIds);
  const past = withPast
    ? Array.from({ length: layers }, (_, i) => ({
        key: g.input(`past_key_values.${i}.key`, 'float32', [ctx.batch, kvHeads, 'past_sequence_length', headDim]),
        value: g.input(`past_key_values.${i}.value`, 'float32', [ctx.batch, kvHeads, 'past_sequence_length', headDim]),
      }))
    : [];
  return { inputIds, attentionMask, positionIds, past };
}

/** Declares present.{i}.key / .value [batch, kv_heads, past + sequence, head_dim]. */
export function presentOutputs(ctx: OnnxExportContext, present: Array<{ key: string; value: string }>, kvHeads: number, headDim: number): void {
  const dims = [ctx.batch, kvHeads, 'past_sequence_length + sequence_length', headDim];
  present.forEach((p, i) => {
    ctx.graph.output(`present.${i}.key`, p.key, 'float32', dims);
    ctx.graph.output(`present.${i}.value`, p.value, 'float32', dims);
  });
}

/**
 * The additive mask [batch, 1, seq, past + seq] of a causal LM: the new token at position past + i sees key j
 * when j ≤ past + i and attention_mask[b, j] is 1.
 */
export function causalAttentionMask(ctx: OnnxExportContext, inputIds: string, attentionMask: string): string {
  const g = ctx.graph;
  return g.scope('causal_mask', () => {
    const dim = (x: string, axis: number) => g.op1('Gather', [g.op1('Shape', [x]), g.int64([axis], [])], { axis: int(0) });
    const total = dim(attentionMask, 1);
    const past = g.op1('Sub', [total, dim(inputIds, 1)]);
    const keys = g.op1('Range', [g.int64([0], []), total, g.int64([1], [])]); // [total]
    const queries = g.op1('Unsqueeze', [g.op1('Range', [past, total, g.int64([1], [])]), g.int64([1])]); // [seq, 1]
    const causal = g.op1('LessOrEqual', [keys, queries]); // [seq, total]
    const real = g.op1('Unsqueeze', [g.op1('Equal', [attentionMask, g.int64([1], [])]), g.int64([1, 2])]); // [batch, 1, 1, total]
    return g.op1('Where', [g.op1('And', [causal, real]), g.scalar(0), g.scalar(MASKED)]);
  });
}

/**
 * Multi-head attention of new queries over past + new keys (grouped-query when kvHeads < heads):
 * q [batch, heads, seq, d], k and v [batch, kvHeads, total, d] (the present cache). Returns [batch, seq, heads·d].
 */
export function cachedAttention(ctx: OnnxExportContext, q: string, k: string, v: string, mask: string, heads: number, kvHeads: number, headDim: number): string {
  const g = ctx.graph;
  const repeat = (t: string) => {
    if (kvHeads === heads) return t;
    // Each key/value head serves heads / kvHeads query heads in a row (HF repeat_kv).
    const expanded = g.op1('Expand', [g.op1('Unsqueeze', [t, g.int64([2])]), g.int64([1, 1, heads / kvHeads, 1, 1])]);
    return g.op1('Reshape', [expanded, g.int64([0, heads, -1, headDim])]);
  };
  const kT = g.op1('Transpose', [repeat(k)], { perm: ints([0, 1, 3, 2]) });
  const scores = g.op1('Div', [g.op1('MatMul', [q, kT]), g.scalar(Math.sqrt(headDim))]); // [batch, heads, seq, total]
  const probs = g.op1('Softmax', [g.op1('Add', [scores, mask])], { axis: int(-1) });
  const merged = g.op1('Transpose', [g.op1('MatMul', [probs, repeat(v)])], { perm: ints([0, 2, 1, 3]) });
  return g.op1('Reshape', [merged, g.int64([0, 0, heads * headDim])]);
}

/** [batch, seq, n·d] → [batch, n, seq, d]. */
export function splitHeads(ctx: OnnxExportContext, x: string, n: number, headDim: number): string {
  const g = ctx.graph;
  return g.op1('Transpose', [g.op1('Reshape', [x, g.int64([0, 0, n, headDim])])], { perm: ints([0, 2, 1, 3]) });
}

/** Concat(past, new) on the sequence axis: the present cache; without a past input, the new keys alone. */
export function appendToCache(ctx: OnnxExportContext, past: string | undefined, fresh: string): string {
  return past ? ctx.graph.op1('Concat', [past, fresh], { axis: int(2) }) : fresh;
}

/**
 * The hidden state of each row's last non-padding token (HF's sequence classification for decoders:
 * the last position whose input id is not pad_token_id) → [batch, hidden].
 */
export function lastNonPadToken(ctx: OnnxExportContext, hidden: string, inputIds: string, padTokenId: number): string {
  const g = ctx.graph;
  return g.scope('last_non_pad_token', () => {
    const seq = g.op1('Gather', [g.op1('Shape', [inputIds]), g.int64([1], [])], { axis: int(0) });
    const positions = g.op1('Range', [g.int64([0], []), seq, g.int64([1], [])]);
    const notPad = g.op1('Cast', [g.op1('Not', [g.op1('Equal', [inputIds, g.int64([padTokenId], [])])])], { to: int(7) });
    const last = g.op1('ArgMax', [g.op1('Mul', [positions, notPad])], { axis: int(-1), keepdims: int(1) }); // [batch, 1]
    return g.op1('GatherND', [hidden, last], { batch_dims: int(1) });
  });
}
