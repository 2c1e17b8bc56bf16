/* A whole post-LN encoder layer in one native call, for inference (see encoder_layer.h). What tfjs runs as ~30 kernels
 * — each with its own dispatch, output allocation on the wasm heap and pass over memory — is here four GEMMs
 * (attn_gemm, threaded by itself), one attention pass threaded over (batch, head), and two row passes that fuse
 * bias + residual + LayerNorm and bias + activation. Small work runs on the calling thread alone: below a few hundred
 * microseconds of arithmetic, waking the pool costs more than the second core gives back.
 *
 * The arithmetic follows the unfused path step by step (bias added after the product, q scaled before Qkᵀ, the mask
 * added to the scores, softmax as attn_softmax, LayerNorm with double sums as attn_layer_norm, GELU with attn_erf),
 * so the two agree to float32 rounding. */
#include "encoder_layer.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gemm.h"
#include "napi_args.h"
#include "qgemm.h"
#include "thread_pool.h"
#include "vector_math.h"

typedef float vf16 __attribute__((vector_size(64), aligned(4)));

/* The row loops compiled for AVX-512, AVX2 and the baseline, picked when the addon loads (the file is ISO C: no FMA
 * contraction, so every clone computes the same floats). */
#define CLONES __attribute__((target_clones("avx512f", "avx2", "default")))

/* ---------------------------------------------------------------- scratch */

/* Layer intermediates: q, k, v, h [rows, hidden] and the FFN activations [rows, inter], per pool thread (each runs its
 * share of the sequences through the whole layer, see layer_split). The thread pool admits one caller at a time, but
 * the N-API entry may be reached from several Node worker_threads, so this scratch is guarded. */
static pthread_mutex_t layer_mu = PTHREAD_MUTEX_INITIALIZER;
static float *layer_scratch[ATTN_MAX_THREADS];
static size_t layer_scratch_floats[ATTN_MAX_THREADS];

/* Per-thread attention scratch (Kᵀ panel, a block of scores and queries). */
static float *thread_scratch_buf[ATTN_MAX_THREADS];
static size_t thread_scratch_floats[ATTN_MAX_THREADS];

static float *grow(float **buf, size_t *have, size_t want) {
  if (*have >= want) return *buf;
  free(*buf);
  size_t bytes = (want * sizeof(float) + 63) & ~(size_t)63;
  *buf = aligned_alloc(64, bytes);
  *have = *buf ? want : 0;
  return *buf;
}

/* ---------------------------------------------------------------- attention micro-kernels */

#define ROWS 4 /* queries per block: each K panel load feeds four rows */

/* sc[r, j] = Σ_p qb[r, p] · kt[p, j] for r < 4, j < sp (sp a multiple of 16, kt zero-padded to it). */
#define SCORES(NAME, ATTR)                                                                                           \
  ATTR static void NAME(const float *qb, long d, const float *kt, long sp, float *sc) {                              \
    long j = 0;                                                                                                      \
    for (; j + 64 <= sp; j += 64) {                                                                                  \
      vf16 a00 = {0}, a01 = {0}, a02 = {0}, a03 = {0}, a10 = {0}, a11 = {0}, a12 = {0}, a13 = {0};                   \
      vf16 a20 = {0}, a21 = {0}, a22 = {0}, a23 = {0}, a30 = {0}, a31 = {0}, a32 = {0}, a33 = {0};                   \
      for (long p = 0; p < d; p++) {                                                                                 \
        const float *kr = kt + p * sp + j;                                                                           \
        const vf16 k0 = *(const vf16 *)kr, k1 = *(const vf16 *)(kr + 16), k2 = *(const vf16 *)(kr + 32),             \
                   k3 = *(const vf16 *)(kr + 48);                                                                    \
        const float s0 = qb[p], s1 = qb[d + p], s2 = qb[2 * d + p], s3 = qb[3 * d + p];                              \
        a00 += s0 * k0, a01 += s0 * k1, a02 += s0 * k2, a03 += s0 * k3;                                              \
        a10 += s1 * k0, a11 += s1 * k1, a12 += s1 * k2, a13 += s1 * k3;                                              \
        a20 += s2 * k0, a21 += s2 * k1, a22 += s2 * k2, a23 += s2 * k3;                                              \
        a30 += s3 * k0, a31 += s3 * k1, a32 += s3 * k2, a33 += s3 * k3;                                              \
      }                                                                                                              \
      float *o = sc + j;                                                                                             \
      *(vf16 *)o = a00, *(vf16 *)(o + 16) = a01, *(vf16 *)(o + 32) = a02, *(vf16 *)(o + 48) = a03;                   \
      o += sp;                                                                                                       \
      *(vf16 *)o = a10, *(vf16 *)(o + 16) = a11, *(vf16 *)(o + 32) = a12, *(vf16 *)(o + 48) = a13;                   \
      o += sp;                                                                                                       \
      *(vf16 *)o = a20, *(vf16 *)(o + 16) = a21, *(vf16 *)(o + 32) = a22, *(vf16 *)(o + 48) = a23;                   \
      o += sp;                                                                                                       \
      *(vf16 *)o = a30, *(vf16 *)(o + 16) = a31, *(vf16 *)(o + 32) = a32, *(vf16 *)(o + 48) = a33;                   \
    }                                                                                                                \
    for (; j < sp; j += 16) {                                                                                        \
      vf16 a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};                                                                   \
      for (long p = 0; p < d; p++) {                                                                                 \
        const vf16 k0 = *(const vf16 *)(kt + p * sp + j);                                                            \
        a0 += qb[p] * k0, a1 += qb[d + p] * k0, a2 += qb[2 * d + p] * k0, a3 += qb[3 * d + p] * k0;                  \
      }                                                                                                              \
      *(vf16 *)(sc + j) = a0, *(vf16 *)(sc + sp + j) = a1, *(vf16 *)(sc + 2 * sp + j) = a2,                          \
                 *(vf16 *)(sc + 3 * sp + j) = a3;                                                                    \
    }                                                                                                                \
  }

