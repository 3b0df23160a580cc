/* lstm_fixed16.h — gemmlowp's fixed-point logistic and tanh on int16 raw values, which
 * TensorFlow Lite's integer LSTM applies to its Q3.12 gates and its cell state, and the
 * inverse square root its integer layer normalization uses.
 *
 * A value "in Qn" (n integer bits) here is an int16 r standing for r / 2^(15 - n). The
 * algorithms are those of quant_fixed_point.h (the int32 versions), evaluated in 16 bits
 * the way gemmlowp's int16 instantiation does it: constants are the int32 ones rounded
 * by 2^16, products are the 16-bit rounding doubling high multiply, plain additions wrap
 * at 16 bits (done here explicitly), and the last addition of exp saturates. */
#ifndef MOTE_KERNELS_LSTM_FIXED16_H
#define MOTE_KERNELS_LSTM_FIXED16_H

#include "kernels/quant_fixed_point.h"

static inline int16_t fx16_add(int16_t a, int16_t b) { return quant_wrap_i16((int32_t)a + b); }
static inline int16_t fx16_sub(int16_t a, int16_t b) { return quant_wrap_i16((int32_t)a - b); }
static inline int16_t fx16_neg(int16_t a) { return quant_wrap_i16(-(int32_t)a); }
static inline int16_t fx16_mul(int16_t a, int16_t b) { return quant_srdhm_i16(a, b); }

/* An int32 fixed-point constant moved to 16 bits (gemmlowp's RescaleConstantInitializer). */
static inline int16_t fx16_const(int32_t raw32) { return (int16_t)quant_rdbpot_i32(raw32, 16); }

/* x / 2^exponent rounded to nearest, halves away from zero (0 <= exponent <= 15). */
static inline int16_t fx16_rdbpot(int16_t x, int exponent) {
    return (int16_t)quant_rdbpot_i32(x, exponent);
}

/* x * 2^exponent: saturating for exponent > 0, rounding for exponent < 0. */
static inline int16_t fx16_sat_round_mul_pot(int16_t x, int exponent) {
    if (exponent == 0) return x;
    if (exponent < 0) return fx16_rdbpot(x, -exponent);
    const int32_t threshold = (1 << (15 - exponent)) - 1;
    if (x > threshold) return INT16_MAX;
    if (x < -threshold) return INT16_MIN;
    return (int16_t)(x * (1 << exponent));
}

/* exp(a) for a in [-1/4, 0), a and the result in Q0. */
static inline int16_t fx16_exp_on_interval_between_negative_one_quarter_and_0_excl(int16_t a) {
    const int16_t constant_term = fx16_const(1895147668);  /* exp(-1/8) */
    const int16_t constant_1_over_3 = fx16_const(715827883);
    const int16_t x = fx16_add(a, (int16_t)(1 << 12));      /* a + 1/8 */
    const int16_t x2 = fx16_mul(x, x);
    const int16_t x3 = fx16_mul(x2, x);
    const int16_t x4 = fx16_mul(x2, x2);
    const int16_t x4_over_4 = fx16_rdbpot(x4, 2);
    const int16_t poly =
        fx16_rdbpot(fx16_add(fx16_mul(fx16_add(x4_over_4, x3), constant_1_over_3), x2), 1);
    return quant_sat_add_i16(constant_term, fx16_mul(constant_term, fx16_add(x, poly)));
}

