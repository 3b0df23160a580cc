/* arithmetic_binary.c — SQUARED_DIFFERENCE, MAXIMUM, MINIMUM, FLOOR_DIV, FLOOR_MOD and POW
 * with NumPy broadcasting, as TensorFlow Lite's reference kernels define them:
 *   SQUARED_DIFFERENCE  float32, int32; int8/uint8/int16 quantized (arithmetic_quant.c)
 *   MAXIMUM, MINIMUM    float32, int8, uint8, int16, int32, int64 (raw values compared)
 *   FLOOR_DIV           float32, int8, int16, int32: floor of the quotient taken in double
 *   FLOOR_MOD           float32, int8, int16, int32, int64: the remainder takes the divisor's sign
 *   POW                 float32 (powf), int32 (pow in double, exponents >= 0)
 * Integer divisors of zero and negative integer exponents fail at run time, as in
 * TensorFlow Lite. */
#include "kernels/arithmetic.h"
#include "kernels/arith_f32_opt.h"

typedef struct binary_data {
    arith_quant q; /* SQUARED_DIFFERENCE on quantized types (set in prepare) */
} binary_data;

static mote_status binary_init(mote_context *ctx, mote_node *node) {
    if (!kernel_alloc_data(ctx, node, sizeof(binary_data)))
        return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    return MOTE_OK;
}

/* Which element types each op computes. */
static int type_supported(int32_t code, mote_type type) {
    switch (code) {
    case MOTE_OP_SQUARED_DIFFERENCE:
        return type == MOTE_FLOAT32 || type == MOTE_INT32 || type == MOTE_INT8 || type == MOTE_UINT8 ||
               type == MOTE_INT16;
    case MOTE_OP_MAXIMUM:
    case MOTE_OP_MINIMUM:
        return type == MOTE_FLOAT32 || type == MOTE_INT8 || type == MOTE_UINT8 || type == MOTE_INT16 ||
               type == MOTE_INT32 || type == MOTE_INT64;
    case MOTE_OP_FLOOR_DIV:
        return type == MOTE_FLOAT32 || type == MOTE_INT8 || type == MOTE_INT16 || type == MOTE_INT32;
    case MOTE_OP_FLOOR_MOD:
        return type == MOTE_FLOAT32 || type == MOTE_INT8 || type == MOTE_INT16 || type == MOTE_INT32 ||
               type == MOTE_INT64;
    default: /* POW */
        return type == MOTE_FLOAT32 || type == MOTE_INT32;
    }
}

static mote_status binary_prepare(mote_context *ctx, mote_node *node) {
    binary_data *d = node->data;
    const int32_t code = node->def->builtin_code;
    mote_tensor *a, *b, *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 2, 2, 1)) || (st = kernel_require_input(ctx, node, 0, &a)) ||
        (st = kernel_require_input(ctx, node, 1, &b)) || (st = kernel_require_output(ctx, node, 0, &out)))
        return st;
    if (!type_supported(code, a->type)) return kernel_unsupported_type(ctx, node, a, "input", 0);
    if ((st = kernel_check_type(ctx, node, b, "input", 1, a->type)) ||
        (st = kernel_check_type(ctx, node, out, "output", 0, a->type)))
        return st;
    int32_t rank, dims[MOTE_MAX_DIMS];
    if ((st = kernel_broadcast_shape(ctx, node, a, b, &rank, dims)) ||
        (st = kernel_set_shape(ctx, node, out, rank, dims)))
        return st;
    if (code == MOTE_OP_SQUARED_DIFFERENCE &&
        (a->type == MOTE_INT8 || a->type == MOTE_UINT8 || a->type == MOTE_INT16))
        return arith_quant_prepare(ctx, node, code, ACT_NONE, 0, a, b, out, &d->q);
    return MOTE_OK;
}

/* ---- per-element functions ---- */

