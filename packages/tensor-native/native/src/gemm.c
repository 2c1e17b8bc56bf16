/* Packed GEMM in the BLIS style: B is packed into KC×NR slivers, A into MR×KC slivers,
 * and a register-blocked micro-kernel (AVX-512 12×32, AVX2 6×16 or portable 4×16, picked
 * at run time) multiplies them. Work is split over threads by batch, then by rows or
 * columns, each thread packing into its own scratch. */
#include "gemm.h"

#include <immintrin.h>
#include <stdlib.h>
#include <string.h>

#include "thread_pool.h"

#define KC 256
#define MC_ROWS 16 /* MC = MC_ROWS * MR */
/* 512 (was 2048): the KC x NC panel of B that the row-sliver-outer order streams from L2 is 512 KiB; 2048 made BERT-base's
 * 4096 x 3072 x 768 product 0.80x MKL on the Xeon (1,024: 284, 512: 296 GFLOP/s, 2 threads). */
#define NC 512
#define MAX_MR 12
#define MAX_NR 32

typedef void (*ukernel_fn)(long kc, const float *a, const float *b, float *c, long ldc, int accumulate);

typedef struct {
  int mr, nr;
  ukernel_fn kernel;
  const char *name;
} isa_t;

/* ---------------------------------------------------------------- micro-kernels */

/* The 12 x 32 tile's store, shared by both AVX-512 micro-kernels: rows c00/c01 … cb0/cb1 (two 16-float halves each)
 * added to C when `accumulate`, then written at c + i * ldc. */
#define AVX512_STORE_ROW(i, r0, r1)                                               \
  if (accumulate) {                                                               \
    r0 = _mm512_add_ps(r0, _mm512_loadu_ps(c + (i) * ldc));                      \
    r1 = _mm512_add_ps(r1, _mm512_loadu_ps(c + (i) * ldc + 16));                 \
  }                                                                               \
  _mm512_storeu_ps(c + (i) * ldc, r0);                                            \
  _mm512_storeu_ps(c + (i) * ldc + 16, r1);
#define AVX512_STORE_12x32                                                                                   \
  AVX512_STORE_ROW(0, c00, c01) AVX512_STORE_ROW(1, c10, c11) AVX512_STORE_ROW(2, c20, c21)                 \
  AVX512_STORE_ROW(3, c30, c31) AVX512_STORE_ROW(4, c40, c41) AVX512_STORE_ROW(5, c50, c51)                 \
  AVX512_STORE_ROW(6, c60, c61) AVX512_STORE_ROW(7, c70, c71) AVX512_STORE_ROW(8, c80, c81)                 \
  AVX512_STORE_ROW(9, c90, c91) AVX512_STORE_ROW(10, ca0, ca1) AVX512_STORE_ROW(11, cb0, cb1)

__attribute__((target("avx512f"))) static void ukernel_avx512(long kc, const float *a, const float *b, float *c,
                                                               long ldc, int accumulate) {
  __m512 c00 = _mm512_setzero_ps(), c01 = _mm512_setzero_ps(), c10 = _mm512_setzero_ps(), c11 = _mm512_setzero_ps();
  __m512 c20 = _mm512_setzero_ps(), c21 = _mm512_setzero_ps(), c30 = _mm512_setzero_ps(), c31 = _mm512_setzero_ps();
  __m512 c40 = _mm512_setzero_ps(), c41 = _mm512_setzero_ps(), c50 = _mm512_setzero_ps(), c51 = _mm512_setzero_ps();
  __m512 c60 = _mm512_setzero_ps(), c61 = _mm512_setzero_ps(), c70 = _mm512_setzero_ps(), c71 = _mm512_setzero_ps();
  __m512 c80 = _mm512_setzero_ps(), c81 = _mm512_setzero_ps(), c90 = _mm512_setzero_ps(), c91 = _mm512_setzero_ps();
  __m512 ca0 = _mm512_setzero_ps(), ca1 = _mm512_setzero_ps(), cb0 = _mm512_setzero_ps(), cb1 = _mm512_setzero_ps();
  for (long p = 0; p < kc; p++) {
    const __m512 b0 = _mm512_load_ps(b), b1 = _mm512_load_ps(b + 16);
    __m512 t;
#define ROW(i, r0, r1)              \
  t = _mm512_set1_ps(a[i]);         \
  r0 = _mm512_fmadd_ps(t, b0, r0); \
  r1 = _mm512_fmadd_ps(t, b1, r1);
    ROW(0, c00, c01) ROW(1, c10, c11) ROW(2, c20, c21) ROW(3, c30, c31) ROW(4, c40, c41) ROW(5, c50, c51)
    ROW(6, c60, c61) ROW(7, c70, c71) ROW(8, c80, c81) ROW(9, c90, c91) ROW(10, ca0, ca1) ROW(11, cb0, cb1)
#undef ROW
    a += 12;
    b += 32;
  }
  AVX512_STORE_12x32
}

/* The same micro-kernel reading A in place: element (i, p) of the sliver at a[i * rs + p * cs]. Broadcasts take any
 * address, so an untransposed A (rs = lda, cs = 1) or a transposed one (rs = 1, cs = lda) needs no packing. */
