/* Fused Transformer kernels: one pass over memory where tfjs's composed ops make 5–15.
 * GELU (erf form) forward/backward and LayerNorm over the last axis forward/backward. */
#ifndef ATTN_FUSED_H
#define ATTN_FUSED_H

/* y = 0.5 x (1 + erf(x / √2)) */
void attn_gelu(const float *x, float *y, long n);
/* dx = dy · (Φ(x) + x φ(x)), the derivative of the erf form. */
void attn_gelu_grad(const float *dy, const float *x, float *dx, long n);

/* x [rows, cols] → y, plus mean [rows] and rstd = 1/√(var + eps) [rows] for the backward pass. */
void attn_layer_norm(const float *x, const float *gamma, const float *beta, float *y, float *mean, float *rstd,
                     long rows, long cols, float eps);
/* dx [rows, cols], dgamma [cols], dbeta [cols]. */
void attn_layer_norm_grad(const float *dy, const float *x, const float *gamma, const float *mean, const float *rstd,
                          float *dx, float *dgamma, float *dbeta, long rows, long cols);

#endif
