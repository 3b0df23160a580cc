/* activations.c — elementwise activations (RELU family, LOGISTIC, TANH, HARD_SWISH, ELU,
 * LEAKY_RELU, GELU) and PRELU as TensorFlow Lite's reference kernels define them: float32,
 * and int8/uint8/int16 with requantization onto the output's scale (the RELU family,
 * LEAKY_RELU, PRELU here; table and fixed-point activations in activations_lut.c). */
#include "kernels/activations.h"
#include "kernels/math_f32_opt.h"

/* LeakyReluOptions.alpha and GeluOptions.approximate are both field 0. */
#define OPT_LEAKY_ALPHA 0
#define OPT_GELU_APPROXIMATE 0

enum { IN_ALPHA = 1 }; /* PRELU's slope tensor */

static mote_status activation_init(mote_context *ctx, mote_node *node) {
    activation_data *d = kernel_alloc_data(ctx, node, sizeof *d);
    if (!d) return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    switch (node->def->builtin_code) {
    case MOTE_OP_LEAKY_RELU:
        d->alpha = KOPT_F32(ctx, kernel_options(ctx, node, TFL_OPTIONS_LEAKY_RELU), OPT_LEAKY_ALPHA, 0.0f);
        break;
    case MOTE_OP_GELU:
        d->approximate = KOPT_BOOL(ctx, kernel_options(ctx, node, TFL_OPTIONS_GELU), OPT_GELU_APPROXIMATE, 0);
        break;
    default: break;
    }
    return MOTE_OK;
}

static int is_quantized(mote_type type) { return type == MOTE_INT8 || type == MOTE_UINT8 || type == MOTE_INT16; }

/* The quantized types each activation takes: TensorFlow Lite's set (int16 RELU_N1_TO_1 and
 * RELU_0_TO_1 added, computed the same way as the rest of the family). */
static int quantized_supported(int32_t code, mote_type type) {
    switch (code) {
    case MOTE_OP_RELU:
    case MOTE_OP_RELU6:
    case MOTE_OP_RELU_N1_TO_1:
    case MOTE_OP_RELU_0_TO_1:
    case MOTE_OP_LEAKY_RELU:
    case MOTE_OP_LOGISTIC:
    case MOTE_OP_TANH: return 1;
    case MOTE_OP_HARD_SWISH:
    case MOTE_OP_GELU: return type != MOTE_INT16;
    case MOTE_OP_ELU: return type == MOTE_INT8;
    default: return 0;
    }
}

static void type_range(mote_type type, int32_t *qmin, int32_t *qmax) {
    switch (type) {
    case MOTE_UINT8: *qmin = 0, *qmax = UINT8_MAX; break;
    case MOTE_INT16: *qmin = INT16_MIN, *qmax = INT16_MAX; break;
    default: *qmin = INT8_MIN, *qmax = INT8_MAX; break;
    }
}

/* A positive finite scale and a zero point inside the type (0 for int16, which TensorFlow
 * Lite quantizes symmetrically). */
static mote_status check_quant(mote_context *ctx, const mote_node *node, const mote_tensor *t, const char *role,
                               int32_t i) {
    char desc[160];
    int32_t qmin, qmax;
    type_range(t->type, &qmin, &qmax);
    if (!(t->scale > 0.0f) || !isfinite(t->scale))
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: %s tensor needs a positive scale",
                           kernel_describe(t, role, i, desc, sizeof desc), mote_type_name(t->type));
    if (t->zero_point < qmin || t->zero_point > qmax || (t->type == MOTE_INT16 && t->zero_point != 0))
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: zero point %d is not valid for %s",
                           kernel_describe(t, role, i, desc, sizeof desc), t->zero_point, mote_type_name(t->type));
    return MOTE_OK;
}

static mote_status bad_scales(mote_context *ctx, const mote_node *node) {
    return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                       "the ratio of input and output scales cannot be represented");
}