/* pf: a B sliver (kc x 32, packed) to bring into L2 while this tile runs, or NULL (see gemm_block). */
__attribute__((target("avx512f"))) static void ukernel_avx512_strided(long kc, const float *a, long rs, long cs,
                                                                       const float *b, float *c, long ldc, int accumulate,
                                                                       const float *pf) {
  __m512 c00 = _mm512_setzero_ps(), c01 = _mm512_setzero_ps(), c10 = _mm512_setzero_ps(), c11 = _mm512_setzero_ps();
  __m512 c20 = _mm512_setzero_ps(), c21 = _mm512_setzero_ps(), c30 = _mm512_setzero_ps(), c31 = _mm512_setzero_ps();
  __m512 c40 = _mm512_setzero_ps(), c41 = _mm512_setzero_ps(), c50 = _mm512_setzero_ps(), c51 = _mm512_setzero_ps();
  __m512 c60 = _mm512_setzero_ps(), c61 = _mm512_setzero_ps(), c70 = _mm512_setzero_ps(), c71 = _mm512_setzero_ps();
  __m512 c80 = _mm512_setzero_ps(), c81 = _mm512_setzero_ps(), c90 = _mm512_setzero_ps(), c91 = _mm512_setzero_ps();
  __m512 ca0 = _mm512_setzero_ps(), ca1 = _mm512_setzero_ps(), cb0 = _mm512_setzero_ps(), cb1 = _mm512_setzero_ps();
  const float *a0 = a, *a4 = a + 4 * rs, *a8 = a + 8 * rs;
  const long r2 = 2 * rs, r3 = 3 * rs;
  for (long p = 0; p < kc; p++) {
    const __m512 b0 = _mm512_load_ps(b), b1 = _mm512_load_ps(b + 16);
    __m512 t;
    if (pf) {
      _mm_prefetch((const char *)(pf + 32 * p), _MM_HINT_T1);
      _mm_prefetch((const char *)(pf + 32 * p + 16), _MM_HINT_T1);
    }
#define ROW(ptr, off, r0, r1)       \
  t = _mm512_set1_ps(ptr[off]);     \
  r0 = _mm512_fmadd_ps(t, b0, r0); \
  r1 = _mm512_fmadd_ps(t, b1, r1);
    ROW(a0, 0, c00, c01) ROW(a0, rs, c10, c11) ROW(a0, r2, c20, c21) ROW(a0, r3, c30, c31)
    ROW(a4, 0, c40, c41) ROW(a4, rs, c50, c51) ROW(a4, r2, c60, c61) ROW(a4, r3, c70, c71)
    ROW(a8, 0, c80, c81) ROW(a8, rs, c90, c91) ROW(a8, r2, ca0, ca1) ROW(a8, r3, cb0, cb1)
#undef ROW
    a0 += cs;
    a4 += cs;
    a8 += cs;
    b += 32;
  }
  AVX512_STORE_12x32
}

__attribute__((target("avx2,fma"))) static void ukernel_avx2(long kc, const float *a, const float *b, float *c,
                                                              long ldc, int accumulate) {
  __m256 c00 = _mm256_setzero_ps(), c01 = _mm256_setzero_ps(), c10 = _mm256_setzero_ps(), c11 = _mm256_setzero_ps();
  __m256 c20 = _mm256_setzero_ps(), c21 = _mm256_setzero_ps(), c30 = _mm256_setzero_ps(), c31 = _mm256_setzero_ps();
  __m256 c40 = _mm256_setzero_ps(), c41 = _mm256_setzero_ps(), c50 = _mm256_setzero_ps(), c51 = _mm256_setzero_ps();
  for (long p = 0; p < kc; p++) {
    const __m256 b0 = _mm256_load_ps(b), b1 = _mm256_load_ps(b + 8);
    __m256 t;
#define ROW(i, r0, r1)              \
  t = _mm256_broadcast_ss(a + i);   \
  r0 = _mm256_fmadd_ps(t, b0, r0); \
  r1 = _mm256_fmadd_ps(t, b1, r1);
    ROW(0, c00, c01) ROW(1, c10, c11) ROW(2, c20, c21) ROW(3, c30, c31) ROW(4, c40, c41) ROW(5, c50, c51)
#undef ROW
    a += 6;
    b += 16;
  }
#define STORE(i, r0, r1)                                                 \
  if (accumulate) {                                                      \
    r0 = _mm256_add_ps(r0, _mm256_loadu_ps(c + (i) * ldc));             \
    r1 = _mm256_add_ps(r1, _mm256_loadu_ps(c + (i) * ldc + 8));         \
  }                                                                      \
  _mm256_storeu_ps(c + (i) * ldc, r0);                                   \
  _mm256_storeu_ps(c + (i) * ldc + 8, r1);
  STORE(0, c00, c01) STORE(1, c10, c11) STORE(2, c20, c21) STORE(3, c30, c31) STORE(4, c40, c41) STORE(5, c50, c51)
#undef STORE
}

static void ukernel_portable(long kc, const float *a, const float *b, float *c, long ldc, int accumulate) {
  float acc[4][16];
  memset(acc, 0, sizeof acc);
  for (long p = 0; p < kc; p++) {
    for (int i = 0; i < 4; i++)
      for (int j = 0; j < 16; j++) acc[i][j] += a[i] * b[j];
    a += 4;
    b += 16;
  }
  for (int i = 0; i < 4; i++)
    for (int j = 0; j < 16; j++) c[i * ldc + j] = accumulate ? c[i * ldc + j] + acc[i][j] : acc[i][j];
}

