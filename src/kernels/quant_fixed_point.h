/* quant_fixed_point.h — gemmlowp's fixed-point math on raw int32 values, as TensorFlow
 * Lite's reference SOFTMAX, LOG_SOFTMAX, LSTM and TensorFlow Lite Micro's LOGISTIC/TANH use
 * it: exp on negative values, 1/(1+x), (1-x)/(1+x), logistic, tanh, Rescale, GetReciprocal.
 *
 * A value "in Qn" (n integer bits) is a raw int32 r standing for r / 2^(31 - n), so Q0 spans
 * [-1, 1). Products of Qa and Qb values (quant_srdhm_i32) are in Q(a+b). Additions follow
 * gemmlowp: plain two's-complement adds (wrapping here instead of undefined), where the
 * algorithms keep values in range. The integer-bit counts are arguments; callers pass
 * constants, so inlining folds the branches away. Results are bit-identical to gemmlowp's
 * scalar int32 code. */
#ifndef MOTE_KERNELS_QUANT_FIXED_POINT_H
#define MOTE_KERNELS_QUANT_FIXED_POINT_H

#include "kernels/quant.h"

/* One in Q0 (the largest value, 1 - 2^-31) and in Qn for n > 0 (exactly 2^(31-n)). */
static inline int32_t quant_fp_one(int integer_bits) {
    return integer_bits == 0 ? INT32_MAX : (int32_t)(INT64_C(1) << (31 - integer_bits));
}

/* Rescale: the same value moved from Q(src_bits) to Q(dst_bits), rounding (to fewer
 * fractional bits) or saturating (to more), as gemmlowp's SaturatingRoundingMultiplyByPOT. */
static inline int32_t quant_fp_rescale(int32_t x, int src_bits, int dst_bits) {
    return quant_sat_round_mul_pot_i32(x, src_bits - dst_bits);
}

/* exp(a) for a in [-1/4, 0), a and the result in Q0: a 4th-order Taylor expansion around
 * -1/8 (gemmlowp's exp_on_interval_between_negative_one_quarter_and_0_excl). */
static inline int32_t quant_fp_exp_on_interval_between_negative_one_quarter_and_0_excl(int32_t a) {
    const int32_t constant_term = 1895147668; /* exp(-1/8) */
    const int32_t constant_1_over_3 = 715827883;
    int32_t x = quant_wrap_add_i32(a, 1 << 28); /* x = a + 1/8 */
    int32_t x2 = quant_srdhm_i32(x, x);
    int32_t x3 = quant_srdhm_i32(x2, x);
    int32_t x4 = quant_srdhm_i32(x2, x2);
    int32_t x4_over_4 = quant_rdbpot_i32(x4, 2);
    int32_t poly = quant_rdbpot_i32(
        quant_wrap_add_i32(quant_srdhm_i32(quant_wrap_add_i32(x4_over_4, x3), constant_1_over_3), x2), 1);
    return quant_wrap_add_i32(constant_term, quant_srdhm_i32(constant_term, quant_wrap_add_i32(x, poly)));
}

/* exp(a) for a <= 0, a in Q(integer_bits) (0..29), the result in Q0 (gemmlowp's
 * exp_on_negative_values): exp of a mod 1/4 by the polynomial, then one multiplication by
 * exp(-2^k) for each set bit k of the rest; inputs below -32 give 0, a == 0 gives Q0's one.
 * The error stays within a few units of 2^-31 per multiplication (see the unit tests). */
