/* filter_bank.c — SignalFilterBank: sums the energy spectrum (uint32) into num_channels
 * overlapping triangular (mel) bands with Q12 int16 weights, as uint64.
 *
 * Inputs: 0 the spectrum; 1 weights and 2 unweights (1 - weight) of every band bin; per
 * band (num_channels + 1 of them, band 0 only feeding band 1): 3 first spectrum bin, 4
 * first weight index, 5 width in bins. Band c's output is the weighted sum of its own bins
 * plus the unweighted sum of band c-1's bins (the falling edge of the previous triangle). */
#include "signal/signal_kernel.h"

enum { IN_SPECTRUM, IN_WEIGHTS, IN_UNWEIGHTS, IN_FREQ_STARTS, IN_WEIGHT_STARTS, IN_WIDTHS, IN_COUNT };

typedef struct filter_bank_data {
    int32_t channels;   /* num_channels: bands out (the band tables hold one more) */
    int checked;        /* band tables are constants, checked once in prepare */
} filter_bank_data;

static mote_status filter_bank_init(mote_context *ctx, mote_node *node) {
    filter_bank_data *d = kernel_alloc_data(ctx, node, sizeof *d);
    if (!d) return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    return signal_option(ctx, node, "num_channels", 0, INT32_MAX - 1, &d->channels);
}

/* Every band must read inside the spectrum and the weight tables. */
static mote_status check_bands(mote_context *ctx, const mote_node *node, int32_t channels) {
    const mote_tensor *spectrum = kernel_input(ctx, node, IN_SPECTRUM);
    const mote_tensor *weights = kernel_input(ctx, node, IN_WEIGHTS), *unweights = kernel_input(ctx, node, IN_UNWEIGHTS);
    const int16_t *freq = KERNEL_DATA(kernel_input(ctx, node, IN_FREQ_STARTS), const int16_t);
    const int16_t *first = KERNEL_DATA(kernel_input(ctx, node, IN_WEIGHT_STARTS), const int16_t);
    const int16_t *width = KERNEL_DATA(kernel_input(ctx, node, IN_WIDTHS), const int16_t);
    const int32_t table = weights->dims[0] < unweights->dims[0] ? weights->dims[0] : unweights->dims[0];
    for (int32_t c = 0; c <= channels; c++) {
        if (freq[c] < 0 || first[c] < 0 || width[c] < 0 || freq[c] + width[c] > spectrum->dims[0] ||
            first[c] + width[c] > table)
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                               "band %d (first bin %d, first weight %d, width %d) reads outside the %d-bin "
                               "spectrum or the %d weights",
                               c, freq[c], first[c], width[c], spectrum->dims[0], table);
    }
    return MOTE_OK;
}

static mote_status filter_bank_prepare(mote_context *ctx, mote_node *node) {
    filter_bank_data *d = node->data;
    mote_tensor *t[IN_COUNT], *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, IN_COUNT, IN_COUNT, 1)) ||
        (st = kernel_require_output(ctx, node, 0, &out)) ||
        (st = signal_check(ctx, node, out, "output", 0, MOTE_UINT64, 1)))
        return st;
    int constant = 1;
    for (int32_t i = 0; i < IN_COUNT; i++) {
        if ((st = kernel_require_input(ctx, node, i, &t[i])) ||
            (st = signal_check(ctx, node, t[i], "input", i, i == IN_SPECTRUM ? MOTE_UINT32 : MOTE_INT16, 1)))
            return st;
        if (i >= IN_FREQ_STARTS && t[i]->dims[0] <= d->channels) {
            char desc[160];
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: %d entries, expected num_channels + 1 = %d",
                               kernel_describe(t[i], "input", i, desc, sizeof desc), t[i]->dims[0],
                               d->channels + 1);
        }
        if (i != IN_SPECTRUM && !kernel_is_constant(t[i])) constant = 0;
    }
    d->checked = constant;
    if (constant && (st = check_bands(ctx, node, d->channels))) return st;
    return kernel_set_shape(ctx, node, out, 1, &d->channels);
}

static mote_status filter_bank_eval(mote_context *ctx, mote_node *node) {
    const filter_bank_data *d = node->data;
    mote_status st;
    if (!d->checked && (st = check_bands(ctx, node, d->channels))) return st;
    const uint32_t *x = KERNEL_DATA(kernel_input(ctx, node, IN_SPECTRUM), const uint32_t);
    const int16_t *w = KERNEL_DATA(kernel_input(ctx, node, IN_WEIGHTS), const int16_t);
    const int16_t *u = KERNEL_DATA(kernel_input(ctx, node, IN_UNWEIGHTS), const int16_t);
    const int16_t *freq = KERNEL_DATA(kernel_input(ctx, node, IN_FREQ_STARTS), const int16_t);
    const int16_t *first = KERNEL_DATA(kernel_input(ctx, node, IN_WEIGHT_STARTS), const int16_t);
    const int16_t *width = KERNEL_DATA(kernel_input(ctx, node, IN_WIDTHS), const int16_t);
    uint64_t *y = KERNEL_DATA(kernel_output(ctx, node, 0), uint64_t);
    /* Sums are modulo 2^64 with weights sign-extended, as the library's uint64 arithmetic. */
    uint64_t carry = 0; /* the previous band's unweighted sum */
    for (int32_t c = 0; c <= d->channels; c++) {
        uint64_t rising = carry, falling = 0;
        for (int32_t j = 0; j < width[c]; j++) {
            const uint64_t v = x[freq[c] + j];
            rising += (uint64_t)(int64_t)w[first[c] + j] * v;
            falling += (uint64_t)(int64_t)u[first[c] + j] * v;
        }
        if (c > 0) y[c - 1] = rising;
        carry = falling;
    }
    return MOTE_OK;
}

const mote_op signal_op_filter_bank = {"SignalFilterBank", -1, filter_bank_init, filter_bank_prepare, NULL,
                                       filter_bank_eval, NULL};
