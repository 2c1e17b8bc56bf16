#include "dropout_mask.h"

#include <math.h>
#include <pthread.h>
#include <string.h>

#include "thread_pool.h"

/* One xoshiro128** step on the state (the output scrambler is not part of the state update). */
static inline void advance(uint32_t s[4]) {
  const uint32_t t = s[1] << 9;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = (s[3] << 11) | (s[3] >> 21);
}

/* The state update is a linear map T on GF(2)^128. jump_cols[k][j] is column j of T^(2^k), i.e. the state
 * that T^(2^k) makes of the unit state e_j; T^(2^k)·s is then the XOR of the columns of the bits set in s. */
#define JUMP_BITS 48
static uint32_t jump_cols[JUMP_BITS][128][4];
static pthread_once_t jump_once = PTHREAD_ONCE_INIT;

static void apply(const uint32_t cols[128][4], uint32_t s[4]) {
  uint32_t r[4] = {0, 0, 0, 0};
  for (int j = 0; j < 128; j++)
    if ((s[j >> 5] >> (j & 31)) & 1u)
      for (int w = 0; w < 4; w++) r[w] ^= cols[j][w];
  memcpy(s, r, sizeof r);
}

static void build_jumps(void) {
  for (int j = 0; j < 128; j++) {
    memset(jump_cols[0][j], 0, sizeof jump_cols[0][j]);
    jump_cols[0][j][j >> 5] = 1u << (j & 31);
    advance(jump_cols[0][j]);
  }
  for (int k = 1; k < JUMP_BITS; k++)
    for (int j = 0; j < 128; j++) {
      memcpy(jump_cols[k][j], jump_cols[k - 1][j], sizeof jump_cols[k][j]);
      apply(jump_cols[k - 1], jump_cols[k][j]); /* T^(2^k) e_j = T^(2^(k-1)) · T^(2^(k-1)) e_j */
    }
}

void attn_xoshiro128_jump(uint32_t state[4], uint64_t steps) {
  if (steps < 64) {
    for (uint64_t i = 0; i < steps; i++) advance(state);
    return;
  }
  pthread_once(&jump_once, build_jumps);
  for (int k = 0; k < JUMP_BITS && steps; k++, steps >>= 1)
    if (steps & 1) apply(jump_cols[k], state);
  for (; steps; steps--) advance(state); /* beyond 2^48 outputs: never in practice */
}

static void fill(float *out, long n, uint32_t st[4], uint64_t threshold, float keep) {
  uint32_t s0 = st[0], s1 = st[1], s2 = st[2], s3 = st[3];
  for (long i = 0; i < n; i++) {
    const uint32_t x = s1 * 5u;
    const uint32_t u = ((x << 7) | (x >> 25)) * 9u;
    const uint32_t t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >> 21);
    out[i] = (uint64_t)u >= threshold ? keep : 0.f;
  }
}

/* A slice long enough that its jump (at most 48 sparse 128×128 products) costs under 1%. */
#define SLICE 65536L

typedef struct {
  float *out;
  long n;
  uint32_t state[4];
  uint64_t threshold;
  float keep;
} mask_ctx;

static void mask_task(void *arg, long task, int thread) {
  (void)thread;
  const mask_ctx *c = arg;
  const long begin = task * SLICE, len = c->n - begin < SLICE ? c->n - begin : SLICE;
  uint32_t s[4];
  memcpy(s, c->state, sizeof s);
  attn_xoshiro128_jump(s, (uint64_t)begin);
  fill(c->out + begin, len, s, c->threshold, c->keep);
}

void attn_dropout_mask(float *out, long n, const uint32_t state[4], double threshold, float keep) {
  if (n <= 0) return;
  /* u >= threshold  <=>  u >= ceil(threshold) for an integer u; threshold is in [0, 2^32). */
  mask_ctx c = {out, n, {state[0], state[1], state[2], state[3]}, (uint64_t)ceil(threshold), keep};
  attn_parallel_for((n + SLICE - 1) / SLICE, mask_task, &c);
}
