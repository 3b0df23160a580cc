/* filter_bank_log.c — SignalFilterBankLog: ln(x << input_correction_bits) * output_scale
 * of each band, in fixed point, capped at INT16_MAX (0 for inputs that scale to 0 or 1). */
#include "signal/signal_kernel.h"
#include "signal/signal_math.h"

typedef struct filter_bank_log_data {
    int32_t correction_bits; /* input_correction_bits: left shift of the input (wrapping) */
    int32_t output_scale;    /* the logarithm's multiplier, used as uint32 */
} filter_bank_log_data;

static mote_status filter_bank_log_init(mote_context *ctx, mote_node *node) {
    filter_bank_log_data *d = kernel_alloc_data(ctx, node, sizeof *d);
    if (!d) return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    mote_status st;
    if ((st = signal_option(ctx, node, "input_correction_bits", 0, 31, &d->correction_bits)) ||
        (st = signal_option(ctx, node, "output_scale", INT32_MIN, INT32_MAX, &d->output_scale)))
        return st;
    return MOTE_OK;
}

static mote_status filter_bank_log_prepare(mote_context *ctx, mote_node *node) {
    mote_tensor *in, *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 1, 1, 1)) || (st = kernel_require_input(ctx, node, 0, &in)) ||
        (st = kernel_require_output(ctx, node, 0, &out)) ||
        (st = signal_check(ctx, node, in, "input", 0, MOTE_UINT32, 1)) ||
        (st = signal_check(ctx, node, out, "output", 0, MOTE_INT16, 1)))
        return st;
    return kernel_copy_shape(ctx, node, out, in);
}

static mote_status filter_bank_log_eval(mote_context *ctx, mote_node *node) {
    const filter_bank_log_data *d = node->data;
    const mote_tensor *in = kernel_input(ctx, node, 0);
    const uint32_t *x = KERNEL_DATA(in, const uint32_t);
    int16_t *y = KERNEL_DATA(kernel_output(ctx, node, 0), int16_t);
    for (int32_t c = 0; c < in->dims[0]; c++) {
        const uint32_t scaled = x[c] << d->correction_bits;
        if (scaled <= 1) {
            y[c] = 0;
            continue;
        }
        const uint32_t v = signal_log32(scaled, (uint32_t)d->output_scale);
        y[c] = (int16_t)(v < (uint32_t)INT16_MAX ? v : (uint32_t)INT16_MAX);
    }
    return MOTE_OK;
}

const mote_op signal_op_filter_bank_log = {"SignalFilterBankLog", -1, filter_bank_log_init, filter_bank_log_prepare,
                                           NULL, filter_bank_log_eval, NULL};
