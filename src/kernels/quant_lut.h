/* quant_lut.h — lookup tables as TensorFlow Lite's reference kernels build and read them:
 * 256-entry tables for int8/uint8 LOGISTIC and TANH, 513-entry interpolated tables for
 * int16 SOFTMAX, and the sigmoid-table int16 LOGISTIC/TANH.
 *
 * What TensorFlow Lite's reference kernels (BuiltinRefOpResolver) do per type, which is
 * what Mote matches:
 *   LOGISTIC, TANH  int8/uint8: a 256-entry table filled in float (quant_lut_populate_i8/u8
 *                   with quant_logistic_f32 / quant_tanh_f32), not gemmlowp fixed point.
 *                   int16: quant_logistic_i16 / quant_tanh_i16 with the multiplier from
 *                   quant_logistic_tanh_i16_params (quant.h).
 *   SOFTMAX         int8/uint8: gemmlowp fixed point (quant_softmax_params_8bit,
 *                   quant_fixed_point.h). int16: quant_softmax_i16_luts and the
 *                   quant_softmax_i16_* steps below.
 * Tables filled in float depend on the C library's expf/tanhf/exp in their last bit; the
 * results only differ where a value lands within that bit of a rounding boundary. */
#ifndef MOTE_KERNELS_QUANT_LUT_H
#define MOTE_KERNELS_QUANT_LUT_H

#include <stddef.h>

#include "kernels/quant.h"

/* Entries of an int16 interpolated table: 512 segments and the end point. */
#define QUANT_LUT_I16_SIZE 513

/* ---- int8 / uint8 tables (LUTPopulate for 8-bit types) ---- */

/* lut[(uint8_t)q] = clamp((int32)(round(fn(in_scale * (q - in_zp)) * (1 / out_scale)) +
 * out_zp)) for every int8 q, in float: int8 values index the table through their uint8
 * bit pattern. */
void quant_lut_populate_i8(float in_scale, int32_t in_zp, float out_scale, int32_t out_zp, float (*fn)(float),
                           int8_t lut[256]);
/* The same for uint8 q, indexed directly. */
void quant_lut_populate_u8(float in_scale, int32_t in_zp, float out_scale, int32_t out_zp, float (*fn)(float),
                           uint8_t lut[256]);

static inline int8_t quant_lut_lookup_i8(int8_t q, const int8_t lut[256]) { return lut[(uint8_t)q]; }

/* The transforms TensorFlow Lite's LOGISTIC and TANH prepare tabulate: 1 / (1 + expf(-x))
 * and tanhf(x), in float. */
float quant_logistic_f32(float x);
float quant_tanh_f32(float x);

/* ---- int16 interpolated tables (LUTPopulateInt16 and LUTLookup) ---- */

/* Samples fn at 512 equal steps over the int16 input range [in_scale * (-32768 - in_zp),
 * in_scale * (32767 - in_zp)] (plus the end point), in output units (the int16 range mapped
 * onto [out_scale * (-32768 - out_zp), out_scale * (32767 - out_zp)]), each entry lowered by
 * half the rounded error that linear interpolation would make at the segment's midpoint.
 * The _f32 form computes in float, the _f64 form in double (TensorFlow Lite uses double
 * for the SOFTMAX tables). */
void quant_lut_populate_i16_f32(float in_scale, int32_t in_zp, float out_scale, int32_t out_zp,
                                float (*fn)(float), int16_t lut[QUANT_LUT_I16_SIZE]);
void quant_lut_populate_i16_f64(double in_scale, int32_t in_zp, double out_scale, int32_t out_zp,
                                double (*fn)(double), int16_t lut[QUANT_LUT_I16_SIZE]);

/* Reads an int16 table: segment (v >> 7) + 256, interpolated by the low 7 bits with
 * rounding (halves up); the slope and the sum wrap to 16 bits as in TensorFlow Lite. */
static inline int16_t quant_lut_lookup_i16(int16_t v, const int16_t lut[QUANT_LUT_I16_SIZE]) {
    int index = 256 + (v >> 7);
    int offset = v & 0x7f;
    int16_t base = lut[index];
    int16_t slope = quant_wrap_i16((int32_t)lut[index + 1] - lut[index]);
    int32_t delta = ((int32_t)slope * offset + 64) >> 7;
    return quant_wrap_i16(base + delta);
}

/* ---- tables of transforms with a parameter ----
 * TensorFlow Lite's LOG and int16 RSQRT tabulate closures (what log(x <= 0) gives depends on
 * the output scale); these take the transform with an argument, otherwise as above. */
