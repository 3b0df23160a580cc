/* rank.c — RANK: the input's number of dimensions as an int32 scalar. */
#include "kernels/kernel.h"

static mote_status rank_prepare(mote_context *ctx, mote_node *node) {
    mote_tensor *in, *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 1, 1, 1)) || (st = kernel_require_input(ctx, node, 0, &in)) ||
        (st = kernel_require_output(ctx, node, 0, &out)) || (st = kernel_check_type(ctx, node, out, "output", 0, MOTE_INT32)))
        return st;
    return kernel_set_shape(ctx, node, out, 0, NULL);
}

static mote_status rank_eval(mote_context *ctx, mote_node *node) {
    const int32_t rank = kernel_input(ctx, node, 0)->rank;
    memcpy(kernel_output(ctx, node, 0)->data, &rank, sizeof rank);
    return MOTE_OK;
}

const mote_op mote_op_rank = {NULL, MOTE_OP_RANK, NULL, rank_prepare, NULL, rank_eval, NULL};