static int order_ir_outer = 1; /* see gemm_block; ATTN_GEMM_ORDER=jr for the old order */
/* Slivers ahead that a tile prefetches on a packed panel's first pass (see gemm_block). 2026-12-07, Sapphire-Rapids-class Xeon, 2
 * threads, a chain of 24 BERT-base FFN products at m = 390 with each weight packed once: 264 GFLOP/s without, 281-286 at 2,
 * 290-302 at 4, 273-281 at 6-12 (onnxruntime 1.30 on the same chain: 308-317). ATTN_GEMM_PF=N sets it; 0 turns it off. */
static long pf_dist = 4;

static const isa_t *pick_isa(void) {
  static const isa_t avx512 = {12, 32, ukernel_avx512, "avx512"};
  static const isa_t avx2 = {6, 16, ukernel_avx2, "avx2"};
  static const isa_t portable = {4, 16, ukernel_portable, "portable"};
  static const isa_t *chosen = NULL;
  if (chosen) return chosen;
  __builtin_cpu_init();
  const char *order = getenv("ATTN_GEMM_ORDER");
  order_ir_outer = !(order && strcmp(order, "jr") == 0);
  const char *pf = getenv("ATTN_GEMM_PF");
  if (pf) pf_dist = atol(pf) < 0 ? 0 : atol(pf);
  const char *force = getenv("ATTN_NATIVE_ISA");
  if (force && strcmp(force, "portable") == 0) chosen = &portable;
  else if (force && strcmp(force, "avx2") == 0 && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) chosen = &avx2;
  else if (__builtin_cpu_supports("avx512f")) chosen = &avx512;
  else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) chosen = &avx2;
  else chosen = &portable;
  return chosen;
}

const char *attn_gemm_isa(void) { return pick_isa()->name; }

/* ---------------------------------------------------------------- packing */

/* AVX-512 copies for the packing hot paths (full slivers only): a transposed A's 12 contiguous floats per k, and an
 * untransposed B's 32 contiguous floats per k. Plain copies, so the packed values are bit for bit the scalar loops'. */
__attribute__((target("avx512f"))) static void pack_a12_trans_avx512(const float *src, long lda, long kc, float *dst) {
  for (long p = 0; p < kc; p++) _mm512_mask_storeu_ps(dst + p * 12, 0x0fff, _mm512_maskz_loadu_ps(0x0fff, src + p * lda));
}

__attribute__((target("avx512f"))) static void pack_b32_avx512(const float *src, long ldb, long kc, float *dst) {
  for (long p = 0; p < kc; p++) {
    const float *s = src + p * ldb;
    _mm512_storeu_ps(dst + p * 32, _mm512_loadu_ps(s));
    _mm512_storeu_ps(dst + p * 32 + 16, _mm512_loadu_ps(s + 16));
  }
}

/* A transposed B (stored [N, K]: a QKᵀ's K, a dX's weight) packed into one 32-column sliver: dst[p * 32 + j] =
 * src[j * ldb + p], 16 x 16 blocks transposed in registers; the k tail (kc % 16) goes element by element. */
__attribute__((target("avx512f"))) static void transpose16_avx512(const float *src, long ld, float *dst, long ldd) {
  __m512 r[16], t[16];
  for (int i = 0; i < 16; i++) r[i] = _mm512_loadu_ps(src + i * ld);
  for (int i = 0; i < 16; i += 2) {
    t[i] = _mm512_unpacklo_ps(r[i], r[i + 1]);
    t[i + 1] = _mm512_unpackhi_ps(r[i], r[i + 1]);
  }
  for (int i = 0; i < 16; i += 4) {
    r[i] = _mm512_castpd_ps(_mm512_unpacklo_pd(_mm512_castps_pd(t[i]), _mm512_castps_pd(t[i + 2])));
    r[i + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(_mm512_castps_pd(t[i]), _mm512_castps_pd(t[i + 2])));
    r[i + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(_mm512_castps_pd(t[i + 1]), _mm512_castps_pd(t[i + 3])));
    r[i + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(_mm512_castps_pd(t[i + 1]), _mm512_castps_pd(t[i + 3])));
  }
  /* r[4q + s] holds, in 128-bit lane L, column 4L + s of rows 4q..4q+3. */
  for (int s = 0; s < 4; s++) {
    t[s] = _mm512_shuffle_f32x4(r[s], r[4 + s], 0x88);      /* lanes 0,2 of rows 0-3 | lanes 0,2 of rows 4-7 */
    t[4 + s] = _mm512_shuffle_f32x4(r[s], r[4 + s], 0xdd);  /* lanes 1,3 */
    t[8 + s] = _mm512_shuffle_f32x4(r[8 + s], r[12 + s], 0x88);
    t[12 + s] = _mm512_shuffle_f32x4(r[8 + s], r[12 + s], 0xdd);
  }
  for (int s = 0; s < 4; s++) {
    /* column s (lane 0), 8 + s (lane 2) from t[s] / t[8 + s]; 4 + s (lane 1), 12 + s (lane 3) from t[4 + s] / t[12 + s] */
    _mm512_storeu_ps(dst + s * ldd, _mm512_shuffle_f32x4(t[s], t[8 + s], 0x88));
    _mm512_storeu_ps(dst + (8 + s) * ldd, _mm512_shuffle_f32x4(t[s], t[8 + s], 0xdd));
    _mm512_storeu_ps(dst + (4 + s) * ldd, _mm512_shuffle_f32x4(t[4 + s], t[12 + s], 0x88));
    _mm512_storeu_ps(dst + (12 + s) * ldd, _mm512_shuffle_f32x4(t[4 + s], t[12 + s], 0xdd));
  }
}

