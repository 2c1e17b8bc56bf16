#include "elementwise.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "thread_pool.h"
#include "vector_math.h"

/* Tasks smaller than this many elements are not worth another thread's wake-up. */
#define MIN_TASK_ELEMENTS 32768L

static long task_count(long total_elements, long max_tasks) {
  long threads = attn_num_threads();
  long t = total_elements / MIN_TASK_ELEMENTS;
  if (t > threads) t = threads;
  if (t > max_tasks) t = max_tasks;
  return t < 1 ? 1 : t;
}

typedef struct {
  const float *x;
  float *out;
  long outer, inner, ntasks;
  long b_mode; /* attn_b_mode for binary ops */
  long rep, b_rows; /* ATTN_B_GROUPED */
  const float *b;
  attn_binary_op op;
} ew_ctx;

/* Splits [0, n) into ntasks contiguous parts rounded to `align`. */
static void split(long n, long ntasks, long task, long align, long *lo, long *hi) {
  long units = (n + align - 1) / align;
  *lo = units * task / ntasks * align;
  *hi = units * (task + 1) / ntasks * align;
  if (*hi > n) *hi = n;
}

static void sum_leading_task(void *p, long task, int thread) {
  (void)thread;
  const ew_ctx *c = p;
  long j0, j1;
  split(c->inner, c->ntasks, task, 16, &j0, &j1);
  long w = j1 - j0;
  if (w <= 0) return;
  /* Double accumulators: bias gradients sum thousands of rows. */
  double *acc = calloc((size_t)w, sizeof(double));
  for (long i = 0; i < c->outer; i++) {
    const float *row = c->x + i * c->inner + j0;
    for (long j = 0; j < w; j++) acc[j] += row[j];
  }
  for (long j = 0; j < w; j++) c->out[j0 + j] = (float)acc[j];
  free(acc);
}

void attn_sum_leading(const float *x, float *out, long outer, long inner) {
  if (inner <= 0) return;
  ew_ctx c = {x, out, outer, inner, 0, 0, 1, 1, 0, 0};
  c.ntasks = task_count(outer * inner, (inner + 15) / 16);
  attn_parallel_for(c.ntasks, sum_leading_task, &c);
}

static void sum_trailing_task(void *p, long task, int thread) {
  (void)thread;
  const ew_ctx *c = p;
  long i0, i1;
  split(c->outer, c->ntasks, task, 1, &i0, &i1);
  for (long i = i0; i < i1; i++) {
    const float *row = c->x + i * c->inner;
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    long j = 0;
    for (; j + 4 <= c->inner; j += 4) {
      s0 += row[j];
      s1 += row[j + 1];
      s2 += row[j + 2];
      s3 += row[j + 3];
    }
    for (; j < c->inner; j++) s0 += row[j];
    c->out[i] = (float)((s0 + s1) + (s2 + s3));
  }
}

void attn_sum_trailing(const float *x, float *out, long outer, long inner) {
  if (outer <= 0) return;
  ew_ctx c = {x, out, outer, inner, 0, 0, 1, 1, 0, 0};
  c.ntasks = task_count(outer * inner, outer);
  attn_parallel_for(c.ntasks, sum_trailing_task, &c);
}

/* A broadcast b (scalar or per-row value) gets its own loop so the compiler vectorises both. */
#define BINARY_LOOP(expr)                                             \
  if (one) {                                                          \
    const float y = *b;                                               \
    for (long j = 0; j < n; j++) {                                    \
      const float x = a[j];                                           \
      o[j] = (expr);                                                  \
    }                                                                 \
  } else {                                                            \
    for (long j = 0; j < n; j++) {                                    \
      const float x = a[j], y = b[j];                                 \
      o[j] = (expr);                                                  \
    }                                                                 \
  }

static void binary_task(void *p, long task, int thread) {
  (void)thread;
  const ew_ctx *c = p;
  long i0, i1;
  split(c->outer, c->ntasks, task, 1, &i0, &i1);
  const long n = c->inner;
  const int one = c->b_mode == ATTN_B_SCALAR || c->b_mode == ATTN_B_COL;
  for (long i = i0; i < i1; i++) {
    const float *a = c->x + i * n;
    const float *b = c->b_mode == ATTN_B_FULL      ? c->b + i * n
                     : c->b_mode == ATTN_B_COL     ? c->b + i
                     : c->b_mode == ATTN_B_GROUPED ? c->b + ((i / c->rep) % c->b_rows) * n
                                                   : c->b;
    float *o = c->out + i * n;
    switch (c->op) {
      case ATTN_ADD: BINARY_LOOP(x + y) break;
      case ATTN_SUB: BINARY_LOOP(x - y) break;
      case ATTN_MUL: BINARY_LOOP(x * y) break;
      case ATTN_DIV: BINARY_LOOP(x / y) break;
      case ATTN_RSUB: BINARY_LOOP(y - x) break;
      case ATTN_RDIV: BINARY_LOOP(y / x) break;
    }
  }
}

