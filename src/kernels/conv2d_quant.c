/* conv2d_quant.c — CONV_2D's integer arithmetic (int8 and int16x8 with per-channel or
 * per-tensor int8 weights, legacy uint8) and hybrid arithmetic (float32 activations, int8
 * weights), as TensorFlow Lite's reference kernels compute them. */
#include "kernels/conv2d.h"

enum { IN_INPUT = CONV2D_IN_INPUT, IN_FILTER = CONV2D_IN_FILTER, IN_BIAS = CONV2D_IN_BIAS };

mote_status conv2d_prepare_quant(mote_context *ctx, mote_node *node, const mote_tensor *in,
                                 const mote_tensor *filter, const mote_tensor *bias, const mote_tensor *out) {
    conv2d_data *d = node->data;
    const int32_t out_c = filter->dims[0];
    mote_status st;
    if ((st = conv_quant_check_tensors(ctx, node, &d->q, in, IN_INPUT, filter, IN_FILTER, bias, IN_BIAS, d->bias_type_option,
                                       out, out_c)))
        return st;
    d->kind = in->type == MOTE_INT8 ? CONV2D_INT8 : in->type == MOTE_UINT8 ? CONV2D_UINT8 : CONV2D_INT16;
    /* uint8 keeps TensorFlow Lite's legacy per-tensor multiplier; the others are computed
     * per channel, a single scale broadcast. */
    if ((st = conv_quant_prepare(ctx, node, &d->q, in, filter, out, d->activation, out_c,
                                 in->type == MOTE_UINT8 ? CONV_MULTIPLIER_FLOAT_PRODUCT
                                                        : CONV_MULTIPLIER_DOUBLE)))
        return st;
    /* The optimized path, when it applies (conv2d_i8_opt.c). */
    return conv2d_i8_opt_prepare(ctx, node, in, filter, bias);
}

mote_status conv2d_pack_quant(mote_context *ctx, mote_node *node) {
    const conv2d_data *d = node->data;
    if (d->kind == CONV2D_INT8 || d->kind == CONV2D_UINT8) return conv2d_i8_opt_pack(ctx, node);
    return MOTE_OK;
}

/* One integer CONV_2D for activation type TX and weight type TW: every output is
 * conv_quant_output of sum((filter + filter_offset) * (input + input_offset)) over the
 * window positions inside the input (padding contributes nothing) and the channels of the
 * output's group. */
#define DEFINE_CONV2D_INT(NAME, TX, TW)                                                                      \
    static void NAME(const conv2d_data *d, const mote_tensor *in, const mote_tensor *filter,                 \
                     const int32_t *b32, const int64_t *b64, mote_tensor *out) {                             \
        const TX *x = KERNEL_DATA(in, const TX);     /* [batch, in_h, in_w, in_c] */                         \
        const TW *w = KERNEL_DATA(filter, const TW); /* [out_c, kh, kw, filter_c] */                         \
        TX *y = KERNEL_DATA(out, TX);                /* [batch, out_h, out_w, out_c] */                      \
        const conv_quant *q = &d->q;                                                                         \
        const int32_t batches = in->dims[0], in_h = in->dims[1], in_w = in->dims[2], in_c = in->dims[3];     \
        const int32_t out_h = out->dims[1], out_w = out->dims[2], out_c = out->dims[3];                      \
        const int32_t kh = filter->dims[1], kw = filter->dims[2], filter_c = filter->dims[3];                \
        const int32_t per_group = out_c / (in_c / filter_c);                                                 \
        for (int32_t n = 0; n < batches; n++)                                                                \
            for (int32_t oy = 0; oy < out_h; oy++)                                                           \
                for (int32_t ox = 0; ox < out_w; ox++)                                                       \
                    for (int32_t o = 0; o < out_c; o++) {                                                    \
                        const int32_t c0 = (o / per_group) * filter_c;                                       \
                        int64_t sum = 0;                                                                     \
                        for (int32_t fy = 0; fy < kh; fy++) {                                                \
                            const int32_t iy = oy * d->stride_h - d->pad_h + fy * d->dilation_h;             \
                            if (iy < 0 || iy >= in_h) continue;                                              \
                            for (int32_t fx = 0; fx < kw; fx++) {                                            \
                                const int32_t ix = ox * d->stride_w - d->pad_w + fx * d->dilation_w;         \
                                if (ix < 0 || ix >= in_w) continue;                                          \
                                const TX *xp = x + (((size_t)n * in_h + iy) * in_w + ix) * in_c + c0;        \
                                const TW *wp = w + (((size_t)o * kh + fy) * kw + fx) * filter_c;             \
                                for (int32_t c = 0; c < filter_c; c++)                                       \
                                    sum += (int64_t)((int32_t)wp[c] + q->filter_offset) *                    \
                                           ((int32_t)xp[c] + q->input_offset);                               \
                            }                                                                                \
                        }                                                                                    \
                        y[(((size_t)n * out_h + oy) * out_w + ox) * out_c + o] =                             \
                            (TX)conv_quant_output(q, o, sum, b32, b64);                                      \
                    }                                                                                        \
    }

