/* bitcast.c — BITCAST: the same bytes read as another type. Equal element sizes keep the
 * shape; a wider input gains a last dimension (input size / output size); a narrower one
 * loses its last dimension, which must be output size / input size. */
#include "kernels/kernel.h"

static mote_status bitcast_prepare(mote_context *ctx, mote_node *node) {
    mote_tensor *in, *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 1, 1, 1)) || (st = kernel_require_input(ctx, node, 0, &in)) ||
        (st = kernel_require_output(ctx, node, 0, &out)))
        return st;
    const size_t ei = mote_type_bytes(in->type), eo = mote_type_bytes(out->type);
    if (ei == 0) return kernel_unsupported_type(ctx, node, in, "input", 0);
    if (eo == 0) return kernel_unsupported_type(ctx, node, out, "output", 0);
    int32_t dims[MOTE_MAX_DIMS], rank = in->rank;
    memcpy(dims, in->dims, sizeof(int32_t) * (size_t)in->rank);
    if (ei > eo) {
        if (rank >= MOTE_MAX_DIMS)
            return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED, "output rank %d exceeds %d", rank + 1, MOTE_MAX_DIMS);
        dims[rank++] = (int32_t)(ei / eo);
    } else if (ei < eo) {
        if (rank < 1 || (size_t)dims[rank - 1] != eo / ei)
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                               "the input's last dimension must be %zu to make %s from %s", eo / ei,
                               mote_type_name(out->type), mote_type_name(in->type));
        rank--;
    }
    return kernel_set_shape(ctx, node, out, rank, dims);
}

static mote_status bitcast_eval(mote_context *ctx, mote_node *node) {
    const mote_tensor *in = kernel_input(ctx, node, 0);
    mote_tensor *out = kernel_output(ctx, node, 0);
    if (in->bytes && out->data != in->data) memcpy(out->data, in->data, in->bytes);
    return MOTE_OK;
}

const mote_op mote_op_bitcast = {NULL, MOTE_OP_BITCAST, NULL, bitcast_prepare, NULL, bitcast_eval, NULL};
