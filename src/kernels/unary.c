/* unary.c — element-wise math: ABS, NEG, SQUARE, SQRT, RSQRT, EXP, LOG, SIN, COS, FLOOR,
 * CEIL, ROUND, SIGN on float32 (and the integer types TensorFlow Lite accepts for ABS, NEG
 * and SIGN), with the int8/int16 quantized paths of unary_quant.c. */
#include "kernels/unary.h"

/* Float expressions must round as TensorFlow Lite's do (no contraction). */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

typedef struct unary_data {
    int quantized; /* int8, or int16 with quantization: the unary_quant path */
    unary_quant q; /* its parameters and tables, set in prepare */
} unary_data;

static mote_status unary_init(mote_context *ctx, mote_node *node) {
    if (!kernel_alloc_data(ctx, node, sizeof(unary_data)))
        return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    return MOTE_OK;
}

/* Which plain (not quantized) types each operator takes, as in TensorFlow Lite. */
static int plain_type_ok(int32_t code, mote_type t) {
    switch (code) {
    case MOTE_OP_ABS: return t == MOTE_FLOAT32 || t == MOTE_INT32 || t == MOTE_INT16;
    case MOTE_OP_NEG:
        return t == MOTE_FLOAT32 || t == MOTE_INT32 || t == MOTE_INT64 || t == MOTE_INT8 || t == MOTE_INT16;
    case MOTE_OP_SIGN: return t == MOTE_FLOAT32 || t == MOTE_FLOAT64 || t == MOTE_INT32;
    default: return t == MOTE_FLOAT32;
    }
}

/* Which operators have a quantized int8/int16 path. */
static int has_quantized_path(int32_t code) {
    switch (code) {
    case MOTE_OP_ABS:
    case MOTE_OP_SQRT:
    case MOTE_OP_RSQRT:
    case MOTE_OP_EXP:
    case MOTE_OP_LOG: return 1;
    default: return 0;
    }
}

static mote_status unary_prepare(mote_context *ctx, mote_node *node) {
    unary_data *d = node->data;
    const int32_t code = node->def->builtin_code;
    mote_tensor *in, *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 1, 1, 1)) || (st = kernel_require_input(ctx, node, 0, &in)) ||
        (st = kernel_require_output(ctx, node, 0, &out)) ||
        (st = kernel_check_type(ctx, node, out, "output", 0, in->type)))
        return st;
    /* NEG on int8/int16 negates the stored values (TensorFlow Lite ignores quantization
     * there); int16 ABS without quantization takes plain absolute values. */
    const int quantized_input = in->def && in->def->quant_count > 0;
    d->quantized =
        has_quantized_path(code) &&
        (in->type == MOTE_INT8 || (in->type == MOTE_INT16 && (quantized_input || code != MOTE_OP_ABS)));
    if (d->quantized) {
        if ((st = unary_quant_prepare(ctx, node, code, in, out, &d->q))) return st;
    } else if (!plain_type_ok(code, in->type)) {
        return kernel_unsupported_type(ctx, node, in, "input", 0);
    }
    return kernel_copy_shape(ctx, node, out, in);
}

/* ROUND: halves to even, as TensorFlow Lite's RoundToNearest (rintf in the default mode). */
static float round_half_even(float x) { return rintf(x); }

static float sign_f32(float x) { return (float)((0.0f < x) - (x < 0.0f)); }

static void unary_f32(int32_t code, const float *x, float *y, size_t n) {
    switch (code) {
    case MOTE_OP_ABS:
        for (size_t i = 0; i < n; i++) y[i] = fabsf(x[i]);
        break;
    case MOTE_OP_NEG:
        for (size_t i = 0; i < n; i++) y[i] = -x[i];
        break;
    case MOTE_OP_SQUARE:
        for (size_t i = 0; i < n; i++) y[i] = x[i] * x[i];
        break;
    case MOTE_OP_SQRT:
        for (size_t i = 0; i < n; i++) y[i] = sqrtf(x[i]);
        break;
    case MOTE_OP_RSQRT:
        for (size_t i = 0; i < n; i++) y[i] = 1.0f / sqrtf(x[i]);
        break;
    case MOTE_OP_EXP:
        for (size_t i = 0; i < n; i++) y[i] = expf(x[i]);
        break;
    case MOTE_OP_LOG:
        for (size_t i = 0; i < n; i++) y[i] = logf(x[i]);
        break;
    case MOTE_OP_SIN:
        for (size_t i = 0; i < n; i++) y[i] = sinf(x[i]);
        break;
    case MOTE_OP_COS:
        for (size_t i = 0; i < n; i++) y[i] = cosf(x[i]);
        break;
    case MOTE_OP_FLOOR:
        for (size_t i = 0; i < n; i++) y[i] = floorf(x[i]);
        break;
    case MOTE_OP_CEIL:
        for (size_t i = 0; i < n; i++) y[i] = ceilf(x[i]);
        break;
    case MOTE_OP_ROUND:
        for (size_t i = 0; i < n; i++) y[i] = round_half_even(x[i]);
        break;
    case MOTE_OP_SIGN:
        for (size_t i = 0; i < n; i++) y[i] = sign_f32(x[i]);
        break;
    default: break;
    }
}

