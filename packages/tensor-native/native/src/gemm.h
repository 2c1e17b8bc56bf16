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

/* A constant op(B) = B [k, n] (row-major) packed once for this CPU's micro-kernel: attn_gemm_packed_size bytes at dst
 * (any alignment). attn_gemm_packed_shape: 1 and its k, n when p (len bytes) is such a buffer for this CPU.
 * attn_gemm_prepacked: C [m, n] = A [m, k] · B, A and C row-major. */
#include <stddef.h>
size_t attn_gemm_packed_size(long k, long n);
void attn_gemm_pack(const float *b, long k, long n, void *dst);
int attn_gemm_packed_shape(const void *p, size_t len, long *k, long *n);
void attn_gemm_prepacked(const float *a, long m, const void *packed, float *c);

#endif
