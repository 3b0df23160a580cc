/* unary_quant.c — quantized ABS, SQRT, RSQRT, EXP and LOG as TensorFlow Lite's reference
 * kernels compute them: ABS and int8 RSQRT in integer arithmetic, SQRT in float per element,
 * EXP, LOG and int16 RSQRT through lookup tables filled in float at prepare. */
#include "kernels/quant_fixed_point.h"
#include "kernels/unary.h"

/* Float expressions here must round after every operation, as TensorFlow Lite's do. */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

/* ---- table transforms (in float, as TensorFlow Lite's lambdas) ---- */

static float exp_f32(float x, const void *arg) {
    (void)arg;
    return expf(x);
}

/* log(x); x <= 0 maps to the lowest output value (*arg), as TensorFlow Lite tabulates it. */
static float log_f32(float x, const void *arg) { return x <= 0.0f ? *(const float *)arg : logf(x); }

/* 1/sqrt(x); x <= 0 maps to the highest int16 output, 32767 * output scale (*arg). */
static float rsqrt_f32(float x, const void *arg) {
    if (x <= 0.0f) return (float)INT16_MAX * *(const float *)arg;
    return 1.0f / sqrtf(x);
}

/* ---- int8 RSQRT: gemmlowp's inverse square root (GetInvSqrtQuantizedMultiplierExp) ---- */

/* The bits int8 RSQRT moves its intermediate up by, to keep precision (TensorFlow Lite's). */
#define RSQRT_I8_SHIFT 20

static int8_t rsqrt_i8(const unary_quant *q, int8_t v) {
    const int32_t value = (int32_t)v - q->in_zero_point;
    if (value == 0) return INT8_MAX; /* values near 0 map to the largest output */
    int32_t m;
    int shift;
    quant_inv_sqrt_multiplier(value, &m, &shift);
    const int32_t scaled = quant_multiply_by_quantized_multiplier(1, m, shift + RSQRT_I8_SHIFT);
    int32_t out = quant_multiply_by_quantized_multiplier(scaled, q->multiplier, q->shift - RSQRT_I8_SHIFT);
    out = quant_wrap_add_i32(out, q->out_zero_point);
    return (int8_t)(out < INT8_MIN ? INT8_MIN : out > INT8_MAX ? INT8_MAX : out);
}

/* ---- prepare ---- */

mote_status unary_quant_prepare(mote_context *ctx, const mote_node *node, int32_t code, const mote_tensor *in,
                                const mote_tensor *out, unary_quant *q) {
    char b[160];
    for (int32_t i = 0; i < 2; i++) {
        const mote_tensor *t = i ? out : in;
        if (!t->def || t->def->quant_count < 1 || !(t->scale > 0.0f) || !isfinite(t->scale))
            return kernel_fail(
                ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: a quantized %s needs a positive scale",
                kernel_describe(t, i ? "output" : "input", 0, b, sizeof b), mote_type_name(t->type));
    }
    const int i16 = in->type == MOTE_INT16;
    q->in_zero_point = in->zero_point;
    q->out_zero_point = out->zero_point;
    q->in_scale = in->scale;
    q->out_scale = out->scale;
    q->check_domain = 0;
    /* EXP takes asymmetric int16 (its table holds the zero points); the others do not. */
    if (i16 && code != MOTE_OP_EXP && (q->in_zero_point != 0 || q->out_zero_point != 0))
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "int16 input and output need zero point 0 (got %d, %d)", q->in_zero_point,
                           q->out_zero_point);
    switch (code) {
    case MOTE_OP_ABS:
        q->path = UQ_ABS;
        q->rescale = in->scale != out->scale;
        if (q->rescale &&
            !quant_quantize_multiplier((double)(in->scale / out->scale), &q->multiplier, &q->shift))
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "input/output scale ratio is not finite");
        return MOTE_OK;
    case MOTE_OP_SQRT:
        q->path = UQ_SQRT;
        q->check_domain = 1;
        return MOTE_OK;
    case MOTE_OP_RSQRT:
        q->check_domain = 1;
        if (i16) {
            q->path = UQ_LUT_I16;
            quant_lut_populate_i16_f32_with(in->scale, in->zero_point, out->scale, out->zero_point, rsqrt_f32,
                                            &q->out_scale, q->lut.i16);
            return MOTE_OK;
        }
        q->path = UQ_RSQRT_I8;
        {
            /* 1 / (sqrt(input scale) * output scale): the product in float, the division in
             * double, as TensorFlow Lite writes it. */
            const float product = sqrtf(in->scale) * out->scale;
            if (!quant_quantize_multiplier(1.0 / (double)product, &q->multiplier, &q->shift) ||
                q->shift - RSQRT_I8_SHIFT < -31)
                return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED,
                                   "the output rescale 1/(sqrt(input scale) x output scale) is out of range");
        }
        return MOTE_OK;
    case MOTE_OP_EXP:
    case MOTE_OP_LOG: {
        /* LOG maps x <= 0 to the lowest output value. */
        const float lowest = (float)((i16 ? INT16_MIN : INT8_MIN) - out->zero_point) * out->scale;
        quant_lut_fn_with fn = code == MOTE_OP_EXP ? exp_f32 : log_f32;
        q->path = i16 ? UQ_LUT_I16 : UQ_LUT_I8;
        if (i16)
            quant_lut_populate_i16_f32_with(in->scale, in->zero_point, out->scale, out->zero_point, fn,
                                            &lowest, q->lut.i16);
        else
            quant_lut_populate_i8_with(in->scale, in->zero_point, out->scale, out->zero_point, fn, &lowest,
                                       q->lut.i8);
        return MOTE_OK;
    }
    default: return kernel_unsupported_type(ctx, node, in, "input", 0);
    }
}

