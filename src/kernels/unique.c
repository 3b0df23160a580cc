/* unique.c — UNIQUE: the distinct values of a vector in order of first appearance (output 0,
 * its length only known while running) and, for each input value, the position of its value
 * among them (output 1, int32 or int64). float32, int8, uint8, int16, int32, int64; values
 * compare with == (so 0.0 and -0.0 are one value). Quadratic in the length, without memory
 * beyond the outputs. */
#include "kernels/kernel.h"

enum { OUT_VALUES = 0, OUT_INDEX = 1 };

static mote_status unique_prepare(mote_context *ctx, mote_node *node) {
    mote_tensor *in, *values, *index;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 1, 1, 2)) || (st = kernel_require_input(ctx, node, 0, &in)) ||
        (st = kernel_require_output(ctx, node, OUT_VALUES, &values)) ||
        (st = kernel_require_output(ctx, node, OUT_INDEX, &index)) || (st = kernel_check_rank(ctx, node, in, "input", 0, 1)))
        return st;
    switch (in->type) {
    case MOTE_FLOAT32:
    case MOTE_INT8:
    case MOTE_UINT8:
    case MOTE_INT16:
    case MOTE_INT32:
    case MOTE_INT64: break;
    default: return kernel_unsupported_type(ctx, node, in, "input", 0);
    }
    if ((st = kernel_check_type(ctx, node, values, "output", OUT_VALUES, in->type))) return st;
    if (index->type != MOTE_INT32 && index->type != MOTE_INT64)
        return kernel_unsupported_type(ctx, node, index, "output", OUT_INDEX);
    kernel_mark_dynamic(values);
    if ((st = kernel_set_shape(ctx, node, values, 1, in->dims))) return st; /* at most this long */
    return kernel_copy_shape(ctx, node, index, in);
}

static int64_t get_index(const mote_tensor *t, size_t k) { return kernel_int_at(t, k); }
static void set_index(mote_tensor *t, size_t k, int64_t v) {
    if (t->type == MOTE_INT64) {
        memcpy(t->data + 8 * k, &v, 8);
    } else {
        int32_t v32 = (int32_t)v; /* at most the input's length, an int32 */
        memcpy(t->data + 4 * k, &v32, 4);
    }
}

/* Element k equals element j (same type). */
static int same(const mote_tensor *t, size_t k, size_t j) {
    switch (t->type) {
    case MOTE_FLOAT32: return KERNEL_DATA(t, const float)[k] == KERNEL_DATA(t, const float)[j];
    case MOTE_INT8:
    case MOTE_UINT8: return t->data[k] == t->data[j];
    case MOTE_INT16: return KERNEL_DATA(t, const int16_t)[k] == KERNEL_DATA(t, const int16_t)[j];
    case MOTE_INT32: return KERNEL_DATA(t, const int32_t)[k] == KERNEL_DATA(t, const int32_t)[j];
    default: return KERNEL_DATA(t, const int64_t)[k] == KERNEL_DATA(t, const int64_t)[j];
    }
}

static mote_status unique_eval(mote_context *ctx, mote_node *node) {
    const mote_tensor *in = kernel_input(ctx, node, 0);
    mote_tensor *values = kernel_output(ctx, node, OUT_VALUES), *index = kernel_output(ctx, node, OUT_INDEX);
    const size_t n = kernel_count(in), e = mote_type_bytes(in->type);
    /* Pass 1: the index output, numbering values at their first appearance. */
    int64_t count = 0;
    for (size_t k = 0; k < n; k++) {
        size_t first = 0;
        while (first < k && !same(in, first, k)) first++;
        set_index(index, k, first == k ? count++ : get_index(index, first));
    }
    int32_t dims[1] = {(int32_t)count};
    mote_status st = kernel_resize_output(ctx, node, values, 1, dims);
    if (st) return st;
    /* Pass 2: each value at its first appearance (where its number is the next one). */
    int64_t next = 0;
    for (size_t k = 0; k < n; k++)
        if (get_index(index, k) == next) memcpy(values->data + (size_t)next++ * e, in->data + k * e, e);
    return MOTE_OK;
}

const mote_op mote_op_unique = {NULL, MOTE_OP_UNIQUE, NULL, unique_prepare, NULL, unique_eval, NULL};
