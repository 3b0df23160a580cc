/* options.h — interpreter options (threads, registered ops, limits, caller arena). */
#ifndef MOTE_CORE_OPTIONS_H
#define MOTE_CORE_OPTIONS_H

#include "core/interpreter.h"

struct mote_options {
    mote_allocator alloc;
    int32_t threads;
    const mote_op **ops;
    int32_t op_count, op_capacity;
    uint64_t limits[MOTE_LIMIT_COUNT];
    void *arena;
    size_t arena_bytes;
    int reference_only;
    int profiling;      /* mote_options_set_profiling */
};

#endif /* MOTE_CORE_OPTIONS_H */
