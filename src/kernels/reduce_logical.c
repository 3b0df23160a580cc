/* reduce_logical.c — REDUCE_ANY and REDUCE_ALL: OR / AND of bool values over the listed axes
 * (int32 or int64, readable in prepare; negative and repeated axes allowed), keeping the
 * reduced dimensions as size 1 when keep_dims is set. No axes: a copy. */
#include "kernels/shape_arg.h"

#define OPT_KEEP_DIMS 0

enum { IN_INPUT = 0, IN_AXES = 1 };

typedef struct reduce_logical_data {
    int keep_dims;
    uint8_t reduced[MOTE_MAX_DIMS]; /* per input dimension: folded into the result */
} reduce_logical_data;

static mote_status reduce_logical_init(mote_context *ctx, mote_node *node) {
    reduce_logical_data *d = kernel_alloc_data(ctx, node, sizeof *d);
    if (!d) return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    d->keep_dims = KOPT_BOOL(ctx, kernel_options(ctx, node, TFL_OPTIONS_REDUCER), OPT_KEEP_DIMS, 0);
    return MOTE_OK;
}

static mote_status reduce_logical_prepare(mote_context *ctx, mote_node *node) {
    reduce_logical_data *d = node->data;
    mote_tensor *in, *axes, *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 2, 2, 1)) || (st = kernel_require_input(ctx, node, IN_INPUT, &in)) ||
        (st = kernel_require_input(ctx, node, IN_AXES, &axes)) || (st = kernel_require_output(ctx, node, 0, &out)) ||
        (st = kernel_check_int_arg(ctx, node, axes, "input", IN_AXES)))
        return st;
    if (in->type != MOTE_BOOL) return kernel_unsupported_type(ctx, node, in, "input", IN_INPUT);
    if ((st = kernel_check_type(ctx, node, out, "output", 0, MOTE_BOOL))) return st;
    memset(d->reduced, 0, sizeof d->reduced);
    for (size_t i = 0, n = kernel_count(axes); i < n; i++) {
        int64_t a = kernel_int_at(axes, i);
        if (a < -(int64_t)in->rank || a >= in->rank)
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "axis %lld is out of range for rank %d",
                               (long long)a, in->rank);
        d->reduced[a < 0 ? a + in->rank : a] = 1;
    }
    int32_t dims[MOTE_MAX_DIMS], rank = 0;
    for (int32_t k = 0; k < in->rank; k++) {
        if (!d->reduced[k])
            dims[rank++] = in->dims[k];
        else if (d->keep_dims)
            dims[rank++] = 1;
    }
    return kernel_set_shape(ctx, node, out, rank, dims);
}

static mote_status reduce_logical_eval(mote_context *ctx, mote_node *node) {
    const reduce_logical_data *d = node->data;
    const mote_tensor *in = kernel_input(ctx, node, IN_INPUT);
    mote_tensor *out = kernel_output(ctx, node, 0);
    const int any = node->def->builtin_code == MOTE_OP_REDUCE_ANY;
    const uint8_t *x = in->data;
    uint8_t *y = out->data;
    if (out->bytes) memset(y, any ? 0 : 1, out->bytes);
    /* Output strides over the input's dimensions, 0 along reduced ones. */
    size_t stride[MOTE_MAX_DIMS], s = 1;
    for (int32_t k = in->rank - 1; k >= 0; k--) {
        stride[k] = d->reduced[k] ? 0 : s;
        if (!d->reduced[k]) s *= (size_t)in->dims[k];
    }
    int32_t idx[MOTE_MAX_DIMS] = {0};
    size_t at = 0;
    for (size_t i = 0, n = kernel_count(in); i < n; i++) {
        if (any)
            y[at] = y[at] || x[i];
        else
            y[at] = y[at] && x[i];
        for (int32_t k = in->rank - 1; k >= 0; k--) {
            at += stride[k];
            if (++idx[k] < in->dims[k]) break;
            at -= stride[k] * (size_t)in->dims[k];
            idx[k] = 0;
        }
    }
    return MOTE_OK;
}

const mote_op mote_op_reduce_any = {NULL, MOTE_OP_REDUCE_ANY, reduce_logical_init, reduce_logical_prepare, NULL,
                                    reduce_logical_eval, NULL};
const mote_op mote_op_reduce_all = {NULL, MOTE_OP_REDUCE_ALL, reduce_logical_init, reduce_logical_prepare, NULL,
                                    reduce_logical_eval, NULL};