/* ---- eval ---- */

static mote_status domain_error(mote_context *ctx, const mote_node *node, size_t i, int32_t v) {
    return kernel_fail(ctx, node, MOTE_ERROR_RUNTIME,
                       "input element %zu (%d) is negative, outside the domain", i, v);
}

/* |x - zp| moved to the output's scale and zero point, clamped to [lo, hi]. */
static int32_t abs_q(const unary_quant *q, int32_t v, int32_t lo, int32_t hi) {
    int32_t value = v - q->in_zero_point;
    value = value < 0 ? -value : value;
    if (q->rescale) value = quant_multiply_by_quantized_multiplier(value, q->multiplier, q->shift);
    value = quant_wrap_add_i32(value, q->out_zero_point);
    return value < lo ? lo : value > hi ? hi : value;
}

/* sqrt of the dequantized value, requantized by truncation toward zero. */
static int32_t sqrt_q(const unary_quant *q, int32_t v, int32_t lo, int32_t hi) {
    const float x = q->in_scale * (float)(v - q->in_zero_point);
    const float y = sqrtf(x) / q->out_scale;
    int64_t value = (int64_t)quant_f32_to_i32_sat(y) + q->out_zero_point;
    return value < lo ? lo : value > hi ? hi : (int32_t)value;
}

mote_status unary_quant_eval(mote_context *ctx, const mote_node *node, const unary_quant *q, mote_type type,
                             const void *in, void *out, size_t n) {
    const int i16 = type == MOTE_INT16;
    const int8_t *x8 = in;
    const int16_t *x16 = in;
    int8_t *y8 = out;
    int16_t *y16 = out;
    const int32_t lo = i16 ? INT16_MIN : INT8_MIN, hi = i16 ? INT16_MAX : INT8_MAX;
    if (q->check_domain) {
        /* TensorFlow Lite refuses the whole tensor before computing anything. */
        for (size_t i = 0; i < n; i++) {
            int32_t v = i16 ? x16[i] : x8[i];
            if (v < q->in_zero_point) return domain_error(ctx, node, i, v);
        }
    }
    switch (q->path) {
    case UQ_ABS:
        for (size_t i = 0; i < n; i++) {
            if (i16)
                y16[i] = (int16_t)abs_q(q, x16[i], lo, hi);
            else
                y8[i] = (int8_t)abs_q(q, x8[i], lo, hi);
        }
        break;
    case UQ_SQRT:
        for (size_t i = 0; i < n; i++) {
            if (i16)
                y16[i] = (int16_t)sqrt_q(q, x16[i], lo, hi);
            else
                y8[i] = (int8_t)sqrt_q(q, x8[i], lo, hi);
        }
        break;
    case UQ_RSQRT_I8:
        for (size_t i = 0; i < n; i++) y8[i] = rsqrt_i8(q, x8[i]);
        break;
    case UQ_LUT_I8:
        for (size_t i = 0; i < n; i++) y8[i] = quant_lut_lookup_i8(x8[i], q->lut.i8);
        break;
    case UQ_LUT_I16:
        for (size_t i = 0; i < n; i++) y16[i] = quant_lut_lookup_i16(x16[i], q->lut.i16);
        break;
    }
    return MOTE_OK;
}
