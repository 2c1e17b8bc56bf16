/* Dynamic int8 Linear: y = dequant(quant_u8(x) · W_s8) + bias, the scheme of onnxruntime's quantize_dynamic
 * (MatMulIntegerToFloat) with per-output-channel weight scales and per-row activation scales.
 *
 *   weights  W[n, k] int8, symmetric (zero point 0), one float scale per output channel n
 *   x row r  qx = clamp(round(x / sx_r) + zx_r, 0, 255), sx_r = (max(x_r, 0) - min(x_r, 0)) / 255, zx_r = round(-min / sx_r)
 *   y[r, j]  = sx_r · sw_j · (Σ_k qx[r,k]·W[j,k] − zx_r · Σ_k W[j,k]) + bias_j        (int32 sums)
 *
 * u8 × s8 is what AVX-512 VNNI's vpdpbusd multiplies, adding four products straight into int32, so no int16
 * intermediate can saturate (the problem of vpmaddubsw that ORT's reduce_range works around). The AVX2 path widens
 * both operands to int16 and uses vpmaddwd, which cannot saturate either. */
#ifndef ATTN_QGEMM_H
#define ATTN_QGEMM_H

#include <stddef.h>
#include <stdint.h>

/* Bytes attn_qgemm_pack writes for an [n, k] weight. */
size_t attn_qgemm_packed_size(long n, long k);
/* Packs W [n, k] (torch layout, row-major int8) and its n scales into `out` (attn_qgemm_packed_size bytes). */
void attn_qgemm_pack(const int8_t *w, const float *scales, long n, long k, void *out);
/* Reads n and k back from a packed buffer of `bytes` bytes; 0 when it is not one. */
int attn_qgemm_packed_shape(const void *packed, size_t bytes, long *n, long *k);
/* out [m, n] = dynamic-int8 x [m, k] · W + bias (bias may be NULL). */
void attn_qgemm_linear(const float *x, long m, const void *packed, const float *bias, float *out);
/* attn_qgemm_linear for count (≤ 3) weights of the same k applied to one x: x is quantized once. bias may be NULL
 * (or an entry of it). */
void attn_qgemm_linear_multi(const float *x, long m, int count, const void *const *packed, const float *const *bias,
                             float *const *out);
/* "amx", "avx512vnni", "avx2" or "portable". */
const char *attn_qgemm_isa(void);

#endif
