/* arithmetic.h — what the elementwise binary kernels (arithmetic*.c) share: the quantized
 * parameters of ADD, SUB, MUL, DIV and SQUARED_DIFFERENCE on int8, uint8 and int16, derived
 * and applied exactly as TensorFlow Lite's reference kernels do, and the clamp ranges of
 * fused activations on plain integers. */
#ifndef MOTE_KERNELS_ARITHMETIC_H
#define MOTE_KERNELS_ARITHMETIC_H

#include "kernels/kernel.h"
#include "kernels/quant.h"

/* Per-node constants of a quantized binary op (set in prepare). */
typedef struct arith_quant {
    int32_t pot_int16;         /* ADD/SUB: int16 power-of-two path (zero points 0, POT scales) */
    int32_t input1_offset;     /* minus input 0's zero point */
    int32_t input2_offset;     /* minus input 1's zero point */
    int32_t output_offset;     /* the output's zero point */
    int32_t left_shift;        /* ADD/SUB/SQUARED_DIFFERENCE: inputs are first scaled by 2^left_shift */
    int32_t input1_multiplier; /* Q0.31 rescaling of input 0 (ADD/SUB/SQUARED_DIFFERENCE) */
    int32_t input2_multiplier; /* ... of input 1 */
    int32_t output_multiplier; /* Q0.31 rescaling of the raw result */
    int32_t input1_shift;      /* exponents of the three multipliers; for the int16 POT path, */
    int32_t input2_shift;      /* the (non-positive) shifts of the inputs onto the output scale */
    int32_t output_shift;
    int32_t act_min, act_max;  /* fused activation clamp in the output's quantized domain */
} arith_quant;

/* The quantized range of an int8, uint8 or int16 type. */
void arith_type_range(mote_type type, int32_t *qmin, int32_t *qmax);

/* Checks the quantization of a, b and out (same type, one of int8/uint8/int16) and derives
 * the constants for code (MOTE_OP_ADD, SUB, MUL, DIV or SQUARED_DIFFERENCE). pot_scale_int16
 * is the ADD/SUB option of that name. */
mote_status arith_quant_prepare(mote_context *ctx, const mote_node *node, int32_t code, int32_t activation,
                                int32_t pot_scale_int16, const mote_tensor *a, const mote_tensor *b,
                                const mote_tensor *out, arith_quant *q);

/* Computes out = a (op) b with broadcasting, on the tensors prepared above. */
void arith_quant_eval(int32_t code, const arith_quant *q, const mote_tensor *a, const mote_tensor *b,
                      mote_tensor *out);

/* CalculateActivationRange for plain int32/int64: NONE is the type's range, RELU [0, max],
 * RELU6 [0, 6], RELU_N1_TO_1 [-1, 1]. */
void arith_activation_range_i64(int32_t activation, int64_t type_min, int64_t type_max, int64_t *lo,
                                int64_t *hi);

#endif /* MOTE_KERNELS_ARITHMETIC_H */
