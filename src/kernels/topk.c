/* topk.c — TOPK_V2: the k largest values of each row (the last dimension), largest first,
 * and their positions (int32 or int64). Equal values keep their order in the row (the
 * smaller index first), as TensorFlow Lite orders them. float32, int8, uint8, int16, int32,
 * int64; k must be readable in prepare. */
#include "kernels/shape_arg.h"

enum { IN_INPUT = 0, IN_K = 1 };
enum { OUT_VALUES = 0, OUT_INDICES = 1 };

typedef struct topk_data {
    int32_t k;
    size_t rows, row_size;
} topk_data;

static mote_status topk_init(mote_context *ctx, mote_node *node) {
    return kernel_init_data(ctx, node, sizeof(topk_data));
}

static mote_status topk_prepare(mote_context *ctx, mote_node *node) {
    topk_data *d = node->data;
    mote_tensor *in, *k_t, *values, *indices;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 2, 2, 2)) || (st = kernel_require_input(ctx, node, IN_INPUT, &in)) ||
        (st = kernel_require_input(ctx, node, IN_K, &k_t)) ||
        (st = kernel_require_output(ctx, node, OUT_VALUES, &values)) ||
        (st = kernel_require_output(ctx, node, OUT_INDICES, &indices)) ||
        (st = kernel_check_int_arg(ctx, node, k_t, "input", IN_K)) ||
        (st = shape_arg_check_count(ctx, node, k_t, "input", IN_K, 1)))
        return st;
    switch (in->type) {
    case MOTE_FLOAT32:
    case MOTE_INT8:
    case MOTE_UINT8:
    case MOTE_INT16:
    case MOTE_INT32:
    case MOTE_INT64: break;
    default: return kernel_unsupported_type(ctx, node, in, "input", IN_INPUT);
    }
    if ((st = kernel_check_type(ctx, node, values, "output", OUT_VALUES, in->type))) return st;
    if (indices->type != MOTE_INT32 && indices->type != MOTE_INT64)
        return kernel_unsupported_type(ctx, node, indices, "output", OUT_INDICES);
    if (in->rank < 1) return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "the input must have rank 1 or more");
    const int32_t n = in->dims[in->rank - 1];
    const int64_t k = kernel_int_at(k_t, 0);
    if (k < 0 || k > n)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "k is %lld; rows have %d values", (long long)k, n);
    int32_t dims[MOTE_MAX_DIMS];
    memcpy(dims, in->dims, sizeof(int32_t) * (size_t)in->rank);
    dims[in->rank - 1] = (int32_t)k;
    d->k = (int32_t)k;
    d->rows = kernel_dims_product(in, 0, in->rank - 1);
    d->row_size = (size_t)n;
    if ((st = kernel_set_shape(ctx, node, values, in->rank, dims))) return st;
    return kernel_set_shape(ctx, node, indices, in->rank, dims);
}

/* Each row by insertion into the sorted outputs: a value enters after every kept value that
 * is greater or equal (so earlier positions stay first among equals), pushing the last out. */
#define DEFINE_TOPK(name, T, I)                                                                \
    static void name(const topk_data *d, const T *x, T *vals, I *idx) {                        \
        const size_t k = (size_t)d->k;                                                         \
        for (size_t r = 0; r < d->rows; r++, x += d->row_size, vals += k, idx += k) {          \
            size_t kept = 0;                                                                   \
            for (size_t i = 0; i < d->row_size && k > 0; i++) {                               \
                const T v = x[i];                                                              \
                if (kept == k && !(v > vals[k - 1])) continue;                                 \
                size_t at = kept < k ? kept : k - 1;                                           \
                while (at > 0 && v > vals[at - 1]) {                                           \
                    vals[at] = vals[at - 1];                                                   \
                    idx[at] = idx[at - 1];                                                     \
                    at--;                                                                      \
                }                                                                              \
                vals[at] = v;                                                                  \
                idx[at] = (I)i;                                                                \
                if (kept < k) kept++;                                                          \
            }                                                                                  \
        }                                                                                      \
    }
DEFINE_TOPK(topk_f32_i32, float, int32_t)
DEFINE_TOPK(topk_i8_i32, int8_t, int32_t)
DEFINE_TOPK(topk_u8_i32, uint8_t, int32_t)
DEFINE_TOPK(topk_i16_i32, int16_t, int32_t)
DEFINE_TOPK(topk_i32_i32, int32_t, int32_t)
DEFINE_TOPK(topk_i64_i32, int64_t, int32_t)
DEFINE_TOPK(topk_f32_i64, float, int64_t)
DEFINE_TOPK(topk_i8_i64, int8_t, int64_t)
DEFINE_TOPK(topk_u8_i64, uint8_t, int64_t)
DEFINE_TOPK(topk_i16_i64, int16_t, int64_t)
DEFINE_TOPK(topk_i32_i64, int32_t, int64_t)
DEFINE_TOPK(topk_i64_i64, int64_t, int64_t)

static mote_status topk_eval(mote_context *ctx, mote_node *node) {
    const topk_data *d = node->data;
    const mote_tensor *in = kernel_input(ctx, node, IN_INPUT);
    mote_tensor *values = kernel_output(ctx, node, OUT_VALUES), *indices = kernel_output(ctx, node, OUT_INDICES);
    if (values->bytes == 0) return MOTE_OK;
#define TOPK_CASE(T, fn32, fn64)                                                                        \
    if (indices->type == MOTE_INT32)                                                                    \
        fn32(d, KERNEL_DATA(in, const T), KERNEL_DATA(values, T), KERNEL_DATA(indices, int32_t));       \
    else                                                                                                \
        fn64(d, KERNEL_DATA(in, const T), KERNEL_DATA(values, T), KERNEL_DATA(indices, int64_t));       \
    break;
    switch (in->type) {
    case MOTE_FLOAT32: TOPK_CASE(float, topk_f32_i32, topk_f32_i64)
    case MOTE_INT8: TOPK_CASE(int8_t, topk_i8_i32, topk_i8_i64)
    case MOTE_UINT8: TOPK_CASE(uint8_t, topk_u8_i32, topk_u8_i64)
    case MOTE_INT16: TOPK_CASE(int16_t, topk_i16_i32, topk_i16_i64)
    case MOTE_INT32: TOPK_CASE(int32_t, topk_i32_i32, topk_i32_i64)
    case MOTE_INT64: TOPK_CASE(int64_t, topk_i64_i32, topk_i64_i64)
    default: return kernel_unsupported_type(ctx, node, in, "input", IN_INPUT);
    }
#undef TOPK_CASE
    return MOTE_OK;
}

const mote_op mote_op_topk_v2 = {NULL, MOTE_OP_TOPK_V2, topk_init, topk_prepare, NULL, topk_eval, NULL};
