/* Argument checks shared by the N-API entries of the fused kernels (encoder_layer.c, embeddings.c). */
#ifndef ATTN_NAPI_ARGS_H
#define ATTN_NAPI_ARGS_H

#include <node_api.h>
#include <stddef.h>

/* Throws a RangeError with msg; returns NULL for `return attn_throw_range(...)`. */
static inline napi_value attn_throw_range(napi_env env, const char *msg) {
  napi_throw_range_error(env, NULL, msg);
  return NULL;
}

/* A non-negative whole number (a size or a byte offset from JS). */
static inline int attn_whole(double v) { return v >= 0 && v == (double)(long)v; }

/* The wasm memory ArrayBuffer's data and length; 0 when value is not an ArrayBuffer. */
static inline int attn_heap_arg(napi_env env, napi_value value, void **data, size_t *len) {
  bool is_ab = false;
  return napi_is_arraybuffer(env, value, &is_ab) == napi_ok && is_ab && napi_get_arraybuffer_info(env, value, data, len) == napi_ok;
}

/* A Float64Array of at least `want` numbers, or NULL. */
static inline const double *attn_float64_array(napi_env env, napi_value value, size_t want) {
  napi_typedarray_type type;
  size_t length;
  void *data;
  if (napi_get_typedarray_info(env, value, &type, &length, &data, NULL, NULL) != napi_ok || type != napi_float64_array || length < want)
    return NULL;
  return data;
}

#endif
