/* options.c — building the options an interpreter is created with. */
#include "core/options.h"

#include <string.h>

mote_status mote_options_create(const mote_allocator *allocator, mote_options **out) {
    if (!out) return MOTE_ERROR_INVALID_ARGUMENT;
    mote_allocator a = mote_allocator_or_default(allocator);
    mote_options *o = mote_alloc_array(&a, 1, sizeof *o);
    *out = o;
    if (!o) return MOTE_ERROR_OUT_OF_MEMORY;
    o->alloc = a;
    o->threads = 1;
    return MOTE_OK;
}

void mote_options_destroy(mote_options *o) {
    if (!o) return;
    mote_allocator a = o->alloc;
    mote_free(&a, (void *)o->ops, (size_t)o->op_capacity * sizeof *o->ops);
    mote_free(&a, o, sizeof *o);
}

mote_status mote_options_set_threads(mote_options *o, int32_t threads) {
    if (!o || threads < 1 || threads > 1024) return MOTE_ERROR_INVALID_ARGUMENT;
    o->threads = threads;
    return MOTE_OK;
}

mote_status mote_options_add_op(mote_options *o, const mote_op *op) {
    if (!o || !op || !op->eval) return MOTE_ERROR_INVALID_ARGUMENT;
    if (op->builtin_code < 0 && (!op->custom_name || !op->custom_name[0]))
        return MOTE_ERROR_INVALID_ARGUMENT;
    if (o->op_count == o->op_capacity) {
        int32_t cap = o->op_capacity ? o->op_capacity * 2 : 8;
        const mote_op **ops = mote_realloc(&o->alloc, (void *)o->ops,
                                           (size_t)o->op_capacity * sizeof *ops, (size_t)cap * sizeof *ops);
        if (!ops) return MOTE_ERROR_OUT_OF_MEMORY;
        o->ops = ops;
        o->op_capacity = cap;
    }
    o->ops[o->op_count++] = op;
    return MOTE_OK;
}

mote_status mote_options_set_limit(mote_options *o, mote_limit limit, uint64_t value) {
    if (!o || (int)limit < 0 || limit >= MOTE_LIMIT_COUNT) return MOTE_ERROR_INVALID_ARGUMENT;
    o->limits[limit] = value;
    return MOTE_OK;
}

mote_status mote_options_set_arena(mote_options *o, void *arena, size_t bytes) {
    if (!o || (!arena && bytes)) return MOTE_ERROR_INVALID_ARGUMENT;
    o->arena = arena;
    o->arena_bytes = bytes;
    return MOTE_OK;
}

mote_status mote_options_set_reference_kernels(mote_options *o, int enabled) {
    if (!o) return MOTE_ERROR_INVALID_ARGUMENT;
    o->reference_only = enabled != 0;
    return MOTE_OK;
}
