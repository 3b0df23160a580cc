/* pcan.c — SignalPCAN: per-channel amplitude normalization. Each band is multiplied by a
 * gain read from a table indexed by its noise estimate (input 1), then compressed by PCAN's
 * shrink curve: out = shrink((x * gain(noise)) >> snr_shift). */
#include "signal/signal_kernel.h"
#include "signal/signal_math.h"

typedef struct pcan_data {
    int32_t snr_shift; /* right shift taking x * gain to SIGNAL_PCAN_SNR_BITS fractional bits */
} pcan_data;

static mote_status pcan_init(mote_context *ctx, mote_node *node) {
    pcan_data *d = kernel_alloc_data(ctx, node, sizeof *d);
    if (!d) return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    return signal_option(ctx, node, "snr_shift", 0, 63, &d->snr_shift);
}

static mote_status pcan_prepare(mote_context *ctx, mote_node *node) {
    mote_tensor *in, *noise, *lut, *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 3, 3, 1)) || (st = kernel_require_input(ctx, node, 0, &in)) ||
        (st = kernel_require_input(ctx, node, 1, &noise)) || (st = kernel_require_input(ctx, node, 2, &lut)) ||
        (st = kernel_require_output(ctx, node, 0, &out)) ||
        (st = signal_check(ctx, node, in, "input", 0, MOTE_UINT32, 1)) ||
        (st = signal_check(ctx, node, noise, "input", 1, MOTE_UINT32, 1)) ||
        (st = signal_check(ctx, node, lut, "input", 2, MOTE_INT16, 1)) ||
        (st = signal_check(ctx, node, out, "output", 0, MOTE_UINT32, 1)))
        return st;
    if (noise->dims[0] < in->dims[0])
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "input 1 has %d noise estimates for %d bands",
                           noise->dims[0], in->dims[0]);
    if (lut->dims[0] < SIGNAL_PCAN_LUT_MIN)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "input 2: gain table of %d entries, expected %d",
                           lut->dims[0], SIGNAL_PCAN_LUT_MIN);
    return kernel_copy_shape(ctx, node, out, in);
}

static mote_status pcan_eval(mote_context *ctx, mote_node *node) {
    const pcan_data *d = node->data;
    const mote_tensor *in = kernel_input(ctx, node, 0);
    const uint32_t *x = KERNEL_DATA(in, const uint32_t);
    const uint32_t *noise = KERNEL_DATA(kernel_input(ctx, node, 1), const uint32_t);
    const int16_t *lut = KERNEL_DATA(kernel_input(ctx, node, 2), const int16_t);
    uint32_t *y = KERNEL_DATA(kernel_output(ctx, node, 0), uint32_t);
    for (int32_t c = 0; c < in->dims[0]; c++) {
        /* A negative table entry becomes a large unsigned gain, as in the library. */
        const uint32_t gain = (uint32_t)(int32_t)signal_pcan_gain(noise[c], lut);
        const uint32_t snr = (uint32_t)(((uint64_t)x[c] * gain) >> d->snr_shift);
        y[c] = signal_pcan_shrink(snr);
    }
    return MOTE_OK;
}

const mote_op signal_op_pcan = {"SignalPCAN", -1, pcan_init, pcan_prepare, NULL, pcan_eval, NULL};
