/* Dynamic int8 Linear (see qgemm.h for the scheme). The weight is packed once into 64-column panels,
 * [n/64][k/4][64][4] bytes, so that one 64-byte load holds four k-steps of 16 columns: the operand layout of
 * vpdpbusd. Each task quantizes a block of activation rows to u8 into its own scratch and multiplies it with a
 * range of panels; a 6-row × 64-column int32 tile is dequantized (scales, zero-point correction, bias) as it
 * leaves the micro-kernel. */
#include "qgemm.h"

#include <immintrin.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "thread_pool.h"

#define QMAGIC 0x38514141 /* "AAQ8" */
#define QMR 6             /* rows per micro-tile (VNNI, AVX2, portable) */
#define QNR 64            /* columns per panel */
#define QMB 96            /* rows quantized per task: 16 VNNI tiles or 3 AMX tiles */
#define QAMX_M 32         /* rows per AMX micro-tile (two 16-row A tiles) */
#define QKPAD 64          /* k padded to a whole AMX tile row (64 bytes); the other kernels take any multiple of 4 */
#define QHEADER 64

typedef struct {
  int32_t magic, n, k, kpad, npad;
} qheader_t;

typedef void (*quk_fn)(long kg, const uint8_t *a, long lda, const int8_t *b, int32_t *c);
typedef void (*qrow_fn)(const float *x, long k, long kpad, uint8_t *q, float *scale, int32_t *zero);

/* out[i, j] = sx_i · sw_j · (t[i, j] − zx_i · colsum_j) + bias_j for a tile of int32 sums (row stride ldt). */
typedef void (*qdeq_fn)(const int32_t *t, long ldt, long rows, long cols, const float *sx, const int32_t *zx,
                        const int32_t *colsum, const float *scales, const float *bias, float *out, long ldo);

typedef struct {
  quk_fn kernel;
  qrow_fn quantize;
  qdeq_fn dequant;
  const char *name;
  int amx; /* 1: the AMX tile path (32-row micro-tiles, tile registers configured per task) */
} qisa_t;

static long round_up(long v, long to) { return (v + to - 1) / to * to; }

size_t attn_qgemm_packed_size(long n, long k) {
  const long npad = round_up(n > 0 ? n : 1, QNR), kpad = round_up(k > 0 ? k : 1, QKPAD);
  return QHEADER + (size_t)npad * 8 + (size_t)npad * (size_t)kpad;
}

static float *packed_scales(const void *p) { return (float *)((char *)p + QHEADER); }
static int32_t *packed_colsum(const void *p) {
  const qheader_t *h = p;
  return (int32_t *)((char *)p + QHEADER + (size_t)h->npad * 4);
}
static int8_t *packed_weights(const void *p) {
  const qheader_t *h = p;
  return (int8_t *)((char *)p + QHEADER + (size_t)h->npad * 8);
}

void attn_qgemm_pack(const int8_t *w, const float *scales, long n, long k, void *out) {
  const long npad = round_up(n > 0 ? n : 1, QNR), kpad = round_up(k > 0 ? k : 1, QKPAD);
  memset(out, 0, attn_qgemm_packed_size(n, k));
  qheader_t *h = out;
  h->magic = QMAGIC;
  h->n = (int32_t)n;
  h->k = (int32_t)k;
  h->kpad = (int32_t)kpad;
  h->npad = (int32_t)npad;
  float *s = packed_scales(out);
  int32_t *colsum = packed_colsum(out);
  int8_t *dst = packed_weights(out);
  for (long j = 0; j < n; j++) {
    s[j] = scales[j];
    int32_t sum = 0;
    for (long p = 0; p < k; p++) sum += w[j * k + p];
    colsum[j] = sum; /* the zero-point correction: zx · Σ_k W[j, k] */
  }
  for (long j = 0; j < n; j++) {
    int8_t *panel = dst + (j / QNR) * kpad * QNR;
    const long col = j % QNR;
    for (long p = 0; p < k; p++) panel[(p / 4) * QNR * 4 + col * 4 + p % 4] = w[j * k + p];
  }
}

int attn_qgemm_packed_shape(const void *packed, size_t bytes, long *n, long *k) {
  if (bytes < QHEADER) return 0;
  const qheader_t *h = packed;
  if (h->magic != QMAGIC || h->n < 1 || h->k < 0) return 0;
  if (h->npad != round_up(h->n, QNR) || h->kpad != round_up(h->k > 0 ? h->k : 1, QKPAD)) return 0;
  if (attn_qgemm_packed_size(h->n, h->k) != bytes) return 0;
  *n = h->n;
  *k = h->k;
  return 1;
}

