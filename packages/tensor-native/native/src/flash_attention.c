/* Tiled attention forward and backward; see flash_attention.h for the algorithm and the dropout hash.
 *
 * Tiles are BQ = 64 query rows × BK = 128 keys (measured on AVX-512 at d = 64: 64 × 128 ran the forward ~10% faster
 * than 64 × 64; the backward the same). Every product of a tile is a small GEMM C (+)= A·B where B's rows are
 * contiguous (K or V rows, or Kᵀ/Vᵀ packed once per key tile) and A is read with any row/column stride,
 * so Pᵀ and dSᵀ need no transposed copy. Forward tasks are (batch·head, query tile); backward tasks are
 * (batch·head): each owns its dQ, dK and dV slices, so no two threads write the same float. */
#include "flash_attention.h"

#include <immintrin.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gemm.h"
#include "thread_pool.h"
#include "vector_math.h"

#define BQ 64
#define BK 128

/* ------------------------------------------------------------------ small GEMM */

/* C[m, n] (ldc) = (acc ? C : 0) + A·B; A(r, k) = a[r·ars + k·aks], B(k, j) = b[k·ldb + j]. */
typedef void (*mm_fn)(long m, long n, long kk, const float *a, long ars, long aks, const float *b, long ldb,
                      float *c, long ldc, int acc);

#define MM_GENERIC_BODY                                                          \
  for (long r = 0; r < m; r++) {                                                 \
    float *cr = c + r * ldc;                                                     \
    if (!acc)                                                                    \
      for (long j = 0; j < n; j++) cr[j] = 0.f;                                  \
    for (long k = 0; k < kk; k++) {                                              \
      const float x = a[r * ars + k * aks];                                      \
      const float *bk = b + k * ldb;                                             \
      for (long j = 0; j < n; j++) cr[j] += x * bk[j];                           \
    }                                                                            \
  }

static void mm_portable(long m, long n, long kk, const float *a, long ars, long aks, const float *b, long ldb,
                        float *c, long ldc, int acc) {
  MM_GENERIC_BODY
}

/* The same loops, vectorised by the compiler for AVX2 + FMA. */
__attribute__((target("avx2,fma"))) static void mm_avx2(long m, long n, long kk, const float *a, long ars, long aks,
                                                         const float *b, long ldb, float *c, long ldc, int acc) {
  MM_GENERIC_BODY
}

/* MR rows × 32 columns of C in 2·MR zmm registers; `mask0/1` cover a ragged last column block. */
#define MM512_TILE(MR)                                                                                         \
  __attribute__((target("avx512f"), always_inline)) static inline void mm512_tile_##MR(                        \
      long kk, const float *a, long ars, long aks, const float *b, long ldb, float *c, long ldc, int acc,      \
      __mmask16 mask0, __mmask16 mask1) {                                                                      \
    __m512 c0[MR], c1[MR];                                                                                     \
    for (int r = 0; r < MR; r++) {                                                                             \
      c0[r] = acc ? _mm512_maskz_loadu_ps(mask0, c + r * ldc) : _mm512_setzero_ps();                           \
      c1[r] = acc ? _mm512_maskz_loadu_ps(mask1, c + r * ldc + 16) : _mm512_setzero_ps();                      \
    }                                                                                                          \
    for (long k = 0; k < kk; k++) {                                                                            \
      const __m512 b0 = _mm512_maskz_loadu_ps(mask0, b + k * ldb);                                             \
      const __m512 b1 = _mm512_maskz_loadu_ps(mask1, b + k * ldb + 16);                                        \
      const float *ak = a + k * aks;                                                                           \
      for (int r = 0; r < MR; r++) {                                                                           \
        const __m512 x = _mm512_set1_ps(ak[r * ars]);                                                          \
        c0[r] = _mm512_fmadd_ps(x, b0, c0[r]);                                                                 \
        c1[r] = _mm512_fmadd_ps(x, b1, c1[r]);                                                                 \
      }                                                                                                        \
    }                                                                                                          \
    for (int r = 0; r < MR; r++) {                                                                             \
      _mm512_mask_storeu_ps(c + r * ldc, mask0, c0[r]);                                                        \
      _mm512_mask_storeu_ps(c + r * ldc + 16, mask1, c1[r]);                                                   \
    }                                                                                                          \
  }
