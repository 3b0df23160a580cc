/* scatter_nd.c — SCATTER_ND: a zero tensor of the given shape with updates added at the
 * indices ([..., n] naming the first n dimensions); repeated indices add up (bool ORs).
 * float32, int8, uint8, int16, int32, int64 (integers wrap) and bool. The shape must be
 * readable in prepare; indices are data, checked while running. */
#include "kernels/shape_arg.h"

enum { IN_INDICES = 0, IN_UPDATES = 1, IN_SHAPE = 2 };

typedef struct scatter_nd_data {
    int32_t nd;         /* indices' last dimension */
    size_t lookups;     /* number of index tuples */
    size_t slice;       /* elements of one update slice */
} scatter_nd_data;

static mote_status scatter_nd_init(mote_context *ctx, mote_node *node) {
    return kernel_init_data(ctx, node, sizeof(scatter_nd_data));
}

static mote_status scatter_nd_prepare(mote_context *ctx, mote_node *node) {
    scatter_nd_data *d = node->data;
    mote_tensor *indices, *updates, *shape, *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 3, 3, 1)) ||
        (st = kernel_require_input(ctx, node, IN_INDICES, &indices)) ||
        (st = kernel_require_input(ctx, node, IN_UPDATES, &updates)) ||
        (st = kernel_require_input(ctx, node, IN_SHAPE, &shape)) || (st = kernel_require_output(ctx, node, 0, &out)))
        return st;
    if (indices->type != MOTE_INT32 && indices->type != MOTE_INT64)
        return kernel_unsupported_type(ctx, node, indices, "input", IN_INDICES);
    switch (updates->type) {
    case MOTE_FLOAT32:
    case MOTE_INT8:
    case MOTE_UINT8:
    case MOTE_INT16:
    case MOTE_INT32:
    case MOTE_INT64:
    case MOTE_BOOL: break;
    default: return kernel_unsupported_type(ctx, node, updates, "input", IN_UPDATES);
    }
    if ((st = kernel_check_type(ctx, node, out, "output", 0, updates->type)) ||
        (st = kernel_check_rank(ctx, node, shape, "input", IN_SHAPE, 1)) ||
        (st = kernel_check_int_arg(ctx, node, shape, "input", IN_SHAPE)))
        return st;
    const int32_t rank = shape->dims[0];
    if (rank > MOTE_MAX_DIMS)
        return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED, "output rank %d exceeds %d", rank, MOTE_MAX_DIMS);
    int32_t dims[MOTE_MAX_DIMS];
    for (int32_t k = 0; k < rank; k++) {
        int64_t v = kernel_int_at(shape, (size_t)k);
        if (v < 0 || v > INT32_MAX)
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "shape dimension %d is %lld", k, (long long)v);
        dims[k] = (int32_t)v;
    }
    if (indices->rank < 1)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "the indices must have rank 1 or more");
    const int32_t nd = indices->dims[indices->rank - 1];
    /* updates: indices' outer dimensions, then the output's after the first nd. */
    int ok = nd <= rank && updates->rank == indices->rank - 1 + rank - nd;
    for (int32_t k = 0; ok && k < indices->rank - 1; k++) ok = updates->dims[k] == indices->dims[k];
    for (int32_t k = nd; ok && k < rank; k++) ok = updates->dims[indices->rank - 1 + k - nd] == dims[k];
    if (!ok)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "the updates' shape does not match the indices (last dimension %d) and the output shape",
                           nd);
    if ((st = kernel_set_shape(ctx, node, out, rank, dims))) return st;
    d->nd = nd;
    d->lookups = kernel_dims_product(indices, 0, indices->rank - 1);
    d->slice = kernel_dims_product(out, nd, rank);
    return MOTE_OK;
}

#define DEFINE_SCATTER_ADD(name, T, ADD)                                                       \
    static void name(T *z, const T *u, size_t n) {                                             \
        for (size_t k = 0; k < n; k++) z[k] = ADD(z[k], u[k]);                                 \
    }
#define ADD_PLAIN(a, b) ((a) + (b))
#define ADD_WRAP8(a, b) ((uint8_t)((unsigned)(a) + (unsigned)(b)))
#define ADD_WRAP16(a, b) ((uint16_t)((unsigned)(a) + (unsigned)(b)))
#define ADD_WRAP32(a, b) ((uint32_t)(a) + (uint32_t)(b))
#define ADD_WRAP64(a, b) ((uint64_t)(a) + (uint64_t)(b))
#define ADD_OR(a, b) ((uint8_t)((a) || (b)))
DEFINE_SCATTER_ADD(add_f32, float, ADD_PLAIN)
DEFINE_SCATTER_ADD(add_u8, uint8_t, ADD_WRAP8)
DEFINE_SCATTER_ADD(add_u16, uint16_t, ADD_WRAP16)
DEFINE_SCATTER_ADD(add_u32, uint32_t, ADD_WRAP32)
DEFINE_SCATTER_ADD(add_u64, uint64_t, ADD_WRAP64)
DEFINE_SCATTER_ADD(add_bool, uint8_t, ADD_OR)

static mote_status scatter_nd_eval(mote_context *ctx, mote_node *node) {
    const scatter_nd_data *d = node->data;
    const mote_tensor *indices = kernel_input(ctx, node, IN_INDICES), *updates = kernel_input(ctx, node, IN_UPDATES);
    mote_tensor *out = kernel_output(ctx, node, 0);
    if (out->bytes == 0) return MOTE_OK;
    memset(out->data, 0, out->bytes); /* all-zero bytes are 0, 0.0f and false */
    const size_t e = mote_type_bytes(out->type);
    for (size_t l = 0; l < d->lookups; l++) {
        size_t at = 0;
        for (int32_t k = 0; k < d->nd; k++) {
            int64_t v = kernel_int_at(indices, l * (size_t)d->nd + (size_t)k);
            if (v < 0 || v >= out->dims[k])
                return kernel_fail(ctx, node, MOTE_ERROR_RUNTIME,
                                   "index %lld (tuple %zu, position %d) is outside [0, %d)", (long long)v, l, k,
                                   out->dims[k]);
            at = at * (size_t)out->dims[k] + (size_t)v;
        }
        uint8_t *z = out->data + at * d->slice * e;
        const uint8_t *u = updates->data + l * d->slice * e;
        switch (out->type) {
        case MOTE_FLOAT32: add_f32((float *)(void *)z, (const float *)(const void *)u, d->slice); break;
        case MOTE_INT8:
        case MOTE_UINT8: add_u8(z, u, d->slice); break;
        case MOTE_INT16: add_u16((uint16_t *)(void *)z, (const uint16_t *)(const void *)u, d->slice); break;
        case MOTE_INT32: add_u32((uint32_t *)(void *)z, (const uint32_t *)(const void *)u, d->slice); break;
        case MOTE_INT64: add_u64((uint64_t *)(void *)z, (const uint64_t *)(const void *)u, d->slice); break;
        default: add_bool(z, u, d->slice); break;
        }
    }
    return MOTE_OK;
}

const mote_op mote_op_scatter_nd = {NULL, MOTE_OP_SCATTER_ND, scatter_nd_init, scatter_nd_prepare, NULL,
                                    scatter_nd_eval, NULL};
