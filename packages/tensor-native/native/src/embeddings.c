/* Inference embeddings in one native call (see embeddings.h): what the unfused path runs as a gather, a slice or a
 * gather of positions, a one-hot product for token types, two Adds and a LayerNorm, each its own tfjs kernel. */
#include "embeddings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "encoder_layer.h"
#include "napi_args.h"
#include "thread_pool.h"

typedef struct {
  const attn_embeddings_args *a;
  long ntasks;
} sum_ctx;

static void sum_task(void *p, long task, int thread) {
  (void)thread;
  const sum_ctx *c = p;
  const attn_embeddings_args *a = c->a;
  const long rows = a->batch * a->seq, n = a->dim;
  const long lo = rows * task / c->ntasks, hi = rows * (task + 1) / c->ntasks;
  for (long r = lo; r < hi; r++) {
    const float *w = a->words + (long)a->ids[r] * n;
    const float *pe = a->positions + (a->pos_ids ? (long)a->pos_ids[r] : r % a->seq) * n;
    float *y = a->y + r * n;
    for (long j = 0; j < n; j++) y[j] = w[j] + pe[j];
    if (a->types) {
      const float *t = a->types + (a->type_ids ? (long)a->type_ids[r] : 0) * n;
      for (long j = 0; j < n; j++) y[j] = y[j] + t[j];
    }
    attn_layer_norm_row(y, n, a->gamma, a->beta, a->eps); /* while the row is in L1 */
  }
}

int attn_embeddings(const attn_embeddings_args *a, long *bad) {
  const long rows = a->batch * a->seq;
  for (long r = 0; r < rows; r++) {
    if (a->ids[r] < 0 || a->ids[r] >= a->vocab) return *bad = r, 1;
    if (a->pos_ids ? a->pos_ids[r] < 0 || a->pos_ids[r] >= a->npos : r % a->seq >= a->npos) return *bad = r, 2;
    if (a->types && (a->type_ids ? a->type_ids[r] < 0 || a->type_ids[r] >= a->ntypes : a->ntypes < 1)) return *bad = r, 3;
  }
  if (rows == 0 || a->dim == 0) return 0;
  /* One pass per row: gather, add, normalise. Below ~64 KiB of output the second thread costs more than it gives. */
  const long threads = attn_num_threads();
  long ntasks = rows * a->dim / 16384;
  if (ntasks > 2 * threads) ntasks = 2 * threads;
  if (ntasks > rows) ntasks = rows;
  if (ntasks < 1) ntasks = 1;
  sum_ctx c = {a, ntasks};
  if (ntasks == 1) sum_task(&c, 0, 0);
  else attn_parallel_for(ntasks, sum_task, &c);
  return 0;
}

/* ---------------------------------------------------------------- N-API entry */

#define N_OFFSETS 9
#define N_DIMS 7

napi_value attn_js_embeddings(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 3)
    return attn_throw_range(env, "attn-native: embeddings(heap, offsets, dims) takes 3 arguments");
  void *heap;
  size_t heap_len;
  if (!attn_heap_arg(env, argv[0], &heap, &heap_len))
    return attn_throw_range(env, "attn-native: embeddings: argument 0 must be the wasm memory ArrayBuffer");
  const double *off = attn_float64_array(env, argv[1], N_OFFSETS), *dims = attn_float64_array(env, argv[2], N_DIMS);
  if (!off || !dims) return attn_throw_range(env, "attn-native: embeddings: offsets must be a Float64Array[9] and dims a Float64Array[7]");
  for (int i = 0; i < 6; i++)
    if (!attn_whole(dims[i])) return attn_throw_range(env, "attn-native: embeddings: batch, seq, dim, vocab, npos and ntypes must be non-negative integers");
  if (!(dims[6] >= 0)) return attn_throw_range(env, "attn-native: embeddings: eps must be non-negative");
  attn_embeddings_args a;
  memset(&a, 0, sizeof a);
  a.batch = (long)dims[0], a.seq = (long)dims[1], a.dim = (long)dims[2], a.vocab = (long)dims[3], a.npos = (long)dims[4], a.ntypes = (long)dims[5];
  a.eps = (float)dims[6];
  const long rows = a.batch * a.seq, n = a.dim;
  /* Extent in 4-byte elements of each offset's tensor; which may be absent. */
  const long extent[N_OFFSETS] = {rows, a.vocab * n, a.npos * n, rows, a.ntypes * n, rows, n, n, rows * n};
  static const int optional[N_OFFSETS] = {0, 0, 0, 1, 1, 1, 0, 0, 0};
  void *ptr[N_OFFSETS];
  for (int i = 0; i < N_OFFSETS; i++) {
    if (optional[i] && off[i] < 0) {
      ptr[i] = NULL;
      continue;
    }
    if (!attn_whole(off[i]) || (long)off[i] % 4 != 0 || (unsigned long)off[i] + (unsigned long)extent[i] * 4ul > heap_len) {
      char msg[128];
      snprintf(msg, sizeof msg, "attn-native: embeddings: offset %d (byte %.0f, %ld elements) is outside the %zu-byte heap", i, off[i], extent[i], heap_len);
      return attn_throw_range(env, msg);
    }
    ptr[i] = (uint8_t *)heap + (long)off[i];
  }
  if (ptr[5] && !ptr[4]) return attn_throw_range(env, "attn-native: embeddings: type ids need a type table");
  a.ids = ptr[0], a.words = ptr[1], a.positions = ptr[2], a.pos_ids = ptr[3], a.types = ptr[4], a.type_ids = ptr[5];
  a.gamma = ptr[6], a.beta = ptr[7], a.y = ptr[8];
  long bad = 0;
  const int rc = attn_embeddings(&a, &bad);
  if (rc > 0) {
    static const char *const what[4] = {"", "token id", "position", "token type id"};
    const int32_t *src = rc == 1 ? a.ids : rc == 2 ? a.pos_ids : a.type_ids;
    const long value = src ? (long)src[bad] : rc == 2 ? bad % a.seq : 0;
    const long limit = rc == 1 ? a.vocab : rc == 2 ? a.npos : a.ntypes;
    char msg[200];
    snprintf(msg, sizeof msg, "%s %ld at [%ld, %ld] is outside the embedding table's %ld rows", what[rc], value, bad / a.seq, bad % a.seq, limit);
    return attn_throw_range(env, msg);
  }
  return NULL;
}
