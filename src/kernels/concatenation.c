/* concatenation.c — CONCATENATION along one axis: byte copies for every fixed-size type, with
 * the fused activation applied in float32. Quantized inputs follow TensorFlow Lite's kernel:
 * uint8 (and int8, which TensorFlow Lite refuses) inputs whose quantization differs from
 * the output's are requantized in float (ConcatenationWithScaling); int16 (zero points 0) is
 * copied as is, whatever the scales; the fused activation is ignored on quantized types. */
#include "kernels/kernel.h"
#include "kernels/quant.h"

/* ConcatenationOptions fields. */
#define OPT_AXIS 0
#define OPT_FUSED_ACTIVATION 1

typedef struct concat_data {
    int32_t axis;       /* as written in the model (may be negative) */
    int32_t activation; /* ActivationFunctionType, float32 only */
    int32_t out_axis;   /* axis in [0, rank) (set in prepare) */
    size_t outer;       /* product of the dimensions before the axis */
    size_t elem_bytes;  /* bytes per element */
} concat_data;

static mote_status concat_init(mote_context *ctx, mote_node *node) {
    concat_data *d = kernel_alloc_data(ctx, node, sizeof *d);
    if (!d) return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    fb_table opt = kernel_options(ctx, node, TFL_OPTIONS_CONCATENATION);
    d->axis = KOPT_I32(ctx, opt, OPT_AXIS, 0);
    d->activation = KOPT_I8(ctx, opt, OPT_FUSED_ACTIVATION, ACT_NONE);
    return kernel_check_activation(ctx, node, d->activation);
}

static int is_quantized_type(mote_type type) {
    return type == MOTE_INT8 || type == MOTE_UINT8 || type == MOTE_INT16;
}

/* A positive scale and a zero point inside the type (0 for int16, as TensorFlow Lite
 * requires there). */
static mote_status check_quantization(mote_context *ctx, const mote_node *node, const mote_tensor *t,
                                      const char *role, int32_t i) {
    char b[160];
    int32_t qmin = 0, qmax = 0; /* int16: zero point 0 */
    if (t->type == MOTE_UINT8) qmax = UINT8_MAX;
    if (t->type == MOTE_INT8) qmin = INT8_MIN, qmax = INT8_MAX;
    if (!(t->scale > 0.0f) || !isfinite(t->scale) || t->zero_point < qmin || t->zero_point > qmax)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: invalid quantization (scale %g, zero point %d)",
                           kernel_describe(t, role, i, b, sizeof b), (double)t->scale, t->zero_point);
    return MOTE_OK;
}

static mote_status concat_prepare(mote_context *ctx, mote_node *node) {
    concat_data *d = node->data;
    mote_tensor *first, *out;
    mote_status st;
    char b[160];
    if ((st = kernel_check_counts(ctx, node, 1, INT32_MAX, 1)) ||
        (st = kernel_require_input(ctx, node, 0, &first)) || (st = kernel_require_output(ctx, node, 0, &out)))
        return st;
    d->elem_bytes = mote_type_bytes(first->type);
    if (d->elem_bytes == 0) return kernel_unsupported_type(ctx, node, first, "input", 0);
    if ((st = kernel_check_type(ctx, node, out, "output", 0, first->type))) return st;
    if (d->activation != ACT_NONE && first->type != MOTE_FLOAT32 && !is_quantized_type(first->type))
        return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED, "a fused activation on %s is not supported",
                           mote_type_name(first->type));
    int32_t rank = first->rank;
    if (rank < 1)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: cannot concatenate scalars",
                           kernel_describe(first, "input", 0, b, sizeof b));
    if (d->axis < -rank || d->axis >= rank)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "axis %d is out of range for rank %d",
                           d->axis, rank);
    d->out_axis = d->axis < 0 ? d->axis + rank : d->axis;
    int32_t dims[MOTE_MAX_DIMS];
    memcpy(dims, first->dims, sizeof(int32_t) * (size_t)rank);
    int64_t axis_total = 0;
    for (int32_t i = 0; i < node->input_count; i++) {
        mote_tensor *in;
        if ((st = kernel_require_input(ctx, node, i, &in)) ||
            (st = kernel_check_type(ctx, node, in, "input", i, first->type)) ||
            (st = kernel_check_rank(ctx, node, in, "input", i, rank)))
            return st;
        for (int32_t k = 0; k < rank; k++)
            if (k != d->out_axis && in->dims[k] != dims[k])
                return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                                   "%s: dimension %d is %d, input 0 has %d",
                                   kernel_describe(in, "input", i, b, sizeof b), k, in->dims[k], dims[k]);
        axis_total += in->dims[d->out_axis];
        /* Differing quantization means requantizing (8-bit) or a TensorFlow Lite-style copy
         * (int16): both need valid parameters. */
        if (is_quantized_type(in->type) && (in->scale != out->scale || in->zero_point != out->zero_point) &&
            ((st = check_quantization(ctx, node, in, "input", i)) ||
             (st = check_quantization(ctx, node, out, "output", 0))))
            return st;
    }
    if (axis_total > INT32_MAX)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "concatenated dimension is too large");
    dims[d->out_axis] = (int32_t)axis_total;
    d->outer = kernel_dims_product(first, 0, d->out_axis);
    return kernel_set_shape(ctx, node, out, rank, dims);
}

