/* complex.c — COMPLEX_ABS, REAL and IMAG: complex64 to float32 (complex128 to float64),
 * element by element; the magnitude is hypot(re, im), as std::abs of a complex computes it. */
#include "kernels/kernel.h"

static mote_status complex_prepare(mote_context *ctx, mote_node *node) {
    mote_tensor *in, *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 1, 1, 1)) || (st = kernel_require_input(ctx, node, 0, &in)) ||
        (st = kernel_require_output(ctx, node, 0, &out)))
        return st;
    switch (in->type) {
    case MOTE_COMPLEX64: st = kernel_check_type(ctx, node, out, "output", 0, MOTE_FLOAT32); break;
    case MOTE_COMPLEX128: st = kernel_check_type(ctx, node, out, "output", 0, MOTE_FLOAT64); break;
    default: return kernel_unsupported_type(ctx, node, in, "input", 0);
    }
    if (st) return st;
    return kernel_copy_shape(ctx, node, out, in);
}

static mote_status complex_eval(mote_context *ctx, mote_node *node) {
    const int32_t code = node->def->builtin_code;
    const mote_tensor *in = kernel_input(ctx, node, 0);
    mote_tensor *out = kernel_output(ctx, node, 0);
    const size_t n = kernel_count(in);
    if (in->type == MOTE_COMPLEX64) {
        const float *z = KERNEL_DATA(in, const float); /* (re, im) pairs */
        float *y = KERNEL_DATA(out, float);
        switch (code) {
        case MOTE_OP_COMPLEX_ABS:
            for (size_t i = 0; i < n; i++) y[i] = hypotf(z[2 * i], z[2 * i + 1]);
            break;
        case MOTE_OP_REAL:
            for (size_t i = 0; i < n; i++) y[i] = z[2 * i];
            break;
        default:
            for (size_t i = 0; i < n; i++) y[i] = z[2 * i + 1];
            break;
        }
    } else {
        const double *z = KERNEL_DATA(in, const double);
        double *y = KERNEL_DATA(out, double);
        switch (code) {
        case MOTE_OP_COMPLEX_ABS:
            for (size_t i = 0; i < n; i++) y[i] = hypot(z[2 * i], z[2 * i + 1]);
            break;
        case MOTE_OP_REAL:
            for (size_t i = 0; i < n; i++) y[i] = z[2 * i];
            break;
        default:
            for (size_t i = 0; i < n; i++) y[i] = z[2 * i + 1];
            break;
        }
    }
    return MOTE_OK;
}

const mote_op mote_op_complex_abs = {NULL, MOTE_OP_COMPLEX_ABS, NULL, complex_prepare,
                                     NULL, complex_eval,        NULL};
const mote_op mote_op_real = {NULL, MOTE_OP_REAL, NULL, complex_prepare, NULL, complex_eval, NULL};
const mote_op mote_op_imag = {NULL, MOTE_OP_IMAG, NULL, complex_prepare, NULL, complex_eval, NULL};
