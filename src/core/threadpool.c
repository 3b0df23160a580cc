/* threadpool.c — the persistent worker pool (see threadpool.h).
 *
 * A run publishes (fn, arg, tasks), resets the task counter and bumps a generation number.
 * Workers notice the new generation (spinning for a while, else woken by a condition
 * variable), take tasks from the shared counter until none are left, then check out by
 * decrementing `active`. The caller takes tasks too and returns once every worker has
 * checked out, so no worker can still be touching this run when the next one starts.
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
    pthread_cond_t wake;   /* workers wait here for a new generation */
    pthread_cond_t done;   /* the caller waits here for active == 0 */
    atomic_uint generation;
    atomic_int next_task;
    atomic_int active;     /* workers that have not checked out of this run */
    atomic_int stop;
    /* The current run, written before the generation is published. */
    threadpool_fn fn;
    void *arg;
    int32_t tasks;
};

static void take_tasks(mote_threadpool *p, int32_t thread) {
    for (;;) {
        int32_t t = atomic_fetch_add_explicit(&p->next_task, 1, memory_order_relaxed);
        if (t >= p->tasks) return;
        p->fn(p->arg, t, thread);
    }
}

static void *worker_main(void *arg) {
    worker *w = arg;
    mote_threadpool *p = w->pool;
    unsigned seen = 0;
    for (;;) {
        unsigned gen = atomic_load(&p->generation);
        for (int spin = 0; gen == seen && spin < SPIN_LIMIT && !atomic_load(&p->stop); spin++) {
            cpu_relax();
            gen = atomic_load(&p->generation);
        }
        if (gen == seen) {
            pthread_mutex_lock(&p->mutex);
            while ((gen = atomic_load(&p->generation)) == seen && !atomic_load(&p->stop))
                pthread_cond_wait(&p->wake, &p->mutex);
            pthread_mutex_unlock(&p->mutex);
        }
        if (atomic_load(&p->stop)) return NULL;
        seen = gen;
        take_tasks(p, w->id);
        if (atomic_fetch_sub(&p->active, 1) == 1) {
            pthread_mutex_lock(&p->mutex);
            pthread_cond_signal(&p->done);
            pthread_mutex_unlock(&p->mutex);
        }
    }
}

mote_status threadpool_create(const mote_allocator *a, int32_t threads, mote_threadpool **out) {
    *out = NULL;
    if (threads < 1) return MOTE_ERROR_INVALID_ARGUMENT;
    mote_threadpool *p = mote_alloc_array(a, 1, sizeof *p);
    if (!p) return MOTE_ERROR_OUT_OF_MEMORY;
    p->alloc = *a;
    p->size = threads;
    atomic_init(&p->generation, 0);
    atomic_init(&p->next_task, 0);
    atomic_init(&p->active, 0);
    atomic_init(&p->stop, 0);
    if (pthread_mutex_init(&p->mutex, NULL)) goto fail_mutex;
    if (pthread_cond_init(&p->wake, NULL)) goto fail_wake;
    if (pthread_cond_init(&p->done, NULL)) goto fail_done;
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
    pthread_cond_destroy(&p->done);
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
    p->fn = fn;
    p->arg = arg;
    p->tasks = tasks;
    atomic_store(&p->next_task, 0);
    atomic_store(&p->active, p->size - 1);
    pthread_mutex_lock(&p->mutex); /* so a worker about to sleep cannot miss the bump */
    atomic_fetch_add(&p->generation, 1);
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->mutex);
    take_tasks(p, 0);
    for (int spin = 0; atomic_load(&p->active) > 0 && spin < SPIN_LIMIT; spin++) cpu_relax();
    if (atomic_load(&p->active) > 0) {
        pthread_mutex_lock(&p->mutex);
        while (atomic_load(&p->active) > 0) pthread_cond_wait(&p->done, &p->mutex);
        pthread_mutex_unlock(&p->mutex);
    }
}
