/* Batched single-precision GEMM, C[b] = op(A[b]) · op(B[b]), row-major, beta = 0.
 * op(A) is [M, K] (stored [K, M] when trans_a), op(B) is [K, N] (stored [N, K] when trans_b).
 * Transposes cost nothing extra: they only change how panels are packed. */
#ifndef ATTN_GEMM_H
#define ATTN_GEMM_H

#include <stdint.h>

typedef struct {
  const float *a;
  const float *b;
  float *c;
  long batch, m, n, k;
  int trans_a, trans_b;
  /* Element offset of batch i in A is a_index[i] * a_stride (a_index NULL: i * a_stride). */
  long a_stride, b_stride;
  const int32_t *a_index, *b_index;
} attn_gemm_args;

void attn_gemm(const attn_gemm_args *args);
/* "avx512", "avx2" or "portable": the micro-kernel chosen for this CPU. */
const char *attn_gemm_isa(void);

#endif
