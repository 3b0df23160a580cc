/* quant.c — prepare-time quantization arithmetic: deriving Q31 multipliers, the SOFTMAX and
 * LOGISTIC/TANH preprocessing, activation clamps; all as TensorFlow Lite computes them. */
#include "kernels/quant.h"

/* Float expressions here must round after every operation, as TensorFlow Lite's (built
 * without FMA contraction) do. GCC contracts nothing in ISO C mode; clang needs telling. */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

bool quant_quantize_multiplier(double real, int32_t *m, int *shift) {
    *m = 0;
    *shift = 0;
    if (real == 0.0) return true;
    if (!isfinite(real)) return false;
    int exponent;
    /* q * 2^31 is exact (a power-of-two scaling), so round() is the only rounding. */
    double q = frexp(real, &exponent);
    int64_t q_fixed = (int64_t)round(q * 2147483648.0);
    if (q_fixed == (INT64_C(1) << 31)) {
        q_fixed /= 2;
        exponent++;
    }
    /* Shifts below -31 would shift every bit out; TensorFlow Lite flushes them to zero. */
    if (exponent < -31) return true;
    *m = (int32_t)q_fixed;
    *shift = exponent;
    return true;
}

bool quant_quantize_multiplier_greater_than_one(double real, int32_t *m, int *left_shift) {
    *m = 0;
    *left_shift = 0;
    if (!(real > 1.0)) return false;
    int32_t qm;
    int shift;
    if (!quant_quantize_multiplier(real, &qm, &shift) || shift < 0) return false;
    *m = qm;
    *left_shift = shift;
    return true;
}

bool quant_quantize_multiplier_smaller_than_one_exp(double real, int32_t *m, int *left_shift) {
    *m = 0;
    *left_shift = 0;
    if (!(real < 1.0) || !(real > 0.0)) return false;
    int32_t qm;
    int shift;
    if (!quant_quantize_multiplier(real, &qm, &shift) || shift > 0) return false;
    *m = qm;
    *left_shift = shift;
    return true;
}

bool quant_conv_channel_multipliers(float input_scale, const float *filter_scales, int32_t n,
                                    float output_scale, int32_t *multipliers, int32_t *shifts) {
    bool ok = true;
    for (int32_t c = 0; c < n; c++) {
        int shift;
        double real = quant_conv_channel_multiplier(input_scale, filter_scales[c], output_scale);
        if (!quant_quantize_multiplier(real, &multipliers[c], &shift)) ok = false;
        shifts[c] = shift;
    }
    return ok;
}

int32_t quant_calculate_input_radius(int integer_bits, int left_shift, int total_bits) {
    /* The same double expression as TensorFlow Lite: every factor is a power of two or a
     * small integer, so only floor() rounds. */
    double max_input_rescaled = 1.0 * (double)((INT64_C(1) << integer_bits) - 1) *
                                (double)(INT64_C(1) << (total_bits - integer_bits)) / ldexp(1.0, left_shift);
    double radius = floor(max_input_rescaled);
    return radius >= 2147483647.0 ? INT32_MAX : (int32_t)radius;
}

bool quant_preprocess_softmax_scaling(double beta, double input_scale, int integer_bits, int32_t *m,
                                      int *left_shift) {
    /* A larger multiplier only pushes every non-maximal difference further below -32,
     * where exp() is zero in Q0.31 anyway, so TensorFlow Lite caps it at 2^31 - 1. */
    const double max_real_multiplier = 2147483647.0;
    double scaled = beta * input_scale;
    double real = scaled * (double)(INT64_C(1) << (31 - integer_bits));
    if (real > max_real_multiplier) real = max_real_multiplier;
    return quant_quantize_multiplier_greater_than_one(real, m, left_shift);
}

bool quant_preprocess_log_softmax_scaling_exp(double beta, double input_scale, int integer_bits, int32_t *m,
                                              int *left_shift, int32_t *reverse_m, int *reverse_left_shift) {
    *reverse_m = 0;
    *reverse_left_shift = 0;
    if (!quant_preprocess_softmax_scaling(beta, input_scale, integer_bits, m, left_shift)) return false;
    /* left_shift >= 1 here (the multiplier is above one), so 2^(31 - left_shift) is an int. */
    double real_reverse = (double)(INT64_C(1) << (31 - *left_shift)) / (double)*m;
    return quant_quantize_multiplier_smaller_than_one_exp(real_reverse, reverse_m, reverse_left_shift);
}

