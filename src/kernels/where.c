/* where.c — WHERE: the coordinates ([count, rank], int64) of the true (non-zero) elements of
 * a condition, in row-major order. The output's length depends on the values: counted in
 * prepare when the condition is constant, else the output is sized while running. */
#include "kernels/kernel.h"

static int is_true(const mote_tensor *t, size_t k) {
    const size_t e = mote_type_bytes(t->type);
    const uint8_t *p = t->data + k * e;
    if (t->type == MOTE_FLOAT32) {
        float f;
        memcpy(&f, p, sizeof f);
        return f != 0.0f;
    }
    for (size_t i = 0; i < e; i++)
        if (p[i]) return 1; /* integers and bool: any bit set */
    return 0;
}

static mote_status where_prepare(mote_context *ctx, mote_node *node) {
    mote_tensor *cond, *out;
    mote_status st;
    char b[160];
    if ((st = kernel_check_counts(ctx, node, 1, 1, 1)) || (st = kernel_require_input(ctx, node, 0, &cond)) ||
        (st = kernel_require_output(ctx, node, 0, &out)) || (st = kernel_check_type(ctx, node, out, "output", 0, MOTE_INT64)))
        return st;
    switch (cond->type) {
    case MOTE_BOOL:
    case MOTE_FLOAT32:
    case MOTE_INT8:
    case MOTE_UINT8:
    case MOTE_INT16:
    case MOTE_INT32:
    case MOTE_INT64: break;
    default: return kernel_unsupported_type(ctx, node, cond, "input", 0);
    }
    if (!kernel_values_ready(node, cond)) {
        kernel_mark_dynamic(out);
        return MOTE_OK;
    }
    const size_t n = kernel_count(cond);
    if (n && (!cond->data || cond->bytes < n * mote_type_bytes(cond->type)))
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: holds fewer values than its shape",
                           kernel_describe(cond, "input", 0, b, sizeof b));
    size_t count = 0;
    for (size_t k = 0; k < n; k++) count += (size_t)is_true(cond, k);
    int32_t dims[2] = {(int32_t)count, cond->rank};
    return kernel_set_shape(ctx, node, out, 2, dims);
}

static mote_status where_eval(mote_context *ctx, mote_node *node) {
    const mote_tensor *cond = kernel_input(ctx, node, 0);
    mote_tensor *out = kernel_output(ctx, node, 0);
    const int32_t rank = cond->rank;
    size_t count = 0;
    for (size_t k = 0, n = kernel_count(cond); k < n; k++) count += (size_t)is_true(cond, k);
    int32_t dims[2] = {(int32_t)count, rank};
    mote_status st = kernel_resize_output(ctx, node, out, 2, dims);
    if (st) return st;
    int32_t idx[MOTE_MAX_DIMS] = {0};
    size_t row = 0;
    for (size_t k = 0, n = kernel_count(cond); k < n; k++) {
        if (is_true(cond, k)) {
            for (int32_t j = 0; j < rank; j++) {
                int64_t v = idx[j];
                memcpy(out->data + (row * (size_t)rank + (size_t)j) * 8, &v, 8);
            }
            row++;
        }
        for (int32_t j = rank - 1; j >= 0; j--) {
            if (++idx[j] < cond->dims[j]) break;
            idx[j] = 0;
        }
    }
    return MOTE_OK;
}

const mote_op mote_op_where = {NULL, MOTE_OP_WHERE, NULL, where_prepare, NULL, where_eval, NULL};
