/* split.c — SPLIT (equal parts) and SPLIT_V (given sizes, one may be -1) along a constant
 * axis: each output is a run of whole slices of the input, so eval is plain copies and every
 * fixed-size element type works. */
#include "kernels/kernel.h"

/* SplitOptions.num_splits and SplitVOptions.num_splits are both field 0. */
#define OPT_NUM_SPLITS 0

typedef struct split_data {
    int32_t num_splits; /* from the options; 0 when absent */
    /* Set in prepare; the input viewed as [outer, axis_size, inner]: */
    size_t outer;       /* product of the dimensions before the axis */
    size_t inner_bytes; /* bytes of one slice (the dimensions after the axis) */
    int32_t axis;       /* resolved (non-negative) */
    int32_t axis_size;  /* input size along the axis */
} split_data;

static mote_status split_init(mote_context *ctx, mote_node *node) {
    split_data *d = kernel_alloc_data(ctx, node, sizeof *d);
    if (!d) return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    int v = node->def->builtin_code == MOTE_OP_SPLIT_V;
    fb_table opt = kernel_options(ctx, node, v ? TFL_OPTIONS_SPLIT_V : TFL_OPTIONS_SPLIT);
    d->num_splits = KOPT_I32(ctx, opt, OPT_NUM_SPLITS, 0);
    return MOTE_OK;
}

/* Checks the input, the outputs' types and the axis argument; fills d's view of the input. */
static mote_status split_common(mote_context *ctx, mote_node *node, int32_t in_index, int32_t axis_index,
                                mote_tensor **in_out) {
    split_data *d = node->data;
    mote_tensor *in, *axis_t;
    mote_status st;
    char b[160];
    if ((st = kernel_require_input(ctx, node, in_index, &in)) ||
        (st = kernel_require_input(ctx, node, axis_index, &axis_t)))
        return st;
    size_t elem = mote_type_bytes(in->type);
    if (elem == 0) return kernel_unsupported_type(ctx, node, in, "input", in_index);
    if (node->output_count < 1)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "expected at least one output");
    if (d->num_splits != 0 && d->num_splits != node->output_count)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "num_splits is %d but the operator has %d outputs", d->num_splits,
                           node->output_count);
    for (int32_t i = 0; i < node->output_count; i++) {
        mote_tensor *out;
        if ((st = kernel_require_output(ctx, node, i, &out)) ||
            (st = kernel_check_type(ctx, node, out, "output", i, in->type)))
            return st;
    }
    if ((st = kernel_check_int_arg(ctx, node, axis_t, "input", axis_index))) return st;
    if (kernel_count(axis_t) != 1)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: expected one value, got %zu",
                           kernel_describe(axis_t, "input", axis_index, b, sizeof b), kernel_count(axis_t));
    int64_t axis = kernel_int_at(axis_t, 0);
    if (axis < -(int64_t)in->rank || axis >= in->rank)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "axis %lld is out of range for %s of rank %d",
                           (long long)axis, kernel_describe(in, "input", in_index, b, sizeof b), in->rank);
    if (axis < 0) axis += in->rank;
    d->axis = (int32_t)axis;
    d->axis_size = in->dims[axis];
    d->outer = kernel_dims_product(in, 0, d->axis);
    d->inner_bytes = kernel_dims_product(in, d->axis + 1, in->rank) * elem;
    *in_out = in;
    return MOTE_OK;
}

/* Output i takes the input's shape with `size` along the axis. */
static mote_status set_part_shape(mote_context *ctx, const mote_node *node, const mote_tensor *in, int32_t i,
                                  int32_t size) {
    const split_data *d = node->data;
    int32_t dims[MOTE_MAX_DIMS];
    memcpy(dims, in->dims, (size_t)in->rank * sizeof dims[0]);
    dims[d->axis] = size;
    return kernel_set_shape(ctx, node, kernel_output(ctx, node, i), in->rank, dims);
}

static mote_status split_prepare(mote_context *ctx, mote_node *node) {
    const split_data *d = node->data;
    mote_tensor *in;
    mote_status st;
    /* SPLIT takes the axis first. */
    if ((st = kernel_check_counts(ctx, node, 2, 2, -1)) || (st = split_common(ctx, node, 1, 0, &in)))
        return st;
    int32_t n = node->output_count;
    if (d->axis_size % n != 0)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "cannot split dimension %d of size %d into %d equal parts", d->axis, d->axis_size,
                           n);
    for (int32_t i = 0; i < n; i++)
        if ((st = set_part_shape(ctx, node, in, i, d->axis_size / n))) return st;
    return MOTE_OK;
}

static mote_status split_v_prepare(mote_context *ctx, mote_node *node) {
    const split_data *d = node->data;
    mote_tensor *in, *sizes;
    mote_status st;
    char b[160];
    if ((st = kernel_check_counts(ctx, node, 3, 3, -1)) || (st = split_common(ctx, node, 0, 2, &in)) ||
        (st = kernel_require_input(ctx, node, 1, &sizes)) ||
        (st = kernel_check_int_arg(ctx, node, sizes, "input", 1)))
        return st;
    int32_t n = node->output_count;
    if (sizes->rank != 1 || sizes->dims[0] != n)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: expected %d sizes (one per output)",
                           kernel_describe(sizes, "input", 1, b, sizeof b), n);
    int32_t inferred = -1;
    int64_t known = 0;
    for (int32_t i = 0; i < n; i++) {
        int64_t s = kernel_int_at(sizes, (size_t)i);
        if (s == -1 && inferred < 0) {
            inferred = i;
        } else if (s < 0 || s > d->axis_size) {
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                               "size %lld of output %d is invalid for dimension %d of size %d", (long long)s,
                               i, d->axis, d->axis_size);
        } else {
            known += s;
        }
    }
    if (known > d->axis_size || (inferred < 0 && known != d->axis_size))
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "the sizes add up to %lld, not to dimension %d's size %d", (long long)known,
                           d->axis, d->axis_size);
    for (int32_t i = 0; i < n; i++) {
        int32_t s = i == inferred ? d->axis_size - (int32_t)known : (int32_t)kernel_int_at(sizes, (size_t)i);
        if ((st = set_part_shape(ctx, node, in, i, s))) return st;
    }
    return MOTE_OK;
}

static mote_status split_eval(mote_context *ctx, mote_node *node) {
    const split_data *d = node->data;
    int v = node->def->builtin_code == MOTE_OP_SPLIT_V;
    const mote_tensor *in = kernel_input(ctx, node, v ? 0 : 1);
    const size_t in_row = (size_t)d->axis_size * d->inner_bytes; /* input bytes per outer index */
    size_t start = 0;                                            /* bytes into each input row */
    for (int32_t i = 0; i < node->output_count; i++) {
        mote_tensor *out = kernel_output(ctx, node, i);
        const size_t part = (size_t)out->dims[d->axis] * d->inner_bytes;
        if (part) {
            for (size_t o = 0; o < d->outer; o++)
                memcpy(out->data + o * part, in->data + o * in_row + start, part);
        }
        start += part;
    }
    return MOTE_OK;
}

const mote_op mote_op_split = {NULL, MOTE_OP_SPLIT, split_init, split_prepare, NULL, split_eval, NULL};
const mote_op mote_op_split_v = {NULL, MOTE_OP_SPLIT_V, split_init, split_v_prepare, NULL, split_eval, NULL};