static inline int32_t quant_fp_exp_on_negative_values(int32_t a, int integer_bits) {
    const int fractional_bits = 31 - integer_bits;
    const int32_t one_quarter = (int32_t)1 << (fractional_bits - 2);
    int32_t mask = one_quarter - 1;
    int32_t a_mod_quarter_minus_one_quarter = quant_wrap_sub_i32(a & mask, one_quarter);
    int32_t result = quant_fp_exp_on_interval_between_negative_one_quarter_and_0_excl(
        quant_fp_rescale(a_mod_quarter_minus_one_quarter, integer_bits, 0));
    int32_t remainder = quant_wrap_sub_i32(a_mod_quarter_minus_one_quarter, a);

    /* exp(-2^k) in Q0 for k = -2 .. 4; bits of the remainder at or above 2^5 only occur
     * below -32, handled by the clamp. */
    static const int32_t exp_neg_pow2[7] = {1672461947, 1302514674, 790015084, 290630308,
                                            39332535,   720401,     242};
    for (int k = -2; k <= 4; k++) {
        if (integer_bits > k) {
            int bit = fractional_bits + k;
            if (remainder & (int32_t)(UINT32_C(1) << bit))
                result = quant_srdhm_i32(result, exp_neg_pow2[k + 2]);
        }
    }
    if (integer_bits > 5) {
        /* -32 in Q(integer_bits) */
        int32_t clamp = -(int32_t)(INT64_C(1) << (36 - integer_bits));
        if (a < clamp) result = 0;
    }
    if (a == 0) result = INT32_MAX;
    return result;
}

/* Newton-Raphson iterations for 1 / (1 + a) shared by the two functions below: returns
 * x ~= 1 / half_denominator in Q2, where half_denominator = (a + 1) / 2 in Q0. */
static inline int32_t quant_fp_newton_reciprocal_q2(int32_t half_denominator) {
    const int32_t constant_48_over_17 = 1515870810;      /* Q2 */
    const int32_t constant_neg_32_over_17 = -1010580540; /* Q2 */
    const int32_t one_q2 = 1 << 29;
    int32_t x =
        quant_wrap_add_i32(constant_48_over_17, quant_srdhm_i32(half_denominator, constant_neg_32_over_17));
    for (int i = 0; i < 3; i++) {
        int32_t half_denominator_times_x = quant_srdhm_i32(half_denominator, x); /* Q2 */
        int32_t one_minus_half_denominator_times_x = quant_wrap_sub_i32(one_q2, half_denominator_times_x);
        int32_t correction = quant_srdhm_i32(x, one_minus_half_denominator_times_x); /* Q4 */
        x = quant_wrap_add_i32(x, quant_fp_rescale(correction, 4, 2));
    }
    return x;
}

/* 1 / (1 + a) for a in [0, 1), both in Q0 (gemmlowp's one_over_one_plus_x_for_x_in_0_1). */
static inline int32_t quant_fp_one_over_one_plus_x_for_x_in_0_1(int32_t a) {
    int32_t half_denominator = quant_rounding_half_sum_i32(a, INT32_MAX);
    int32_t x = quant_fp_newton_reciprocal_q2(half_denominator);
    /* x / 2 is the same raw value read as Q1; then back to Q0. */
    return quant_fp_rescale(x, 1, 0);
}

/* (1 - a) / (1 + a) for a in [0, 1), both in Q0 (gemmlowp's
 * one_minus_x_over_one_plus_x_for_x_in_0_1). */
static inline int32_t quant_fp_one_minus_x_over_one_plus_x_for_x_in_0_1(int32_t a) {
    int32_t half_denominator = quant_rounding_half_sum_i32(a, INT32_MAX);
    int32_t x = quant_fp_newton_reciprocal_q2(half_denominator);
    return quant_fp_rescale(quant_wrap_sub_i32(x, 1 << 29), 2, 0);
}

/* tanh(a), a in Q(integer_bits) (0..28), the result in Q0: -tanh(-|a|) computed as
 * (1 - exp(-2|a|)) / (1 + exp(-2|a|)), exp reading the same raw value in one more integer
 * bit (gemmlowp's tanh). */
static inline int32_t quant_fp_tanh(int32_t a, int integer_bits) {
    if (a == 0) return 0;
    bool negative = a < 0;
    int32_t n = negative ? a : quant_wrap_neg_i32(a);
    int32_t t = quant_fp_one_minus_x_over_one_plus_x_for_x_in_0_1(
        quant_fp_exp_on_negative_values(n, integer_bits + 1));
    return negative ? quant_wrap_neg_i32(t) : t;
}

/* logistic(a) = 1 / (1 + exp(-a)), a in Q(integer_bits) (0..29), the result in Q0 (gemmlowp's
 * logistic): computed for |a| and reflected as 1 - y for negative a; 1/2 at a == 0. */
