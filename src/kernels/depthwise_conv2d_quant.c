/* depthwise_conv2d_quant.c — DEPTHWISE_CONV_2D's integer arithmetic (int8 and int16x8
 * with per-channel or per-tensor int8 weights, legacy uint8) and hybrid arithmetic (float32
 * activations, int8 weights), as TensorFlow Lite's reference kernels compute them. */
#include "kernels/depthwise_conv2d.h"

enum { IN_INPUT = DEPTHWISE_IN_INPUT, IN_FILTER = DEPTHWISE_IN_FILTER, IN_BIAS = DEPTHWISE_IN_BIAS };

mote_status depthwise_prepare_quant(mote_context *ctx, mote_node *node, const mote_tensor *in,
                                    const mote_tensor *filter, const mote_tensor *bias,
                                    const mote_tensor *out) {
    depthwise_data *d = node->data;
    const int32_t out_c = filter->dims[3];
    mote_status st;
    if ((st = conv_quant_check_tensors(ctx, node, &d->q, in, IN_INPUT, filter, IN_FILTER, bias, IN_BIAS, MOTE_FLOAT32,
                                       out, out_c)))
        return st;
    /* TensorFlow Lite's int16 depthwise kernel only has the int64 bias. */
    if (in->type == MOTE_INT16 && bias &&
        (st = kernel_check_type(ctx, node, bias, "input", IN_BIAS, MOTE_INT64)))
        return st;
    d->kind = in->type == MOTE_INT8    ? DEPTHWISE_INT8
              : in->type == MOTE_UINT8 ? DEPTHWISE_UINT8
                                       : DEPTHWISE_INT16;
    if ((st = conv_quant_prepare(ctx, node, &d->q, in, filter, out, d->activation, out_c,
                                 in->type == MOTE_UINT8 ? CONV_MULTIPLIER_FLOAT_PRODUCT
                                                        : CONV_MULTIPLIER_DOUBLE)))
        return st;
    /* The optimized path, when it applies (depthwise_i8_opt.c). */
    return depthwise_i8_opt_prepare(ctx, node, in, filter, bias);
}

mote_status depthwise_pack_quant(mote_context *ctx, mote_node *node) {
    const depthwise_data *d = node->data;
    if (d->kind == DEPTHWISE_INT8 || d->kind == DEPTHWISE_UINT8) return depthwise_i8_opt_pack(ctx, node);
    return MOTE_OK;
}

/* One integer DEPTHWISE_CONV_2D for activation type TX and weight type TW: output channel o
 * reads input channel o / multiplier; every output is conv_quant_output of
 * sum((filter + filter_offset) * (input + input_offset)) over the window positions inside
 * the input. */
#define DEFINE_DEPTHWISE_INT(NAME, TX, TW)                                                                   \
    static void NAME(const depthwise_data *d, const mote_tensor *in, const mote_tensor *filter,              \
                     const int32_t *b32, const int64_t *b64, mote_tensor *out) {                             \
        const TX *x = KERNEL_DATA(in, const TX);     /* [batch, in_h, in_w, in_c] */                         \
        const TW *w = KERNEL_DATA(filter, const TW); /* [1, kh, kw, out_c] */                                \
        TX *y = KERNEL_DATA(out, TX);                /* [batch, out_h, out_w, out_c] */                      \
        const conv_quant *q = &d->q;                                                                         \
        const int32_t batches = in->dims[0], in_h = in->dims[1], in_w = in->dims[2], in_c = in->dims[3];     \
        const int32_t out_h = out->dims[1], out_w = out->dims[2], out_c = out->dims[3];                      \
        const int32_t kh = filter->dims[1], kw = filter->dims[2];                                            \
        for (int32_t n = 0; n < batches; n++)                                                                \
            for (int32_t oy = 0; oy < out_h; oy++)                                                           \
                for (int32_t ox = 0; ox < out_w; ox++)                                                       \
                    for (int32_t o = 0; o < out_c; o++) {                                                    \
                        const int32_t c = o / d->multiplier;                                                 \
                        int64_t sum = 0;                                                                     \
                        for (int32_t fy = 0; fy < kh; fy++) {                                                \
                            const int32_t iy = oy * d->stride_h - d->pad_h + fy * d->dilation_h;             \
                            if (iy < 0 || iy >= in_h) continue;                                              \
                            for (int32_t fx = 0; fx < kw; fx++) {                                            \
                                const int32_t ix = ox * d->stride_w - d->pad_w + fx * d->dilation_w;         \
                                if (ix < 0 || ix >= in_w) continue;                                          \
                                const int32_t xv = x[(((size_t)n * in_h + iy) * in_w + ix) * in_c + c];      \
                                const int32_t wv = w[((size_t)fy * kw + fx) * out_c + o];                    \
                                sum += (int64_t)(wv + q->filter_offset) * (xv + q->input_offset);            \
                            }                                                                                \
                        }                                                                                    \
                        y[(((size_t)n * out_h + oy) * out_w + ox) * out_c + o] =                             \
                            (TX)conv_quant_output(q, o, sum, b32, b64);                                      \
                    }                                                                                        \
    }

DEFINE_DEPTHWISE_INT(depthwise_i8, int8_t, int8_t)
DEFINE_DEPTHWISE_INT(depthwise_u8, uint8_t, uint8_t)
DEFINE_DEPTHWISE_INT(depthwise_i16, int16_t, int8_t)

