/* atan2.c — ATAN2(y, x), the angle of (x, y) in (-pi, pi], element-wise with NumPy
 * broadcasting on float32 and float64. */
#include "kernels/kernel.h"

static mote_status atan2_prepare(mote_context *ctx, mote_node *node) {
    mote_tensor *y, *x, *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 2, 2, 1)) || (st = kernel_require_input(ctx, node, 0, &y)) ||
        (st = kernel_require_input(ctx, node, 1, &x)) || (st = kernel_require_output(ctx, node, 0, &out)))
        return st;
    if (y->type != MOTE_FLOAT32 && y->type != MOTE_FLOAT64) return kernel_unsupported_type(ctx, node, y, "input", 0);
    if ((st = kernel_check_type(ctx, node, x, "input", 1, y->type)) ||
        (st = kernel_check_type(ctx, node, out, "output", 0, y->type)))
        return st;
    int32_t rank, dims[MOTE_MAX_DIMS];
    if ((st = kernel_broadcast_shape(ctx, node, y, x, &rank, dims))) return st;
    return kernel_set_shape(ctx, node, out, rank, dims);
}

static mote_status atan2_eval(mote_context *ctx, mote_node *node) {
    const mote_tensor *y = kernel_input(ctx, node, 0), *x = kernel_input(ctx, node, 1);
    mote_tensor *out = kernel_output(ctx, node, 0);
    kernel_bcast_iter it;
    kernel_bcast_init(&it, y, x, out);
    if (out->type == MOTE_FLOAT32) {
        const float *a = KERNEL_DATA(y, const float), *b = KERNEL_DATA(x, const float);
        float *z = KERNEL_DATA(out, float);
        KERNEL_BCAST_LOOP(it, o, i, j, z[o] = atan2f(a[i], b[j]));
    } else {
        const double *a = KERNEL_DATA(y, const double), *b = KERNEL_DATA(x, const double);
        double *z = KERNEL_DATA(out, double);
        KERNEL_BCAST_LOOP(it, o, i, j, z[o] = atan2(a[i], b[j]));
    }
    return MOTE_OK;
}

const mote_op mote_op_atan2 = {NULL, MOTE_OP_ATAN2, NULL, atan2_prepare, NULL, atan2_eval, NULL};
