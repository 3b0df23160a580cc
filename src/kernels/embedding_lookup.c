/* embedding_lookup.c — EMBEDDING_LOOKUP: rows of a table (value, [rows, ...]) picked by an
 * int32 id vector. Rows are copied for any fixed-size type; an int8 or uint8 table with a
 * float32 output is dequantized as TensorFlow Lite's hybrid kernel does it: symmetric, the
 * stored byte read as int8 (uint8 tables too) times the scale (per row when the table has
 * one scale per row). Ids are data, checked while running. */
#include "kernels/kernel.h"

enum { IN_IDS = 0, IN_VALUE = 1 };

typedef struct embedding_data {
    int hybrid;        /* int8/uint8 table, float32 output */
    size_t row_elems;  /* elements per table row */
} embedding_data;

static mote_status embedding_init(mote_context *ctx, mote_node *node) {
    return kernel_init_data(ctx, node, sizeof(embedding_data));
}

static mote_status embedding_prepare(mote_context *ctx, mote_node *node) {
    embedding_data *d = node->data;
    mote_tensor *ids, *value, *out;
    mote_status st;
    char b[160];
    if ((st = kernel_check_counts(ctx, node, 2, 2, 1)) || (st = kernel_require_input(ctx, node, IN_IDS, &ids)) ||
        (st = kernel_require_input(ctx, node, IN_VALUE, &value)) || (st = kernel_require_output(ctx, node, 0, &out)) ||
        (st = kernel_check_type(ctx, node, ids, "input", IN_IDS, MOTE_INT32)) ||
        (st = kernel_check_rank(ctx, node, ids, "input", IN_IDS, 1)))
        return st;
    if (mote_type_bytes(value->type) == 0)
        return kernel_unsupported_type(ctx, node, value, "input", IN_VALUE);
    if (value->rank < 2 || value->rank > MOTE_MAX_DIMS)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: expected rank 2 or more, got %d",
                           kernel_describe(value, "input", IN_VALUE, b, sizeof b), value->rank);
    d->hybrid = (value->type == MOTE_INT8 || value->type == MOTE_UINT8) && out->type == MOTE_FLOAT32;
    if (!d->hybrid && (st = kernel_check_type(ctx, node, out, "output", 0, value->type))) return st;
    if (d->hybrid) {
        const int32_t scales = value->def ? value->def->quant_count : 0;
        if (scales < 1 || (scales > 1 && scales != value->dims[0]))
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                               "%s: a quantized table needs one scale, or one per row (%d), not %d",
                               kernel_describe(value, "input", IN_VALUE, b, sizeof b), value->dims[0], scales);
    }
    int32_t dims[MOTE_MAX_DIMS];
    memcpy(dims, value->dims, sizeof(int32_t) * (size_t)value->rank);
    dims[0] = ids->dims[0];
    d->row_elems = kernel_dims_product(value, 1, value->rank);
    return kernel_set_shape(ctx, node, out, value->rank, dims);
}

static mote_status embedding_eval(mote_context *ctx, mote_node *node) {
    const embedding_data *d = node->data;
    const mote_tensor *ids = kernel_input(ctx, node, IN_IDS), *value = kernel_input(ctx, node, IN_VALUE);
    mote_tensor *out = kernel_output(ctx, node, 0);
    const size_t row_bytes = d->row_elems * mote_type_bytes(value->type);
    for (size_t i = 0, n = (size_t)ids->dims[0]; i < n; i++) {
        const int64_t id = kernel_int_at(ids, i);
        if (id < 0 || id >= value->dims[0])
            return kernel_fail(ctx, node, MOTE_ERROR_RUNTIME, "id %lld (element %zu) is outside [0, %d)",
                               (long long)id, i, value->dims[0]);
        const uint8_t *row = value->data + (size_t)id * row_bytes;
        if (!d->hybrid) {
            if (row_bytes) memcpy(out->data + i * row_bytes, row, row_bytes);
            continue;
        }
        const model_tensor *def = value->def;
        const double scale = def->quant_count > 1 ? def->scales[id] : def->scales[0];
        float *y = KERNEL_DATA(out, float) + i * d->row_elems;
        for (size_t c = 0; c < d->row_elems; c++) y[c] = (float)((double)(int8_t)row[c] * scale);
    }
    return MOTE_OK;
}

const mote_op mote_op_embedding_lookup = {NULL, MOTE_OP_EMBEDDING_LOOKUP, embedding_init, embedding_prepare, NULL,
                                          embedding_eval, NULL};
