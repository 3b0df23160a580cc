/* window.h — sliding-window geometry shared by the convolution and pooling kernels: output
 * sizes and padding as TensorFlow Lite computes them, checked in prepare so that the index
 * arithmetic of eval stays within int32. */
#ifndef MOTE_KERNELS_WINDOW_H
#define MOTE_KERNELS_WINDOW_H

#include "kernels/kernel.h"

/* Fails unless padding is a Padding value Mote knows (SAME or VALID). */
mote_status window_check_padding(mote_context *ctx, const mote_node *node, int padding);

/* One spatial axis ("height" or "width") of a convolution or pooling window: the output size
 * and the padding before the first input element. Fails, naming the axis, when the stride,
 * dilation or filter size is not positive or when the positions eval visits (up to
 * in + effective filter size) do not fit in int32. */
mote_status window_forward(mote_context *ctx, const mote_node *node, const char *axis, int padding,
                           int32_t in, int32_t filter, int32_t stride, int32_t dilation, int32_t *out,
                           int32_t *pad_before);

/* One spatial axis of a transposed convolution whose output size `out` is given: the padding
 * before the first output element, which TensorFlow Lite takes from the forward convolution
 * that maps the output back onto the input. Fails, naming the axis, when the stride or filter
 * size is not positive or the output positions eval visits do not fit in int32. */
mote_status window_transposed(mote_context *ctx, const mote_node *node, const char *axis, int padding,
                              int32_t in, int32_t filter, int32_t stride, int32_t out, int32_t *pad_before);

/* A 2-D pooling window (Pool2DOptions) and, after pool_window_forward, its padding. */
typedef struct pool_window {
    int32_t padding;            /* PADDING_SAME or PADDING_VALID */
    int32_t stride_h, stride_w; /* window step in input pixels */
    int32_t filter_h, filter_w; /* window size in input pixels */
    int32_t activation;         /* fused ActivationFunctionType */
    int32_t pad_h, pad_w;       /* input rows/columns padded before the first */
} pool_window;

/* Reads a pooling operator's options (init) and checks padding and activation. */
mote_status pool_window_read(mote_context *ctx, const mote_node *node, pool_window *w);

/* The output shape [batch, out_h, out_w, channels] of pooling NHWC `in`; sets the padding. */
mote_status pool_window_forward(mote_context *ctx, const mote_node *node, pool_window *w, const mote_tensor *in,
                                int32_t dims[4]);

#endif /* MOTE_KERNELS_WINDOW_H */