static inline float sqdiff_f32(float x, float y) {
    float diff = x - y;
    return diff * diff;
}
static inline int32_t sqdiff_i32(int32_t x, int32_t y) {
    uint32_t diff = (uint32_t)x - (uint32_t)y;
    return (int32_t)(diff * diff);
}
/* floor(x / y) with the quotient in double, for floats and integers alike. */
static inline double floor_div_f64(double x, double y) { return floor(x / y); }
static inline float floor_mod_f32(float x, float y) {
    float r = fmodf(x, y);
    return r != 0.0f && ((y < 0.0f) != (r < 0.0f)) ? r + y : r;
}
/* C's % truncates; the result then moves into the divisor's sign. MIN % -1 is 0. */
#define FLOOR_MOD_INT(x, y, T) \
    ((y) == -1 ? (T)0 : ((x) % (y) != 0 && (((y) < 0) != ((x) % (y) < 0)) ? (T)((x) % (y) + (y)) : (T)((x) % (y))))

/* (int32)pow(x, y) in double, as TensorFlow Lite's int32 POW computes it; results outside
 * int32 give INT32_MIN (x86's conversion result; the C++ cast is undefined there). */
static inline int32_t pow_i32(int32_t x, int32_t y) {
    double r = pow((double)x, (double)y);
    if (!(r >= -2147483648.0 && r < 2147483648.0)) return INT32_MIN;
    return (int32_t)r;
}

#define BINARY_LOOP(T, EXPR)                                                        \
    do {                                                                            \
        const T *x_ = KERNEL_DATA(a, const T), *y_ = KERNEL_DATA(b, const T);       \
        T *z_ = KERNEL_DATA(out, T);                                                \
        KERNEL_BCAST_LOOP(it, o_, i_, j_, {                                         \
            const T xv = x_[i_]; const T yv = y_[j_];                                 \
            z_[o_] = (T)(EXPR);                                                     \
        });                                                                         \
    } while (0)

/* MAXIMUM and MINIMUM for every type (quantized ones compare raw values). */
#define MAX_MIN_TYPES(OP)                                                           \
    do {                                                                            \
        switch (a->type) {                                                          \
        case MOTE_FLOAT32: BINARY_LOOP(float, xv OP yv ? xv : yv); break;           \
        case MOTE_INT8: BINARY_LOOP(int8_t, xv OP yv ? xv : yv); break;             \
        case MOTE_UINT8: BINARY_LOOP(uint8_t, xv OP yv ? xv : yv); break;           \
        case MOTE_INT16: BINARY_LOOP(int16_t, xv OP yv ? xv : yv); break;           \
        case MOTE_INT32: BINARY_LOOP(int32_t, xv OP yv ? xv : yv); break;           \
        default: BINARY_LOOP(int64_t, xv OP yv ? xv : yv); break;                   \
        }                                                                           \
    } while (0)

/* Fails when an integer divisor (or POW exponent) is out of the op's domain. */
static mote_status check_second_input(mote_context *ctx, const mote_node *node, int32_t code,
                                      const mote_tensor *b) {
    const size_t n = kernel_count(b);
    if (b->type == MOTE_FLOAT32) return MOTE_OK;
    if (code == MOTE_OP_POW) {
        const int32_t *y = KERNEL_DATA(b, const int32_t);
        for (size_t k = 0; k < n; k++)
            if (y[k] < 0)
                return kernel_fail(ctx, node, MOTE_ERROR_RUNTIME, "int32 POW does not take negative exponents");
        return MOTE_OK;
    }
    if (code != MOTE_OP_FLOOR_DIV && code != MOTE_OP_FLOOR_MOD) return MOTE_OK;
    for (size_t k = 0; k < n; k++) {
        int64_t v;
        switch (b->type) {
        case MOTE_INT8: v = KERNEL_DATA(b, const int8_t)[k]; break;
        case MOTE_INT16: v = KERNEL_DATA(b, const int16_t)[k]; break;
        case MOTE_INT32: v = KERNEL_DATA(b, const int32_t)[k]; break;
        default: v = KERNEL_DATA(b, const int64_t)[k]; break;
        }
        if (v == 0) return kernel_fail(ctx, node, MOTE_ERROR_RUNTIME, "integer division by zero");
    }
    return MOTE_OK;
}

