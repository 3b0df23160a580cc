/* arithmetic.c — ADD, SUB, MUL, DIV with NumPy broadcasting and a fused activation, as
 * TensorFlow Lite's reference kernels define them: float32, int32 and int64 (DIV: float32
 * and int32), and the quantized types (arithmetic_quant.c). */
#include "kernels/arithmetic.h"
#include "kernels/arith_f32_opt.h"
#include "kernels/arith_i8_opt.h"

/* Options of all four ops: fused_activation_function is field 0; ADD and SUB have
 * pot_scale_int16 (default true) as field 1. */
#define OPT_FUSED_ACTIVATION 0
#define OPT_POT_SCALE_INT16 1

typedef struct arithmetic_data {
    int32_t activation;      /* ActivationFunctionType */
    int32_t pot_scale_int16; /* ADD/SUB: int16 may take the power-of-two path */
    arith_quant q;           /* quantized constants (set in prepare) */
} arithmetic_data;

static int options_type_of(int32_t code) {
    switch (code) {
    case MOTE_OP_ADD: return TFL_OPTIONS_ADD;
    case MOTE_OP_SUB: return TFL_OPTIONS_SUB;
    case MOTE_OP_MUL: return TFL_OPTIONS_MUL;
    default: return TFL_OPTIONS_DIV;
    }
}

static mote_status arithmetic_init(mote_context *ctx, mote_node *node) {
    arithmetic_data *d = kernel_alloc_data(ctx, node, sizeof *d);
    if (!d) return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    const int32_t code = node->def->builtin_code;
    fb_table opt = kernel_options(ctx, node, options_type_of(code));
    d->activation = KOPT_I8(ctx, opt, OPT_FUSED_ACTIVATION, ACT_NONE);
    d->pot_scale_int16 = 0;
    if (code == MOTE_OP_ADD || code == MOTE_OP_SUB) d->pot_scale_int16 = KOPT_BOOL(ctx, opt, OPT_POT_SCALE_INT16, 1);
    return kernel_check_activation(ctx, node, d->activation);
}

static int is_quantized(mote_type type) { return type == MOTE_INT8 || type == MOTE_UINT8 || type == MOTE_INT16; }

static mote_status arithmetic_prepare(mote_context *ctx, mote_node *node) {
    arithmetic_data *d = node->data;
    const int32_t code = node->def->builtin_code;
    mote_tensor *a, *b, *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 2, 2, 1)) || (st = kernel_require_input(ctx, node, 0, &a)) ||
        (st = kernel_require_input(ctx, node, 1, &b)) || (st = kernel_require_output(ctx, node, 0, &out)))
        return st;
    /* Sparse constants keep their encoded size; only DENSIFY may read them. */
    for (int32_t i = 0; i < 2; i++) {
        const mote_tensor *t = i ? b : a;
        char desc[160];
        if (t->def && t->def->sparsity)
            return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED, "%s: sparse tensors are not supported",
                               kernel_describe(t, "input", i, desc, sizeof desc));
    }
    switch (a->type) {
    case MOTE_FLOAT32:
    case MOTE_INT32:
    case MOTE_INT8:
    case MOTE_UINT8:
    case MOTE_INT16: break;
    case MOTE_INT64:
        if (code != MOTE_OP_DIV) break;
        return kernel_unsupported_type(ctx, node, a, "input", 0);
    default: return kernel_unsupported_type(ctx, node, a, "input", 0);
    }
    if ((st = kernel_check_type(ctx, node, b, "input", 1, a->type))) return st;
    /* TensorFlow Lite's LSTM-era int16 x int16 -> 8-bit MUL is not implemented. */
    if (code == MOTE_OP_MUL && a->type == MOTE_INT16 && (out->type == MOTE_INT8 || out->type == MOTE_UINT8))
        return kernel_unsupported_type(ctx, node, out, "output", 0);
    if ((st = kernel_check_type(ctx, node, out, "output", 0, a->type))) return st;
    int32_t rank, dims[MOTE_MAX_DIMS];
    if ((st = kernel_broadcast_shape(ctx, node, a, b, &rank, dims)) ||
        (st = kernel_set_shape(ctx, node, out, rank, dims)))
        return st;
    if (is_quantized(a->type))
        return arith_quant_prepare(ctx, node, code, d->activation, d->pot_scale_int16, a, b, out, &d->q);
    return MOTE_OK;
}

static void arithmetic_f32(const arithmetic_data *d, int32_t code, const mote_tensor *a, const mote_tensor *b,
                           mote_tensor *out) {
    const float *x = KERNEL_DATA(a, const float), *y = KERNEL_DATA(b, const float);
    float *z = KERNEL_DATA(out, float);
    float lo, hi;
    kernel_activation_range_f32(d->activation, &lo, &hi);
    kernel_bcast_iter it;
    kernel_bcast_init(&it, a, b, out);
    switch (code) {
    case MOTE_OP_ADD: KERNEL_BCAST_LOOP(it, o, i, j, z[o] = kernel_clamp_f32(x[i] + y[j], lo, hi)); break;
    case MOTE_OP_SUB: KERNEL_BCAST_LOOP(it, o, i, j, z[o] = kernel_clamp_f32(x[i] - y[j], lo, hi)); break;
    case MOTE_OP_MUL: KERNEL_BCAST_LOOP(it, o, i, j, z[o] = kernel_clamp_f32(x[i] * y[j], lo, hi)); break;
    default: KERNEL_BCAST_LOOP(it, o, i, j, z[o] = kernel_clamp_f32(x[i] / y[j], lo, hi)); break;
    }
}

