/* gather_nd.c — GATHER_ND: indices [..., n] pick slices params[i0, ..., i(n-1)] (the
 * dimensions after the first n). int16, int32 or int64 indices; slices are copied, so every
 * fixed-size element type works. Indices are data, checked while running. */
#include "kernels/kernel.h"

enum { IN_PARAMS = 0, IN_INDICES = 1 };

typedef struct gather_nd_data {
    int32_t nd;          /* indices' last dimension: how many leading params dimensions an index names */
    size_t lookups;      /* indices' elements / nd */
    size_t slice_bytes;  /* bytes of one gathered slice */
} gather_nd_data;

static mote_status gather_nd_init(mote_context *ctx, mote_node *node) {
    return kernel_init_data(ctx, node, sizeof(gather_nd_data));
}

static mote_status gather_nd_prepare(mote_context *ctx, mote_node *node) {
    gather_nd_data *d = node->data;
    mote_tensor *params, *indices, *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 2, 2, 1)) || (st = kernel_require_input(ctx, node, IN_PARAMS, &params)) ||
        (st = kernel_require_input(ctx, node, IN_INDICES, &indices)) || (st = kernel_require_output(ctx, node, 0, &out)))
        return st;
    size_t elem = mote_type_bytes(params->type);
    if (elem == 0) return kernel_unsupported_type(ctx, node, params, "input", IN_PARAMS);
    if (indices->type != MOTE_INT16 && indices->type != MOTE_INT32 && indices->type != MOTE_INT64)
        return kernel_unsupported_type(ctx, node, indices, "input", IN_INDICES);
    if ((st = kernel_check_type(ctx, node, out, "output", 0, params->type))) return st;
    if (indices->rank < 1)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "the indices must have rank 1 or more");
    const int32_t nd = indices->dims[indices->rank - 1];
    if (nd > params->rank)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "indices name %d dimensions, the params have only %d", nd, params->rank);
    int32_t rank = indices->rank - 1 + params->rank - nd, dims[MOTE_MAX_DIMS];
    if (rank > MOTE_MAX_DIMS)
        return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED, "output rank %d exceeds %d", rank, MOTE_MAX_DIMS);
    int32_t n = 0;
    for (int32_t k = 0; k < indices->rank - 1; k++) dims[n++] = indices->dims[k];
    for (int32_t k = nd; k < params->rank; k++) dims[n++] = params->dims[k];
    d->nd = nd;
    d->lookups = kernel_dims_product(indices, 0, indices->rank - 1);
    d->slice_bytes = kernel_dims_product(params, nd, params->rank) * elem;
    return kernel_set_shape(ctx, node, out, rank, dims);
}

static int64_t index_at(const mote_tensor *t, size_t k) {
    if (t->type == MOTE_INT16) {
        int16_t v;
        memcpy(&v, t->data + k * 2, 2);
        return v;
    }
    return kernel_int_at(t, k);
}

static mote_status gather_nd_eval(mote_context *ctx, mote_node *node) {
    const gather_nd_data *d = node->data;
    const mote_tensor *params = kernel_input(ctx, node, IN_PARAMS), *indices = kernel_input(ctx, node, IN_INDICES);
    mote_tensor *out = kernel_output(ctx, node, 0);
    if (out->bytes == 0) return MOTE_OK;
    for (size_t l = 0; l < d->lookups; l++) {
        size_t slice = 0; /* row-major position among params' first nd dimensions */
        for (int32_t k = 0; k < d->nd; k++) {
            int64_t v = index_at(indices, l * (size_t)d->nd + (size_t)k);
            if (v < 0 || v >= params->dims[k])
                return kernel_fail(ctx, node, MOTE_ERROR_RUNTIME,
                                   "index %lld (lookup %zu, position %d) is outside [0, %d)", (long long)v, l, k,
                                   params->dims[k]);
            slice = slice * (size_t)params->dims[k] + (size_t)v;
        }
        memcpy(out->data + l * d->slice_bytes, params->data + slice * d->slice_bytes, d->slice_bytes);
    }
    return MOTE_OK;
}

const mote_op mote_op_gather_nd = {NULL, MOTE_OP_GATHER_ND, gather_nd_init, gather_nd_prepare, NULL, gather_nd_eval,
                                   NULL};
