#include "vector_math.h"

#include <immintrin.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LOG2E 1.44269504088896341f
#define LN2_HI 0.693359375f
#define LN2_LO -2.12194440e-4f
#define EXP_C0 1.9875691500e-4f
#define EXP_C1 1.3981999507e-3f
#define EXP_C2 8.3334519073e-3f
#define EXP_C3 4.1665795894e-2f
#define EXP_C4 1.6666665459e-1f
#define EXP_C5 5.0000001201e-1f
#define EXP_MAX 88.7228391f
#define EXP_MIN -103.9720840f /* below this expf is 0 in float32 */

#define ERF_P 0.3275911f
#define ERF_A1 0.254829592f
#define ERF_A2 -0.284496736f
#define ERF_A3 1.421413741f
#define ERF_A4 -1.453152027f
#define ERF_A5 1.061405429f

/* tanh, Cephes tanhf: |x| < 0.625 an odd polynomial, else 1 - 2 / (exp(2|x|) + 1), x's sign copied on. */
#define TANH_SMALL 0.625f
#define TANH_P0 -5.70498872745e-3f
#define TANH_P1 2.06390887954e-2f
#define TANH_P2 -5.37397155531e-2f
#define TANH_P3 1.33314422036e-1f
#define TANH_P4 -3.33332819422e-1f

static float exp_scalar(float x) { return expf(x); }

static float erf_scalar(float x) {
  const float s = x < 0 ? -1.f : 1.f;
  const float a = fabsf(x);
  const float t = 1.f / (1.f + ERF_P * a);
  const float poly = ((((ERF_A5 * t + ERF_A4) * t + ERF_A3) * t + ERF_A2) * t + ERF_A1) * t;
  return s * (1.f - poly * expf(-a * a));
}

/* ---------------------------------------------------------------- AVX-512 */

__attribute__((target("avx512f"))) static inline __m512 exp512(__m512 x) {
  x = _mm512_min_ps(_mm512_max_ps(x, _mm512_set1_ps(EXP_MIN)), _mm512_set1_ps(EXP_MAX));
  const __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(LOG2E)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(LN2_HI), x);
  r = _mm512_fnmadd_ps(n, _mm512_set1_ps(LN2_LO), r);
  __m512 p = _mm512_set1_ps(EXP_C0);
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(EXP_C1));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(EXP_C2));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(EXP_C3));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(EXP_C4));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(EXP_C5));
  const __m512 r2 = _mm512_mul_ps(r, r);
  const __m512 y = _mm512_add_ps(_mm512_fmadd_ps(p, r2, r), _mm512_set1_ps(1.f));
  /* scalef computes y·2^n with correct underflow to denormals and zero. */
  return _mm512_scalef_ps(y, n);
}

__attribute__((target("avx512f"))) static double exp_shifted_avx512(const float *x, float *y, long n, float shift) {
  const __m512 s = _mm512_set1_ps(shift);
  __m512d acc0 = _mm512_setzero_pd(), acc1 = _mm512_setzero_pd();
  long i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m512 e = exp512(_mm512_sub_ps(_mm512_loadu_ps(x + i), s));
    _mm512_storeu_ps(y + i, e);
    acc0 = _mm512_add_pd(acc0, _mm512_cvtps_pd(_mm512_castps512_ps256(e)));
    acc1 = _mm512_add_pd(acc1, _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(e), 1))));
  }
  double sum = _mm512_reduce_add_pd(_mm512_add_pd(acc0, acc1));
  if (i < n) {
    const __mmask16 m = (__mmask16)((1u << (n - i)) - 1u);
    const __m512 e = exp512(_mm512_sub_ps(_mm512_maskz_loadu_ps(m, x + i), s));
    _mm512_mask_storeu_ps(y + i, m, e);
    for (; i < n; i++) sum += y[i];
  }
  return sum;
}

__attribute__((target("avx512f"))) static inline __m512 erf512(__m512 x) {
  const __m512 a = _mm512_abs_ps(x);
  const __m512 t = _mm512_div_ps(_mm512_set1_ps(1.f), _mm512_fmadd_ps(_mm512_set1_ps(ERF_P), a, _mm512_set1_ps(1.f)));
  __m512 p = _mm512_set1_ps(ERF_A5);
  p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(ERF_A4));
  p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(ERF_A3));
  p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(ERF_A2));
  p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(ERF_A1));
  p = _mm512_mul_ps(p, t);
  const __m512 e = exp512(_mm512_sub_ps(_mm512_setzero_ps(), _mm512_mul_ps(a, a)));
  const __m512 v = _mm512_fnmadd_ps(p, e, _mm512_set1_ps(1.f));
  /* Copy x's sign onto v. */
  const __m512i sign = _mm512_and_si512(_mm512_castps_si512(x), _mm512_set1_epi32((int)0x80000000u));
  return _mm512_castsi512_ps(_mm512_or_si512(_mm512_castps_si512(v), sign));
}

