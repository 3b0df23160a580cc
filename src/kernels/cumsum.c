/* cumsum.c — CUMSUM along an axis (a readable int32/int64 scalar), optionally exclusive
 * (each output leaves its own element out) and reversed (summing from the end): float32
 * summed in order, int32 and int64 wrapping on overflow as TensorFlow Lite's do. */
#include "kernels/shape_arg.h"

#define OPT_EXCLUSIVE 0
#define OPT_REVERSE 1

enum { IN_INPUT = 0, IN_AXIS = 1 };

typedef struct cumsum_data {
    int exclusive, reverse;
    size_t outer, axis_size, inner; /* the input viewed as [outer, axis_size, inner] */
} cumsum_data;

static mote_status cumsum_init(mote_context *ctx, mote_node *node) {
    cumsum_data *d = kernel_alloc_data(ctx, node, sizeof *d);
    if (!d) return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    fb_table opt = kernel_options(ctx, node, TFL_OPTIONS_CUMSUM);
    d->exclusive = KOPT_BOOL(ctx, opt, OPT_EXCLUSIVE, 0);
    d->reverse = KOPT_BOOL(ctx, opt, OPT_REVERSE, 0);
    return MOTE_OK;
}

static mote_status cumsum_prepare(mote_context *ctx, mote_node *node) {
    cumsum_data *d = node->data;
    mote_tensor *in, *axis_t, *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 2, 2, 1)) || (st = kernel_require_input(ctx, node, IN_INPUT, &in)) ||
        (st = kernel_require_input(ctx, node, IN_AXIS, &axis_t)) || (st = kernel_require_output(ctx, node, 0, &out)) ||
        (st = kernel_check_int_arg(ctx, node, axis_t, "input", IN_AXIS)) ||
        (st = shape_arg_check_count(ctx, node, axis_t, "input", IN_AXIS, 1)))
        return st;
    if (in->type != MOTE_FLOAT32 && in->type != MOTE_INT32 && in->type != MOTE_INT64)
        return kernel_unsupported_type(ctx, node, in, "input", IN_INPUT);
    if ((st = kernel_check_type(ctx, node, out, "output", 0, in->type))) return st;
    int64_t axis = kernel_int_at(axis_t, 0);
    if (axis < -(int64_t)in->rank || axis >= in->rank)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "axis %lld is out of range for rank %d",
                           (long long)axis, in->rank);
    if (axis < 0) axis += in->rank;
    d->outer = kernel_dims_product(in, 0, (int32_t)axis);
    d->axis_size = (size_t)in->dims[axis];
    d->inner = kernel_dims_product(in, (int32_t)axis + 1, in->rank);
    return kernel_copy_shape(ctx, node, out, in);
}

/* T is the element type, U the type the sums are done in (unsigned for integers: wraps). */
#define DEFINE_CUMSUM(name, T, U)                                                              \
    static void name(const cumsum_data *d, const T *x, T *y) {                                 \
        for (size_t o = 0; o < d->outer; o++) {                                                \
            for (size_t i = 0; i < d->inner; i++) {                                            \
                const size_t base = o * d->axis_size * d->inner + i;                           \
                U acc = 0;                                                                     \
                for (size_t k = 0; k < d->axis_size; k++) {                                    \
                    const size_t a = d->reverse ? d->axis_size - 1 - k : k;                    \
                    const size_t at = base + a * d->inner;                                     \
                    const U v = (U)x[at];                                                      \
                    if (d->exclusive) {                                                        \
                        y[at] = (T)acc;                                                        \
                        acc += v;                                                              \
                    } else {                                                                   \
                        acc += v;                                                              \
                        y[at] = (T)acc;                                                        \
                    }                                                                          \
                }                                                                              \
            }                                                                                  \
        }                                                                                      \
    }
DEFINE_CUMSUM(cumsum_f32, float, float)
DEFINE_CUMSUM(cumsum_i32, int32_t, uint32_t)
DEFINE_CUMSUM(cumsum_i64, int64_t, uint64_t)

static mote_status cumsum_eval(mote_context *ctx, mote_node *node) {
    const cumsum_data *d = node->data;
    const mote_tensor *in = kernel_input(ctx, node, IN_INPUT);
    mote_tensor *out = kernel_output(ctx, node, 0);
    switch (in->type) {
    case MOTE_FLOAT32: cumsum_f32(d, KERNEL_DATA(in, const float), KERNEL_DATA(out, float)); break;
    case MOTE_INT32: cumsum_i32(d, KERNEL_DATA(in, const int32_t), KERNEL_DATA(out, int32_t)); break;
    default: cumsum_i64(d, KERNEL_DATA(in, const int64_t), KERNEL_DATA(out, int64_t)); break;
    }
    return MOTE_OK;
}

const mote_op mote_op_cumsum = {NULL, MOTE_OP_CUMSUM, cumsum_init, cumsum_prepare, NULL, cumsum_eval, NULL};
