/* threadpool.h — a persistent pool of worker threads that split one node's work.
 *
 * threadpool_run(pool, tasks, fn, arg) calls fn(arg, task, thread) once for every task in
 * [0, tasks), spread over the pool's threads, and returns when all are done. The calling
 * thread works too, as thread 0; workers are threads 1 .. size-1, so a pool of size N runs
 * on exactly N threads. Workers spin briefly between runs (consecutive nodes follow each
 * other within microseconds) and then sleep. Nothing here allocates after creation.
 * One run at a time: a pool belongs to one interpreter, used by one thread.
 */
#ifndef MOTE_CORE_THREADPOOL_H
#define MOTE_CORE_THREADPOOL_H

#include "core/alloc.h"

typedef struct mote_threadpool mote_threadpool;

typedef void (*threadpool_fn)(void *arg, int32_t task, int32_t thread);

/* A pool of `threads` threads in all (the caller included): threads - 1 workers. */
mote_status threadpool_create(const mote_allocator *a, int32_t threads, mote_threadpool **out);
void threadpool_destroy(mote_threadpool *pool);

/* Number of threads, the caller included; 1 for a NULL pool. */
int32_t threadpool_size(const mote_threadpool *pool);

/* Runs tasks [0, tasks) and waits for them; a NULL pool runs them on the caller. */
void threadpool_run(mote_threadpool *pool, int32_t tasks, threadpool_fn fn, void *arg);

#endif /* MOTE_CORE_THREADPOOL_H */