/* ---------------------------------------------------------------- activation quantization */

/* Shared by every ISA so that all paths (and the JS fallback) pick identical scales and zero points. */
static void row_params(float mn, float mx, float *scale, int32_t *zero) {
  if (mn > 0.f) mn = 0.f;
  if (mx < 0.f) mx = 0.f;
  float s = (mx - mn) / 255.f;
  if (!(s > 0.f)) s = 1.f; /* an all-zero row: q = zero = 0 */
  float z = nearbyintf(-mn / s);
  if (z < 0.f) z = 0.f;
  if (z > 255.f) z = 255.f;
  *scale = s;
  *zero = (int32_t)z;
}

static void quantize_row_portable(const float *x, long k, long kpad, uint8_t *q, float *scale, int32_t *zero) {
  float mn = 0.f, mx = 0.f;
  for (long p = 0; p < k; p++) {
    if (x[p] < mn) mn = x[p];
    if (x[p] > mx) mx = x[p];
  }
  row_params(mn, mx, scale, zero);
  const float s = *scale;
  const int32_t z = *zero;
  for (long p = 0; p < k; p++) {
    float v = nearbyintf(x[p] / s) + (float)z;
    q[p] = (uint8_t)(v < 0.f ? 0.f : v > 255.f ? 255.f : v);
  }
  for (long p = k; p < kpad; p++) q[p] = 0;
}

__attribute__((target("avx512f,avx512bw"))) static void quantize_row_avx512(const float *x, long k, long kpad, uint8_t *q,
                                                                            float *scale, int32_t *zero) {
  __m512 vmn = _mm512_setzero_ps(), vmx = _mm512_setzero_ps();
  long p = 0;
  for (; p + 16 <= k; p += 16) {
    const __m512 v = _mm512_loadu_ps(x + p);
    vmn = _mm512_min_ps(vmn, v);
    vmx = _mm512_max_ps(vmx, v);
  }
  if (p < k) {
    const __mmask16 m = (__mmask16)((1u << (k - p)) - 1);
    const __m512 v = _mm512_maskz_loadu_ps(m, x + p); /* masked-off lanes are 0, which min/max already include */
    vmn = _mm512_min_ps(vmn, v);
    vmx = _mm512_max_ps(vmx, v);
  }
  row_params(_mm512_reduce_min_ps(vmn), _mm512_reduce_max_ps(vmx), scale, zero);
  const __m512 vs = _mm512_set1_ps(*scale);
  const __m512i vz = _mm512_set1_epi32(*zero), lo = _mm512_setzero_si512(), hi = _mm512_set1_epi32(255);
  for (p = 0; p < k; p += 16) {
    const long left = k - p;
    const __mmask16 m = left >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << left) - 1);
    /* vcvtps2dq rounds to nearest even under the default MXCSR, as nearbyintf and tf.round */
    __m512i r = _mm512_cvtps_epi32(_mm512_div_ps(_mm512_maskz_loadu_ps(m, x + p), vs));
    r = _mm512_min_epi32(_mm512_max_epi32(_mm512_add_epi32(r, vz), lo), hi);
    _mm512_mask_cvtepi32_storeu_epi8(q + p, m, r);
  }
  for (p = k; p < kpad; p++) q[p] = 0;
}

/* ---------------------------------------------------------------- dequantization (the same float operations on every path) */

static void dequant_portable(const int32_t *t, long ldt, long rows, long cols, const float *sx, const int32_t *zx,
                             const int32_t *colsum, const float *scales, const float *bias, float *out, long ldo) {
  for (long i = 0; i < rows; i++) {
    const float rs = sx[i];
    const int32_t z = zx[i];
    const int32_t *ti = t + i * ldt;
    float *o = out + i * ldo;
    if (bias) {
      for (long j = 0; j < cols; j++) o[j] = (float)(ti[j] - z * colsum[j]) * (rs * scales[j]) + bias[j];
    } else {
      for (long j = 0; j < cols; j++) o[j] = (float)(ti[j] - z * colsum[j]) * (rs * scales[j]);
    }
  }
}