__attribute__((target("avx512f"))) static void erf_avx512(const float *x, float *y, long n) {
  long i = 0;
  for (; i + 16 <= n; i += 16) _mm512_storeu_ps(y + i, erf512(_mm512_loadu_ps(x + i)));
  if (i < n) {
    const __mmask16 m = (__mmask16)((1u << (n - i)) - 1u);
    _mm512_mask_storeu_ps(y + i, m, erf512(_mm512_maskz_loadu_ps(m, x + i)));
  }
}

__attribute__((target("avx512f"))) static inline __m512 tanh512(__m512 x) {
  const __m512 a = _mm512_abs_ps(x);
  const __m512 e = exp512(_mm512_add_ps(a, a));
  const __m512 big = _mm512_sub_ps(_mm512_set1_ps(1.f), _mm512_div_ps(_mm512_set1_ps(2.f), _mm512_add_ps(e, _mm512_set1_ps(1.f))));
  const __m512 z = _mm512_mul_ps(a, a);
  __m512 p = _mm512_set1_ps(TANH_P0);
  p = _mm512_fmadd_ps(p, z, _mm512_set1_ps(TANH_P1));
  p = _mm512_fmadd_ps(p, z, _mm512_set1_ps(TANH_P2));
  p = _mm512_fmadd_ps(p, z, _mm512_set1_ps(TANH_P3));
  p = _mm512_fmadd_ps(p, z, _mm512_set1_ps(TANH_P4));
  const __m512 small = _mm512_fmadd_ps(_mm512_mul_ps(p, z), a, a);
  const __m512 v = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(a, _mm512_set1_ps(TANH_SMALL), _CMP_LT_OQ), big, small);
  const __m512i sign = _mm512_and_si512(_mm512_castps_si512(x), _mm512_set1_epi32((int)0x80000000u));
  const __m512 r = _mm512_castsi512_ps(_mm512_or_si512(_mm512_castps_si512(v), sign));
  /* NaN stays NaN (the clamp inside exp512 would turn it into ±1). */
  return _mm512_mask_blend_ps(_mm512_cmp_ps_mask(x, x, _CMP_UNORD_Q), r, x);
}

__attribute__((target("avx512f"))) static void tanh_avx512(const float *x, float *y, long n) {
  long i = 0;
  for (; i + 16 <= n; i += 16) _mm512_storeu_ps(y + i, tanh512(_mm512_loadu_ps(x + i)));
  if (i < n) {
    const __mmask16 m = (__mmask16)((1u << (n - i)) - 1u);
    _mm512_mask_storeu_ps(y + i, m, tanh512(_mm512_maskz_loadu_ps(m, x + i)));
  }
}

__attribute__((target("avx512f"))) static float max_avx512(const float *x, long n) {
  __m512 m0 = _mm512_set1_ps(-INFINITY), m1 = m0;
  long i = 0;
  for (; i + 32 <= n; i += 32) {
    m0 = _mm512_max_ps(m0, _mm512_loadu_ps(x + i));
    m1 = _mm512_max_ps(m1, _mm512_loadu_ps(x + i + 16));
  }
  if (i + 16 <= n) {
    m0 = _mm512_max_ps(m0, _mm512_loadu_ps(x + i));
    i += 16;
  }
  if (i < n) {
    const __mmask16 m = (__mmask16)((1u << (n - i)) - 1u);
    m1 = _mm512_max_ps(m1, _mm512_mask_loadu_ps(_mm512_set1_ps(-INFINITY), m, x + i));
  }
  return _mm512_reduce_max_ps(_mm512_max_ps(m0, m1));
}

/* ---------------------------------------------------------------- AVX2 */

__attribute__((target("avx2,fma"))) static inline __m256 exp256(__m256 x) {
  const __m256 too_small = _mm256_cmp_ps(x, _mm256_set1_ps(-87.33654f), _CMP_LT_OQ);
  x = _mm256_min_ps(_mm256_max_ps(x, _mm256_set1_ps(-87.33654f)), _mm256_set1_ps(EXP_MAX));
  const __m256 n = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(LOG2E)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(LN2_HI), x);
  r = _mm256_fnmadd_ps(n, _mm256_set1_ps(LN2_LO), r);
  __m256 p = _mm256_set1_ps(EXP_C0);
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(EXP_C1));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(EXP_C2));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(EXP_C3));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(EXP_C4));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(EXP_C5));
  const __m256 y = _mm256_add_ps(_mm256_fmadd_ps(p, _mm256_mul_ps(r, r), r), _mm256_set1_ps(1.f));
  /* 2^n built in the exponent field; n is within [-126, 128] after the clamp. */
  const __m256i e = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
  return _mm256_andnot_ps(too_small, _mm256_mul_ps(y, _mm256_castsi256_ps(e)));
}

