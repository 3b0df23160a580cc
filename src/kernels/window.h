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

#endif /* MOTE_KERNELS_WINDOW_H */
