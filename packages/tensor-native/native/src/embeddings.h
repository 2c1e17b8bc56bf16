/* The embeddings of the BERT-style encoders (BERT, RoBERTa, ELECTRA, ALBERT) for inference, in one call:
 *   y[b, s] = LayerNorm((words[ids[b, s]] + positions[pos[b, s]]) + types[type[b, s]])
 * pos: posIds, or s itself when there are none; type: typeIds, or 0 when there are none; no type table: no term.
 * The sums are the unfused path's two Adds; the LayerNorm is the fused layer's (attn_layer_norm_row: within ~1e-7 of
 * attn_layer_norm). */
#ifndef ATTN_EMBEDDINGS_H
#define ATTN_EMBEDDINGS_H

#include <node_api.h>
#include <stdint.h>

typedef struct {
  long batch, seq, dim, vocab, npos, ntypes;
  const int32_t *ids, *pos_ids, *type_ids; /* [batch, seq]; pos_ids / type_ids may be NULL */
  const float *words, *positions, *types;  /* [vocab, dim], [npos, dim], [ntypes, dim] or NULL */
  const float *gamma, *beta;
  float eps;
  float *y; /* [batch, seq, dim] */
} attn_embeddings_args;

/* 0; 1, 2 or 3 when an id, a position or a type id at flat index *bad is outside its table. */
int attn_embeddings(const attn_embeddings_args *a, long *bad);

/* embeddings(heap, offsets: Float64Array[9], dims: Float64Array[7]): offsets (bytes; -1: none) of ids, words, positions,
 * posIds, types, typeIds, gamma, beta, y; dims: batch, seq, dim, vocab, npos, ntypes, eps. An id outside its table
 * throws a RangeError saying which and where. */
napi_value attn_js_embeddings(napi_env env, napi_callback_info info);

#endif
