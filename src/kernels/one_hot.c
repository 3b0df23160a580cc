/* one_hot.c — ONE_HOT: indices (int32/int64) expanded along a new axis of size depth, with
 * on_value where the position equals the index and off_value elsewhere (an index outside
 * [0, depth) gives a row of off_value). The values are copied, so every fixed-size type
 * works; depth must be readable in prepare. */
#include "kernels/shape_arg.h"

#define OPT_AXIS 0

enum { IN_INDICES = 0, IN_DEPTH = 1, IN_ON = 2, IN_OFF = 3 };

typedef struct one_hot_data {
    int32_t axis;        /* from the options (-1: last; absent: 0, the schema default) */
    int32_t depth;
    size_t prefix, suffix; /* indices viewed as [prefix, suffix] around the new axis */
} one_hot_data;

static mote_status one_hot_init(mote_context *ctx, mote_node *node) {
    one_hot_data *d = kernel_alloc_data(ctx, node, sizeof *d);
    if (!d) return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    d->axis = KOPT_I32(ctx, kernel_options(ctx, node, TFL_OPTIONS_ONE_HOT), OPT_AXIS, 0);
    return MOTE_OK;
}

static mote_status one_hot_prepare(mote_context *ctx, mote_node *node) {
    one_hot_data *d = node->data;
    mote_tensor *indices, *depth, *on, *off, *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 4, 4, 1)) ||
        (st = kernel_require_input(ctx, node, IN_INDICES, &indices)) ||
        (st = kernel_require_input(ctx, node, IN_DEPTH, &depth)) || (st = kernel_require_input(ctx, node, IN_ON, &on)) ||
        (st = kernel_require_input(ctx, node, IN_OFF, &off)) || (st = kernel_require_output(ctx, node, 0, &out)) ||
        (st = kernel_check_int_arg(ctx, node, depth, "input", IN_DEPTH)) ||
        (st = shape_arg_check_count(ctx, node, depth, "input", IN_DEPTH, 1)) ||
        (st = shape_arg_check_count(ctx, node, on, "input", IN_ON, 1)) ||
        (st = shape_arg_check_count(ctx, node, off, "input", IN_OFF, 1)))
        return st;
    if (indices->type != MOTE_INT32 && indices->type != MOTE_INT64)
        return kernel_unsupported_type(ctx, node, indices, "input", IN_INDICES);
    if (mote_type_bytes(out->type) == 0) return kernel_unsupported_type(ctx, node, out, "output", 0);
    if ((st = kernel_check_type(ctx, node, on, "input", IN_ON, out->type)) ||
        (st = kernel_check_type(ctx, node, off, "input", IN_OFF, out->type)))
        return st;
    const int32_t rank = indices->rank + 1;
    if (rank > MOTE_MAX_DIMS)
        return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED, "output rank %d exceeds %d", rank, MOTE_MAX_DIMS);
    const int32_t axis = d->axis == -1 ? indices->rank : d->axis;
    if (axis < 0 || axis > indices->rank)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "axis %d is out of range for output rank %d", d->axis,
                           rank);
    const int64_t n = kernel_int_at(depth, 0);
    if (n < 0 || n > INT32_MAX)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "depth %lld is negative or too large", (long long)n);
    int32_t dims[MOTE_MAX_DIMS];
    for (int32_t k = 0, j = 0; k < rank; k++) dims[k] = k == axis ? (int32_t)n : indices->dims[j++];
    d->depth = (int32_t)n;
    d->prefix = kernel_dims_product(indices, 0, axis);
    d->suffix = kernel_dims_product(indices, axis, indices->rank);
    return kernel_set_shape(ctx, node, out, rank, dims);
}

static mote_status one_hot_eval(mote_context *ctx, mote_node *node) {
    const one_hot_data *d = node->data;
    const mote_tensor *indices = kernel_input(ctx, node, IN_INDICES), *on = kernel_input(ctx, node, IN_ON),
                      *off = kernel_input(ctx, node, IN_OFF);
    mote_tensor *out = kernel_output(ctx, node, 0);
    const size_t e = mote_type_bytes(out->type);
    uint8_t *z = out->data;
    for (size_t p = 0; p < d->prefix; p++)
        for (int32_t k = 0; k < d->depth; k++)
            for (size_t s = 0; s < d->suffix; s++, z += e)
                memcpy(z, kernel_int_at(indices, p * d->suffix + s) == k ? on->data : off->data, e);
    return MOTE_OK;
}

const mote_op mote_op_one_hot = {NULL, MOTE_OP_ONE_HOT, one_hot_init, one_hot_prepare, NULL, one_hot_eval, NULL};
