/* activations_lut.c — quantized LOGISTIC, TANH, ELU, GELU and HARD_SWISH as TensorFlow
 * Lite's reference kernels compute them: int8/uint8 through a 256-entry table filled in float
 * at prepare (LOGISTIC, TANH, ELU, GELU), int16 LOGISTIC/TANH through the interpolated
 * sigmoid table (quant_lut.h), and HARD_SWISH in 16-bit fixed point. */
#include "kernels/activations.h"
#include "kernels/quant_lut.h"

/* The transforms TensorFlow Lite tabulates, each in float as it writes them. */
static float elu_f32(float x) { return x < 0.0f ? expm1f(x) : x; }

static float gelu_exact_f32(float x) {
    const float minus_sqrt_half = (float)-0.70710678118654752440;
    float half_x = 0.5f * x;
    return half_x * erfcf(x * minus_sqrt_half);
}

static float gelu_tanh_f32(float x) {
    const float sqrt_2_over_pi = (float)(1.12837916709551257390 * 0.70710678118654752440);
    float cube = 0.044715f * x;
    cube = cube * x;
    cube = cube * x;
    float inner = sqrt_2_over_pi * (x + cube);
    float half_x = 0.5f * x;
    return half_x * (1.0f + tanhf(inner));
}

static mote_status fail_output_params(mote_context *ctx, const mote_node *node, const mote_tensor *out,
                                      const char *expected) {
    char desc[160];
    return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: quantization must be %s (scale %g, zero point %d)",
                       kernel_describe(out, "output", 0, desc, sizeof desc), expected, (double)out->scale,
                       out->zero_point);
}

/* int16 LOGISTIC/TANH: symmetric tensors, output in Q0.15. */
static mote_status prepare_i16(mote_context *ctx, const mote_node *node, activation_data *d, const mote_tensor *in,
                               const mote_tensor *out, int is_tanh) {
    char desc[160];
    int out_log2;
    if (in->zero_point != 0)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: int16 zero point must be 0",
                           kernel_describe(in, "input", 0, desc, sizeof desc));
    if (out->zero_point != 0 || !quant_checked_log2(out->scale, &out_log2) || out_log2 != -15)
        return fail_output_params(ctx, node, out, "scale 1/32768, zero point 0");
    quant_logistic_tanh_i16_params(in->scale, is_tanh != 0, &d->i16_multiplier, &d->i16_left_shift);
    return MOTE_OK;
}

static mote_status prepare_hard_swish(mote_context *ctx, const mote_node *node, activation_data *d,
                                      const mote_tensor *in, const mote_tensor *out) {
    hard_swish_params *p = &d->hard_swish;
    p->input_zero_point = in->zero_point;
    p->output_zero_point = out->zero_point;
    /* The input is first moved 7 bits up ("hires"); reluish values put 3.0 at 32768. */
    const float hires_input_scale = (1.0f / 128.0f) * in->scale;
    const float reluish_scale = 3.0f / 32768.0f;
    const float output_multiplier = hires_input_scale / out->scale;
    const float reluish_multiplier = hires_input_scale / reluish_scale;
    int32_t m;
    int e;
    if (!quant_quantize_multiplier((double)output_multiplier, &m, &e) || m < 0 || e > 0)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "the output scale must not be smaller than input scale / 128");
    p->output_multiplier = quant_downscale_multiplier_to_i16(m);
    p->output_multiplier_exponent = e;
    if (!quant_quantize_multiplier((double)reluish_multiplier, &m, &e) || m < 0)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "the input scale cannot be represented");
    p->reluish_multiplier = quant_downscale_multiplier_to_i16(m);
    p->reluish_multiplier_exponent = e;
    return MOTE_OK;
}

static void populate(const mote_tensor *in, const mote_tensor *out, float (*fn)(float), uint8_t lut[256]) {
    if (in->type == MOTE_INT8)
        quant_lut_populate_i8(in->scale, in->zero_point, out->scale, out->zero_point, fn, (int8_t *)(void *)lut);
    else
        quant_lut_populate_u8(in->scale, in->zero_point, out->scale, out->zero_point, fn, lut);
}