bool quant_softmax_params_8bit(float beta, float input_scale, quant_softmax_params *p) {
    /* Differences are rescaled to Q5.26: values down to -32 (before the beta multiplier
     * saturates things) stay representable; exp(-16) is already negligible in the sum. */
    enum { SCALED_DIFF_INTEGER_BITS = 5 };
    int32_t m;
    int shift;
    p->input_multiplier = 0;
    p->input_left_shift = 0;
    p->diff_min = 0;
    if (!quant_preprocess_softmax_scaling((double)beta, (double)input_scale, SCALED_DIFF_INTEGER_BITS, &m,
                                          &shift))
        return false;
    p->input_multiplier = m;
    p->input_left_shift = shift;
    p->diff_min = -quant_calculate_input_radius(SCALED_DIFF_INTEGER_BITS, shift, 31);
    return true;
}

bool quant_checked_log2(float x, int *log2_result) {
    /* In float, with logf and a float reciprocal of logf(2), as TensorFlow Lite computes it:
     * a double log2 would disagree near the 1e-3 tolerance. */
    float inv_log2 = 1.0f / logf(2.0f);
    float x_log2 = logf(x) * inv_log2;
    float x_log2_rounded = roundf(x_log2);
    float frac = x_log2 - x_log2_rounded;
    *log2_result = (int)x_log2_rounded;
    return fabsf(frac) < 1e-3f;
}

void quant_logistic_tanh_i16_params(float input_scale, bool is_tanh, int32_t *multiplier,
                                    int32_t *left_shift) {
    /* Q3.12 inputs (or Q4.11 for TANH, which pre-doubles) take the table directly; the
     * factor 3 maps the table's [-10.7, 10.7] span onto 3/4 of the input range. */
    enum { INPUT_INTEGER_BITS = 3 };
    int log2_scale = 0;
    bool pot = quant_checked_log2(input_scale, &log2_scale);
    int shift = (15 - INPUT_INTEGER_BITS) + log2_scale;
    pot = pot && (shift == 0 || (is_tanh && shift == 1));
    if (pot) {
        /* What the kernel's eval does with the power-of-two case (input_multiplier 0). */
        *multiplier = 3 << shift;
        *left_shift = 0;
        return;
    }
    double mult = (double)input_scale * 4096.0 * 3.0;
    shift = 0;
    while (mult <= 32767.0 / 2.0 && shift <= 30) {
        shift++;
        mult = mult * 2.0;
    }
    *multiplier = mult >= 2147483647.0 ? INT32_MAX : (int32_t)mult;
    *left_shift = shift;
}

bool quant_activation_range(int activation, float scale, int32_t zero_point, int32_t qmin, int32_t qmax,
                            int32_t *act_min, int32_t *act_max) {
    /* ActivationFunctionType: RELU 1, RELU_N1_TO_1 2, RELU6 3 (kernel.h's ACT_*). */
    float lo = 0.0f, hi = 0.0f;
    bool has_lo = false, has_hi = false;
    switch (activation) {
    case 1: lo = 0.0f, has_lo = true; break;
    case 2: lo = -1.0f, hi = 1.0f, has_lo = has_hi = true; break;
    case 3: lo = 0.0f, hi = 6.0f, has_lo = has_hi = true; break;
    default: break;
    }
    *act_min = qmin;
    *act_max = qmax;
    const float limit = 2147483648.0f;
    if (has_lo) {
        float t = roundf(lo / scale);
        if (!(t >= -limit && t < limit)) return false;
        int64_t q = (int64_t)zero_point + (int32_t)t;
        if (q > qmin) *act_min = q > INT32_MAX ? INT32_MAX : (int32_t)q;
    }
    if (has_hi) {
        float t = roundf(hi / scale);
        if (!(t >= -limit && t < limit)) return false;
        int64_t q = (int64_t)zero_point + (int32_t)t;
        if (q < qmax) *act_max = q < INT32_MIN ? INT32_MIN : (int32_t)q;
    }
    return true;
}