DEFINE_CONV2D_INT(conv2d_i8, int8_t, int8_t)
DEFINE_CONV2D_INT(conv2d_u8, uint8_t, uint8_t)
DEFINE_CONV2D_INT(conv2d_i16, int16_t, int8_t)

mote_status conv2d_eval_quant(mote_context *ctx, mote_node *node) {
    const conv2d_data *d = node->data;
    const mote_tensor *in = kernel_input(ctx, node, IN_INPUT), *filter = kernel_input(ctx, node, IN_FILTER);
    const mote_tensor *bias = kernel_input(ctx, node, IN_BIAS);
    mote_tensor *out = kernel_output(ctx, node, 0);
    const int32_t *b32 = bias && bias->type == MOTE_INT32 ? KERNEL_DATA(bias, const int32_t) : NULL;
    const int64_t *b64 = bias && bias->type == MOTE_INT64 ? KERNEL_DATA(bias, const int64_t) : NULL;
    if (d->i8opt.isa != GEMM_I8_NONE) return conv2d_i8_opt_eval(ctx, node);
    switch (d->kind) {
    case CONV2D_INT8: conv2d_i8(d, in, filter, b32, b64, out); return MOTE_OK;
    case CONV2D_UINT8: conv2d_u8(d, in, filter, b32, b64, out); return MOTE_OK;
    case CONV2D_INT16: conv2d_i16(d, in, filter, b32, b64, out); return MOTE_OK;
    default: return kernel_fail(ctx, node, MOTE_ERROR_RUNTIME, "not prepared");
    }
}

/* ---- hybrid: float32 activations, int8 weights ---- */

mote_status conv2d_prepare_hybrid(mote_context *ctx, mote_node *node, const mote_tensor *in,
                                  const mote_tensor *filter, const mote_tensor *bias,
                                  const mote_tensor *out) {
    conv2d_data *d = node->data;
    const int32_t out_c = filter->dims[0];
    int per_channel;
    mote_status st;
    if ((st = conv_quant_check_filter(ctx, node, filter, IN_FILTER, out_c, 0, &per_channel)) ||
        (st = conv_hybrid_check_types(ctx, node, bias, IN_BIAS, out_c, out)))
        return st;
    /* TensorFlow Lite's per-channel kernel (asymmetric input rows) runs when the scales
     * differ and for grouped convolutions; otherwise the per-tensor one (symmetric rows). */
    int scales_differ = 0;
    const model_tensor *fq = filter->def;
    for (int32_t c = 1; c < fq->quant_count; c++) scales_differ |= fq->scales[c] != fq->scales[0];
    int grouped = in->dims[3] != filter->dims[3];
    d->kind = scales_differ || grouped ? CONV2D_HYBRID_PER_CHANNEL : CONV2D_HYBRID;
    return conv_hybrid_request_scratch(ctx, node, in, &d->scratch_input, &d->scratch_batch);
}

/* TensorFlow Lite's HybridConvPerChannel: each batch quantized asymmetrically (scale s_b,
 * zero point z_b); out = clamp(sum(w * (q - z_b)) * filter_scale[o] * s_b + bias[o]). */
static void conv2d_hybrid_per_channel(const conv2d_data *d, const mote_tensor *in, const mote_tensor *filter,
                                      const float *bias, mote_tensor *out, const int8_t *xq,
                                      const float *scales, const int32_t *offsets) {
    const int8_t *w = KERNEL_DATA(filter, const int8_t); /* [out_c, kh, kw, filter_c] */
    float *y = KERNEL_DATA(out, float);                  /* [batch, out_h, out_w, out_c] */
    const model_tensor *fq = filter->def;
    const int32_t batches = in->dims[0], in_h = in->dims[1], in_w = in->dims[2], in_c = in->dims[3];
    const int32_t out_h = out->dims[1], out_w = out->dims[2], out_c = out->dims[3];
    const int32_t kh = filter->dims[1], kw = filter->dims[2], filter_c = filter->dims[3];
    const int32_t per_group = out_c / (in_c / filter_c);
    float lo, hi;
    kernel_activation_range_f32(d->activation, &lo, &hi);
    for (int32_t n = 0; n < batches; n++)
        for (int32_t oy = 0; oy < out_h; oy++)
            for (int32_t ox = 0; ox < out_w; ox++)
                for (int32_t o = 0; o < out_c; o++) {
                    const int32_t c0 = (o / per_group) * filter_c;
                    int64_t sum = 0;
                    for (int32_t fy = 0; fy < kh; fy++) {
                        const int32_t iy = oy * d->stride_h - d->pad_h + fy * d->dilation_h;
                        if (iy < 0 || iy >= in_h) continue;
                        for (int32_t fx = 0; fx < kw; fx++) {
                            const int32_t ix = ox * d->stride_w - d->pad_w + fx * d->dilation_w;
                            if (ix < 0 || ix >= in_w) continue;
                            const int8_t *xp = xq + (((size_t)n * in_h + iy) * in_w + ix) * in_c + c0;
                            const int8_t *wp = w + (((size_t)o * kh + fy) * kw + fx) * filter_c;
                            for (int32_t c = 0; c < filter_c; c++)
                                sum += (int32_t)wp[c] * ((int32_t)xp[c] - offsets[n]);
                        }
                    }
                    const float channel_scale = fq->scales[fq->quant_count > 1 ? o : 0];
                    float acc = (float)quant_wrap_i32(sum) * channel_scale * scales[n];
                    if (bias) acc += bias[o];
                    y[(((size_t)n * out_h + oy) * out_w + ox) * out_c + o] = kernel_clamp_f32(acc, lo, hi);
                }
}

