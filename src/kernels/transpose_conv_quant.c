/* transpose_conv_quant.c — TRANSPOSE_CONV's integer arithmetic (int8 and int16x8 with
 * per-channel or per-tensor int8 weights, legacy uint8), as TensorFlow Lite's reference
 * kernels compute it. TensorFlow Lite scatters every input pixel's products into an
 * accumulator buffer; integer sums do not depend on their order, so here each output
 * gathers the same products instead and no buffer is needed. */
#include "kernels/transpose_conv.h"

enum { IN_WEIGHTS = TCONV_IN_WEIGHTS, IN_INPUT = TCONV_IN_INPUT, IN_BIAS = TCONV_IN_BIAS };

mote_status tconv_prepare_quant(mote_context *ctx, mote_node *node, const mote_tensor *in,
                                const mote_tensor *weights, const mote_tensor *bias, const mote_tensor *out) {
    tconv_data *d = node->data;
    const int32_t out_c = weights->dims[0];
    mote_status st;
    if ((st = conv_quant_check_tensors(ctx, node, &d->q, in, IN_INPUT, weights, IN_WEIGHTS, bias, IN_BIAS, d->bias_type_option,
                                       out, out_c)))
        return st;
    d->kind = in->type == MOTE_INT8 ? TCONV_INT8 : in->type == MOTE_UINT8 ? TCONV_UINT8 : TCONV_INT16;
    return conv_quant_prepare(ctx, node, &d->q, in, weights, out, d->activation, out_c,
                              in->type == MOTE_UINT8 ? CONV_MULTIPLIER_FLOAT_PRODUCT
                                                     : CONV_MULTIPLIER_DOUBLE);
}

/* The input position feeding output position o through filter tap f: i with
 * i * stride - pad + f == o, or -1 when there is none inside [0, in). */
static inline int32_t tconv_source(int32_t o, int32_t f, int32_t stride, int32_t pad, int32_t in) {
    const int64_t t = (int64_t)o + pad - f;
    if (t < 0 || t % stride != 0) return -1;
    return t / stride < in ? (int32_t)(t / stride) : -1;
}

/* One integer TRANSPOSE_CONV for activation type TX and weight type TW: every output is
 * conv_quant_output of sum((weights + filter_offset) * (input + input_offset)) over the
 * input pixels and filter taps that land on it. */
#define DEFINE_TCONV_INT(NAME, TX, TW)                                                                       \
    static void NAME(const tconv_data *d, const mote_tensor *in, const mote_tensor *weights,                 \
                     const int32_t *b32, const int64_t *b64, mote_tensor *out) {                             \
        const TX *x = KERNEL_DATA(in, const TX);      /* [batch, in_h, in_w, in_c] */                        \
        const TW *w = KERNEL_DATA(weights, const TW); /* [out_c, kh, kw, in_c] */                            \
        TX *y = KERNEL_DATA(out, TX);                 /* [batch, out_h, out_w, out_c] */                     \
        const conv_quant *q = &d->q;                                                                         \
        const int32_t batches = in->dims[0], in_h = in->dims[1], in_w = in->dims[2], in_c = in->dims[3];     \
        const int32_t out_h = out->dims[1], out_w = out->dims[2], out_c = out->dims[3];                      \
        const int32_t kh = weights->dims[1], kw = weights->dims[2];                                          \
        for (int32_t n = 0; n < batches; n++)                                                                \
            for (int32_t oy = 0; oy < out_h; oy++)                                                           \
                for (int32_t ox = 0; ox < out_w; ox++)                                                       \
                    for (int32_t o = 0; o < out_c; o++) {                                                    \
                        int64_t sum = 0;                                                                     \
                        for (int32_t fy = 0; fy < kh; fy++) {                                                \
                            const int32_t iy = tconv_source(oy, fy, d->stride_h, d->pad_h, in_h);            \
                            if (iy < 0) continue;                                                            \
                            for (int32_t fx = 0; fx < kw; fx++) {                                            \
                                const int32_t ix = tconv_source(ox, fx, d->stride_w, d->pad_w, in_w);        \
                                if (ix < 0) continue;                                                        \
                                const TX *xp = x + (((size_t)n * in_h + iy) * in_w + ix) * in_c;             \
                                const TW *wp = w + (((size_t)o * kh + fy) * kw + fx) * in_c;                 \
                                for (int32_t c = 0; c < in_c; c++)                                           \
                                    sum += (int64_t)((int32_t)wp[c] + q->filter_offset) *                    \
                                           ((int32_t)xp[c] + q->input_offset);                               \
                            }                                                                                \
                        }                                                                                    \
                        y[(((size_t)n * out_h + oy) * out_w + ox) * out_c + o] =                             \
                            (TX)conv_quant_output(q, o, sum, b32, b64);                                      \
                    }                                                                                        \
    }

DEFINE_TCONV_INT(tconv_i8, int8_t, int8_t)
DEFINE_TCONV_INT(tconv_u8, uint8_t, uint8_t)
DEFINE_TCONV_INT(tconv_i16, int16_t, int8_t)

mote_status tconv_eval_quant(mote_context *ctx, mote_node *node) {
    const tconv_data *d = node->data;
    const mote_tensor *in = kernel_input(ctx, node, IN_INPUT), *weights = kernel_input(ctx, node, IN_WEIGHTS);
    const mote_tensor *bias = kernel_input(ctx, node, IN_BIAS);
    mote_tensor *out = kernel_output(ctx, node, 0);
    const int32_t *b32 = bias && bias->type == MOTE_INT32 ? KERNEL_DATA(bias, const int32_t) : NULL;
    const int64_t *b64 = bias && bias->type == MOTE_INT64 ? KERNEL_DATA(bias, const int64_t) : NULL;
    switch (d->kind) {
    case TCONV_INT8: tconv_i8(d, in, weights, b32, b64, out); return MOTE_OK;
    case TCONV_UINT8: tconv_u8(d, in, weights, b32, b64, out); return MOTE_OK;
    case TCONV_INT16: tconv_i16(d, in, weights, b32, b64, out); return MOTE_OK;
    default: return kernel_fail(ctx, node, MOTE_ERROR_RUNTIME, "not prepared");
    }
}
