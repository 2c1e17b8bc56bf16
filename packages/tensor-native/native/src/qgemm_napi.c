/* N-API wrappers of qgemm.c. The packed weight lives in its own ArrayBuffer (outside the wasm heap, which stays
 * for activations); x, out and bias are byte offsets into the wasm heap, bounds-checked here. */
#include "qgemm_napi.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "qgemm.h"

static napi_value qfail(napi_env env, const char *msg) {
  napi_throw_range_error(env, NULL, msg);
  return NULL;
}

static int qlong(napi_env env, napi_value v, long *out) {
  double d;
  if (napi_get_value_double(env, v, &d) != napi_ok || d < 0 || d != (double)(long)d) return 0;
  *out = (long)d;
  return 1;
}

static int typed(napi_env env, napi_value v, napi_typedarray_type want, size_t *length, void **data) {
  napi_typedarray_type type;
  bool is_typed = false;
  if (napi_is_typedarray(env, v, &is_typed) != napi_ok || !is_typed) return 0;
  if (napi_get_typedarray_info(env, v, &type, length, data, NULL, NULL) != napi_ok) return 0;
  return type == want;
}

napi_value attn_js_int8_pack(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 4)
    return qfail(env, "attn-native: int8Pack(weights, scales, n, k) takes 4 arguments");
  long n, k;
  if (!qlong(env, argv[2], &n) || !qlong(env, argv[3], &k) || n < 1)
    return qfail(env, "attn-native: int8Pack n (>= 1) and k must be non-negative integers");
  size_t wlen, slen;
  void *w, *s;
  if (!typed(env, argv[0], napi_int8_array, &wlen, &w) || (long)wlen != n * k)
    return qfail(env, "attn-native: int8Pack weights must be an Int8Array of n * k values ([n, k], torch layout)");
  if (!typed(env, argv[1], napi_float32_array, &slen, &s) || (long)slen != n)
    return qfail(env, "attn-native: int8Pack scales must be a Float32Array of n values");
  void *data;
  napi_value out;
  if (napi_create_arraybuffer(env, attn_qgemm_packed_size(n, k), &data, &out) != napi_ok)
    return qfail(env, "attn-native: int8Pack could not allocate the packed weight");
  attn_qgemm_pack(w, s, n, k, data);
  return out;
}

napi_value attn_js_int8_linear(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 6)
    return qfail(env, "attn-native: int8Linear(heap, xOff, outOff, biasOff, m, packed) takes 6 arguments");
  void *heap, *packed;
  size_t heap_len, packed_len;
  bool is_ab = false;
  if (napi_is_arraybuffer(env, argv[0], &is_ab) != napi_ok || !is_ab ||
      napi_get_arraybuffer_info(env, argv[0], &heap, &heap_len) != napi_ok)
    return qfail(env, "attn-native: int8Linear argument 0 must be the wasm memory ArrayBuffer");
  is_ab = false;
  if (napi_is_arraybuffer(env, argv[5], &is_ab) != napi_ok || !is_ab ||
      napi_get_arraybuffer_info(env, argv[5], &packed, &packed_len) != napi_ok)
    return qfail(env, "attn-native: int8Linear packed weight must be the ArrayBuffer int8Pack returned");
  long n, k;
  if (!attn_qgemm_packed_shape(packed, packed_len, &n, &k))
    return qfail(env, "attn-native: int8Linear packed weight is not one int8Pack made (bad header or size)");
  long x_off, out_off, m, bias_off = -1;
  if (!qlong(env, argv[1], &x_off) || !qlong(env, argv[2], &out_off) || !qlong(env, argv[4], &m))
    return qfail(env, "attn-native: int8Linear offsets and m must be non-negative integers");
  napi_valuetype bt;
  napi_typeof(env, argv[3], &bt);
  if (bt != napi_null && bt != napi_undefined && !qlong(env, argv[3], &bias_off))
    return qfail(env, "attn-native: int8Linear bias offset must be a non-negative integer or null");
  const struct { long off, count; } spans[3] = {{x_off, m * k}, {out_off, m * n}, {bias_off, n}};
  for (int i = 0; i < 3; i++) {
    if (spans[i].off < 0) continue;
    if (spans[i].off % 4 != 0 || (unsigned long)spans[i].off + (unsigned long)spans[i].count * 4ul > heap_len) {
      char msg[160];
      snprintf(msg, sizeof msg, "attn-native: int8Linear %s (byte offset %ld, %ld floats) is outside the %zu-byte heap",
               i == 0 ? "x" : i == 1 ? "out" : "bias", spans[i].off, spans[i].count, heap_len);
      return qfail(env, msg);
    }
  }
  uint8_t *h = heap;
  attn_qgemm_linear((const float *)(h + x_off), m, packed, bias_off >= 0 ? (const float *)(h + bias_off) : NULL,
                    (float *)(h + out_off));
  return NULL;
}

napi_value attn_js_int8_isa(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value s;
  napi_create_string_utf8(env, attn_qgemm_isa(), NAPI_AUTO_LENGTH, &s);
  return s;
}
