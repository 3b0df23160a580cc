/* filter_bank_spectral_subtraction.c — SignalFilterBankSpectralSubtraction: tracks each
 * band's noise floor with a one-pole low-pass filter kept across invokes, and subtracts it,
 * never going below min_signal_remaining of the band. Outputs the cleaned bands and the
 * noise estimate (which SignalPCAN uses). The estimate is operator state: zero after
 * allocate_tensors and after mote_interpreter_reset_variables. */
#include "signal/signal_kernel.h"

typedef struct spectral_subtraction_data {
    int32_t channels;            /* bands in and out */
    uint32_t smoothing;          /* filter coefficient of even bands, Q(spectral_subtraction_bits) */
    uint32_t one_minus_smoothing;
    uint32_t alt_smoothing;      /* the same for odd bands */
    uint32_t alt_one_minus_smoothing;
    uint32_t min_signal_remaining; /* Q(spectral_subtraction_bits) floor of the output */
    int32_t smoothing_bits;      /* extra fractional bits of the estimate */
    int32_t subtraction_bits;    /* spectral_subtraction_bits: scale of the coefficients */
    int32_t clamping;            /* pull the estimate down to the signal when it is above */
    int32_t state;               /* state buffer: noise estimate [channels] uint32 */
} spectral_subtraction_data;

static mote_status spectral_subtraction_init(mote_context *ctx, mote_node *node) {
    spectral_subtraction_data *d = kernel_alloc_data(ctx, node, sizeof *d);
    if (!d) return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    /* The coefficients are int32 options the library stores as uint32. */
    int32_t v[5];
    static const char *const names[5] = {"smoothing", "one_minus_smoothing", "alternate_smoothing",
                                         "alternate_one_minus_smoothing", "min_signal_remaining"};
    mote_status st;
    for (int i = 0; i < 5; i++)
        if ((st = signal_option(ctx, node, names[i], INT32_MIN, INT32_MAX, &v[i]))) return st;
    d->smoothing = (uint32_t)v[0];
    d->one_minus_smoothing = (uint32_t)v[1];
    d->alt_smoothing = (uint32_t)v[2];
    d->alt_one_minus_smoothing = (uint32_t)v[3];
    d->min_signal_remaining = (uint32_t)v[4];
    if ((st = signal_option(ctx, node, "num_channels", 0, INT32_MAX / 4, &d->channels)) ||
        (st = signal_option(ctx, node, "smoothing_bits", 0, 31, &d->smoothing_bits)) ||
        (st = signal_option(ctx, node, "spectral_subtraction_bits", 0, 63, &d->subtraction_bits)) ||
        (st = signal_option(ctx, node, "clamping", INT32_MIN, INT32_MAX, &d->clamping)))
        return st;
    return MOTE_OK;
}

static mote_status spectral_subtraction_prepare(mote_context *ctx, mote_node *node) {
    spectral_subtraction_data *d = node->data;
    mote_tensor *in, *out, *noise;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 1, 1, 2)) || (st = kernel_require_input(ctx, node, 0, &in)) ||
        (st = kernel_require_output(ctx, node, 0, &out)) || (st = kernel_require_output(ctx, node, 1, &noise)) ||
        (st = signal_check(ctx, node, in, "input", 0, MOTE_UINT32, 1)) ||
        (st = signal_check(ctx, node, out, "output", 0, MOTE_UINT32, 1)) ||
        (st = signal_check(ctx, node, noise, "output", 1, MOTE_UINT32, 1)))
        return st;
    if (in->dims[0] != d->channels)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "input 0 has %d bands, num_channels is %d",
                           in->dims[0], d->channels);
    if ((st = kernel_copy_shape(ctx, node, out, in)) || (st = kernel_copy_shape(ctx, node, noise, in)))
        return st;
    return node_request_state(ctx, node, (size_t)d->channels * sizeof(uint32_t), &d->state);
}

static mote_status spectral_subtraction_eval(mote_context *ctx, mote_node *node) {
    const spectral_subtraction_data *d = node->data;
    void *state;
    if (mote_node_persistent(ctx, node, d->state, &state))
        return kernel_fail(ctx, node, MOTE_ERROR_BAD_STATE, "no state buffer (allocate_tensors first)");
    const uint32_t *x = KERNEL_DATA(kernel_input(ctx, node, 0), const uint32_t);
    uint32_t *y = KERNEL_DATA(kernel_output(ctx, node, 0), uint32_t);
    uint32_t *noise_out = KERNEL_DATA(kernel_output(ctx, node, 1), uint32_t);
    uint32_t *noise = state;
    for (int32_t c = 0; c < d->channels; c++) {
        const uint32_t a = (c & 1) ? d->alt_smoothing : d->smoothing;
        const uint32_t b = (c & 1) ? d->alt_one_minus_smoothing : d->one_minus_smoothing;
        const uint32_t signal = x[c] << d->smoothing_bits; /* wraps, as in the library */
        noise[c] = (uint32_t)(((uint64_t)signal * a + (uint64_t)noise[c] * b) >> d->subtraction_bits);
        uint32_t estimate = noise[c];
        if (estimate > signal) {
            estimate = signal;
            if (d->clamping) noise[c] = estimate;
        }
        const uint32_t floor = (uint32_t)(((uint64_t)x[c] * d->min_signal_remaining) >> d->subtraction_bits);
        const uint32_t cleaned = (signal - estimate) >> d->smoothing_bits;
        y[c] = cleaned > floor ? cleaned : floor;
    }
    memcpy(noise_out, noise, (size_t)d->channels * sizeof *noise);
    return MOTE_OK;
}

const mote_op signal_op_filter_bank_spectral_subtraction = {
    "SignalFilterBankSpectralSubtraction", -1, spectral_subtraction_init, spectral_subtraction_prepare, NULL,
    spectral_subtraction_eval, NULL};
