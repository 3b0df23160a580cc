/* fully_connected.h — FULLY_CONNECTED's per-node data, shared by fully_connected.c
 * (options, shapes, float32), fully_connected_quant.c (int8, uint8, int16x8) and
 * fully_connected_hybrid.c (float32 activations with int8 or blockwise int4 weights). */
#ifndef MOTE_KERNELS_FULLY_CONNECTED_H
#define MOTE_KERNELS_FULLY_CONNECTED_H

#include "kernels/conv_quant.h"
#include "kernels/gemm_f32.h"
#include "kernels/gemm_i8.h"

enum { FC_IN_INPUT = 0, FC_IN_WEIGHTS = 1, FC_IN_BIAS = 2 };

/* Which arithmetic prepare chose. */
typedef enum fc_kind {
    FC_F32 = 0,     /* float32 input and weights */
    FC_INT8,        /* int8 activations, int8 weights (per channel, or per tensor with a zero point) */
    FC_UINT8,       /* uint8 activations and weights, per tensor, zero points */
    FC_INT16,       /* int16 activations (zero point 0), int8 weights */
    FC_HYBRID_I8,   /* float32 input, int8 weights */
    FC_BLOCKWISE_I4 /* float32 input, int4 weights with float16 scales per block of inputs */
} fc_kind;

typedef struct fc_data {
    int32_t activation;       /* ActivationFunctionType */
    int32_t keep_num_dims;    /* output keeps the input's leading dims */
    int32_t asymmetric_input; /* hybrid: quantize input rows with a zero point */
    int32_t bias_type_option; /* quantized_bias_type (TensorType; float32 when unset) */
    /* Set in prepare: */
    int32_t kind; /* fc_kind */
    int32_t batches, input_size, output_size;
    conv_quant q;                 /* integer kinds: offsets, clamp, accumulator width */
    double input_scale;           /* integer kinds: the input's scale */
    double output_scale;          /* integer kinds: the output's scale */
    const float *weight_scales;   /* integer kinds: [1] or [output_size] scales of the weights */
    int32_t weight_scale_count;   /* integer kinds: 1 (per tensor) or output_size */
    float weight_scale;           /* hybrid, per-tensor weights */
    const float *channel_scales;  /* hybrid, per-channel weights: [output_size], else NULL */
    int32_t block_size;           /* blockwise: inputs per scale */
    const uint16_t *block_scales; /* blockwise: [output_size, input_size / block_size] float16 */
    int32_t scratch;              /* hybrid, blockwise: [input_size] int8, one quantized input row */
    gemm_i8_plan i8opt;           /* int8/uint8: the optimized path (isa 0: the reference kernel) */
    fc_f32_plan f32opt;           /* float32: the optimized path (enabled 0: the reference kernel) */
} fc_data;

/* Integer kinds: checks quantization and bias, fills d->q. Shapes known. */
mote_status fc_prepare_quant(mote_context *ctx, mote_node *node, const mote_tensor *in, const mote_tensor *w,
                             const mote_tensor *bias, const mote_tensor *out);
mote_status fc_eval_quant(mote_context *ctx, mote_node *node);
/* Pack of the integer kinds: the optimized path's packed weights (nothing otherwise). */
mote_status fc_pack_quant(mote_context *ctx, mote_node *node);

/* The optimized int8/uint8 path (fully_connected_i8_opt.c): chosen in prepare when optimized
 * kernels are on and the node fits (sets d->i8opt.isa), packed in pack, run in eval. */
mote_status fc_i8_opt_prepare(mote_context *ctx, mote_node *node, const mote_tensor *in, const mote_tensor *w,
                              const mote_tensor *bias);
mote_status fc_i8_opt_pack(mote_context *ctx, mote_node *node);
mote_status fc_i8_opt_eval(mote_context *ctx, mote_node *node);

/* Hybrid kinds (float32 input, quantized weights): checks the weights' quantization, the
 * float32 bias and output, requests scratch. */
mote_status fc_prepare_hybrid(mote_context *ctx, mote_node *node, const mote_tensor *in, const mote_tensor *w,
                              const mote_tensor *bias, const mote_tensor *out);
mote_status fc_eval_hybrid(mote_context *ctx, mote_node *node);

#endif /* MOTE_KERNELS_FULLY_CONNECTED_H */
