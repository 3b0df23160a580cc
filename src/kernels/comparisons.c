/* comparisons.c — LESS, LESS_EQUAL, GREATER, GREATER_EQUAL, EQUAL, NOT_EQUAL with NumPy
 * broadcasting into a bool output: float32, int16, int32, int64, bool and string (EQUAL and
 * NOT_EQUAL only: byte-wise equality), and int8/uint8 compared after TensorFlow Lite's
 * rescaling of each side. */
#include "kernels/kernel.h"
#include "kernels/quant.h"

enum cmp_kind { CMP_EQ, CMP_NE, CMP_GT, CMP_GE, CMP_LT, CMP_LE };

/* TensorFlow Lite moves quantized values up by 8 bits before scaling them. */
#define CMP_LEFT_SHIFT 8

/* One quantized input's rescaling: ((q - zero_point) << 8) * scale, the scale itself (not a
 * ratio) as a Q31 multiplier below one. */
typedef struct cmp_side {
    int32_t zero_point;
    int32_t multiplier;
    int shift; /* <= 0 */
} cmp_side;

typedef struct comparison_data {
    int kind;            /* enum cmp_kind */
    int scaled;          /* int8/uint8 with quantization: compare rescaled values */
    cmp_side side[2];    /* input 0 and input 1 (when scaled) */
} comparison_data;

static int kind_of(int32_t code) {
    switch (code) {
    case MOTE_OP_EQUAL: return CMP_EQ;
    case MOTE_OP_NOT_EQUAL: return CMP_NE;
    case MOTE_OP_GREATER: return CMP_GT;
    case MOTE_OP_GREATER_EQUAL: return CMP_GE;
    case MOTE_OP_LESS: return CMP_LT;
    default: return CMP_LE;
    }
}

static mote_status comparison_init(mote_context *ctx, mote_node *node) {
    comparison_data *d = kernel_alloc_data(ctx, node, sizeof *d);
    if (!d) return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    d->kind = kind_of(node->def->builtin_code);
    return MOTE_OK;
}

static mote_status comparison_prepare(mote_context *ctx, mote_node *node) {
    comparison_data *d = node->data;
    mote_tensor *a, *b, *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 2, 2, 1)) || (st = kernel_require_input(ctx, node, 0, &a)) ||
        (st = kernel_require_input(ctx, node, 1, &b)) || (st = kernel_require_output(ctx, node, 0, &out)))
        return st;
    switch (a->type) {
    case MOTE_FLOAT32:
    case MOTE_INT8:
    case MOTE_UINT8:
    case MOTE_INT16:
    case MOTE_INT32:
    case MOTE_INT64: break;
    case MOTE_BOOL:
    case MOTE_STRING:
        if (d->kind == CMP_EQ || d->kind == CMP_NE) break;
        return kernel_unsupported_type(ctx, node, a, "input", 0);
    default: return kernel_unsupported_type(ctx, node, a, "input", 0);
    }
    if ((st = kernel_check_type(ctx, node, b, "input", 1, a->type)) ||
        (st = kernel_check_type(ctx, node, out, "output", 0, MOTE_BOOL)))
        return st;
    int32_t rank, dims[MOTE_MAX_DIMS];
    if ((st = kernel_broadcast_shape(ctx, node, a, b, &rank, dims)) ||
        (st = kernel_set_shape(ctx, node, out, rank, dims)))
        return st;
    /* Quantized 8-bit inputs are compared as real values; without quantization (scale 0),
     * as the raw integers. */
    d->scaled = (a->type == MOTE_INT8 || a->type == MOTE_UINT8) && (a->scale > 0.0f || b->scale > 0.0f);
    if (!d->scaled) return MOTE_OK;
    for (int32_t i = 0; i < 2; i++) {
        const mote_tensor *t = i ? b : a;
        cmp_side *s = &d->side[i];
        s->zero_point = t->zero_point;
        if (!quant_quantize_multiplier_smaller_than_one_exp((double)t->scale, &s->multiplier, &s->shift)) {
            char desc[160];
            return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED,
                               "%s: scale %g is outside (0, 1), which the quantized comparison needs",
                               kernel_describe(t, "input", i, desc, sizeof desc), (double)t->scale);
        }
    }
    return MOTE_OK;
}

static inline int32_t cmp_rescale(const cmp_side *s, int32_t q) {
    const int32_t shifted = (q - s->zero_point) * (1 << CMP_LEFT_SHIFT); /* |q - zp| <= 255 */
    return quant_multiply_by_quantized_multiplier_smaller_than_one_exp(shifted, s->multiplier, s->shift);
}

/* One loop per comparison, over values produced by LOAD_A(i) and LOAD_B(j). */
#define CMP_LOOPS(kind, it, z, LOAD_A, LOAD_B)                                          \
    switch (kind) {                                                                     \
    case CMP_EQ: KERNEL_BCAST_LOOP(it, o, i, j, z[o] = LOAD_A(i) == LOAD_B(j)); break;  \
    case CMP_NE: KERNEL_BCAST_LOOP(it, o, i, j, z[o] = LOAD_A(i) != LOAD_B(j)); break;  \
    case CMP_GT: KERNEL_BCAST_LOOP(it, o, i, j, z[o] = LOAD_A(i) > LOAD_B(j)); break;   \
    case CMP_GE: KERNEL_BCAST_LOOP(it, o, i, j, z[o] = LOAD_A(i) >= LOAD_B(j)); break;  \
    case CMP_LT: KERNEL_BCAST_LOOP(it, o, i, j, z[o] = LOAD_A(i) < LOAD_B(j)); break;   \
    default: KERNEL_BCAST_LOOP(it, o, i, j, z[o] = LOAD_A(i) <= LOAD_B(j)); break;      \
    }