/* One bound of a RELU clamp: zero_point + round(limit / scale), in float, within the type. */
static int32_t relu_bound(float limit, const mote_tensor *out, int32_t qmin, int32_t qmax) {
    int64_t q = (int64_t)out->zero_point + quant_f32_to_i32_sat(roundf(limit / out->scale));
    return q < qmin ? qmin : q > qmax ? qmax : (int32_t)q;
}

/* RELU, RELU6, RELU_N1_TO_1, RELU_0_TO_1 (ReluPrepare and QuantizedReluX): the input moved
 * onto the output's scale, then clamped to the real range. */
static mote_status prepare_relu(mote_context *ctx, const mote_node *node, activation_data *d,
                                const mote_tensor *in, const mote_tensor *out) {
    float lo = 0.0f, hi = 0.0f;
    int has_hi = 1;
    switch (node->def->builtin_code) {
    case MOTE_OP_RELU: has_hi = 0; break;
    case MOTE_OP_RELU6: hi = 6.0f; break;
    case MOTE_OP_RELU_N1_TO_1: lo = -1.0f, hi = 1.0f; break;
    default: hi = 1.0f; break;
    }
    int shift;
    float real = in->scale / out->scale;
    if (!quant_quantize_multiplier((double)real, &d->multiplier, &shift)) return bad_scales(ctx, node);
    d->shift = shift;
    int32_t qmin, qmax;
    type_range(out->type, &qmin, &qmax);
    d->act_min = relu_bound(lo, out, qmin, qmax);
    d->act_max = has_hi ? relu_bound(hi, out, qmin, qmax) : qmax;
    return MOTE_OK;
}

/* LEAKY_RELU: one multiplier for x >= 0 (input scale onto output) and one for x < 0 (times
 * alpha), both computed in float as TensorFlow Lite does. */
static mote_status prepare_leaky_relu(mote_context *ctx, const mote_node *node, activation_data *d,
                                      const mote_tensor *in, const mote_tensor *out) {
    float alpha_real = in->scale * d->alpha / out->scale;
    float identity_real = in->scale / out->scale;
    int s1, s2;
    if (!quant_quantize_multiplier((double)alpha_real, &d->alpha_multiplier, &s1) ||
        !quant_quantize_multiplier((double)identity_real, &d->multiplier, &s2))
        return bad_scales(ctx, node);
    d->alpha_shift = s1, d->shift = s2;
    return MOTE_OK;
}

static mote_status activation_prepare(mote_context *ctx, mote_node *node) {
    activation_data *d = node->data;
    const int32_t code = node->def->builtin_code;
    mote_tensor *in, *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 1, 1, 1)) || (st = kernel_require_input(ctx, node, 0, &in)) ||
        (st = kernel_require_output(ctx, node, 0, &out)))
        return st;
    if (in->type != MOTE_FLOAT32 && !(is_quantized(in->type) && quantized_supported(code, in->type)))
        return kernel_unsupported_type(ctx, node, in, "input", 0);
    if ((st = kernel_check_type(ctx, node, out, "output", 0, in->type)) ||
        (st = kernel_copy_shape(ctx, node, out, in)))
        return st;
    if (in->type == MOTE_FLOAT32) return MOTE_OK;
    if ((st = check_quant(ctx, node, in, "input", 0)) || (st = check_quant(ctx, node, out, "output", 0))) return st;
    d->input_zero_point = in->zero_point;
    d->output_zero_point = out->zero_point;
    switch (code) {
    case MOTE_OP_RELU:
    case MOTE_OP_RELU6:
    case MOTE_OP_RELU_N1_TO_1:
    case MOTE_OP_RELU_0_TO_1: return prepare_relu(ctx, node, d, in, out);
    case MOTE_OP_LEAKY_RELU: return prepare_leaky_relu(ctx, node, d, in, out);
    default: return activation_lut_prepare(ctx, node, d, in, out);
    }
}

/* 1 / (1 + e^-x), saturated where float32 can no longer tell it from 0 or 1, as TFLite's
 * reference kernel does (its outputs are what we match). */
static float logistic_f32(float x) {
    const float upper = 16.619047164916992188f, lower = -9.0f;
    if (x > upper) return 1.0f;
    if (x < lower) return expf(x);
    return 1.0f / (1.0f + expf(-x));
}

