import { tf, scaledDotProductAttention, memoryEfficientAttention, flashAttentionKernelApplies } from '@attn/tensor';

/** What an attention implementation receives; q [batch, heads, seqQ, d], k and v [batch, kvHeads, seqK, d]. */
export interface AttentionImplementationOptions {
  /** Broadcastable to [batch, heads, seqQ, seqK]; 0 keeps, large negative drops (see additiveAttentionMask). */
  additiveMask?: tf.Tensor;
  /** Query i attends keys j <= i + (seqK - seqQ) only (decoders; the offset is a KV cache's length). */
  causal?: boolean;
  dropoutRate?: number;
  seed?: number;
  returnProbs?: boolean;
}

export type AttentionImplementation = (
  q: tf.Tensor,
  k: tf.Tensor,
  v: tf.Tensor,
  opts: AttentionImplementationOptions,
) => { output: tf.Tensor; probs?: tf.Tensor };

export class UnknownAttentionImplementationError extends Error {
  override name = 'UnknownAttentionImplementationError';
}

// Large enough that exp() of a masked score is exactly 0 in float32, as additiveAttentionMask.
const MASKED = 1e9;

/** [1, 1, seqQ, seqK] additive bias: 0 where key j <= i + (seqK - seqQ), -1e9 after. */
export function causalAttentionMask(seqQ: number, seqK: number): tf.Tensor {
  return tf.tidy(() => {
    const offset = seqK - seqQ;
    const i = tf.reshape(tf.range(0, seqQ, 1, 'int32'), [seqQ, 1]);
    const j = tf.reshape(tf.range(0, seqK, 1, 'int32'), [1, seqK]);
    const allowed = tf.cast(tf.lessEqual(j, tf.add(i, offset)), 'float32');
    // (allowed - 1) · 1e9, so kept keys get +0 (not -0), as additiveAttentionMask.
    return tf.reshape(tf.mul(tf.sub(allowed, 1), MASKED), [1, 1, seqQ, seqK]);
  });
}

/** Grouped-query attention: each of kvHeads key/value heads serves heads / kvHeads query heads (Llama's repeat_kv). */
export function repeatKeyValueHeads(x: tf.Tensor, numHeads: number): tf.Tensor {
  const [b, kvHeads, s, d] = x.shape as [number, number, number, number];
  if (kvHeads === numHeads) return x;
  const rep = numHeads / kvHeads;
  // rep copies concatenated in rank 3 (concat has a gradient; a rank-5 tile has none), not tf.tile: wasm's Tile
  // kernel indexes element by element and took ~70% of a Llama decoding step at batch 8; concat copies rows.
  return tf.tidy(() => {
    const rows = tf.reshape(x, [b * kvHeads, 1, s * d]);
    return tf.reshape(tf.concat(Array.from({ length: rep }, () => rows), 1), [b, numHeads, s, d]);
  });
}

/** softmax(Q Kᵀ / sqrt(d) + mask) V with tfjs ops and attn's attention kernel: HF's "eager". */
const eager: AttentionImplementation = (q, k, v, opts) =>
  tf.tidy(() => {
    const heads = q.shape[1]!;
    const kk = repeatKeyValueHeads(k, heads);
    const vv = repeatKeyValueHeads(v, heads);
    let mask = opts.additiveMask;
    if (opts.causal) {
      const causal = causalAttentionMask(q.shape[2]!, k.shape[2]!);
      mask = mask ? tf.add(mask, causal) : causal;
    }
    const r = scaledDotProductAttention(q, kk, vv, { additiveMask: mask, dropoutRate: opts.dropoutRate, seed: opts.seed, returnProbs: opts.returnProbs });
    return r.probs ? { output: r.output, probs: r.probs } : { output: r.output };
  });

/**
 * Tiled attention with an online softmax (memoryEfficientAttention): memory linear in the sequence length in the
 * forward and the backward, for long sequences. Probabilities are [seq, seq] by definition, so a request for them
 * runs eager (as HF's sdpa falls back to eager for output_attentions).
 */
const memoryEfficient: AttentionImplementation = (q, k, v, opts) => {
  if (opts.returnProbs) return eager(q, k, v, opts);
  return tf.tidy(() => {
    const heads = q.shape[1]!;
    const output = memoryEfficientAttention(q, repeatKeyValueHeads(k, heads), repeatKeyValueHeads(v, heads), {
      additiveMask: opts.additiveMask,
      causal: opts.causal,
      dropoutRate: opts.dropoutRate,
      seed: opts.seed,
    });
    return { output };
  });
};

/** Queries from which "sdpa" takes the native tiled kernel (measured: BERT-mini forward + backward, 2 threads). */
export const SDPA_MIN_QUERY_LENGTH = 64;

/**
 * HF's default, "sdpa": one fused kernel where it is faster, eager elsewhere, with the same result up to rounding (as
 * PyTorch's scaled_dot_product_attention picks a backend per call). Here: the native tiled kernel (memory_efficient)
 * when @attn/tensor-native registered it and there are at least SDPA_MIN_QUERY_LENGTH queries; eager for shorter
 * inputs (decoding steps, short sentences: no faster there), for a probability request, and on every other backend
 * (the tfjs tiled path is for memory, not speed). Measured 2026-12-07, Intel Xeon, BERT-mini training, fused vs eager:
 * 32 x 128 +8-11%, 64 x 64 +6%, 128 x 32 equal; the attention dropout is drawn by the kernel's own counter-based
 * hash, so with dropout the masks differ from eager's, as PyTorch's sdpa and eager masks do.
 */
const sdpa: AttentionImplementation = (q, k, v, opts) =>
  !opts.returnProbs && q.shape[2]! >= SDPA_MIN_QUERY_LENGTH && flashAttentionKernelApplies(q, k, v, opts.additiveMask)
    ? memoryEfficient(q, k, v, opts)
    : eager(q, k, v, opts);

const implementations = new Map<string, AttentionImplementation>([
  ['sdpa', sdpa],
  ['eager', eager],
  ['memory_efficient', memoryEfficient],
]);

/** Adds an attention implementation (a fused kernel, say) under a name configs select, as HF's attn_implementation. */
export function registerAttentionImplementation(name: string, impl: AttentionImplementation): void {
  if (implementations.has(name)) throw new UnknownAttentionImplementationError(`Attention implementation "${name}" is already registered.`);
  implementations.set(name, impl);
}

export function attentionImplementation(name = 'sdpa'): AttentionImplementation {
  const impl = implementations.get(name);
  if (!impl) {
    throw new UnknownAttentionImplementationError(`Unknown attention implementation "${name}"; registered: ${[...implementations.keys()].join(', ')}.`);
  }
  return impl;
}

export function registeredAttentionImplementations(): string[] {
  return [...implementations.keys()];
}
