#include "adamw.h"

#include <math.h>
#include <stdlib.h>

#include "thread_pool.h"

#define CHUNK 16384L

typedef struct {
  const attn_adamw_param *params;
  long count;
  const long *chunk_start; /* first global chunk of each parameter, count + 1 entries */
  const attn_adamw_hyper *h;
  float bc1, sqrt_bc2;
} adamw_ctx;

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
  const float b1 = c->h->beta1, b2 = c->h->beta2, eps = c->h->eps;
  const float step_size = c->h->lr / c->bc1;
  const float decay = 1.f - c->h->lr * q->weight_decay;
  const float inv_sqrt_bc2 = 1.f / c->sqrt_bc2;
  for (long i = begin; i < end; i++) {
    const float g = q->g[i];
    const float m = b1 * q->m[i] + (1.f - b1) * g;
    const float v = b2 * q->v[i] + (1.f - b2) * g * g;
    const float denom = sqrtf(v) * inv_sqrt_bc2 + eps;
    q->p_out[i] = q->p[i] * decay - step_size * m / denom;
    q->m_out[i] = m;
    q->v_out[i] = v;
  }
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
  adamw_ctx c = {params, count, chunk_start, h, 1.f - powf(h->beta1, (float)h->step), sqrtf(1.f - powf(h->beta2, (float)h->step))};
  attn_parallel_for(total, adamw_task, &c);
  free(chunk_start);
}
