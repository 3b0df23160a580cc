/* threadpool.c — the persistent worker pool (see threadpool.h).
 *
 * A run publishes (fn, arg, tasks) and then a new `state`: a 64-bit word holding the run's
 * generation (high half) and the next unclaimed task (low half). Workers notice the new
 * generation (spinning for a while, else woken by a condition variable) and claim tasks by
 * compare-and-swap on `state`, so a claim only succeeds while its generation is current and
 * tasks are left; the caller claims tasks the same way. The caller returns once every task
 * has finished (`done`), without waiting for workers that have not started: on a busy
 * machine a descheduled worker costs a run nothing, the caller does its share. A worker
 * that wakes late finds its generation gone, or no task left, and goes back to waiting.
 * Before a task of generation G can be claimed, G's (fn, arg, tasks) were published; the
 * next run first closes G (no task left to claim), then overwrites them.
 */
#include "core/threadpool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define cpu_relax() _mm_pause()
#elif defined(__aarch64__)
#define cpu_relax() __asm__ __volatile__("yield")
#else
#define cpu_relax() ((void)0)
#endif

/* Spin iterations before sleeping: a few tens of microseconds, shorter than a typical
 * node and far shorter than a scheduler wake-up. */
#define SPIN_LIMIT 2000

typedef struct worker {
    mote_threadpool *pool;
    int32_t id;
    pthread_t thread;
} worker;

struct mote_threadpool {
    mote_allocator alloc;
    int32_t size;          /* threads in all, the caller included */
    int32_t started;       /* workers actually started */
    worker *workers;       /* [size - 1] */
    pthread_mutex_t mutex;
    pthread_cond_t wake;   /* sleeping workers wait here for a new generation */
    pthread_cond_t done_cond; /* the caller waits here for done == tasks */
    _Atomic uint64_t state;   /* generation << 32 | next task */
    atomic_int done;          /* tasks of the current run finished */
    atomic_int sleepers;      /* workers waiting on `wake` (or about to) */
    atomic_int caller_waiting; /* the caller sleeps on done_cond */
    atomic_int stop;
    uint32_t generation;      /* the caller's: the current run's */
    /* The current run, written before its generation is published. */
    _Atomic(threadpool_fn) fn;
    _Atomic(void *) arg;
    atomic_int tasks;
};

/* Claims the next task of generation gen: its index, or -1 when the generation is over
 * (or gone) or no task is left. */
static int32_t claim(mote_threadpool *p, uint32_t gen, int32_t tasks) {
    uint64_t v = atomic_load_explicit(&p->state, memory_order_acquire);
    for (;;) {
        if ((uint32_t)(v >> 32) != gen || (int64_t)(uint32_t)v >= (int64_t)tasks) return -1;
        if (atomic_compare_exchange_weak_explicit(&p->state, &v, v + 1, memory_order_acq_rel, memory_order_acquire))
            return (int32_t)(uint32_t)v;
    }
}

static void take_tasks(mote_threadpool *p, uint32_t gen, threadpool_fn fn, void *arg, int32_t tasks,
                       int32_t thread) {
    for (;;) {
        const int32_t t = claim(p, gen, tasks);
        if (t < 0) return;
        fn(arg, t, thread);
        if (atomic_fetch_add(&p->done, 1) + 1 == tasks && thread != 0 &&
            atomic_load(&p->caller_waiting)) {
            pthread_mutex_lock(&p->mutex);
            pthread_cond_signal(&p->done_cond);
            pthread_mutex_unlock(&p->mutex);
        }
    }
}

static void *worker_main(void *arg) {
    worker *w = arg;
    mote_threadpool *p = w->pool;
    uint32_t seen = 0;
    for (;;) {
        uint32_t gen = (uint32_t)(atomic_load_explicit(&p->state, memory_order_acquire) >> 32);
        for (int spin = 0; gen == seen && spin < SPIN_LIMIT && !atomic_load(&p->stop); spin++) {
            cpu_relax();
            gen = (uint32_t)(atomic_load_explicit(&p->state, memory_order_acquire) >> 32);
        }
        if (gen == seen) {
            pthread_mutex_lock(&p->mutex);
            atomic_fetch_add(&p->sleepers, 1);
            while ((gen = (uint32_t)(atomic_load(&p->state) >> 32)) == seen && !atomic_load(&p->stop))
                pthread_cond_wait(&p->wake, &p->mutex);
            atomic_fetch_sub(&p->sleepers, 1);
            pthread_mutex_unlock(&p->mutex);
        }
        if (atomic_load(&p->stop)) return NULL;
        seen = gen;
        /* Read after the generation (acquire): this run's, if any of its tasks is claimable. */
        const threadpool_fn fn = atomic_load_explicit(&p->fn, memory_order_acquire);
        void *const run_arg = atomic_load_explicit(&p->arg, memory_order_acquire);
        const int32_t tasks = atomic_load_explicit(&p->tasks, memory_order_acquire);
        take_tasks(p, gen, fn, run_arg, tasks, w->id);
    }
}