__attribute__((target("avx512f"))) static void pack_b32_trans_avx512(const float *src, long ldb, long kc, float *dst) {
  long p = 0;
  for (; p + 16 <= kc; p += 16) {
    transpose16_avx512(src + p, ldb, dst + p * 32, 32);
    transpose16_avx512(src + 16 * ldb + p, ldb, dst + p * 32 + 16, 32);
  }
  for (; p < kc; p++)
    for (int j = 0; j < 32; j++) dst[p * 32 + j] = src[j * ldb + p];
}

/* Packs op(A)[i0:i0+mc, p0:p0+kc] into MR-row slivers, zero-padding the last one. */
static void pack_a(const float *a, long lda, int trans, long i0, long mc, long p0, long kc, int mr, float *dst) {
  for (long ir = 0; ir < mc; ir += mr) {
    long rows = mc - ir < mr ? mc - ir : mr;
    if (trans && mr == 12 && rows == 12) {
      pack_a12_trans_avx512(a + p0 * lda + i0 + ir, lda, kc, dst);
    } else if (trans) { /* stored [K, M]: a row of the sliver is contiguous */
      for (long p = 0; p < kc; p++) {
        const float *src = a + (p0 + p) * lda + i0 + ir;
        long i = 0;
        for (; i < rows; i++) dst[p * mr + i] = src[i];
        for (; i < mr; i++) dst[p * mr + i] = 0.f;
      }
    } else {
      for (long i = 0; i < rows; i++) {
        const float *src = a + (i0 + ir + i) * lda + p0;
        for (long p = 0; p < kc; p++) dst[p * mr + i] = src[p];
      }
      for (long i = rows; i < mr; i++)
        for (long p = 0; p < kc; p++) dst[p * mr + i] = 0.f;
    }
    dst += mr * kc;
  }
}

/* Packs op(B)[p0:p0+kc, j0:j0+nc] into NR-column slivers, zero-padding the last one. */
static void pack_b(const float *b, long ldb, int trans, long p0, long kc, long j0, long nc, int nr, float *dst) {
  for (long jr = 0; jr < nc; jr += nr) {
    long cols = nc - jr < nr ? nc - jr : nr;
    if (!trans && nr == 32 && cols == 32) {
      pack_b32_avx512(b + p0 * ldb + j0 + jr, ldb, kc, dst);
    } else if (trans && nr == 32 && cols == 32) {
      pack_b32_trans_avx512(b + (j0 + jr) * ldb + p0, ldb, kc, dst);
    } else if (!trans) { /* stored [K, N]: a row of the sliver is contiguous */
      for (long p = 0; p < kc; p++) {
        const float *src = b + (p0 + p) * ldb + j0 + jr;
        long j = 0;
        for (; j < cols; j++) dst[p * nr + j] = src[j];
        for (; j < nr; j++) dst[p * nr + j] = 0.f;
      }
    } else {
      for (long j = 0; j < cols; j++) {
        const float *src = b + (j0 + jr + j) * ldb + p0;
        for (long p = 0; p < kc; p++) dst[p * nr + j] = src[p];
      }
      for (long j = cols; j < nr; j++)
        for (long p = 0; p < kc; p++) dst[p * nr + j] = 0.f;
    }
    dst += nr * kc;
  }
}

/* ---------------------------------------------------------------- skinny products (decoding) */

/* A decoder step multiplies one row per sequence by each weight matrix: the product is bound by reading B. The packed
 * path walks B in column panels (a new 4 KiB page every row, which defeats the hardware prefetcher) and copies it;
 * here B is read row after row, in place, once, and four of its rows at a time are added into C's few rows, which
 * stay in L1/L2. GCC vector extensions, compiled for AVX-512 and for AVX2. */
#define SKINNY_MAX_M 8
typedef float vf16 __attribute__((vector_size(64), aligned(4)));

#define SKINNY_NN(NAME, TARGET)                                                                                       \
  __attribute__((target(TARGET))) static void NAME(const float *a, long lda, const float *b, long ldb, float *c,     \
                                                   long ldc, long k, long i0, long i1, long j0, long j1) {           \
    const long nv = (j1 - j0) / 16, jt = j0 + 16 * nv;                                                                \
    for (long i = i0; i < i1; i++) memset(c + i * ldc + j0, 0, sizeof(float) * (j1 - j0));                          \
    long p = 0;                                                                                                       \
    for (; p + 4 <= k; p += 4) {                                                                                      \
      const float *b0 = b + p * ldb, *b1 = b0 + ldb, *b2 = b1 + ldb, *b3 = b2 + ldb;                                 \
      for (long i = i0; i < i1; i++) {                                                                                \
        const float *ai = a + i * lda + p;                                                                            \
        const float s0 = ai[0], s1 = ai[1], s2 = ai[2], s3 = ai[3];                                                   \
        float *ci = c + i * ldc;                                                                                      \
        for (long v = 0; v < nv; v++) {                                                                               \
          const long j = j0 + 16 * v;                                                                                 \
          *(vf16 *)(ci + j) += s0 * *(const vf16 *)(b0 + j) + s1 * *(const vf16 *)(b1 + j) +                         \
                               s2 * *(const vf16 *)(b2 + j) + s3 * *(const vf16 *)(b3 + j);                          \
        }                                                                                                             \
        for (long j = jt; j < j1; j++) ci[j] += s0 * b0[j] + s1 * b1[j] + s2 * b2[j] + s3 * b3[j];                   \
      }                                                                                                               \
    }                                                                                                                 \
    for (; p < k; p++)                                                                                                \
      for (long i = i0; i < i1; i++) {                                                                                \
        const float s = a[i * lda + p];                                                                               \
        for (long j = j0; j < j1; j++) c[i * ldc + j] += s * b[p * ldb + j];                                          \
      }                                                                                                               \
  }

