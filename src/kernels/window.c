/* window.c — output sizes and padding of convolution and pooling windows (see window.h). */
#include "kernels/window.h"

mote_status window_check_padding(mote_context *ctx, const mote_node *node, int padding) {
    if (padding == PADDING_SAME || padding == PADDING_VALID) return MOTE_OK;
    return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "padding %d is neither SAME nor VALID", padding);
}

mote_status window_forward(mote_context *ctx, const mote_node *node, const char *axis, int padding,
                           int32_t in, int32_t filter, int32_t stride, int32_t dilation, int32_t *out,
                           int32_t *pad_before) {
    if (stride <= 0 || dilation <= 0 || filter <= 0)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "%s: stride %d, dilation %d and filter size %d must be positive", axis, stride,
                           dilation, filter);
    /* Eval computes positions up to in + effective filter size (window origins never pass the
     * input's end, padding is smaller than the window); keep all of them in int32. */
    int64_t effective = ((int64_t)filter - 1) * dilation + 1;
    if (in < 0 || (int64_t)in + effective > INT32_MAX)
        return kernel_fail(ctx, node, MOTE_ERROR_LIMIT,
                           "%s: input size %d with a dilated filter of %lld is too large", axis, in,
                           (long long)effective);
    *out = kernel_out_size(padding, in, filter, stride, dilation);
    *pad_before = kernel_pad_before(padding, in, filter, stride, dilation, *out);
    return MOTE_OK;
}

mote_status window_transposed(mote_context *ctx, const mote_node *node, const char *axis, int padding,
                              int32_t in, int32_t filter, int32_t stride, int32_t out, int32_t *pad_before) {
    if (stride <= 0 || filter <= 0)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "%s: stride %d and filter size %d must be positive", axis, stride, filter);
    if (in < 0 || out < 0)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "%s: input size %d and output size %d must not be negative", axis, in, out);
    /* Eval visits output positions up to in * stride + filter; the padding is below
     * out + filter. */
    if ((int64_t)in * stride + filter > INT32_MAX || (int64_t)out + filter > INT32_MAX)
        return kernel_fail(ctx, node, MOTE_ERROR_LIMIT,
                           "%s: input size %d, output size %d, stride %d are too large", axis, in, out,
                           stride);
    int32_t forward_out = kernel_out_size(padding, out, filter, stride, 1);
    *pad_before = forward_out > 0 ? kernel_pad_before(padding, out, filter, stride, 1, forward_out) : 0;
    return MOTE_OK;
}

/* Pool2DOptions fields. */
enum { POOL_OPT_PADDING = 0, POOL_OPT_STRIDE_W, POOL_OPT_STRIDE_H, POOL_OPT_FILTER_W, POOL_OPT_FILTER_H,
       POOL_OPT_FUSED_ACTIVATION };

mote_status pool_window_read(mote_context *ctx, const mote_node *node, pool_window *w) {
    fb_table opt = kernel_options(ctx, node, TFL_OPTIONS_POOL2D);
    w->padding = KOPT_I8(ctx, opt, POOL_OPT_PADDING, PADDING_SAME);
    w->stride_w = KOPT_I32(ctx, opt, POOL_OPT_STRIDE_W, 0);
    w->stride_h = KOPT_I32(ctx, opt, POOL_OPT_STRIDE_H, 0);
    w->filter_w = KOPT_I32(ctx, opt, POOL_OPT_FILTER_W, 0);
    w->filter_h = KOPT_I32(ctx, opt, POOL_OPT_FILTER_H, 0);
    w->activation = KOPT_I8(ctx, opt, POOL_OPT_FUSED_ACTIVATION, ACT_NONE);
    mote_status st = window_check_padding(ctx, node, w->padding);
    return st ? st : kernel_check_activation(ctx, node, w->activation);
}

mote_status pool_window_forward(mote_context *ctx, const mote_node *node, pool_window *w, const mote_tensor *in,
                                int32_t dims[4]) {
    dims[0] = in->dims[0];
    dims[3] = in->dims[3];
    mote_status st = window_forward(ctx, node, "height", w->padding, in->dims[1], w->filter_h, w->stride_h, 1,
                                    &dims[1], &w->pad_h);
    return st ? st
              : window_forward(ctx, node, "width", w->padding, in->dims[2], w->filter_w, w->stride_w, 1, &dims[2],
                               &w->pad_w);
}
