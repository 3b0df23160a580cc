/* tile.c — TILE (repeat a tensor along each dimension), BROADCAST_TO (NumPy broadcast to
 * a given shape) and BROADCAST_ARGS (the broadcast of two shape vectors). TILE and
 * BROADCAST_TO copy bytes, so every fixed-size element type works; their multiples and
 * shapes must be readable in prepare (see shape_arg.h). */
#include "kernels/shape_arg.h"

enum { IN_INPUT = 0, IN_ARG = 1 };

typedef struct tile_data {
    int32_t rank;
    int32_t in_dims[MOTE_MAX_DIMS];
    int32_t multiples[MOTE_MAX_DIMS]; /* TILE: repeats per dimension */
    size_t elem;                      /* bytes per element */
} tile_data;

static mote_status tile_init(mote_context *ctx, mote_node *node) {
    return kernel_init_data(ctx, node, sizeof(tile_data));
}

/* Common checks: input with a fixed-size type, an output of that type, and a readable 1-D
 * integer argument. */
static mote_status check_io(mote_context *ctx, mote_node *node, mote_tensor **in, mote_tensor **arg,
                            mote_tensor **out) {
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 2, 2, 1)) || (st = kernel_require_input(ctx, node, IN_INPUT, in)) ||
        (st = kernel_require_input(ctx, node, IN_ARG, arg)) || (st = kernel_require_output(ctx, node, 0, out)))
        return st;
    if (mote_type_bytes((*in)->type) == 0) return kernel_unsupported_type(ctx, node, *in, "input", IN_INPUT);
    if ((st = kernel_check_type(ctx, node, *out, "output", 0, (*in)->type)) ||
        (st = kernel_check_rank(ctx, node, *arg, "input", IN_ARG, 1)) ||
        (st = kernel_check_int_arg(ctx, node, *arg, "input", IN_ARG)))
        return st;
    return MOTE_OK;
}

static mote_status tile_prepare(mote_context *ctx, mote_node *node) {
    tile_data *d = node->data;
    mote_tensor *in, *mult, *out;
    mote_status st;
    if ((st = check_io(ctx, node, &in, &mult, &out)) ||
        (st = shape_arg_check_count(ctx, node, mult, "input", IN_ARG, (size_t)in->rank)))
        return st;
    int32_t dims[MOTE_MAX_DIMS];
    for (int32_t k = 0; k < in->rank; k++) {
        int64_t m = kernel_int_at(mult, (size_t)k);
        if (m < 0 || (int64_t)in->dims[k] * m > INT32_MAX)
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "multiple %lld for dimension %d (of size %d)",
                               (long long)m, k, in->dims[k]);
        d->multiples[k] = (int32_t)m;
        d->in_dims[k] = in->dims[k];
        dims[k] = (int32_t)(in->dims[k] * m);
    }
    d->rank = in->rank;
    d->elem = mote_type_bytes(in->type);
    return kernel_set_shape(ctx, node, out, in->rank, dims);
}

/* Writes the tiling of src's dimensions [dim, rank) to dst; returns the bytes written. The
 * block for one index of dim is built once, then copied multiples[dim] - 1 more times. */
static size_t tile_dim(const tile_data *d, int32_t dim, const uint8_t *src, uint8_t *dst) {
    size_t in_stride = d->elem; /* bytes of src per index of dim */
    for (int32_t k = dim + 1; k < d->rank; k++) in_stride *= (size_t)d->in_dims[k];
    size_t block = 0;
    if (dim == d->rank - 1) {
        block = in_stride * (size_t)d->in_dims[dim];
        memcpy(dst, src, block);
    } else {
        for (int32_t i = 0; i < d->in_dims[dim]; i++) block += tile_dim(d, dim + 1, src + (size_t)i * in_stride, dst + block);
    }
    for (int32_t m = 1; m < d->multiples[dim]; m++) memcpy(dst + (size_t)m * block, dst, block);
    return block * (size_t)d->multiples[dim];
}

static mote_status tile_eval(mote_context *ctx, mote_node *node) {
    const tile_data *d = node->data;
    const mote_tensor *in = kernel_input(ctx, node, IN_INPUT);
    mote_tensor *out = kernel_output(ctx, node, 0);
    if (out->bytes == 0) return MOTE_OK;
    if (d->rank == 0)
        memcpy(out->data, in->data, d->elem);
    else
        tile_dim(d, 0, in->data, out->data);
    return MOTE_OK;
}

