/* activations.h — the per-node data of the elementwise activations (activations*.c) and the
 * quantized kernels that live in activations_lut.c. */
#ifndef MOTE_KERNELS_ACTIVATIONS_H
#define MOTE_KERNELS_ACTIVATIONS_H

#include "kernels/kernel.h"
#include "kernels/quant.h"

/* HardSwishParams: 16-bit fixed-point multipliers of the quantized HARD_SWISH. */
typedef struct hard_swish_params {
    int32_t input_zero_point, output_zero_point;
    int16_t output_multiplier;         /* input on the "hires" scale (x 128) onto the output */
    int32_t output_multiplier_exponent;/* <= 0 */
    int16_t reluish_multiplier;        /* hires input onto [-3, 3] ~ [-32768, 32767] */
    int32_t reluish_multiplier_exponent;
} hard_swish_params;

typedef struct activation_data {
    float alpha;                /* LEAKY_RELU: slope for negative inputs */
    int32_t approximate;        /* GELU: 1 for the tanh approximation, 0 for the exact erf form */
    /* Quantized constants (set in prepare): */
    int32_t input_zero_point, output_zero_point;
    int32_t alpha_zero_point;   /* PRELU: the slope tensor's zero point */
    int32_t multiplier, shift;  /* RELU family and LEAKY_RELU (x >= 0): input scale onto output */
    int32_t alpha_multiplier, alpha_shift; /* LEAKY_RELU, x < 0: input scale * alpha onto output */
    int32_t act_min, act_max;   /* RELU family: the clamp in the output's quantized domain */
    int32_t i16_multiplier, i16_left_shift; /* int16 LOGISTIC/TANH input rescaling */
    hard_swish_params hard_swish;
    uint8_t lut[256];           /* 8-bit LOGISTIC/TANH/ELU/GELU: output byte for each input byte */
} activation_data;

/* LOGISTIC, TANH, ELU, GELU and HARD_SWISH on int8/uint8 (and int16 LOGISTIC/TANH): checks
 * the output's quantization where TensorFlow Lite requires one and builds the tables or
 * multipliers. Called with in/out of the same quantized type. */
mote_status activation_lut_prepare(mote_context *ctx, const mote_node *node, activation_data *d,
                                   const mote_tensor *in, const mote_tensor *out);
void activation_lut_eval(int32_t code, const activation_data *d, const mote_tensor *in, mote_tensor *out);

#endif /* MOTE_KERNELS_ACTIVATIONS_H */