__attribute__((target("avx512f"))) static void dequant_avx512(const int32_t *t, long ldt, long rows, long cols,
                                                                const float *sx, const int32_t *zx, const int32_t *colsum,
                                                                const float *scales, const float *bias, float *out,
                                                                long ldo) {
  for (long i = 0; i < rows; i++) {
    const __m512 rs = _mm512_set1_ps(sx[i]);
    const __m512i z = _mm512_set1_epi32(zx[i]);
    const int32_t *ti = t + i * ldt;
    float *o = out + i * ldo;
    for (long j = 0; j < cols; j += 16) {
      const long left = cols - j;
      const __mmask16 m = left >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << left) - 1);
      const __m512i acc = _mm512_sub_epi32(_mm512_maskz_loadu_epi32(m, ti + j), _mm512_mullo_epi32(z, _mm512_maskz_loadu_epi32(m, colsum + j)));
      __m512 v = _mm512_mul_ps(_mm512_cvtepi32_ps(acc), _mm512_mul_ps(rs, _mm512_maskz_loadu_ps(m, scales + j)));
      if (bias) v = _mm512_add_ps(v, _mm512_maskz_loadu_ps(m, bias + j));
      _mm512_mask_storeu_ps(o + j, m, v);
    }
  }
}

/* ---------------------------------------------------------------- micro-kernels: c[6][64] = a[6, 4·kg] · panel */

__attribute__((target("avx512f,avx512bw,avx512vnni"))) static void uk_vnni(long kg, const uint8_t *a, long lda,
                                                                           const int8_t *b, int32_t *c) {
  __m512i c00 = _mm512_setzero_si512(), c01 = c00, c02 = c00, c03 = c00, c10 = c00, c11 = c00, c12 = c00, c13 = c00;
  __m512i c20 = c00, c21 = c00, c22 = c00, c23 = c00, c30 = c00, c31 = c00, c32 = c00, c33 = c00;
  __m512i c40 = c00, c41 = c00, c42 = c00, c43 = c00, c50 = c00, c51 = c00, c52 = c00, c53 = c00;
  const uint8_t *a0 = a, *a1 = a + lda, *a2 = a + 2 * lda, *a3 = a + 3 * lda, *a4 = a + 4 * lda, *a5 = a + 5 * lda;
  for (long p = 0; p < kg; p++) {
    const __m512i b0 = _mm512_loadu_si512(b), b1 = _mm512_loadu_si512(b + 64), b2 = _mm512_loadu_si512(b + 128),
                  b3 = _mm512_loadu_si512(b + 192);
    int32_t w;
    __m512i t;
#define ROW(A, r0, r1, r2, r3)            \
  memcpy(&w, A + 4 * p, 4);               \
  t = _mm512_set1_epi32(w);               \
  r0 = _mm512_dpbusd_epi32(r0, t, b0);    \
  r1 = _mm512_dpbusd_epi32(r1, t, b1);    \
  r2 = _mm512_dpbusd_epi32(r2, t, b2);    \
  r3 = _mm512_dpbusd_epi32(r3, t, b3);
    ROW(a0, c00, c01, c02, c03) ROW(a1, c10, c11, c12, c13) ROW(a2, c20, c21, c22, c23)
    ROW(a3, c30, c31, c32, c33) ROW(a4, c40, c41, c42, c43) ROW(a5, c50, c51, c52, c53)
#undef ROW
    b += 256;
  }
#define STORE(i, r0, r1, r2, r3)                          \
  _mm512_storeu_si512(c + (i) * 64, r0);                  \
  _mm512_storeu_si512(c + (i) * 64 + 16, r1);             \
  _mm512_storeu_si512(c + (i) * 64 + 32, r2);             \
  _mm512_storeu_si512(c + (i) * 64 + 48, r3);
  STORE(0, c00, c01, c02, c03) STORE(1, c10, c11, c12, c13) STORE(2, c20, c21, c22, c23)
  STORE(3, c30, c31, c32, c33) STORE(4, c40, c41, c42, c43) STORE(5, c50, c51, c52, c53)
#undef STORE
}

/* No VNNI: widen u8 and s8 to int16 and multiply-add pairs into int32 (vpmaddwd), which cannot saturate. Each
 * accumulator holds 4 columns × 2 partial sums (k 0-1 and 2-3), folded at the end. */