static mote_status broadcast_to_prepare(mote_context *ctx, mote_node *node) {
    tile_data *d = node->data;
    mote_tensor *in, *shape, *out;
    mote_status st;
    if ((st = check_io(ctx, node, &in, &shape, &out))) return st;
    size_t rank = kernel_count(shape);
    if (rank > MOTE_MAX_DIMS)
        return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED, "output rank %zu exceeds %d", rank, MOTE_MAX_DIMS);
    if ((int32_t)rank < in->rank)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "the shape has %zu dimensions, fewer than the input's %d",
                           rank, in->rank);
    int32_t dims[MOTE_MAX_DIMS];
    for (int32_t k = 0; k < (int32_t)rank; k++) {
        int64_t v = kernel_int_at(shape, (size_t)k);
        int32_t ik = in->rank - (int32_t)rank + k;
        int32_t have = ik >= 0 ? in->dims[ik] : 1;
        if (v < 0 || v > INT32_MAX || (have != v && have != 1))
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                               "cannot broadcast the input's dimension of size %d to %lld (output dimension %d)",
                               have, (long long)v, k);
        dims[k] = (int32_t)v;
    }
    d->elem = mote_type_bytes(in->type);
    return kernel_set_shape(ctx, node, out, (int32_t)rank, dims);
}

static mote_status broadcast_to_eval(mote_context *ctx, mote_node *node) {
    const tile_data *d = node->data;
    const mote_tensor *in = kernel_input(ctx, node, IN_INPUT);
    mote_tensor *out = kernel_output(ctx, node, 0);
    const int32_t rank = out->rank;
    const size_t e = d->elem;
    size_t s[MOTE_MAX_DIMS];
    int32_t idx[MOTE_MAX_DIMS] = {0};
    kernel_broadcast_strides(in, rank, out->dims, s);
    size_t at = 0;
    for (size_t o = 0, total = kernel_count(out); o < total; o++) {
        memcpy(out->data + o * e, in->data + at * e, e);
        for (int32_t k = rank - 1; k >= 0; k--) {
            at += s[k];
            if (++idx[k] < out->dims[k]) break;
            at -= s[k] * (size_t)out->dims[k];
            idx[k] = 0;
        }
    }
    return MOTE_OK;
}

/* BROADCAST_ARGS: two shape vectors in, their broadcast out (its length is known in
 * prepare; the values are checked while running). */
static mote_status broadcast_args_prepare(mote_context *ctx, mote_node *node) {
    mote_tensor *a, *b, *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 2, 2, 1)) || (st = kernel_require_input(ctx, node, 0, &a)) ||
        (st = kernel_require_input(ctx, node, 1, &b)) || (st = kernel_require_output(ctx, node, 0, &out)) ||
        (st = kernel_check_rank(ctx, node, a, "input", 0, 1)) || (st = kernel_check_rank(ctx, node, b, "input", 1, 1)))
        return st;
    if (a->type != MOTE_INT32 && a->type != MOTE_INT64) return kernel_unsupported_type(ctx, node, a, "input", 0);
    if ((st = kernel_check_type(ctx, node, b, "input", 1, a->type)) ||
        (st = kernel_check_type(ctx, node, out, "output", 0, a->type)))
        return st;
    int32_t n = a->dims[0] > b->dims[0] ? a->dims[0] : b->dims[0];
    return kernel_set_shape(ctx, node, out, 1, &n);
}

static mote_status broadcast_args_eval(mote_context *ctx, mote_node *node) {
    const mote_tensor *a = kernel_input(ctx, node, 0), *b = kernel_input(ctx, node, 1);
    mote_tensor *out = kernel_output(ctx, node, 0);
    const int32_t n = out->dims[0], na = a->dims[0], nb = b->dims[0];
    for (int32_t k = 0; k < n; k++) {
        int32_t ia = na - n + k, ib = nb - n + k;
        int64_t x = ia >= 0 ? kernel_int_at(a, (size_t)ia) : 1, y = ib >= 0 ? kernel_int_at(b, (size_t)ib) : 1;
        if (x != y && x != 1 && y != 1)
            return kernel_fail(ctx, node, MOTE_ERROR_RUNTIME, "shapes do not broadcast: dimension %d is %lld vs %lld",
                               k, (long long)x, (long long)y);
        int64_t v = x == 1 ? y : x;
        if (out->type == MOTE_INT64) {
            memcpy(out->data + (size_t)k * 8, &v, 8);
        } else {
            int32_t v32 = (int32_t)v; /* an int32 input holds only int32 values */
            memcpy(out->data + (size_t)k * 4, &v32, 4);
        }
    }
    return MOTE_OK;
}

const mote_op mote_op_tile = {NULL, MOTE_OP_TILE, tile_init, tile_prepare, NULL, tile_eval, NULL};
const mote_op mote_op_broadcast_to = {NULL, MOTE_OP_BROADCAST_TO, tile_init, broadcast_to_prepare, NULL,
                                      broadcast_to_eval, NULL};
const mote_op mote_op_broadcast_args = {NULL, MOTE_OP_BROADCAST_ARGS, NULL, broadcast_args_prepare, NULL,
                                        broadcast_args_eval, NULL};
