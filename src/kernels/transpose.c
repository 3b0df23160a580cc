/* transpose.c — TRANSPOSE: permutes dimensions by a constant permutation; a strided copy,
 * so every fixed-size element type (quantized ones keep their bytes) works, up to
 * MOTE_MAX_DIMS dimensions. */
#include "kernels/kernel.h"
#include "kernels/strided_copy.h"

enum { IN_INPUT = 0, IN_PERM = 1 };

typedef struct transpose_data {
    strided_view view; /* the input read in output order, set in prepare */
} transpose_data;

static mote_status transpose_init(mote_context *ctx, mote_node *node) {
    if (!kernel_alloc_data(ctx, node, sizeof(transpose_data)))
        return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    return MOTE_OK;
}

static mote_status transpose_prepare(mote_context *ctx, mote_node *node) {
    transpose_data *d = node->data;
    mote_tensor *in, *perm, *out;
    mote_status st;
    char b[160];
    if ((st = kernel_check_counts(ctx, node, 2, 2, 1)) ||
        (st = kernel_require_input(ctx, node, IN_INPUT, &in)) ||
        (st = kernel_require_input(ctx, node, IN_PERM, &perm)) ||
        (st = kernel_require_output(ctx, node, 0, &out)))
        return st;
    size_t elem = mote_type_bytes(in->type);
    if (elem == 0) return kernel_unsupported_type(ctx, node, in, "input", IN_INPUT);
    if ((st = kernel_check_type(ctx, node, out, "output", 0, in->type))) return st;
    if (perm->type == MOTE_INT32 || perm->type == MOTE_INT64) {
        if ((st = kernel_check_constant(ctx, node, perm, "input", IN_PERM))) return st;
    } else {
        return kernel_unsupported_type(ctx, node, perm, "input", IN_PERM);
    }
    if (perm->rank != 1 || perm->dims[0] != in->rank)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: expected %d values (the input's rank)",
                           kernel_describe(perm, "input", IN_PERM, b, sizeof b), in->rank);

    ptrdiff_t in_steps[MOTE_MAX_DIMS];
    if (strided_dense_steps(in->rank, in->dims, elem, in_steps))
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "the input's shape is too large to address");
    int used[MOTE_MAX_DIMS] = {0};
    int32_t dims[MOTE_MAX_DIMS];
    strided_view *v = &d->view;
    v->rank = in->rank;
    v->elem = elem;
    v->offset = 0;
    for (int32_t k = 0; k < in->rank; k++) {
        int64_t p = kernel_int_at(perm, (size_t)k);
        if (p < 0) p += in->rank; /* NumPy's negative axes */
        if (p < 0 || p >= in->rank || used[p])
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                               "%s: entry %d (%lld) makes it no permutation of %d dimensions",
                               kernel_describe(perm, "input", IN_PERM, b, sizeof b), k,
                               (long long)kernel_int_at(perm, (size_t)k), in->rank);
        used[p] = 1;
        dims[k] = v->dims[k] = in->dims[p];
        v->steps[k] = in_steps[p];
    }
    return kernel_set_shape(ctx, node, out, in->rank, dims);
}

static mote_status transpose_eval(mote_context *ctx, mote_node *node) {
    const transpose_data *d = node->data;
    const mote_tensor *in = kernel_input(ctx, node, IN_INPUT);
    mote_tensor *out = kernel_output(ctx, node, 0);
    if (!out->bytes) return MOTE_OK;
    /* Bytes from NCHW to NHWC (the first op of image models exported channels-first): one
     * channel at a time, read in order, written every C bytes. */
    const strided_view *v = &d->view;
    if (kernel_use_optimized(ctx) && v->elem == 1 && v->rank == 4 && v->offset == 0) {
        const ptrdiff_t n = v->dims[0], h = v->dims[1], w = v->dims[2], c = v->dims[3];
        if (v->steps[0] == c * h * w && v->steps[1] == w && v->steps[2] == 1 && v->steps[3] == h * w) {
            for (ptrdiff_t b = 0; b < n; b++)
                for (ptrdiff_t k = 0; k < c; k++) {
                    const uint8_t *src = in->data + (b * c + k) * h * w;
                    uint8_t *dst = out->data + b * h * w * c + k;
                    for (ptrdiff_t i = 0; i < h * w; i++) dst[i * c] = src[i];
                }
            return MOTE_OK;
        }
    }
    strided_copy(v, in->data, out->data);
    return MOTE_OK;
}

const mote_op mote_op_transpose = {
    NULL, MOTE_OP_TRANSPOSE, transpose_init, transpose_prepare, NULL, transpose_eval, NULL};