__attribute__((target("avx2"))) static void uk_avx2(long kg, const uint8_t *a, long lda, const int8_t *b, int32_t *c) {
  for (int ch = 0; ch < 8; ch++) { /* 8 columns at a time */
    __m256i acc[QMR][2];
    for (int i = 0; i < QMR; i++) acc[i][0] = acc[i][1] = _mm256_setzero_si256();
    const int8_t *bp = b + ch * 32;
    for (long p = 0; p < kg; p++) {
      const __m256i raw = _mm256_loadu_si256((const __m256i *)(bp + p * 256));
      const __m256i w0 = _mm256_cvtepi8_epi16(_mm256_castsi256_si128(raw));      /* columns 0-3, k 0-3 each */
      const __m256i w1 = _mm256_cvtepi8_epi16(_mm256_extracti128_si256(raw, 1)); /* columns 4-7 */
      for (int i = 0; i < QMR; i++) {
        int32_t v;
        memcpy(&v, a + i * lda + 4 * p, 4);
        const __m256i t = _mm256_cvtepu8_epi16(_mm_set1_epi32(v)); /* a0 a1 a2 a3, four times */
        acc[i][0] = _mm256_add_epi32(acc[i][0], _mm256_madd_epi16(t, w0));
        acc[i][1] = _mm256_add_epi32(acc[i][1], _mm256_madd_epi16(t, w1));
      }
    }
    for (int i = 0; i < QMR; i++) {
      /* hadd gives columns 0 1 4 5 | 2 3 6 7 in 64-bit pairs: reorder to 0..7 */
      const __m256i h = _mm256_permute4x64_epi64(_mm256_hadd_epi32(acc[i][0], acc[i][1]), 0xD8);
      _mm256_storeu_si256((__m256i *)(c + i * 64 + ch * 8), h);
    }
  }
}

static void uk_portable(long kg, const uint8_t *a, long lda, const int8_t *b, int32_t *c) {
  memset(c, 0, sizeof(int32_t) * QMR * QNR);
  for (long p = 0; p < kg; p++) {
    const int8_t *bp = b + p * 256;
    for (int i = 0; i < QMR; i++) {
      const uint8_t *ap = a + i * lda + 4 * p;
      int32_t *ci = c + i * QNR;
      for (int j = 0; j < QNR; j++)
        ci[j] += ap[0] * bp[4 * j] + ap[1] * bp[4 * j + 1] + ap[2] * bp[4 * j + 2] + ap[3] * bp[4 * j + 3];
    }
  }
}

/* AMX: c[32][32] (row stride 32) = a[32, kpad] · 32 columns of a panel. Tiles 0-3 hold C (2 × 2 blocks of
 * 16 × 16 int32), 4-5 two 16-row slices of A (64 k-bytes each), 6-7 two 16-column slices of B: one tile row is one
 * k-group (4 bytes) of 16 columns, which is the packed panel's layout with a 256-byte row stride. */
typedef struct {
  uint8_t palette_id, start_row, reserved[14];
  uint16_t colsb[16];
  uint8_t rows[16];
} __attribute__((packed, aligned(64))) amx_tilecfg_t;

/* Eight 16 × 64-byte tiles. A static table: GCC 12 drops the stores to a stack copy before ldtilecfg (it does
 * not see the intrinsic read them), and ldtilecfg then faults on the garbage. */
static const amx_tilecfg_t amx_cfg = {
    .palette_id = 1,
    .colsb = {64, 64, 64, 64, 64, 64, 64, 64},
    .rows = {16, 16, 16, 16, 16, 16, 16, 16},
};

__attribute__((target("amx-tile"))) static void amx_begin(void) { _tile_loadconfig(&amx_cfg); }

__attribute__((target("amx-tile"))) static void amx_end(void) { _tile_release(); }

__attribute__((target("amx-tile,amx-int8"))) static void uk_amx(long kpad, const uint8_t *a, long lda, const int8_t *b,
                                                               int32_t *c) {
  _tile_zero(0);
  _tile_zero(1);
  _tile_zero(2);
  _tile_zero(3);
  for (long p = 0; p < kpad; p += 64) {
    _tile_loadd(4, a + p, lda);
    _tile_loadd(5, a + 16 * lda + p, lda);
    _tile_loadd(6, b + p * 64, 256);      /* k-groups p/4 .. p/4 + 15, columns 0-15 */
    _tile_loadd(7, b + p * 64 + 64, 256); /* columns 16-31 */
    _tile_dpbusd(0, 4, 6);
    _tile_dpbusd(1, 4, 7);
    _tile_dpbusd(2, 5, 6);
    _tile_dpbusd(3, 5, 7);
  }
  _tile_stored(0, c, 128);
  _tile_stored(1, c + 16, 128);
  _tile_stored(2, c + 16 * 32, 128);
  _tile_stored(3, c + 16 * 32 + 16, 128);
}

