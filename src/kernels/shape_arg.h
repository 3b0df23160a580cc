/* shape_arg.h — argument tensors whose values shape an output (dims of FILL, k of TOPK_V2,
 * an axis...): they are checked, and deferred while their values are not ready, by
 * kernel_check_int_arg; this adds the check of how many values they hold. */
#ifndef MOTE_KERNELS_SHAPE_ARG_H
#define MOTE_KERNELS_SHAPE_ARG_H

#include "kernels/kernel.h"

/* Fails unless t holds exactly n values (n = 1 for a scalar argument). */
static inline mote_status shape_arg_check_count(mote_context *ctx, const mote_node *node, const mote_tensor *t,
                                                const char *role, int32_t i, size_t n) {
    if (kernel_count(t) == n) return MOTE_OK;
    char b[160];
    return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: expected %zu value%s, got %zu",
                       kernel_describe(t, role, i, b, sizeof b), n, n == 1 ? "" : "s", kernel_count(t));
}

#endif /* MOTE_KERNELS_SHAPE_ARG_H */
