/* transpose_conv.c — TRANSPOSE_CONV: inputs (output_shape, weights [out_c, kh, kw, in_c],
 * input, optional bias); every input pixel adds in * weights to the output window it maps
 * to, as TensorFlow Lite's reference kernel: options, shapes, the choice of arithmetic and
 * the float32 path (integer ones in transpose_conv_quant.c). */
#include "kernels/transpose_conv.h"

#include "kernels/window.h"

/* TransposeConvOptions fields. */
#define OPT_PADDING 0
#define OPT_STRIDE_W 1
#define OPT_STRIDE_H 2
#define OPT_FUSED_ACTIVATION 3
#define OPT_QUANTIZED_BIAS_TYPE 4

enum {
    IN_OUTPUT_SHAPE = TCONV_IN_OUTPUT_SHAPE,
    IN_WEIGHTS = TCONV_IN_WEIGHTS,
    IN_INPUT = TCONV_IN_INPUT,
    IN_BIAS = TCONV_IN_BIAS
};

static mote_status tconv_init(mote_context *ctx, mote_node *node) {
    tconv_data *d = kernel_alloc_data(ctx, node, sizeof *d);
    if (!d) return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    fb_table opt = kernel_options(ctx, node, TFL_OPTIONS_TRANSPOSE_CONV);
    d->padding = KOPT_I8(ctx, opt, OPT_PADDING, PADDING_SAME);
    d->stride_w = KOPT_I32(ctx, opt, OPT_STRIDE_W, 0);
    d->stride_h = KOPT_I32(ctx, opt, OPT_STRIDE_H, 0);
    d->activation = KOPT_I8(ctx, opt, OPT_FUSED_ACTIVATION, ACT_NONE);
    d->bias_type_option = KOPT_I8(ctx, opt, OPT_QUANTIZED_BIAS_TYPE, MOTE_FLOAT32);
    mote_status st = window_check_padding(ctx, node, d->padding);
    return st ? st : kernel_check_activation(ctx, node, d->activation);
}

/* The output shape argument: 4 int32 values from the model. It is read here, so it must be
 * in the model's buffers (an output of a folded node only gets its data after prepare). */
static mote_status tconv_output_shape(mote_context *ctx, const mote_node *node, int32_t *dims) {
    mote_tensor *t;
    mote_status st;
    char desc[160];
    if ((st = kernel_require_input(ctx, node, IN_OUTPUT_SHAPE, &t)) ||
        (st = kernel_check_type(ctx, node, t, "input", IN_OUTPUT_SHAPE, MOTE_INT32)) ||
        (st = kernel_check_rank(ctx, node, t, "input", IN_OUTPUT_SHAPE, 1)))
        return st;
    if (t->dims[0] != 4)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: expected 4 values, got %d",
                           kernel_describe(t, "input", IN_OUTPUT_SHAPE, desc, sizeof desc), t->dims[0]);
    if (t->storage != STORAGE_CONSTANT || !t->data)
        return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED, "%s: must be a constant in the model",
                           kernel_describe(t, "input", IN_OUTPUT_SHAPE, desc, sizeof desc));
    memcpy(dims, t->data, 4 * sizeof *dims); /* model buffers need not be aligned for int32 */
    return MOTE_OK;
}

static void tconv_release(mote_context *ctx, mote_node *node) {
    tconv_data *d = node->data;
    if (d) conv_quant_release(ctx, &d->q);
}

/* Type checks of the float32 path: everything float32. */
static mote_status tconv_prepare_f32(mote_context *ctx, mote_node *node, const mote_tensor *weights,
                                     const mote_tensor *bias, const mote_tensor *out) {
    tconv_data *d = node->data;
    mote_status st;
    /* A float input with int8 weights is TensorFlow Lite's hybrid mode, which Mote does not
     * run for this operator. */
    if (weights->type != MOTE_FLOAT32)
        return kernel_unsupported_type(ctx, node, weights, "input", IN_WEIGHTS);
    if (bias && (st = kernel_check_type(ctx, node, bias, "input", IN_BIAS, MOTE_FLOAT32))) return st;
    d->kind = TCONV_F32;
    return kernel_check_type(ctx, node, out, "output", 0, MOTE_FLOAT32);
}

