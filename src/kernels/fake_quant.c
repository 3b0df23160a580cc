/* fake_quant.c — FAKE_QUANT on float32: each value clamped to [min, max] nudged so that 0 is
 * exactly representable, then rounded to the nearest of 2^num_bits levels (one fewer with
 * narrow_range), computed in float as TensorFlow Lite does. */
#include "kernels/kernel.h"

/* FakeQuantOptions fields. */
#define OPT_MIN 0
#define OPT_MAX 1
#define OPT_NUM_BITS 2
#define OPT_NARROW_RANGE 3

typedef struct fake_quant_data {
    float nudged_min, nudged_max, nudged_scale;
} fake_quant_data;

static mote_status fake_quant_init(mote_context *ctx, mote_node *node) {
    fake_quant_data *d = kernel_alloc_data(ctx, node, sizeof *d);
    if (!d) return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    fb_table opt = kernel_options(ctx, node, TFL_OPTIONS_FAKE_QUANT);
    const float min = KOPT_F32(ctx, opt, OPT_MIN, 0.0f), max = KOPT_F32(ctx, opt, OPT_MAX, 0.0f);
    const int32_t bits = KOPT_I32(ctx, opt, OPT_NUM_BITS, 0);
    const int narrow = KOPT_BOOL(ctx, opt, OPT_NARROW_RANGE, 0);
    if (bits < 2 || bits > 16 || !(min < max) || !isfinite(min) || !isfinite(max))
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "num_bits %d (2 to 16) and range [%g, %g] are not usable",
                           bits, (double)min, (double)max);
    const float qmin = narrow ? 1.0f : 0.0f, qmax = (float)((1 << bits) - 1);
    /* The zero point nearest to where min falls, kept within [qmin, qmax]. */
    d->nudged_scale = (max - min) / (qmax - qmin);
    const float zero_from_min = qmin - min / d->nudged_scale;
    const float zero = zero_from_min < qmin ? qmin : zero_from_min > qmax ? qmax : roundf(zero_from_min);
    d->nudged_min = (qmin - zero) * d->nudged_scale;
    d->nudged_max = (qmax - zero) * d->nudged_scale;
    return MOTE_OK;
}

static mote_status fake_quant_prepare(mote_context *ctx, mote_node *node) {
    mote_tensor *in, *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 1, 1, 1)) || (st = kernel_require_input(ctx, node, 0, &in)) ||
        (st = kernel_require_output(ctx, node, 0, &out)))
        return st;
    if (in->type != MOTE_FLOAT32) return kernel_unsupported_type(ctx, node, in, "input", 0);
    if ((st = kernel_check_type(ctx, node, out, "output", 0, MOTE_FLOAT32))) return st;
    return kernel_copy_shape(ctx, node, out, in);
}

static mote_status fake_quant_eval(mote_context *ctx, mote_node *node) {
    const fake_quant_data *d = node->data;
    const float *x = KERNEL_DATA(kernel_input(ctx, node, 0), const float);
    mote_tensor *out = kernel_output(ctx, node, 0);
    float *y = KERNEL_DATA(out, float);
    const float inv_scale = 1.0f / d->nudged_scale;
    for (size_t k = 0, n = kernel_count(out); k < n; k++) {
        const float clamped = x[k] < d->nudged_min ? d->nudged_min : x[k] > d->nudged_max ? d->nudged_max : x[k];
        y[k] = roundf((clamped - d->nudged_min) * inv_scale) * d->nudged_scale + d->nudged_min;
    }
    return MOTE_OK;
}

const mote_op mote_op_fake_quant = {NULL, MOTE_OP_FAKE_QUANT, fake_quant_init, fake_quant_prepare, NULL,
                                    fake_quant_eval, NULL};