/* out[r, c] = Σ_j p[r, j] · v[j, c] for r < rows (≤ 4), c < d; v rows ldv apart, out rows ldo apart. */
#define PV(NAME, ATTR)                                                                                               \
  ATTR static void NAME(const float *p, long sp, long s, const float *v, long ldv, long d, float *out, long ldo,    \
                        long rows) {                                                                                 \
    long c = 0;                                                                                                      \
    for (; c + 64 <= d; c += 64) {                                                                                   \
      vf16 a00 = {0}, a01 = {0}, a02 = {0}, a03 = {0}, a10 = {0}, a11 = {0}, a12 = {0}, a13 = {0};                   \
      vf16 a20 = {0}, a21 = {0}, a22 = {0}, a23 = {0}, a30 = {0}, a31 = {0}, a32 = {0}, a33 = {0};                   \
      for (long j = 0; j < s; j++) {                                                                                 \
        const float *vr = v + j * ldv + c;                                                                           \
        const vf16 v0 = *(const vf16 *)vr, v1 = *(const vf16 *)(vr + 16), v2 = *(const vf16 *)(vr + 32),             \
                   v3 = *(const vf16 *)(vr + 48);                                                                    \
        const float p0 = p[j], p1 = p[sp + j], p2 = p[2 * sp + j], p3 = p[3 * sp + j];                               \
        a00 += p0 * v0, a01 += p0 * v1, a02 += p0 * v2, a03 += p0 * v3;                                              \
        a10 += p1 * v0, a11 += p1 * v1, a12 += p1 * v2, a13 += p1 * v3;                                              \
        a20 += p2 * v0, a21 += p2 * v1, a22 += p2 * v2, a23 += p2 * v3;                                              \
        a30 += p3 * v0, a31 += p3 * v1, a32 += p3 * v2, a33 += p3 * v3;                                              \
      }                                                                                                              \
      vf16 acc[4][4] = {{a00, a01, a02, a03}, {a10, a11, a12, a13}, {a20, a21, a22, a23}, {a30, a31, a32, a33}};     \
      for (long r = 0; r < rows; r++)                                                                                \
        for (int q = 0; q < 4; q++) *(vf16 *)(out + r * ldo + c + 16 * q) = acc[r][q];                               \
    }                                                                                                                \
    for (; c + 16 <= d; c += 16) {                                                                                   \
      vf16 a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};                                                                   \
      for (long j = 0; j < s; j++) {                                                                                 \
        const vf16 v0 = *(const vf16 *)(v + j * ldv + c);                                                            \
        a0 += p[j] * v0, a1 += p[sp + j] * v0, a2 += p[2 * sp + j] * v0, a3 += p[3 * sp + j] * v0;                   \
      }                                                                                                              \
      vf16 acc[4] = {a0, a1, a2, a3};                                                                                \
      for (long r = 0; r < rows; r++) *(vf16 *)(out + r * ldo + c) = acc[r];                                         \
    }                                                                                                                \
    for (; c < d; c++)                                                                                               \
      for (long r = 0; r < rows; r++) {                                                                              \
        float a = 0.f;                                                                                               \
        for (long j = 0; j < s; j++) a += p[r * sp + j] * v[j * ldv + c];                                            \
        out[r * ldo + c] = a;                                                                                        \
      }                                                                                                              \
  }

/* Contraction to FMA, as the GEMM's micro-kernels multiply-add (the file is compiled as ISO C, which forbids it). */
#define AVX512_ATTR __attribute__((target("avx512f"), optimize("fp-contract=fast")))
#define AVX2_ATTR __attribute__((target("avx2,fma"), optimize("fp-contract=fast")))
#define PORTABLE_ATTR

SCORES(scores_avx512, AVX512_ATTR)
SCORES(scores_avx2, AVX2_ATTR)
SCORES(scores_portable, PORTABLE_ATTR)
PV(pv_avx512, AVX512_ATTR)
PV(pv_avx2, AVX2_ATTR)
PV(pv_portable, PORTABLE_ATTR)

typedef void (*scores_fn)(const float *, long, const float *, long, float *);
typedef void (*pv_fn)(const float *, long, long, const float *, long, long, float *, long, long);

/* Same choice as the GEMM (ATTN_NATIVE_ISA included). */
static void pick_kernels(scores_fn *sf, pv_fn *pf) {
  const char *isa = attn_gemm_isa();
  if (strcmp(isa, "avx512") == 0) *sf = scores_avx512, *pf = pv_avx512;
  else if (strcmp(isa, "avx2") == 0) *sf = scores_avx2, *pf = pv_avx2;
  else *sf = scores_portable, *pf = pv_portable;
}

/* ---------------------------------------------------------------- attention */

typedef struct {
  const attn_encoder_layer_args *g;
  float *q, *k, *v; /* [rows, hidden]; q is overwritten by the context */
  const float *mask; /* additive key mask by row, or NULL */
  const long *off, *len; /* sequence b's rows are off[b] .. off[b] + len[b] (NULL: b·seq, seq) */
  const long *qoff; /* NULL: every row queries; else sequence b's one query row is qoff[b] of q (first rows only) */
  scores_fn scores;
  pv_fn pv;
  float scale;
  int failed;
} attention_ctx;

