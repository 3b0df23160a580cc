/* gather.c — GATHER along an axis with batch_dims, int32 or int64 indices: a copy of
 * slices, so every fixed-size element type works, and strings (a new string buffer).
 * Indices are data, checked while running. */
#include "kernels/kernel.h"

/* GatherOptions fields. */
#define OPT_AXIS 0
#define OPT_BATCH_DIMS 1

enum { IN_PARAMS = 0, IN_INDICES = 1 };

typedef struct gather_data {
    int32_t axis;       /* as written in the model (may be negative) */
    int32_t batch_dims; /* leading dimensions shared by params and indices (may be negative) */
    /* Set in prepare; params viewed as [batches, outer, axis_size, inner]: */
    size_t batches;     /* product of params' first batch_dims dimensions */
    size_t outer;       /* product of params' dimensions from batch_dims to the axis */
    int32_t axis_size;  /* params' size along the axis: valid indices are [0, axis_size) */
    size_t coords;      /* indices per batch */
    size_t inner_bytes; /* bytes of one gathered slice (the dimensions after the axis) */
    size_t inner;       /* elements of one gathered slice */
} gather_data;

static mote_status gather_init(mote_context *ctx, mote_node *node) {
    gather_data *d = kernel_alloc_data(ctx, node, sizeof *d);
    if (!d) return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    fb_table opt = kernel_options(ctx, node, TFL_OPTIONS_GATHER);
    d->axis = KOPT_I32(ctx, opt, OPT_AXIS, 0);
    d->batch_dims = KOPT_I32(ctx, opt, OPT_BATCH_DIMS, 0);
    return MOTE_OK;
}

static mote_status gather_prepare(mote_context *ctx, mote_node *node) {
    gather_data *d = node->data;
    mote_tensor *params, *indices, *out;
    mote_status st;
    char b[160];
    if ((st = kernel_check_counts(ctx, node, 2, 2, 1)) ||
        (st = kernel_require_input(ctx, node, IN_PARAMS, &params)) ||
        (st = kernel_require_input(ctx, node, IN_INDICES, &indices)) ||
        (st = kernel_require_output(ctx, node, 0, &out)))
        return st;
    size_t elem = mote_type_bytes(params->type);
    if (elem == 0 && params->type != MOTE_STRING) return kernel_unsupported_type(ctx, node, params, "input", IN_PARAMS);
    /* Like TensorFlow Lite, the output keeps the bytes as they are (no rescaling). */
    if ((st = kernel_check_type(ctx, node, out, "output", 0, params->type))) return st;
    if (indices->type != MOTE_INT32 && indices->type != MOTE_INT64)
        return kernel_unsupported_type(ctx, node, indices, "input", IN_INDICES);

    int32_t prank = params->rank, irank = indices->rank;
    int32_t axis = d->axis < 0 ? d->axis + prank : d->axis;
    int32_t batch_dims = d->batch_dims < 0 ? d->batch_dims + irank : d->batch_dims;
    if (axis < 0 || axis >= prank)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "axis %d is out of range for %s of rank %d",
                           d->axis, kernel_describe(params, "input", IN_PARAMS, b, sizeof b), prank);
    if (batch_dims < 0 || batch_dims > irank || batch_dims > axis)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "batch_dims %d must lie in [0, %d] (the indices' rank and the axis)",
                           d->batch_dims, irank < axis ? irank : axis);
    for (int32_t k = 0; k < batch_dims; k++)
        if (params->dims[k] != indices->dims[k])
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                               "batch dimension %d differs: params have %d, indices %d", k, params->dims[k],
                               indices->dims[k]);
    /* Output: params[:axis] + indices[batch_dims:] + params[axis + 1:]. */
    int32_t rank = axis + (irank - batch_dims) + (prank - axis - 1);
    if (rank > MOTE_MAX_DIMS)
        return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED, "output rank %d exceeds %d", rank,
                           MOTE_MAX_DIMS);
    int32_t dims[MOTE_MAX_DIMS], n = 0;
    for (int32_t k = 0; k < axis; k++) dims[n++] = params->dims[k];
    for (int32_t k = batch_dims; k < irank; k++) dims[n++] = indices->dims[k];
    for (int32_t k = axis + 1; k < prank; k++) dims[n++] = params->dims[k];

    d->batches = kernel_dims_product(params, 0, batch_dims);
    d->outer = kernel_dims_product(params, batch_dims, axis);
    d->axis_size = params->dims[axis];
    d->coords = kernel_dims_product(indices, batch_dims, irank);
    d->inner = kernel_dims_product(params, axis + 1, prank);
    d->inner_bytes = d->inner * elem;
    return kernel_set_shape(ctx, node, out, rank, dims);
}

