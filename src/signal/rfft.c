/* rfft.c — SignalRfft: the real FFT of each frame (last dimension, zero-padded to
 * fft_length) into fft_length/2 + 1 complex bins, in the library's 16-bit fixed point. */
#include "signal/signal_fft.h"
#include "signal/signal_kernel.h"

/* The library's options also name the element type 'T' (a TensorType); int16 is the only
 * one implemented here (the library also has int32 and float32 variants). */
#define TYPE_INT16 7

typedef struct rfft_data {
    signal_rfft_plan plan;  /* fft_length and its factoring */
    int32_t tables;         /* persistent: twiddles and input order (filled in pack) */
    int32_t padded;         /* scratch: one frame zero-padded to fft_length [fft_length] */
    int32_t work;           /* scratch: the complex FFT's values [fft_length / 2] */
} rfft_data;

static mote_status rfft_init(mote_context *ctx, mote_node *node) {
    rfft_data *d = kernel_alloc_data(ctx, node, sizeof *d);
    if (!d) return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    int32_t type, length;
    mote_status st;
    if ((st = signal_option(ctx, node, "T", INT32_MIN, INT32_MAX, &type)) ||
        (st = signal_option(ctx, node, "fft_length", 0, INT32_MAX - 2, &length)))
        return st;
    if (type != TYPE_INT16)
        return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED, "element type T = %d is not supported (int16 only)",
                           type);
    switch (signal_rfft_plan_init(&d->plan, length)) {
    case SIGNAL_RFFT_PLAN_OK: return MOTE_OK;
    case SIGNAL_RFFT_PLAN_BAD_LENGTH:
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "fft_length %d must be even and at least 4",
                           length);
    default:
        return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED,
                           "fft_length %d: half of it has a prime factor above 5, which the 16-bit FFT "
                           "does not support",
                           length);
    }
}

static mote_status rfft_prepare(mote_context *ctx, mote_node *node) {
    rfft_data *d = node->data;
    mote_tensor *in, *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 1, 1, 1)) || (st = kernel_require_input(ctx, node, 0, &in)) ||
        (st = kernel_require_output(ctx, node, 0, &out)) ||
        (st = signal_check(ctx, node, in, "input", 0, MOTE_INT16, -1)) ||
        (st = signal_check(ctx, node, out, "output", 0, MOTE_INT16, -1)))
        return st;
    const int32_t last = in->dims[in->rank - 1];
    if (last > d->plan.length)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "frames of %d samples exceed fft_length %d", last,
                           d->plan.length);
    int32_t dims[MOTE_MAX_DIMS];
    memcpy(dims, in->dims, sizeof dims);
    dims[in->rank - 1] = d->plan.length + 2; /* (fft_length / 2 + 1) (real, imaginary) pairs */
    if ((st = kernel_set_shape(ctx, node, out, in->rank, dims)) ||
        (st = mote_node_request_persistent(ctx, node, signal_rfft_table_bytes(&d->plan), &d->tables)) ||
        (st = mote_node_request_scratch(ctx, node, (size_t)d->plan.length * sizeof(int16_t), &d->padded)) ||
        (st = mote_node_request_scratch(ctx, node, signal_rfft_scratch_bytes(&d->plan), &d->work)))
        return st;
    return MOTE_OK;
}

static mote_status rfft_pack(mote_context *ctx, mote_node *node) {
    const rfft_data *d = node->data;
    void *tables;
    mote_status st = mote_node_persistent(ctx, node, d->tables, &tables);
    if (st) return kernel_fail(ctx, node, st, "no table memory");
    signal_rfft_fill_tables(&d->plan, tables);
    return MOTE_OK;
}

static mote_status rfft_eval(mote_context *ctx, mote_node *node) {
    const rfft_data *d = node->data;
    const mote_tensor *in = kernel_input(ctx, node, 0);
    mote_tensor *out = kernel_output(ctx, node, 0);
    void *tables, *padded, *work;
    if (mote_node_persistent(ctx, node, d->tables, &tables) || mote_node_scratch(ctx, node, d->padded, &padded) ||
        mote_node_scratch(ctx, node, d->work, &work))
        return kernel_fail(ctx, node, MOTE_ERROR_BAD_STATE, "buffers missing (allocate_tensors first)");
    const size_t frame = (size_t)in->dims[in->rank - 1], bins = (size_t)d->plan.length + 2;
    const size_t frames = frame ? kernel_count(in) / frame : 0;
    const int16_t *x = KERNEL_DATA(in, const int16_t);
    int16_t *y = KERNEL_DATA(out, int16_t), *buf = padded;
    for (size_t f = 0; f < frames; f++) {
        memcpy(buf, x + f * frame, frame * sizeof *buf);
        memset(buf + frame, 0, ((size_t)d->plan.length - frame) * sizeof *buf);
        signal_rfft_int16(&d->plan, tables, buf, y + f * bins, work);
    }
    return MOTE_OK;
}

const mote_op signal_op_rfft = {"SignalRfft", -1, rfft_init, rfft_prepare, rfft_pack, rfft_eval, NULL};
