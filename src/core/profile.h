/* profile.h — per-operator timing (mote_options_set_profiling): counters sized at allocate,
 * a clock for invoke.c, and the public reader in profile.c. */
#ifndef MOTE_CORE_PROFILE_H
#define MOTE_CORE_PROFILE_H

#include <time.h>

#include "core/interpreter.h"

/* At every allocate_tensors: sizes the counters once (the node count never changes) and
 * sets them to zero. Does nothing when profiling is off. */
mote_status profile_allocate(mote_context *ctx);

void profile_free(mote_context *ctx);

/* Monotonic nanoseconds (C11's timespec_get where POSIX clocks are missing). */
static inline uint64_t profile_now_ns(void) {
    struct timespec ts;
#if defined(CLOCK_MONOTONIC)
    clock_gettime(CLOCK_MONOTONIC, &ts);
#else
    timespec_get(&ts, TIME_UTC);
#endif
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Inside the eval of node `from` of sg (profiling on): hands ns of its time to node `to`,
 * an operator whose work `from` does (a fused convolution), and counts an eval of `to`.
 * Unsigned arithmetic: invoke.c adds `from`'s whole eval time right after the eval. */
static inline void profile_move_ns(subgraph *sg, int32_t from, int32_t to, uint64_t ns) {
    sg->profile[to].total_ns += ns;
    sg->profile[to].count++;
    sg->profile[from].total_ns -= ns;
}

#endif /* MOTE_CORE_PROFILE_H */