static inline int32_t quant_fp_logistic(int32_t a, int integer_bits) {
    if (a == 0) return 1 << 30;
    bool positive = a > 0;
    int32_t abs_input = positive ? a : quant_wrap_neg_i32(a);
    int32_t result_if_positive = quant_fp_one_over_one_plus_x_for_x_in_0_1(
        quant_fp_exp_on_negative_values(quant_wrap_neg_i32(abs_input), integer_bits));
    return positive ? result_if_positive : quant_wrap_sub_i32(INT32_MAX, result_if_positive);
}

/* GetReciprocal: for x > 0 in Q(x_integer_bits), returns r in Q0 and sets
 * *num_bits_over_unit so that 1/x ~= r * 2^-num_bits_over_unit: x is normalized to
 * 1 + f with f in [0, 1) by its leading zeros, and r = 1 / (1 + f). */
static inline int32_t quant_fp_reciprocal(int32_t x, int x_integer_bits, int *num_bits_over_unit) {
    int headroom_plus_one = quant_clz32((uint32_t)x);
    *num_bits_over_unit = x_integer_bits - headroom_plus_one;
    /* x == 0 is outside the domain; shifting by 32 there is undefined in C, so use 0. */
    uint32_t normalized = headroom_plus_one < 32 ? (uint32_t)x << headroom_plus_one : 0;
    int32_t shifted_sum_minus_one = quant_wrap_i32((int64_t)normalized - (INT64_C(1) << 31));
    return quant_fp_one_over_one_plus_x_for_x_in_0_1(shifted_sum_minus_one);
}

/* log(x) for x >= 1 (in practice down to the smallest positive input), x in
 * Q(input_integer_bits), the result in Q(output_integer_bits) (TensorFlow Lite's
 * log_x_for_x_greater_than_or_equal_to_1, used by the quantized LOG_SOFTMAX): x is split into
 * a power of two z (chosen, from x and x / sqrt(2), so the rest r lies near [sqrt(1/2), 1))
 * and log(r) by a rational approximation around 2^(-1/4); the sum is accumulated with one
 * extra integer bit. Needs x > 0 and output_integer_bits <= 29. */
static inline int32_t quant_fp_log_x_for_x_greater_than_or_equal_to_1(int32_t x, int input_integer_bits,
                                                                      int output_integer_bits) {
    const int accum_bits = output_integer_bits + 1;
    const int32_t log_2 = 1488522236;          /* log(2) in Q0 */
    const int32_t sqrt_sqrt_half = 1805811301; /* 2^(-1/4) */
    const int32_t sqrt_half = 1518500250;      /* 2^(-1/2) */
    const int32_t one_quarter = 536870912;
    const int32_t alpha_n = 117049297;         /* 11/240 * 2^(1/4) */
    const int32_t alpha_d = 127690142;         /* 1/20 * 2^(1/4) */
    const int32_t alpha_i = 1057819769;        /* 2 / 2^(1/4) - 2^(1/4) */
    const int32_t alpha_f = 638450708;         /* 1/4 * 2^(1/4) */
    const int32_t shifted_quarter = quant_fp_rescale(one_quarter, 0, accum_bits);

    /* x read as Q0; its normalization gives the power of two (z_a), or that of x / sqrt(2)
     * (z_b); the larger adjusted exponent and the smaller mantissa are kept. */
    int z_a_headroom_plus_1 = quant_clz32((uint32_t)x);
    int32_t r_a_tmp = quant_sat_round_mul_pot_i32(x, z_a_headroom_plus_1 - 1);
    int32_t r_a = quant_sat_round_mul_pot_i32(quant_srdhm_i32(r_a_tmp, sqrt_half), 1);
    int32_t z_a_pow_2_adj = quant_sat_add_i32(
        quant_sat_round_mul_pot_i32(input_integer_bits - z_a_headroom_plus_1, 31 - accum_bits), shifted_quarter);
    int32_t z_b = quant_srdhm_i32(x, sqrt_half);
    int z_b_headroom = quant_clz32((uint32_t)z_b) - 1;
    int32_t r_b = quant_sat_round_mul_pot_i32(x, z_b_headroom);
    int32_t z_b_pow_2_adj = quant_sat_sub_i32(
        quant_sat_round_mul_pot_i32(input_integer_bits - z_b_headroom, 31 - accum_bits), shifted_quarter);
    int32_t r = r_a < r_b ? r_a : r_b;
    int32_t z_pow_2_adj = z_a_pow_2_adj > z_b_pow_2_adj ? z_a_pow_2_adj : z_b_pow_2_adj;

    /* log(r) ~= num / (1 + denom_minus_one), in terms of q = 2 (r - 2^(-1/4)). */
    int32_t p = quant_rounding_half_sum_i32(r, sqrt_sqrt_half);
    int32_t q = quant_wrap_sub_i32(r, sqrt_sqrt_half);
    q = quant_wrap_add_i32(q, q);
    int32_t common_sq = quant_srdhm_i32(q, q);
    int32_t num = quant_wrap_add_i32(quant_srdhm_i32(q, r), quant_srdhm_i32(quant_srdhm_i32(q, common_sq), alpha_n));
    int32_t denom_minus_one = quant_wrap_add_i32(
        quant_srdhm_i32(p, quant_wrap_add_i32(quant_wrap_add_i32(alpha_i, q), quant_srdhm_i32(alpha_d, common_sq))),
        quant_srdhm_i32(alpha_f, q));
    int32_t recip_denom = quant_fp_one_over_one_plus_x_for_x_in_0_1(denom_minus_one);
    int32_t num_scaled = quant_fp_rescale(num, 0, accum_bits);
    int32_t sum = quant_wrap_add_i32(quant_srdhm_i32(z_pow_2_adj, log_2), quant_srdhm_i32(num_scaled, recip_denom));
    return quant_fp_rescale(sum, accum_bits, output_integer_bits);
}

