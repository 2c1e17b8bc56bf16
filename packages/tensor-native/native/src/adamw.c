#include "adamw.h"

#include <immintrin.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gemm.h"
#include "thread_pool.h"

#define CHUNK 16384L

typedef struct {
  const attn_adamw_param *params;
  long count;
  const long *chunk_start; /* first global chunk of each parameter, count + 1 entries */
  const attn_adamw_hyper *h;
  float bc1, sqrt_bc2;
  int avx512;
} adamw_ctx;

/* The scalar update; the AVX-512 loop below performs the same float32 operations in the same order (no FMA:
 * a fused multiply-add rounds once where this rounds twice), so both give the same bits. */
#define ADAMW_SCALAR(i)                                           \
  do {                                                            \
    const float g = q->g[i] * scale;                              \
    const float m = b1 * q->m[i] + (1.f - b1) * g;                \
    const float v = b2 * q->v[i] + (1.f - b2) * g * g;            \
    const float denom = sqrtf(v) * inv_sqrt_bc2 + eps;            \
    q->p_out[i] = q->p[i] * decay - step_size * m / denom;        \
    q->m_out[i] = m;                                              \
    q->v_out[i] = v;                                              \
  } while (0)

__attribute__((target("avx512f"), optimize("fp-contract=off"))) static long adamw_avx512(
    const attn_adamw_param *q, long begin, long end, float b1, float b2, float eps, float step_size, float decay,
    float inv_sqrt_bc2, float scale) {
  const __m512 vb1 = _mm512_set1_ps(b1), vb1c = _mm512_set1_ps(1.f - b1), vb2 = _mm512_set1_ps(b2),
               vb2c = _mm512_set1_ps(1.f - b2), veps = _mm512_set1_ps(eps), vstep = _mm512_set1_ps(step_size),
               vdecay = _mm512_set1_ps(decay), vinv = _mm512_set1_ps(inv_sqrt_bc2), vscale = _mm512_set1_ps(scale);
  long i = begin;
  for (; i + 16 <= end; i += 16) {
    const __m512 g = _mm512_mul_ps(_mm512_loadu_ps(q->g + i), vscale);
    const __m512 m = _mm512_add_ps(_mm512_mul_ps(vb1, _mm512_loadu_ps(q->m + i)), _mm512_mul_ps(vb1c, g));
    const __m512 v = _mm512_add_ps(_mm512_mul_ps(vb2, _mm512_loadu_ps(q->v + i)), _mm512_mul_ps(_mm512_mul_ps(vb2c, g), g));
    const __m512 denom = _mm512_add_ps(_mm512_mul_ps(_mm512_sqrt_ps(v), vinv), veps);
    const __m512 p = _mm512_sub_ps(_mm512_mul_ps(_mm512_loadu_ps(q->p + i), vdecay), _mm512_div_ps(_mm512_mul_ps(vstep, m), denom));
    _mm512_storeu_ps(q->p_out + i, p);
    _mm512_storeu_ps(q->m_out + i, m);
    _mm512_storeu_ps(q->v_out + i, v);
  }
  return i;
}

static void adamw_task(void *arg, long task, int thread) {
  (void)thread;
  const adamw_ctx *c = arg;
  /* Finds the parameter owning this chunk (chunk_start is sorted). */
  long lo = 0, hi = c->count - 1;
  while (lo < hi) {
    long mid = (lo + hi + 1) / 2;
    if (c->chunk_start[mid] <= task) lo = mid;
    else hi = mid - 1;
  }
  const attn_adamw_param *q = &c->params[lo];
  const long begin = (task - c->chunk_start[lo]) * CHUNK;
  const long end = begin + CHUNK < q->n ? begin + CHUNK : q->n;
  const float b1 = c->h->beta1, b2 = c->h->beta2, eps = c->h->eps, scale = c->h->grad_scale;
  const float step_size = c->h->lr / c->bc1;
  const float decay = 1.f - c->h->lr * q->weight_decay;
  const float inv_sqrt_bc2 = 1.f / c->sqrt_bc2;
  long i = begin;
  if (c->avx512) i = adamw_avx512(q, begin, end, b1, b2, eps, step_size, decay, inv_sqrt_bc2, scale);
  for (; i < end; i++) ADAMW_SCALAR(i);
}

void attn_adamw(const attn_adamw_param *params, long count, const attn_adamw_hyper *h) {
  if (count <= 0) return;
  long *chunk_start = malloc(sizeof(long) * (size_t)(count + 1));
  long total = 0;
  for (long i = 0; i < count; i++) {
    chunk_start[i] = total;
    total += (params[i].n + CHUNK - 1) / CHUNK;
  }
  chunk_start[count] = total;
  /* The GEMM's ISA choice (ATTN_NATIVE_ISA=avx2 / portable forces the scalar loop here too, for tests). */
  const int avx512 = strcmp(attn_gemm_isa(), "avx512") == 0;
  adamw_ctx c = {params, count, chunk_start, h, 1.f - powf(h->beta1, (float)h->step), sqrtf(1.f - powf(h->beta2, (float)h->step)), avx512};
  attn_parallel_for(total, adamw_task, &c);
  free(chunk_start);
}
