/* N-API surface of the addon. Every kernel takes the wasm backend's memory (an
 * ArrayBuffer) and byte offsets into it, so tensors are read and written in place.
 * Offsets and sizes are validated against the buffer length before any access. */
#include <node_api.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elementwise.h"
#include "adamw.h"
#include "fused.h"
#include "embeddings.h"
#include "encoder_layer.h"
#include "gemm.h"
#include "vector_math.h"
#include "thread_pool.h"
#include "qgemm_napi.h"
#include "flash_attention_napi.h"
#include "dropout_mask_napi.h"

#define MAX_ARGS 16

#define CHECK(call)                                                    \
  do {                                                                 \
    if ((call) != napi_ok) {                                           \
      napi_throw_error(env, NULL, "attn-native: N-API call failed: " #call); \
      return NULL;                                                     \
    }                                                                  \
  } while (0)

typedef struct {
  napi_env env;
  napi_value argv[MAX_ARGS];
  size_t argc;
  uint8_t *heap;
  size_t heap_len;
} call_t;

static int fail(napi_env env, const char *msg) {
  napi_throw_range_error(env, NULL, msg);
  return 0;
}

static int get_args(napi_env env, napi_callback_info info, call_t *c, size_t want, int has_heap) {
  c->env = env;
  c->argc = MAX_ARGS;
  if (napi_get_cb_info(env, info, &c->argc, c->argv, NULL, NULL) != napi_ok) return fail(env, "attn-native: bad call");
  if (c->argc < want) {
    char msg[96];
    snprintf(msg, sizeof msg, "attn-native: expected %zu arguments, got %zu", want, c->argc);
    return fail(env, msg);
  }
  if (has_heap) {
    bool is_ab = false;
    napi_is_arraybuffer(env, c->argv[0], &is_ab);
    if (!is_ab) return fail(env, "attn-native: argument 0 must be the wasm memory ArrayBuffer");
    void *data;
    if (napi_get_arraybuffer_info(env, c->argv[0], &data, &c->heap_len) != napi_ok)
      return fail(env, "attn-native: cannot read the ArrayBuffer");
    c->heap = data;
  }
  return 1;
}

static int get_long(call_t *c, size_t i, long *out) {
  double v;
  if (napi_get_value_double(c->env, c->argv[i], &v) != napi_ok || v < 0 || v != (double)(long)v) {
    char msg[80];
    snprintf(msg, sizeof msg, "attn-native: argument %zu must be a non-negative integer", i);
    return fail(c->env, msg);
  }
  *out = (long)v;
  return 1;
}

/* Returns the float pointer at byte offset argv[i], checking `count` floats fit. */
static float *get_ptr(call_t *c, size_t i, long count) {
  long off;
  if (!get_long(c, i, &off)) return NULL;
  if (off % 4 != 0 || (unsigned long)off + (unsigned long)count * 4ul > c->heap_len) {
    char msg[128];
    snprintf(msg, sizeof msg, "attn-native: argument %zu (byte offset %ld, %ld floats) is outside the %zu-byte heap", i,
             off, count, c->heap_len);
    fail(c->env, msg);
    return NULL;
  }
  return (float *)(c->heap + off);
}

/* Optional Int32Array of batch indices (null/undefined: none). */
static int get_index(call_t *c, size_t i, long n, long limit, const int32_t **out) {
  napi_valuetype t;
  napi_typeof(c->env, c->argv[i], &t);
  *out = NULL;
  if (t == napi_null || t == napi_undefined) return 1;
  napi_typedarray_type type;
  size_t length;
  void *data;
  if (napi_get_typedarray_info(c->env, c->argv[i], &type, &length, &data, NULL, NULL) != napi_ok ||
      type != napi_int32_array || (long)length < n)
    return fail(c->env, "attn-native: batch index must be an Int32Array with one entry per output matrix");
  const int32_t *idx = data;
  for (long k = 0; k < n; k++)
    if (idx[k] < 0 || idx[k] >= limit) return fail(c->env, "attn-native: batch index out of range");
  *out = idx;
  return 1;
}

/* gemm(heap, aOff, bOff, cOff, batch, m, n, k, transA, transB, batchA, batchB, aIndex, bIndex) */
static napi_value js_gemm(napi_env env, napi_callback_info info) {
  call_t c;
  if (!get_args(env, info, &c, 14, 1)) return NULL;
  long batch, m, n, k, ta, tb, batch_a, batch_b;
  if (!get_long(&c, 4, &batch) || !get_long(&c, 5, &m) || !get_long(&c, 6, &n) || !get_long(&c, 7, &k) ||
      !get_long(&c, 8, &ta) || !get_long(&c, 9, &tb) || !get_long(&c, 10, &batch_a) || !get_long(&c, 11, &batch_b))
    return NULL;
  attn_gemm_args g;
  memset(&g, 0, sizeof g);
  g.a = get_ptr(&c, 1, batch_a * m * k);
  if (!g.a) return NULL;
  g.b = get_ptr(&c, 2, batch_b * k * n);
  if (!g.b) return NULL;
  g.c = get_ptr(&c, 3, batch * m * n);
  if (!g.c) return NULL;
  if (!get_index(&c, 12, batch, batch_a, &g.a_index) || !get_index(&c, 13, batch, batch_b, &g.b_index)) return NULL;
  /* Without index arrays a batch of 1 broadcasts, otherwise batches pair up one to one. */
  if ((!g.a_index && batch_a != 1 && batch_a != batch) || (!g.b_index && batch_b != 1 && batch_b != batch)) {
    fail(env, "attn-native: batch sizes need index arrays to broadcast");
    return NULL;
  }
  g.batch = batch;
  g.m = m;
  g.n = n;
  g.k = k;
  g.trans_a = (int)ta;
  g.trans_b = (int)tb;
  g.a_stride = (g.a_index || batch_a != 1) ? m * k : 0;
  g.b_stride = (g.b_index || batch_b != 1) ? k * n : 0;
  attn_gemm(&g);
  return NULL;
}

/* gemmPack(heap, bOff, k, n) -> ArrayBuffer: the [k, n] weight at bOff packed once for this CPU (gemm.h). */
static napi_value js_gemm_pack(napi_env env, napi_callback_info info) {
  call_t c;
  if (!get_args(env, info, &c, 4, 1)) return NULL;
  long k, n;
  if (!get_long(&c, 2, &k) || !get_long(&c, 3, &n)) return NULL;
  if (n < 1) {
    fail(env, "attn-native: gemmPack n must be >= 1");
    return NULL;
  }
  const float *b = get_ptr(&c, 1, k * n);
  if (!b) return NULL;
  void *data;
  napi_value out;
  if (napi_create_arraybuffer(env, attn_gemm_packed_size(k, n), &data, &out) != napi_ok) {
    fail(env, "attn-native: gemmPack could not allocate the packed weight");
    return NULL;
  }
  attn_gemm_pack(b, k, n, data);
  return out;
}

/* gemmPacked(heap, aOff, cOff, m, packed): C [m, n] = A [m, k] · the weight gemmPack packed. */
static napi_value js_gemm_packed(napi_env env, napi_callback_info info) {
  call_t c;
  if (!get_args(env, info, &c, 5, 1)) return NULL;
  long m, k, n;
  if (!get_long(&c, 3, &m)) return NULL;
  bool is_ab = false;
  void *packed;
  size_t len;
  if (napi_is_arraybuffer(env, c.argv[4], &is_ab) != napi_ok || !is_ab || napi_get_arraybuffer_info(env, c.argv[4], &packed, &len) != napi_ok ||
      !attn_gemm_packed_shape(packed, len, &k, &n)) {
    fail(env, "attn-native: gemmPacked packed weight must be the ArrayBuffer gemmPack returned on this CPU");
    return NULL;
  }
  const float *a = get_ptr(&c, 1, m * k);
  if (!a) return NULL;
  float *out = get_ptr(&c, 2, m * n);
  if (!out) return NULL;
  attn_gemm_prepacked(a, m, packed, out);
  return NULL;
}

/* sum(heap, xOff, outOff, outer, inner, trailing) */
static napi_value js_sum(napi_env env, napi_callback_info info) {
  call_t c;
  if (!get_args(env, info, &c, 6, 1)) return NULL;
  long outer, inner, trailing;
  if (!get_long(&c, 3, &outer) || !get_long(&c, 4, &inner) || !get_long(&c, 5, &trailing)) return NULL;
  const float *x = get_ptr(&c, 1, outer * inner);
  if (!x) return NULL;
  float *out = get_ptr(&c, 2, trailing ? outer : inner);
  if (!out) return NULL;
  if (trailing) attn_sum_trailing(x, out, outer, inner);
  else attn_sum_leading(x, out, outer, inner);
  return NULL;
}

/* binary(heap, op, aOff, bOff, outOff, outer, inner, bMode[, rep, bRows]) */
static napi_value js_binary(napi_env env, napi_callback_info info) {
  call_t c;
  if (!get_args(env, info, &c, 8, 1)) return NULL;
  long op, outer, inner, mode;
  if (!get_long(&c, 1, &op) || !get_long(&c, 5, &outer) || !get_long(&c, 6, &inner) || !get_long(&c, 7, &mode))
    return NULL;
  long rep = 1, b_rows = 1;
  if (mode == ATTN_B_GROUPED && (c.argc < 10 || !get_long(&c, 8, &rep) || !get_long(&c, 9, &b_rows))) {
    if (c.argc < 10) fail(env, "attn-native: grouped broadcast needs rep and bRows");
    return NULL;
  }
  if (op > ATTN_RDIV || mode > ATTN_B_GROUPED || rep < 1 || b_rows < 1) {
    fail(env, "attn-native: bad binary op or broadcast mode");
    return NULL;
  }
  const float *a = get_ptr(&c, 2, outer * inner);
  if (!a) return NULL;
  const long b_count = mode == ATTN_B_FULL      ? outer * inner
                       : mode == ATTN_B_ROW     ? inner
                       : mode == ATTN_B_COL     ? outer
                       : mode == ATTN_B_GROUPED ? b_rows * inner
                                                : 1;
  const float *b = get_ptr(&c, 3, b_count);
  if (!b) return NULL;
  float *out = get_ptr(&c, 4, outer * inner);
  if (!out) return NULL;
  attn_binary((attn_binary_op)op, a, b, out, outer, inner, (attn_b_mode)mode, rep, b_rows);
  return NULL;
}

/* unary(heap, op, xOff, outOff, n): op 0 exp, 1 erf, 2 relu, 3 tanh (an addon with the `tanh` entry below knows op 3) */
static napi_value js_unary(napi_env env, napi_callback_info info) {
  call_t c;
  if (!get_args(env, info, &c, 5, 1)) return NULL;
  long op, n;
  if (!get_long(&c, 1, &op) || !get_long(&c, 4, &n)) return NULL;
  if (op < 0 || op > ATTN_TANH) {
    fail(env, "attn-native: bad unary op");
    return NULL;
  }
  const float *x = get_ptr(&c, 2, n);
  if (!x) return NULL;
  float *out = get_ptr(&c, 3, n);
  if (!out) return NULL;
  attn_unary((attn_unary_op)op, x, out, n);
  return NULL;
}

/* segmentSum(heap, xOff, idsOff, outOff, rows, inner, numSegments); ids are int32 */
static napi_value js_segment_sum(napi_env env, napi_callback_info info) {
  call_t c;
  if (!get_args(env, info, &c, 7, 1)) return NULL;
  long rows, inner, segments;
  if (!get_long(&c, 4, &rows) || !get_long(&c, 5, &inner) || !get_long(&c, 6, &segments)) return NULL;
  const float *x = get_ptr(&c, 1, rows * inner);
  if (!x) return NULL;
  const float *ids = get_ptr(&c, 2, rows); /* int32: same size and alignment as float */
  if (!ids) return NULL;
  float *out = get_ptr(&c, 3, segments * inner);
  if (!out) return NULL;
  attn_segment_sum(x, (const int *)ids, out, rows, inner, segments);
  return NULL;
}

/* softmax(heap, xOff, outOff, rows, cols) */
static napi_value js_softmax(napi_env env, napi_callback_info info) {
  call_t c;
  if (!get_args(env, info, &c, 5, 1)) return NULL;
  long rows, cols;
  if (!get_long(&c, 3, &rows) || !get_long(&c, 4, &cols)) return NULL;
  const float *x = get_ptr(&c, 1, rows * cols);
  if (!x) return NULL;
  float *out = get_ptr(&c, 2, rows * cols);
  if (!out) return NULL;
  attn_softmax(x, out, rows, cols);
  return NULL;
}

/* (heap, xOff, yOff, n) → fn(x, y, n): the shape of gelu and tanh. */
static napi_value map_floats(napi_env env, napi_callback_info info, void (*fn)(const float *, float *, long)) {
  call_t c;
  if (!get_args(env, info, &c, 4, 1)) return NULL;
  long n;
  if (!get_long(&c, 3, &n)) return NULL;
  const float *x = get_ptr(&c, 1, n);
  if (!x) return NULL;
  float *y = get_ptr(&c, 2, n);
  if (!y) return NULL;
  fn(x, y, n);
  return NULL;
}

/* gelu(heap, xOff, yOff, n) */
static napi_value js_gelu(napi_env env, napi_callback_info info) { return map_floats(env, info, attn_gelu); }

static void tanh_threaded(const float *x, float *y, long n) { attn_unary(ATTN_TANH, x, y, n); }

/* tanh(heap, xOff, yOff, n): unary op 3 over the threads; its presence tells JS that this build knows tanh. */
static napi_value js_tanh(napi_env env, napi_callback_info info) { return map_floats(env, info, tanh_threaded); }

/* geluGrad(heap, dyOff, xOff, dxOff, n) */
static napi_value js_gelu_grad(napi_env env, napi_callback_info info) {
  call_t c;
  if (!get_args(env, info, &c, 5, 1)) return NULL;
  long n;
  if (!get_long(&c, 4, &n)) return NULL;
  const float *dy = get_ptr(&c, 1, n);
  if (!dy) return NULL;
  const float *x = get_ptr(&c, 2, n);
  if (!x) return NULL;
  float *dx = get_ptr(&c, 3, n);
  if (!dx) return NULL;
  attn_gelu_grad(dy, x, dx, n);
  return NULL;
}

/* layerNorm(heap, xOff, gammaOff, betaOff, yOff, meanOff, rstdOff, rows, cols, eps) */
static napi_value js_layer_norm(napi_env env, napi_callback_info info) {
  call_t c;
  if (!get_args(env, info, &c, 10, 1)) return NULL;
  long rows, cols;
  double eps;
  if (!get_long(&c, 7, &rows) || !get_long(&c, 8, &cols)) return NULL;
  if (napi_get_value_double(env, c.argv[9], &eps) != napi_ok || !(eps >= 0)) {
    fail(env, "attn-native: eps must be a non-negative number");
    return NULL;
  }
  const float *x = get_ptr(&c, 1, rows * cols), *g = get_ptr(&c, 2, cols), *b = get_ptr(&c, 3, cols);
  float *y = get_ptr(&c, 4, rows * cols), *mean = get_ptr(&c, 5, rows), *rstd = get_ptr(&c, 6, rows);
  if (!x || !g || !b || !y || !mean || !rstd) return NULL;
  attn_layer_norm(x, g, b, y, mean, rstd, rows, cols, (float)eps);
  return NULL;
}

/* layerNormGrad(heap, dyOff, xOff, gammaOff, meanOff, rstdOff, dxOff, dgammaOff, dbetaOff, rows, cols) */
static napi_value js_layer_norm_grad(napi_env env, napi_callback_info info) {
  call_t c;
  if (!get_args(env, info, &c, 11, 1)) return NULL;
  long rows, cols;
  if (!get_long(&c, 9, &rows) || !get_long(&c, 10, &cols)) return NULL;
  const float *dy = get_ptr(&c, 1, rows * cols), *x = get_ptr(&c, 2, rows * cols), *g = get_ptr(&c, 3, cols);
  const float *mean = get_ptr(&c, 4, rows), *rstd = get_ptr(&c, 5, rows);
  float *dx = get_ptr(&c, 6, rows * cols), *dg = get_ptr(&c, 7, cols), *db = get_ptr(&c, 8, cols);
  if (!dy || !x || !g || !mean || !rstd || !dx || !dg || !db) return NULL;
  attn_layer_norm_grad(dy, x, g, mean, rstd, dx, dg, db, rows, cols);
  return NULL;
}

/* adamw(heap, table: Float64Array [pOff, gOff, mOff, vOff, pOutOff, mOutOff, vOutOff, n, weightDecay] × count,
 *       lr, beta1, beta2, eps, step[, gradScale]) */
#define ADAMW_FIELDS 9
static napi_value js_adamw(napi_env env, napi_callback_info info) {
  call_t c;
  if (!get_args(env, info, &c, 7, 1)) return NULL;
  napi_typedarray_type type;
  size_t length;
  void *data;
  if (napi_get_typedarray_info(env, c.argv[1], &type, &length, &data, NULL, NULL) != napi_ok ||
      type != napi_float64_array || length % ADAMW_FIELDS != 0) {
    fail(env, "attn-native: adamw table must be a Float64Array of 9 numbers per parameter");
    return NULL;
  }
  double hyper[5];
  for (int i = 0; i < 5; i++) {
    if (napi_get_value_double(env, c.argv[2 + i], &hyper[i]) != napi_ok) {
      fail(env, "attn-native: adamw lr, beta1, beta2, eps and step must be numbers");
      return NULL;
    }
  }
  if (!(hyper[4] >= 1)) {
    fail(env, "attn-native: adamw step must be >= 1 (it counts from 1)");
    return NULL;
  }
  const double *t = data;
  const long count = (long)(length / ADAMW_FIELDS);
  attn_adamw_param *params = calloc((size_t)(count ? count : 1), sizeof *params);
  for (long i = 0; i < count; i++) {
    const double *row = t + i * ADAMW_FIELDS;
    const double n = row[7];
    if (n < 0 || n != (double)(long)n) {
      free(params);
      fail(env, "attn-native: adamw sizes must be non-negative integers");
      return NULL;
    }
    const float *ptr[7];
    for (int k = 0; k < 7; k++) {
      const double off = row[k];
      if (off < 0 || off != (double)(long)off || (long)off % 4 != 0 || (size_t)off + (size_t)n * 4 > c.heap_len) {
        free(params);
        fail(env, "attn-native: adamw offset outside the wasm heap");
        return NULL;
      }
      ptr[k] = (const float *)(c.heap + (size_t)off);
    }
    params[i].p = ptr[0];
    params[i].g = ptr[1];
    params[i].m = ptr[2];
    params[i].v = ptr[3];
    params[i].p_out = (float *)ptr[4];
    params[i].m_out = (float *)ptr[5];
    params[i].v_out = (float *)ptr[6];
    params[i].n = (long)n;
    params[i].weight_decay = (float)row[8];
  }
  double grad_scale = 1;
  if (c.argc > 7 && (napi_get_value_double(env, c.argv[7], &grad_scale) != napi_ok || !(grad_scale >= 0))) {
    free(params);
    fail(env, "attn-native: adamw gradScale must be a number >= 0");
    return NULL;
  }
  attn_adamw_hyper h = {(float)hyper[0], (float)hyper[1], (float)hyper[2], (float)hyper[3], (long)hyper[4], (float)grad_scale};
  attn_adamw(params, count, &h);
  free(params);
  return NULL;
}

static napi_value js_info(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value obj, isa, threads;
  CHECK(napi_create_object(env, &obj));
  CHECK(napi_create_string_utf8(env, attn_gemm_isa(), NAPI_AUTO_LENGTH, &isa));
  CHECK(napi_create_int32(env, attn_num_threads(), &threads));
  CHECK(napi_set_named_property(env, obj, "isa", isa));
  CHECK(napi_set_named_property(env, obj, "threads", threads));
  return obj;
}

static napi_value js_set_threads(napi_env env, napi_callback_info info) {
  call_t c;
  if (!get_args(env, info, &c, 1, 0)) return NULL;
  long n;
  if (!get_long(&c, 0, &n)) return NULL;
  attn_set_num_threads(n < 1 ? 1 : (int)n);
  return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
  /* Picks the ISA once, before worker threads can race on the lazy choice. */
  attn_gemm_isa();
  float probe = 0.f;
  attn_erf(&probe, &probe, 1);
  napi_property_descriptor props[] = {
      {"gemm", NULL, js_gemm, NULL, NULL, NULL, napi_default, NULL},
      {"gemmPack", NULL, js_gemm_pack, NULL, NULL, NULL, napi_default, NULL},
      {"gemmPacked", NULL, js_gemm_packed, NULL, NULL, NULL, napi_default, NULL},
      {"sum", NULL, js_sum, NULL, NULL, NULL, napi_default, NULL},
      {"binary", NULL, js_binary, NULL, NULL, NULL, napi_default, NULL},
      {"unary", NULL, js_unary, NULL, NULL, NULL, napi_default, NULL},
      {"tanh", NULL, js_tanh, NULL, NULL, NULL, napi_default, NULL},
      {"segmentSum", NULL, js_segment_sum, NULL, NULL, NULL, napi_default, NULL},
      {"softmax", NULL, js_softmax, NULL, NULL, NULL, napi_default, NULL},
      {"gelu", NULL, js_gelu, NULL, NULL, NULL, napi_default, NULL},
      {"geluGrad", NULL, js_gelu_grad, NULL, NULL, NULL, napi_default, NULL},
      {"layerNorm", NULL, js_layer_norm, NULL, NULL, NULL, napi_default, NULL},
      {"layerNormGrad", NULL, js_layer_norm_grad, NULL, NULL, NULL, napi_default, NULL},
      {"adamw", NULL, js_adamw, NULL, NULL, NULL, napi_default, NULL},
      {"info", NULL, js_info, NULL, NULL, NULL, napi_default, NULL},
      {"setThreads", NULL, js_set_threads, NULL, NULL, NULL, napi_default, NULL},
      {"dropoutMask", NULL, attn_js_dropout_mask, NULL, NULL, NULL, napi_default, NULL},
      {"xoshiroJump", NULL, attn_js_xoshiro_jump, NULL, NULL, NULL, napi_default, NULL},
      {"encoderLayer", NULL, attn_js_encoder_layer, NULL, NULL, NULL, napi_default, NULL},
      {"embeddings", NULL, attn_js_embeddings, NULL, NULL, NULL, napi_default, NULL},
      {"int8Pack", NULL, attn_js_int8_pack, NULL, NULL, NULL, napi_default, NULL},
      {"int8Linear", NULL, attn_js_int8_linear, NULL, NULL, NULL, napi_default, NULL},
      {"int8Isa", NULL, attn_js_int8_isa, NULL, NULL, NULL, napi_default, NULL},
      {"flashAttention", NULL, attn_js_flash_attention, NULL, NULL, NULL, napi_default, NULL},
      {"flashAttentionGrad", NULL, attn_js_flash_attention_grad, NULL, NULL, NULL, napi_default, NULL},
      {"flashDropoutMask", NULL, attn_js_flash_dropout_mask, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
