/* activations.c — elementwise activations (RELU family, LOGISTIC, TANH, HARD_SWISH, ELU,
 * LEAKY_RELU, GELU) and PRELU in float32, as TensorFlow Lite's reference kernels define them. */
#include "kernels/kernel.h"

/* LeakyReluOptions.alpha and GeluOptions.approximate are both field 0. */
#define OPT_LEAKY_ALPHA 0
#define OPT_GELU_APPROXIMATE 0

enum { IN_ALPHA = 1 }; /* PRELU's slope tensor */

typedef struct activation_data {
    float alpha;         /* LEAKY_RELU: slope for negative inputs */
    int32_t approximate; /* GELU: 1 for the tanh approximation, 0 for the exact erf form */
} activation_data;

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

static mote_status activation_prepare(mote_context *ctx, mote_node *node) {
    mote_tensor *in, *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 1, 1, 1)) || (st = kernel_require_input(ctx, node, 0, &in)) ||
        (st = kernel_require_output(ctx, node, 0, &out)))
        return st;
    switch (in->type) {
    case MOTE_FLOAT32: break;
    /* Quantized variants (lookup tables or fixed-point) go here. */
    default: return kernel_unsupported_type(ctx, node, in, "input", 0);
    }
    if ((st = kernel_check_type(ctx, node, out, "output", 0, in->type))) return st;
    return kernel_copy_shape(ctx, node, out, in);
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

static mote_status activation_eval(mote_context *ctx, mote_node *node) {
    const activation_data *d = node->data;
    const mote_tensor *in = kernel_input(ctx, node, 0);
    mote_tensor *out = kernel_output(ctx, node, 0);
    switch (in->type) {
    case MOTE_FLOAT32:
        activation_f32(node->def->builtin_code, d, KERNEL_DATA(in, const float), KERNEL_DATA(out, float),
                       kernel_count(in));
        return MOTE_OK;
    default: return kernel_unsupported_type(ctx, node, in, "input", 0);
    }
}

/* PRELU: out = x >= 0 ? x : x * alpha, alpha broadcast against x (usually per channel). */
static mote_status prelu_prepare(mote_context *ctx, mote_node *node) {
    mote_tensor *in, *alpha, *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 2, 2, 1)) || (st = kernel_require_input(ctx, node, 0, &in)) ||
        (st = kernel_require_input(ctx, node, IN_ALPHA, &alpha)) ||
        (st = kernel_require_output(ctx, node, 0, &out)))
        return st;
    switch (in->type) {
    case MOTE_FLOAT32: break;
    /* Quantized PRELU (two output multipliers) goes here. */
    default: return kernel_unsupported_type(ctx, node, in, "input", 0);
    }
    if ((st = kernel_check_type(ctx, node, alpha, "input", IN_ALPHA, in->type)) ||
        (st = kernel_check_type(ctx, node, out, "output", 0, in->type)))
        return st;
    int32_t rank, dims[MOTE_MAX_DIMS];
    if ((st = kernel_broadcast_shape(ctx, node, in, alpha, &rank, dims))) return st;
    return kernel_set_shape(ctx, node, out, rank, dims);
}

static mote_status prelu_eval(mote_context *ctx, mote_node *node) {
    const mote_tensor *in = kernel_input(ctx, node, 0), *alpha = kernel_input(ctx, node, IN_ALPHA);
    mote_tensor *out = kernel_output(ctx, node, 0);
    if (in->type != MOTE_FLOAT32) return kernel_unsupported_type(ctx, node, in, "input", 0);
    const float *x = KERNEL_DATA(in, const float), *a = KERNEL_DATA(alpha, const float);
    float *y = KERNEL_DATA(out, float);
    kernel_bcast_iter it;
    kernel_bcast_init(&it, in, alpha, out);
    KERNEL_BCAST_LOOP(it, o, i, j, y[o] = x[i] >= 0.0f ? x[i] : x[i] * a[j]);
    return MOTE_OK;
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

const mote_op mote_op_prelu = {NULL, MOTE_OP_PRELU, NULL, prelu_prepare, NULL, prelu_eval, NULL};
