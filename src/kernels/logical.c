/* logical.c — LOGICAL_AND, LOGICAL_OR (NumPy broadcasting) and LOGICAL_NOT on bool
 * tensors; any non-zero byte reads as true, results are 0 or 1. */
#include "kernels/kernel.h"

static mote_status logical_binary_prepare(mote_context *ctx, mote_node *node) {
    mote_tensor *a, *b, *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 2, 2, 1)) || (st = kernel_require_input(ctx, node, 0, &a)) ||
        (st = kernel_require_input(ctx, node, 1, &b)) || (st = kernel_require_output(ctx, node, 0, &out)))
        return st;
    if (a->type != MOTE_BOOL) return kernel_unsupported_type(ctx, node, a, "input", 0);
    if ((st = kernel_check_type(ctx, node, b, "input", 1, MOTE_BOOL)) ||
        (st = kernel_check_type(ctx, node, out, "output", 0, MOTE_BOOL)))
        return st;
    int32_t rank, dims[MOTE_MAX_DIMS];
    if ((st = kernel_broadcast_shape(ctx, node, a, b, &rank, dims))) return st;
    return kernel_set_shape(ctx, node, out, rank, dims);
}

static mote_status logical_binary_eval(mote_context *ctx, mote_node *node) {
    const mote_tensor *a = kernel_input(ctx, node, 0), *b = kernel_input(ctx, node, 1);
    mote_tensor *out = kernel_output(ctx, node, 0);
    const uint8_t *x = a->data, *y = b->data;
    uint8_t *z = out->data;
    kernel_bcast_iter it;
    kernel_bcast_init(&it, a, b, out);
    if (node->def->builtin_code == MOTE_OP_LOGICAL_AND)
        KERNEL_BCAST_LOOP(it, o, i, j, z[o] = x[i] && y[j]);
    else
        KERNEL_BCAST_LOOP(it, o, i, j, z[o] = x[i] || y[j]);
    return MOTE_OK;
}

static mote_status logical_not_prepare(mote_context *ctx, mote_node *node) {
    mote_tensor *in, *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 1, 1, 1)) || (st = kernel_require_input(ctx, node, 0, &in)) ||
        (st = kernel_require_output(ctx, node, 0, &out)))
        return st;
    if (in->type != MOTE_BOOL) return kernel_unsupported_type(ctx, node, in, "input", 0);
    if ((st = kernel_check_type(ctx, node, out, "output", 0, MOTE_BOOL))) return st;
    return kernel_copy_shape(ctx, node, out, in);
}

static mote_status logical_not_eval(mote_context *ctx, mote_node *node) {
    const mote_tensor *in = kernel_input(ctx, node, 0);
    mote_tensor *out = kernel_output(ctx, node, 0);
    const uint8_t *x = in->data;
    uint8_t *z = out->data;
    for (size_t k = 0, n = kernel_count(out); k < n; k++) z[k] = !x[k];
    return MOTE_OK;
}

const mote_op mote_op_logical_and = {NULL, MOTE_OP_LOGICAL_AND, NULL, logical_binary_prepare, NULL,
                                     logical_binary_eval, NULL};
const mote_op mote_op_logical_or = {NULL, MOTE_OP_LOGICAL_OR, NULL, logical_binary_prepare, NULL,
                                    logical_binary_eval, NULL};
const mote_op mote_op_logical_not = {NULL, MOTE_OP_LOGICAL_NOT, NULL, logical_not_prepare, NULL, logical_not_eval,
                                     NULL};
