/* add_n.c — ADD_N: the element-wise sum of any number of tensors of one shape, float32
 * (summed from 0 in input order, as TensorFlow Lite's reference does), int32 and int64
 * (wrapping on overflow). */
#include "kernels/kernel.h"

static mote_status add_n_prepare(mote_context *ctx, mote_node *node) {
    mote_tensor *in0, *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 1, INT32_MAX, 1)) || (st = kernel_require_input(ctx, node, 0, &in0)) ||
        (st = kernel_require_output(ctx, node, 0, &out)))
        return st;
    if (in0->type != MOTE_FLOAT32 && in0->type != MOTE_INT32 && in0->type != MOTE_INT64)
        return kernel_unsupported_type(ctx, node, in0, "input", 0);
    for (int32_t i = 1; i < node->input_count; i++) {
        mote_tensor *t;
        if ((st = kernel_require_input(ctx, node, i, &t)) || (st = kernel_check_type(ctx, node, t, "input", i, in0->type)))
            return st;
        if (!kernel_same_shape(t, in0)) {
            char b[160];
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: shape differs from input 0's",
                               kernel_describe(t, "input", i, b, sizeof b));
        }
    }
    if ((st = kernel_check_type(ctx, node, out, "output", 0, in0->type))) return st;
    return kernel_copy_shape(ctx, node, out, in0);
}

/* Sums one element across the inputs; U is the type the sum is done in (unsigned for
 * integers: wraps). */
#define DEFINE_ADD_N(name, T, U)                                                               \
    static void name(mote_context *ctx, const mote_node *node, T *y, size_t n) {               \
        for (size_t k = 0; k < n; k++) {                                                       \
            U acc = 0;                                                                         \
            for (int32_t i = 0; i < node->input_count; i++)                                    \
                acc += (U)KERNEL_DATA(kernel_input(ctx, node, i), const T)[k];                 \
            y[k] = (T)acc;                                                                     \
        }                                                                                      \
    }
DEFINE_ADD_N(add_n_f32, float, float)
DEFINE_ADD_N(add_n_i32, int32_t, uint32_t)
DEFINE_ADD_N(add_n_i64, int64_t, uint64_t)

static mote_status add_n_eval(mote_context *ctx, mote_node *node) {
    mote_tensor *out = kernel_output(ctx, node, 0);
    const size_t n = kernel_count(out);
    switch (out->type) {
    case MOTE_FLOAT32: add_n_f32(ctx, node, KERNEL_DATA(out, float), n); break;
    case MOTE_INT32: add_n_i32(ctx, node, KERNEL_DATA(out, int32_t), n); break;
    default: add_n_i64(ctx, node, KERNEL_DATA(out, int64_t), n); break;
    }
    return MOTE_OK;
}

const mote_op mote_op_add_n = {NULL, MOTE_OP_ADD_N, NULL, add_n_prepare, NULL, add_n_eval, NULL};