static mote_status binary_eval(mote_context *ctx, mote_node *node) {
    const binary_data *d = node->data;
    const int32_t code = node->def->builtin_code;
    const mote_tensor *a = kernel_input(ctx, node, 0), *b = kernel_input(ctx, node, 1);
    mote_tensor *out = kernel_output(ctx, node, 0);
    mote_status st = check_second_input(ctx, node, code, b);
    if (st) return st;
    kernel_bcast_iter it;
    kernel_bcast_init(&it, a, b, out);
    switch (code) {
    case MOTE_OP_SQUARED_DIFFERENCE:
        if (a->type == MOTE_FLOAT32 && arith_f32_opt_eval(ctx, code, -INFINITY, INFINITY, a, b, out))
            break; /* the optimized path (arith_f32_opt.c) */
        if (a->type == MOTE_FLOAT32)
            BINARY_LOOP(float, sqdiff_f32(xv, yv));
        else if (a->type == MOTE_INT32)
            BINARY_LOOP(int32_t, sqdiff_i32(xv, yv));
        else
            arith_quant_eval(code, &d->q, a, b, out);
        break;
    case MOTE_OP_MAXIMUM: MAX_MIN_TYPES(>); break;
    case MOTE_OP_MINIMUM: MAX_MIN_TYPES(<); break;
    case MOTE_OP_FLOOR_DIV:
        switch (a->type) {
        case MOTE_FLOAT32: BINARY_LOOP(float, floor_div_f64(xv, yv)); break;
        /* |quotient| <= 2^31: exact in double; MIN / -1 wraps to MIN. */
        case MOTE_INT8: BINARY_LOOP(int8_t, quant_wrap_i32((int64_t)floor_div_f64(xv, yv))); break;
        case MOTE_INT16: BINARY_LOOP(int16_t, quant_wrap_i32((int64_t)floor_div_f64(xv, yv))); break;
        default: BINARY_LOOP(int32_t, quant_wrap_i32((int64_t)floor_div_f64(xv, yv))); break;
        }
        break;
    case MOTE_OP_FLOOR_MOD:
        switch (a->type) {
        case MOTE_FLOAT32: BINARY_LOOP(float, floor_mod_f32(xv, yv)); break;
        case MOTE_INT8: BINARY_LOOP(int8_t, FLOOR_MOD_INT(xv, yv, int8_t)); break;
        case MOTE_INT16: BINARY_LOOP(int16_t, FLOOR_MOD_INT(xv, yv, int16_t)); break;
        case MOTE_INT32: BINARY_LOOP(int32_t, FLOOR_MOD_INT(xv, yv, int32_t)); break;
        default: BINARY_LOOP(int64_t, FLOOR_MOD_INT(xv, yv, int64_t)); break;
        }
        break;
    default: /* POW */
        if (a->type == MOTE_FLOAT32)
            BINARY_LOOP(float, powf(xv, yv));
        else
            BINARY_LOOP(int32_t, pow_i32(xv, yv));
        break;
    }
    return MOTE_OK;
}

#define BINARY_OP(sym, code) const mote_op sym = {NULL, code, binary_init, binary_prepare, NULL, binary_eval, NULL};

BINARY_OP(mote_op_squared_difference, MOTE_OP_SQUARED_DIFFERENCE)
BINARY_OP(mote_op_maximum, MOTE_OP_MAXIMUM)
BINARY_OP(mote_op_minimum, MOTE_OP_MINIMUM)
BINARY_OP(mote_op_floor_div, MOTE_OP_FLOOR_DIV)
BINARY_OP(mote_op_floor_mod, MOTE_OP_FLOOR_MOD)
BINARY_OP(mote_op_pow, MOTE_OP_POW)
