/* segment_sum.c — SEGMENT_SUM (sorted int32 segment ids along dimension 0; the output has
 * max id + 1 rows, so the ids must be readable in prepare) and UNSORTED_SEGMENT_SUM, _PROD,
 * _MAX, _MIN (ids of any order shaped like a prefix of the data's shape, num_segments rows;
 * negative ids are skipped; empty segments keep 0, 1, the lowest or the highest value, as
 * TensorFlow Lite's do). float32 and int32 (sums and products wrap). */
#include "kernels/shape_arg.h"

#include <float.h>

enum { IN_DATA = 0, IN_IDS = 1, IN_NUM_SEGMENTS = 2 };
enum seg_kind { SEG_SUM, SEG_PROD, SEG_MAX, SEG_MIN };

typedef struct segment_data {
    int kind;          /* enum seg_kind */
    size_t ids;        /* number of segment ids */
    size_t slice;      /* data elements per id */
} segment_data;

static int kind_of(int32_t code) {
    switch (code) {
    case MOTE_OP_UNSORTED_SEGMENT_PROD: return SEG_PROD;
    case MOTE_OP_UNSORTED_SEGMENT_MAX: return SEG_MAX;
    case MOTE_OP_UNSORTED_SEGMENT_MIN: return SEG_MIN;
    default: return SEG_SUM;
    }
}

static mote_status segment_init(mote_context *ctx, mote_node *node) {
    segment_data *d = kernel_alloc_data(ctx, node, sizeof *d);
    if (!d) return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    d->kind = kind_of(node->def->builtin_code);
    return MOTE_OK;
}

/* Data float32 or int32 with an output of its type, int32 ids. */
static mote_status check_types(mote_context *ctx, mote_node *node, int32_t inputs, mote_tensor **data,
                               mote_tensor **ids, mote_tensor **out) {
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, inputs, inputs, 1)) || (st = kernel_require_input(ctx, node, IN_DATA, data)) ||
        (st = kernel_require_input(ctx, node, IN_IDS, ids)) || (st = kernel_require_output(ctx, node, 0, out)) ||
        (st = kernel_check_type(ctx, node, *ids, "input", IN_IDS, MOTE_INT32)))
        return st;
    if ((*data)->type != MOTE_FLOAT32 && (*data)->type != MOTE_INT32)
        return kernel_unsupported_type(ctx, node, *data, "input", IN_DATA);
    return kernel_check_type(ctx, node, *out, "output", 0, (*data)->type);
}

static mote_status segment_sum_prepare(mote_context *ctx, mote_node *node) {
    segment_data *d = node->data;
    mote_tensor *data, *ids, *out;
    mote_status st;
    if ((st = check_types(ctx, node, 2, &data, &ids, &out)) || (st = kernel_check_rank(ctx, node, ids, "input", IN_IDS, 1)) ||
        (st = kernel_check_int_arg(ctx, node, ids, "input", IN_IDS)))
        return st;
    if (data->rank < 1 || ids->dims[0] != data->dims[0])
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%d segment ids for data of %d rows", ids->dims[0],
                           data->rank < 1 ? 0 : data->dims[0]);
    int64_t prev = 0;
    for (size_t i = 0, n = kernel_count(ids); i < n; i++) {
        int64_t v = kernel_int_at(ids, i);
        if (v < prev)
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                               "segment ids must be sorted and non-negative: id %zu is %lld after %lld", i,
                               (long long)v, (long long)prev);
        prev = v;
    }
    int32_t dims[MOTE_MAX_DIMS];
    memcpy(dims, data->dims, sizeof(int32_t) * (size_t)data->rank);
    dims[0] = kernel_count(ids) ? (int32_t)prev + 1 : 0;
    d->ids = kernel_count(ids);
    d->slice = kernel_dims_product(data, 1, data->rank);
    return kernel_set_shape(ctx, node, out, data->rank, dims);
}

static mote_status unsorted_prepare(mote_context *ctx, mote_node *node) {
    segment_data *d = node->data;
    mote_tensor *data, *ids, *num, *out;
    mote_status st;
    if ((st = check_types(ctx, node, 3, &data, &ids, &out)) ||
        (st = kernel_require_input(ctx, node, IN_NUM_SEGMENTS, &num)) ||
        (st = kernel_check_type(ctx, node, num, "input", IN_NUM_SEGMENTS, MOTE_INT32)) ||
        (st = kernel_check_int_arg(ctx, node, num, "input", IN_NUM_SEGMENTS)) ||
        (st = shape_arg_check_count(ctx, node, num, "input", IN_NUM_SEGMENTS, 1)))
        return st;
    int ok = ids->rank >= 1 && ids->rank <= data->rank;
    for (int32_t k = 0; ok && k < ids->rank; k++) ok = ids->dims[k] == data->dims[k];
    if (!ok)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "the segment ids' shape must begin the data's shape");
    const int64_t n = kernel_int_at(num, 0);
    if (n < 0 || n > INT32_MAX)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "num_segments is %lld", (long long)n);
    int32_t dims[MOTE_MAX_DIMS], rank = 1 + data->rank - ids->rank;
    dims[0] = (int32_t)n;
    for (int32_t k = ids->rank; k < data->rank; k++) dims[1 + k - ids->rank] = data->dims[k];
    d->ids = kernel_count(ids);
    d->slice = kernel_dims_product(data, ids->rank, data->rank);
    return kernel_set_shape(ctx, node, out, rank, dims);
}

