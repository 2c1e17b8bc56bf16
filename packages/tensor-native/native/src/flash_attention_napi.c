/* N-API wrappers of flash_attention.c, kept apart from addon.c (which only lists them).
 *   flashAttention(heap, table)      table: Float64Array FLASH_FIELDS (below)
 *   flashAttentionGrad(heap, table)  same table; dOut, dQ, dK and dV offsets used too
 *   flashDropoutMask(out: Float32Array, rows, seqK, rate, seed)
 * Offsets are bytes into the wasm memory; each tensor's extent is checked against it before any access. */
#include <node_api.h>
#include <stdio.h>
#include <string.h>

#include "flash_attention.h"
#include "flash_attention_napi.h"

enum {
  F_Q, F_K, F_V, F_MASK, F_OUT, F_ROW_MAX, F_ROW_SUM, F_DOUT, F_DQ, F_DK, F_DV, /* byte offsets; mask −1: none */
  F_BATCH, F_HEADS, F_SEQ_Q, F_SEQ_K, F_DIM,
  F_MASK_B, F_MASK_H, F_MASK_Q, F_MASK_K, /* the mask's dims: 1 (broadcast) or the full size */
  F_CAUSAL, F_CAUSAL_OFFSET, F_SCALE, F_RATE, F_SEED,
  FLASH_FIELDS
};

static napi_value fail(napi_env env, const char *msg) {
  napi_throw_range_error(env, NULL, msg);
  return NULL;
}

static int whole(double x) { return x == (double)(long)x; }

/* The float pointer at byte offset t[field], checking `count` floats fit in the heap. */
static const float *at(const double *t, int field, long count, const uint8_t *heap, size_t heap_len, int *ok) {
  const double off = t[field];
  if (!(off >= 0) || !whole(off) || (long)off % 4 != 0 || (size_t)off + (size_t)count * 4 > heap_len) {
    *ok = 0;
    return NULL;
  }
  return (const float *)(heap + (size_t)off);
}

static napi_value run(napi_env env, napi_callback_info info, int backward) {
  size_t argc = 2;
  napi_value argv[2];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2)
    return fail(env, "attn-native: flashAttention(heap, table) takes 2 arguments");
  void *heap_data;
  size_t heap_len;
  bool is_ab = false;
  napi_is_arraybuffer(env, argv[0], &is_ab);
  if (!is_ab || napi_get_arraybuffer_info(env, argv[0], &heap_data, &heap_len) != napi_ok)
    return fail(env, "attn-native: flashAttention argument 0 must be the wasm memory ArrayBuffer");
  napi_typedarray_type type;
  size_t length;
  void *data;
  if (napi_get_typedarray_info(env, argv[1], &type, &length, &data, NULL, NULL) != napi_ok ||
      type != napi_float64_array || length != FLASH_FIELDS)
    return fail(env, "attn-native: flashAttention table must be a Float64Array of 25 numbers");
  const double *t = data;
  for (int f = F_BATCH; f <= F_MASK_K; f++)
    if (!(t[f] >= 0) || !whole(t[f])) return fail(env, "attn-native: flashAttention sizes must be non-negative integers");
  if (!whole(t[F_CAUSAL_OFFSET]) || !(t[F_RATE] >= 0 && t[F_RATE] < 1) || !(t[F_SEED] >= 0) || !whole(t[F_SEED]))
    return fail(env, "attn-native: flashAttention needs an integer causal offset, 0 <= rate < 1 and a non-negative integer seed");
  attn_flash_args a;
  memset(&a, 0, sizeof a);
  a.batch = (long)t[F_BATCH];
  a.heads = (long)t[F_HEADS];
  a.seq_q = (long)t[F_SEQ_Q];
  a.seq_k = (long)t[F_SEQ_K];
  a.dim = (long)t[F_DIM];
  a.causal = t[F_CAUSAL] != 0;
  a.causal_offset = (long)t[F_CAUSAL_OFFSET];
  a.scale = (float)t[F_SCALE];
  a.dropout_rate = (float)t[F_RATE];
  a.seed = (uint64_t)t[F_SEED];
  const long bh = a.batch * a.heads, nq = bh * a.seq_q * a.dim, nk = bh * a.seq_k * a.dim;
  const uint8_t *heap = heap_data;
  int ok = 1;
  a.q = at(t, F_Q, nq, heap, heap_len, &ok);
  a.k = at(t, F_K, nk, heap, heap_len, &ok);
  a.v = at(t, F_V, nk, heap, heap_len, &ok);
  a.out = (float *)at(t, F_OUT, nq, heap, heap_len, &ok);
  a.row_max = (float *)at(t, F_ROW_MAX, bh * a.seq_q, heap, heap_len, &ok);
  a.row_sum = (float *)at(t, F_ROW_SUM, bh * a.seq_q, heap, heap_len, &ok);
  if (t[F_MASK] != -1) {
    const long dims[4] = {a.batch, a.heads, a.seq_q, a.seq_k};
    long mdims[4], stride = 1;
    for (int x = 0; x < 4; x++) {
      mdims[x] = (long)t[F_MASK_B + x];
      if (mdims[x] != 1 && mdims[x] != dims[x])
        return fail(env, "attn-native: flashAttention mask dims must each be 1 or the full size");
    }
    for (int x = 3; x >= 0; x--) {
      a.mask_stride[x] = mdims[x] == 1 ? 0 : stride;
      stride *= mdims[x];
    }
    a.mask = at(t, F_MASK, stride, heap, heap_len, &ok);
  }
  if (backward) {
    a.dout = at(t, F_DOUT, nq, heap, heap_len, &ok);
    a.dq = (float *)at(t, F_DQ, nq, heap, heap_len, &ok);
    a.dk = (float *)at(t, F_DK, nk, heap, heap_len, &ok);
    a.dv = (float *)at(t, F_DV, nk, heap, heap_len, &ok);
  }
  if (!ok) return fail(env, "attn-native: flashAttention tensor offset outside the wasm heap");
  if (backward) attn_flash_backward(&a);
  else attn_flash_forward(&a);
  return NULL;
}

napi_value attn_js_flash_attention(napi_env env, napi_callback_info info) { return run(env, info, 0); }
napi_value attn_js_flash_attention_grad(napi_env env, napi_callback_info info) { return run(env, info, 1); }

napi_value attn_js_flash_dropout_mask(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 5)
    return fail(env, "attn-native: flashDropoutMask(out, rows, seqK, rate, seed) takes 5 arguments");
  napi_typedarray_type type;
  size_t length;
  void *data;
  if (napi_get_typedarray_info(env, argv[0], &type, &length, &data, NULL, NULL) != napi_ok || type != napi_float32_array)
    return fail(env, "attn-native: flashDropoutMask out must be a Float32Array");
  double v[4];
  for (int x = 0; x < 4; x++)
    if (napi_get_value_double(env, argv[1 + x], &v[x]) != napi_ok) return fail(env, "attn-native: flashDropoutMask takes numbers");
  if (!(v[0] >= 0) || !(v[1] >= 0) || !whole(v[0]) || !whole(v[1]) || !(v[2] >= 0 && v[2] < 1) || !(v[3] >= 0) ||
      !whole(v[3]) || (double)length < v[0] * v[1])
    return fail(env, "attn-native: flashDropoutMask needs rows·seqK floats, 0 <= rate < 1 and an integer seed");
  attn_flash_dropout_mask(data, (long)v[0], (long)v[1], (float)v[2], (uint64_t)v[3]);
  return NULL;
}