typedef float (*quant_lut_fn_with)(float x, const void *arg);
void quant_lut_populate_i8_with(float in_scale, int32_t in_zp, float out_scale, int32_t out_zp,
                                quant_lut_fn_with fn, const void *arg, int8_t lut[256]);
void quant_lut_populate_i16_f32_with(float in_scale, int32_t in_zp, float out_scale, int32_t out_zp,
                                     quant_lut_fn_with fn, const void *arg,
                                     int16_t lut[QUANT_LUT_I16_SIZE]);

/* ---- int16 SOFTMAX (reference_ops::SoftmaxInt16) ---- */

/* The two tables TensorFlow Lite's int16 SOFTMAX prepare builds (in double): exp(x) for
 * x in [-10, 0] and 1 / (1 + x) for x in [0, 1], both onto the symmetric output range
 * [-1, 1] (so 1.0 is 32768, clamped to 32767). */
void quant_softmax_i16_luts(int16_t exp_lut[QUANT_LUT_I16_SIZE],
                            int16_t one_over_one_plus_x_lut[QUANT_LUT_I16_SIZE]);

/* The multiplier that maps input differences onto the exp table ([-65535, 0] ~ [-10, 0]):
 * quant_quantize_multiplier of (input_scale * beta, in float) / (10 / 65535), in double. */
bool quant_softmax_i16_multiplier(float input_scale, float beta, int32_t *m, int *shift);

/* exp(input - row max) in Q0.15: the difference rescaled (quant_multiply_by_quantized_
 * multiplier), moved to [-32768, 32767] by adding 32767 with saturation, looked up. */
static inline int16_t quant_softmax_i16_exp(int32_t input_diff, int32_t m, int shift,
                                            const int16_t exp_lut[QUANT_LUT_I16_SIZE]) {
    int32_t scaled_diff = quant_multiply_by_quantized_multiplier(input_diff, m, shift);
    int16_t sym = quant_sat_i16(quant_wrap_add_i32(scaled_diff, 32767));
    return quant_lut_lookup_i16(sym, exp_lut);
}

/* 1 / sum_of_exps for a row (sum of the Q0.15 exps, > 0): the sum normalized by its leading
 * zeros to [1, 2) in Q.14 (rounded), recentered onto the table's input, looked up. Returns
 * the reciprocal in Q0.15 and sets *right_shift for quant_softmax_i16_output. */
static inline int16_t quant_softmax_i16_reciprocal(int32_t sum_of_exps,
                                                   const int16_t one_over_one_plus_x_lut[QUANT_LUT_I16_SIZE],
                                                   int *right_shift) {
    int headroom_plus_one = quant_clz32((uint32_t)sum_of_exps);
    int normalize = headroom_plus_one >= 1 ? headroom_plus_one - 1 : 0;
    int64_t shifted = (int64_t)((uint64_t)(int64_t)sum_of_exps << normalize);
    int32_t shifted_sum = quant_wrap_i32((shifted + (1 << 13)) >> 14);
    /* 1/(1+x) takes x = sum - 1, recentered from [0, 65535] to [-32768, 32767]. */
    int16_t sym = quant_sat_i16(quant_wrap_sub_i32(shifted_sum, (1 << 15) + (1 << 16)));
    *right_shift = 31 - headroom_plus_one;
    return quant_lut_lookup_i16(sym, one_over_one_plus_x_lut);
}

/* One output: round(exp * reciprocal / 2^right_shift) (halves up), clamped to [0, 32767]. */
static inline int16_t quant_softmax_i16_output(int16_t exp_q15, int16_t reciprocal_q15, int right_shift) {
    int64_t round = right_shift > 0 ? (INT64_C(1) << (right_shift - 1)) : 0;
    int64_t product = (int64_t)exp_q15 * reciprocal_q15 + round;
    int32_t result = quant_wrap_i32(right_shift >= 0 ? product >> right_shift : product);
    return (int16_t)(result < 0 ? 0 : result > 32767 ? 32767 : result);
}

/* ---- int16 LOGISTIC / TANH (reference_integer_ops, sigmoid table) ---- */

/* out[i] = logistic(in[i]) in Q0.15 (or tanh in Q0.15): the input times multiplier,
 * rounding-shifted right by left_shift (both from quant_logistic_tanh_i16_params), then a
 * 256-entry sigmoid table interpolated linearly (tanh(x) = 2 sigmoid(2x) - 1). */
void quant_logistic_i16(const int16_t *in, int16_t *out, size_t n, int32_t multiplier, int32_t left_shift);
void quant_tanh_i16(const int16_t *in, int16_t *out, size_t n, int32_t multiplier, int32_t left_shift);

#endif /* MOTE_KERNELS_QUANT_LUT_H */