CLONES static void attention_task(void *p, long task, int thread) {
  attention_ctx *c = p;
  const attn_encoder_layer_args *g = c->g;
  const long heads = g->heads, hid = g->hidden, d = hid / heads, b = task / heads, h = task % heads;
  const long s = c->len ? c->len[b] : g->seq, r0 = c->off ? c->off[b] : b * g->seq, sp = (s + 15) & ~15L;
  if (s == 0) return;
  const long nq = c->qoff ? 1 : s; /* query rows */
  float *q = c->q + (c->qoff ? c->qoff[b] : r0) * hid + h * d, *k = c->k + r0 * hid + h * d, *v = c->v + r0 * hid + h * d;
  const float *bq = g->bq + h * d, *bk = g->bk + h * d, *bv = g->bv + h * d;
  const float *mask = c->mask ? c->mask + r0 : NULL;
  float *buf = grow(&thread_scratch_buf[thread], &thread_scratch_floats[thread], (size_t)(d * sp + ROWS * sp + ROWS * d));
  if (!buf) {
    c->failed = 1;
    return;
  }
  float *kt = buf, *sc = kt + d * sp, *qb = sc + ROWS * sp;
  /* Kᵀ with its bias, [d, sp], zero past the last key; V's bias in place (this task owns the slice). */
  for (long j = 0; j < s; j++)
    for (long t = 0; t < d; t++) kt[t * sp + j] = k[j * hid + t] + bk[t];
  for (long t = 0; t < d; t++)
    for (long j = s; j < sp; j++) kt[t * sp + j] = 0.f;
  for (long j = 0; j < s; j++)
    for (long t = 0; t < d; t++) v[j * hid + t] += bv[t];
  for (long i0 = 0; i0 < nq; i0 += ROWS) {
    const long rows = nq - i0 < ROWS ? nq - i0 : ROWS;
    for (long r = 0; r < ROWS; r++)
      for (long t = 0; t < d; t++) qb[r * d + t] = r < rows ? (q[(i0 + r) * hid + t] + bq[t]) * c->scale : 0.f;
    c->scores(qb, d, kt, sp, sc);
    for (long r = 0; r < rows; r++) {
      float *row = sc + r * sp;
      if (mask)
        for (long j = 0; j < s; j++) row[j] += mask[j];
      const float mx = attn_max(row, s);
      const float inv = (float)(1.0 / attn_exp_shifted(row, row, s, mx));
      for (long j = 0; j < s; j++) row[j] *= inv;
    }
    /* The context overwrites rows of q already read into qb. */
    c->pv(sc, sp, s, v, hid, d, q + i0 * hid, hid, rows);
  }
}

/* ---------------------------------------------------------------- row passes */

typedef struct {
  const float *t, *bias, *resid, *gamma, *beta;
  float *out;
  long rows, cols, ntasks;
  float eps;
  int act;
} rows_ctx;

static void row_range(const rows_ctx *c, long task, long *lo, long *hi) {
  *lo = c->rows * task / c->ntasks;
  *hi = c->rows * (task + 1) / c->ntasks;
}

/* y = LayerNorm(y) over one row of n, in place. The sums run in 16 float lanes (so they vectorise) reduced in double:
 * within ~1e-7 relative of attn_layer_norm's sequential double sums. */
#define LANES 16
CLONES void attn_layer_norm_row(float *y, long n, const float *gamma, const float *beta, float eps) {
  const long nv = n - n % LANES;
  float acc[LANES] = {0};
  for (long j0 = 0; j0 < nv; j0 += LANES)
    for (int l = 0; l < LANES; l++) acc[l] += y[j0 + l];
  double s = 0;
  for (int l = 0; l < LANES; l++) s += acc[l];
  for (long j = nv; j < n; j++) s += y[j];
  const float mu = (float)(s / n);
  float sq[LANES] = {0};
  for (long j0 = 0; j0 < nv; j0 += LANES)
    for (int l = 0; l < LANES; l++) {
      const float d = y[j0 + l] - mu;
      sq[l] += d * d;
    }
  double var = 0;
  for (int l = 0; l < LANES; l++) var += sq[l];
  for (long j = nv; j < n; j++) var += (double)(y[j] - mu) * (y[j] - mu);
  const float rs = (float)(1.0 / sqrt(var / n + eps));
  for (long j = 0; j < n; j++) y[j] = (y[j] - mu) * rs * gamma[j] + beta[j];
}

/* out = LayerNorm((t + bias) + resid). */
CLONES static void add_norm_task(void *p, long task, int thread) {
  (void)thread;
  const rows_ctx *c = p;
  long lo, hi;
  row_range(c, task, &lo, &hi);
  const long n = c->cols;
  for (long r = lo; r < hi; r++) {
    const float *t = c->t + r * n, *res = c->resid + r * n;
    float *y = c->out + r * n;
    for (long j = 0; j < n; j++) y[j] = (t[j] + c->bias[j]) + res[j];
    attn_layer_norm_row(y, n, c->gamma, c->beta, c->eps);
  }
}

#define ACT_CHUNK 1024

/* out = act(out + bias) in place, the same formulas as the unfused activations. */
CLONES static void bias_act_task(void *p, long task, int thread) {
  (void)thread;
  const rows_ctx *c = p;
  long lo, hi;
  row_range(c, task, &lo, &hi);
  const long n = c->cols;
  float z[ACT_CHUNK];
  for (long r = lo; r < hi; r++) {
    float *x = c->out + r * n;
    for (long j0 = 0; j0 < n; j0 += ACT_CHUNK) {
      const long m = n - j0 < ACT_CHUNK ? n - j0 : ACT_CHUNK;
      float *xs = x + j0;
      const float *bs = c->bias + j0;
      for (long j = 0; j < m; j++) xs[j] += bs[j];
      switch (c->act) {
        case ATTN_ACT_GELU:
          for (long j = 0; j < m; j++) z[j] = xs[j] * (float)M_SQRT1_2;
          attn_erf(z, z, m);
          for (long j = 0; j < m; j++) xs[j] = 0.5f * xs[j] * (1.f + z[j]);
          break;
        case ATTN_ACT_GELU_TANH: {
          const float k = 0.7978845608028654f; /* √(2/π) */
          for (long j = 0; j < m; j++) {
            const float v = xs[j];
            xs[j] = 0.5f * v * (1.f + tanhf(k * (v + 0.044715f * (v * v * v))));
          }
          break;
        }
        default:
          for (long j = 0; j < m; j++) xs[j] = xs[j] > 0.f ? xs[j] : 0.f;
      }
    }
  }
}

