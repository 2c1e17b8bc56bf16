/* A tiny persistent thread pool: the calling thread plus (n - 1) workers pull task
 * indices from one atomic counter. Kernels are short (micro- to milliseconds), so
 * threads are created once and park on a condition variable between calls. */
#ifndef ATTN_THREAD_POOL_H
#define ATTN_THREAD_POOL_H

typedef void (*attn_task_fn)(void *ctx, long task, int thread);

/* Runs fn(ctx, t, thread) for t in [0, ntasks); returns when all are done. */
void attn_parallel_for(long ntasks, attn_task_fn fn, void *ctx);
/* Threads used by attn_parallel_for (calling thread included); 1 inside a task, where parallel loops run serially. */
int attn_num_threads(void);
/* The pool thread index of the calling task (0 outside any task): the index for per-thread scratch. */
int attn_current_thread(void);
/* Changes the thread count (>= 1); restarts the workers. */
void attn_set_num_threads(int n);
/* Upper bound on the `thread` argument, for per-thread scratch arrays. */
#define ATTN_MAX_THREADS 64

#endif
