#include "thread_pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

/* Each job has a generation g. Tasks are claimed from one 64-bit ticket, (g << 32) | next index,
 * by compare-and-swap, so a worker that wakes late — after its job finished and a new one began —
 * can never claim a task of the new job with the old job's function. The caller returns once every
 * task is done; it never waits for a worker that was descheduled and claimed nothing (on a shared
 * machine the other core is often busy, and the caller then runs all slices itself). */

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
/* One caller at a time: Node worker_threads share this process-wide pool and its scratch. */
static pthread_mutex_t caller_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static pthread_cond_t done_cv = PTHREAD_COND_INITIALIZER;
static pthread_t workers[ATTN_MAX_THREADS];
static int num_workers = -1; /* -1: not started yet */
static int shutting_down = 0;
static atomic_int stop; /* shutting_down, readable without the mutex while spinning */

/* The current job; written under mu before generation changes. */
static attn_task_fn job_fn;
static void *job_ctx;
static long job_ntasks;
static atomic_ulong generation;
static atomic_uint_least64_t ticket;
static atomic_long tasks_done;

/* Kernels of a training step come back to back, tens of microseconds apart: a worker spins
 * that long before it sleeps, so the next kernel does not pay a futex wake-up (~50 µs). */
#define DEFAULT_SPIN 2000
static int spin_iterations = DEFAULT_SPIN; /* ATTN_NATIVE_SPIN overrides (0: sleep at once) */

static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

/* Claims the next task of job `gen`; -1 when the job has none left or is no longer current. */
static long claim(unsigned long gen, long ntasks) {
  uint_least64_t t = atomic_load(&ticket);
  for (;;) {
    if ((unsigned long)(t >> 32) != (gen & 0xffffffffu)) return -1;
    long index = (long)(t & 0xffffffffu);
    if (index >= ntasks) return -1;
    if (atomic_compare_exchange_weak(&ticket, &t, t + 1)) return index;
  }
}

/* The pool thread running a task on this OS thread, or -1 outside any task. A kernel called from inside a task (the
 * encoder layer runs each thread's share of sequences as one task) runs its own parallel loops serially on that
 * thread, with that thread's index for its scratch. */
static __thread int task_thread = -1;

static void run_job(unsigned long gen, attn_task_fn fn, void *ctx, long ntasks, int thread) {
  long t;
  task_thread = thread;
  while ((t = claim(gen, ntasks)) >= 0) {
    fn(ctx, t, thread);
    if (atomic_fetch_add(&tasks_done, 1) + 1 == ntasks) {
      pthread_mutex_lock(&mu);
      pthread_cond_signal(&done_cv);
      pthread_mutex_unlock(&mu);
    }
  }
  task_thread = -1;
}

static void *worker_main(void *arg) {
  int thread = (int)(long)arg;
  unsigned long seen = atomic_load(&generation);
  for (;;) {
    for (int i = 0; i < spin_iterations && atomic_load(&generation) == seen && !atomic_load(&stop); i++) cpu_relax();
    pthread_mutex_lock(&mu);
    while (atomic_load(&generation) == seen && !shutting_down) pthread_cond_wait(&wake, &mu);
    if (shutting_down) {
      pthread_mutex_unlock(&mu);
      return NULL;
    }
    seen = atomic_load(&generation);
    attn_task_fn fn = job_fn;
    void *ctx = job_ctx;
    long ntasks = job_ntasks;
    pthread_mutex_unlock(&mu);
    run_job(seen, fn, ctx, ntasks, thread);
  }
}

static int default_threads(void) {
  const char *env = getenv("ATTN_NATIVE_THREADS");
  if (env && atoi(env) > 0) return atoi(env);
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? (int)n : 1;
}

static void start_workers(int n) {
  const char *spin = getenv("ATTN_NATIVE_SPIN");
  if (spin && atoi(spin) >= 0) spin_iterations = atoi(spin);
  if (n < 1) n = 1;
  if (n > ATTN_MAX_THREADS) n = ATTN_MAX_THREADS;
  num_workers = 0;
  for (int i = 1; i < n; i++) {
    if (pthread_create(&workers[num_workers], NULL, worker_main, (void *)(long)i) != 0) break;
    num_workers++;
  }
}

static void stop_workers(void) {
  pthread_mutex_lock(&mu);
  shutting_down = 1;
  atomic_store(&stop, 1);
  pthread_cond_broadcast(&wake);
  pthread_mutex_unlock(&mu);
  for (int i = 0; i < num_workers; i++) pthread_join(workers[i], NULL);
  shutting_down = 0;
  atomic_store(&stop, 0);
  num_workers = 0;
}

int attn_current_thread(void) { return task_thread >= 0 ? task_thread : 0; }

int attn_num_threads(void) {
  if (task_thread >= 0) return 1;
  pthread_mutex_lock(&caller_mu);
  if (num_workers < 0) start_workers(default_threads());
  int n = num_workers + 1;
  pthread_mutex_unlock(&caller_mu);
  return n;
}

void attn_set_num_threads(int n) {
  pthread_mutex_lock(&caller_mu);
  if (num_workers >= 0) stop_workers();
  start_workers(n);
  pthread_mutex_unlock(&caller_mu);
}

void attn_parallel_for(long ntasks, attn_task_fn fn, void *ctx) {
  if (ntasks <= 0) return;
  if (task_thread >= 0) { /* nested: inside a task, on that task's thread */
    for (long t = 0; t < ntasks; t++) fn(ctx, t, task_thread);
    return;
  }
  pthread_mutex_lock(&caller_mu);
  if (num_workers < 0) start_workers(default_threads());
  if (ntasks == 1 || num_workers == 0) {
    task_thread = 0;
    for (long t = 0; t < ntasks; t++) fn(ctx, t, 0);
    task_thread = -1;
    pthread_mutex_unlock(&caller_mu);
    return;
  }
  pthread_mutex_lock(&mu);
  const unsigned long gen = atomic_load(&generation) + 1;
  job_fn = fn;
  job_ctx = ctx;
  job_ntasks = ntasks;
  atomic_store(&tasks_done, 0);
  atomic_store(&ticket, (uint_least64_t)(gen & 0xffffffffu) << 32);
  atomic_store(&generation, gen);
  pthread_cond_broadcast(&wake);
  pthread_mutex_unlock(&mu);
  run_job(gen, fn, ctx, ntasks, 0);
  for (int i = 0; i < spin_iterations && atomic_load(&tasks_done) < ntasks; i++) cpu_relax();
  pthread_mutex_lock(&mu);
  while (atomic_load(&tasks_done) < ntasks) pthread_cond_wait(&done_cv, &mu);
  pthread_mutex_unlock(&mu);
  pthread_mutex_unlock(&caller_mu);
}