/* B stored [N, K] (a tied LM head): C[i, j] is the dot product of two contiguous rows. Four rows of B are read
 * once each, in order, and every row of A is multiplied with them while they are in L1. */
#define SKINNY_NT(NAME, TARGET)                                                                                       \
  __attribute__((target(TARGET))) static void NAME(const float *a, long lda, const float *b, long ldb, float *c,     \
                                                   long ldc, long k, long i0, long i1, long j0, long j1) {           \
    const long kv = k & ~15L;                                                                                         \
    long j = j0;                                                                                                      \
    for (; j < j1; j += 4) {                                                                                          \
      const int nb = j1 - j < 4 ? (int)(j1 - j) : 4;                                                                  \
      const float *br[4];                                                                                             \
      for (int q = 0; q < 4; q++) br[q] = b + (j + (q < nb ? q : 0)) * ldb;                                           \
      for (long i = i0; i < i1; i++) {                                                                                \
        const float *ai = a + i * lda;                                                                                \
        vf16 s0 = {0}, s1 = {0}, s2 = {0}, s3 = {0};                                                                  \
        for (long p = 0; p < kv; p += 16) {                                                                           \
          const vf16 x = *(const vf16 *)(ai + p);                                                                     \
          s0 += x * *(const vf16 *)(br[0] + p);                                                                       \
          s1 += x * *(const vf16 *)(br[1] + p);                                                                       \
          s2 += x * *(const vf16 *)(br[2] + p);                                                                       \
          s3 += x * *(const vf16 *)(br[3] + p);                                                                       \
        }                                                                                                             \
        float t[4] = {0, 0, 0, 0};                                                                                    \
        for (int l = 0; l < 16; l++) t[0] += s0[l], t[1] += s1[l], t[2] += s2[l], t[3] += s3[l];                     \
        for (long p = kv; p < k; p++)                                                                                 \
          for (int q = 0; q < 4; q++) t[q] += ai[p] * br[q][p];                                                       \
        for (int q = 0; q < nb; q++) c[i * ldc + j + q] = t[q];                                                       \
      }                                                                                                               \
    }                                                                                                                 \
  }

SKINNY_NT(skinny_nt_avx512, "avx512f")
SKINNY_NT(skinny_nt_avx2, "avx2,fma")
SKINNY_NN(skinny_nn_avx512, "avx512f")
SKINNY_NN(skinny_nn_avx2, "avx2,fma")

/* C[i0:i1, j0:j1] for an untransposed A of at most SKINNY_MAX_M rows; 0 when the packed path must do it. */
static int skinny_block(const isa_t *isa, const float *a, long lda, int ta, const float *b, long ldb, int tb, float *c,
                        long ldc, long k, long i0, long i1, long j0, long j1) {
  if (ta || i1 - i0 > SKINNY_MAX_M || isa->mr == 4 /* portable */) return 0;
  const int wide = isa->mr == 12;
  if (tb) (wide ? skinny_nt_avx512 : skinny_nt_avx2)(a, lda, b, ldb, c, ldc, k, i0, i1, j0, j1);
  else (wide ? skinny_nn_avx512 : skinny_nn_avx2)(a, lda, b, ldb, c, ldc, k, i0, i1, j0, j1);
  return 1;
}

/* ---------------------------------------------------------------- one block */

typedef struct {
  float *a_pack, *b_pack;
} scratch_t;

static scratch_t scratch[ATTN_MAX_THREADS];

static scratch_t *thread_scratch(int thread) {
  scratch_t *s = &scratch[thread];
  if (!s->a_pack) {
    /* Sized for the largest MR/NR so a later ISA switch never overflows. */
    s->a_pack = aligned_alloc(64, sizeof(float) * KC * MC_ROWS * MAX_MR);
    s->b_pack = aligned_alloc(64, sizeof(float) * KC * (NC + MAX_NR));
  }
  return s;
}

/* One MR x NR tile of C: the row sliver ir of the block at (ic, pc) times the column sliver jr. */
static inline __attribute__((always_inline)) void gemm_tile(const isa_t *isa, const float *a, long rs, long cs,
                                                            const float *ablock, const float *bblock, float *c, long ldc,
                                                            long kc, long mc, long nc, long ic, long jc, long pc, long ir,
                                                            long jr, long full, int accumulate, float *edge, const float *pf) {
  const int mr = isa->mr, nr = isa->nr;
  const long rows = mc - ir < mr ? mc - ir : mr, cols = nc - jr < nr ? nc - jr : nr;
  const float *bp = bblock + jr * kc;
  const float *ap = ablock + ir * kc;
  float *cp = c + (ic + ir) * ldc + jc + jr;
  if (ir < full) {
    const float *as = a + (ic + ir) * rs + pc * cs;
    if (cols == nr) {
      ukernel_avx512_strided(kc, as, rs, cs, bp, cp, ldc, accumulate, pf);
      return;
    }
    ukernel_avx512_strided(kc, as, rs, cs, bp, edge, nr, 0, pf);
  } else if (rows == mr && cols == nr) {
    isa->kernel(kc, ap, bp, cp, ldc, accumulate);
    return;
  } else {
    isa->kernel(kc, ap, bp, edge, nr, 0);
  }
  for (long i = 0; i < rows; i++)
    for (long j = 0; j < cols; j++) cp[i * ldc + j] = accumulate ? cp[i * ldc + j] + edge[i * nr + j] : edge[i * nr + j];
}