static float gelu_f32(float x, int approximate) {
    if (approximate) {
        const float sqrt_2_over_pi = 0.7978845608028654f;
        return 0.5f * x * (1.0f + tanhf(sqrt_2_over_pi * (x + 0.044715f * x * x * x)));
    }
    const float one_over_sqrt_2 = 0.7071067811865476f;
    return 0.5f * x * (1.0f + erff(x * one_over_sqrt_2));
}

static void activation_f32(int32_t code, const activation_data *d, const float *x, float *y, size_t n) {
    switch (code) {
    case MOTE_OP_RELU:
        for (size_t i = 0; i < n; i++) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
        break;
    case MOTE_OP_RELU6:
        for (size_t i = 0; i < n; i++) y[i] = kernel_clamp_f32(x[i], 0.0f, 6.0f);
        break;
    case MOTE_OP_RELU_N1_TO_1:
        for (size_t i = 0; i < n; i++) y[i] = kernel_clamp_f32(x[i], -1.0f, 1.0f);
        break;
    case MOTE_OP_RELU_0_TO_1:
        for (size_t i = 0; i < n; i++) y[i] = kernel_clamp_f32(x[i], 0.0f, 1.0f);
        break;
    case MOTE_OP_LOGISTIC:
        for (size_t i = 0; i < n; i++) y[i] = logistic_f32(x[i]);
        break;
    case MOTE_OP_TANH:
        for (size_t i = 0; i < n; i++) y[i] = tanhf(x[i]);
        break;
    case MOTE_OP_HARD_SWISH:
        for (size_t i = 0; i < n; i++) y[i] = x[i] * kernel_clamp_f32(x[i] + 3.0f, 0.0f, 6.0f) / 6.0f;
        break;
    case MOTE_OP_ELU:
        for (size_t i = 0; i < n; i++) y[i] = x[i] < 0.0f ? expm1f(x[i]) : x[i];
        break;
    case MOTE_OP_LEAKY_RELU:
        for (size_t i = 0; i < n; i++) y[i] = x[i] > 0.0f ? x[i] : x[i] * d->alpha;
        break;
    case MOTE_OP_GELU:
        for (size_t i = 0; i < n; i++) y[i] = gelu_f32(x[i], d->approximate);
        break;
    default: break;
    }
}

static inline int32_t clamp_i32(int32_t v, int32_t lo, int32_t hi) { return v < lo ? lo : v > hi ? hi : v; }

/* ReluX: the input moved onto the output's scale, clamped. */
static inline int32_t relu_elem(const activation_data *d, int32_t x) {
    int32_t v = quant_multiply_by_quantized_multiplier(x - d->input_zero_point, d->multiplier, d->shift);
    return clamp_i32(quant_wrap_add_i32(v, d->output_zero_point), d->act_min, d->act_max);
}

/* QuantizeLeakyRelu: the identity or the alpha multiplier by the sign of x - zero point. */
static inline int32_t leaky_relu_elem(const activation_data *d, int32_t x, int32_t qmin, int32_t qmax) {
    int32_t v = x - d->input_zero_point;
    v = v >= 0 ? quant_multiply_by_quantized_multiplier(v, d->multiplier, d->shift)
               : quant_multiply_by_quantized_multiplier(v, d->alpha_multiplier, d->alpha_shift);
    return clamp_i32(quant_wrap_add_i32(v, d->output_zero_point), qmin, qmax);
}

#define QUANT_ACT_LOOP(T, QMIN, QMAX, EXPR)                                        \
    do {                                                                           \
        const T *x_ = KERNEL_DATA(in, const T);                                    \
        T *y_ = KERNEL_DATA(out, T);                                               \
        const int32_t qmin_ = QMIN, qmax_ = QMAX;                                  \
        (void)qmin_, (void)qmax_;                                                  \
        for (size_t i_ = 0; i_ < n; i_++) {                                        \
            const int32_t xv = x_[i_];                                             \
            y_[i_] = (T)(EXPR);                                                    \
        }                                                                          \
    } while (0)

