/* matrix_diag.c — MATRIX_DIAG ([..., n] -> [..., n, n] with the values on the main diagonal
 * and zero bytes elsewhere, as TensorFlow Lite writes T(0) whatever the quantization) and
 * MATRIX_SET_DIAG ([..., m, n] with its main diagonal replaced by [..., min(m, n)]). Copies,
 * so every fixed-size element type works. */
#include "kernels/kernel.h"

typedef struct matrix_diag_data {
    size_t batches;   /* product of the leading dimensions */
    size_t rows, cols; /* matrix size of the output */
    size_t elem;
} matrix_diag_data;

static mote_status matrix_diag_init(mote_context *ctx, mote_node *node) {
    return kernel_init_data(ctx, node, sizeof(matrix_diag_data));
}

static mote_status check_io(mote_context *ctx, mote_node *node, int32_t inputs, int32_t min_rank, mote_tensor **in,
                            mote_tensor **out) {
    mote_status st;
    char b[160];
    if ((st = kernel_check_counts(ctx, node, inputs, inputs, 1)) || (st = kernel_require_input(ctx, node, 0, in)) ||
        (st = kernel_require_output(ctx, node, 0, out)))
        return st;
    if (mote_type_bytes((*in)->type) == 0) return kernel_unsupported_type(ctx, node, *in, "input", 0);
    if ((*in)->rank < min_rank)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: expected rank %d or more, got %d",
                           kernel_describe(*in, "input", 0, b, sizeof b), min_rank, (*in)->rank);
    return kernel_check_type(ctx, node, *out, "output", 0, (*in)->type);
}

static mote_status matrix_diag_prepare(mote_context *ctx, mote_node *node) {
    matrix_diag_data *d = node->data;
    mote_tensor *in, *out;
    mote_status st;
    if ((st = check_io(ctx, node, 1, 1, &in, &out))) return st;
    if (in->rank >= MOTE_MAX_DIMS)
        return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED, "output rank %d exceeds %d", in->rank + 1, MOTE_MAX_DIMS);
    int32_t dims[MOTE_MAX_DIMS];
    memcpy(dims, in->dims, sizeof(int32_t) * (size_t)in->rank);
    dims[in->rank] = in->dims[in->rank - 1];
    d->batches = kernel_dims_product(in, 0, in->rank - 1);
    d->rows = d->cols = (size_t)in->dims[in->rank - 1];
    d->elem = mote_type_bytes(in->type);
    return kernel_set_shape(ctx, node, out, in->rank + 1, dims);
}

static mote_status matrix_diag_eval(mote_context *ctx, mote_node *node) {
    const matrix_diag_data *d = node->data;
    const mote_tensor *in = kernel_input(ctx, node, 0);
    mote_tensor *out = kernel_output(ctx, node, 0);
    if (out->bytes == 0) return MOTE_OK;
    memset(out->data, 0, out->bytes);
    for (size_t b = 0; b < d->batches; b++)
        for (size_t i = 0; i < d->rows; i++)
            memcpy(out->data + ((b * d->rows + i) * d->cols + i) * d->elem, in->data + (b * d->rows + i) * d->elem,
                   d->elem);
    return MOTE_OK;
}

static mote_status matrix_set_diag_prepare(mote_context *ctx, mote_node *node) {
    matrix_diag_data *d = node->data;
    mote_tensor *in, *diag, *out;
    mote_status st;
    if ((st = check_io(ctx, node, 2, 2, &in, &out)) || (st = kernel_require_input(ctx, node, 1, &diag)) ||
        (st = kernel_check_type(ctx, node, diag, "input", 1, in->type)))
        return st;
    const int32_t m = in->dims[in->rank - 2], n = in->dims[in->rank - 1];
    int ok = diag->rank == in->rank - 1 && diag->dims[diag->rank - 1] == (m < n ? m : n);
    for (int32_t k = 0; ok && k < in->rank - 2; k++) ok = diag->dims[k] == in->dims[k];
    if (!ok)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "the diagonal (input 1) must have the input's leading dimensions and %d values each",
                           m < n ? m : n);
    d->batches = kernel_dims_product(in, 0, in->rank - 2);
    d->rows = (size_t)m;
    d->cols = (size_t)n;
    d->elem = mote_type_bytes(in->type);
    return kernel_copy_shape(ctx, node, out, in);
}

static mote_status matrix_set_diag_eval(mote_context *ctx, mote_node *node) {
    const matrix_diag_data *d = node->data;
    const mote_tensor *in = kernel_input(ctx, node, 0), *diag = kernel_input(ctx, node, 1);
    mote_tensor *out = kernel_output(ctx, node, 0);
    if (out->bytes == 0) return MOTE_OK;
    if (out->data != in->data) memcpy(out->data, in->data, in->bytes);
    const size_t len = d->rows < d->cols ? d->rows : d->cols;
    for (size_t b = 0; b < d->batches; b++)
        for (size_t i = 0; i < len; i++)
            memcpy(out->data + ((b * d->rows + i) * d->cols + i) * d->elem, diag->data + (b * len + i) * d->elem,
                   d->elem);
    return MOTE_OK;
}

const mote_op mote_op_matrix_diag = {NULL, MOTE_OP_MATRIX_DIAG, matrix_diag_init, matrix_diag_prepare, NULL,
                                     matrix_diag_eval, NULL};
const mote_op mote_op_matrix_set_diag = {NULL, MOTE_OP_MATRIX_SET_DIAG, matrix_diag_init, matrix_set_diag_prepare,
                                         NULL, matrix_set_diag_eval, NULL};