MM512_TILE(8)
MM512_TILE(4)
MM512_TILE(1)

__attribute__((target("avx512f"))) static void mm_avx512(long m, long n, long kk, const float *a, long ars, long aks,
                                                          const float *b, long ldb, float *c, long ldc, int acc) {
  for (long j = 0; j < n; j += 32) {
    const long w = n - j < 32 ? n - j : 32;
    const __mmask16 m0 = (__mmask16)(w >= 16 ? 0xFFFF : (1u << w) - 1u);
    const __mmask16 m1 = (__mmask16)(w >= 32 ? 0xFFFF : w > 16 ? (1u << (w - 16)) - 1u : 0u);
    long r = 0;
    for (; r + 8 <= m; r += 8) mm512_tile_8(kk, a + r * ars, ars, aks, b + j, ldb, c + r * ldc + j, ldc, acc, m0, m1);
    for (; r + 4 <= m; r += 4) mm512_tile_4(kk, a + r * ars, ars, aks, b + j, ldb, c + r * ldc + j, ldc, acc, m0, m1);
    for (; r < m; r++) mm512_tile_1(kk, a + r * ars, ars, aks, b + j, ldb, c + r * ldc + j, ldc, acc, m0, m1);
  }
}


/* ------------------------------------------------------------------ dropout hash */

static inline uint64_t splitmix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

static inline uint32_t fmix32(uint32_t h) {
  h ^= h >> 16;
  h *= 0x85EBCA6Bu;
  h ^= h >> 13;
  h *= 0xC2B2AE35u;
  h ^= h >> 16;
  return h;
}

static inline uint32_t keep_threshold(float rate) {
  const double t = (double)rate * 4294967296.0;
  return t >= 4294967295.0 ? 0xFFFFFFFFu : (uint32_t)t;
}

/* keep[j] = 0 or `scale` for keys j0 … j0 + n − 1 of global row `row`. The loop is plain 32-bit integer
 * arithmetic; compiled for AVX-512 / AVX2 it runs 16 / 8 keys per instruction (one mask per tile entry, in the
 * forward and again in the backward). */
#define KEEP_ROW_BODY                                                                 \
  const uint64_t key = splitmix64(seed * 0x9E3779B97F4A7C15ull + row);               \
  const uint32_t lo = (uint32_t)key, hi = (uint32_t)(key >> 32);                     \
  for (long j = 0; j < n; j++) {                                                     \
    const uint32_t u = fmix32((lo + (uint32_t)(j0 + j) * 0x9E3779B9u) ^ hi);         \
    keep[j] = u >= threshold ? scale : 0.f;                                          \
  }

static void keep_row_portable(uint64_t seed, uint64_t row, long j0, long n, uint32_t threshold, float scale, float *keep) {
  KEEP_ROW_BODY
}
__attribute__((target("avx2"))) static void keep_row_avx2(uint64_t seed, uint64_t row, long j0, long n, uint32_t threshold,
                                                           float scale, float *keep) {
  KEEP_ROW_BODY
}
__attribute__((target("avx512f"))) static void keep_row_avx512(uint64_t seed, uint64_t row, long j0, long n,
                                                               uint32_t threshold, float scale, float *keep) {
  KEEP_ROW_BODY
}

typedef void (*keep_fn)(uint64_t, uint64_t, long, long, uint32_t, float, float *);
static keep_fn keep_row = keep_row_portable;
static mm_fn pick_isa(void);

void attn_flash_dropout_mask(float *out, long rows, long seq_k, float rate, uint64_t seed) {
  const uint32_t thr = keep_threshold(rate);
  const float scale = 1.f / (1.f - rate);
  pick_isa();
  for (long r = 0; r < rows; r++) keep_row(seed, (uint64_t)r, 0, seq_k, thr, scale, out + r * seq_k);
}

/* Picks the tile GEMM and the dropout loop for this CPU; attn_gemm_isa honours ATTN_NATIVE_ISA, so the forced
 * paths are tested here too. Every ISA gives the same keep mask (integer arithmetic). */
