/* fft_auto_scale.c — SignalFftAutoScale: shifts a frame of int16 audio left as far as its
 * largest magnitude allows (to use the FFT's full 16 bits) and outputs the shift. */
#include "signal/signal_kernel.h"
#include "signal/signal_math.h"

static mote_status fft_auto_scale_prepare(mote_context *ctx, mote_node *node) {
    mote_tensor *in, *out, *shift;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 1, 1, 2)) || (st = kernel_require_input(ctx, node, 0, &in)) ||
        (st = kernel_require_output(ctx, node, 0, &out)) || (st = kernel_require_output(ctx, node, 1, &shift)) ||
        (st = signal_check(ctx, node, in, "input", 0, MOTE_INT16, 1)) ||
        (st = signal_check(ctx, node, out, "output", 0, MOTE_INT16, 1)) ||
        (st = signal_check(ctx, node, shift, "output", 1, MOTE_INT32, 0)) ||
        (st = kernel_copy_shape(ctx, node, out, in)))
        return st;
    static const int32_t scalar[1] = {0}; /* rank 0: no dims, but a valid pointer */
    return kernel_set_shape(ctx, node, shift, 0, scalar);
}

/* The library's largest magnitude, including its 16-bit quirk: -32768 negates to itself, after
 * which the running "maximum" is simply the next larger value, possibly negative. */
static int16_t max_abs16(const int16_t *x, size_t n) {
    int16_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (x[i] > m)
            m = x[i];
        else if (-x[i] > m)
            m = (int16_t)(uint16_t)(uint32_t)-(int32_t)x[i];
    }
    return m;
}

static mote_status fft_auto_scale_eval(mote_context *ctx, mote_node *node) {
    const mote_tensor *in = kernel_input(ctx, node, 0);
    mote_tensor *out = kernel_output(ctx, node, 0), *shift = kernel_output(ctx, node, 1);
    const int16_t *x = KERNEL_DATA(in, const int16_t);
    int16_t *y = KERNEL_DATA(out, int16_t);
    const size_t n = (size_t)out->dims[0];
    /* A negative maximum reads as a 32-bit pattern with bit 31 set: no shift. */
    int32_t bits = 16 - (int32_t)signal_msb32((uint32_t)(int32_t)max_abs16(x, n)) - 1;
    if (bits < 0) bits = 0;
    for (size_t i = 0; i < n; i++) y[i] = (int16_t)(uint16_t)(uint32_t)(x[i] * (1 << bits));
    *KERNEL_DATA(shift, int32_t) = bits;
    return MOTE_OK;
}

const mote_op signal_op_fft_auto_scale = {"SignalFftAutoScale", -1, NULL, fft_auto_scale_prepare, NULL,
                                          fft_auto_scale_eval, NULL};