/* Linux hands out the AMX tile state only on request (once per process). */
static int amx_usable(void) {
  if (!__builtin_cpu_supports("amx-int8") || !__builtin_cpu_supports("amx-tile") || !__builtin_cpu_supports("avx512bw")) return 0;
  return syscall(SYS_arch_prctl, 0x1023 /* ARCH_REQ_XCOMP_PERM */, 18 /* XFEATURE_XTILEDATA */) == 0;
}

static const qisa_t *pick_qisa(void) {
  static const qisa_t amx = {NULL, quantize_row_avx512, dequant_avx512, "amx", 1};
  static const qisa_t vnni = {uk_vnni, quantize_row_avx512, dequant_avx512, "avx512vnni", 0};
  static const qisa_t avx2 = {uk_avx2, quantize_row_portable, dequant_portable, "avx2", 0};
  static const qisa_t portable = {uk_portable, quantize_row_portable, dequant_portable, "portable", 0};
  static const qisa_t *chosen = NULL;
  if (chosen) return chosen;
  __builtin_cpu_init();
  const char *force = getenv("ATTN_NATIVE_ISA");
  const int has_avx2 = __builtin_cpu_supports("avx2");
  const int has_vnni = __builtin_cpu_supports("avx512vnni") && __builtin_cpu_supports("avx512bw");
  if (force && strcmp(force, "portable") == 0) chosen = &portable;
  else if (force && strcmp(force, "avx2") == 0 && has_avx2) chosen = &avx2;
  else if (force && strcmp(force, "avx512vnni") == 0 && has_vnni) chosen = &vnni;
  else if (force && strcmp(force, "avx512") == 0 && has_vnni) chosen = &vnni; /* the fp32 GEMM's name for this CPU */
  else if (amx_usable()) chosen = &amx;
  else if (has_vnni) chosen = &vnni;
  else if (has_avx2) chosen = &avx2;
  else chosen = &portable;
  return chosen;
}

const char *attn_qgemm_isa(void) { return pick_qisa()->name; }

/* ---------------------------------------------------------------- tasks */

typedef struct {
  uint8_t *q;
  long cap;
} qscratch_t;

static qscratch_t qscratch[ATTN_MAX_THREADS];

#define QMULTI 3 /* products of one input: the fused layer's q, k and v */

typedef struct {
  const qisa_t *isa;
  const float *x;
  long m, k, kpad;
  int count;
  const void *packed[QMULTI];
  const float *bias[QMULTI];
  float *out[QMULTI];
  long n[QMULTI];
  long first_panel[QMULTI + 1]; /* the weights' panels, numbered one after the other */
  long row_blocks, col_splits;
} qplan_t;

/* Panel pn (numbered over every weight) of one quantized row block: rows × 64 columns into out. */
static void qgemm_panel(const qplan_t *pl, long pn, const uint8_t *q, long rows, const float *sx, const int32_t *zx, long r0) {
  int wi = 0;
  while (pn >= pl->first_panel[wi + 1]) wi++;
  const void *packed = pl->packed[wi];
  const long local = pn - pl->first_panel[wi], n = pl->n[wi], kpad = pl->kpad;
  const float *scales = packed_scales(packed), *bias = pl->bias[wi];
  const int32_t *colsum = packed_colsum(packed);
  const int8_t *panel = packed_weights(packed) + local * kpad * QNR;
  float *out = pl->out[wi];
  if (pl->isa->amx) {
    int32_t ctile[QAMX_M * 32] __attribute__((aligned(64)));
    for (long half = 0; half < 2; half++) {
      const long j0 = local * QNR + half * 32;
      if (j0 >= n) break;
      const long cols = n - j0 < 32 ? n - j0 : 32;
      for (long ir = 0; ir < rows; ir += QAMX_M) {
        uk_amx(kpad, q + ir * kpad, kpad, panel + half * 128, ctile);
        const long tr = rows - ir < QAMX_M ? rows - ir : QAMX_M;
        pl->isa->dequant(ctile, 32, tr, cols, sx + ir, zx + ir, colsum + j0, scales + j0, bias ? bias + j0 : NULL,
                         out + (r0 + ir) * n + j0, n);
      }
    }
    return;
  }
  int32_t tile[QMR * QNR] __attribute__((aligned(64)));
  const long j0 = local * QNR, cols = n - j0 < QNR ? n - j0 : QNR;
  for (long ir = 0; ir < rows; ir += QMR) {
    pl->isa->kernel(kpad / 4, q + ir * kpad, kpad, panel, tile);
    const long tr = rows - ir < QMR ? rows - ir : QMR;
    pl->isa->dequant(tile, QNR, tr, cols, sx + ir, zx + ir, colsum + j0, scales + j0, bias ? bias + j0 : NULL,
                     out + (r0 + ir) * n + j0, n);
  }
}

