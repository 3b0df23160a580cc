/* softmax.c — SOFTMAX (with beta) and LOG_SOFTMAX over the last dimension, as TensorFlow
 * Lite's reference kernels compute them: float32 here, quantized types in softmax_quant.c. */
#include "kernels/softmax.h"
#include "kernels/math_f32_opt.h"

/* SoftmaxOptions.beta */
#define OPT_BETA 0

static mote_status softmax_init(mote_context *ctx, mote_node *node) {
    softmax_data *d = kernel_alloc_data(ctx, node, sizeof *d);
    if (!d) return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    d->beta = 1.0f;
    if (node->def->builtin_code == MOTE_OP_SOFTMAX)
        d->beta = KOPT_F32(ctx, kernel_options(ctx, node, TFL_OPTIONS_SOFTMAX), OPT_BETA, 1.0f);
    return MOTE_OK;
}

static mote_status softmax_prepare(mote_context *ctx, mote_node *node) {
    softmax_data *d = node->data;
    mote_tensor *in, *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 1, 1, 1)) || (st = kernel_require_input(ctx, node, 0, &in)) ||
        (st = kernel_require_output(ctx, node, 0, &out)))
        return st;
    switch (in->type) {
    case MOTE_FLOAT32:
        if ((st = kernel_check_type(ctx, node, out, "output", 0, in->type))) return st;
        break;
    case MOTE_INT8:
    case MOTE_UINT8:
    case MOTE_INT16:
        if ((st = softmax_quant_prepare(ctx, node, d, in, out))) return st;
        break;
    default: return kernel_unsupported_type(ctx, node, in, "input", 0);
    }
    if (in->rank < 1) {
        char b[160];
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: needs rank 1 or more, got a scalar",
                           kernel_describe(in, "input", 0, b, sizeof b));
    }
    d->depth = (size_t)in->dims[in->rank - 1];
    d->rows = kernel_dims_product(in, 0, in->rank - 1);
    return kernel_copy_shape(ctx, node, out, in);
}

/* Subtracting the row's maximum keeps exp from overflowing; the result is unchanged. */
static float row_max(const float *x, size_t n) {
    float m = -INFINITY;
    for (size_t i = 0; i < n; i++)
        if (x[i] > m) m = x[i];
    return m;
}

static void softmax_f32(const softmax_data *d, const float *x, float *y) {
    for (size_t r = 0; r < d->rows; r++, x += d->depth, y += d->depth) {
        float max = row_max(x, d->depth), sum = 0.0f;
        for (size_t c = 0; c < d->depth; c++) {
            y[c] = expf((x[c] - max) * d->beta);
            sum += y[c];
        }
        for (size_t c = 0; c < d->depth; c++) y[c] /= sum;
    }
}

static void log_softmax_f32(const softmax_data *d, const float *x, float *y) {
    for (size_t r = 0; r < d->rows; r++, x += d->depth, y += d->depth) {
        float max = row_max(x, d->depth), sum = 0.0f;
        for (size_t c = 0; c < d->depth; c++) sum += expf(x[c] - max);
        float log_sum = logf(sum);
        for (size_t c = 0; c < d->depth; c++) y[c] = x[c] - max - log_sum;
    }
}

static mote_status softmax_eval(mote_context *ctx, mote_node *node) {
    const softmax_data *d = node->data;
    const mote_tensor *in = kernel_input(ctx, node, 0);
    mote_tensor *out = kernel_output(ctx, node, 0);
    if (d->rows == 0 || d->depth == 0) return MOTE_OK; /* empty: data may be NULL */
    switch (in->type) {
    case MOTE_FLOAT32:
        if (node->def->builtin_code == MOTE_OP_SOFTMAX) {
            /* The optimized path (math_f32_opt.c) unless optimized kernels are off. */
            if (!softmax_f32_opt(ctx, KERNEL_DATA(in, const float), KERNEL_DATA(out, float), d->rows, d->depth,
                                 d->beta))
                softmax_f32(d, KERNEL_DATA(in, const float), KERNEL_DATA(out, float));
        } else {
            log_softmax_f32(d, KERNEL_DATA(in, const float), KERNEL_DATA(out, float));
        }
        return MOTE_OK;
    case MOTE_INT8:
    case MOTE_UINT8:
    case MOTE_INT16: softmax_quant_eval(node->def->builtin_code, d, in, out); return MOTE_OK;
    default: return kernel_unsupported_type(ctx, node, in, "input", 0);
    }
}

const mote_op mote_op_softmax = {NULL, MOTE_OP_SOFTMAX, softmax_init, softmax_prepare, NULL, softmax_eval,
                                 NULL};
const mote_op mote_op_log_softmax = {NULL, MOTE_OP_LOG_SOFTMAX, softmax_init, softmax_prepare, NULL,
                                     softmax_eval, NULL};
