/* One post-LN Transformer encoder layer (BERT, RoBERTa, ELECTRA, ALBERT, DistilBERT) for inference, in one call:
 *   q, k, v = x Wq + bq, x Wk + bk, x Wv + bv
 *   ctx     = softmax((q / √d) kᵀ + mask) v            per batch row and head
 *   h       = LayerNorm1((ctx Wo + bo) + x)
 *   y       = LayerNorm2((act(h W1 + b1) W2 + b2) + h)
 * Weights are [in, out] row-major (tfjs's Linear layout). Intermediates live in scratch owned by this file. */
#ifndef ATTN_ENCODER_LAYER_H
#define ATTN_ENCODER_LAYER_H

#include <node_api.h>

enum { ATTN_ACT_GELU = 0, ATTN_ACT_GELU_TANH = 1, ATTN_ACT_RELU = 2 };

typedef struct {
  long batch, seq, hidden, heads, inter;
  int act;
  float eps1, eps2;
  const float *x;    /* [batch·seq, hidden] */
  const float *mask; /* [batch, seq] additive key mask, or NULL */
  const float *wq, *bq, *wk, *bk, *wv, *bv, *wo, *bo, *ln1_g, *ln1_b;
  const float *w1, *b1, *w2, *b2, *ln2_g, *ln2_b;
  float *y; /* [batch·seq, hidden] */
  /* Int8 projections (qgemm.h packed weights) for wq, wk, wv, wo, w1, w2; NULL: the float weight. */
  const void *q8[6];
  /* Float projections packed once (gemm.h attn_gemm_pack) for wq, wk, wv, wo, w1, w2; NULL: packed per call. */
  const void *f32[6];
  /* Padding skipped: with a mask, only the rows a caller reads are computed (every real token of a sequence, and its
   * first position), packed together; the other rows of y are x unchanged. A real row's output equals the full
   * layer's, whose padded keys add exp(-inf) = 0 to its attention (a key counts as padding below -1e4). */
  int skip_padded;
  /* First rows only: the caller reads only each sequence's first row of y (the last layer under a sequence
   * classifier), so only those rows are computed past K and V; the other rows of y are x unchanged. */
  int first_only;
} attn_encoder_layer_args;

/* LayerNorm of one row of n floats in place (the layer's own: lane-parallel sums, within ~1e-7 of attn_layer_norm). */
void attn_layer_norm_row(float *y, long n, const float *gamma, const float *beta, float eps);

/* 0 on success, -1 when scratch memory could not be allocated. */
int attn_encoder_layer(const attn_encoder_layer_args *args);

/* encoderLayer(heap, offsets: Float64Array[19], dims: Float64Array[8][, int8: (ArrayBuffer | null)[6][, packed:
 * (ArrayBuffer | null)[6]]]): the N-API entry, validated here. int8[i] (int8Pack's buffer) replaces the float weight of
 * wq, wk, wv, wo, w1, w2; its offset is then unused. packed[i] (gemmPack's buffer of that same float weight) is read
 * instead of packing the weight on every call.
 * offsets: x, mask (-1: none), wq, bq, wk, bk, wv, bv, wo, bo, ln1_g, ln1_b, w1, b1, w2, b2, ln2_g, ln2_b, y (bytes);
 * dims: batch, seq, hidden, heads, inter, act, eps1, eps2[, flags: 1 skip padded rows, 2 first rows only, or both]. */
napi_value attn_js_encoder_layer(napi_env env, napi_callback_info info);

#endif
