/* transpose_conv.h — the float32 transposed convolution shared by TRANSPOSE_CONV and
 * MediaPipe's Convolution2DTransposeBias, and TRANSPOSE_CONV's per-node data, shared by
 * transpose_conv.c (options, shapes, float32) and transpose_conv_quant.c (int8, uint8,
 * int16x8). */
#ifndef MOTE_KERNELS_TRANSPOSE_CONV_H
#define MOTE_KERNELS_TRANSPOSE_CONV_H

#include "kernels/conv_quant.h"

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

/* ---- TRANSPOSE_CONV ---- */

enum { TCONV_IN_OUTPUT_SHAPE = 0, TCONV_IN_WEIGHTS = 1, TCONV_IN_INPUT = 2, TCONV_IN_BIAS = 3 };

/* Which arithmetic prepare chose. */
typedef enum tconv_kind {
    TCONV_F32 = 0, /* float32 everything */
    TCONV_INT8,    /* int8 activations, int8 weights (per channel or tensor) */
    TCONV_UINT8,   /* uint8 activations and weights, per tensor, zero points */
    TCONV_INT16    /* int16 activations (zero point 0), int8 weights */
} tconv_kind;

typedef struct tconv_data {
    int32_t padding;            /* PADDING_SAME or PADDING_VALID */
    int32_t stride_h, stride_w; /* output pixels between neighbouring input pixels */
    int32_t activation;         /* fused ActivationFunctionType */
    int32_t bias_type_option;   /* quantized_bias_type (TensorType; float32 when unset) */
    /* Set in prepare: */
    int32_t pad_h, pad_w; /* output rows/columns cut before the first */
    int32_t kind;         /* tconv_kind */
    conv_quant q;         /* integer kinds: offsets, multipliers, clamp */
} tconv_data;

/* Integer kinds: checks quantization and bias, fills d->q. Channels checked. */
mote_status tconv_prepare_quant(mote_context *ctx, mote_node *node, const mote_tensor *in,
                                const mote_tensor *weights, const mote_tensor *bias, const mote_tensor *out);
mote_status tconv_eval_quant(mote_context *ctx, mote_node *node);

#endif /* MOTE_KERNELS_TRANSPOSE_CONV_H */