#define QUANT_ACT_TYPES(EXPR)                                                      \
    do {                                                                           \
        switch (in->type) {                                                        \
        case MOTE_UINT8: QUANT_ACT_LOOP(uint8_t, 0, UINT8_MAX, EXPR); break;       \
        case MOTE_INT16: QUANT_ACT_LOOP(int16_t, INT16_MIN, INT16_MAX, EXPR); break; \
        default: QUANT_ACT_LOOP(int8_t, INT8_MIN, INT8_MAX, EXPR); break;          \
        }                                                                          \
    } while (0)

static mote_status activation_eval(mote_context *ctx, mote_node *node) {
    const activation_data *d = node->data;
    const int32_t code = node->def->builtin_code;
    const mote_tensor *in = kernel_input(ctx, node, 0);
    mote_tensor *out = kernel_output(ctx, node, 0);
    const size_t n = kernel_count(in);
    switch (in->type) {
    case MOTE_FLOAT32:
        /* GELU: the optimized path (math_f32_opt.c) unless optimized kernels are off. */
        if (code == MOTE_OP_GELU &&
            gelu_f32_opt(ctx, KERNEL_DATA(in, const float), KERNEL_DATA(out, float), n, d->approximate))
            return MOTE_OK;
        activation_f32(code, d, KERNEL_DATA(in, const float), KERNEL_DATA(out, float), n);
        return MOTE_OK;
    case MOTE_INT8:
    case MOTE_UINT8:
    case MOTE_INT16:
        switch (code) {
        case MOTE_OP_RELU:
        case MOTE_OP_RELU6:
        case MOTE_OP_RELU_N1_TO_1:
        case MOTE_OP_RELU_0_TO_1: QUANT_ACT_TYPES(relu_elem(d, xv)); break;
        case MOTE_OP_LEAKY_RELU: QUANT_ACT_TYPES(leaky_relu_elem(d, xv, qmin_, qmax_)); break;
        default: activation_lut_eval(code, d, in, out); break;
        }
        return MOTE_OK;
    default: return kernel_unsupported_type(ctx, node, in, "input", 0);
    }
}

/* PRELU: out = x >= 0 ? x : x * alpha, alpha broadcast against x (usually per channel).
 * Quantized (int8, uint8): x - zero point onto the output's scale by one multiplier when
 * non-negative, else its product with alpha - alpha's zero point by a second one. */
static mote_status prelu_prepare(mote_context *ctx, mote_node *node) {
    activation_data *d = node->data;
    mote_tensor *in, *alpha, *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 2, 2, 1)) || (st = kernel_require_input(ctx, node, 0, &in)) ||
        (st = kernel_require_input(ctx, node, IN_ALPHA, &alpha)) ||
        (st = kernel_require_output(ctx, node, 0, &out)))
        return st;
    switch (in->type) {
    case MOTE_FLOAT32:
    case MOTE_INT8:
    case MOTE_UINT8: break;
    default: return kernel_unsupported_type(ctx, node, in, "input", 0);
    }
    if ((st = kernel_check_type(ctx, node, alpha, "input", IN_ALPHA, in->type)) ||
        (st = kernel_check_type(ctx, node, out, "output", 0, in->type)))
        return st;
    int32_t rank, dims[MOTE_MAX_DIMS];
    if ((st = kernel_broadcast_shape(ctx, node, in, alpha, &rank, dims)) ||
        (st = kernel_set_shape(ctx, node, out, rank, dims)))
        return st;
    if (in->type == MOTE_FLOAT32) return MOTE_OK;
    if ((st = check_quant(ctx, node, in, "input", 0)) || (st = check_quant(ctx, node, alpha, "input", IN_ALPHA)) ||
        (st = check_quant(ctx, node, out, "output", 0)))
        return st;
    d->input_zero_point = in->zero_point;
    d->alpha_zero_point = alpha->zero_point;
    d->output_zero_point = out->zero_point;
    /* Both ratios in float, as TensorFlow Lite's prepare computes them. */
    float real_identity = in->scale / out->scale;
    float real_alpha = in->scale * alpha->scale / out->scale;
    int s1, s2;
    if (!quant_quantize_multiplier((double)real_identity, &d->multiplier, &s1) ||
        !quant_quantize_multiplier((double)real_alpha, &d->alpha_multiplier, &s2))
        return bad_scales(ctx, node);
    d->shift = s1, d->alpha_shift = s2;
    return MOTE_OK;
}

