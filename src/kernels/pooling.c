/* pooling.c — AVERAGE_POOL_2D and MAX_POOL_2D over [batch, h, w, c] in float32, int8,
 * uint8 and int16, as TensorFlow Lite's reference kernels: the window is cut to the input,
 * so padding is never counted in an average; quantized averages round half away from zero
 * in integers; quantized outputs keep the input's scale and zero point. */
#include <float.h>

#include "kernels/quant.h"
#include "kernels/window.h"

/* The two pools, told apart by their builtin code. */
typedef enum pool_kind { POOL_AVERAGE = 0, POOL_MAX = 1 } pool_kind;

static pool_kind pool_kind_of(const mote_node *node) {
    return node->def->builtin_code == MOTE_OP_MAX_POOL_2D ? POOL_MAX : POOL_AVERAGE;
}

typedef struct pool_data {
    pool_window w;
    int32_t act_min, act_max;   /* set in prepare, quantized types: the activation clamp */
} pool_data;

static mote_status pool_init(mote_context *ctx, mote_node *node) {
    pool_data *d = kernel_alloc_data(ctx, node, sizeof *d);
    if (!d) return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    return pool_window_read(ctx, node, &d->w);
}

/* Quantized types: the output has the input's type; the fused activation becomes a clamp
 * in the output's quantized domain (TensorFlow Lite's CalculateActivationRangeQuantized).
 * TensorFlow Lite expects the output to share the input's scale and zero point but does
 * not enforce it; neither does Mote, and the values pass through unchanged either way. */
static mote_status pool_prepare_quant(mote_context *ctx, const mote_node *node, const mote_tensor *out,
                                      mote_type type) {
    pool_data *d = node->data;
    char desc[160];
    mote_status st = kernel_check_type(ctx, node, out, "output", 0, type);
    if (st) return st;
    int32_t qmin = type == MOTE_INT8 ? INT8_MIN : type == MOTE_UINT8 ? 0 : INT16_MIN;
    int32_t qmax = type == MOTE_INT8 ? INT8_MAX : type == MOTE_UINT8 ? UINT8_MAX : INT16_MAX;
    d->act_min = qmin;
    d->act_max = qmax;
    if (d->w.activation == ACT_NONE) return MOTE_OK;
    kernel_describe(out, "output", 0, desc, sizeof desc);
    if (!(isfinite(out->scale) && out->scale > 0.0f))
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "%s: a fused activation needs the output's quantization scale (got %g)", desc,
                           (double)out->scale);
    if (out->zero_point < qmin || out->zero_point > qmax)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: zero point %d is outside [%d, %d]", desc,
                           out->zero_point, qmin, qmax);
    if (!quant_activation_range(d->w.activation, out->scale, out->zero_point, qmin, qmax, &d->act_min,
                                &d->act_max))
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "%s: fused activation %d does not fit the quantization", desc, d->w.activation);
    return MOTE_OK;
}

static mote_status pool_prepare(mote_context *ctx, mote_node *node) {
    pool_data *d = node->data;
    mote_tensor *in, *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 1, 1, 1)) || (st = kernel_require_input(ctx, node, 0, &in)) ||
        (st = kernel_require_output(ctx, node, 0, &out)) ||
        (st = kernel_check_rank(ctx, node, in, "input", 0, 4)))
        return st;

    switch (in->type) {
    case MOTE_FLOAT32: st = kernel_check_type(ctx, node, out, "output", 0, MOTE_FLOAT32); break;
    case MOTE_INT8:
    case MOTE_UINT8:
    case MOTE_INT16: st = pool_prepare_quant(ctx, node, out, in->type); break;
    default: return kernel_unsupported_type(ctx, node, in, "input", 0);
    }
    if (st) return st;

    /* Every window keeps at least one input pixel (padding is smaller than the window and
     * origins stay inside the input), so the average never divides by zero. */
    int32_t dims[4];
    if ((st = pool_window_forward(ctx, node, &d->w, in, dims))) return st;
    return kernel_set_shape(ctx, node, out, 4, dims);
}

static int32_t max_i32(int32_t a, int32_t b) { return a > b ? a : b; }
static int32_t min_i32(int32_t a, int32_t b) { return a < b ? a : b; }

/* Channels whose window sums are kept at once: the innermost loop runs over contiguous
 * channels (vectorized, cache lines used whole) while each channel still adds its window in
 * the reference's order (rows, then columns). deeplabv3's 33x33x160 global average: 330 ->
 * 80 us. */
#define POOL_CHANNEL_BLOCK 64