/* Integer ABS and NEG wrap at the type's minimum (-(-128) is -128), as TensorFlow Lite's
 * two's-complement casts do; SIGN gives -1, 0 or 1. */
static void unary_int(int32_t code, mote_type type, const void *in, void *out, size_t n) {
    switch (type) {
    case MOTE_INT8: {
        const int8_t *x = in;
        int8_t *y = out;
        for (size_t i = 0; i < n; i++) y[i] = (int8_t)(uint8_t)(0u - (uint8_t)x[i]);
        break;
    }
    case MOTE_INT16: {
        const int16_t *x = in;
        int16_t *y = out;
        for (size_t i = 0; i < n; i++) {
            int32_t v = code == MOTE_OP_ABS && x[i] >= 0 ? x[i] : -(int32_t)x[i];
            y[i] = quant_wrap_i16(v);
        }
        break;
    }
    case MOTE_INT32: {
        const int32_t *x = in;
        int32_t *y = out;
        for (size_t i = 0; i < n; i++) {
            if (code == MOTE_OP_SIGN)
                y[i] = (0 < x[i]) - (x[i] < 0);
            else
                y[i] = code == MOTE_OP_ABS && x[i] >= 0 ? x[i] : quant_wrap_neg_i32(x[i]);
        }
        break;
    }
    case MOTE_INT64: { /* NEG only */
        const int64_t *x = in;
        int64_t *y = out;
        for (size_t i = 0; i < n; i++) y[i] = (int64_t)(0u - (uint64_t)x[i]);
        break;
    }
    default: break;
    }
}

static mote_status unary_eval(mote_context *ctx, mote_node *node) {
    const unary_data *d = node->data;
    const int32_t code = node->def->builtin_code;
    const mote_tensor *in = kernel_input(ctx, node, 0);
    mote_tensor *out = kernel_output(ctx, node, 0);
    const size_t n = kernel_count(in);
    if (d->quantized) return unary_quant_eval(ctx, node, &d->q, in->type, in->data, out->data, n);
    if (in->type == MOTE_FLOAT32) {
        unary_f32(code, KERNEL_DATA(in, const float), KERNEL_DATA(out, float), n);
    } else if (in->type == MOTE_FLOAT64) { /* SIGN only */
        const double *x = KERNEL_DATA(in, const double);
        double *y = KERNEL_DATA(out, double);
        for (size_t i = 0; i < n; i++) y[i] = (double)((0.0 < x[i]) - (x[i] < 0.0));
    } else {
        unary_int(code, in->type, in->data, out->data, n);
    }
    return MOTE_OK;
}

#define UNARY_OP(sym, code) \
    const mote_op sym = {NULL, code, unary_init, unary_prepare, NULL, unary_eval, NULL};

UNARY_OP(mote_op_abs, MOTE_OP_ABS)
UNARY_OP(mote_op_neg, MOTE_OP_NEG)
UNARY_OP(mote_op_square, MOTE_OP_SQUARE)
UNARY_OP(mote_op_sqrt, MOTE_OP_SQRT)
UNARY_OP(mote_op_rsqrt, MOTE_OP_RSQRT)
UNARY_OP(mote_op_exp, MOTE_OP_EXP)
UNARY_OP(mote_op_log, MOTE_OP_LOG)
UNARY_OP(mote_op_sin, MOTE_OP_SIN)
UNARY_OP(mote_op_cos, MOTE_OP_COS)
UNARY_OP(mote_op_floor, MOTE_OP_FLOOR)
UNARY_OP(mote_op_ceil, MOTE_OP_CEIL)
UNARY_OP(mote_op_round, MOTE_OP_ROUND)
UNARY_OP(mote_op_sign, MOTE_OP_SIGN)
