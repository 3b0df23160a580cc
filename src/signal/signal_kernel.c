/* signal_kernel.c — option reading and checks shared by the signal operators. */
#include "signal/signal_kernel.h"

#include <inttypes.h>

#include "kernels/flexbuffer.h"

mote_status signal_option(mote_context *ctx, const mote_node *node, const char *key, int64_t lo,
                          int64_t hi, int32_t *value) {
    const void *data = NULL;
    size_t size = 0;
    mote_node_custom_options(node, &data, &size);
    flexbuffer_map map;
    flexbuffer_number v = {0, 0.0};
    flexbuffer_status fs = flexbuffer_root_map(data, size, &map);
    if (fs == FLEXBUFFER_OK) fs = flexbuffer_map_number(&map, key, &v);
    switch (fs) {
    case FLEXBUFFER_OK: break;
    case FLEXBUFFER_MISSING:
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "custom option '%s' is missing", key);
    case FLEXBUFFER_NOT_NUMBER:
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "custom option '%s' is not a number", key);
    default:
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "custom options (%zu bytes) are not a valid FlexBuffer map", size);
    }
    /* Read as the library's AsInt32 would: floats truncate toward zero. */
    if (v.i < lo || v.i > hi)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "custom option '%s' is %" PRId64 ", expected %" PRId64 "..%" PRId64, key, v.i, lo,
                           hi);
    *value = (int32_t)v.i;
    return MOTE_OK;
}

mote_status signal_check(mote_context *ctx, const mote_node *node, const mote_tensor *t, const char *role,
                         int32_t i, mote_type type, int32_t rank) {
    mote_status st = kernel_check_type(ctx, node, t, role, i, type);
    if (st) return st;
    if (rank >= 0) return kernel_check_rank(ctx, node, t, role, i, rank);
    if (t->rank >= 1) return MOTE_OK;
    char d[160];
    return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: expected at least 1 dimension, got a scalar",
                       kernel_describe(t, role, i, d, sizeof d));
}
