#include "fused.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "thread_pool.h"
#include "vector_math.h"

#define CHUNK 4096 /* elements per inner block: scratch stays in L1 */
#define MIN_TASK 16384L

static long tasks_for(long work, long max_tasks) {
  long t = work / MIN_TASK;
  long threads = attn_num_threads();
  if (t > threads) t = threads;
  if (t > max_tasks) t = max_tasks;
  return t < 1 ? 1 : t;
}

static void range(long n, long ntasks, long task, long *lo, long *hi) {
  *lo = n * task / ntasks;
  *hi = n * (task + 1) / ntasks;
}

/* ---------------------------------------------------------------- GELU */

typedef struct {
  const float *x, *dy;
  float *out;
  long n, ntasks;
} gelu_ctx;

static void gelu_task(void *p, long task, int thread) {
  (void)thread;
  const gelu_ctx *c = p;
  long lo, hi;
  range(c->n, c->ntasks, task, &lo, &hi);
  float z[CHUNK];
  for (long i = lo; i < hi; i += CHUNK) {
    long m = hi - i < CHUNK ? hi - i : CHUNK;
    for (long j = 0; j < m; j++) z[j] = c->x[i + j] * (float)M_SQRT1_2;
    attn_erf(z, z, m);
    for (long j = 0; j < m; j++) c->out[i + j] = 0.5f * c->x[i + j] * (1.f + z[j]);
  }
}

void attn_gelu(const float *x, float *y, long n) {
  gelu_ctx c = {x, NULL, y, n, tasks_for(n, (n + CHUNK - 1) / CHUNK)};
  if (n > 0) attn_parallel_for(c.ntasks, gelu_task, &c);
}

static void gelu_grad_task(void *p, long task, int thread) {
  (void)thread;
  const gelu_ctx *c = p;
  long lo, hi;
  range(c->n, c->ntasks, task, &lo, &hi);
  float z[CHUNK], e[CHUNK];
  const float inv_sqrt_2pi = 0.3989422804014327f;
  for (long i = lo; i < hi; i += CHUNK) {
    long m = hi - i < CHUNK ? hi - i : CHUNK;
    for (long j = 0; j < m; j++) {
      z[j] = c->x[i + j] * (float)M_SQRT1_2;
      e[j] = -0.5f * c->x[i + j] * c->x[i + j];
    }
    attn_erf(z, z, m);
    attn_exp_shifted(e, e, m, 0.f);
    for (long j = 0; j < m; j++) {
      const float x = c->x[i + j];
      c->out[i + j] = c->dy[i + j] * (0.5f * (1.f + z[j]) + x * inv_sqrt_2pi * e[j]);
    }
  }
}

void attn_gelu_grad(const float *dy, const float *x, float *dx, long n) {
  gelu_ctx c = {x, dy, dx, n, tasks_for(2 * n, (n + CHUNK - 1) / CHUNK)};
  if (n > 0) attn_parallel_for(c.ntasks, gelu_grad_task, &c);
}

/* ---------------------------------------------------------------- LayerNorm */

typedef struct {
  const float *x, *gamma, *beta, *dy, *mean_in, *rstd_in;
  float *y, *mean, *rstd, *dx, *dgamma, *dbeta;
  long rows, cols, ntasks;
  float eps;
  double *partial; /* [ntasks][2][cols] for the backward's column sums */
} ln_ctx;

static void ln_task(void *p, long task, int thread) {
  (void)thread;
  const ln_ctx *c = p;
  long lo, hi;
  range(c->rows, c->ntasks, task, &lo, &hi);
  const long n = c->cols;
  for (long r = lo; r < hi; r++) {
    const float *x = c->x + r * n;
    float *y = c->y + r * n;
    double s = 0;
    for (long j = 0; j < n; j++) s += x[j];
    const float mu = (float)(s / n);
    double v = 0;
    for (long j = 0; j < n; j++) {
      const double d = x[j] - mu;
      v += d * d;
    }
    const float rs = (float)(1.0 / sqrt(v / n + c->eps));
    for (long j = 0; j < n; j++) y[j] = (x[j] - mu) * rs * c->gamma[j] + c->beta[j];
    c->mean[r] = mu;
    c->rstd[r] = rs;
  }
}

void attn_layer_norm(const float *x, const float *gamma, const float *beta, float *y, float *mean, float *rstd,
                     long rows, long cols, float eps) {
  if (rows <= 0) return;
  ln_ctx c;
  memset(&c, 0, sizeof c);
  c.x = x;
  c.gamma = gamma;
  c.beta = beta;
  c.y = y;
  c.mean = mean;
  c.rstd = rstd;
  c.rows = rows;
  c.cols = cols;
  c.eps = eps;
  c.ntasks = tasks_for(rows * cols, rows);
  if (cols <= 0) {
    for (long r = 0; r < rows; r++) mean[r] = NAN, rstd[r] = NAN;
    return;
  }
  attn_parallel_for(c.ntasks, ln_task, &c);
}

static void ln_grad_task(void *p, long task, int thread) {
  (void)thread;
  const ln_ctx *c = p;
  long lo, hi;
  range(c->rows, c->ntasks, task, &lo, &hi);
  const long n = c->cols;
  double *dg = c->partial + task * 2 * n, *db = dg + n;
  for (long j = 0; j < 2 * n; j++) dg[j] = 0;
  for (long r = lo; r < hi; r++) {
    const float *x = c->x + r * n, *dy = c->dy + r * n;
    float *dx = c->dx + r * n;
    const float mu = c->mean_in[r], rs = c->rstd_in[r];
    double a = 0, b = 0; /* Σ dxhat, Σ dxhat·xhat */
    for (long j = 0; j < n; j++) {
      const float xh = (x[j] - mu) * rs;
      const float dxh = dy[j] * c->gamma[j];
      a += dxh;
      b += (double)dxh * xh;
      dg[j] += (double)dy[j] * xh;
      db[j] += dy[j];
    }
    const float ma = (float)(a / n), mb = (float)(b / n);
    for (long j = 0; j < n; j++) {
      const float xh = (x[j] - mu) * rs;
      dx[j] = rs * (dy[j] * c->gamma[j] - ma - xh * mb);
    }
  }
}

void attn_layer_norm_grad(const float *dy, const float *x, const float *gamma, const float *mean, const float *rstd,
                          float *dx, float *dgamma, float *dbeta, long rows, long cols) {
  if (cols <= 0) return;
  ln_ctx c;
  memset(&c, 0, sizeof c);
  c.dy = dy;
  c.x = x;
  c.gamma = gamma;
  c.mean_in = mean;
  c.rstd_in = rstd;
  c.dx = dx;
  c.rows = rows;
  c.cols = cols;
  c.ntasks = rows > 0 ? tasks_for(rows * cols, rows) : 1;
  c.partial = calloc((size_t)(c.ntasks * 2 * cols), sizeof(double));
  if (rows > 0) attn_parallel_for(c.ntasks, ln_grad_task, &c);
  for (long j = 0; j < cols; j++) {
    double g = 0, b = 0;
    for (long t = 0; t < c.ntasks && rows > 0; t++) {
      g += c.partial[t * 2 * cols + j];
      b += c.partial[t * 2 * cols + cols + j];
    }
    dgamma[j] = (float)g;
    dbeta[j] = (float)b;
  }
  free(c.partial);
}
