/* conv2d.c — CONV_2D: out[b, y, x, o] = act(bias[o] + sum over the window and the input
 * channels of o's group of in * filter), input [batch, h, w, in_c], filter
 * [out_c, kh, kw, in_c / groups], as TensorFlow Lite's reference kernel: options, shapes,
 * the choice of arithmetic, and the float32 path (integer and hybrid ones in
 * conv2d_quant.c). */
#include "kernels/conv2d.h"

/* Conv2DOptions fields. */
#define OPT_PADDING 0
#define OPT_STRIDE_W 1
#define OPT_STRIDE_H 2
#define OPT_FUSED_ACTIVATION 3
#define OPT_DILATION_W 4
#define OPT_DILATION_H 5
#define OPT_QUANTIZED_BIAS_TYPE 6

enum { IN_INPUT = CONV2D_IN_INPUT, IN_FILTER = CONV2D_IN_FILTER, IN_BIAS = CONV2D_IN_BIAS };

static mote_status conv2d_init(mote_context *ctx, mote_node *node) {
    conv2d_data *d = kernel_alloc_data(ctx, node, sizeof *d);
    if (!d) return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    fb_table opt = kernel_options(ctx, node, TFL_OPTIONS_CONV2D);
    d->padding = KOPT_I8(ctx, opt, OPT_PADDING, PADDING_SAME);
    d->stride_w = KOPT_I32(ctx, opt, OPT_STRIDE_W, 0);
    d->stride_h = KOPT_I32(ctx, opt, OPT_STRIDE_H, 0);
    d->activation = KOPT_I8(ctx, opt, OPT_FUSED_ACTIVATION, ACT_NONE);
    d->dilation_w = KOPT_I32(ctx, opt, OPT_DILATION_W, 1);
    d->dilation_h = KOPT_I32(ctx, opt, OPT_DILATION_H, 1);
    d->bias_type_option = KOPT_I8(ctx, opt, OPT_QUANTIZED_BIAS_TYPE, MOTE_FLOAT32);
    mote_status st = window_check_padding(ctx, node, d->padding);
    return st ? st : kernel_check_activation(ctx, node, d->activation);
}

static void conv2d_release(mote_context *ctx, mote_node *node) {
    conv2d_data *d = node->data;
    if (d) conv_quant_release(ctx, &d->q);
}

/* Type checks of the float32 path: everything float32, or int8 weights (hybrid). */
static mote_status conv2d_prepare_f32(mote_context *ctx, mote_node *node, const mote_tensor *in,
                                      const mote_tensor *filter, const mote_tensor *bias,
                                      const mote_tensor *out) {
    conv2d_data *d = node->data;
    mote_status st;
    if (filter->type == MOTE_INT8) return conv2d_prepare_hybrid(ctx, node, in, filter, bias, out);
    if (filter->type != MOTE_FLOAT32) return kernel_unsupported_type(ctx, node, filter, "input", IN_FILTER);
    if (bias && (st = kernel_check_type(ctx, node, bias, "input", IN_BIAS, MOTE_FLOAT32))) return st;
    d->kind = CONV2D_F32;
    return kernel_check_type(ctx, node, out, "output", 0, MOTE_FLOAT32);
}

static mote_status conv2d_prepare(mote_context *ctx, mote_node *node) {
    conv2d_data *d = node->data;
    mote_tensor *in, *filter, *bias, *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 2, 3, 1)) ||
        (st = kernel_require_input(ctx, node, IN_INPUT, &in)) ||
        (st = kernel_require_input(ctx, node, IN_FILTER, &filter)) ||
        (st = kernel_require_output(ctx, node, 0, &out)) ||
        (st = kernel_check_rank(ctx, node, in, "input", IN_INPUT, 4)) ||
        (st = kernel_check_rank(ctx, node, filter, "input", IN_FILTER, 4)))
        return st;
    bias = kernel_input(ctx, node, IN_BIAS);

    /* [out_c, kh, kw, in_c / groups]; grouped when the input has a multiple of the filter's
     * channels, each group of out_c / groups filters reading its own slice of the input. */
    int32_t out_c = filter->dims[0], kh = filter->dims[1], kw = filter->dims[2], filter_c = filter->dims[3];
    int32_t in_c = in->dims[3];
    if (out_c <= 0 || filter_c <= 0 || in_c <= 0 || in_c % filter_c != 0)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "input has %d channels and the filter %d input and %d output channels; "
                           "expected positive counts, input channels a multiple of the filter's",
                           in_c, filter_c, out_c);
    int32_t groups = in_c / filter_c;
    if (out_c % groups != 0)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "%d output channels cannot be split into %d groups", out_c, groups);
    if (bias && kernel_count(bias) != (size_t)out_c)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "bias has %zu elements, expected %d",
                           kernel_count(bias), out_c);

    switch (in->type) {
    case MOTE_FLOAT32: st = conv2d_prepare_f32(ctx, node, in, filter, bias, out); break;
    case MOTE_INT8:
    case MOTE_UINT8:
    case MOTE_INT16: st = conv2d_prepare_quant(ctx, node, in, filter, bias, out); break;
    default: return kernel_unsupported_type(ctx, node, in, "input", IN_INPUT);
    }
    if (st) return st;

    int32_t dims[4] = {in->dims[0], 0, 0, out_c};
    if ((st = window_forward(ctx, node, "height", d->padding, in->dims[1], kh, d->stride_h, d->dilation_h,
                             &dims[1], &d->pad_h)) ||
        (st = window_forward(ctx, node, "width", d->padding, in->dims[2], kw, d->stride_w, d->dilation_w,
                             &dims[2], &d->pad_w)))
        return st;
    if ((st = kernel_set_shape(ctx, node, out, 4, dims))) return st;
    return d->kind == CONV2D_F32 ? conv2d_f32_opt_prepare(ctx, node, d) : MOTE_OK;
}