#define DEFINE_COMPARE(name, T)                                                                    \
    static void name(int kind, const kernel_bcast_iter *itp, const mote_tensor *a,                 \
                     const mote_tensor *b, uint8_t *z) {                                           \
        const T *x = KERNEL_DATA(a, const T), *y = KERNEL_DATA(b, const T);                        \
        const kernel_bcast_iter it = *itp;                                                         \
        CMP_LOOPS(kind, it, z, LOAD_X, LOAD_Y)                                                     \
    }
#define LOAD_X(i) x[i]
#define LOAD_Y(j) y[j]
DEFINE_COMPARE(compare_f32, float)
DEFINE_COMPARE(compare_i8, int8_t)
DEFINE_COMPARE(compare_u8, uint8_t)
DEFINE_COMPARE(compare_i16, int16_t)
DEFINE_COMPARE(compare_i32, int32_t)
DEFINE_COMPARE(compare_i64, int64_t)
#undef LOAD_X
#undef LOAD_Y
/* Any non-zero byte is true. */
#define LOAD_X(i) (x[i] != 0)
#define LOAD_Y(j) (y[j] != 0)
DEFINE_COMPARE(compare_bool, uint8_t)
#undef LOAD_X
#undef LOAD_Y

#define DEFINE_COMPARE_SCALED(name, T)                                                             \
    static void name(const comparison_data *d, const kernel_bcast_iter *itp, const mote_tensor *a,  \
                     const mote_tensor *b, uint8_t *z) {                                           \
        const T *x = KERNEL_DATA(a, const T), *y = KERNEL_DATA(b, const T);                        \
        const cmp_side *sa = &d->side[0], *sb = &d->side[1];                                       \
        const kernel_bcast_iter it = *itp;                                                         \
        CMP_LOOPS(d->kind, it, z, LOAD_X, LOAD_Y)                                                  \
    }
#define LOAD_X(i) cmp_rescale(sa, x[i])
#define LOAD_Y(j) cmp_rescale(sb, y[j])
DEFINE_COMPARE_SCALED(compare_scaled_i8, int8_t)
DEFINE_COMPARE_SCALED(compare_scaled_u8, uint8_t)
#undef LOAD_X
#undef LOAD_Y

static int strings_equal(const mote_tensor *a, size_t i, const mote_tensor *b, size_t j) {
    size_t la, lb;
    const uint8_t *sa = kernel_string_at(a, i, &la), *sb = kernel_string_at(b, j, &lb);
    return la == lb && (la == 0 || memcmp(sa, sb, la) == 0);
}

/* Strings: equal when their bytes are (checked as well-formed buffers first). */
static mote_status compare_strings(mote_context *ctx, const mote_node *node, int kind, const kernel_bcast_iter *itp,
                                   const mote_tensor *a, const mote_tensor *b, uint8_t *z) {
    mote_status st;
    if ((st = kernel_check_strings(ctx, node, a, "input", 0)) || (st = kernel_check_strings(ctx, node, b, "input", 1)))
        return st;
    const kernel_bcast_iter it = *itp;
    const uint8_t want = kind == CMP_EQ;
    KERNEL_BCAST_LOOP(it, o, i, j, z[o] = (uint8_t)(strings_equal(a, i, b, j) == want));
    return MOTE_OK;
}

static mote_status comparison_eval(mote_context *ctx, mote_node *node) {
    const comparison_data *d = node->data;
    const mote_tensor *a = kernel_input(ctx, node, 0), *b = kernel_input(ctx, node, 1);
    mote_tensor *out = kernel_output(ctx, node, 0);
    uint8_t *z = out->data;
    kernel_bcast_iter it;
    kernel_bcast_init(&it, a, b, out);
    switch (a->type) {
    case MOTE_FLOAT32: compare_f32(d->kind, &it, a, b, z); break;
    case MOTE_INT8:
        if (d->scaled)
            compare_scaled_i8(d, &it, a, b, z);
        else
            compare_i8(d->kind, &it, a, b, z);
        break;
    case MOTE_UINT8:
        if (d->scaled)
            compare_scaled_u8(d, &it, a, b, z);
        else
            compare_u8(d->kind, &it, a, b, z);
        break;
    case MOTE_INT16: compare_i16(d->kind, &it, a, b, z); break;
    case MOTE_INT32: compare_i32(d->kind, &it, a, b, z); break;
    case MOTE_INT64: compare_i64(d->kind, &it, a, b, z); break;
    case MOTE_BOOL: compare_bool(d->kind, &it, a, b, z); break;
    case MOTE_STRING: return compare_strings(ctx, node, d->kind, &it, a, b, z);
    default: return kernel_unsupported_type(ctx, node, a, "input", 0);
    }
    return MOTE_OK;
}

#define COMPARISON_OP(sym, code) \
    const mote_op sym = {NULL, code, comparison_init, comparison_prepare, NULL, comparison_eval, NULL};

COMPARISON_OP(mote_op_equal, MOTE_OP_EQUAL)
COMPARISON_OP(mote_op_not_equal, MOTE_OP_NOT_EQUAL)
COMPARISON_OP(mote_op_greater, MOTE_OP_GREATER)
COMPARISON_OP(mote_op_greater_equal, MOTE_OP_GREATER_EQUAL)
COMPARISON_OP(mote_op_less, MOTE_OP_LESS)
COMPARISON_OP(mote_op_less_equal, MOTE_OP_LESS_EQUAL)
