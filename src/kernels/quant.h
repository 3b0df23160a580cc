/* quant.h — TensorFlow Lite's integer quantization arithmetic: Q31 multipliers and their
 * derivation, rounding multiplies and shifts, quantize/dequantize and activation clamps.
 *
 * Every function reproduces the arithmetic of TensorFlow Lite's reference kernels bit for
 * bit (its default "double rounding" build, which TensorFlow Lite Micro and CMSIS-NN match):
 * the same rounding modes, saturation points and order of operations. Where TensorFlow Lite
 * relies on two's-complement wrap-around (signed overflow in C++), the wrap is done here
 * explicitly in unsigned arithmetic, so the results agree and no undefined behavior remains.
 *
 * A real multiplier M is carried as (m, shift) with M ~= m * 2^(shift - 31), m a Q0.31 value
 * in [2^30, 2^31) (0 for M = 0; negative for negative M). The gemmlowp fixed-point functions (exp, logistic, tanh, 1/(1+x))
 * are in quant_fixed_point.h; lookup tables and the int16 LOGISTIC/TANH/SOFTMAX helpers in
 * quant_lut.h. */
#ifndef MOTE_KERNELS_QUANT_H
#define MOTE_KERNELS_QUANT_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>

/* TensorFlow Lite shifts negative values right and expects the sign to be kept (floor
 * division by a power of two); every compiler Mote supports does this, and this checks it. */
#ifndef __cplusplus
_Static_assert((-1 >> 1) == -1, "arithmetic right shift of negative integers is required");
#endif

/* ---- two's-complement helpers ---- */

/* The low 32 bits of v as a signed value (what a C++ static_cast<int32_t> does in practice). */
static inline int32_t quant_wrap_i32(int64_t v) {
    uint32_t u = (uint32_t)(uint64_t)v;
    return u <= INT32_MAX ? (int32_t)u : (int32_t)(u - 0x80000000u) + INT32_MIN;
}
/* The low 16 bits of v as a signed value. */
static inline int16_t quant_wrap_i16(int32_t v) {
    uint16_t u = (uint16_t)(uint32_t)v;
    return u <= INT16_MAX ? (int16_t)u : (int16_t)((int32_t)u - 65536);
}
/* a + b, a - b, a * b and -a with 32-bit wrap-around. */
static inline int32_t quant_wrap_add_i32(int32_t a, int32_t b) { return quant_wrap_i32((int64_t)a + b); }
static inline int32_t quant_wrap_sub_i32(int32_t a, int32_t b) { return quant_wrap_i32((int64_t)a - b); }
static inline int32_t quant_wrap_mul_i32(int32_t a, int32_t b) { return quant_wrap_i32((int64_t)a * b); }
static inline int32_t quant_wrap_neg_i32(int32_t a) { return quant_wrap_i32(-(int64_t)a); }
/* x * 2^shift (0 <= shift) with 32-bit wrap-around, as TensorFlow Lite's `x * (1 << shift)`. */
static inline int32_t quant_wrap_shl_i32(int32_t x, int shift) {
    return shift >= 32 ? 0 : quant_wrap_i32((int64_t)((uint64_t)(uint32_t)x << shift));
}

/* Number of leading zero bits of x; 32 for 0 (TensorFlow Lite's CountLeadingZeros). */
static inline int quant_clz32(uint32_t x) {
    if (x == 0) return 32;
#if defined(__GNUC__)
    return __builtin_clz(x);
#else
    int n = 0;
    while (!(x & 0x80000000u)) x <<= 1, n++;
    return n;
#endif
}

/* ---- saturating and rounding primitives (gemmlowp's fixedpoint.h) ---- */