/* TensorFlow Lite's HybridConv (its only kernel for one weight scale, an im2col and matrix
 * product): each batch quantized symmetrically (scale s_b, padding reads 0);
 * out = clamp(sum(w * q) * (s_b * filter_scale) + bias[o]). */
static void conv2d_hybrid_per_tensor(const conv2d_data *d, const mote_tensor *in, const mote_tensor *filter,
                                     const float *bias, mote_tensor *out, const int8_t *xq,
                                     const float *scales) {
    const int8_t *w = KERNEL_DATA(filter, const int8_t); /* [out_c, kh, kw, in_c] */
    float *y = KERNEL_DATA(out, float);                  /* [batch, out_h, out_w, out_c] */
    const int32_t batches = in->dims[0], in_h = in->dims[1], in_w = in->dims[2], in_c = in->dims[3];
    const int32_t out_h = out->dims[1], out_w = out->dims[2], out_c = out->dims[3];
    const int32_t kh = filter->dims[1], kw = filter->dims[2];
    float lo, hi;
    kernel_activation_range_f32(d->activation, &lo, &hi);
    for (int32_t n = 0; n < batches; n++) {
        const float scale = scales[n] * filter->def->scales[0];
        for (int32_t oy = 0; oy < out_h; oy++)
            for (int32_t ox = 0; ox < out_w; ox++)
                for (int32_t o = 0; o < out_c; o++) {
                    int64_t sum = 0;
                    for (int32_t fy = 0; fy < kh; fy++) {
                        const int32_t iy = oy * d->stride_h - d->pad_h + fy * d->dilation_h;
                        if (iy < 0 || iy >= in_h) continue;
                        for (int32_t fx = 0; fx < kw; fx++) {
                            const int32_t ix = ox * d->stride_w - d->pad_w + fx * d->dilation_w;
                            if (ix < 0 || ix >= in_w) continue;
                            const int8_t *xp = xq + (((size_t)n * in_h + iy) * in_w + ix) * in_c;
                            const int8_t *wp = w + (((size_t)o * kh + fy) * kw + fx) * in_c;
                            for (int32_t c = 0; c < in_c; c++) sum += (int32_t)wp[c] * xp[c];
                        }
                    }
                    float acc = 0.0f + (float)quant_wrap_i32(sum) * scale;
                    if (bias) acc += bias[o];
                    y[(((size_t)n * out_h + oy) * out_w + ox) * out_c + o] = kernel_clamp_f32(acc, lo, hi);
                }
    }
}

mote_status conv2d_eval_hybrid(mote_context *ctx, mote_node *node) {
    const conv2d_data *d = node->data;
    const mote_tensor *in = kernel_input(ctx, node, IN_INPUT), *filter = kernel_input(ctx, node, IN_FILTER);
    const mote_tensor *bias = kernel_input(ctx, node, IN_BIAS);
    int8_t *xq;
    float *scales;
    int32_t *offsets;
    mote_status st = conv_hybrid_quantize_input(ctx, node, in, d->scratch_input, d->scratch_batch,
                                                d->kind == CONV2D_HYBRID_PER_CHANNEL, &xq, &scales, &offsets);
    if (st) return st;
    const float *b = bias ? KERNEL_DATA(bias, const float) : NULL;
    if (d->kind == CONV2D_HYBRID_PER_CHANNEL)
        conv2d_hybrid_per_channel(d, in, filter, b, kernel_output(ctx, node, 0), xq, scales, offsets);
    else
        conv2d_hybrid_per_tensor(d, in, filter, b, kernel_output(ctx, node, 0), xq, scales);
    return MOTE_OK;
}