/* Work below this many element-steps runs on the calling thread (see the file comment). */
#define SERIAL_WORK (1L << 16)

static void run(long ntasks, attn_task_fn fn, void *ctx, long work) {
  if (ntasks <= 1 || work < SERIAL_WORK || attn_num_threads() == 1) {
    const int thread = attn_current_thread();
    for (long t = 0; t < ntasks; t++) fn(ctx, t, thread);
    return;
  }
  attn_parallel_for(ntasks, fn, ctx);
}

static void rows_pass(rows_ctx *c, attn_task_fn fn) {
  long threads = attn_num_threads(), work = c->rows * c->cols;
  long ntasks = work / 16384;
  if (ntasks > 2 * threads) ntasks = 2 * threads;
  if (ntasks > c->rows) ntasks = c->rows;
  if (ntasks < 1) ntasks = 1;
  c->ntasks = ntasks;
  run(ntasks, fn, c, work);
}

static void gemm(const float *a, const float *b, float *c, long m, long n, long k) {
  attn_gemm_args g = {a, b, c, 1, m, n, k, 0, 0, 0, 0, NULL, NULL};
  attn_gemm(&g);
}

/* c = a · w, or the dynamic-int8 product when the projection was quantized (bias added later by the row passes). */
static void project(const void *q8, const void *f32, const float *a, const float *b, float *c, long m, long n, long k) {
  if (q8) attn_qgemm_linear(a, m, q8, NULL, c);
  else if (f32) attn_gemm_prepacked(a, m, f32, c);
  else gemm(a, b, c, m, n, k);
}

/* ---------------------------------------------------------------- phase profile */

/* ATTN_ENCODER_LAYER_PROFILE=1: wall time per phase summed over calls, printed to stderr at exit (bench profiles);
 * =cpu: the calling thread's CPU time instead (with ATTN_NATIVE_THREADS=1, the work itself even on a busy machine). */
enum { PH_QKV, PH_ATTENTION, PH_OUT, PH_NORM1, PH_FFN1, PH_ACT, PH_FFN2, PH_NORM2, PH_COUNT };
static const char *const phase_names[PH_COUNT] = {"qkv gemm", "attention", "out gemm", "bias+res+ln1", "ffn1 gemm", "bias+act", "ffn2 gemm", "bias+res+ln2"};
static double phase_seconds[PH_COUNT];
/* Wall time of the whole calls; of split calls, the slowest share's time summed and every share's. */
static double layer_wall, split_slowest, split_shares;
static long profiled_calls, split_calls;
static int profile_on = -1;

