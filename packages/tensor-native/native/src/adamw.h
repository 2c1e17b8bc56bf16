/* AdamW (PyTorch's torch.optim.AdamW semantics) over many parameters in one call:
 * one pass reads p, g, m, v and writes new p, m, v, split in chunks over the threads. */
#ifndef ATTN_ADAMW_H
#define ATTN_ADAMW_H

typedef struct {
  const float *p, *g, *m, *v;
  float *p_out, *m_out, *v_out;
  long n;
  float weight_decay;
} attn_adamw_param;

typedef struct {
  float lr, beta1, beta2, eps;
  long step; /* 1-based, for the bias corrections */
  /* Every gradient is multiplied by this first (gradient clipping's coefficient; 1: none), in float32, as
   * a separate g · scale pass would, so folding the clip into the update changes no bit. */
  float grad_scale;
} attn_adamw_hyper;

void attn_adamw(const attn_adamw_param *params, long count, const attn_adamw_hyper *h);

#endif
