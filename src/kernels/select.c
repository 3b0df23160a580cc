/* select.c — SELECT and SELECT_V2: out = condition ? x : y, element by element. The bytes
 * are copied, so every fixed-size element type works (quantized values are not rescaled,
 * as in TensorFlow Lite). SELECT_V2 broadcasts all three inputs; SELECT needs x and y of
 * one shape and a condition of that shape too, or a vector choosing along dimension 0. */
#include "kernels/kernel.h"

enum { IN_COND = 0, IN_X = 1, IN_Y = 2 };

typedef struct select_data {
    int rank_one; /* SELECT with a vector condition: it picks whole slices of dimension 0 */
} select_data;

static mote_status select_init(mote_context *ctx, mote_node *node) {
    return kernel_init_data(ctx, node, sizeof(select_data));
}

/* The NumPy broadcast of t's shape into (rank, dims). */
static mote_status broadcast_into(mote_context *ctx, const mote_node *node, const mote_tensor *t, int32_t i,
                                  int32_t *rank, int32_t *dims) {
    int32_t r = t->rank > *rank ? t->rank : *rank;
    int32_t merged[MOTE_MAX_DIMS];
    for (int32_t k = 0; k < r; k++) {
        int32_t ia = *rank - r + k, it = t->rank - r + k;
        int32_t da = ia >= 0 ? dims[ia] : 1, dt = it >= 0 ? t->dims[it] : 1;
        if (da != dt && da != 1 && dt != 1) {
            char b[160];
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                               "%s does not broadcast with the other inputs: dimension %d is %d vs %d",
                               kernel_describe(t, "input", i, b, sizeof b), k, dt, da);
        }
        merged[k] = da == 1 ? dt : da;
    }
    *rank = r;
    memcpy(dims, merged, (size_t)r * sizeof *dims);
    return MOTE_OK;
}

static mote_status select_prepare(mote_context *ctx, mote_node *node) {
    select_data *d = node->data;
    mote_tensor *cond, *x, *y, *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 3, 3, 1)) || (st = kernel_require_input(ctx, node, IN_COND, &cond)) ||
        (st = kernel_require_input(ctx, node, IN_X, &x)) || (st = kernel_require_input(ctx, node, IN_Y, &y)) ||
        (st = kernel_require_output(ctx, node, 0, &out)) ||
        (st = kernel_check_type(ctx, node, cond, "input", IN_COND, MOTE_BOOL)))
        return st;
    if (mote_type_bytes(x->type) == 0) return kernel_unsupported_type(ctx, node, x, "input", IN_X);
    if ((st = kernel_check_type(ctx, node, y, "input", IN_Y, x->type)) ||
        (st = kernel_check_type(ctx, node, out, "output", 0, x->type)))
        return st;
    d->rank_one = 0;
    if (node->def->builtin_code == MOTE_OP_SELECT) {
        if (!kernel_same_shape(x, y))
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "inputs 1 and 2 (x and y) differ in shape");
        if (!kernel_same_shape(cond, x)) {
            if (cond->rank != 1 || x->rank < 1 || cond->dims[0] != x->dims[0])
                return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                                   "the condition must have the shape of x, or be a vector of x's first "
                                   "dimension");
            d->rank_one = 1;
        }
        return kernel_copy_shape(ctx, node, out, x);
    }
    int32_t rank = 0, dims[MOTE_MAX_DIMS];
    if ((st = broadcast_into(ctx, node, cond, IN_COND, &rank, dims)) ||
        (st = broadcast_into(ctx, node, x, IN_X, &rank, dims)) || (st = broadcast_into(ctx, node, y, IN_Y, &rank, dims)))
        return st;
    return kernel_set_shape(ctx, node, out, rank, dims);
}

static mote_status select_eval(mote_context *ctx, mote_node *node) {
    const select_data *d = node->data;
    const mote_tensor *cond = kernel_input(ctx, node, IN_COND), *x = kernel_input(ctx, node, IN_X),
                      *y = kernel_input(ctx, node, IN_Y);
    mote_tensor *out = kernel_output(ctx, node, 0);
    const size_t e = mote_type_bytes(x->type);
    const uint8_t *c = cond->data;
    if (out->bytes == 0) return MOTE_OK;
    if (d->rank_one) { /* [n] condition over [n, ...] values */
        const size_t n = (size_t)x->dims[0], slice = n ? out->bytes / n : 0;
        for (size_t k = 0; k < n; k++)
            memcpy(out->data + k * slice, (c[k] ? x : y)->data + k * slice, slice);
        return MOTE_OK;
    }
    const int32_t rank = out->rank;
    size_t sc[MOTE_MAX_DIMS], sx[MOTE_MAX_DIMS], sy[MOTE_MAX_DIMS];
    kernel_broadcast_strides(cond, rank, out->dims, sc);
    kernel_broadcast_strides(x, rank, out->dims, sx);
    kernel_broadcast_strides(y, rank, out->dims, sy);
    int32_t idx[MOTE_MAX_DIMS] = {0};
    size_t ic = 0, ix = 0, iy = 0;
    for (size_t o = 0, total = kernel_count(out); o < total; o++) {
        const uint8_t *src = c[ic] ? x->data + ix * e : y->data + iy * e;
        memcpy(out->data + o * e, src, e);
        for (int32_t k = rank - 1; k >= 0; k--) { /* next index, row-major */
            ic += sc[k], ix += sx[k], iy += sy[k];
            if (++idx[k] < out->dims[k]) break;
            ic -= sc[k] * (size_t)out->dims[k], ix -= sx[k] * (size_t)out->dims[k], iy -= sy[k] * (size_t)out->dims[k];
            idx[k] = 0;
        }
    }
    return MOTE_OK;
}

const mote_op mote_op_select = {NULL, MOTE_OP_SELECT, select_init, select_prepare, NULL, select_eval, NULL};
const mote_op mote_op_select_v2 = {NULL, MOTE_OP_SELECT_V2, select_init, select_prepare, NULL, select_eval, NULL};
