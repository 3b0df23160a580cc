/* sparse_to_dense.c — SPARSE_TO_DENSE: a dense tensor of a given shape (readable in
 * prepare) holding default_value, with values written at the listed indices (a scalar, a
 * vector of positions for 1-D outputs, or [n, rank] coordinates); one value for all of them
 * or one each. Later indices overwrite earlier ones. Copies, so every fixed-size element
 * type works; indices are data, checked while running. */
#include "kernels/shape_arg.h"

enum { IN_INDICES = 0, IN_SHAPE = 1, IN_VALUES = 2, IN_DEFAULT = 3 };

typedef struct sparse_data {
    size_t count;   /* number of indices */
    int32_t width;  /* coordinates per index (the output's rank, or 1) */
} sparse_data;

static mote_status sparse_init(mote_context *ctx, mote_node *node) {
    return kernel_init_data(ctx, node, sizeof(sparse_data));
}

static mote_status sparse_prepare(mote_context *ctx, mote_node *node) {
    sparse_data *d = node->data;
    mote_tensor *indices, *shape, *values, *def, *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 4, 4, 1)) || (st = kernel_require_input(ctx, node, IN_INDICES, &indices)) ||
        (st = kernel_require_input(ctx, node, IN_SHAPE, &shape)) ||
        (st = kernel_require_input(ctx, node, IN_VALUES, &values)) ||
        (st = kernel_require_input(ctx, node, IN_DEFAULT, &def)) || (st = kernel_require_output(ctx, node, 0, &out)) ||
        (st = kernel_check_rank(ctx, node, shape, "input", IN_SHAPE, 1)) ||
        (st = kernel_check_int_arg(ctx, node, shape, "input", IN_SHAPE)) ||
        (st = shape_arg_check_count(ctx, node, def, "input", IN_DEFAULT, 1)))
        return st;
    if (indices->type != MOTE_INT32 && indices->type != MOTE_INT64)
        return kernel_unsupported_type(ctx, node, indices, "input", IN_INDICES);
    if (mote_type_bytes(values->type) == 0) return kernel_unsupported_type(ctx, node, values, "input", IN_VALUES);
    if ((st = kernel_check_type(ctx, node, def, "input", IN_DEFAULT, values->type)) ||
        (st = kernel_check_type(ctx, node, out, "output", 0, values->type)))
        return st;
    const int32_t rank = shape->dims[0];
    if (rank > MOTE_MAX_DIMS)
        return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED, "output rank %d exceeds %d", rank, MOTE_MAX_DIMS);
    int32_t dims[MOTE_MAX_DIMS];
    for (int32_t k = 0; k < rank; k++) {
        int64_t v = kernel_int_at(shape, (size_t)k);
        if (v < 0 || v > INT32_MAX)
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "output dimension %d is %lld", k, (long long)v);
        dims[k] = (int32_t)v;
    }
    if (indices->rank > 2)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "indices of rank %d (0, 1 or 2 expected)",
                           indices->rank);
    d->count = indices->rank == 0 ? 1 : (size_t)indices->dims[0];
    d->width = indices->rank == 2 ? indices->dims[1] : 1;
    if (d->width != rank && !(d->width == 1 && rank == 1))
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "indices have %d coordinates, the output rank is %d",
                           d->width, rank);
    if (kernel_count(values) != 1 && (values->rank != 1 || (size_t)values->dims[0] != d->count))
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "values must be a scalar or hold one value per index (%zu)",
                           d->count);
    return kernel_set_shape(ctx, node, out, rank, dims);
}

static mote_status sparse_eval(mote_context *ctx, mote_node *node) {
    const sparse_data *d = node->data;
    const mote_tensor *indices = kernel_input(ctx, node, IN_INDICES), *values = kernel_input(ctx, node, IN_VALUES),
                      *def = kernel_input(ctx, node, IN_DEFAULT);
    mote_tensor *out = kernel_output(ctx, node, 0);
    const size_t e = mote_type_bytes(out->type), total = kernel_count(out);
    for (size_t k = 0; k < total; k++) memcpy(out->data + k * e, def->data, e);
    const int single = kernel_count(values) == 1;
    for (size_t i = 0; i < d->count; i++) {
        size_t at = 0;
        for (int32_t k = 0; k < d->width; k++) {
            const int64_t v = kernel_int_at(indices, i * (size_t)d->width + (size_t)k);
            if (v < 0 || v >= out->dims[k])
                return kernel_fail(ctx, node, MOTE_ERROR_RUNTIME, "index %lld (entry %zu, coordinate %d) is outside [0, %d)",
                                   (long long)v, i, k, out->dims[k]);
            at = at * (size_t)out->dims[k] + (size_t)v;
        }
        memcpy(out->data + at * e, values->data + (single ? 0 : i * e), e);
    }
    return MOTE_OK;
}

const mote_op mote_op_sparse_to_dense = {NULL, MOTE_OP_SPARSE_TO_DENSE, sparse_init, sparse_prepare, NULL, sparse_eval,
                                         NULL};
