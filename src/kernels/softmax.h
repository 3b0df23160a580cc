/* softmax.h — the per-node data of SOFTMAX and LOG_SOFTMAX (softmax*.c) and the quantized
 * kernels of softmax_quant.c. */
#ifndef MOTE_KERNELS_SOFTMAX_H
#define MOTE_KERNELS_SOFTMAX_H

#include "kernels/kernel.h"
#include "kernels/quant_lut.h"

typedef struct softmax_data {
    float beta;       /* SOFTMAX: logits are scaled by beta before exp (1 for LOG_SOFTMAX) */
    size_t rows;      /* product of all dimensions but the last (set in prepare) */
    size_t depth;     /* size of the last dimension, the one normalized */
    /* Quantized constants (set in prepare): */
    int32_t input_multiplier;   /* rescales input - row max (8-bit: onto Q5.26; int16: onto the exp table) */
    int32_t input_shift;        /* its exponent (8-bit: a left shift >= 0) */
    int32_t diff_min;           /* 8-bit: smaller differences contribute nothing */
    int32_t reverse_multiplier; /* LOG_SOFTMAX: Q5.26 back onto input units */
    int32_t reverse_shift;      /* its exponent (<= 0) */
    int16_t exp_lut[QUANT_LUT_I16_SIZE];          /* int16 SOFTMAX: exp(x), x in [-10, 0] */
    int16_t one_over_one_plus_x_lut[QUANT_LUT_I16_SIZE]; /* int16 SOFTMAX: 1 / (1 + x), x in [0, 1] */
} softmax_data;

/* Checks the quantized types and output parameters TensorFlow Lite requires and derives the
 * constants: SOFTMAX int8 -> int8/int16, uint8 -> uint8/int16, int16 -> int16; LOG_SOFTMAX
 * int8 -> int8, uint8 -> uint8. */
mote_status softmax_quant_prepare(mote_context *ctx, const mote_node *node, softmax_data *d, const mote_tensor *in,
                                  const mote_tensor *out);
void softmax_quant_eval(int32_t code, const softmax_data *d, const mote_tensor *in, mote_tensor *out);

#endif /* MOTE_KERNELS_SOFTMAX_H */
