/* Vectorised exp and erf over arrays (AVX-512, AVX2 or scalar, picked at run time).
 * exp: Cephes polynomial after range reduction, ~1 ulp. erf: Abramowitz–Stegun 7.1.26,
 * the formula tfjs's own kernels use (absolute error < 1.5e-7). */
#ifndef ATTN_VECTOR_MATH_H
#define ATTN_VECTOR_MATH_H

/* y[i] = exp(x[i] - shift); returns Σ y[i] in double. */
double attn_exp_shifted(const float *x, float *y, long n, float shift);
void attn_erf(const float *x, float *y, long n);
/* tanh: AVX-512 Cephes (polynomial below 0.625, exp-based above; ~2 ulp), else libm tanhf. NaN in, NaN out. */
void attn_tanh(const float *x, float *y, long n);
/* max over x[0..n), n >= 1; a NaN anywhere may or may not propagate. */
float attn_max(const float *x, long n);

#endif