static mm_fn pick_isa(void) {
  const char *isa = attn_gemm_isa();
  if (strcmp(isa, "avx512") == 0) {
    keep_row = keep_row_avx512;
    return mm_avx512;
  }
  if (strcmp(isa, "avx2") == 0) {
    keep_row = keep_row_avx2;
    return mm_avx2;
  }
  keep_row = keep_row_portable;
  return mm_portable;
}

/* ------------------------------------------------------------------ shared tile logic */

typedef struct {
  const attn_flash_args *a;
  mm_fn mm;
  long q_tiles;
  uint32_t threshold;
  float keep_scale;
} plan_t;

/* Keys of query row i that are visible: [0, limit) (all of them without causal). */
static inline long visible_keys(const attn_flash_args *a, long i) {
  if (!a->causal) return a->seq_k;
  const long lim = i + a->causal_offset + 1;
  return lim < 0 ? 0 : lim > a->seq_k ? a->seq_k : lim;
}

/* Adds the additive mask to tile row s[0 .. n) (keys c0 …) of query i of (b, h). */
static inline void add_mask(const attn_flash_args *a, long b, long h, long i, long c0, long n, float *s) {
  if (!a->mask) return;
  const float *mrow = a->mask + b * a->mask_stride[0] + h * a->mask_stride[1] + i * a->mask_stride[2];
  const long sk = a->mask_stride[3];
  if (sk == 0) {
    const float x = mrow[0];
    for (long j = 0; j < n; j++) s[j] += x;
  } else {
    for (long j = 0; j < n; j++) s[j] += mrow[(c0 + j) * sk];
  }
}

/* Copies rows [c0, c0 + n) of x [seq, d] transposed into t [d, n]. */
static void pack_transposed(const float *x, long d, long c0, long n, float *t) {
  for (long j = 0; j < n; j++) {
    const float *row = x + (c0 + j) * d;
    for (long e = 0; e < d; e++) t[e * n + j] = row[e];
  }
}

/* ------------------------------------------------------------------ forward */

static void forward_task(void *ctx, long task, int thread) {
  (void)thread;
  const plan_t *pl = ctx;
  const attn_flash_args *a = pl->a;
  const long d = a->dim, bh = task / pl->q_tiles, r0 = (task % pl->q_tiles) * BQ;
  const long nq = a->seq_q - r0 < BQ ? a->seq_q - r0 : BQ;
  const long b = bh / a->heads, h = bh % a->heads;
  const float *q = a->q + (bh * a->seq_q + r0) * d;
  const float *k = a->k + bh * a->seq_k * d;
  const float *v = a->v + bh * a->seq_k * d;
  float *out = a->out + (bh * a->seq_q + r0) * d;
  float *row_max = a->row_max + bh * a->seq_q + r0, *row_sum = a->row_sum + bh * a->seq_q + r0;
  const int dropout = a->dropout_rate > 0;

  /* Scratch: scaled Q tile, Kᵀ tile, score tile, keep mask row, and the unnormalised output in `out`. */
  float *buf = malloc(sizeof(float) * (size_t)(BQ * d + d * BK + BQ * BK + BK));
  float *qs = buf, *kt = qs + BQ * d, *s = kt + d * BK, *keep = s + BQ * BK;
  for (long x = 0; x < nq * d; x++) qs[x] = q[x] * a->scale;
  memset(out, 0, sizeof(float) * (size_t)(nq * d));
  long lim[BQ];
  long max_lim = 0;
  for (long r = 0; r < nq; r++) {
    row_max[r] = -INFINITY;
    row_sum[r] = 0.f;
    lim[r] = visible_keys(a, r0 + r);
    if (lim[r] > max_lim) max_lim = lim[r];
  }
  for (long c0 = 0; c0 < max_lim; c0 += BK) {
    const long nk = a->seq_k - c0 < BK ? a->seq_k - c0 : BK;
    pack_transposed(k, d, c0, nk, kt);
    pl->mm(nq, nk, d, qs, d, 1, kt, nk, s, nk, 0); /* s = scale·Q Kᵀ, [nq, nk] */
    for (long r = 0; r < nq; r++) {
      float *sr = s + r * nk;
      long n = lim[r] - c0;
      n = n < 0 ? 0 : n > nk ? nk : n;
      if (n == 0) {
        memset(sr, 0, sizeof(float) * (size_t)nk);
        continue;
      }
      add_mask(a, b, h, r0 + r, c0, n, sr);
      const float m_old = row_max[r];
      const float bm = attn_max(sr, n);
      const float m_new = bm > m_old ? bm : m_old;
      const double sum = attn_exp_shifted(sr, sr, n, m_new);
      for (long j = n; j < nk; j++) sr[j] = 0.f;
      if (row_sum[r] > 0.f && m_new != m_old) {
        /* Rescale what earlier key tiles summed under the old max. */
        const float alpha = expf(m_old - m_new);
        row_sum[r] *= alpha;
        float *o = out + r * d;
        for (long e = 0; e < d; e++) o[e] *= alpha;
      }
      row_sum[r] += (float)sum;
      row_max[r] = m_new;
      if (dropout) {
        keep_row(a->seed, (uint64_t)(bh * a->seq_q + r0 + r), c0, n, pl->threshold, pl->keep_scale, keep);
        for (long j = 0; j < n; j++) sr[j] *= keep[j];
      }
    }
    pl->mm(nq, d, nk, s, nk, 1, v + c0 * d, d, out, d, 1); /* out += P' V */
  }
  for (long r = 0; r < nq; r++) {
    float *o = out + r * d;
    const float inv = row_sum[r] > 0.f ? 1.f / row_sum[r] : 0.f;
    for (long e = 0; e < d; e++) o[e] *= inv;
    if (!(row_sum[r] > 0.f)) row_max[r] = 0.f; /* a row that sees no key: out 0, no gradient */
  }
  free(buf);
}