static double now_s(void) {
  struct timespec ts;
  clock_gettime(profile_on == 2 ? CLOCK_THREAD_CPUTIME_ID : CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void print_profile(void) {
  double total = 0;
  for (int i = 0; i < PH_COUNT; i++) total += phase_seconds[i];
  /* With the layer split over threads (split calls), each phase sums every thread's time in it. */
  fprintf(stderr, "attn encoder layer profile (%s): %ld calls (%ld split over threads), %.1f ms\n", profile_on == 2 ? "caller CPU time" : "wall",
          profiled_calls, split_calls, total * 1e3);
  for (int i = 0; i < PH_COUNT; i++)
    fprintf(stderr, "  %-14s %9.1f ms  %5.1f%%\n", phase_names[i], phase_seconds[i] * 1e3, total > 0 ? 100 * phase_seconds[i] / total : 0);
  if (profile_on == 1) {
    fprintf(stderr, "  layer calls' wall time %.1f ms", layer_wall * 1e3);
    if (split_calls > 0)
      fprintf(stderr, "; split calls: slowest share %.1f ms, mean share %.1f ms (%.1f%% lost to imbalance)", split_slowest * 1e3,
              split_shares * 1e3 / attn_num_threads(), split_slowest > 0 ? 100 * (1 - split_shares / attn_num_threads() / split_slowest) : 0);
    fprintf(stderr, "\n");
  }
}

static double mark(int phase, double since) {
  if (!profile_on) return 0;
  const double t = now_s();
  if (phase >= 0) phase_seconds[phase] += t - since;
  return t;
}

/* ---------------------------------------------------------------- the layer */

/* outs[i] = x · (wq, wk, wv)[first + i] for count of them, over rows rows (biases added later, by the attention); when
 * all of them are int8, x is quantized once for the products. */
static void project_qkv(const attn_encoder_layer_args *g, const float *x, long rows, int first, int count, float *const *outs) {
  const float *const w[3] = {g->wq, g->wk, g->wv};
  int all_int8 = 1;
  for (int i = 0; i < count; i++) all_int8 &= g->q8[first + i] != NULL;
  if (all_int8 && count > 1) {
    attn_qgemm_linear_multi(x, rows, count, g->q8 + first, NULL, outs);
    return;
  }
  for (int i = 0; i < count; i++) project(g->q8[first + i], g->f32[first + i], x, w[first + i], outs[i], rows, g->hidden, g->hidden);
}

/* Masked softmax attention of nb sequences (off / len as layer_rows's; qoff: one query row per sequence, or NULL for
 * every row), the context over q. work: the multiply-adds, for the threading choice. 0, or -1 without scratch. */
static int attend(const attn_encoder_layer_args *g, float *q, float *k, float *v, const float *mask, const long *off, const long *len,
                  const long *qoff, long nb, long work) {
  attention_ctx ac = {g, q, k, v, mask, off, len, qoff, NULL, NULL, (float)(1.0 / sqrt((double)(g->hidden / g->heads))), 0};
  pick_kernels(&ac.scores, &ac.pv);
  run(nb * g->heads, attention_task, &ac, work);
  return ac.failed ? -1 : 0;
}

/* The layer past attention, over n rows: h1 = LN1(resid + ctx · wo + bo), out = LN2(h1 + act(h1 · w1 + b1) · w2 + b2).
 * tmp [n, hidden] and inter [n, inter] are scratch; out may be resid (read only by LN1). t: the profile's clock. */
static void layer_tail(const attn_encoder_layer_args *g, const float *ctx, const float *resid, float *tmp, float *h1, float *inter,
                       float *out, long n, double t) {
  const long hid = g->hidden;
  project(g->q8[3], g->f32[3], ctx, g->wo, tmp, n, hid, hid);
  t = mark(PH_OUT, t);
  rows_ctx ln1 = {tmp, g->bo, resid, g->ln1_g, g->ln1_b, h1, n, hid, 1, g->eps1, 0};
  rows_pass(&ln1, add_norm_task);
  t = mark(PH_NORM1, t);
  project(g->q8[4], g->f32[4], h1, g->w1, inter, n, g->inter, hid);
  t = mark(PH_FFN1, t);
  rows_ctx act = {NULL, g->b1, NULL, NULL, NULL, inter, n, g->inter, 1, 0.f, g->act};
  rows_pass(&act, bias_act_task);
  t = mark(PH_ACT, t);
  project(g->q8[5], g->f32[5], inter, g->w2, tmp, n, hid, g->inter);
  t = mark(PH_FFN2, t);
  rows_ctx ln2 = {tmp, g->b2, h1, g->ln2_g, g->ln2_b, out, n, hid, 1, g->eps2, 0};
  rows_pass(&ln2, add_norm_task);
  mark(PH_NORM2, t);
}

/* The layer over `rows` rows of x into y (sequences as off / len, or uniform when NULL). */
static int layer_rows(const attn_encoder_layer_args *g, const float *x, float *y, long rows, const float *mask, const long *off,
                      const long *len) {
  const long hid = g->hidden;
  if (rows == 0) return 0;
  const size_t block = ((size_t)rows * hid + 15) & ~(size_t)15;
  const size_t inter_floats = ((size_t)rows * g->inter + 15) & ~(size_t)15;
  const int thread = attn_current_thread();
  float *base = grow(&layer_scratch[thread], &layer_scratch_floats[thread], 4 * block + inter_floats);
  if (!base) return -1;
  float *q = base, *k = q + block, *v = k + block, *h1 = v + block, *inter = h1 + block;
  double t = mark(-1, 0);

  float *qkv[3] = {q, k, v};
  project_qkv(g, x, rows, 0, 3, qkv);
  t = mark(PH_QKV, t);

  /* Per (batch, head): 4·seq²·d multiply-adds over its slice. */
  if (attend(g, q, k, v, mask, off, len, NULL, g->batch, 4 * rows * (rows / (g->batch > 0 ? g->batch : 1)) * hid / 16) != 0) return -1;
  t = mark(PH_ATTENTION, t);

  layer_tail(g, q, x, k, h1, inter, y, rows, t); /* the context now lives in q; k is free */
  return 0;
}

/* The layer for a caller that reads only each sequence's first row (the last layer under a sequence classifier): K
 * and V for every row, then Q, attention, the output projection, both LayerNorms and the FFN for the first rows
 * alone. Those rows equal the full layer's; y's other rows are x unchanged. K and V are a sixth of a layer's products
 * (with a 4h FFN), so BERT-mini's 4 layers do about 21% fewer, BERT-base's 12 about 7%. ATTN_FIRST_ROWS=0 turns it
 * off. */
static int layer_rows_first(const attn_encoder_layer_args *g, const float *x, float *y, long rows, const float *mask, const long *off,
                            const long *len) {
  const long hid = g->hidden, nb = g->batch;
  if (rows == 0 || nb == 0) return 0;
  const size_t block = ((size_t)rows * hid + 15) & ~(size_t)15, fblock = ((size_t)nb * hid + 15) & ~(size_t)15;
  const size_t finter = ((size_t)nb * g->inter + 15) & ~(size_t)15;
  const int thread = attn_current_thread();
  float *base = grow(&layer_scratch[thread], &layer_scratch_floats[thread], 2 * block + 4 * fblock + finter);
  long *idx = malloc(sizeof(long) * 3 * (size_t)nb);
  if (!base || !idx) {
    free(idx);
    return -1;
  }
  float *k = base, *v = k + block, *xf = v + block, *q = xf + fblock, *o = q + fblock, *h1 = o + fblock, *inter = h1 + fblock;
  long *koff = idx, *klen = koff + nb, *qoff = klen + nb;
  for (long b = 0; b < nb; b++) {
    koff[b] = off ? off[b] : b * g->seq, klen[b] = len ? len[b] : g->seq, qoff[b] = b;
    memcpy(xf + b * hid, x + koff[b] * hid, sizeof(float) * (size_t)hid);
  }
  double t = mark(-1, 0);
  float *kv[2] = {k, v};
  project_qkv(g, x, rows, 1, 2, kv);
  project_qkv(g, xf, nb, 0, 1, &q);
  t = mark(PH_QKV, t);
  if (attend(g, q, k, v, mask, koff, klen, qoff, nb, 4 * rows * hid) != 0) {
    free(idx);
    return -1;
  }
  t = mark(PH_ATTENTION, t);
  layer_tail(g, q, xf, o, h1, inter, xf, nb, t); /* the first rows' outputs replace their inputs in xf */
  if (y != x) memcpy(y, x, sizeof(float) * (size_t)rows * hid);
  for (long b = 0; b < nb; b++) memcpy(y + koff[b] * hid, xf + b * hid, sizeof(float) * (size_t)hid);
  free(idx);
  return 0;
}

static int first_on = -1; /* ATTN_FIRST_ROWS=0 computes every row even when the caller reads only the first ones (A/Bs) */

static int layer_any(const attn_encoder_layer_args *g, const float *x, float *y, long rows, const float *mask, const long *off, const long *len) {
  return g->first_only && first_on ? layer_rows_first(g, x, y, rows, mask, off, len) : layer_rows(g, x, y, rows, mask, off, len);
}

/* The whole layer per thread: the sequences split into one contiguous share per pool thread, balanced by rows, and
 * each share run through every phase on its own thread (its GEMMs and row passes serial there). The phases then need
 * no fork and join between them, and no thread waits at a phase's end for the slowest slice: on 2 threads of a
 * Sapphire-Rapids-class Xeon, BERT-mini over 32 sequences of ~14 tokens ran at 1.58x its 1-thread speed with every
 * phase threaded (qkv 1.47x, attention 1.23x). Each thread now reads all the weights, where a product split by columns
 * (m < n) had each read half: for BERT-base's weights that costs memory traffic, which the GEMM's B prefetch covers.
 * Only with at least as many sequences as threads and enough work; ATTN_LAYER_SPLIT=0 turns it off (A/Bs). */
/* Padding skipped: packed row i is row idx[i] of the whole [batch · seq] x, y and mask; xc, yc and mc hold the packed
 * rows. Each share of the split gathers and scatters its own sequences' rows. */
typedef struct {
  const long *idx;
  float *xc, *yc, *mc;
} gather_map;

typedef struct {
  const attn_encoder_layer_args *g;
  const float *x;
  float *y;
  const float *mask;
  const long *off, *len; /* as layer_rows's (NULL: uniform) */
  const gather_map *map; /* NULL: x, y and mask are the rows themselves */
  long first[ATTN_MAX_THREADS + 1]; /* share t is sequences first[t] .. first[t + 1] */
  int rc[ATTN_MAX_THREADS];
  double seconds[ATTN_MAX_THREADS]; /* each share's wall time, when profiling */
} split_ctx;

static long seq_off(const split_ctx *c, long b) { return c->off ? c->off[b] : b * c->g->seq; }
static long seq_len(const split_ctx *c, long b) { return c->len ? c->len[b] : c->g->seq; }

static void split_task(void *p, long task, int thread) {
  (void)thread;
  split_ctx *c = p;
  const long b0 = c->first[task], nb = c->first[task + 1] - b0, hid = c->g->hidden;
  c->rc[task] = 0;
  c->seconds[task] = 0;
  if (nb <= 0) return;
  const double t0 = mark(-1, 0);
  long *off = malloc(sizeof(long) * 2 * (size_t)nb);
  if (!off) {
    c->rc[task] = -1;
    return;
  }
  long *len = off + nb;
  const long r0 = seq_off(c, b0);
  for (long i = 0; i < nb; i++) off[i] = seq_off(c, b0 + i) - r0, len[i] = seq_len(c, b0 + i);
  const long rows = off[nb - 1] + len[nb - 1];
  attn_encoder_layer_args share = *c->g;
  share.batch = nb;
  const gather_map *m = c->map;
  if (m) {
    const size_t row_bytes = sizeof(float) * (size_t)hid;
    for (long i = r0; i < r0 + rows; i++) {
      memcpy(m->xc + i * hid, c->x + m->idx[i] * hid, row_bytes);
      m->mc[i] = c->mask[m->idx[i]];
    }
    c->rc[task] = layer_any(&share, m->xc + r0 * hid, m->yc + r0 * hid, rows, m->mc + r0, off, len);
    /* This share's rows of y, in order (idx ascends): the kept ones from the layer, the padded ones x unchanged. */
    long i = r0;
    for (long r = b0 * c->g->seq; r < (b0 + nb) * c->g->seq; r++) {
      if (i < r0 + rows && m->idx[i] == r) memcpy(c->y + r * hid, m->yc + i++ * hid, row_bytes);
      else if (c->y != c->x) memcpy(c->y + r * hid, c->x + r * hid, row_bytes);
    }
  } else {
    c->rc[task] = layer_any(&share, c->x + r0 * hid, c->y + r0 * hid, rows, c->mask ? c->mask + r0 : NULL, off, len);
  }
  c->seconds[task] = mark(-1, 0) - t0;
  free(off);
}

static int split_on = -1;

/* The layer over `rows` rows (sequences as off / len, or uniform when NULL); with a gather map, x, y and mask are the
 * whole arrays and the rows are gathered into and scattered from the map's buffers. */
static int layer_split(const attn_encoder_layer_args *g, const float *x, float *y, long rows, const float *mask, const long *off,
                       const long *len, const gather_map *map) {
  if (split_on < 0) {
    const char *env = getenv("ATTN_LAYER_SPLIT");
    split_on = !(env && strcmp(env, "0") == 0);
  }
  long threads = attn_num_threads();
  if (threads > ATTN_MAX_THREADS) threads = ATTN_MAX_THREADS;
  /* Under ~2 MFLOP of products the second thread's wake-up is not paid back (the GEMM's own floor is 1 MFLOP). */
  const double flops = 2.0 * rows * g->hidden * (4.0 * g->hidden + 2.0 * g->inter);
  split_ctx c;
  c.g = g, c.x = x, c.y = y, c.mask = mask, c.off = off, c.len = len;
  c.map = map;
  if (!split_on || threads < 2 || g->batch < threads || flops < 2e6) {
    if (!map) return layer_any(g, x, y, rows, mask, off, len);
    /* One share on the calling thread, its products threaded as usual. */
    c.first[0] = 0, c.first[1] = g->batch;
    split_task(&c, 0, attn_current_thread());
    return c.rc[0];
  }
  /* Contiguous shares of about rows / threads rows each: a sequence joins a share when its middle row falls within
   * the share's target; every share gets at least one sequence. */
  long b = 0, done = 0;
  for (long t = 0; t < threads; t++) {
    c.first[t] = b;
    const long target = rows * (t + 1) / threads, left = threads - 1 - t;
    while (b < g->batch - left) {
      const long l = seq_len(&c, b);
      if (b > c.first[t] && 2 * done + l > 2 * target) break;
      done += l;
      b++;
    }
  }
  c.first[threads] = g->batch;
  split_calls++;
  attn_parallel_for(threads, split_task, &c);
  double slowest = 0;
  for (long t = 0; t < threads; t++) {
    if (c.rc[t] < 0) return -1;
    split_shares += c.seconds[t];
    if (c.seconds[t] > slowest) slowest = c.seconds[t];
  }
  split_slowest += slowest;
  return 0;
}

/* Padding skipped (attn_encoder_layer_args.skip_padded): the kept rows of x gathered, the layer run on them, and
 * scattered back; 1 when nothing is padded (the caller runs the layer as usual). */
#define PAD_BELOW (-1e4f)
static float *pad_scratch;
static size_t pad_scratch_floats;

static int layer_skipping_padding(const attn_encoder_layer_args *g) {
  const long B = g->batch, S = g->seq, hid = g->hidden, rows = B * S;
  /* One pass: each sequence's real tokens and its first position, or all its rows when it has no real token. */
  long *idx = malloc(sizeof(long) * (size_t)(rows + 2 * B));
  if (!idx) return -1;
  long *off = idx + rows, *len = off + B, kept = 0;
  for (long b = 0; b < B; b++) {
    const float *m = g->mask + b * S;
    off[b] = kept;
    for (long s = 0; s < S; s++)
      if (s == 0 || m[s] > PAD_BELOW) idx[kept++] = b * S + s;
    if (kept - off[b] == 1 && !(m[0] > PAD_BELOW)) /* only the padded first position: the whole sequence */
      for (long s = 1; s < S; s++) idx[kept++] = b * S + s;
    len[b] = kept - off[b];
  }
  if (kept == rows) {
    free(idx);
    return 1;
  }
  const size_t cblock = ((size_t)kept * hid + 15) & ~(size_t)15;
  float *buf = grow(&pad_scratch, &pad_scratch_floats, 2 * cblock + (((size_t)kept + 15) & ~(size_t)15));
  if (!buf) {
    free(idx);
    return -1;
  }
  const gather_map map = {idx, buf, buf + cblock, buf + 2 * cblock};
  const int rc = layer_split(g, g->x, g->y, kept, g->mask, off, len, &map);
  free(idx);
  return rc;
}

static int encoder_layer_locked(const attn_encoder_layer_args *g) {
  if (first_on < 0) {
    const char *env = getenv("ATTN_FIRST_ROWS");
    first_on = !(env && strcmp(env, "0") == 0);
  }
  if (profile_on < 0) {
    const char *env = getenv("ATTN_ENCODER_LAYER_PROFILE");
    profile_on = !env ? 0 : strcmp(env, "1") == 0 ? 1 : strcmp(env, "cpu") == 0 ? 2 : 0;
    if (profile_on) atexit(print_profile);
  }
  profiled_calls++;
  const double t0 = mark(-1, 0);
  int rc = 1;
  if (g->skip_padded && g->mask) rc = layer_skipping_padding(g);
  if (rc > 0) rc = layer_split(g, g->x, g->y, g->batch * g->seq, g->mask, NULL, NULL, NULL);
  if (profile_on == 1) layer_wall += mark(-1, 0) - t0;
  return rc;
}

int attn_encoder_layer(const attn_encoder_layer_args *g) {
  pthread_mutex_lock(&layer_mu);
  const int rc = encoder_layer_locked(g);
  pthread_mutex_unlock(&layer_mu);
  return rc;
}

/* ---------------------------------------------------------------- N-API entry */

#define N_OFFSETS 19
#define N_DIMS 8

/* Reads an optional array of 6 (ArrayBuffer | null) for wq, wk, wv, wo, w1, w2 into out: int8Pack's buffers (packed 0)
 * or gemmPack's (packed 1), each for an [n_out[i], k_in[i]] weight; entries where skip[i] is set are ignored. 0 with
 * a RangeError thrown on a bad array or entry. */
static int weight_buffers(napi_env env, napi_value v, int packed, const long *n_out, const long *k_in, const void *const *skip, const void **out) {
  const char *name = packed ? "packed" : "int8";
  char msg[160];
  napi_valuetype type = napi_undefined;
  napi_typeof(env, v, &type);
  if (type == napi_undefined || type == napi_null) return 1;
  bool is_array = false;
  uint32_t len = 0;
  if (napi_is_array(env, v, &is_array) != napi_ok || !is_array || napi_get_array_length(env, v, &len) != napi_ok || len != 6) {
    snprintf(msg, sizeof msg, "attn-native: encoderLayer: %s must be an array of 6 (ArrayBuffer | null): wq, wk, wv, wo, w1, w2", name);
    attn_throw_range(env, msg);
    return 0;
  }
  for (uint32_t i = 0; i < 6; i++) {
    napi_value e;
    napi_valuetype et;
    if (napi_get_element(env, v, i, &e) != napi_ok || napi_typeof(env, e, &et) != napi_ok) {
      snprintf(msg, sizeof msg, "attn-native: encoderLayer: bad %s entry", name);
      attn_throw_range(env, msg);
      return 0;
    }
    if (et == napi_null || et == napi_undefined || (skip && skip[i])) continue;
    bool ab = false;
    void *data;
    size_t bytes;
    long n = -1, k = -1;
    const int ok = napi_is_arraybuffer(env, e, &ab) == napi_ok && ab && napi_get_arraybuffer_info(env, e, &data, &bytes) == napi_ok &&
                   (packed ? attn_gemm_packed_shape(data, bytes, &k, &n) : attn_qgemm_packed_shape(data, bytes, &n, &k));
    if (!ok || n != n_out[i] || k != k_in[i]) {
      if (packed) snprintf(msg, sizeof msg, "attn-native: encoderLayer: packed[%u] must be gemmPack's buffer for a [%ld, %ld] weight", i, k_in[i], n_out[i]);
      else snprintf(msg, sizeof msg, "attn-native: encoderLayer: int8[%u] must be int8Pack's buffer for a [%ld, %ld] weight", i, n_out[i], k_in[i]);
      attn_throw_range(env, msg);
      return 0;
    }
    out[i] = data;
  }
  return 1;
}

napi_value attn_js_encoder_layer(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 3)
    return attn_throw_range(env, "attn-native: encoderLayer(heap, offsets, dims) takes 3 arguments");
  void *heap_data;
  size_t heap_len;
  if (!attn_heap_arg(env, argv[0], &heap_data, &heap_len))
    return attn_throw_range(env, "attn-native: encoderLayer: argument 0 must be the wasm memory ArrayBuffer");
  const double *off = attn_float64_array(env, argv[1], N_OFFSETS), *dims = attn_float64_array(env, argv[2], N_DIMS);
  if (!off || !dims) return attn_throw_range(env, "attn-native: encoderLayer: offsets must be a Float64Array[19] and dims a Float64Array[8]");
  for (int i = 0; i < 5; i++)
    if (!attn_whole(dims[i])) return attn_throw_range(env, "attn-native: encoderLayer: batch, seq, hidden, heads and inter must be non-negative integers");
  attn_encoder_layer_args a;
  memset(&a, 0, sizeof a);
  a.batch = (long)dims[0], a.seq = (long)dims[1], a.hidden = (long)dims[2], a.heads = (long)dims[3], a.inter = (long)dims[4];
  a.act = (int)dims[5];
  a.eps1 = (float)dims[6], a.eps2 = (float)dims[7];
  const double *dims9 = attn_float64_array(env, argv[2], N_DIMS + 1);
  /* dims[8]: bit 0 skip padded rows, bit 1 first rows only (an addon before the second bit skips padding alone,
   * computing every row: still right). */
  const long flags = dims9 && attn_whole(dims9[8]) ? (long)dims9[8] : 0;
  a.skip_padded = (flags & 1) != 0;
  a.first_only = (flags & 2) != 0;
  if (a.heads < 1 || a.hidden < 1 || a.inter < 1 || a.hidden % a.heads != 0)
    return attn_throw_range(env, "attn-native: encoderLayer: hidden must be a positive multiple of heads, inter positive");
  if (a.act < ATTN_ACT_GELU || a.act > ATTN_ACT_RELU) return attn_throw_range(env, "attn-native: encoderLayer: unknown activation code");
  if (!(dims[6] >= 0) || !(dims[7] >= 0)) return attn_throw_range(env, "attn-native: encoderLayer: eps must be non-negative");
  const long rows = a.batch * a.seq, h = a.hidden, in = a.inter;
  /* Extent in floats of each offset's tensor, in the order of the offsets table. */
  const long extent[N_OFFSETS] = {rows * h, a.batch * a.seq, h * h, h, h * h, h, h * h, h, h * h, h, h, h,
                                  h * in, in, in * h, h, h, h, rows * h};
  /* Optional int8 projections: offsets 2 4 6 8 12 14 (wq wk wv wo w1 w2) are then unused. */
  const void *q8[6] = {NULL, NULL, NULL, NULL, NULL, NULL}, *f32[6] = {NULL, NULL, NULL, NULL, NULL, NULL};
  static const int q8_offset[6] = {2, 4, 6, 8, 12, 14};
  const long out_n[6] = {h, h, h, h, in, h}, in_k[6] = {h, h, h, h, h, in};
  if (argc > 3 && !weight_buffers(env, argv[3], 0, out_n, in_k, NULL, q8)) return NULL;
  /* Optional float weights packed once (gemmPack), for the same six projections (an int8 one wins). */
  if (argc > 4 && !weight_buffers(env, argv[4], 1, out_n, in_k, q8, f32)) return NULL;
  const float *ptr[N_OFFSETS];
  for (int i = 0; i < N_OFFSETS; i++) {
    int quantized = 0;
    for (int j = 0; j < 6; j++) quantized |= q8[j] && q8_offset[j] == i;
    if ((i == 1 && off[i] < 0) || quantized) {
      ptr[i] = NULL;
      continue;
    }
    if (!attn_whole(off[i]) || (long)off[i] % 4 != 0 || (unsigned long)off[i] + (unsigned long)extent[i] * 4ul > heap_len) {
      char msg[128];
      snprintf(msg, sizeof msg, "attn-native: encoderLayer: offset %d (byte %.0f, %ld floats) is outside the %zu-byte heap", i,
               off[i], extent[i], heap_len);
      return attn_throw_range(env, msg);
    }
    ptr[i] = (const float *)((const uint8_t *)heap_data + (long)off[i]);
  }
  a.x = ptr[0], a.mask = ptr[1];
  a.wq = ptr[2], a.bq = ptr[3], a.wk = ptr[4], a.bk = ptr[5], a.wv = ptr[6], a.bv = ptr[7];
  a.wo = ptr[8], a.bo = ptr[9], a.ln1_g = ptr[10], a.ln1_b = ptr[11];
  a.w1 = ptr[12], a.b1 = ptr[13], a.w2 = ptr[14], a.b2 = ptr[15], a.ln2_g = ptr[16], a.ln2_b = ptr[17];
  a.y = (float *)ptr[18];
  for (int j = 0; j < 6; j++) a.q8[j] = q8[j], a.f32[j] = f32[j];
  if (attn_encoder_layer(&a) != 0) return attn_throw_range(env, "attn-native: encoderLayer: out of memory for the layer's scratch");
  return NULL;
}
