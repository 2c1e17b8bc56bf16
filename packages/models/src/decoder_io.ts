import { tf } from '@attn/tensor';
import { additiveAttentionMask } from '@attn/layers';
import type { ModelInputs } from './model_io';
import type { KeyValueCache } from './generation/kv_cache';

/** What a decoder's forward takes beyond ModelInputs (HF's position_ids and past_key_values). */
export interface DecoderInputs extends ModelInputs {
  /** int32 [batch, seq]; default past..past + seq - 1 (HF's cache_position). generate() derives them from the mask. */
  positionIds?: tf.Tensor;
  /**
   * Keys and values of the earlier positions, extended in place with this call's. `attentionMask` then covers
   * past and current positions, [batch, past + seq], as in HF.
   */
  pastKeyValues?: KeyValueCache;
  /** Compute the LM head's logits for the last this-many positions only (HF logits_to_keep); generation needs 1. */
  logitsToKeep?: number;
}

/** The last `keep` positions of hidden states [batch, seq, hidden] (all when keep is undefined or 0). Call inside a tidy. */
export function lastPositions(h: tf.Tensor, keep: number | undefined, labels?: tf.Tensor): tf.Tensor {
  const [b, s, hidden] = h.shape as [number, number, number];
  if (keep && labels) throw new DecoderInputError('logitsToKeep with labels: the loss needs every position\'s logits; drop one of them.');
  if (!keep || keep >= s) return h;
  return tf.slice(h, [0, s - keep, 0], [b, keep, hidden]);
}

/** What each decoder layer's attention is called with. */
export interface DecoderAttentionCall {
  /** [batch, 1, 1, past + seq] padding bias; the causal part is the attention's own (causal: true). */
  additiveMask?: tf.Tensor;
  /** Rotary cos and sin [batch, 1, seq, headDim] (Llama). */
  rotary?: { cos: tf.Tensor; sin: tf.Tensor };
  cache?: KeyValueCache;
  layerIdx: number;
}

/** Thrown for decoder inputs whose shapes do not fit together or the model. */
export class DecoderInputError extends Error {
  override name = 'DecoderInputError';
}

/**
 * The padding bias and position ids of a decoder call: the mask must cover past + current positions; positions
 * default to past..past + seq - 1. Call inside a tidy.
 */
export function decoderMaskAndPositions(inputs: DecoderInputs, maxPositions: number): { additiveMask?: tf.Tensor; positionIds: tf.Tensor } {
  const [b, s] = inputs.inputIds.shape as [number, number];
  const past = inputs.pastKeyValues?.length ?? 0;
  let additiveMask: tf.Tensor | undefined;
  if (inputs.attentionMask) {
    const [mb, ms] = inputs.attentionMask.shape as [number, number];
    if (mb !== b || ms !== past + s) {
      throw new DecoderInputError(
        `attentionMask is [${mb}, ${ms}] but must be [batch ${b}, past ${past} + seq ${s}]: with a KV cache the mask covers the cached positions too.`,
      );
    }
    additiveMask = additiveAttentionMask(inputs.attentionMask);
  }
  const positionIds = inputs.positionIds ?? tf.add(tf.zeros([b, s], 'int32'), tf.range(past, past + s, 1, 'int32').reshape([1, s]));
  if (past + s > maxPositions) {
    throw new DecoderInputError(`Sequence of ${past + s} positions (past ${past} + ${s}) exceeds max_position_embeddings ${maxPositions}; truncate the inputs or generate fewer tokens.`);
  }
  return { additiveMask, positionIds };
}
