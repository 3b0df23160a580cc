/* energy.c — SignalEnergy: the power re^2 + im^2 of complex int16 bins [start_index,
 * end_index) as uint32; the other bins are 0 (the library leaves them unwritten). */
#include "signal/signal_kernel.h"

typedef struct energy_data {
    int32_t start, end; /* bins computed: [start, end) */
} energy_data;

static mote_status energy_init(mote_context *ctx, mote_node *node) {
    energy_data *d = kernel_alloc_data(ctx, node, sizeof *d);
    if (!d) return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    mote_status st;
    if ((st = signal_option(ctx, node, "start_index", 0, INT32_MAX, &d->start)) ||
        (st = signal_option(ctx, node, "end_index", 0, INT32_MAX, &d->end)))
        return st;
    if (d->start > d->end)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "start_index %d is after end_index %d", d->start,
                           d->end);
    return MOTE_OK;
}

static mote_status energy_prepare(mote_context *ctx, mote_node *node) {
    const energy_data *d = node->data;
    mote_tensor *in, *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 1, 1, 1)) || (st = kernel_require_input(ctx, node, 0, &in)) ||
        (st = kernel_require_output(ctx, node, 0, &out)) ||
        (st = signal_check(ctx, node, in, "input", 0, MOTE_INT16, 1)) ||
        (st = signal_check(ctx, node, out, "output", 0, MOTE_UINT32, 1)))
        return st;
    if (in->dims[0] % 2)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "input 0 holds (real, imaginary) pairs: %d values is odd", in->dims[0]);
    const int32_t bins = in->dims[0] / 2;
    if (d->end > bins)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "end_index %d is past the input's %d bins", d->end,
                           bins);
    return kernel_set_shape(ctx, node, out, 1, &bins);
}

static mote_status energy_eval(mote_context *ctx, mote_node *node) {
    const energy_data *d = node->data;
    const mote_tensor *in = kernel_input(ctx, node, 0);
    mote_tensor *out = kernel_output(ctx, node, 0);
    const int16_t *z = KERNEL_DATA(in, const int16_t);
    uint32_t *e = KERNEL_DATA(out, uint32_t);
    memset(e, 0, out->bytes);
    for (int32_t k = d->start; k < d->end; k++) {
        const int32_t re = z[2 * k], im = z[2 * k + 1];
        /* Unsigned: (-32768)^2 twice is 2^31, which wraps int32 in the library. */
        e[k] = (uint32_t)(re * re) + (uint32_t)(im * im);
    }
    return MOTE_OK;
}

const mote_op signal_op_energy = {"SignalEnergy", -1, energy_init, energy_prepare, NULL, energy_eval, NULL};
