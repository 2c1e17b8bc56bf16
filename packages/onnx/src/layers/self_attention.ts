import type { OnnxGraph } from '../onnx_graph';
import { ints } from '../onnx_graph';
import type { CheckpointWeights } from '../checkpoint_weights';
import { linear } from './linear';

/** Checkpoint keys of one self-attention block's projections (nn.Linear prefixes). */
export interface SelfAttentionKeys {
  query: string;
  key: string;
  value: string;
  output: string;
}

/**
 * Bidirectional multi-head self-attention on x [batch, seq, hidden]: softmax(Q Kᵀ / sqrt(d) + mask) V, heads
 * merged and projected by `keys.output`. `mask` is the additive [batch, 1, 1, seq] bias.
 */
export function selfAttention(g: OnnxGraph, w: CheckpointWeights, x: string, mask: string, keys: SelfAttentionKeys, numHeads: number, hiddenSize: number): string {
  const headDim = hiddenSize / numHeads;
  // [batch, seq, hidden] → [batch, seq, heads, headDim]; Reshape's 0 keeps the dynamic batch and seq.
  const split = g.int64([0, 0, numHeads, headDim]);
  const heads = (t: string, perm: number[]) => g.op1('Transpose', [g.op1('Reshape', [t, split])], { perm: ints(perm) });
  const q = heads(linear(g, w, x, keys.query), [0, 2, 1, 3]); // [batch, heads, seq, headDim]
  const kT = heads(linear(g, w, x, keys.key), [0, 2, 3, 1]); // [batch, heads, headDim, seq]
  const v = heads(linear(g, w, x, keys.value), [0, 2, 1, 3]);
  const context = g.scope(keys.query.replace(/\.[^.]+$/, ''), () => {
    const scores = g.op1('Div', [g.op1('MatMul', [q, kT]), g.scalar(Math.sqrt(headDim))]); // [batch, heads, seq, seq]
    const probs = g.op1('Softmax', [g.op1('Add', [scores, mask])], { axis: { int: -1 } });
    const merged = g.op1('Transpose', [g.op1('MatMul', [probs, v])], { perm: ints([0, 2, 1, 3]) });
    return g.op1('Reshape', [merged, g.int64([0, 0, hiddenSize])]);
  });
  return linear(g, w, context, keys.output);
}