/* Both pools in one loop: they differ only in how a window is reduced. */
static void pool_f32(const pool_data *d, pool_kind kind, const mote_tensor *in, mote_tensor *out) {
    const float *x = KERNEL_DATA(in, const float); /* [batch, in_h, in_w, c] */
    float *y = KERNEL_DATA(out, float);            /* [batch, out_h, out_w, c] */
    const int32_t batches = in->dims[0], in_h = in->dims[1], in_w = in->dims[2], depth = in->dims[3];
    const int32_t out_h = out->dims[1], out_w = out->dims[2];
    float lo, hi;
    kernel_activation_range_f32(d->w.activation, &lo, &hi);

    for (int32_t n = 0; n < batches; n++) {
        for (int32_t oy = 0; oy < out_h; oy++) {
            const int32_t y0 = oy * d->w.stride_h - d->w.pad_h;
            /* The window cut to the input: rows [y_begin, y_end). */
            const int32_t y_begin = max_i32(y0, 0), y_end = min_i32(y0 + d->w.filter_h, in_h);
            for (int32_t ox = 0; ox < out_w; ox++) {
                const int32_t x0 = ox * d->w.stride_w - d->w.pad_w;
                const int32_t x_begin = max_i32(x0, 0), x_end = min_i32(x0 + d->w.filter_w, in_w);
                const int32_t count = (y_end - y_begin) * (x_end - x_begin);
                for (int32_t c0 = 0; c0 < depth; c0 += POOL_CHANNEL_BLOCK) {
                    const int32_t cn = depth - c0 < POOL_CHANNEL_BLOCK ? depth - c0 : POOL_CHANNEL_BLOCK;
                    float acc[POOL_CHANNEL_BLOCK];
                    for (int32_t c = 0; c < cn; c++) acc[c] = kind == POOL_MAX ? -FLT_MAX : 0.0f;
                    for (int32_t iy = y_begin; iy < y_end; iy++) {
                        for (int32_t ix = x_begin; ix < x_end; ix++) {
                            const float *v = x + (((size_t)n * in_h + iy) * in_w + ix) * depth + c0;
                            if (kind == POOL_MAX)
                                for (int32_t c = 0; c < cn; c++) acc[c] = v[c] > acc[c] ? v[c] : acc[c];
                            else
                                for (int32_t c = 0; c < cn; c++) acc[c] += v[c];
                        }
                    }
                    float *o = y + (((size_t)n * out_h + oy) * out_w + ox) * depth + c0;
                    for (int32_t c = 0; c < cn; c++) {
                        float r = acc[c];
                        if (kind == POOL_AVERAGE && count > 0) r /= (float)count;
                        o[c] = kernel_clamp_f32(r, lo, hi);
                    }
                }
            }
        }
    }
}

/* Element i of an int8, uint8 or int16 tensor, widened. */
static inline int32_t load_q(const mote_tensor *t, size_t i) {
    switch (t->type) {
    case MOTE_INT8: return KERNEL_DATA(t, const int8_t)[i];
    case MOTE_UINT8: return KERNEL_DATA(t, const uint8_t)[i];
    default: return KERNEL_DATA(t, const int16_t)[i];
    }
}
static inline void store_q(mote_tensor *t, size_t i, int32_t v) {
    switch (t->type) {
    case MOTE_INT8: KERNEL_DATA(t, int8_t)[i] = (int8_t)v; break;
    case MOTE_UINT8: KERNEL_DATA(t, uint8_t)[i] = (uint8_t)v; break;
    default: KERNEL_DATA(t, int16_t)[i] = (int16_t)v; break;
    }
}

/* The quantized pools: the maximum, or the sum divided by the count rounding halves away
 * from zero ((sum +- count / 2) / count, truncated), then the activation clamp. */
static void pool_quant(const pool_data *d, pool_kind kind, const mote_tensor *in, mote_tensor *out) {
    const int32_t batches = in->dims[0], in_h = in->dims[1], in_w = in->dims[2], depth = in->dims[3];
    const int32_t out_h = out->dims[1], out_w = out->dims[2];
    const int32_t lowest = in->type == MOTE_INT8 ? INT8_MIN : in->type == MOTE_UINT8 ? 0 : INT16_MIN;

    for (int32_t n = 0; n < batches; n++) {
        for (int32_t oy = 0; oy < out_h; oy++) {
            const int32_t y0 = oy * d->w.stride_h - d->w.pad_h;
            const int32_t y_begin = max_i32(y0, 0), y_end = min_i32(y0 + d->w.filter_h, in_h);
            for (int32_t ox = 0; ox < out_w; ox++) {
                const int32_t x0 = ox * d->w.stride_w - d->w.pad_w;
                const int32_t x_begin = max_i32(x0, 0), x_end = min_i32(x0 + d->w.filter_w, in_w);
                for (int32_t c = 0; c < depth; c++) {
                    int64_t sum = 0;
                    int32_t max = lowest, count = 0;
                    for (int32_t iy = y_begin; iy < y_end; iy++) {
                        for (int32_t ix = x_begin; ix < x_end; ix++) {
                            int32_t v = load_q(in, (((size_t)n * in_h + iy) * in_w + ix) * depth + c);
                            max = v > max ? v : max;
                            sum += v;
                            count++;
                        }
                    }
                    int64_t r = max;
                    if (kind == POOL_AVERAGE)
                        r = count == 0 ? 0 : (sum > 0 ? sum + count / 2 : sum - count / 2) / count;
                    r = r < d->act_min ? d->act_min : r > d->act_max ? d->act_max : r;
                    store_q(out, (((size_t)n * out_h + oy) * out_w + ox) * depth + c, (int32_t)r);
                }
            }
        }
    }
}

static mote_status pool_eval(mote_context *ctx, mote_node *node) {
    const mote_tensor *in = kernel_input(ctx, node, 0);
    const pool_kind kind = pool_kind_of(node);
    switch (in->type) {
    case MOTE_FLOAT32: pool_f32(node->data, kind, in, kernel_output(ctx, node, 0)); return MOTE_OK;
    case MOTE_INT8:
    case MOTE_UINT8:
    case MOTE_INT16: pool_quant(node->data, kind, in, kernel_output(ctx, node, 0)); return MOTE_OK;
    default: return kernel_unsupported_type(ctx, node, in, "input", 0);
    }
}

const mote_op mote_op_average_pool2d = {
    NULL, MOTE_OP_AVERAGE_POOL_2D, pool_init, pool_prepare, NULL, pool_eval, NULL};
const mote_op mote_op_max_pool2d = {NULL, MOTE_OP_MAX_POOL_2D, pool_init, pool_prepare,
                                    NULL, pool_eval,           NULL};
