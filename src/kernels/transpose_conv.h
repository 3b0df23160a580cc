/* transpose_conv.h — the float32 transposed convolution shared by TRANSPOSE_CONV and
 * MediaPipe's Convolution2DTransposeBias. */
#ifndef MOTE_KERNELS_TRANSPOSE_CONV_H
#define MOTE_KERNELS_TRANSPOSE_CONV_H

#include "kernels/kernel.h"

/* Where each input pixel lands in the output, and the clamp applied at the end. */
typedef struct transpose_conv_params {
    int32_t stride_h, stride_w; /* output pixels between neighbouring input pixels */
    int32_t pad_h, pad_w;       /* output rows/columns cut before the first */
    float act_lo, act_hi;       /* fused activation range */
    int bias_first;             /* start each sum at the bias (MediaPipe) instead of adding it
                                 * last (TensorFlow Lite): float rounding differs */
} transpose_conv_params;

/* out[b, y, x, o] = clamp(bias[o] + sum of in[b, iy, ix, c] * filter[o, fy, fx, c] over
 * y = iy * stride_h - pad_h + fy, x likewise); input [batch, in_h, in_w, in_c], filter
 * [out_c, kh, kw, in_c], bias [out_c] or NULL, output [batch, out_h, out_w, out_c]. Shapes
 * must have been checked in prepare (window_transposed for the positions). */
void transpose_conv_f32(const transpose_conv_params *p, const mote_tensor *in, const mote_tensor *filter,
                        const float *bias, mote_tensor *out);

#endif /* MOTE_KERNELS_TRANSPOSE_CONV_H */
