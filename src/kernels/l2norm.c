/* l2norm.c — L2_NORMALIZATION along the last dimension: x / max(sqrt(sum x^2), 1e-6) for
 * float32; for int8 and uint8, TensorFlow Lite's fixed-point reference (an inverse square
 * root by Newton-Raphson) into its fixed output quantization, scale 1/128 with zero point 0
 * (int8) or 128 (uint8). */
#include "kernels/kernel.h"
#include "kernels/quant.h"
#include "kernels/quant_fixed_point.h"

#define OPT_FUSED_ACTIVATION 0
/* Guards the float division when a row is all zeros (TensorFlow Lite's constant). */
#define L2NORM_EPSILON 1e-6f

typedef struct l2norm_data {
    size_t rows, depth; /* the input viewed as [rows, depth] */
} l2norm_data;

static mote_status l2norm_init(mote_context *ctx, mote_node *node) {
    l2norm_data *d = kernel_alloc_data(ctx, node, sizeof *d);
    if (!d) return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    fb_table opt = kernel_options(ctx, node, TFL_OPTIONS_L2NORM);
    int act = KOPT_I8(ctx, opt, OPT_FUSED_ACTIVATION, ACT_NONE);
    if (act != ACT_NONE)
        return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED, "fused activation %d is not supported", act);
    return MOTE_OK;
}

static mote_status l2norm_prepare(mote_context *ctx, mote_node *node) {
    l2norm_data *d = node->data;
    mote_tensor *in, *out;
    mote_status st;
    char b[160];
    if ((st = kernel_check_counts(ctx, node, 1, 1, 1)) || (st = kernel_require_input(ctx, node, 0, &in)) ||
        (st = kernel_require_output(ctx, node, 0, &out)))
        return st;
    if (in->type != MOTE_FLOAT32 && in->type != MOTE_INT8 && in->type != MOTE_UINT8)
        return kernel_unsupported_type(ctx, node, in, "input", 0);
    if ((st = kernel_check_type(ctx, node, out, "output", 0, in->type))) return st;
    if (in->rank < 1) return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "the input must have rank 1 or more");
    if (in->type != MOTE_FLOAT32) {
        const int32_t zero_point = in->type == MOTE_UINT8 ? 128 : 0;
        if (out->scale != 1.0f / 128.0f || out->zero_point != zero_point)
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                               "%s: expected scale 1/128 and zero point %d, got %g and %d",
                               kernel_describe(out, "output", 0, b, sizeof b), zero_point, (double)out->scale,
                               out->zero_point);
    }
    d->depth = (size_t)in->dims[in->rank - 1];
    d->rows = kernel_dims_product(in, 0, in->rank - 1);
    return kernel_copy_shape(ctx, node, out, in);
}

static void l2norm_f32(const l2norm_data *d, const float *x, float *y) {
    for (size_t r = 0; r < d->rows; r++, x += d->depth, y += d->depth) {
        float sum = 0.0f;
        for (size_t c = 0; c < d->depth; c++) sum += x[c] * x[c];
        float norm = sqrtf(sum);
        if (norm < L2NORM_EPSILON) norm = L2NORM_EPSILON;
        for (size_t c = 0; c < d->depth; c++) y[c] = x[c] / norm;
    }
}

/* Row sums of squared differences wrap at 32 bits as TensorFlow Lite's do (only for rows
 * longer than 33025 values). */
static void l2norm_u8(const l2norm_data *d, const uint8_t *x, uint8_t *y, int32_t zero_point) {
    for (size_t r = 0; r < d->rows; r++, x += d->depth, y += d->depth) {
        int32_t sum = 0;
        for (size_t c = 0; c < d->depth; c++) {
            const int32_t diff = (int32_t)x[c] - zero_point;
            sum = quant_wrap_add_i32(sum, diff * diff);
        }
        int32_t m;
        int shift;
        quant_inv_sqrt_multiplier(sum, &m, &shift);
        for (size_t c = 0; c < d->depth; c++) {
            const int32_t diff = (int32_t)x[c] - zero_point;
            int32_t v = 128 + quant_multiply_by_quantized_multiplier_smaller_than_one_exp(128 * diff, m, shift);
            y[c] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
        }
    }
}

static void l2norm_i8(const l2norm_data *d, const int8_t *x, int8_t *y, int32_t zero_point) {
    for (size_t r = 0; r < d->rows; r++, x += d->depth, y += d->depth) {
        int32_t sum = 0;
        for (size_t c = 0; c < d->depth; c++) {
            const int32_t diff = (int32_t)x[c] - zero_point;
            sum = quant_wrap_add_i32(sum, diff * diff);
        }
        int32_t m;
        int shift;
        quant_inv_sqrt_multiplier(sum, &m, &shift);
        for (size_t c = 0; c < d->depth; c++) {
            /* Output scale 1/128: seven more bits. */
            int32_t v = quant_multiply_by_quantized_multiplier((int32_t)x[c] - zero_point, m, shift + 7);
            y[c] = (int8_t)(v < INT8_MIN ? INT8_MIN : v > INT8_MAX ? INT8_MAX : v);
        }
    }
}

static mote_status l2norm_eval(mote_context *ctx, mote_node *node) {
    const l2norm_data *d = node->data;
    const mote_tensor *in = kernel_input(ctx, node, 0);
    mote_tensor *out = kernel_output(ctx, node, 0);
    switch (in->type) {
    case MOTE_FLOAT32: l2norm_f32(d, KERNEL_DATA(in, const float), KERNEL_DATA(out, float)); break;
    case MOTE_UINT8: l2norm_u8(d, in->data, out->data, in->zero_point); break;
    case MOTE_INT8: l2norm_i8(d, KERNEL_DATA(in, const int8_t), KERNEL_DATA(out, int8_t), in->zero_point); break;
    default: return kernel_unsupported_type(ctx, node, in, "input", 0);
    }
    return MOTE_OK;
}

const mote_op mote_op_l2_normalization = {NULL, MOTE_OP_L2_NORMALIZATION, l2norm_init, l2norm_prepare, NULL,
                                          l2norm_eval, NULL};
