/* shape.c — SHAPE: an input's dimensions as an int32 or int64 vector. It reads only the
 * input's shape, so the interpreter computes it during prepare whenever that shape is
 * static (core/prepared.h), and what is computed from it becomes known too. */
#include "kernels/kernel.h"

static mote_status shape_prepare(mote_context *ctx, mote_node *node) {
    mote_tensor *in, *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 1, 1, 1)) || (st = kernel_require_input(ctx, node, 0, &in)) ||
        (st = kernel_require_output(ctx, node, 0, &out)))
        return st;
    /* ShapeOptions.out_type says the same as the output's type, which is what counts. */
    if (out->type != MOTE_INT32 && out->type != MOTE_INT64) return kernel_unsupported_type(ctx, node, out, "output", 0);
    const int32_t dims[1] = {in->rank};
    return kernel_set_shape(ctx, node, out, 1, dims);
}

static mote_status shape_eval(mote_context *ctx, mote_node *node) {
    const mote_tensor *in = kernel_input(ctx, node, 0);
    mote_tensor *out = kernel_output(ctx, node, 0);
    for (int32_t i = 0; i < in->rank; i++) {
        if (out->type == MOTE_INT64) {
            int64_t v = in->dims[i];
            memcpy(out->data + (size_t)i * sizeof v, &v, sizeof v);
        } else {
            memcpy(out->data + (size_t)i * sizeof in->dims[i], &in->dims[i], sizeof in->dims[i]);
        }
    }
    (void)ctx;
    return MOTE_OK;
}

const mote_op mote_op_shape = {NULL, MOTE_OP_SHAPE, NULL, shape_prepare, NULL, shape_eval, NULL};
