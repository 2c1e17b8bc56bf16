#include "dropout_mask_napi.h"

#include <math.h>
#include <stdint.h>

#include "dropout_mask.h"

static napi_value fail(napi_env env, const char *msg) {
  napi_throw_range_error(env, NULL, msg);
  return NULL;
}

static int whole(double x) { return x >= 0 && x == floor(x); }

/* Reads argv[first..first+3] as the four uint32 state words. */
static int read_state(napi_env env, const napi_value *argv, uint32_t s[4]) {
  for (int w = 0; w < 4; w++) {
    double v;
    if (napi_get_value_double(env, argv[w], &v) != napi_ok || !whole(v) || v > 4294967295.0) return 0;
    s[w] = (uint32_t)v;
  }
  return (s[0] | s[1] | s[2] | s[3]) != 0;
}

/* dropoutMask(heap, outOffset, n, s0, s1, s2, s3, threshold, keep): n floats at outOffset of the wasm memory. */
napi_value attn_js_dropout_mask(napi_env env, napi_callback_info info) {
  size_t argc = 9;
  napi_value argv[9];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 9)
    return fail(env, "attn-native: dropoutMask(heap, outOffset, n, s0, s1, s2, s3, threshold, keep) takes 9 arguments");
  bool is_ab = false;
  void *heap;
  size_t heap_len;
  if (napi_is_arraybuffer(env, argv[0], &is_ab) != napi_ok || !is_ab || napi_get_arraybuffer_info(env, argv[0], &heap, &heap_len) != napi_ok)
    return fail(env, "attn-native: dropoutMask argument 0 must be the wasm memory ArrayBuffer");
  double off, n, threshold, keep;
  if (napi_get_value_double(env, argv[1], &off) != napi_ok || napi_get_value_double(env, argv[2], &n) != napi_ok ||
      napi_get_value_double(env, argv[7], &threshold) != napi_ok || napi_get_value_double(env, argv[8], &keep) != napi_ok)
    return fail(env, "attn-native: dropoutMask offset, size, threshold and keep must be numbers");
  if (!whole(off) || !whole(n) || fmod(off, 4) != 0 || off + 4 * n > (double)heap_len)
    return fail(env, "attn-native: dropoutMask output outside the wasm heap (or not 4-byte aligned)");
  if (!(threshold >= 0 && threshold < 4294967296.0)) return fail(env, "attn-native: dropoutMask threshold must be rate · 2^32 with 0 <= rate < 1");
  uint32_t s[4];
  if (!read_state(env, argv + 3, s)) return fail(env, "attn-native: dropoutMask state must be 4 uint32 words, not all zero");
  attn_dropout_mask((float *)((uint8_t *)heap + (size_t)off), (long)n, s, threshold, (float)keep);
  return NULL;
}

/* xoshiroJump(s0, s1, s2, s3, steps): the state `steps` outputs later, as 4 numbers (for tests). */
napi_value attn_js_xoshiro_jump(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  double steps;
  uint32_t s[4];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 5 || !read_state(env, argv, s) ||
      napi_get_value_double(env, argv[4], &steps) != napi_ok || !whole(steps) || steps > 9007199254740991.0)
    return fail(env, "attn-native: xoshiroJump(s0, s1, s2, s3, steps) takes 4 uint32 words (not all zero) and a step count");
  attn_xoshiro128_jump(s, (uint64_t)steps);
  napi_value out;
  if (napi_create_array_with_length(env, 4, &out) != napi_ok) return NULL;
  for (uint32_t w = 0; w < 4; w++) {
    napi_value v;
    napi_create_uint32(env, s[w], &v);
    napi_set_element(env, out, w, v);
  }
  return out;
}
