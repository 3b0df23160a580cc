/* pack.c — PACK (stack N tensors of one shape along a new axis) and UNPACK (split a tensor
 * into its slices along an axis): copies, so every fixed-size element type works.
 * Quantized tensors must share one scale and zero point, as TensorFlow Lite requires. */
#include "kernels/kernel.h"

/* PackOptions and UnpackOptions: values_count / num is field 0, axis field 1. */
#define OPT_COUNT 0
#define OPT_AXIS 1

typedef struct pack_data {
    int32_t count;      /* values_count (PACK) or num (UNPACK) from the options */
    int32_t axis;       /* as written (may be negative) */
    /* Set in prepare, the packed tensor viewed as [outer, count, inner]: */
    size_t outer;       /* elements before the axis */
    size_t inner_bytes; /* bytes of one slice after the axis */
} pack_data;

static mote_status pack_init(mote_context *ctx, mote_node *node) {
    pack_data *d = kernel_alloc_data(ctx, node, sizeof *d);
    if (!d) return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    int unpack = node->def->builtin_code == MOTE_OP_UNPACK;
    fb_table opt = kernel_options(ctx, node, unpack ? TFL_OPTIONS_UNPACK : TFL_OPTIONS_PACK);
    d->count = KOPT_I32(ctx, opt, OPT_COUNT, 0);
    d->axis = KOPT_I32(ctx, opt, OPT_AXIS, 0);
    return MOTE_OK;
}

/* Same type as the reference tensor, and the same quantization when either is quantized. */
static mote_status check_like(mote_context *ctx, const mote_node *node, const mote_tensor *t, const char *role,
                              int32_t i, const mote_tensor *ref) {
    mote_status st = kernel_check_type(ctx, node, t, role, i, ref->type);
    if (st) return st;
    if (t->scale != ref->scale || t->zero_point != ref->zero_point) {
        char b[160];
        return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED,
                           "%s: quantization (scale %g, zero point %d) differs from the packed tensor's",
                           kernel_describe(t, role, i, b, sizeof b), (double)t->scale, t->zero_point);
    }
    return MOTE_OK;
}

static mote_status pack_prepare(mote_context *ctx, mote_node *node) {
    pack_data *d = node->data;
    mote_tensor *in0, *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 1, INT32_MAX, 1)) || (st = kernel_require_input(ctx, node, 0, &in0)) ||
        (st = kernel_require_output(ctx, node, 0, &out)))
        return st;
    if (d->count != node->input_count)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "values_count is %d but there are %d inputs",
                           d->count, node->input_count);
    size_t elem = mote_type_bytes(in0->type);
    if (elem == 0) return kernel_unsupported_type(ctx, node, in0, "input", 0);
    if (in0->rank >= MOTE_MAX_DIMS)
        return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED, "output rank %d exceeds %d", in0->rank + 1,
                           MOTE_MAX_DIMS);
    int32_t rank = in0->rank + 1;
    int32_t axis = d->axis < 0 ? d->axis + rank : d->axis;
    if (axis < 0 || axis >= rank)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "axis %d is out of range for output rank %d",
                           d->axis, rank);
    for (int32_t i = 0; i < node->input_count; i++) {
        mote_tensor *t;
        if ((st = kernel_require_input(ctx, node, i, &t)) || (st = check_like(ctx, node, t, "input", i, out)))
            return st;
        if (!kernel_same_shape(t, in0)) {
            char b[160];
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: shape differs from input 0's",
                               kernel_describe(t, "input", i, b, sizeof b));
        }
    }
    int32_t dims[MOTE_MAX_DIMS];
    for (int32_t k = 0, j = 0; k < rank; k++) dims[k] = k == axis ? node->input_count : in0->dims[j++];
    d->outer = kernel_dims_product(in0, 0, axis);
    d->inner_bytes = kernel_dims_product(in0, axis, in0->rank) * elem;
    return kernel_set_shape(ctx, node, out, rank, dims);
}

static mote_status pack_eval(mote_context *ctx, mote_node *node) {
    const pack_data *d = node->data;
    mote_tensor *out = kernel_output(ctx, node, 0);
    const size_t n = (size_t)node->input_count;
    if (out->bytes == 0) return MOTE_OK;
    for (size_t i = 0; i < n; i++) {
        const mote_tensor *in = kernel_input(ctx, node, (int32_t)i);
        for (size_t o = 0; o < d->outer; o++)
            memcpy(out->data + (o * n + i) * d->inner_bytes, in->data + o * d->inner_bytes, d->inner_bytes);
    }
    return MOTE_OK;
}

static mote_status unpack_prepare(mote_context *ctx, mote_node *node) {
    pack_data *d = node->data;
    mote_tensor *in;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 1, 1, -1)) || (st = kernel_require_input(ctx, node, 0, &in))) return st;
    size_t elem = mote_type_bytes(in->type);
    if (elem == 0) return kernel_unsupported_type(ctx, node, in, "input", 0);
    int32_t axis = d->axis < 0 ? d->axis + in->rank : d->axis;
    if (axis < 0 || axis >= in->rank)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "axis %d is out of range for input rank %d",
                           d->axis, in->rank);
    if (in->dims[axis] != node->output_count || (d->count && d->count != node->output_count))
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "dimension %d of the input is %d, num is %d, and there are %d outputs", axis,
                           in->dims[axis], d->count, node->output_count);
    int32_t dims[MOTE_MAX_DIMS];
    for (int32_t k = 0, j = 0; k < in->rank; k++)
        if (k != axis) dims[j++] = in->dims[k];
    for (int32_t i = 0; i < node->output_count; i++) {
        mote_tensor *out;
        if ((st = kernel_require_output(ctx, node, i, &out)) || (st = check_like(ctx, node, out, "output", i, in)) ||
            (st = kernel_set_shape(ctx, node, out, in->rank - 1, dims)))
            return st;
    }
    d->outer = kernel_dims_product(in, 0, axis);
    d->inner_bytes = kernel_dims_product(in, axis + 1, in->rank) * elem;
    return MOTE_OK;
}

static mote_status unpack_eval(mote_context *ctx, mote_node *node) {
    const pack_data *d = node->data;
    const mote_tensor *in = kernel_input(ctx, node, 0);
    const size_t n = (size_t)node->output_count;
    if (in->bytes == 0) return MOTE_OK;
    for (size_t i = 0; i < n; i++) {
        mote_tensor *out = kernel_output(ctx, node, (int32_t)i);
        for (size_t o = 0; o < d->outer; o++)
            memcpy(out->data + o * d->inner_bytes, in->data + (o * n + i) * d->inner_bytes, d->inner_bytes);
    }
    return MOTE_OK;
}

const mote_op mote_op_pack = {NULL, MOTE_OP_PACK, pack_init, pack_prepare, NULL, pack_eval, NULL};
const mote_op mote_op_unpack = {NULL, MOTE_OP_UNPACK, pack_init, unpack_prepare, NULL, unpack_eval, NULL};
