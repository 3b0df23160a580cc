/* softmax_quant.c — quantized SOFTMAX and LOG_SOFTMAX over the last dimension, as TensorFlow
 * Lite's reference kernels compute them:
 *   SOFTMAX int8/uint8 (to the same type or int16): differences from the row maximum scaled
 *     by beta into Q5.26, exp in gemmlowp fixed point, summed in Q12.19, one fixed-point
 *     reciprocal per row.
 *   SOFTMAX int16: interpolated tables for exp and 1 / (1 + x) (quant_lut.h).
 *   LOG_SOFTMAX int8/uint8: the same sum of exps, its fixed-point log, subtracted in Q5.26;
 *     output scale 16/256 with the zero point at the type's maximum (0 = log 1). */
#include "kernels/quant_fixed_point.h"
#include "kernels/softmax.h"

/* Scaled differences are in Q5.26, sums of exps in Q12.19, logs in Q4.27. */
enum { SCALED_DIFF_INTEGER_BITS = 5, ACCUMULATION_INTEGER_BITS = 12, OUTPUT_INTEGER_BITS = 4 };

static mote_status fail_output(mote_context *ctx, const mote_node *node, const mote_tensor *out,
                               const char *expected) {
    char desc[160];
    return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: quantization must be %s (scale %g, zero point %d)",
                       kernel_describe(out, "output", 0, desc, sizeof desc), expected, (double)out->scale,
                       out->zero_point);
}

static mote_status bad_types(mote_context *ctx, const mote_node *node, const mote_tensor *in,
                             const mote_tensor *out) {
    char desc[160];
    return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED, "%s: %s input with %s output is not supported",
                       kernel_describe(out, "output", 0, desc, sizeof desc), mote_type_name(in->type),
                       mote_type_name(out->type));
}

static int near(float value, float target) {
    float delta = value > target ? value - target : target - value;
    return delta <= 0.001f * target;
}

static mote_status prepare_softmax(mote_context *ctx, const mote_node *node, softmax_data *d, const mote_tensor *in,
                                   const mote_tensor *out) {
    const int in_8bit = in->type == MOTE_INT8 || in->type == MOTE_UINT8;
    if (!((in_8bit && (out->type == in->type || out->type == MOTE_INT16)) ||
          (in->type == MOTE_INT16 && out->type == MOTE_INT16)))
        return bad_types(ctx, node, in, out);
    if (in->type == MOTE_INT8 && out->type == MOTE_INT8 &&
        (out->zero_point != -128 || !near(out->scale, 1.0f / 256.0f)))
        return fail_output(ctx, node, out, "scale 1/256, zero point -128");
    if (in->type == MOTE_INT16 && (out->zero_point != 0 || !near(out->scale, 1.0f / 32768.0f)))
        return fail_output(ctx, node, out, "scale 1/32768, zero point 0");
    if (in_8bit) {
        quant_softmax_params p;
        if (!quant_softmax_params_8bit(d->beta, in->scale, &p))
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "beta times the input scale must be positive");
        d->input_multiplier = p.input_multiplier;
        d->input_shift = p.input_left_shift;
        d->diff_min = p.diff_min;
        return MOTE_OK;
    }
    if (in->zero_point != 0) {
        char desc[160];
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: int16 zero point must be 0",
                           kernel_describe(in, "input", 0, desc, sizeof desc));
    }
    int shift;
    if (!quant_softmax_i16_multiplier(in->scale, d->beta, &d->input_multiplier, &shift) || shift < -31)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "beta times the input scale cannot be represented");
    d->input_shift = shift;
    quant_softmax_i16_luts(d->exp_lut, d->one_over_one_plus_x_lut);
    return MOTE_OK;
}

static mote_status prepare_log_softmax(mote_context *ctx, const mote_node *node, softmax_data *d,
                                       const mote_tensor *in, const mote_tensor *out) {
    if (out->type != in->type || in->type == MOTE_INT16) return bad_types(ctx, node, in, out);
    const int32_t zero_point = in->type == MOTE_UINT8 ? 255 : 127;
    if (out->scale != 16.0f / 256.0f || out->zero_point != zero_point)
        return fail_output(ctx, node, out, in->type == MOTE_UINT8 ? "scale 16/256, zero point 255"
                                                                   : "scale 16/256, zero point 127");
    int32_t m, rm;
    int shift, reverse_shift;
    if (!quant_preprocess_log_softmax_scaling_exp(1.0, (double)in->scale, SCALED_DIFF_INTEGER_BITS, &m, &shift, &rm,
                                                  &reverse_shift))
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "the input scale cannot be represented");
    d->input_multiplier = m;
    d->input_shift = shift;
    d->reverse_multiplier = rm;
    d->reverse_shift = reverse_shift;
    d->diff_min = -quant_calculate_input_radius(SCALED_DIFF_INTEGER_BITS, shift, 31);
    return MOTE_OK;
}