/* C[i0:i1, j0:j1] = op(A) · op(B) for one matrix of the batch. */
/* apre / bpre: op(A) / op(B) packed beforehand for the whole matrix (prepack_task), shared by every task, or NULL. */
static void gemm_block(const isa_t *isa, const float *a, long lda, int ta, const float *b, long ldb, int tb, float *c,
                       long ldc, long k, long i0, long i1, long j0, long j1, int thread, const float *apre, long m_pad,
                       const float *bpre, long n_pad) {
  const int mr = isa->mr, nr = isa->nr;
  const long mc_max = (long)MC_ROWS * mr;
  scratch_t *s = thread_scratch(thread);
  float edge[MAX_MR * MAX_NR] __attribute__((aligned(64)));
  if (k == 0) {
    for (long i = i0; i < i1; i++) memset(c + i * ldc + j0, 0, sizeof(float) * (j1 - j0));
    return;
  }
  if (!bpre && skinny_block(isa, a, lda, ta, b, ldb, tb, c, ldc, k, i0, i1, j0, j1)) return;
  for (long jc = j0; jc < j1; jc += NC) {
    long nc = j1 - jc < NC ? j1 - jc : NC;
    for (long pc = 0; pc < k; pc += KC) {
      long kc = k - pc < KC ? k - pc : KC;
      int accumulate = pc > 0;
      const float *bblock = bpre ? bpre + pc * n_pad + jc * kc : s->b_pack;
      if (!bpre) pack_b(b, ldb, tb, pc, kc, jc, nc, nr, s->b_pack);
      for (long ic = i0; ic < i1; ic += mc_max) {
        long mc = i1 - ic < mc_max ? i1 - ic : mc_max;
        /* AVX-512 reads full row slivers of A in place; only a last partial sliver is packed (zero-padded). */
        #ifdef GEMM_NO_INPLACE
        const int in_place = 0;
#else
        const int in_place = isa->mr == 12 && !ta && !apre;
#endif
        const long full = in_place ? mc / mr * mr : 0;
        const float *ablock = apre ? apre + pc * m_pad + ic * kc : s->a_pack;
        if (full < mc && !apre) pack_a(a, lda, ta, ic + full, mc - full, pc, kc, mr, s->a_pack + full * kc);
        const long rs = ta ? 1 : lda, cs = ta ? lda : 1;
        /* Row slivers outer, column slivers inner (BLIS's macro-kernel order): A's 12-row sliver stays in L1 while the
         * 32-column slivers of the packed B panel (KC x NC, 512 KiB) stream from L2. Measured 2026-12-07 on a
         * Sapphire-Rapids-class Xeon, 2 threads, same process: 1.03-1.20x on BERT's products (base 4096 x 3072 x 768:
         * 244 -> 293 GFLOP/s), where the old order (column slivers outer: a 32 KiB B sliver in L1 with 12 KiB of A
         * beside it in 48 KiB) kept it. ATTN_GEMM_ORDER=jr restores the old order, for A/Bs. Same arithmetic, same
         * order per element: bit for bit the same C. */
        if (order_ir_outer) {
          for (long ir = 0; ir < mc; ir += mr)
            for (long jr = 0; jr < nc; jr += nr) {
              /* A B packed before the call (an inference weight, or one packed once for every task) may come from
               * memory: on its first row sliver, each tile brings a later sliver into L2 (into the next KC block past
               * this one's end), so the first pass over a panel does not wait on demand misses. */
              const float *pf = NULL;
              if (bpre && pf_dist && ir == 0 && ic == i0) {
                const long nj = jr + pf_dist * nr;
                if (nj < nc) pf = bblock + nj * kc;
                else if (pc + KC < k) {
                  const long kn = k - pc - KC < KC ? k - pc - KC : KC, over = nj - nc;
                  if (over < nc) pf = bpre + (pc + KC) * n_pad + jc * kn + over * kn;
                }
              }
              gemm_tile(isa, a, rs, cs, ablock, bblock, c, ldc, kc, mc, nc, ic, jc, pc, ir, jr, full, accumulate, edge, pf);
            }
        } else {
          for (long jr = 0; jr < nc; jr += nr)
            for (long ir = 0; ir < mc; ir += mr) gemm_tile(isa, a, rs, cs, ablock, bblock, c, ldc, kc, mc, nc, ic, jc, pc, ir, jr, full, accumulate, edge, NULL);
        }
      }
    }
  }
}

/* ---------------------------------------------------------------- threading */

typedef struct {
  const attn_gemm_args *g;
  const isa_t *isa;
  long splits;      /* tasks per matrix (split over rows or columns) */
  int split_rows;   /* 1: split M, 0: split N */
  long per_task;    /* matrices per task when splits == 1 */
  /* One matrix split over tasks: the operand every task would pack in full (B for a row split, A for a column
   * split) is packed once, in parallel, before them (pre: that buffer; NULL: each task packs its own). */
  const float *apre, *bpre;
  long m_pad, n_pad;
} plan_t;

