/* conv2d_i8_opt.c — CONV_2D's optimized int8/uint8 path: the convolution as a matrix product
 * (gemm_i8.h) with the weights packed once, the output requantized exactly as the reference
 * kernel of conv2d_quant.c. A zero PAD before it is read through (conv_fuse_pad), so the
 * interpreter skips the PAD. Grouped convolutions, int16 and hybrid kinds stay with the
 * reference. */
#include "kernels/conv2d.h"
#include "kernels/pad_fusion.h"

enum { IN_INPUT = CONV2D_IN_INPUT, IN_FILTER = CONV2D_IN_FILTER, IN_BIAS = CONV2D_IN_BIAS };

mote_status conv2d_i8_opt_prepare(mote_context *ctx, mote_node *node, const mote_tensor *in,
                                  const mote_tensor *filter, const mote_tensor *bias) {
    conv2d_data *d = node->data;
    memset(&d->i8opt, 0, sizeof d->i8opt);
    if (d->kind != CONV2D_INT8 && d->kind != CONV2D_UINT8) return MOTE_OK;
    if (in->dims[3] != filter->dims[3]) return MOTE_OK; /* grouped */
    if (!kernel_is_constant_after_pack(filter) || (bias && !kernel_is_constant_after_pack(bias))) return MOTE_OK;
    const int64_t k = (int64_t)filter->dims[1] * filter->dims[2] * filter->dims[3];
    if (k > INT32_MAX / 2) return MOTE_OK;
    mote_status st = gemm_i8_plan_prepare(ctx, node, &d->i8opt, filter->dims[0], (int32_t)k, in->type,
                                          in->zero_point, filter->type, -d->q.filter_offset, &d->q, 0, 0);
    if (st || d->i8opt.isa == GEMM_I8_NONE) return st;
    /* A zero PAD before: read its input, the padding added to the convolution's. */
    int32_t source, top, left;
    if (conv_fuse_pad(ctx, node, in->type, &source, &top, &left)) {
        d->i8opt.fused = 1;
        d->i8opt.fused_source = source;
        d->i8opt.fused_top = top;
        d->i8opt.fused_left = left;
    }
    return MOTE_OK;
}

mote_status conv2d_i8_opt_pack(mote_context *ctx, mote_node *node) {
    conv2d_data *d = node->data;
    if (d->i8opt.isa == GEMM_I8_NONE) return MOTE_OK;
    const mote_tensor *filter = kernel_input(ctx, node, IN_FILTER), *bias = kernel_input(ctx, node, IN_BIAS);
    return gemm_i8_plan_pack(ctx, node, &d->i8opt, filter->data, bias ? KERNEL_DATA(bias, const int32_t) : NULL,
                             &d->q);
}

mote_status conv2d_i8_opt_eval(mote_context *ctx, mote_node *node) {
    const conv2d_data *d = node->data;
    const mote_tensor *in = kernel_input(ctx, node, IN_INPUT), *filter = kernel_input(ctx, node, IN_FILTER);
    mote_tensor *out = kernel_output(ctx, node, 0);
    if (d->i8opt.fused) in = kernel_tensor(ctx, node, d->i8opt.fused_source);
    gemm_i8_geometry g = {.batches = in->dims[0],
                          .in_h = in->dims[1],
                          .in_w = in->dims[2],
                          .in_c = in->dims[3],
                          .out_h = out->dims[1],
                          .out_w = out->dims[2],
                          .kh = filter->dims[1],
                          .kw = filter->dims[2],
                          .stride_h = d->stride_h,
                          .stride_w = d->stride_w,
                          .dilation_h = d->dilation_h,
                          .dilation_w = d->dilation_w,
                          .pad_h = d->pad_h,
                          .pad_w = d->pad_w};
    if (d->i8opt.fused) g.pad_h += d->i8opt.fused_top, g.pad_w += d->i8opt.fused_left;
    return gemm_i8_plan_run(ctx, node, &d->i8opt, &g, in->data, out->data, NULL, NULL);
}