mote_status activation_lut_prepare(mote_context *ctx, const mote_node *node, activation_data *d,
                                   const mote_tensor *in, const mote_tensor *out) {
    const int32_t code = node->def->builtin_code;
    const int is_8bit = in->type == MOTE_INT8 || in->type == MOTE_UINT8;
    switch (code) {
    case MOTE_OP_LOGISTIC:
        if (!is_8bit) return prepare_i16(ctx, node, d, in, out, 0);
        /* The reference kernel insists on the exact scale 1/256 (any zero point). */
        if (out->scale != 1.0f / 256.0f) return fail_output_params(ctx, node, out, "scale 1/256");
        populate(in, out, quant_logistic_f32, d->lut);
        return MOTE_OK;
    case MOTE_OP_TANH:
        if (!is_8bit) return prepare_i16(ctx, node, d, in, out, 1);
        populate(in, out, quant_tanh_f32, d->lut);
        return MOTE_OK;
    case MOTE_OP_ELU: populate(in, out, elu_f32, d->lut); return MOTE_OK;
    case MOTE_OP_GELU: populate(in, out, d->approximate ? gelu_tanh_f32 : gelu_exact_f32, d->lut); return MOTE_OK;
    default: return prepare_hard_swish(ctx, node, d, in, out);
    }
}

/* ---- HARD_SWISH (reference_ops::HardSwish, 16-bit fixed point) ---- */

/* value * 2^amount saturated to int16. */
static inline int16_t sat_left_shift_i16(int16_t value, int amount) {
    return quant_sat_i16(quant_sat_i32((int64_t)value * ((int64_t)1 << amount)));
}

/* a * b / 2^15 truncated toward zero (no rounding), INT16_MIN^2 saturated. */
static inline int16_t doubling_high_mul_i16(int16_t a, int16_t b) {
    if (a == INT16_MIN && b == INT16_MIN) return INT16_MAX;
    return (int16_t)(((int32_t)a * b) / (1 << 15));
}

/* x / 2^exponent rounded, halves away from zero (exponent >= 0). */
static inline int16_t rdbpot_i16(int16_t x, int exponent) {
    return (int16_t)quant_rdbpot_i32(x, exponent > 31 ? 31 : exponent);
}

static inline int32_t hard_swish_elem(const hard_swish_params *p, int32_t x, int32_t qmin, int32_t qmax) {
    const int16_t input_value = quant_wrap_i16(x - p->input_zero_point);
    const int16_t hires = quant_wrap_i16(input_value * 128);
    const int16_t preshift_output_scale = quant_srdhm_i16(hires, p->output_multiplier);
    /* Rescale onto [-3, 3] ~ [-32768, 32767]: shift left all but one bit first, so that any
     * saturation happens in the last step. */
    int16_t reluish = hires;
    const int e = p->reluish_multiplier_exponent;
    if (e > 0) reluish = sat_left_shift_i16(reluish, e - 1);
    reluish = quant_srdhm_i16(reluish, p->reluish_multiplier);
    if (e > 0) reluish = sat_left_shift_i16(reluish, 1);
    if (e < 0) reluish = rdbpot_i16(reluish, -e);
    /* [-1, 1] onto [0, 1]. */
    reluish = (int16_t)(((int32_t)reluish + (1 << 15)) >> 1);
    const int16_t preshift_output = doubling_high_mul_i16(reluish, preshift_output_scale);
    int16_t out = rdbpot_i16(preshift_output, -p->output_multiplier_exponent);
    int32_t v = quant_wrap_i16(out + p->output_zero_point);
    return v < qmin ? qmin : v > qmax ? qmax : v;
}

void activation_lut_eval(int32_t code, const activation_data *d, const mote_tensor *in, mote_tensor *out) {
    const size_t n = kernel_count(in);
    if (in->type == MOTE_INT16) {
        const int16_t *x = KERNEL_DATA(in, const int16_t);
        int16_t *y = KERNEL_DATA(out, int16_t);
        if (code == MOTE_OP_LOGISTIC)
            quant_logistic_i16(x, y, n, d->i16_multiplier, d->i16_left_shift);
        else
            quant_tanh_i16(x, y, n, d->i16_multiplier, d->i16_left_shift);
        return;
    }
    const uint8_t *x = in->data;
    uint8_t *y = out->data;
    if (code != MOTE_OP_HARD_SWISH) {
        /* int8 values index the table through their byte, as the table was filled. */
        for (size_t i = 0; i < n; i++) y[i] = d->lut[x[i]];
        return;
    }
    if (in->type == MOTE_INT8) {
        const int8_t *xs = KERNEL_DATA(in, const int8_t);
        int8_t *ys = KERNEL_DATA(out, int8_t);
        for (size_t i = 0; i < n; i++) ys[i] = (int8_t)hard_swish_elem(&d->hard_swish, xs[i], INT8_MIN, INT8_MAX);
    } else {
        for (size_t i = 0; i < n; i++) y[i] = (uint8_t)hard_swish_elem(&d->hard_swish, x[i], 0, UINT8_MAX);
    }
}
