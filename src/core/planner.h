/* planner.h — greedy, lifetime-aware placement of buffers in one arena.
 *
 * Each buffer has a size and a lifetime [first, last] in node indices (inclusive). Two
 * buffers may share bytes only when their lifetimes do not overlap. The planner visits
 * buffers from largest to smallest (ties: earliest first) and puts each at the lowest
 * offset where it fits between the already-placed buffers that are alive at the same
 * time, as TensorFlow Lite Micro's greedy planner does. Every offset is a multiple of
 * MOTE_ALIGN. The result is not optimal (the problem is NP-hard) but is close on real
 * networks, where big activations die quickly.
 */
#ifndef MOTE_CORE_PLANNER_H
#define MOTE_CORE_PLANNER_H

#include "core/alloc.h"

typedef struct plan_buffer {
    size_t size;
    int32_t first, last; /* lifetime in node indices, inclusive */
    size_t offset;       /* output */
} plan_buffer;

/* Places n buffers; *total is the arena bytes they need. Returns MOTE_OK, or
 * MOTE_ERROR_OUT_OF_MEMORY (work space) or MOTE_ERROR_LIMIT (sizes overflow). */
mote_status plan_greedy(plan_buffer *buffers, int32_t n, const mote_allocator *a, size_t *total);

/* Checks that no two buffers alive at the same time overlap; 0 if sound. For tests. */
int plan_check(const plan_buffer *buffers, int32_t n);

#endif /* MOTE_CORE_PLANNER_H */