static inline int32_t quant_sat_i32(int64_t v) {
    return v > INT32_MAX ? INT32_MAX : v < INT32_MIN ? INT32_MIN : (int32_t)v;
}
static inline int16_t quant_sat_i16(int32_t v) {
    return (int16_t)(v > INT16_MAX ? INT16_MAX : v < INT16_MIN ? INT16_MIN : v);
}
static inline int32_t quant_sat_add_i32(int32_t a, int32_t b) { return quant_sat_i32((int64_t)a + b); }
static inline int32_t quant_sat_sub_i32(int32_t a, int32_t b) { return quant_sat_i32((int64_t)a - b); }
static inline int16_t quant_sat_add_i16(int16_t a, int16_t b) { return quant_sat_i16((int32_t)a + b); }
static inline int16_t quant_sat_sub_i16(int16_t a, int16_t b) { return quant_sat_i16((int32_t)a - b); }

/* (a + b) / 2 rounded to nearest, halves away from zero (NEON VRHADD-like; RoundingHalfSum). */
static inline int32_t quant_rounding_half_sum_i32(int32_t a, int32_t b) {
    int64_t sum = (int64_t)a + b;
    return (int32_t)((sum + (sum >= 0 ? 1 : -1)) / 2);
}
static inline int16_t quant_rounding_half_sum_i16(int16_t a, int16_t b) {
    int32_t sum = (int32_t)a + b;
    return (int16_t)((sum + (sum >= 0 ? 1 : -1)) / 2);
}

/* SaturatingRoundingDoublingHighMul (NEON VQRDMULH): round(a * b / 2^31) with halves rounded
 * toward +infinity, and INT32_MIN * INT32_MIN (which would be +1.0) saturated to INT32_MAX.
 * The rounding comes from adding +-2^30 and dividing with truncation toward zero, exactly
 * as gemmlowp does it. */
static inline int32_t quant_srdhm_i32(int32_t a, int32_t b) {
    if (a == INT32_MIN && b == INT32_MIN) return INT32_MAX;
    int64_t ab = (int64_t)a * b;
    int64_t nudge = ab >= 0 ? (INT64_C(1) << 30) : 1 - (INT64_C(1) << 30);
    return (int32_t)((ab + nudge) / (INT64_C(1) << 31));
}
/* The same on Q0.15: round(a * b / 2^15), INT16_MIN * INT16_MIN saturated to INT16_MAX. */
static inline int16_t quant_srdhm_i16(int16_t a, int16_t b) {
    if (a == INT16_MIN && b == INT16_MIN) return INT16_MAX;
    int32_t ab = (int32_t)a * b;
    int32_t nudge = ab >= 0 ? (1 << 14) : 1 - (1 << 14);
    return (int16_t)((ab + nudge) / (1 << 15));
}

/* RoundingDivideByPOT: x / 2^exponent rounded to nearest, halves away from zero
 * (0 <= exponent <= 31). */