/* exp(a) for a <= 0 in Q(integer_bits) (0..14), the result in Q0. */
static inline int16_t fx16_exp_on_negative_values(int16_t a, int integer_bits) {
    const int fractional_bits = 15 - integer_bits;
    const int16_t one_quarter = (int16_t)(1 << (fractional_bits - 2));
    const int16_t mask = (int16_t)(one_quarter - 1);
    const int16_t a_mod_quarter_minus_one_quarter = fx16_sub((int16_t)(a & mask), one_quarter);
    int16_t result = fx16_exp_on_interval_between_negative_one_quarter_and_0_excl(
        fx16_sat_round_mul_pot(a_mod_quarter_minus_one_quarter, integer_bits));
    const int16_t remainder = fx16_sub(a_mod_quarter_minus_one_quarter, a);
    /* exp(-2^k) for k = -2 .. 4, as int32 constants (rounded to 16 bits when used). */
    static const int32_t exp_neg_pow2[7] = {1672461947, 1302514674, 790015084, 290630308,
                                            39332535,   720401,     242};
    for (int k = -2; k <= 4; k++) {
        if (integer_bits > k && (remainder & (1 << (fractional_bits + k))))
            result = fx16_mul(result, fx16_const(exp_neg_pow2[k + 2]));
    }
    if (integer_bits > 5) {
        const int16_t clamp = fx16_const(-(int32_t)(INT64_C(1) << (36 - integer_bits))); /* -32 */
        if (a < clamp) result = 0;
    }
    if (a == 0) result = INT16_MAX;
    return result;
}

/* The Newton-Raphson reciprocal shared by the two functions below: ~1 / half_denominator
 * in Q2, half_denominator = (a + 1) / 2 in Q0. */
static inline int16_t fx16_newton_reciprocal_q2(int16_t half_denominator) {
    const int16_t constant_48_over_17 = fx16_const(1515870810);
    const int16_t constant_neg_32_over_17 = fx16_const(-1010580540);
    const int16_t one_q2 = (int16_t)(1 << 13);
    int16_t x = fx16_add(constant_48_over_17, fx16_mul(half_denominator, constant_neg_32_over_17));
    for (int i = 0; i < 3; i++) {
        const int16_t half_denominator_times_x = fx16_mul(half_denominator, x);
        const int16_t one_minus = fx16_sub(one_q2, half_denominator_times_x);
        x = fx16_add(x, fx16_sat_round_mul_pot(fx16_mul(x, one_minus), 2)); /* Q4 -> Q2 */
    }
    return x;
}

/* 1 / (1 + a) for a in [0, 1), both in Q0. */
static inline int16_t fx16_one_over_one_plus_x_for_x_in_0_1(int16_t a) {
    const int16_t x = fx16_newton_reciprocal_q2(quant_rounding_half_sum_i16(a, INT16_MAX));
    return fx16_sat_round_mul_pot(x, 1); /* x / 2 read as Q1, then to Q0 */
}

/* (1 - a) / (1 + a) for a in [0, 1), both in Q0. */
static inline int16_t fx16_one_minus_x_over_one_plus_x_for_x_in_0_1(int16_t a) {
    const int16_t x = fx16_newton_reciprocal_q2(quant_rounding_half_sum_i16(a, INT16_MAX));
    return fx16_sat_round_mul_pot(fx16_sub(x, (int16_t)(1 << 13)), 2);
}

/* logistic(a), a in Q(integer_bits), the result in Q0 (1/2 at 0). */
static inline int16_t fx16_logistic(int16_t a, int integer_bits) {
    if (a == 0) return fx16_const(1 << 30);
    const int16_t abs_a = a > 0 ? a : fx16_neg(a);
    const int16_t positive =
        fx16_one_over_one_plus_x_for_x_in_0_1(fx16_exp_on_negative_values(fx16_neg(abs_a), integer_bits));
    return a > 0 ? positive : fx16_sub(INT16_MAX, positive);
}

/* tanh(a), a in Q(integer_bits) (0..13), the result in Q0. */
static inline int16_t fx16_tanh(int16_t a, int integer_bits) {
    if (a == 0) return 0;
    const int16_t n = a < 0 ? a : fx16_neg(a);
    /* exp(2n): the same raw value read with one more integer bit. */
    const int16_t t =
        fx16_one_minus_x_over_one_plus_x_for_x_in_0_1(fx16_exp_on_negative_values(n, integer_bits + 1));
    return a < 0 ? fx16_neg(t) : t;
}

#endif /* MOTE_KERNELS_LSTM_FIXED16_H */