static void run_matrix(const plan_t *pl, long bi, long i0, long i1, long j0, long j1, int thread) {
  const attn_gemm_args *g = pl->g;
  long ai = g->a_index ? g->a_index[bi] : bi;
  long bj = g->b_index ? g->b_index[bi] : bi;
  const float *a = g->a + ai * g->a_stride;
  const float *b = g->b + bj * g->b_stride;
  float *c = g->c + bi * g->m * g->n;
  long lda = g->trans_a ? g->m : g->k;
  long ldb = g->trans_b ? g->k : g->n;
  gemm_block(pl->isa, a, lda, g->trans_a, b, ldb, g->trans_b, c, g->n, g->k, i0, i1, j0, j1, thread, pl->apre, pl->m_pad,
             pl->bpre, pl->n_pad);
}

static void gemm_task(void *ctx, long task, int thread) {
  const plan_t *pl = ctx;
  const attn_gemm_args *g = pl->g;
  if (pl->splits == 1) {
    long b0 = task * pl->per_task, b1 = b0 + pl->per_task < g->batch ? b0 + pl->per_task : g->batch;
    for (long bi = b0; bi < b1; bi++) run_matrix(pl, bi, 0, g->m, 0, g->n, thread);
    return;
  }
  long bi = task / pl->splits, part = task % pl->splits;
  long unit = pl->split_rows ? pl->isa->mr : pl->isa->nr;
  long len = pl->split_rows ? g->m : g->n;
  long units = (len + unit - 1) / unit;
  long lo = (units * part / pl->splits) * unit, hi = (units * (part + 1) / pl->splits) * unit;
  if (hi > len) hi = len;
  if (lo >= hi) return;
  if (pl->split_rows) run_matrix(pl, bi, lo, hi, 0, g->n, thread);
  else run_matrix(pl, bi, 0, g->m, lo, hi, thread);
}

/* ---------------------------------------------------------------- shared packing */

#define PREPACK_SLIVERS 4          /* slivers per packing task */
/* 16 MiB: an operand packed once is read by every core. Up to 2026-12-07 the cap was 2 MiB (larger ones were not
 * measured to gain on a busy Intel machine); on a quiet AMD EPYC (Zen 5) packing BERT-base's weights (768 x 768 up
 * to 768 x 3072) once instead of once per task gave 1.01x at 32 x 128 tokens and 1.05-1.10x at 32 x 38 (forward),
 * 1.06x on 4096 x 768 x 768 alone. The buffer is kept per calling thread. */
#define PREPACK_MAX_FLOATS (1L << 22)

typedef struct {
  const attn_gemm_args *g;
  const isa_t *isa;
  int pack_a_side; /* 1: A (column split), 0: B (row split) */
  float *dst;
  long pad, groups; /* padded length of the packed side; packing tasks per KC block */
} prepack_t;

static void prepack_task(void *ctx, long task, int thread) {
  (void)thread;
  const prepack_t *pp = ctx;
  const attn_gemm_args *g = pp->g;
  const long pc = task / pp->groups * KC, kc = g->k - pc < KC ? g->k - pc : KC;
  const long unit = pp->pack_a_side ? pp->isa->mr : pp->isa->nr, len = pp->pack_a_side ? g->m : g->n;
  const long lo = task % pp->groups * PREPACK_SLIVERS * unit;
  if (lo >= len) return;
  const long cnt = len - lo < PREPACK_SLIVERS * unit ? len - lo : PREPACK_SLIVERS * unit;
  float *dst = pp->dst + pc * pp->pad + lo * kc;
  if (pp->pack_a_side) pack_a(g->a, g->trans_a ? g->m : g->k, g->trans_a, lo, cnt, pc, kc, unit, dst);
  else pack_b(g->b, g->trans_b ? g->k : g->n, g->trans_b, pc, kc, lo, cnt, unit, dst);
}

/* Per calling thread (Node worker_threads may call at once), grown as needed and kept. */
static __thread float *prepack_buf;
static __thread long prepack_cap;

static float *prepack_buffer(long floats) {
  if (floats > prepack_cap) {
    free(prepack_buf);
    prepack_buf = aligned_alloc(64, sizeof(float) * (size_t)((floats + 15) / 16 * 16));
    prepack_cap = prepack_buf ? floats : 0;
  }
  return prepack_buf;
}

/* Packs op(A) (pack_a_side) or op(B) of a single matrix for every task of its split; 0 when not worth it. */
static int prepack(plan_t *pl, int pack_a_side) {
  const attn_gemm_args *g = pl->g;
  const long unit = pack_a_side ? pl->isa->mr : pl->isa->nr, len = pack_a_side ? g->m : g->n;
  const long pad = (len + unit - 1) / unit * unit;
  if (pad * g->k > PREPACK_MAX_FLOATS) return 0;
  float *dst = prepack_buffer(pad * g->k);
  if (!dst) return 0;
  const long slivers = pad / unit, groups = (slivers + PREPACK_SLIVERS - 1) / PREPACK_SLIVERS;
  prepack_t pp = {g, pl->isa, pack_a_side, dst, pad, groups};
  attn_parallel_for((g->k + KC - 1) / KC * groups, prepack_task, &pp);
  if (pack_a_side) pl->apre = dst, pl->m_pad = pad;
  else pl->bpre = dst, pl->n_pad = pad;
  return 1;
}

/* Plans the split of one call and runs it; bpre: op(B) packed beforehand (a weight packed once, attn_gemm_pack), whose
 * n_pad columns per KC block every task reads in place. */
