/* depthwise_conv2d.c — DEPTHWISE_CONV_2D: each input channel c feeds `multiplier` output
 * channels c * multiplier + m, out[b, y, x, o] = act(bias[o] + sum over the window of
 * in[.., c] * filter[0, fy, fx, o]), filter [1, kh, kw, out_c], as TensorFlow Lite's reference
 * kernel: options, shapes, the choice of arithmetic, and the float32 path (integer and
 * hybrid ones in depthwise_conv2d_quant.c). */
#include "kernels/depthwise_conv2d.h"

/* DepthwiseConv2DOptions fields (depth_multiplier, field 3, is not read: TensorFlow Lite
 * derives the multiplier from the shapes, as the schema notes). */
#define OPT_PADDING 0
#define OPT_STRIDE_W 1
#define OPT_STRIDE_H 2
#define OPT_FUSED_ACTIVATION 4
#define OPT_DILATION_W 5
#define OPT_DILATION_H 6

enum { IN_INPUT = DEPTHWISE_IN_INPUT, IN_FILTER = DEPTHWISE_IN_FILTER, IN_BIAS = DEPTHWISE_IN_BIAS };

static mote_status depthwise_init(mote_context *ctx, mote_node *node) {
    depthwise_data *d = kernel_alloc_data(ctx, node, sizeof *d);
    if (!d) return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    fb_table opt = kernel_options(ctx, node, TFL_OPTIONS_DEPTHWISE_CONV2D);
    d->padding = KOPT_I8(ctx, opt, OPT_PADDING, PADDING_SAME);
    d->stride_w = KOPT_I32(ctx, opt, OPT_STRIDE_W, 0);
    d->stride_h = KOPT_I32(ctx, opt, OPT_STRIDE_H, 0);
    d->activation = KOPT_I8(ctx, opt, OPT_FUSED_ACTIVATION, ACT_NONE);
    d->dilation_w = KOPT_I32(ctx, opt, OPT_DILATION_W, 1);
    d->dilation_h = KOPT_I32(ctx, opt, OPT_DILATION_H, 1);
    mote_status st = window_check_padding(ctx, node, d->padding);
    return st ? st : kernel_check_activation(ctx, node, d->activation);
}

static void depthwise_release(mote_context *ctx, mote_node *node) {
    depthwise_data *d = node->data;
    if (d) conv_quant_release(ctx, &d->q);
}

/* Type checks of the float32 path: everything float32, or int8 weights (hybrid). */
static mote_status depthwise_prepare_f32(mote_context *ctx, mote_node *node, const mote_tensor *in,
                                         const mote_tensor *filter, const mote_tensor *bias,
                                         const mote_tensor *out) {
    depthwise_data *d = node->data;
    mote_status st;
    if (filter->type == MOTE_INT8) return depthwise_prepare_hybrid(ctx, node, in, filter, bias, out);
    if (filter->type != MOTE_FLOAT32) return kernel_unsupported_type(ctx, node, filter, "input", IN_FILTER);
    if (bias && (st = kernel_check_type(ctx, node, bias, "input", IN_BIAS, MOTE_FLOAT32))) return st;
    d->kind = DEPTHWISE_F32;
    return kernel_check_type(ctx, node, out, "output", 0, MOTE_FLOAT32);
}

static mote_status depthwise_prepare(mote_context *ctx, mote_node *node) {
    depthwise_data *d = node->data;
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

    int32_t in_c = in->dims[3], out_c = filter->dims[3];
    if (filter->dims[0] != 1)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "filter's first dimension is %d, expected 1",
                           filter->dims[0]);
    if (in_c <= 0 || out_c <= 0 || out_c % in_c != 0)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "filter has %d channels, expected a positive multiple of the input's %d", out_c,
                           in_c);
    d->multiplier = out_c / in_c;
    if (bias && kernel_count(bias) != (size_t)out_c)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "bias has %zu elements, expected %d",
                           kernel_count(bias), out_c);

    switch (in->type) {
    case MOTE_FLOAT32: st = depthwise_prepare_f32(ctx, node, in, filter, bias, out); break;
    case MOTE_INT8:
    case MOTE_UINT8:
    case MOTE_INT16: st = depthwise_prepare_quant(ctx, node, in, filter, bias, out); break;
    default: return kernel_unsupported_type(ctx, node, in, "input", IN_INPUT);
    }
    if (st) return st;

    int32_t dims[4] = {in->dims[0], 0, 0, out_c};
    if ((st = window_forward(ctx, node, "height", d->padding, in->dims[1], filter->dims[1], d->stride_h,
                             d->dilation_h, &dims[1], &d->pad_h)) ||
        (st = window_forward(ctx, node, "width", d->padding, in->dims[2], filter->dims[2], d->stride_w,
                             d->dilation_w, &dims[2], &d->pad_w)))
        return st;
    if ((st = kernel_set_shape(ctx, node, out, 4, dims))) return st;
    return d->kind == DEPTHWISE_F32 ? depthwise_f32_opt_prepare(ctx, node, d) : MOTE_OK;
}