void attn_binary(attn_binary_op op, const float *a, const float *b, float *out, long outer, long inner, attn_b_mode mode,
                 long rep, long b_rows) {
  if (outer <= 0 || inner <= 0) return;
  ew_ctx c = {a, out, outer, inner, 0, (long)mode, 1, 1, b, op};
  c.rep = rep > 0 ? rep : 1;
  c.b_rows = b_rows > 0 ? b_rows : 1;
  c.ntasks = task_count(outer * inner, outer);
  attn_parallel_for(c.ntasks, binary_task, &c);
}

static void softmax_task(void *p, long task, int thread) {
  (void)thread;
  const ew_ctx *c = p;
  long i0, i1;
  split(c->outer, c->ntasks, task, 1, &i0, &i1);
  const long n = c->inner;
  for (long i = i0; i < i1; i++) {
    const float *x = c->x + i * n;
    float *o = c->out + i * n;
    const float mx = attn_max(x, n);
    const double s = attn_exp_shifted(x, o, n, mx);
    const float inv = (float)(1.0 / s);
    for (long j = 0; j < n; j++) o[j] *= inv;
  }
}

void attn_softmax(const float *x, float *out, long rows, long cols) {
  if (rows <= 0 || cols <= 0) return;
  ew_ctx c = {x, out, rows, cols, 0, 0, 1, 1, 0, 0};
  c.ntasks = task_count(rows * cols, rows);
  attn_parallel_for(c.ntasks, softmax_task, &c);
}

static void unary_task(void *p, long task, int thread) {
  (void)thread;
  const ew_ctx *c = p;
  long lo, hi;
  split(c->inner, c->ntasks, task, 64, &lo, &hi);
  if (hi <= lo) return;
  switch ((attn_unary_op)c->op) {
    case ATTN_EXP: attn_exp_shifted(c->x + lo, c->out + lo, hi - lo, 0.f); break;
    case ATTN_ERF: attn_erf(c->x + lo, c->out + lo, hi - lo); break;
    case ATTN_TANH: attn_tanh(c->x + lo, c->out + lo, hi - lo); break;
    case ATTN_RELU:
      for (long i = lo; i < hi; i++) c->out[i] = c->x[i] > 0.f ? c->x[i] : 0.f;
      break;
  }
}

void attn_unary(attn_unary_op op, const float *x, float *out, long n) {
  if (n <= 0) return;
  ew_ctx c = {x, out, 1, n, 0, 0, 1, 1, 0, (attn_binary_op)op};
  c.ntasks = task_count(n, (n + 63) / 64);
  attn_parallel_for(c.ntasks, unary_task, &c);
}

typedef struct {
  const float *x;
  const int *ids;
  float *out;
  long rows, inner, num_segments, ntasks;
} segment_ctx;

/* Each task owns a range of segments: it zeroes its rows of out and adds only ids in its range,
 * so no two threads write the same row. */
static void segment_task(void *p, long task, int thread) {
  (void)thread;
  const segment_ctx *c = p;
  long lo, hi;
  split(c->num_segments, c->ntasks, task, 1, &lo, &hi);
  if (hi <= lo) return;
  memset(c->out + lo * c->inner, 0, sizeof(float) * (size_t)((hi - lo) * c->inner));
  for (long i = 0; i < c->rows; i++) {
    const long s = c->ids[i];
    if (s < lo || s >= hi) continue;
    const float *x = c->x + i * c->inner;
    float *o = c->out + s * c->inner;
    for (long j = 0; j < c->inner; j++) o[j] += x[j];
  }
}

void attn_segment_sum(const float *x, const int *ids, float *out, long rows, long inner, long num_segments) {
  if (num_segments <= 0 || inner <= 0) return;
  segment_ctx c = {x, ids, out, rows, inner, num_segments, 0};
  c.ntasks = task_count(num_segments * inner + rows * inner, num_segments);
  attn_parallel_for(c.ntasks, segment_task, &c);
}