static void conv2d_f32(const conv2d_data *d, const mote_tensor *in, const mote_tensor *filter,
                       const mote_tensor *bias, mote_tensor *out) {
    const float *x = KERNEL_DATA(in, const float);                 /* [batch, in_h, in_w, in_c] */
    const float *w = KERNEL_DATA(filter, const float);             /* [out_c, kh, kw, filter_c] */
    const float *b = bias ? KERNEL_DATA(bias, const float) : NULL; /* [out_c] */
    float *y = KERNEL_DATA(out, float);                            /* [batch, out_h, out_w, out_c] */
    const int32_t batches = in->dims[0], in_h = in->dims[1], in_w = in->dims[2], in_c = in->dims[3];
    const int32_t out_h = out->dims[1], out_w = out->dims[2], out_c = out->dims[3];
    const int32_t kh = filter->dims[1], kw = filter->dims[2], filter_c = filter->dims[3];
    const int32_t per_group = out_c / (in_c / filter_c);
    float lo, hi;
    kernel_activation_range_f32(d->activation, &lo, &hi);

    for (int32_t n = 0; n < batches; n++) {
        for (int32_t oy = 0; oy < out_h; oy++) {
            const int32_t y0 = oy * d->stride_h - d->pad_h;
            for (int32_t ox = 0; ox < out_w; ox++) {
                const int32_t x0 = ox * d->stride_w - d->pad_w;
                for (int32_t o = 0; o < out_c; o++) {
                    const int32_t c0 = (o / per_group) * filter_c; /* first input channel of o's group */
                    float acc = 0.0f;
                    for (int32_t fy = 0; fy < kh; fy++) {
                        const int32_t iy = y0 + fy * d->dilation_h;
                        if (iy < 0 || iy >= in_h) continue; /* zero padding */
                        for (int32_t fx = 0; fx < kw; fx++) {
                            const int32_t ix = x0 + fx * d->dilation_w;
                            if (ix < 0 || ix >= in_w) continue;
                            const float *xp = x + (((size_t)n * in_h + iy) * in_w + ix) * in_c + c0;
                            const float *wp = w + (((size_t)o * kh + fy) * kw + fx) * filter_c;
                            for (int32_t c = 0; c < filter_c; c++) acc += xp[c] * wp[c];
                        }
                    }
                    if (b) acc += b[o];
                    y[(((size_t)n * out_h + oy) * out_w + ox) * out_c + o] = kernel_clamp_f32(acc, lo, hi);
                }
            }
        }
    }
}

static mote_status conv2d_eval(mote_context *ctx, mote_node *node) {
    const conv2d_data *d = node->data;
    switch (d->kind) {
    case CONV2D_F32:
        if (d->f32opt.path != CONV_F32_REFERENCE) return conv2d_f32_opt_eval(ctx, node);
        conv2d_f32(d, kernel_input(ctx, node, IN_INPUT), kernel_input(ctx, node, IN_FILTER),
                   kernel_input(ctx, node, IN_BIAS), kernel_output(ctx, node, 0));
        return MOTE_OK;
    case CONV2D_INT8:
    case CONV2D_UINT8:
    case CONV2D_INT16: return conv2d_eval_quant(ctx, node);
    case CONV2D_HYBRID:
    case CONV2D_HYBRID_PER_CHANNEL: return conv2d_eval_hybrid(ctx, node);
    default: return kernel_fail(ctx, node, MOTE_ERROR_RUNTIME, "not prepared");
    }
}

/* Packed weights of the optimized paths. */
static mote_status conv2d_pack(mote_context *ctx, mote_node *node) {
    const conv2d_data *d = node->data;
    switch (d->kind) {
    case CONV2D_F32: return conv2d_f32_opt_pack(ctx, node);
    case CONV2D_INT8:
    case CONV2D_UINT8: return conv2d_pack_quant(ctx, node);
    default: return MOTE_OK;
    }
}

const mote_op mote_op_conv2d = {NULL,        MOTE_OP_CONV_2D, conv2d_init,   conv2d_prepare,
                                conv2d_pack, conv2d_eval,     conv2d_release};
