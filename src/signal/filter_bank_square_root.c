/* filter_bank_square_root.c — SignalFilterBankSquareRoot: the rounded square root of each
 * uint64 band energy, shifted right by the FFT's auto-scale bits (input 1, a scalar). */
#include "signal/signal_kernel.h"
#include "signal/signal_math.h"

static mote_status square_root_prepare(mote_context *ctx, mote_node *node) {
    mote_tensor *in, *bits, *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 2, 2, 1)) || (st = kernel_require_input(ctx, node, 0, &in)) ||
        (st = kernel_require_input(ctx, node, 1, &bits)) || (st = kernel_require_output(ctx, node, 0, &out)) ||
        (st = signal_check(ctx, node, in, "input", 0, MOTE_UINT64, 1)) ||
        (st = signal_check(ctx, node, bits, "input", 1, MOTE_INT32, 0)) ||
        (st = signal_check(ctx, node, out, "output", 0, MOTE_UINT32, 1)))
        return st;
    return kernel_copy_shape(ctx, node, out, in);
}

static mote_status square_root_eval(mote_context *ctx, mote_node *node) {
    const mote_tensor *in = kernel_input(ctx, node, 0), *bits = kernel_input(ctx, node, 1);
    mote_tensor *out = kernel_output(ctx, node, 0);
    int32_t shift;
    memcpy(&shift, bits->data, sizeof shift);
    /* SignalFftAutoScale gives 0..15; anything else would be an undefined shift. */
    if (shift < 0 || shift > 31)
        return kernel_fail(ctx, node, MOTE_ERROR_RUNTIME, "scale bits %d outside 0..31", shift);
    const uint64_t *x = KERNEL_DATA(in, const uint64_t);
    uint32_t *y = KERNEL_DATA(out, uint32_t);
    for (int32_t i = 0; i < in->dims[0]; i++) y[i] = signal_sqrt64(x[i]) >> shift;
    return MOTE_OK;
}

const mote_op signal_op_filter_bank_square_root = {"SignalFilterBankSquareRoot", -1, NULL, square_root_prepare,
                                                   NULL, square_root_eval, NULL};