mote_status softmax_quant_prepare(mote_context *ctx, const mote_node *node, softmax_data *d, const mote_tensor *in,
                                  const mote_tensor *out) {
    char desc[160];
    if (!(in->scale > 0.0f) || !isfinite(in->scale))
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: %s tensor needs a positive scale",
                           kernel_describe(in, "input", 0, desc, sizeof desc), mote_type_name(in->type));
    if (node->def->builtin_code == MOTE_OP_SOFTMAX) return prepare_softmax(ctx, node, d, in, out);
    return prepare_log_softmax(ctx, node, d, in, out);
}

/* ---- 8-bit SOFTMAX and LOG_SOFTMAX ---- */

/* exp(beta * input_scale * diff) in Q0 for a difference no smaller than diff_min. */
static inline int32_t scaled_diff(const softmax_data *d, int32_t diff) {
    return quant_multiply_by_quantized_multiplier_greater_than_one(diff, d->input_multiplier, d->input_shift);
}

/* Row maximum and the sum of exps in Q12.19 (wrapping additions, as gemmlowp's). */
#define ROW_SUM_OF_EXPS(TI, x, depth, max_out, sum_out)                                        \
    do {                                                                                       \
        TI max_ = x[0];                                                                        \
        for (size_t c_ = 1; c_ < (depth); c_++) max_ = x[c_] > max_ ? x[c_] : max_;            \
        int32_t sum_ = 0;                                                                      \
        for (size_t c_ = 0; c_ < (depth); c_++) {                                              \
            int32_t diff_ = (int32_t)x[c_] - max_;                                             \
            if (diff_ >= d->diff_min)                                                          \
                sum_ = quant_wrap_add_i32(                                                     \
                    sum_, quant_fp_rescale(quant_fp_exp_on_negative_values(scaled_diff(d, diff_), \
                                                                           SCALED_DIFF_INTEGER_BITS), \
                                           0, ACCUMULATION_INTEGER_BITS));                     \
        }                                                                                      \
        max_out = max_;                                                                        \
        sum_out = sum_;                                                                        \
    } while (0)

#define SOFTMAX_8BIT(TI, TO, OUT_MIN, OUT_MAX)                                                 \
    do {                                                                                       \
        const TI *x = KERNEL_DATA(in, const TI);                                               \
        TO *y = KERNEL_DATA(out, TO);                                                          \
        for (size_t r = 0; r < d->rows; r++, x += d->depth, y += d->depth) {                   \
            int32_t max, sum, bits_over_unit;                                                  \
            ROW_SUM_OF_EXPS(TI, x, d->depth, max, sum);                                        \
            int nb;                                                                            \
            int32_t shifted_scale = quant_fp_reciprocal(sum, ACCUMULATION_INTEGER_BITS, &nb);  \
            bits_over_unit = nb;                                                               \
            /* Q0 product down to the output's bits; kept within [0, 31]. */                   \
            int exponent = bits_over_unit + 31 - (int)(8 * sizeof(TO));                        \
            exponent = exponent < 0 ? 0 : exponent > 31 ? 31 : exponent;                       \
            for (size_t c = 0; c < d->depth; c++) {                                            \
                int32_t diff = (int32_t)x[c] - max;                                            \
                if (diff < d->diff_min) {                                                      \
                    y[c] = (TO)(OUT_MIN);                                                      \
                    continue;                                                                  \
                }                                                                              \
                int32_t e = quant_fp_exp_on_negative_values(scaled_diff(d, diff), SCALED_DIFF_INTEGER_BITS); \
                int32_t v = quant_rdbpot_i32(quant_srdhm_i32(shifted_scale, e), exponent) + (OUT_MIN); \
                y[c] = (TO)(v < (OUT_MIN) ? (OUT_MIN) : v > (OUT_MAX) ? (OUT_MAX) : v);        \
            }                                                                                  \
        }                                                                                      \
    } while (0)

