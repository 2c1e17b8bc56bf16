/* Dropout keep-masks drawn natively from @attn/tensor's xoshiro128** stream: the same numbers,
 * in the same order, as Generator.fillKeepMask in JS, so a mask does not depend on whether the
 * addon is present. */
#ifndef ATTN_DROPOUT_MASK_H
#define ATTN_DROPOUT_MASK_H

#include <stdint.h>

/* out[i] = u_i >= threshold ? keep : 0, where u_0, u_1, … are the outputs of xoshiro128**
 * started from `state` (4 words, not all zero). `threshold` is rate · 2^32. The stream is
 * split over the threads by jumping each slice's state ahead (the state update is linear
 * over GF(2)), so the result is the single sequential stream, whatever the thread count. */
void attn_dropout_mask(float *out, long n, const uint32_t state[4], double threshold, float keep);

/* Advances `state` by `steps` outputs of the generator (for tests). */
void attn_xoshiro128_jump(uint32_t state[4], uint64_t steps);

#endif
