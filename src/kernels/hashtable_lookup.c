/* hashtable_lookup.c — HASHTABLE_LOOKUP: for each int32 lookup, the row of value whose key
 * matches (keys sorted ascending, found by binary search as TensorFlow Lite's bsearch
 * does), or zeros; a second output says which lookups hit (uint8 1 or 0). Rows are copied,
 * so every fixed-size value type works. */
#include "kernels/kernel.h"

enum { IN_LOOKUP = 0, IN_KEYS = 1, IN_VALUES = 2 };
enum { OUT_VALUES = 0, OUT_HITS = 1 };

static mote_status hashtable_prepare(mote_context *ctx, mote_node *node) {
    mote_tensor *lookup, *keys, *values, *out, *hits;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 3, 3, 2)) || (st = kernel_require_input(ctx, node, IN_LOOKUP, &lookup)) ||
        (st = kernel_require_input(ctx, node, IN_KEYS, &keys)) ||
        (st = kernel_require_input(ctx, node, IN_VALUES, &values)) ||
        (st = kernel_require_output(ctx, node, OUT_VALUES, &out)) ||
        (st = kernel_require_output(ctx, node, OUT_HITS, &hits)) ||
        (st = kernel_check_type(ctx, node, lookup, "input", IN_LOOKUP, MOTE_INT32)) ||
        (st = kernel_check_rank(ctx, node, lookup, "input", IN_LOOKUP, 1)) ||
        (st = kernel_check_type(ctx, node, keys, "input", IN_KEYS, MOTE_INT32)) ||
        (st = kernel_check_rank(ctx, node, keys, "input", IN_KEYS, 1)) ||
        (st = kernel_check_type(ctx, node, hits, "output", OUT_HITS, MOTE_UINT8)))
        return st;
    if (mote_type_bytes(values->type) == 0) return kernel_unsupported_type(ctx, node, values, "input", IN_VALUES);
    if ((st = kernel_check_type(ctx, node, out, "output", OUT_VALUES, values->type))) return st;
    if (values->rank < 1 || values->dims[0] != keys->dims[0])
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%d keys for %d value rows", keys->dims[0],
                           values->rank < 1 ? 0 : values->dims[0]);
    int32_t dims[MOTE_MAX_DIMS];
    memcpy(dims, values->dims, sizeof(int32_t) * (size_t)values->rank);
    dims[0] = lookup->dims[0];
    if ((st = kernel_set_shape(ctx, node, out, values->rank, dims))) return st;
    return kernel_set_shape(ctx, node, hits, 1, &lookup->dims[0]);
}

/* The row whose key is k, or -1: the classic halving search bsearch performs. */
static int64_t find_key(const mote_tensor *keys, int32_t k) {
    size_t lo = 0, hi = (size_t)keys->dims[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int64_t v = kernel_int_at(keys, mid);
        if (k < v)
            hi = mid;
        else if (k > v)
            lo = mid + 1;
        else
            return (int64_t)mid;
    }
    return -1;
}

static mote_status hashtable_eval(mote_context *ctx, mote_node *node) {
    const mote_tensor *lookup = kernel_input(ctx, node, IN_LOOKUP), *keys = kernel_input(ctx, node, IN_KEYS),
                      *values = kernel_input(ctx, node, IN_VALUES);
    mote_tensor *out = kernel_output(ctx, node, OUT_VALUES), *hits = kernel_output(ctx, node, OUT_HITS);
    const size_t row = kernel_dims_product(values, 1, values->rank) * mote_type_bytes(values->type);
    for (size_t i = 0, n = (size_t)lookup->dims[0]; i < n; i++) {
        const int64_t r = find_key(keys, (int32_t)kernel_int_at(lookup, i));
        hits->data[i] = r >= 0;
        if (row == 0) continue;
        if (r >= 0)
            memcpy(out->data + i * row, values->data + (size_t)r * row, row);
        else
            memset(out->data + i * row, 0, row);
    }
    return MOTE_OK;
}

const mote_op mote_op_hashtable_lookup = {NULL, MOTE_OP_HASHTABLE_LOOKUP, NULL, hashtable_prepare, NULL, hashtable_eval,
                                          NULL};
