/* test_threadpool.c — the worker pool runs every task exactly once, on the requested
 * number of threads, over many back-to-back runs. */
#include <stdatomic.h>

#include "core/threadpool.h"
#include "test.h"

typedef struct job {
    atomic_int hits[256];
    atomic_int thread_seen[8];
    int32_t threads;
    atomic_int bad_thread;
} job;

static void count_task(void *arg, int32_t task, int32_t thread) {
    job *j = arg;
    atomic_fetch_add(&j->hits[task], 1);
    if (thread < 0 || thread >= j->threads)
        atomic_store(&j->bad_thread, 1);
    else
        atomic_store(&j->thread_seen[thread], 1);
}

static void run_pool(int32_t threads, int32_t runs) {
    mote_allocator a = mote_allocator_or_default(NULL);
    mote_threadpool *p = NULL;
    CHECK_OK(threadpool_create(&a, threads, &p));
    if (!p) return;
    CHECK_EQ_INT(threadpool_size(p), threads);
    static job j;
    for (int32_t r = 0; r < runs; r++) {
        memset(&j, 0, sizeof j);
        j.threads = threads;
        int32_t tasks = 1 + r % 256;
        threadpool_run(p, tasks, count_task, &j);
        int ok = 1;
        for (int32_t t = 0; t < 256; t++) ok &= atomic_load(&j.hits[t]) == (t < tasks);
        CHECK(ok);
        CHECK(!atomic_load(&j.bad_thread));
        if (!ok) break;
    }
    threadpool_destroy(p);
}

static void test_single_thread(void) { run_pool(1, 200); }
static void test_two_threads(void) { run_pool(2, 5000); }
static void test_four_threads(void) { run_pool(4, 1000); }

/* With long tasks, every worker takes part. A worker may start late on a busy machine
 * (the caller then takes its tasks), so the first task waits, up to a few seconds, until both
 * threads have been seen. */
static void slow_task(void *arg, int32_t task, int32_t thread) {
    job *j = arg;
    atomic_fetch_add(&j->hits[task], 1);
    atomic_store(&j->thread_seen[thread], 1);
    volatile double x = 0;
    for (int i = 0; i < 200000; i++) x += i;
    for (long spin = 0; task == 0 && spin < 3000000000L && !atomic_load(&j->thread_seen[1 - thread]); spin++) x += 1;
}

static void test_all_threads_work(void) {
    mote_allocator a = mote_allocator_or_default(NULL);
    mote_threadpool *p = NULL;
    CHECK_OK(threadpool_create(&a, 2, &p));
    static job j;
    memset(&j, 0, sizeof j);
    j.threads = 2;
    threadpool_run(p, 8, slow_task, &j);
    CHECK(atomic_load(&j.thread_seen[0]) && atomic_load(&j.thread_seen[1]));
    threadpool_destroy(p);
}

static void test_null_pool_runs_inline(void) {
    static job j;
    memset(&j, 0, sizeof j);
    j.threads = 1;
    threadpool_run(NULL, 5, count_task, &j);
    for (int t = 0; t < 5; t++) CHECK_EQ_INT(atomic_load(&j.hits[t]), 1);
    CHECK_EQ_INT(threadpool_size(NULL), 1);
    mote_allocator a = mote_allocator_or_default(NULL);
    mote_threadpool *p = NULL;
    CHECK(threadpool_create(&a, 0, &p) == MOTE_ERROR_INVALID_ARGUMENT && p == NULL);
}

TEST_MAIN(test_single_thread, test_two_threads, test_four_threads, test_all_threads_work,
          test_null_pool_runs_inline)