#define LOG_SOFTMAX_8BIT(T, OUT_MIN, OUT_MAX)                                                  \
    do {                                                                                       \
        const T *x = KERNEL_DATA(in, const T);                                                 \
        T *y = KERNEL_DATA(out, T);                                                            \
        for (size_t r = 0; r < d->rows; r++, x += d->depth, y += d->depth) {                   \
            int32_t max, sum;                                                                  \
            ROW_SUM_OF_EXPS(T, x, d->depth, max, sum);                                         \
            const int32_t log_sum = quant_fp_log_x_for_x_greater_than_or_equal_to_1(          \
                sum, ACCUMULATION_INTEGER_BITS, SCALED_DIFF_INTEGER_BITS);                     \
            /* Differences at or below log_sum - 32 (in Q5.26) saturate to the minimum. */     \
            const int32_t rescaled_diff_min =                                                  \
                quant_multiply_by_quantized_multiplier_smaller_than_one_exp(                   \
                    quant_wrap_add_i32(log_sum, INT32_MIN), d->reverse_multiplier, d->reverse_shift); \
            const int32_t adjusted_diff_min =                                                  \
                d->diff_min - 1 > rescaled_diff_min ? d->diff_min - 1 : rescaled_diff_min;     \
            for (size_t c = 0; c < d->depth; c++) {                                            \
                int32_t diff = (int32_t)x[c] - max;                                            \
                if (diff <= adjusted_diff_min) {                                               \
                    y[c] = (T)(OUT_MIN);                                                       \
                    continue;                                                                  \
                }                                                                              \
                int32_t v = quant_rdbpot_i32(quant_wrap_sub_i32(scaled_diff(d, diff), log_sum), \
                                             31 - SCALED_DIFF_INTEGER_BITS - OUTPUT_INTEGER_BITS) + \
                            (OUT_MAX);                                                         \
                y[c] = (T)(v < (OUT_MIN) ? (OUT_MIN) : v > (OUT_MAX) ? (OUT_MAX) : v);         \
            }                                                                                  \
        }                                                                                      \
    } while (0)

/* ---- int16 SOFTMAX ---- */

static void softmax_i16(const softmax_data *d, const int16_t *x, int16_t *y) {
    for (size_t r = 0; r < d->rows; r++, x += d->depth, y += d->depth) {
        int16_t max = x[0];
        for (size_t c = 1; c < d->depth; c++) max = x[c] > max ? x[c] : max;
        /* The exps go to the output first; the sum is in Q16.15. */
        int32_t sum = 0;
        for (size_t c = 0; c < d->depth; c++) {
            y[c] = quant_softmax_i16_exp((int32_t)x[c] - max, d->input_multiplier, d->input_shift, d->exp_lut);
            sum = quant_wrap_add_i32(sum, y[c]);
        }
        int right_shift;
        int16_t reciprocal = quant_softmax_i16_reciprocal(sum, d->one_over_one_plus_x_lut, &right_shift);
        for (size_t c = 0; c < d->depth; c++) y[c] = quant_softmax_i16_output(y[c], reciprocal, right_shift);
    }
}

void softmax_quant_eval(int32_t code, const softmax_data *d, const mote_tensor *in, mote_tensor *out) {
    if (code == MOTE_OP_LOG_SOFTMAX) {
        if (in->type == MOTE_UINT8)
            LOG_SOFTMAX_8BIT(uint8_t, 0, UINT8_MAX);
        else
            LOG_SOFTMAX_8BIT(int8_t, INT8_MIN, INT8_MAX);
        return;
    }
    switch (in->type) {
    case MOTE_INT16: softmax_i16(d, KERNEL_DATA(in, const int16_t), KERNEL_DATA(out, int16_t)); return;
    case MOTE_UINT8:
        if (out->type == MOTE_INT16)
            SOFTMAX_8BIT(uint8_t, int16_t, INT16_MIN, INT16_MAX);
        else
            SOFTMAX_8BIT(uint8_t, uint8_t, 0, UINT8_MAX);
        return;
    default:
        if (out->type == MOTE_INT16)
            SOFTMAX_8BIT(int8_t, int16_t, INT16_MIN, INT16_MAX);
        else
            SOFTMAX_8BIT(int8_t, int8_t, INT8_MIN, INT8_MAX);
        return;
    }
}
