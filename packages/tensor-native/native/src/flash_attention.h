/* Tiled attention with an online softmax, forward and backward (FlashAttention, Dao et al. 2022;
 * the backward's loop order and D = rowsum(dO ⊙ O) of FlashAttention-2, Dao 2023).
 *
 *   out = (softmax(scale · Q Kᵀ + mask + causal) ⊙ M) V        per (batch, head)
 *
 * No [seqQ, seqK] tensor is ever made: queries are taken in blocks of rows, keys in blocks of columns,
 * and each block's scores live in a per-thread scratch tile. The forward saves, besides the output,
 * the row max and the row sum of exp(s − max) (two floats per query row, not one logsumexp: for a fully
 * padded row the max is about −1e9, where adding log(sum) is lost in float32). The backward recomputes
 * each tile's probabilities from them.
 *
 * Dropout (M above, inverted: kept entries scale by 1/(1 − rate)) comes from a counter-based hash, not
 * a stream: the keep bit of entry (row, key) is a function of (seed, row, key) alone, so the backward —
 * or any tile order, any thread — regenerates exactly the forward's mask from the same seed:
 *   key   = splitmix64(seed · φ64 + row),   row = (batch · heads + head) · seqQ + query
 *   u     = fmix32((uint32(key) + key_index · φ32) ^ (key >> 32))      (murmur3's finaliser)
 *   keep  = u ≥ floor(rate · 2³²)
 * with φ64 = 0x9E3779B97F4A7C15, φ32 = 0x9E3779B9. attn_flash_dropout_mask writes the same mask out. */
#ifndef ATTN_FLASH_ATTENTION_H
#define ATTN_FLASH_ATTENTION_H

#include <stdint.h>

typedef struct {
  /* q [batch, heads, seq_q, dim], k and v [batch, heads, seq_k, dim], row-major. */
  const float *q, *k, *v;
  /* Additive mask or NULL; element (b, h, i, j) at b·mask_stride[0] + h·mask_stride[1] + i·mask_stride[2] +
   * j·mask_stride[3] (a stride of 0 broadcasts that axis). */
  const float *mask;
  long mask_stride[4];
  /* Forward writes out [batch, heads, seq_q, dim] and row_max, row_sum [batch, heads, seq_q]; the backward
   * reads them. */
  float *out, *row_max, *row_sum;
  /* Backward only: dout like out; dq, dk, dv like q, k, v (overwritten). */
  const float *dout;
  float *dq, *dk, *dv;
  long batch, heads, seq_q, seq_k, dim;
  /* causal: query i sees keys j <= i + causal_offset only (decoders: seq_k − seq_q). A query row that sees
   * no key at all gets 0 and no gradient. */
  int causal;
  long causal_offset;
  float scale;
  float dropout_rate;
  uint64_t seed;
} attn_flash_args;

void attn_flash_forward(const attn_flash_args *a);
void attn_flash_backward(const attn_flash_args *a);
/* The scaled keep mask (0 or 1/(1 − rate)) of rows [0, rows) × keys [0, seq_k): out [rows, seq_k], row r
 * being query r % seq_q of (batch · heads + head) = r / seq_q. For tests and documentation. */
void attn_flash_dropout_mask(float *out, long rows, long seq_k, float rate, uint64_t seed);

#endif
