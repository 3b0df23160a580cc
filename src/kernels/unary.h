/* unary.h — the element-wise math operators (unary.c) and their quantized int8/int16 paths
 * (unary_quant.c), which TensorFlow Lite computes with rescaling multipliers, lookup
 * tables or float math per element. */
#ifndef MOTE_KERNELS_UNARY_H
#define MOTE_KERNELS_UNARY_H

#include "kernels/kernel.h"
#include "kernels/quant_lut.h"

/* How a quantized input becomes a quantized output. */
typedef enum unary_quant_path {
    UQ_ABS,      /* |x - in_zp| rescaled (multiplier when the scales differ) */
    UQ_RSQRT_I8, /* integer inverse square root, then rescaled */
    UQ_SQRT,     /* dequantize, sqrtf, requantize by truncation (as TensorFlow Lite) */
    UQ_LUT_I8,   /* 256-entry table (EXP, LOG) */
    UQ_LUT_I16   /* 513-entry interpolated table (EXP, LOG, RSQRT) */
} unary_quant_path;

typedef struct unary_quant {
    unary_quant_path path;
    int32_t in_zero_point, out_zero_point;
    float in_scale, out_scale;
    int rescale;        /* ABS: the scales differ */
    int32_t multiplier; /* ABS, RSQRT: output rescale (Q31) */
    int shift;          /* and its exponent */
    int check_domain;   /* RSQRT, SQRT: inputs below the zero point are an error */
    union {
        int8_t i8[256];
        int16_t i16[QUANT_LUT_I16_SIZE];
    } lut;
} unary_quant;

/* Prepare for an int8 or quantized int16 input of operator `code`: checks the quantization
 * and fills q. Fails (naming the tensors) where TensorFlow Lite refuses. */
mote_status unary_quant_prepare(mote_context *ctx, const mote_node *node, int32_t code, const mote_tensor *in,
                                const mote_tensor *out, unary_quant *q);

/* Eval: n elements of in (int8 or int16) to out; fails with MOTE_ERROR_RUNTIME on an input
 * outside the operator's domain (RSQRT and SQRT of negative values). */
mote_status unary_quant_eval(mote_context *ctx, const mote_node *node, const unary_quant *q, mote_type type,
                             const void *in, void *out, size_t n);

#endif /* MOTE_KERNELS_UNARY_H */