mote_status threadpool_create(const mote_allocator *a, int32_t threads, mote_threadpool **out) {
    *out = NULL;
    if (threads < 1) return MOTE_ERROR_INVALID_ARGUMENT;
    mote_threadpool *p = mote_alloc_array(a, 1, sizeof *p);
    if (!p) return MOTE_ERROR_OUT_OF_MEMORY;
    memset(p, 0, sizeof *p);
    p->alloc = *a;
    p->size = threads;
    atomic_init(&p->state, 0);
    atomic_init(&p->done, 0);
    atomic_init(&p->sleepers, 0);
    atomic_init(&p->caller_waiting, 0);
    atomic_init(&p->stop, 0);
    atomic_init(&p->fn, NULL);
    atomic_init(&p->arg, NULL);
    atomic_init(&p->tasks, 0);
    if (pthread_mutex_init(&p->mutex, NULL)) goto fail_mutex;
    if (pthread_cond_init(&p->wake, NULL)) goto fail_wake;
    if (pthread_cond_init(&p->done_cond, NULL)) goto fail_done;
    if (threads > 1) {
        p->workers = mote_alloc_array(a, (size_t)threads - 1, sizeof *p->workers);
        if (!p->workers) {
            threadpool_destroy(p);
            return MOTE_ERROR_OUT_OF_MEMORY;
        }
        for (int32_t i = 0; i < threads - 1; i++) {
            p->workers[i].pool = p;
            p->workers[i].id = i + 1;
            if (pthread_create(&p->workers[i].thread, NULL, worker_main, &p->workers[i])) {
                threadpool_destroy(p);
                return MOTE_ERROR_RUNTIME;
            }
            p->started++;
        }
    }
    *out = p;
    return MOTE_OK;
fail_done:
    pthread_cond_destroy(&p->wake);
fail_wake:
    pthread_mutex_destroy(&p->mutex);
fail_mutex:
    mote_free(a, p, sizeof *p);
    return MOTE_ERROR_RUNTIME;
}

void threadpool_destroy(mote_threadpool *p) {
    if (!p) return;
    pthread_mutex_lock(&p->mutex);
    atomic_store(&p->stop, 1);
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->mutex);
    for (int32_t i = 0; i < p->started; i++) pthread_join(p->workers[i].thread, NULL);
    pthread_cond_destroy(&p->done_cond);
    pthread_cond_destroy(&p->wake);
    pthread_mutex_destroy(&p->mutex);
    mote_allocator a = p->alloc;
    if (p->workers) mote_free(&a, p->workers, (size_t)(p->size - 1) * sizeof *p->workers);
    mote_free(&a, p, sizeof *p);
}

int32_t threadpool_size(const mote_threadpool *p) { return p ? p->size : 1; }

void threadpool_run(mote_threadpool *p, int32_t tasks, threadpool_fn fn, void *arg) {
    if (tasks <= 0) return;
    if (!p || p->size == 1 || tasks == 1) {
        for (int32_t t = 0; t < tasks; t++) fn(arg, t, 0);
        return;
    }
    /* Every task of the previous run has finished. Close it first, so that a late worker
     * that reads the new (fn, arg, tasks) below cannot claim them under the old generation
     * (its claim bound would be the new run's task count): the stores below are releases
     * after the close, and a worker loads them with acquire before it claims. */
    atomic_store(&p->state, ((uint64_t)p->generation << 32) | UINT32_MAX);
    atomic_store_explicit(&p->fn, fn, memory_order_release);
    atomic_store_explicit(&p->arg, arg, memory_order_release);
    atomic_store_explicit(&p->tasks, tasks, memory_order_release);
    atomic_store_explicit(&p->done, 0, memory_order_relaxed);
    const uint32_t gen = ++p->generation;
    atomic_store(&p->state, (uint64_t)gen << 32); /* publishes the run (sequentially consistent) */
    if (atomic_load(&p->sleepers) > 0) {
        pthread_mutex_lock(&p->mutex);
        pthread_cond_broadcast(&p->wake);
        pthread_mutex_unlock(&p->mutex);
    }
    take_tasks(p, gen, fn, arg, tasks, 0);
    for (int spin = 0; atomic_load_explicit(&p->done, memory_order_acquire) < tasks && spin < SPIN_LIMIT; spin++)
        cpu_relax();
    if (atomic_load_explicit(&p->done, memory_order_acquire) < tasks) {
        pthread_mutex_lock(&p->mutex);
        atomic_store(&p->caller_waiting, 1);
        while (atomic_load(&p->done) < tasks) pthread_cond_wait(&p->done_cond, &p->mutex);
        atomic_store(&p->caller_waiting, 0);
        pthread_mutex_unlock(&p->mutex);
    }
}
