import type { OnnxGraph } from '../onnx_graph';
import { int } from '../onnx_graph';

// float32's lowest value, as HF masks: exp() of a masked score is exactly 0, and a score plus it stays finite.
const MASKED = -3.4028234663852886e38;

/**
 * attention_mask [batch, seq] (1 = attend, 0 = padding) → additive bias [batch, 1, 1, seq]: 0 where kept, the
 * lowest float where padded; broadcast over heads and query positions, so it masks keys only (as HF's encoders).
 */
export function additiveAttentionMask(g: OnnxGraph, attentionMask: string): string {
  return g.scope('attention_mask', () => {
    const padded = g.op1('Equal', [attentionMask, g.int64([0], [])]);
    const bias = g.op1('Where', [padded, g.scalar(MASKED), g.scalar(0)]);
    return g.op1('Unsqueeze', [bias, g.int64([1, 2])]);
  });
}

/** The size of `x`'s axis `axis` as an int64 scalar tensor. */
export function dimSize(g: OnnxGraph, x: string, axis: number): string {
  return g.op1('Gather', [g.op1('Shape', [x]), g.int64([axis], [])], { axis: int(0) });
}

/** position ids 0..seq-1 as [1, seq] (broadcast over the batch), seq read from `inputIds` at run time. */
export function positionIds(g: OnnxGraph, inputIds: string): string {
  return g.scope('position_ids', () => {
    const range = g.op1('Range', [g.int64([0], []), dimSize(g, inputIds, 1), g.int64([1], [])]);
    return g.op1('Unsqueeze', [range, g.int64([0])]);
  });
}