static mote_status tconv_prepare(mote_context *ctx, mote_node *node) {
    tconv_data *d = node->data;
    mote_tensor *in, *weights, *bias, *out;
    mote_status st;
    int32_t dims[4];
    if ((st = kernel_check_counts(ctx, node, 3, 4, 1)) ||
        (st = kernel_require_input(ctx, node, IN_INPUT, &in)) ||
        (st = kernel_require_input(ctx, node, IN_WEIGHTS, &weights)) ||
        (st = kernel_require_output(ctx, node, 0, &out)) ||
        (st = kernel_check_rank(ctx, node, in, "input", IN_INPUT, 4)) ||
        (st = kernel_check_rank(ctx, node, weights, "input", IN_WEIGHTS, 4)) ||
        (st = tconv_output_shape(ctx, node, dims)))
        return st;
    bias = kernel_input(ctx, node, IN_BIAS);

    int32_t out_c = weights->dims[0];
    if (weights->dims[3] != in->dims[3])
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "weights have %d input channels, the input %d", weights->dims[3], in->dims[3]);
    if (dims[0] != in->dims[0] || dims[3] != out_c)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "output_shape [%d, %d, %d, %d] needs batch %d and %d channels", dims[0], dims[1],
                           dims[2], dims[3], in->dims[0], out_c);
    if (bias && kernel_count(bias) != (size_t)out_c)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "bias has %zu elements, expected %d",
                           kernel_count(bias), out_c);
    switch (in->type) {
    case MOTE_FLOAT32: st = tconv_prepare_f32(ctx, node, weights, bias, out); break;
    case MOTE_INT8:
    case MOTE_UINT8:
    case MOTE_INT16: st = tconv_prepare_quant(ctx, node, in, weights, bias, out); break;
    default: return kernel_unsupported_type(ctx, node, in, "input", IN_INPUT);
    }
    if (st) return st;
    if ((st = window_transposed(ctx, node, "height", d->padding, in->dims[1], weights->dims[1], d->stride_h,
                                dims[1], &d->pad_h)) ||
        (st = window_transposed(ctx, node, "width", d->padding, in->dims[2], weights->dims[2], d->stride_w,
                                dims[2], &d->pad_w)))
        return st;
    return kernel_set_shape(ctx, node, out, 4, dims);
}

void transpose_conv_f32(const transpose_conv_params *p, const mote_tensor *in, const mote_tensor *filter,
                        const float *bias, mote_tensor *out) {
    const float *x = KERNEL_DATA(in, const float);     /* [batch, in_h, in_w, in_c] */
    const float *w = KERNEL_DATA(filter, const float); /* [out_c, kh, kw, in_c] */
    float *y = KERNEL_DATA(out, float);                /* [batch, out_h, out_w, out_c] */
    const int32_t batches = in->dims[0], in_h = in->dims[1], in_w = in->dims[2], in_c = in->dims[3];
    const int32_t out_h = out->dims[1], out_w = out->dims[2], out_c = out->dims[3];
    const int32_t kh = filter->dims[1], kw = filter->dims[2];
    const size_t out_count = kernel_count(out);

    /* Scatter: each input value adds its products to the outputs its window covers, in
     * TensorFlow Lite's order, so that float sums round as there. */
    for (size_t i = 0; i < out_count; i++) y[i] = p->bias_first && bias ? bias[i % (size_t)out_c] : 0.0f;
    for (int32_t n = 0; n < batches; n++) {
        for (int32_t iy = 0; iy < in_h; iy++) {
            for (int32_t ix = 0; ix < in_w; ix++) {
                for (int32_t c = 0; c < in_c; c++) {
                    const float v = x[(((size_t)n * in_h + iy) * in_w + ix) * in_c + c];
                    for (int32_t fy = 0; fy < kh; fy++) {
                        const int32_t oy = iy * p->stride_h - p->pad_h + fy;
                        if (oy < 0 || oy >= out_h) continue; /* cut by padding */
                        for (int32_t fx = 0; fx < kw; fx++) {
                            const int32_t ox = ix * p->stride_w - p->pad_w + fx;
                            if (ox < 0 || ox >= out_w) continue;
                            float *yp = y + (((size_t)n * out_h + oy) * out_w + ox) * out_c;
                            for (int32_t o = 0; o < out_c; o++)
                                yp[o] += v * w[(((size_t)o * kh + fy) * kw + fx) * in_c + c];
                        }
                    }
                }
            }
        }
    }
    for (size_t i = 0; i < out_count; i++) {
        float acc = y[i];
        if (bias && !p->bias_first) acc += bias[i % (size_t)out_c];
        y[i] = kernel_clamp_f32(acc, p->act_lo, p->act_hi);
    }
}

static mote_status tconv_eval(mote_context *ctx, mote_node *node) {
    const tconv_data *d = node->data;
    const mote_tensor *in = kernel_input(ctx, node, IN_INPUT);
    const mote_tensor *bias = kernel_input(ctx, node, IN_BIAS);
    transpose_conv_params p = {d->stride_h, d->stride_w, d->pad_h, d->pad_w, 0.0f, 0.0f, 0};
    kernel_activation_range_f32(d->activation, &p.act_lo, &p.act_hi);
    switch (d->kind) {
    case TCONV_F32:
        transpose_conv_f32(&p, in, kernel_input(ctx, node, IN_WEIGHTS),
                           bias ? KERNEL_DATA(bias, const float) : NULL, kernel_output(ctx, node, 0));
        return MOTE_OK;
    case TCONV_INT8:
    case TCONV_UINT8:
    case TCONV_INT16: return tconv_eval_quant(ctx, node);
    default: return kernel_fail(ctx, node, MOTE_ERROR_RUNTIME, "not prepared");
    }
}

const mote_op mote_op_transpose_conv = {NULL,       MOTE_OP_TRANSPOSE_CONV, tconv_init, tconv_prepare, NULL,
                                        tconv_eval, tconv_release};