mote_status depthwise_eval_quant(mote_context *ctx, mote_node *node) {
    const depthwise_data *d = node->data;
    const mote_tensor *in = kernel_input(ctx, node, IN_INPUT), *filter = kernel_input(ctx, node, IN_FILTER);
    const mote_tensor *bias = kernel_input(ctx, node, IN_BIAS);
    mote_tensor *out = kernel_output(ctx, node, 0);
    const int32_t *b32 = bias && bias->type == MOTE_INT32 ? KERNEL_DATA(bias, const int32_t) : NULL;
    const int64_t *b64 = bias && bias->type == MOTE_INT64 ? KERNEL_DATA(bias, const int64_t) : NULL;
    if (d->i8opt.isa != DW_I8_NONE) return depthwise_i8_opt_eval(ctx, node);
    switch (d->kind) {
    case DEPTHWISE_INT8: depthwise_i8(d, in, filter, b32, b64, out); return MOTE_OK;
    case DEPTHWISE_UINT8: depthwise_u8(d, in, filter, b32, b64, out); return MOTE_OK;
    case DEPTHWISE_INT16: depthwise_i16(d, in, filter, b32, b64, out); return MOTE_OK;
    default: return kernel_fail(ctx, node, MOTE_ERROR_RUNTIME, "not prepared");
    }
}

/* ---- hybrid: float32 activations, int8 weights ---- */

mote_status depthwise_prepare_hybrid(mote_context *ctx, mote_node *node, const mote_tensor *in,
                                     const mote_tensor *filter, const mote_tensor *bias,
                                     const mote_tensor *out) {
    depthwise_data *d = node->data;
    const int32_t out_c = filter->dims[3];
    int per_channel;
    mote_status st;
    if ((st = conv_quant_check_filter(ctx, node, filter, IN_FILTER, out_c, 0, &per_channel)) ||
        (st = conv_hybrid_check_types(ctx, node, bias, IN_BIAS, out_c, out)))
        return st;
    d->kind = DEPTHWISE_HYBRID;
    return conv_hybrid_request_scratch(ctx, node, in, &d->scratch_input, &d->scratch_batch);
}

/* TensorFlow Lite's DepthwiseConvHybridPerChannel (its only hybrid depthwise kernel): each
 * batch quantized asymmetrically (scale s_b, zero point z_b);
 * out = clamp(sum(w * (q - z_b)) * (filter_scale[o] * s_b) + bias[o]). */
static void depthwise_hybrid(const depthwise_data *d, const mote_tensor *in, const mote_tensor *filter,
                             const float *bias, mote_tensor *out, const int8_t *xq, const float *scales,
                             const int32_t *offsets) {
    const int8_t *w = KERNEL_DATA(filter, const int8_t); /* [1, kh, kw, out_c] */
    float *y = KERNEL_DATA(out, float);                  /* [batch, out_h, out_w, out_c] */
    const model_tensor *fq = filter->def;
    const int32_t batches = in->dims[0], in_h = in->dims[1], in_w = in->dims[2], in_c = in->dims[3];
    const int32_t out_h = out->dims[1], out_w = out->dims[2], out_c = out->dims[3];
    const int32_t kh = filter->dims[1], kw = filter->dims[2];
    float lo, hi;
    kernel_activation_range_f32(d->activation, &lo, &hi);
    for (int32_t n = 0; n < batches; n++)
        for (int32_t oy = 0; oy < out_h; oy++)
            for (int32_t ox = 0; ox < out_w; ox++)
                for (int32_t o = 0; o < out_c; o++) {
                    const int32_t c = o / d->multiplier;
                    int64_t sum = 0;
                    for (int32_t fy = 0; fy < kh; fy++) {
                        const int32_t iy = oy * d->stride_h - d->pad_h + fy * d->dilation_h;
                        if (iy < 0 || iy >= in_h) continue;
                        for (int32_t fx = 0; fx < kw; fx++) {
                            const int32_t ix = ox * d->stride_w - d->pad_w + fx * d->dilation_w;
                            if (ix < 0 || ix >= in_w) continue;
                            const int32_t xv = xq[(((size_t)n * in_h + iy) * in_w + ix) * in_c + c];
                            sum += (int32_t)w[((size_t)fy * kw + fx) * out_c + o] * (xv - offsets[n]);
                        }
                    }
                    const float channel_scale = fq->scales[fq->quant_count > 1 ? o : 0];
                    float acc = (float)quant_wrap_i32(sum);
                    acc *= channel_scale * scales[n];
                    if (bias) acc += bias[o];
                    y[(((size_t)n * out_h + oy) * out_w + ox) * out_c + o] = kernel_clamp_f32(acc, lo, hi);
                }
}

mote_status depthwise_eval_hybrid(mote_context *ctx, mote_node *node) {
    const depthwise_data *d = node->data;
    const mote_tensor *in = kernel_input(ctx, node, IN_INPUT);
    const mote_tensor *bias = kernel_input(ctx, node, IN_BIAS);
    int8_t *xq;
    float *scales;
    int32_t *offsets;
    mote_status st =
        conv_hybrid_quantize_input(ctx, node, in, d->scratch_input, d->scratch_batch, 1, &xq, &scales, &offsets);
    if (st) return st;
    depthwise_hybrid(d, in, kernel_input(ctx, node, IN_FILTER), bias ? KERNEL_DATA(bias, const float) : NULL,
                     kernel_output(ctx, node, 0), xq, scales, offsets);
    return MOTE_OK;
}