/* ConcatenationWithScaling for one block: round(q * scale + bias) + zero point in float,
 * with scale = input_scale * (1 / output_scale) and bias = -input_zero_point * scale. */
static void requantize_block(const mote_tensor *in, const mote_tensor *out, const uint8_t *src, uint8_t *dst,
                             size_t n) {
    const float inverse_output_scale = 1.0f / out->scale;
    const float scale = in->scale * inverse_output_scale;
    const float bias = (float)(-in->zero_point) * scale;
    const int32_t qmin = out->type == MOTE_UINT8 ? 0 : INT8_MIN, qmax = out->type == MOTE_UINT8 ? UINT8_MAX : INT8_MAX;
    for (size_t j = 0; j < n; j++) {
        float x = out->type == MOTE_UINT8 ? (float)src[j] : (float)(int8_t)src[j];
        float scaled = x * scale;
        int64_t v = (int64_t)quant_f32_to_i32_sat(roundf(scaled + bias)) + out->zero_point;
        v = v < qmin ? qmin : v > qmax ? qmax : v;
        dst[j] = out->type == MOTE_UINT8 ? (uint8_t)v : (uint8_t)(int8_t)v;
    }
}

static mote_status concat_eval(mote_context *ctx, mote_node *node) {
    const concat_data *d = node->data;
    mote_tensor *out = kernel_output(ctx, node, 0);
    uint8_t *dst = out->data;
    const int rescalable = out->type == MOTE_UINT8 || out->type == MOTE_INT8;
    /* Each outer step takes one contiguous block from every input in turn. */
    for (size_t o = 0; o < d->outer; o++) {
        for (int32_t i = 0; i < node->input_count; i++) {
            const mote_tensor *in = kernel_input(ctx, node, i);
            size_t block = kernel_dims_product(in, d->out_axis, in->rank) * d->elem_bytes;
            if (block == 0) continue;
            if (rescalable && (in->scale != out->scale || in->zero_point != out->zero_point))
                requantize_block(in, out, in->data + o * block, dst, block);
            else
                memcpy(dst, in->data + o * block, block);
            dst += block;
        }
    }
    if (is_quantized_type(out->type)) return MOTE_OK; /* TensorFlow Lite ignores the activation there */
    if (d->activation != ACT_NONE) {
        float lo, hi, *y = KERNEL_DATA(out, float);
        kernel_activation_range_f32(d->activation, &lo, &hi);
        for (size_t k = 0, n = kernel_count(out); k < n; k++) y[k] = kernel_clamp_f32(y[k], lo, hi);
    }
    return MOTE_OK;
}

const mote_op mote_op_concatenation = {NULL, MOTE_OP_CONCATENATION, concat_init, concat_prepare, NULL,
                                       concat_eval, NULL};