__attribute__((target("avx2,fma"))) static double exp_shifted_avx2(const float *x, float *y, long n, float shift) {
  const __m256 s = _mm256_set1_ps(shift);
  __m256d acc = _mm256_setzero_pd();
  long i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m256 e = exp256(_mm256_sub_ps(_mm256_loadu_ps(x + i), s));
    _mm256_storeu_ps(y + i, e);
    acc = _mm256_add_pd(acc, _mm256_cvtps_pd(_mm256_castps256_ps128(e)));
    acc = _mm256_add_pd(acc, _mm256_cvtps_pd(_mm256_extractf128_ps(e, 1)));
  }
  double lanes[4];
  _mm256_storeu_pd(lanes, acc);
  double sum = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
  for (; i < n; i++) {
    y[i] = exp_scalar(x[i] - shift);
    sum += y[i];
  }
  return sum;
}

__attribute__((target("avx2,fma"))) static void erf_avx2(const float *x, float *y, long n) {
  long i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m256 v = _mm256_loadu_ps(x + i);
    const __m256 a = _mm256_andnot_ps(_mm256_set1_ps(-0.f), v);
    const __m256 t = _mm256_div_ps(_mm256_set1_ps(1.f), _mm256_fmadd_ps(_mm256_set1_ps(ERF_P), a, _mm256_set1_ps(1.f)));
    __m256 p = _mm256_set1_ps(ERF_A5);
    p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(ERF_A4));
    p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(ERF_A3));
    p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(ERF_A2));
    p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(ERF_A1));
    p = _mm256_mul_ps(p, t);
    const __m256 e = exp256(_mm256_sub_ps(_mm256_setzero_ps(), _mm256_mul_ps(a, a)));
    const __m256 r = _mm256_fnmadd_ps(p, e, _mm256_set1_ps(1.f));
    _mm256_storeu_ps(y + i, _mm256_or_ps(r, _mm256_and_ps(v, _mm256_set1_ps(-0.f))));
  }
  for (; i < n; i++) y[i] = erf_scalar(x[i]);
}

/* ---------------------------------------------------------------- dispatch */

static int level = -1; /* 2 avx512, 1 avx2, 0 scalar */

static int isa_level(void) {
  if (level < 0) {
    __builtin_cpu_init();
    int best = __builtin_cpu_supports("avx512f") ? 2 : (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) ? 1 : 0;
    /* ATTN_NATIVE_ISA (as in gemm.c) can only lower the level: it exists to test the other paths. */
    const char *force = getenv("ATTN_NATIVE_ISA");
    if (force && strcmp(force, "portable") == 0) best = 0;
    else if (force && strcmp(force, "avx2") == 0 && best > 1) best = 1;
    level = best;
  }
  return level;
}

double attn_exp_shifted(const float *x, float *y, long n, float shift) {
  switch (isa_level()) {
    case 2: return exp_shifted_avx512(x, y, n, shift);
    case 1: return exp_shifted_avx2(x, y, n, shift);
    default: {
      double sum = 0;
      for (long i = 0; i < n; i++) {
        y[i] = exp_scalar(x[i] - shift);
        sum += y[i];
      }
      return sum;
    }
  }
}

float attn_max(const float *x, long n) {
  if (isa_level() == 2) return max_avx512(x, n);
  /* Four independent chains hide the compare latency that one serial chain exposes. */
  float m[4] = {-INFINITY, -INFINITY, -INFINITY, -INFINITY};
  long i = 0;
  for (; i + 4 <= n; i += 4)
    for (int k = 0; k < 4; k++) m[k] = x[i + k] > m[k] ? x[i + k] : m[k];
  for (; i < n; i++) m[0] = x[i] > m[0] ? x[i] : m[0];
  const float a = m[0] > m[1] ? m[0] : m[1], b = m[2] > m[3] ? m[2] : m[3];
  return a > b ? a : b;
}

void attn_erf(const float *x, float *y, long n) {
  switch (isa_level()) {
    case 2: erf_avx512(x, y, n); break;
    case 1: erf_avx2(x, y, n); break;
    default:
      for (long i = 0; i < n; i++) y[i] = erf_scalar(x[i]);
  }
}

void attn_tanh(const float *x, float *y, long n) {
  if (isa_level() == 2) tanh_avx512(x, y, n);
  else
    for (long i = 0; i < n; i++) y[i] = tanhf(x[i]);
}