void attn_flash_forward(const attn_flash_args *a) {
  if (a->batch * a->heads * a->seq_q == 0) return;
  if (a->seq_k == 0 || a->dim == 0) {
    memset(a->out, 0, sizeof(float) * (size_t)(a->batch * a->heads * a->seq_q * a->dim));
    for (long x = 0; x < a->batch * a->heads * a->seq_q; x++) a->row_max[x] = a->row_sum[x] = 0.f;
    if (a->seq_k == 0) return;
  }
  plan_t pl = {a, pick_isa(), (a->seq_q + BQ - 1) / BQ, keep_threshold(a->dropout_rate), 1.f / (1.f - a->dropout_rate)};
  attn_parallel_for(a->batch * a->heads * pl.q_tiles, forward_task, &pl);
}

/* ------------------------------------------------------------------ backward */

static void backward_task(void *ctx, long bh, int thread) {
  (void)thread;
  const plan_t *pl = ctx;
  const attn_flash_args *a = pl->a;
  const long d = a->dim, sq = a->seq_q, sk = a->seq_k;
  const long b = bh / a->heads, h = bh % a->heads;
  const float *q = a->q + bh * sq * d, *k = a->k + bh * sk * d, *v = a->v + bh * sk * d;
  const float *o = a->out + bh * sq * d, *dout = a->dout + bh * sq * d;
  const float *row_max = a->row_max + bh * sq, *row_sum = a->row_sum + bh * sq;
  float *dq = a->dq + bh * sq * d, *dk = a->dk + bh * sk * d, *dv = a->dv + bh * sk * d;
  const int dropout = a->dropout_rate > 0;

  /* Scratch: scale·Q and D = rowsum(dO ⊙ O) for every query (linear in seq), Kᵀ and Vᵀ of one key tile,
   * and the P, dP and keep tiles. */
  float *buf = malloc(sizeof(float) * (size_t)(sq * d + sq + 2 * d * BK + 3 * BQ * BK));
  float *qs = buf, *dd = qs + sq * d, *kt = dd + sq, *vt = kt + d * BK, *p = vt + d * BK, *dp = p + BQ * BK,
        *keep = dp + BQ * BK;
  for (long x = 0; x < sq * d; x++) qs[x] = q[x] * a->scale;
  for (long i = 0; i < sq; i++) {
    double acc = 0;
    for (long e = 0; e < d; e++) acc += (double)dout[i * d + e] * o[i * d + e];
    dd[i] = (float)acc;
  }
  memset(dq, 0, sizeof(float) * (size_t)(sq * d));
  memset(dk, 0, sizeof(float) * (size_t)(sk * d));
  memset(dv, 0, sizeof(float) * (size_t)(sk * d));

  for (long c0 = 0; c0 < sk; c0 += BK) {
    const long nk = sk - c0 < BK ? sk - c0 : BK;
    int packed = 0;
    for (long r0 = 0; r0 < sq; r0 += BQ) {
      const long nq = sq - r0 < BQ ? sq - r0 : BQ;
      /* Causal: the tile's last query sees the most keys; skip tiles wholly past the diagonal. */
      if (visible_keys(a, r0 + nq - 1) <= c0) continue;
      if (!packed) {
        pack_transposed(k, d, c0, nk, kt);
        pack_transposed(v, d, c0, nk, vt);
        packed = 1;
      }
      pl->mm(nq, nk, d, qs + r0 * d, d, 1, kt, nk, p, nk, 0); /* s = scale·Q Kᵀ */
      for (long r = 0; r < nq; r++) {
        float *pr = p + r * nk, *kr = keep + r * nk;
        const long i = r0 + r;
        long n = visible_keys(a, i) - c0;
        n = n < 0 ? 0 : n > nk ? nk : n;
        if (n == 0 || !(row_sum[i] > 0.f)) n = 0;
        if (n > 0) {
          add_mask(a, b, h, i, c0, n, pr);
          attn_exp_shifted(pr, pr, n, row_max[i]);
          const float inv = 1.f / row_sum[i];
          for (long j = 0; j < n; j++) pr[j] *= inv;
        }
        for (long j = n; j < nk; j++) pr[j] = 0.f;
        if (dropout) keep_row(a->seed, (uint64_t)(bh * sq + i), c0, nk, pl->threshold, pl->keep_scale, kr);
      }
      /* dP = dO Vᵀ, [nq, nk] */
      pl->mm(nq, nk, d, dout + r0 * d, d, 1, vt, nk, dp, nk, 0);
      if (dropout) {
        /* dV uses P' = P ⊙ M; dS = P ⊙ (dP ⊙ M − D). `dp` becomes dS, `keep` becomes P'. */
        for (long r = 0; r < nq; r++) {
          float *pr = p + r * nk, *dpr = dp + r * nk, *kr = keep + r * nk;
          const float di = dd[r0 + r];
          for (long j = 0; j < nk; j++) {
            dpr[j] = pr[j] * (dpr[j] * kr[j] - di);
            kr[j] *= pr[j];
          }
        }
        pl->mm(nk, d, nq, keep, 1, nk, dout + r0 * d, d, dv + c0 * d, d, 1); /* dV += P'ᵀ dO */
      } else {
        pl->mm(nk, d, nq, p, 1, nk, dout + r0 * d, d, dv + c0 * d, d, 1); /* dV += Pᵀ dO */
        for (long r = 0; r < nq; r++) {
          float *pr = p + r * nk, *dpr = dp + r * nk;
          const float di = dd[r0 + r];
          for (long j = 0; j < nk; j++) dpr[j] = pr[j] * (dpr[j] - di);
        }
      }
      pl->mm(nq, d, nk, dp, nk, 1, k + c0 * d, d, dq + r0 * d, d, 1);         /* dQ += dS K (scaled below) */
      pl->mm(nk, d, nq, dp, 1, nk, qs + r0 * d, d, dk + c0 * d, d, 1);        /* dK += dSᵀ (scale·Q) */
    }
  }
  for (long x = 0; x < sq * d; x++) dq[x] *= a->scale;
  free(buf);
}

void attn_flash_backward(const attn_flash_args *a) {
  const long bh = a->batch * a->heads;
  if (bh == 0) return;
  if (a->seq_q == 0 || a->seq_k == 0 || a->dim == 0) {
    memset(a->dq, 0, sizeof(float) * (size_t)(bh * a->seq_q * a->dim));
    memset(a->dk, 0, sizeof(float) * (size_t)(bh * a->seq_k * a->dim));
    memset(a->dv, 0, sizeof(float) * (size_t)(bh * a->seq_k * a->dim));
    return;
  }
  plan_t pl = {a, pick_isa(), 0, keep_threshold(a->dropout_rate), 1.f / (1.f - a->dropout_rate)};
  attn_parallel_for(bh, backward_task, &pl);
}