static void qgemm_task(void *ctx, long task, int thread) {
  const qplan_t *pl = ctx;
  const long rb = task / pl->col_splits, cs = task % pl->col_splits;
  const long r0 = rb * QMB, rows = pl->m - r0 < QMB ? pl->m - r0 : QMB;
  const long panels = pl->first_panel[pl->count];
  const long p0 = panels * cs / pl->col_splits, p1 = panels * (cs + 1) / pl->col_splits;
  if (p0 >= p1 || rows <= 0) return;
  const long kpad = pl->kpad, k = pl->k;

  qscratch_t *s = &qscratch[thread];
  const long need = (long)round_up(QMB, QAMX_M) * kpad;
  if (s->cap < need) {
    free(s->q);
    s->q = aligned_alloc(64, (size_t)round_up(need, 64));
    s->cap = need;
  }
  float sx[QMB];
  int32_t zx[QMB];
  for (long i = 0; i < rows; i++) pl->isa->quantize(pl->x + (r0 + i) * k, k, kpad, s->q + i * kpad, &sx[i], &zx[i]);
  const long rows_pad = round_up(rows, pl->isa->amx ? QAMX_M : QMR);
  if (rows_pad > rows) memset(s->q + rows * kpad, 0, (size_t)((rows_pad - rows) * kpad));
  if (pl->isa->amx) amx_begin();
  for (long pn = p0; pn < p1; pn++) qgemm_panel(pl, pn, s->q, rows, sx, zx, r0);
  if (pl->isa->amx) amx_end();
}

/* Small products: every task on the calling thread (inside the pool's lock, as every kernel). */
static void qgemm_serial(void *ctx, long task, int thread) {
  const qplan_t *pl = ctx;
  (void)task;
  for (long t = 0; t < pl->row_blocks * pl->col_splits; t++) qgemm_task(ctx, t, thread);
}

void attn_qgemm_linear_multi(const float *x, long m, int count, const void *const *packed, const float *const *bias,
                             float *const *out) {
  if (m <= 0 || count < 1 || count > QMULTI) return;
  const qheader_t *h0 = packed[0];
  qplan_t pl;
  memset(&pl, 0, sizeof pl);
  pl.isa = pick_qisa();
  pl.x = x;
  pl.m = m;
  pl.k = h0->k;
  pl.kpad = h0->kpad;
  pl.count = count;
  double flops = 0;
  for (int i = 0; i < count; i++) {
    const qheader_t *h = packed[i];
    pl.packed[i] = packed[i];
    pl.bias[i] = bias ? bias[i] : NULL;
    pl.out[i] = out[i];
    pl.n[i] = h->n;
    pl.first_panel[i + 1] = pl.first_panel[i] + h->npad / QNR;
    flops += 2.0 * m * h->n * (pl.k > 0 ? pl.k : 1);
  }
  pl.row_blocks = (m + QMB - 1) / QMB;
  pl.col_splits = 1;
  long threads = attn_num_threads();
  if (flops < 1e6) threads = 1;
  const long panels = pl.first_panel[count];
  /* Enough tasks that a descheduled thread's share can be picked up by another (shared machines). */
  const long want = threads == 1 ? 1 : threads * 4;
  if (pl.row_blocks < want) {
    long splits = (want + pl.row_blocks - 1) / pl.row_blocks;
    pl.col_splits = splits < panels ? splits : panels;
  }
  if (threads == 1) attn_parallel_for(1, qgemm_serial, &pl);
  else attn_parallel_for(pl.row_blocks * pl.col_splits, qgemm_task, &pl);
}

void attn_qgemm_linear(const float *x, long m, const void *packed, const float *bias, float *out) {
  attn_qgemm_linear_multi(x, m, 1, &packed, &bias, &out);
}
