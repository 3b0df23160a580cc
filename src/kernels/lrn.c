/* lrn.c — LOCAL_RESPONSE_NORMALIZATION on float32, across the last dimension:
 * y = x / (bias + alpha * sum(x^2 over channels [c - radius, c + radius]))^beta. This is the
 * op's definition, which TensorFlow Lite's optimized kernel computes; its reference kernel
 * leaves channel c + radius out of the window. */
#include "kernels/kernel.h"

/* LocalResponseNormalizationOptions fields. */
#define OPT_RADIUS 0
#define OPT_BIAS 1
#define OPT_ALPHA 2
#define OPT_BETA 3

typedef struct lrn_data {
    int32_t radius;
    float bias, alpha, beta;
    size_t rows, depth; /* the input viewed as [rows, depth] */
} lrn_data;

static mote_status lrn_init(mote_context *ctx, mote_node *node) {
    lrn_data *d = kernel_alloc_data(ctx, node, sizeof *d);
    if (!d) return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    fb_table opt = kernel_options(ctx, node, TFL_OPTIONS_LRN);
    d->radius = KOPT_I32(ctx, opt, OPT_RADIUS, 0);
    d->bias = KOPT_F32(ctx, opt, OPT_BIAS, 0.0f);
    d->alpha = KOPT_F32(ctx, opt, OPT_ALPHA, 0.0f);
    d->beta = KOPT_F32(ctx, opt, OPT_BETA, 0.0f);
    if (d->radius < 0)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "radius %d is negative", d->radius);
    return MOTE_OK;
}

static mote_status lrn_prepare(mote_context *ctx, mote_node *node) {
    lrn_data *d = node->data;
    mote_tensor *in, *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 1, 1, 1)) || (st = kernel_require_input(ctx, node, 0, &in)) ||
        (st = kernel_require_output(ctx, node, 0, &out)) || (st = kernel_check_rank(ctx, node, in, "input", 0, 4)))
        return st;
    if (in->type != MOTE_FLOAT32) return kernel_unsupported_type(ctx, node, in, "input", 0);
    if ((st = kernel_check_type(ctx, node, out, "output", 0, MOTE_FLOAT32))) return st;
    d->depth = (size_t)in->dims[3];
    d->rows = kernel_dims_product(in, 0, 3);
    return kernel_copy_shape(ctx, node, out, in);
}

static mote_status lrn_eval(mote_context *ctx, mote_node *node) {
    const lrn_data *d = node->data;
    const float *x = KERNEL_DATA(kernel_input(ctx, node, 0), const float);
    float *y = KERNEL_DATA(kernel_output(ctx, node, 0), float);
    const size_t r = (size_t)d->radius;
    for (size_t row = 0; row < d->rows; row++, x += d->depth, y += d->depth) {
        for (size_t c = 0; c < d->depth; c++) {
            const size_t begin = c > r ? c - r : 0, end = c + r + 1 < d->depth ? c + r + 1 : d->depth;
            float sum = 0.0f;
            for (size_t k = begin; k < end; k++) sum += x[k] * x[k];
            y[c] = x[c] * powf(d->bias + d->alpha * sum, -d->beta);
        }
    }
    return MOTE_OK;
}

const mote_op mote_op_local_response_normalization = {NULL, MOTE_OP_LOCAL_RESPONSE_NORMALIZATION, lrn_init,
                                                       lrn_prepare, NULL, lrn_eval, NULL};