/* ---- strings: output element i is a params element, found through the indices ---- */

typedef struct gather_strings {
    const gather_data *d;
    const mote_tensor *params, *indices;
} gather_strings;

/* The params element output element i copies; -1 when its index is out of range. */
static int64_t source_element(const gather_strings *g, size_t i, int64_t *index) {
    const gather_data *d = g->d;
    size_t k = i % d->inner, rest = i / d->inner;
    size_t c = rest % d->coords, o = (rest / d->coords) % d->outer, bt = rest / d->coords / d->outer;
    *index = kernel_int_at(g->indices, bt * d->coords + c);
    if (*index < 0 || *index >= d->axis_size) return -1;
    return (int64_t)(((bt * d->outer + o) * (size_t)d->axis_size + (size_t)*index) * d->inner + k);
}

static const uint8_t *gathered_string(const void *ctx, size_t i, size_t *length) {
    int64_t index;
    return kernel_string_at(((const gather_strings *)ctx)->params,
                            (size_t)source_element(ctx, i, &index), length);
}

static mote_status gather_strings_eval(mote_context *ctx, mote_node *node, const gather_data *d,
                                       const mote_tensor *params, const mote_tensor *indices, mote_tensor *out) {
    mote_status st = kernel_check_strings(ctx, node, params, "input", IN_PARAMS);
    if (st) return st;
    gather_strings g = {d, params, indices};
    size_t n = kernel_count(out), total = strings_header_bytes(n);
    for (size_t i = 0; i < n && total; i++) {
        int64_t index;
        int64_t src = source_element(&g, i, &index);
        if (src < 0)
            return kernel_fail(ctx, node, MOTE_ERROR_RUNTIME, "index %lld is outside [0, %d)", (long long)index,
                               d->axis_size);
        size_t len;
        kernel_string_at(params, (size_t)src, &len);
        total = len > (size_t)INT32_MAX - total ? 0 : total + len;
    }
    if (total == 0) return kernel_fail(ctx, node, MOTE_ERROR_LIMIT, "the gathered strings take more than 2 GiB");
    if ((st = kernel_resize_string(ctx, node, out, total))) return st;
    strings_write(out->data, n, gathered_string, &g);
    return MOTE_OK;
}

static mote_status gather_eval(mote_context *ctx, mote_node *node) {
    const gather_data *d = node->data;
    const mote_tensor *params = kernel_input(ctx, node, IN_PARAMS),
                      *indices = kernel_input(ctx, node, IN_INDICES);
    mote_tensor *out = kernel_output(ctx, node, 0);
    if (params->type == MOTE_STRING) return gather_strings_eval(ctx, node, d, params, indices, out);
    if (out->bytes == 0) return MOTE_OK;
    const size_t slab = (size_t)d->axis_size * d->inner_bytes; /* params bytes per (batch, outer) */
    uint8_t *dst = out->data;
    for (size_t bt = 0; bt < d->batches; bt++) {
        for (size_t o = 0; o < d->outer; o++) {
            const uint8_t *src = params->data + (bt * d->outer + o) * slab;
            for (size_t c = 0; c < d->coords; c++) {
                size_t at = bt * d->coords + c;
                int64_t index = kernel_int_at(indices, at);
                if (index < 0 || index >= d->axis_size)
                    return kernel_fail(ctx, node, MOTE_ERROR_RUNTIME,
                                       "index %lld (element %zu of the indices) is outside [0, %d)",
                                       (long long)index, at, d->axis_size);
                memcpy(dst, src + (size_t)index * d->inner_bytes, d->inner_bytes);
                dst += d->inner_bytes;
            }
        }
    }
    return MOTE_OK;
}

const mote_op mote_op_gather = {NULL, MOTE_OP_GATHER, gather_init, gather_prepare, NULL, gather_eval, NULL};