static inline int32_t quant_rdbpot_i32(int32_t x, int exponent) {
    int32_t mask = (int32_t)((INT64_C(1) << exponent) - 1);
    int32_t remainder = x & mask;
    int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    return (x >> exponent) + (remainder > threshold ? 1 : 0);
}
/* The same on 64 bits (0 <= exponent <= 63). */
static inline int64_t quant_rdbpot_i64(int64_t x, int exponent) {
    int64_t mask = (int64_t)((UINT64_C(1) << exponent) - 1);
    int64_t remainder = x & mask;
    int64_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/* SaturatingRoundingMultiplyByPOT with a run-time exponent: x * 2^exponent, saturating for
 * exponent > 0 (gemmlowp's thresholds: anything above 2^(31-exponent) - 1 in magnitude
 * saturates) and rounding as quant_rdbpot_i32 for exponent < 0 (-31 <= exponent <= 31). */
static inline int32_t quant_sat_round_mul_pot_i32(int32_t x, int exponent) {
    if (exponent == 0) return x;
    if (exponent < 0) return quant_rdbpot_i32(x, -exponent);
    if (exponent >= 31) return x > 0 ? INT32_MAX : x < 0 ? INT32_MIN : 0;
    int32_t threshold = (int32_t)((INT64_C(1) << (31 - exponent)) - 1);
    if (x > threshold) return INT32_MAX;
    if (x < -threshold) return INT32_MIN;
    return (int32_t)((int64_t)x * (INT64_C(1) << exponent));
}

/* ---- multiplying by a quantized multiplier ---- */

/* MultiplyByQuantizedMultiplier (int32): x * m * 2^(shift - 31), in two roundings as
 * TensorFlow Lite's reference path does: for shift > 0, x is first multiplied by 2^shift
 * (wrapping on overflow, as TensorFlow Lite does in practice); then the high half of the
 * doubled product is rounded (quant_srdhm_i32); then, for shift < 0, the result is divided
 * by 2^-shift rounding halves away from zero. Needs -31 <= shift. */
static inline int32_t quant_multiply_by_quantized_multiplier(int32_t x, int32_t m, int shift) {
    int left = shift > 0 ? shift : 0;
    int right = shift > 0 ? 0 : -shift;
    return quant_rdbpot_i32(quant_srdhm_i32(quant_wrap_shl_i32(x, left), m), right);
}

/* MultiplyByQuantizedMultiplier for a 64-bit x (int16x8 kernels, int64 accumulators):
 * TensorFlow Lite first reduces m to 16 bits, m16 = (m + 2^15) >> 16 (0x7FFF when
 * m >= 0x7FFF0000), then computes (x * m16 + 2^(14 - shift)) >> (15 - shift) in 64 bits and
 * keeps the low 32 bits. Its stated domain: m >= 0, -31 <= shift <= 7,
 * -2^47 <= x < 2^47 (outside it the products wrap, as TensorFlow Lite's would). */
static inline int32_t quant_multiply_by_quantized_multiplier_i64(int64_t x, int32_t m, int shift) {
    int32_t reduced = m < 0x7FFF0000 ? (int32_t)(((int64_t)m + (1 << 15)) >> 16) : 0x7FFF;
    int total_shift = 15 - shift;
    uint64_t acc = (uint64_t)x * (uint64_t)(int64_t)reduced + (UINT64_C(1) << (total_shift - 1));
    int64_t wide =
        acc <= (uint64_t)INT64_MAX ? (int64_t)acc : (int64_t)(acc - (UINT64_C(1) << 63)) + INT64_MIN;
    return quant_wrap_i32(wide >> total_shift);
}

/* MultiplyByQuantizedMultiplierSmallerThanOneExp: a multiplier below one, left_shift <= 0. */
static inline int32_t quant_multiply_by_quantized_multiplier_smaller_than_one_exp(int32_t x, int32_t m,
                                                                                  int left_shift) {
    return quant_rdbpot_i32(quant_srdhm_i32(x, m), -left_shift);
}

/* MultiplyByQuantizedMultiplierGreaterThanOne: a multiplier above one, left_shift >= 0 (the
 * pre-shift wraps on overflow, as in TensorFlow Lite). */
static inline int32_t quant_multiply_by_quantized_multiplier_greater_than_one(int32_t x, int32_t m,
                                                                              int left_shift) {
    return quant_srdhm_i32(quant_wrap_shl_i32(x, left_shift), m);
}

/* ---- deriving multipliers (prepare time) ----
 * Each returns false, with zeros in the outputs, where TensorFlow Lite would stop with a
 * failed check (and for NaN or infinite inputs). */

/* QuantizeMultiplier: frexp(real) = q * 2^shift with |q| in [0.5, 1); m = round(q * 2^31)
 * (halves away from zero); m == 2^31 becomes 2^30 with shift + 1; shift < -31 (|real| below
 * about 2^-32) flushes to m = 0, shift = 0. real == 0 gives (0, 0); negative reals give
 * negative m. */
bool quant_quantize_multiplier(double real, int32_t *m, int *shift);

/* QuantizeMultiplierGreaterThanOne: real > 1, so left_shift >= 1. */
bool quant_quantize_multiplier_greater_than_one(double real, int32_t *m, int *left_shift);

/* QuantizeMultiplierSmallerThanOneExp: 0 < real < 1, so left_shift <= 0. */
bool quant_quantize_multiplier_smaller_than_one_exp(double real, int32_t *m, int *left_shift);

/* The per-channel conv/depthwise/transpose-conv multiplier, as TensorFlow Lite's
 * PopulateConvolutionQuantizationParams computes it: every scale widened to double first,
 * then (input_scale * filter_scale) / output_scale in double. */
static inline double quant_conv_channel_multiplier(float input_scale, float filter_scale,
                                                   float output_scale) {
    return (double)input_scale * (double)filter_scale / (double)output_scale;
}
/* The per-tensor multiplier of GetQuantizedConvolutionMultipler (uint8 conv, FULLY_CONNECTED,
 * ...): here the product input_scale * filter_scale is rounded to float before it is
 * widened and divided in double, so it can differ from quant_conv_channel_multiplier. */
static inline double quant_conv_tensor_multiplier(float input_scale, float filter_scale, float output_scale) {
    float product = input_scale * filter_scale;
    return (double)product / (double)output_scale;
}
/* Per-channel (m, shift) for n output channels: quant_conv_channel_multiplier then
 * quant_quantize_multiplier for each filter scale. */
bool quant_conv_channel_multipliers(float input_scale, const float *filter_scales, int32_t n,
                                    float output_scale, int32_t *multipliers, int32_t *shifts);

/* DownScaleInt32ToInt16Multiplier (HARD_SWISH): (m + 2^15) >> 16, or INT16_MAX when
 * m >= INT32_MAX - 2^15. Needs m >= 0. */
static inline int16_t quant_downscale_multiplier_to_i16(int32_t m) {
    if (m >= INT32_MAX - (1 << 15)) return INT16_MAX;
    return (int16_t)((m + (1 << 15)) >> 16);
}

/* ---- SOFTMAX / LOG_SOFTMAX / LOGISTIC / TANH preprocessing (quantization_util.cc) ---- */

/* CalculateInputRadius: floor((2^integer_bits - 1) * 2^(total_bits - integer_bits) /
 * 2^left_shift), in double as TensorFlow Lite does; the largest input magnitude that does
 * not saturate once rescaled (total_bits is 31 unless a 16-bit path says 15). */
int32_t quant_calculate_input_radius(int integer_bits, int left_shift, int total_bits);

/* PreprocessSoftmaxScaling: the multiplier for input differences of the int8/uint8 reference
 * SOFTMAX, min(beta * input_scale * 2^(31 - integer_bits), 2^31 - 1) in double, quantized
 * with quant_quantize_multiplier_greater_than_one. */
bool quant_preprocess_softmax_scaling(double beta, double input_scale, int integer_bits, int32_t *m,
                                      int *left_shift);

/* PreprocessLogSoftmaxScalingExp: quant_preprocess_softmax_scaling, plus the reverse
 * scaling 2^(31 - left_shift) / m quantized with ..._smaller_than_one_exp (its shift is
 * returned as TensorFlow Lite returns it: <= 0, a left shift). */
bool quant_preprocess_log_softmax_scaling_exp(double beta, double input_scale, int integer_bits, int32_t *m,
                                              int *left_shift, int32_t *reverse_m, int *reverse_left_shift);

/* What TensorFlow Lite's reference SOFTMAX prepares for int8/uint8 inputs (5 integer bits
 * for the scaled differences): the multiplier and left shift of input differences, and
 * diff_min, the most negative difference still counted (smaller ones contribute exp = 0). */
typedef struct quant_softmax_params {
    int32_t input_multiplier; /* Q0.31 multiplier of (input - row max) */
    int32_t input_left_shift; /* its left shift (>= 0) */
    int32_t diff_min;         /* -CalculateInputRadius(5, input_left_shift) */
} quant_softmax_params;
bool quant_softmax_params_8bit(float beta, float input_scale, quant_softmax_params *p);

/* CheckedLog2: *log2_result = round(log2(x)) computed in float as TensorFlow Lite does
 * (logf(x) * (1 / logf(2))); true when x is within 1e-3 (in log2) of that power of two. */
bool quant_checked_log2(float x, int *log2_result);

/* The (multiplier, left shift) TensorFlow Lite's int16 LOGISTIC (is_tanh false) or TANH
 * (true) prepare and eval use with reference_integer_ops: the input is rescaled to Q?.12
 * times 3 (the sigmoid table spans [-10.7, 10.7]). For power-of-two input scales
 * (2^-12, or 2^-11 for TANH) this is (3 << shift, 0); otherwise input_scale * 4096 * 3 is
 * doubled until it exceeds 32767 / 2 (at most 31 times) and truncated. The result is what
 * quant_logistic_i16 / quant_tanh_i16 (quant_lut.h) take. */
void quant_logistic_tanh_i16_params(float input_scale, bool is_tanh, int32_t *multiplier,
                                    int32_t *left_shift);

/* ---- quantize, dequantize, activation clamps ---- */

/* round(x) for float with halves away from zero (TfLiteRound on float = roundf). */
static inline float quant_round_f32(float x) { return roundf(x); }

/* (int32)f, saturating at the int32 limits and giving 0 for NaN. TensorFlow Lite's cast is
 * undefined there; this choice matches what Arm hardware does. */
static inline int32_t quant_f32_to_i32_sat(float f) {
    if (f != f) return 0;
    if (f >= 2147483648.0f) return INT32_MAX;
    if (f < -2147483648.0f) return INT32_MIN;
    return (int32_t)f;
}

/* AffineQuantize: clamp((int32)round(x / scale) + zero_point, qmin, qmax), the division in
 * float. */
static inline int32_t quant_quantize_f32(float x, float scale, int32_t zero_point, int32_t qmin,
                                         int32_t qmax) {
    int64_t q = (int64_t)quant_f32_to_i32_sat(quant_round_f32(x / scale)) + zero_point;
    return q < qmin ? qmin : q > qmax ? qmax : (int32_t)q;
}
static inline int8_t quant_quantize_i8(float x, float scale, int32_t zero_point) {
    return (int8_t)quant_quantize_f32(x, scale, zero_point, INT8_MIN, INT8_MAX);
}
static inline uint8_t quant_quantize_u8(float x, float scale, int32_t zero_point) {
    return (uint8_t)quant_quantize_f32(x, scale, zero_point, 0, UINT8_MAX);
}
static inline int16_t quant_quantize_i16(float x, float scale, int32_t zero_point) {
    return (int16_t)quant_quantize_f32(x, scale, zero_point, INT16_MIN, INT16_MAX);
}

/* Dequantize: (float)((double)scale * (q - zero_point)), the product in double as in
 * TensorFlow Lite (exact there, so this is the correctly rounded float product). */
static inline float quant_dequantize(int32_t q, float scale, int32_t zero_point) {
    return (float)((double)scale * (double)((int64_t)q - zero_point));
}

/* CalculateActivationRangeQuantized: the [*act_min, *act_max] clamp of a fused activation
 * (enum kernel_activation: NONE 0, RELU 1, RELU_N1_TO_1 2, RELU6 3; others clamp to the
 * type's range) in the output's quantized domain, [qmin, qmax] being the output type's
 * range: zero_point + (int32)round(limit / scale) in float, intersected with [qmin, qmax].
 * False when a limit does not fit int32 (TensorFlow Lite fails the same way). */
bool quant_activation_range(int activation, float scale, int32_t zero_point, int32_t qmin, int32_t qmax,
                            int32_t *act_min, int32_t *act_max);

#endif /* MOTE_KERNELS_QUANT_H */
