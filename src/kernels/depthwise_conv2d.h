/* depthwise_conv2d.h — DEPTHWISE_CONV_2D's per-node data, shared by depthwise_conv2d.c
 * (options, shapes, float32) and depthwise_conv2d_quant.c (int8, uint8, int16x8 and hybrid
 * arithmetic). */
#ifndef MOTE_KERNELS_DEPTHWISE_CONV2D_H
#define MOTE_KERNELS_DEPTHWISE_CONV2D_H

#include "kernels/conv_quant.h"
#include "kernels/depthwise_i8_opt.h"
#include "kernels/gemm_f32.h"
#include "kernels/window.h"

enum { DEPTHWISE_IN_INPUT = 0, DEPTHWISE_IN_FILTER = 1, DEPTHWISE_IN_BIAS = 2 };

/* Which arithmetic prepare chose. */
typedef enum depthwise_kind {
    DEPTHWISE_F32 = 0, /* float32 everything */
    DEPTHWISE_INT8,    /* int8 activations, int8 weights (per channel or tensor) */
    DEPTHWISE_UINT8,   /* uint8 activations and weights, per tensor, zero points */
    DEPTHWISE_INT16,   /* int16 activations (zero point 0), int8 weights, int64 bias */
    DEPTHWISE_HYBRID   /* float32 activations, int8 weights */
} depthwise_kind;

typedef struct depthwise_data {
    int32_t padding;                /* PADDING_SAME or PADDING_VALID */
    int32_t stride_h, stride_w;     /* window step in input pixels */
    int32_t dilation_h, dilation_w; /* spacing between filter taps in input pixels */
    int32_t activation;             /* fused ActivationFunctionType */
    /* Set in prepare: */
    int32_t pad_h, pad_w;  /* input rows/columns padded before the first */
    int32_t multiplier;    /* output channels per input channel */
    int32_t kind;          /* depthwise_kind */
    conv_quant q;          /* integer kinds: offsets, multipliers, clamp */
    int32_t scratch_input; /* hybrid: [batch * h * w * c] int8 quantized input */
    int32_t scratch_batch; /* hybrid: [batch] float scales, then [batch] int32 offsets */
    conv_f32_plan f32opt;  /* float32: the optimized path (CONV_F32_REFERENCE: the reference) */
    dw_i8_plan i8opt;      /* int8/uint8: the optimized path (isa 0: the reference kernel) */
} depthwise_data;

/* Integer kinds: checks quantization and bias, fills d->q. Channels checked. */
mote_status depthwise_prepare_quant(mote_context *ctx, mote_node *node, const mote_tensor *in,
                                    const mote_tensor *filter, const mote_tensor *bias,
                                    const mote_tensor *out);
/* Hybrid kind: checks the weights' scales and float bias/output, requests scratch. */
mote_status depthwise_prepare_hybrid(mote_context *ctx, mote_node *node, const mote_tensor *in,
                                     const mote_tensor *filter, const mote_tensor *bias,
                                     const mote_tensor *out);
/* Eval of the integer and hybrid kinds. */
mote_status depthwise_eval_quant(mote_context *ctx, mote_node *node);
mote_status depthwise_eval_hybrid(mote_context *ctx, mote_node *node);
/* Pack of the integer kinds: the optimized path's packed weights (nothing otherwise). */
mote_status depthwise_pack_quant(mote_context *ctx, mote_node *node);

/* The optimized int8/uint8 path (depthwise_i8_opt.c): chosen in prepare when optimized
 * kernels are on and the node fits (sets d->i8opt.isa), packed in pack, run in eval. */
mote_status depthwise_i8_opt_prepare(mote_context *ctx, mote_node *node, const mote_tensor *in,
                                     const mote_tensor *filter, const mote_tensor *bias);
mote_status depthwise_i8_opt_pack(mote_context *ctx, mote_node *node);
mote_status depthwise_i8_opt_eval(mote_context *ctx, mote_node *node);

/* The optimized float32 path (depthwise_f32_opt.c): chosen in prepare (after the shapes)
 * when optimized kernels are on and the node fits (sets d->f32opt.path), packed in pack,
 * run in eval. */
mote_status depthwise_f32_opt_prepare(mote_context *ctx, mote_node *node, depthwise_data *d);
mote_status depthwise_f32_opt_pack(mote_context *ctx, mote_node *node);
mote_status depthwise_f32_opt_eval(mote_context *ctx, mote_node *node);

/* The expansion fusion (depthwise_f32_expand.c): in prepare, once the path is
 * CONV_F32_DWCONV, fuses the 1x1 CONV_2D that writes the input when it fits (the path
 * becomes CONV_F32_DWCONV_EXPAND and its scratch is requested); the eval of that path. */
mote_status depthwise_f32_fuse_expansion(mote_context *ctx, mote_node *node, depthwise_data *d,
                                         const mote_tensor *out);
mote_status depthwise_f32_expand_eval(mote_context *ctx, mote_node *node);

#endif /* MOTE_KERNELS_DEPTHWISE_CONV2D_H */
