/* Memory-bound kernels that wasm runs on one thread: reductions, bias-style binary ops
 * and softmax, split over the thread pool by rows or columns. */
#ifndef ATTN_ELEMENTWISE_H
#define ATTN_ELEMENTWISE_H

/* x is [outer, inner]. Leading: out[j] = Σ_i x[i, j] (bias gradients). Trailing: out[i] = Σ_j x[i, j]. */
void attn_sum_leading(const float *x, float *out, long outer, long inner);
void attn_sum_trailing(const float *x, float *out, long outer, long inner);

/* RSUB and RDIV are b - a and b / a, for when the broadcast operand is the first one. */
typedef enum { ATTN_ADD = 0, ATTN_SUB = 1, ATTN_MUL = 2, ATTN_DIV = 3, ATTN_RSUB = 4, ATTN_RDIV = 5 } attn_binary_op;
/* How b lines up with a [outer, inner]: same shape, one row [inner] repeated, one scalar,
 * or one value per row [outer] (LayerNorm's x - mean, x / std). */
typedef enum { ATTN_B_FULL = 0, ATTN_B_ROW = 1, ATTN_B_SCALAR = 2, ATTN_B_COL = 3, ATTN_B_GROUPED = 4 } attn_b_mode;
/* ATTN_B_GROUPED: b is [b_rows, inner] and row i of a uses b row (i / rep) % b_rows — an attention
 * mask [batch, 1, 1, seq] over scores [batch, heads, seq, seq] is rep = heads·seq, b_rows = batch. */
void attn_binary(attn_binary_op op, const float *a, const float *b, float *out, long outer, long inner, attn_b_mode mode,
                 long rep, long b_rows);

/* Row-wise softmax over the last axis of x [rows, cols]. */
void attn_softmax(const float *x, float *out, long rows, long cols);

/* out [num_segments, inner] = Σ over rows i with ids[i] = s of x[i, :]; ids outside [0, num_segments) are
 * dropped, as in TensorFlow. The gradient of an embedding lookup. */
void attn_segment_sum(const float *x, const int *ids, float *out, long rows, long inner, long num_segments);

typedef enum { ATTN_EXP = 0, ATTN_ERF = 1, ATTN_RELU = 2, ATTN_TANH = 3 } attn_unary_op;
void attn_unary(attn_unary_op op, const float *x, float *out, long n);

#endif