static inline int32_t prelu_elem(const activation_data *d, int32_t x, int32_t a, int32_t qmin, int32_t qmax) {
    int32_t v = x - d->input_zero_point;
    v = v >= 0 ? quant_multiply_by_quantized_multiplier(v, d->multiplier, d->shift)
               : quant_multiply_by_quantized_multiplier(v * (a - d->alpha_zero_point), d->alpha_multiplier,
                                                        d->alpha_shift);
    return clamp_i32(quant_wrap_add_i32(v, d->output_zero_point), qmin, qmax);
}

static mote_status prelu_eval(mote_context *ctx, mote_node *node) {
    const activation_data *d = node->data;
    const mote_tensor *in = kernel_input(ctx, node, 0), *alpha = kernel_input(ctx, node, IN_ALPHA);
    mote_tensor *out = kernel_output(ctx, node, 0);
    kernel_bcast_iter it;
    kernel_bcast_init(&it, in, alpha, out);
    switch (in->type) {
    case MOTE_FLOAT32: {
        const float *x = KERNEL_DATA(in, const float), *a = KERNEL_DATA(alpha, const float);
        float *y = KERNEL_DATA(out, float);
        KERNEL_BCAST_LOOP(it, o, i, j, y[o] = x[i] >= 0.0f ? x[i] : x[i] * a[j]);
        return MOTE_OK;
    }
    case MOTE_INT8: {
        const int8_t *x = KERNEL_DATA(in, const int8_t), *a = KERNEL_DATA(alpha, const int8_t);
        int8_t *y = KERNEL_DATA(out, int8_t);
        KERNEL_BCAST_LOOP(it, o, i, j, y[o] = (int8_t)prelu_elem(d, x[i], a[j], INT8_MIN, INT8_MAX));
        return MOTE_OK;
    }
    case MOTE_UINT8: {
        const uint8_t *x = KERNEL_DATA(in, const uint8_t), *a = KERNEL_DATA(alpha, const uint8_t);
        uint8_t *y = KERNEL_DATA(out, uint8_t);
        KERNEL_BCAST_LOOP(it, o, i, j, y[o] = (uint8_t)prelu_elem(d, x[i], a[j], 0, UINT8_MAX));
        return MOTE_OK;
    }
    default: return kernel_unsupported_type(ctx, node, in, "input", 0);
    }
}

#define ACTIVATION_OP(sym, code) \
    const mote_op sym = {NULL, code, activation_init, activation_prepare, NULL, activation_eval, NULL};

ACTIVATION_OP(mote_op_relu, MOTE_OP_RELU)
ACTIVATION_OP(mote_op_relu6, MOTE_OP_RELU6)
ACTIVATION_OP(mote_op_relu_n1_to_1, MOTE_OP_RELU_N1_TO_1)
ACTIVATION_OP(mote_op_relu_0_to_1, MOTE_OP_RELU_0_TO_1)
ACTIVATION_OP(mote_op_logistic, MOTE_OP_LOGISTIC)
ACTIVATION_OP(mote_op_tanh, MOTE_OP_TANH)
ACTIVATION_OP(mote_op_hard_swish, MOTE_OP_HARD_SWISH)
ACTIVATION_OP(mote_op_elu, MOTE_OP_ELU)
ACTIVATION_OP(mote_op_leaky_relu, MOTE_OP_LEAKY_RELU)
ACTIVATION_OP(mote_op_gelu, MOTE_OP_GELU)

const mote_op mote_op_prelu = {NULL, MOTE_OP_PRELU, activation_init, prelu_prepare, NULL, prelu_eval, NULL};