static void depthwise_f32(const depthwise_data *d, const mote_tensor *in, const mote_tensor *filter,
                          const mote_tensor *bias, mote_tensor *out) {
    const float *x = KERNEL_DATA(in, const float);                 /* [batch, in_h, in_w, in_c] */
    const float *w = KERNEL_DATA(filter, const float);             /* [1, kh, kw, out_c] */
    const float *b = bias ? KERNEL_DATA(bias, const float) : NULL; /* [out_c] */
    float *y = KERNEL_DATA(out, float);                            /* [batch, out_h, out_w, out_c] */
    const int32_t batches = in->dims[0], in_h = in->dims[1], in_w = in->dims[2], in_c = in->dims[3];
    const int32_t out_h = out->dims[1], out_w = out->dims[2], out_c = out->dims[3];
    const int32_t kh = filter->dims[1], kw = filter->dims[2];
    float lo, hi;
    kernel_activation_range_f32(d->activation, &lo, &hi);

    for (int32_t n = 0; n < batches; n++) {
        for (int32_t oy = 0; oy < out_h; oy++) {
            const int32_t y0 = oy * d->stride_h - d->pad_h;
            for (int32_t ox = 0; ox < out_w; ox++) {
                const int32_t x0 = ox * d->stride_w - d->pad_w;
                for (int32_t o = 0; o < out_c; o++) {
                    const int32_t c = o / d->multiplier; /* the input channel feeding o */
                    float acc = 0.0f;
                    for (int32_t fy = 0; fy < kh; fy++) {
                        const int32_t iy = y0 + fy * d->dilation_h;
                        if (iy < 0 || iy >= in_h) continue; /* zero padding */
                        for (int32_t fx = 0; fx < kw; fx++) {
                            const int32_t ix = x0 + fx * d->dilation_w;
                            if (ix < 0 || ix >= in_w) continue;
                            acc += x[(((size_t)n * in_h + iy) * in_w + ix) * in_c + c] *
                                   w[((size_t)fy * kw + fx) * out_c + o];
                        }
                    }
                    if (b) acc += b[o];
                    y[(((size_t)n * out_h + oy) * out_w + ox) * out_c + o] = kernel_clamp_f32(acc, lo, hi);
                }
            }
        }
    }
}

static mote_status depthwise_eval(mote_context *ctx, mote_node *node) {
    const depthwise_data *d = node->data;
    switch (d->kind) {
    case DEPTHWISE_F32:
        if (d->f32opt.path != CONV_F32_REFERENCE) return depthwise_f32_opt_eval(ctx, node);
        depthwise_f32(d, kernel_input(ctx, node, IN_INPUT), kernel_input(ctx, node, IN_FILTER),
                      kernel_input(ctx, node, IN_BIAS), kernel_output(ctx, node, 0));
        return MOTE_OK;
    case DEPTHWISE_INT8:
    case DEPTHWISE_UINT8:
    case DEPTHWISE_INT16: return depthwise_eval_quant(ctx, node);
    case DEPTHWISE_HYBRID: return depthwise_eval_hybrid(ctx, node);
    default: return kernel_fail(ctx, node, MOTE_ERROR_RUNTIME, "not prepared");
    }
}

/* Packed weights of the optimized paths. */
static mote_status depthwise_pack(mote_context *ctx, mote_node *node) {
    const depthwise_data *d = node->data;
    switch (d->kind) {
    case DEPTHWISE_F32: return depthwise_f32_opt_pack(ctx, node);
    case DEPTHWISE_INT8:
    case DEPTHWISE_UINT8: return depthwise_pack_quant(ctx, node);
    default: return MOTE_OK;
    }
}

const mote_op mote_op_depthwise_conv2d = {
    NULL,           MOTE_OP_DEPTHWISE_CONV_2D, depthwise_init, depthwise_prepare, depthwise_pack,
    depthwise_eval, depthwise_release};
