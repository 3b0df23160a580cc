/* conv2d.h — CONV_2D's per-node data, shared by conv2d.c (options, shapes, float32) and
 * conv2d_quant.c (int8, uint8, int16x8 and hybrid arithmetic). */
#ifndef MOTE_KERNELS_CONV2D_H
#define MOTE_KERNELS_CONV2D_H

#include "kernels/conv_quant.h"
#include "kernels/gemm_f32.h"
#include "kernels/gemm_i8.h"
#include "kernels/window.h"

enum { CONV2D_IN_INPUT = 0, CONV2D_IN_FILTER = 1, CONV2D_IN_BIAS = 2 };

/* Which arithmetic prepare chose. */
typedef enum conv2d_kind {
    CONV2D_F32 = 0,           /* float32 everything */
    CONV2D_INT8,              /* int8 activations, int8 weights (per channel or tensor) */
    CONV2D_UINT8,             /* uint8 activations and weights, per tensor, zero points */
    CONV2D_INT16,             /* int16 activations (zero point 0), int8 weights */
    CONV2D_HYBRID,            /* float32 activations, int8 weights of one scale */
    CONV2D_HYBRID_PER_CHANNEL /* float32 activations, int8 weights, per-channel scales */
} conv2d_kind;

typedef struct conv2d_data {
    int32_t padding;                /* PADDING_SAME or PADDING_VALID */
    int32_t stride_h, stride_w;     /* window step in input pixels */
    int32_t dilation_h, dilation_w; /* spacing between filter taps in input pixels */
    int32_t activation;             /* fused ActivationFunctionType */
    int32_t bias_type_option;       /* quantized_bias_type (TensorType; float32 when unset) */
    /* Set in prepare: */
    int32_t pad_h, pad_w;  /* input rows/columns padded before the first */
    int32_t kind;          /* conv2d_kind */
    conv_quant q;          /* integer kinds: offsets, multipliers, clamp */
    int32_t scratch_input; /* hybrid: [batch * h * w * c] int8 quantized input */
    int32_t scratch_batch; /* hybrid: [batch] float scales, then [batch] int32 offsets */
    gemm_i8_plan i8opt;    /* int8/uint8: the optimized path (isa 0: the reference kernel) */
    conv_f32_plan f32opt;  /* float32: the optimized path (CONV_F32_REFERENCE: the reference) */
} conv2d_data;

/* Integer kinds: checks quantization and bias, fills d->q. in_c/out_c, groups checked. */
mote_status conv2d_prepare_quant(mote_context *ctx, mote_node *node, const mote_tensor *in,
                                 const mote_tensor *filter, const mote_tensor *bias, const mote_tensor *out);
/* Hybrid kinds: checks the weights' scales and float bias/output, requests scratch. */
mote_status conv2d_prepare_hybrid(mote_context *ctx, mote_node *node, const mote_tensor *in,
                                  const mote_tensor *filter, const mote_tensor *bias, const mote_tensor *out);
/* Eval of the integer and hybrid kinds. */
mote_status conv2d_eval_quant(mote_context *ctx, mote_node *node);
/* Pack of the integer kinds: the optimized path's packed weights (nothing otherwise). */
mote_status conv2d_pack_quant(mote_context *ctx, mote_node *node);

/* The optimized int8/uint8 path (conv2d_i8_opt.c): chosen in prepare when optimized kernels
 * are on and the node fits (sets d->i8opt.isa), packed in pack, run in eval. */
mote_status conv2d_i8_opt_prepare(mote_context *ctx, mote_node *node, const mote_tensor *in,
                                  const mote_tensor *filter, const mote_tensor *bias);
mote_status conv2d_i8_opt_pack(mote_context *ctx, mote_node *node);
mote_status conv2d_i8_opt_eval(mote_context *ctx, mote_node *node);
mote_status conv2d_eval_hybrid(mote_context *ctx, mote_node *node);

/* The optimized float32 path (conv2d_f32_opt.c): chosen in prepare (after the shapes) when
 * optimized kernels are on and the node fits (sets d->f32opt.path), packed in pack, run in
 * eval. */
mote_status conv2d_f32_opt_prepare(mote_context *ctx, mote_node *node, conv2d_data *d);
mote_status conv2d_f32_opt_pack(mote_context *ctx, mote_node *node);
mote_status conv2d_f32_opt_eval(mote_context *ctx, mote_node *node);

/* The operator itself: a fusing kernel checks that a node is this one before reading its data. */
extern const mote_op mote_op_conv2d;

#endif /* MOTE_KERNELS_CONV2D_H */