/* 1 / sqrt(input) for input >= 0 as a Q31 multiplier m and a left shift (<= 0) for
 * quant_multiply_by_quantized_multiplier, as TensorFlow Lite's
 * GetInvSqrtQuantizedMultiplierExp with reverse_shift -1 computes it: the input is
 * normalized by pairs of bits into [2^27, 2^29) and read as Q3.28; five Newton-Raphson
 * steps x <- 1.5x - (input/2) x^3 from x = 1 in Q3; then the bits moved are given back
 * (half of them, through the square root), the odd half bit folded in by sqrt(2)/2.
 * Inputs 0 and 1 give (INT32_MAX, 0). Used by int8 RSQRT, L2_NORMALIZATION and the
 * integer LSTM's layer norm. */
static inline void quant_inv_sqrt_multiplier(int32_t input, int32_t *m, int *shift) {
    if (input <= 1) {
        *m = INT32_MAX;
        *shift = 0;
        return;
    }
    int right = 11;
    while (input >= (1 << 29)) {
        input /= 4;
        right++;
    }
    const int pairs = (quant_clz32((uint32_t)input) - 1) / 2 - 1;
    right -= pairs;
    input = (int32_t)((uint32_t)input << (2 * pairs));
    const int32_t half_input = quant_rdbpot_i32(input >> 1, 1); /* Q3 */
    const int32_t three_halves = (1 << 28) + (1 << 27);        /* 1.5 in Q3 */
    int32_t x = 1 << 28;                                        /* 1 in Q3 */
    for (int i = 0; i < 5; i++) {
        /* x^3 is Q9, the products below Q6; each is rescaled back to Q3. */
        const int32_t x3 = quant_fp_rescale(quant_srdhm_i32(quant_srdhm_i32(x, x), x), 9, 3);
        const int32_t next = quant_wrap_sub_i32(quant_srdhm_i32(three_halves, x), quant_srdhm_i32(half_input, x3));
        x = quant_fp_rescale(next, 6, 3);
    }
    x = quant_srdhm_i32(x, 1518500250); /* sqrt(2) / 2 in Q0 */
    if (right < 0) {
        x = quant_wrap_shl_i32(x, -right);
        right = 0;
    }
    *m = x;
    *shift = -right;
}

#endif /* MOTE_KERNELS_QUANT_FIXED_POINT_H */
