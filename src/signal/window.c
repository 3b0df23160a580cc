/* window.c — SignalWindow: multiplies each frame of int16 audio by a window (int16 with
 * `shift` fractional bits), out = saturate16((x * w) >> shift). */
#include "signal/signal_kernel.h"

typedef struct window_data {
    int32_t shift; /* fractional bits of the window: right shift of each int32 product */
} window_data;

static mote_status window_init(mote_context *ctx, mote_node *node) {
    window_data *d = kernel_alloc_data(ctx, node, sizeof *d);
    if (!d) return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    return signal_option(ctx, node, "shift", 0, 31, &d->shift);
}

static mote_status window_prepare(mote_context *ctx, mote_node *node) {
    mote_tensor *in, *w, *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 2, 2, 1)) || (st = kernel_require_input(ctx, node, 0, &in)) ||
        (st = kernel_require_input(ctx, node, 1, &w)) || (st = kernel_require_output(ctx, node, 0, &out)) ||
        (st = signal_check(ctx, node, in, "input", 0, MOTE_INT16, -1)) ||
        (st = signal_check(ctx, node, w, "input", 1, MOTE_INT16, 1)) ||
        (st = signal_check(ctx, node, out, "output", 0, MOTE_INT16, -1)))
        return st;
    /* The window applies to consecutive runs of its length over the flattened input. */
    if (w->dims[0] <= 0 || kernel_count(in) % (size_t)w->dims[0])
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "the window's length %d does not divide the input's %zu elements", w->dims[0],
                           kernel_count(in));
    return kernel_copy_shape(ctx, node, out, in);
}

static mote_status window_eval(mote_context *ctx, mote_node *node) {
    const window_data *d = node->data;
    const mote_tensor *in = kernel_input(ctx, node, 0), *w = kernel_input(ctx, node, 1);
    mote_tensor *out = kernel_output(ctx, node, 0);
    const int16_t *x = KERNEL_DATA(in, const int16_t), *win = KERNEL_DATA(w, const int16_t);
    int16_t *y = KERNEL_DATA(out, int16_t);
    const size_t n = kernel_count(in), len = (size_t)w->dims[0];
    for (size_t i = 0; i < n; i++) {
        int32_t v = ((int32_t)x[i] * win[i % len]) >> d->shift;
        y[i] = (int16_t)(v < INT16_MIN ? INT16_MIN : v > INT16_MAX ? INT16_MAX : v);
    }
    return MOTE_OK;
}

const mote_op signal_op_window = {"SignalWindow", -1, window_init, window_prepare, NULL, window_eval, NULL};
