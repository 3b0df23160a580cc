/* dequantize.c — DEQUANTIZE to float32: float16 weights, and int8/uint8/int16 tensors with
 * per-tensor or per-channel affine quantization, as TensorFlow Lite computes them. When the
 * input is a constant the interpreter runs this once at allocate time (folding). */
#include "kernels/kernel.h"

typedef struct dequantize_data {
    int32_t per_channel;  /* one (scale, zero point) per index of the quantized dimension */
    /* Per-channel layout, set in prepare: the input seen as [outer, channels, inner]. */
    size_t outer, channels, inner;
    const float *scales;        /* [channels], from the model */
    const int64_t *zero_points; /* [channels], checked to fit int32 */
} dequantize_data;

static mote_status dequantize_init(mote_context *ctx, mote_node *node) {
    if (!kernel_alloc_data(ctx, node, sizeof(dequantize_data)))
        return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    return MOTE_OK;
}

/* Checks the quantization of an integer input and fills the per-channel layout. */
static mote_status check_quantization(mote_context *ctx, mote_node *node, const mote_tensor *in) {
    dequantize_data *d = node->data;
    const model_tensor *q = in->def;
    char desc[160];
    kernel_describe(in, "input", 0, desc, sizeof desc);
    if (q->quant_count < 1)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "%s: %s input has no quantization parameters", desc, mote_type_name(in->type));
    if (q->quant_details_type != TFL_QDETAILS_NONE)
        return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED, "%s: only affine quantization is supported",
                           desc);
    d->per_channel = q->quant_count > 1;
    if (!d->per_channel) return MOTE_OK;
    int32_t axis = q->quantized_dimension;
    if (axis < 0 || axis >= in->rank)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "%s: quantized dimension %d outside rank %d", desc, axis, in->rank);
    if (in->dims[axis] != q->quant_count)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "%s: %d scales for dimension %d of size %d", desc, q->quant_count, axis,
                           in->dims[axis]);
    for (int32_t c = 0; c < q->quant_count; c++)
        if (q->zero_points[c] < INT32_MIN || q->zero_points[c] > INT32_MAX)
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: zero point %lld out of range",
                               desc, (long long)q->zero_points[c]);
    d->outer = kernel_dims_product(in, 0, axis);
    d->channels = (size_t)in->dims[axis];
    d->inner = kernel_dims_product(in, axis + 1, in->rank);
    d->scales = q->scales;
    d->zero_points = q->zero_points;
    return MOTE_OK;
}

static mote_status dequantize_prepare(mote_context *ctx, mote_node *node) {
    mote_tensor *in, *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 1, 1, 1)) || (st = kernel_require_input(ctx, node, 0, &in)) ||
        (st = kernel_require_output(ctx, node, 0, &out)))
        return st;
    if (out->type != MOTE_FLOAT32) return kernel_unsupported_type(ctx, node, out, "output", 0);
    switch (in->type) {
    case MOTE_FLOAT16: break;
    case MOTE_INT8:
    case MOTE_UINT8:
    case MOTE_INT16:
        if ((st = check_quantization(ctx, node, in))) return st;
        break;
    default: return kernel_unsupported_type(ctx, node, in, "input", 0);
    }
    return kernel_copy_shape(ctx, node, out, in);
}

static void dequantize_f16(const uint8_t *x, float *y, size_t n) {
    for (size_t i = 0; i < n; i++) {
        uint16_t h;
        memcpy(&h, x + 2 * i, sizeof h); /* weights in the model need not be aligned */
        y[i] = kernel_f16_to_f32(h);
    }
}

/* Per-tensor: TensorFlow Lite multiplies in double and rounds once to float. Per-channel: it
 * multiplies in float. Both are kept so results match bit for bit. */
#define DEQUANTIZE_LOOPS(T, suffix)                                                                 \
    static void dequantize_##suffix(const uint8_t *x, float *y, size_t n, double scale, int32_t zp) {  \
        for (size_t i = 0; i < n; i++) {                                                            \
            T v;                                                                                    \
            memcpy(&v, x + i * sizeof v, sizeof v);                                                 \
            y[i] = (float)(scale * (double)((int32_t)v - zp));                                      \
        }                                                                                           \
    }                                                                                               \
    static void dequantize_##suffix##_per_channel(const dequantize_data *d, const uint8_t *x, float *y) { \
        size_t i = 0;                                                                               \
        for (size_t o = 0; o < d->outer; o++)                                                       \
            for (size_t c = 0; c < d->channels; c++) {                                              \
                const float s = d->scales[c];                                                       \
                const int32_t zp = (int32_t)d->zero_points[c];                                      \
                for (size_t k = 0; k < d->inner; k++, i++) {                                        \
                    T v;                                                                            \
                    memcpy(&v, x + i * sizeof v, sizeof v);                                         \
                    y[i] = s * (float)((int32_t)v - zp);                                            \
                }                                                                                   \
            }                                                                                       \
    }

DEQUANTIZE_LOOPS(int8_t, i8)
DEQUANTIZE_LOOPS(uint8_t, u8)
DEQUANTIZE_LOOPS(int16_t, i16)

static mote_status dequantize_eval(mote_context *ctx, mote_node *node) {
    const dequantize_data *d = node->data;
    const mote_tensor *in = kernel_input(ctx, node, 0);
    mote_tensor *out = kernel_output(ctx, node, 0);
    const size_t n = kernel_count(in);
    if (n == 0) return MOTE_OK;
    const uint8_t *x = in->data;
    float *y = KERNEL_DATA(out, float);
    const double scale = in->scale;
    const int32_t zp = in->zero_point;
    switch (in->type) {
    case MOTE_FLOAT16: dequantize_f16(x, y, n); break;
    case MOTE_INT8:
        if (d->per_channel)
            dequantize_i8_per_channel(d, x, y);
        else
            dequantize_i8(x, y, n, scale, zp);
        break;
    case MOTE_UINT8:
        if (d->per_channel)
            dequantize_u8_per_channel(d, x, y);
        else
            dequantize_u8(x, y, n, scale, zp);
        break;
    case MOTE_INT16:
        if (d->per_channel)
            dequantize_i16_per_channel(d, x, y);
        else
            dequantize_i16(x, y, n, scale, zp);
        break;
    default: return kernel_unsupported_type(ctx, node, in, "input", 0);
    }
    return MOTE_OK;
}

const mote_op mote_op_dequantize = {NULL, MOTE_OP_DEQUANTIZE, dequantize_init, dequantize_prepare, NULL,
                                    dequantize_eval, NULL};