static void plan_and_run(const attn_gemm_args *g, const float *bpre, long n_pad) {
  if (g->batch <= 0 || g->m <= 0 || g->n <= 0) return;
  plan_t pl = {g, pick_isa(), 1, 1, 1, NULL, bpre, 0, n_pad};
  long threads = attn_num_threads();
  double flops = 2.0 * g->batch * g->m * g->n * (g->k > 0 ? g->k : 1);
  /* Below ~1 MFLOP the wake-up of another thread costs more than it saves. */
  if (threads > 1 && flops < 1e6) threads = 1;
  long ntasks;
  if (g->batch >= threads) {
    /* Several tasks per thread so uneven finishing evens out. */
    long target = threads == 1 ? 1 : threads * 4;
    if (target > g->batch) target = g->batch;
    pl.per_task = (g->batch + target - 1) / target;
    ntasks = (g->batch + pl.per_task - 1) / pl.per_task;
  } else {
    /* Four slices per thread: when another process takes a core (shared machines), the
     * thread that is still running picks up the slices the descheduled one has not begun. */
    pl.split_rows = g->m >= g->n;
    long len = pl.split_rows ? g->m : g->n, unit = pl.split_rows ? pl.isa->mr : pl.isa->nr;
    long units = (len + unit - 1) / unit;
    /* A long k (a weight gradient: k = tokens) makes each slice long enough on its own; one slice per thread there
     * lets a column split reuse each packed A sliver over more columns (mini's 256 x 1024 x 4096 dW: 247 -> 268
     * GFLOP/s, 2 threads, 2026-12-07 Xeon). */
    long per_thread = g->k >= 2048 ? 1 : 4;
    long want = threads == 1 ? 1 : (threads * per_thread + g->batch - 1) / g->batch;
    long max_splits = units / 4 > threads ? units / 4 : threads; /* slices of >= 4 micro-tiles */
    pl.splits = want < max_splits ? want : max_splits;
    if (pl.splits > units) pl.splits = units;
    if (pl.splits < 1) pl.splits = 1;
    if (pl.splits == 1) pl.per_task = 1;
    ntasks = g->batch * pl.splits;
    /* Each task would pack all of the operand it does not split: pack it once instead. Not for skinny rows (they
     * read B in place), nor for an untransposed A on AVX-512 (read in place). */
    if (!bpre && pl.splits > 1 && g->batch == 1 && g->k > 0) {
      if (pl.split_rows && g->m > 4 * SKINNY_MAX_M) prepack(&pl, 0);
      else if (!pl.split_rows && (g->trans_a || pl.isa->mr != 12) && g->m > SKINNY_MAX_M) prepack(&pl, 1);
    }
  }
  attn_parallel_for(ntasks, gemm_task, &pl);
}

void attn_gemm(const attn_gemm_args *g) { plan_and_run(g, NULL, 0); }

/* ---------------------------------------------------------------- weights packed once */

/* A constant B (an inference weight) packed once into NR-column slivers per KC block, the layout prepack() makes per
 * call: ONNX Runtime's MlasGemmPackB at session creation. A 64-byte header, then the panels 64-byte aligned. */
#define PACKED_MAGIC 0x50464b41u /* "AKFP" */
#define PACKED_HEADER 64
typedef struct {
  uint32_t magic, nr;
  int64_t k, n, n_pad;
} packed_header;

static float *packed_panels(const void *p) { return (float *)(((uintptr_t)p + PACKED_HEADER + 63) & ~(uintptr_t)63); }

size_t attn_gemm_packed_size(long k, long n) {
  const long nr = pick_isa()->nr, n_pad = (n + nr - 1) / nr * nr;
  return PACKED_HEADER + 64 + sizeof(float) * (size_t)n_pad * (size_t)(k > 0 ? k : 0);
}

void attn_gemm_pack(const float *b, long k, long n, void *dst) {
  const isa_t *isa = pick_isa();
  const long nr = isa->nr, n_pad = (n + nr - 1) / nr * nr;
  packed_header h = {PACKED_MAGIC, (uint32_t)nr, k, n, n_pad};
  memcpy(dst, &h, sizeof h);
  if (k <= 0 || n <= 0) return;
  attn_gemm_args g = {NULL, b, NULL, 1, 0, n, k, 0, 0, 0, 0, NULL, NULL};
  const long groups = (n_pad / nr + PREPACK_SLIVERS - 1) / PREPACK_SLIVERS;
  prepack_t pp = {&g, isa, 0, packed_panels(dst), n_pad, groups};
  attn_parallel_for((k + KC - 1) / KC * groups, prepack_task, &pp);
}

int attn_gemm_packed_shape(const void *p, size_t len, long *k, long *n) {
  packed_header h;
  if (!p || len < sizeof h) return 0;
  memcpy(&h, p, sizeof h);
  if (h.magic != PACKED_MAGIC || h.nr != (uint32_t)pick_isa()->nr || h.k < 0 || h.n < 1) return 0;
  if (len < attn_gemm_packed_size(h.k, h.n) || (((uintptr_t)packed_panels(p) - (uintptr_t)p) + sizeof(float) * h.n_pad * h.k > len)) return 0;
  *k = h.k, *n = h.n;
  return 1;
}

void attn_gemm_prepacked(const float *a, long m, const void *packed, float *c) {
  packed_header h;
  memcpy(&h, packed, sizeof h);
  attn_gemm_args g = {a, NULL, c, 1, m, h.n, h.k, 0, 0, 0, 0, NULL, NULL};
  if (h.k == 0) {
    memset(c, 0, sizeof(float) * (size_t)m * (size_t)h.n);
    return;
  }
  plan_and_run(&g, packed_panels(packed), h.n_pad);
}