/* Plain integers wrap around on overflow as TensorFlow Lite's do in practice (computed in
 * unsigned arithmetic here), then take the activation's clamp. */
#define CLAMP(v, lo, hi) ((v) < (lo) ? (lo) : (v) > (hi) ? (hi) : (v))
#define DEFINE_ARITHMETIC_INT(name, T, U, T_MIN, T_MAX)                                                  \
    static void name(const arithmetic_data *d, int32_t code, const mote_tensor *a, const mote_tensor *b,  \
                     mote_tensor *out) {                                                                 \
        const T *x = KERNEL_DATA(a, const T), *y = KERNEL_DATA(b, const T);                              \
        T *z = KERNEL_DATA(out, T);                                                                      \
        int64_t lo64, hi64;                                                                              \
        arith_activation_range_i64(d->activation, T_MIN, T_MAX, &lo64, &hi64);                           \
        const T lo = (T)lo64, hi = (T)hi64;                                                              \
        kernel_bcast_iter it;                                                                            \
        kernel_bcast_init(&it, a, b, out);                                                               \
        switch (code) {                                                                                  \
        case MOTE_OP_ADD:                                                                                \
            KERNEL_BCAST_LOOP(it, o, i, j, {                                                             \
                T v = (T)((U)x[i] + (U)y[j]);                                                            \
                z[o] = CLAMP(v, lo, hi);                                                                 \
            });                                                                                          \
            break;                                                                                       \
        case MOTE_OP_SUB:                                                                                \
            KERNEL_BCAST_LOOP(it, o, i, j, {                                                             \
                T v = (T)((U)x[i] - (U)y[j]);                                                            \
                z[o] = CLAMP(v, lo, hi);                                                                 \
            });                                                                                          \
            break;                                                                                       \
        case MOTE_OP_MUL:                                                                                \
            KERNEL_BCAST_LOOP(it, o, i, j, {                                                             \
                T v = (T)((U)x[i] * (U)y[j]);                                                            \
                z[o] = CLAMP(v, lo, hi);                                                                 \
            });                                                                                          \
            break;                                                                                       \
        default: /* divisors checked non-zero by the caller; MIN / -1 wraps to MIN */                   \
            KERNEL_BCAST_LOOP(it, o, i, j, {                                                             \
                T v = y[j] == -1 ? (T)(0 - (U)x[i]) : (T)(x[i] / y[j]);                                  \
                z[o] = CLAMP(v, lo, hi);                                                                 \
            });                                                                                          \
            break;                                                                                       \
        }                                                                                                \
    }

/* The unsigned results are converted back with the usual modulo wrap: GCC and Clang define
 * out-of-range conversions to signed types that way. */
DEFINE_ARITHMETIC_INT(arithmetic_i32, int32_t, uint32_t, INT32_MIN, INT32_MAX)
DEFINE_ARITHMETIC_INT(arithmetic_i64, int64_t, uint64_t, INT64_MIN, INT64_MAX)

static mote_status arithmetic_eval(mote_context *ctx, mote_node *node) {
    const arithmetic_data *d = node->data;
    const int32_t code = node->def->builtin_code;
    const mote_tensor *a = kernel_input(ctx, node, 0), *b = kernel_input(ctx, node, 1);
    mote_tensor *out = kernel_output(ctx, node, 0);
    switch (a->type) {
    case MOTE_FLOAT32: {
        float lo, hi;
        kernel_activation_range_f32(d->activation, &lo, &hi);
        if (!arith_f32_opt_eval(ctx, code, lo, hi, a, b, out)) arithmetic_f32(d, code, a, b, out);
        break;
    }
    case MOTE_INT32:
        if (code == MOTE_OP_DIV) {
            const int32_t *y = KERNEL_DATA(b, const int32_t);
            for (size_t k = 0, n = kernel_count(b); k < n; k++)
                if (y[k] == 0) return kernel_fail(ctx, node, MOTE_ERROR_RUNTIME, "integer division by zero");
        }
        arithmetic_i32(d, code, a, b, out);
        break;
    case MOTE_INT64: arithmetic_i64(d, code, a, b, out); break;
    case MOTE_INT8:
    case MOTE_UINT8:
        /* Same shapes: the optimized path (arith_i8_opt.c). */
        if (arith_i8_opt_eval(ctx, code, &d->q, a, b, out)) break;
        arith_quant_eval(code, &d->q, a, b, out);
        break;
    case MOTE_INT16: arith_quant_eval(code, &d->q, a, b, out); break;
    default: return kernel_unsupported_type(ctx, node, a, "input", 0);
    }
    return MOTE_OK;
}

#define ARITHMETIC_OP(sym, code) \
    const mote_op sym = {NULL, code, arithmetic_init, arithmetic_prepare, NULL, arithmetic_eval, NULL};

ARITHMETIC_OP(mote_op_add, MOTE_OP_ADD)
ARITHMETIC_OP(mote_op_sub, MOTE_OP_SUB)
ARITHMETIC_OP(mote_op_mul, MOTE_OP_MUL)
ARITHMETIC_OP(mote_op_div, MOTE_OP_DIV)