/* One kernel for all five: initial value, then combine each data slice into its row.
 * Integers combine in uint32 (sums and products wrap). */
#define DEFINE_SEGMENT(name, T, U, LOWEST, HIGHEST)                                            \
    static void name(const segment_data *d, const T *x, const mote_tensor *ids, T *y, size_t rows) { \
        const size_t total = rows * d->slice;                                                  \
        const T init = d->kind == SEG_PROD ? (T)1 : d->kind == SEG_MAX ? LOWEST                \
                     : d->kind == SEG_MIN ? HIGHEST : (T)0;                                    \
        for (size_t k = 0; k < total; k++) y[k] = init;                                        \
        for (size_t i = 0; i < d->ids; i++) {                                                  \
            const int64_t id = kernel_int_at(ids, i);                                          \
            if (id < 0) continue;                                                              \
            T *row = y + (size_t)id * d->slice;                                                \
            const T *src = x + i * d->slice;                                                   \
            for (size_t j = 0; j < d->slice; j++) {                                            \
                switch (d->kind) {                                                             \
                case SEG_SUM: row[j] = (T)((U)row[j] + (U)src[j]); break;                       \
                case SEG_PROD: row[j] = (T)((U)row[j] * (U)src[j]); break;                      \
                case SEG_MAX: row[j] = src[j] > row[j] ? src[j] : row[j]; break;               \
                default: row[j] = src[j] < row[j] ? src[j] : row[j]; break;                    \
                }                                                                              \
            }                                                                                  \
        }                                                                                      \
    }
DEFINE_SEGMENT(segment_f32, float, float, -FLT_MAX, FLT_MAX)
DEFINE_SEGMENT(segment_i32, int32_t, uint32_t, INT32_MIN, INT32_MAX)

static mote_status segment_eval(mote_context *ctx, mote_node *node) {
    const segment_data *d = node->data;
    const mote_tensor *data = kernel_input(ctx, node, IN_DATA), *ids_t = kernel_input(ctx, node, IN_IDS);
    mote_tensor *out = kernel_output(ctx, node, 0);
    const size_t rows = out->rank ? (size_t)out->dims[0] : 0;
    for (size_t i = 0; i < d->ids; i++) {
        const int64_t id = kernel_int_at(ids_t, i);
        if (id >= (int64_t)rows || (id < 0 && node->def->builtin_code == MOTE_OP_SEGMENT_SUM))
            return kernel_fail(ctx, node, MOTE_ERROR_RUNTIME, "segment id %lld (element %zu) is outside [0, %zu)",
                               (long long)id, i, rows);
    }
    if (data->type == MOTE_FLOAT32)
        segment_f32(d, KERNEL_DATA(data, const float), ids_t, KERNEL_DATA(out, float), rows);
    else
        segment_i32(d, KERNEL_DATA(data, const int32_t), ids_t, KERNEL_DATA(out, int32_t), rows);
    return MOTE_OK;
}

const mote_op mote_op_segment_sum = {NULL, MOTE_OP_SEGMENT_SUM, segment_init, segment_sum_prepare, NULL, segment_eval,
                                     NULL};
const mote_op mote_op_unsorted_segment_sum = {NULL, MOTE_OP_UNSORTED_SEGMENT_SUM, segment_init, unsorted_prepare, NULL,
                                              segment_eval, NULL};
const mote_op mote_op_unsorted_segment_prod = {NULL, MOTE_OP_UNSORTED_SEGMENT_PROD, segment_init, unsorted_prepare,
                                               NULL, segment_eval, NULL};
const mote_op mote_op_unsorted_segment_max = {NULL, MOTE_OP_UNSORTED_SEGMENT_MAX, segment_init, unsorted_prepare, NULL,
                                              segment_eval, NULL};
const mote_op mote_op_unsorted_segment_min = {NULL, MOTE_OP_UNSORTED_SEGMENT_MIN, segment_init, unsorted_prepare, NULL,
                                              segment_eval, NULL};
