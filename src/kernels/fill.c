/* fill.c — FILL (a shape filled with one scalar value, any fixed-size type), ZEROS_LIKE
 * (zeros in the input's shape; quantized tensors are refused, their zero is ambiguous) and
 * RANGE (start, start + delta, ... up to limit, exclusive: int32, int64, float32, each value
 * the previous plus delta as in TensorFlow Lite). Output shapes come from argument values;
 * when those are computed while running, the node is prepared again before each eval. */
#include "kernels/shape_arg.h"

/* ---- FILL ---- */

enum { FILL_DIMS = 0, FILL_VALUE = 1 };

static mote_status fill_prepare(mote_context *ctx, mote_node *node) {
    mote_tensor *dims_t, *value, *out;
    mote_status st;
    char b[160];
    if ((st = kernel_check_counts(ctx, node, 2, 2, 1)) || (st = kernel_require_input(ctx, node, FILL_DIMS, &dims_t)) ||
        (st = kernel_require_input(ctx, node, FILL_VALUE, &value)) || (st = kernel_require_output(ctx, node, 0, &out)) ||
        (st = kernel_check_rank(ctx, node, dims_t, "input", FILL_DIMS, 1)) ||
        (st = kernel_check_rank(ctx, node, value, "input", FILL_VALUE, 0)) ||
        (st = kernel_check_int_arg(ctx, node, dims_t, "input", FILL_DIMS)))
        return st;
    if (mote_type_bytes(value->type) == 0) return kernel_unsupported_type(ctx, node, value, "input", FILL_VALUE);
    if ((st = kernel_check_type(ctx, node, out, "output", 0, value->type))) return st;
    if (value->scale != out->scale || value->zero_point != out->zero_point)
        return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED, "%s: quantization differs from the output's",
                           kernel_describe(value, "input", FILL_VALUE, b, sizeof b));
    const int32_t rank = dims_t->dims[0];
    if (rank > MOTE_MAX_DIMS)
        return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED, "output rank %d exceeds %d", rank, MOTE_MAX_DIMS);
    int32_t dims[MOTE_MAX_DIMS];
    for (int32_t k = 0; k < rank; k++) {
        int64_t v = kernel_int_at(dims_t, (size_t)k);
        if (v < 0 || v > INT32_MAX)
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: dimension %d is %lld",
                               kernel_describe(dims_t, "input", FILL_DIMS, b, sizeof b), k, (long long)v);
        dims[k] = (int32_t)v;
    }
    return kernel_set_shape(ctx, node, out, rank, dims);
}

static mote_status fill_eval(mote_context *ctx, mote_node *node) {
    const mote_tensor *value = kernel_input(ctx, node, FILL_VALUE);
    mote_tensor *out = kernel_output(ctx, node, 0);
    const size_t e = mote_type_bytes(out->type);
    for (size_t k = 0, n = kernel_count(out); k < n; k++) memcpy(out->data + k * e, value->data, e);
    return MOTE_OK;
}

/* ---- ZEROS_LIKE ---- */

static mote_status zeros_like_prepare(mote_context *ctx, mote_node *node) {
    mote_tensor *in, *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 1, 1, 1)) || (st = kernel_require_input(ctx, node, 0, &in)) ||
        (st = kernel_require_output(ctx, node, 0, &out)))
        return st;
    if (mote_type_bytes(in->type) == 0 || in->scale != 0.0f) return kernel_unsupported_type(ctx, node, in, "input", 0);
    if ((st = kernel_check_type(ctx, node, out, "output", 0, in->type))) return st;
    return kernel_copy_shape(ctx, node, out, in);
}

static mote_status zeros_like_eval(mote_context *ctx, mote_node *node) {
    mote_tensor *out = kernel_output(ctx, node, 0);
    if (out->bytes) memset(out->data, 0, out->bytes); /* all-zero bytes: 0, 0.0 and false */
    return MOTE_OK;
}

/* ---- RANGE ---- */

enum { RANGE_START = 0, RANGE_LIMIT = 1, RANGE_DELTA = 2 };

/* A float32 scalar argument (read bytewise: model data need not be aligned). */
static float scalar_f32(const mote_tensor *t) {
    float f;
    memcpy(&f, t->data, sizeof f);
    return f;
}

static mote_status range_prepare(mote_context *ctx, mote_node *node) {
    mote_tensor *in[3], *out;
    mote_status st;
    char b[160];
    if ((st = kernel_check_counts(ctx, node, 3, 3, 1)) || (st = kernel_require_output(ctx, node, 0, &out))) return st;
    for (int32_t i = 0; i < 3; i++) {
        if ((st = kernel_require_input(ctx, node, i, &in[i])) || (st = kernel_check_rank(ctx, node, in[i], "input", i, 0)))
            return st;
        mote_type t = in[i]->type;
        if (t != MOTE_INT32 && t != MOTE_INT64 && t != MOTE_FLOAT32)
            return kernel_unsupported_type(ctx, node, in[i], "input", i);
        if ((st = kernel_check_type(ctx, node, in[i], "input", i, in[0]->type))) return st;
    }
    for (int32_t i = 0; i < 3; i++) {
        /* The length depends on the values: wait for them when they are computed. */
        if (!kernel_values_ready(node, in[i])) return kernel_defer(ctx, node);
        if (!in[i]->data || in[i]->bytes < mote_type_bytes(in[i]->type))
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: holds no value",
                               kernel_describe(in[i], "input", i, b, sizeof b));
    }
    if ((st = kernel_check_type(ctx, node, out, "output", 0, in[0]->type))) return st;
    int64_t size;
    if (in[0]->type == MOTE_FLOAT32) {
        const float start = scalar_f32(in[0]), limit = scalar_f32(in[1]),
                    delta = scalar_f32(in[2]);
        if (delta == 0.0f || (start > limit && delta > 0.0f) || (start < limit && delta < 0.0f))
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "delta %g cannot go from %g to %g", (double)delta,
                               (double)start, (double)limit);
        const float n = ceilf(fabsf((limit - start) / delta));
        if (!(n <= (float)INT32_MAX)) return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "the range is too long");
        size = (int64_t)n;
    } else {
        const int64_t start = kernel_int_at(in[0], 0), limit = kernel_int_at(in[1], 0), delta = kernel_int_at(in[2], 0);
        if (delta == 0 || (start > limit && delta > 0) || (start < limit && delta < 0))
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "delta %lld cannot go from %lld to %lld",
                               (long long)delta, (long long)start, (long long)limit);
        /* In unsigned arithmetic: |limit - start| may exceed INT64_MAX. */
        const uint64_t span = limit > start ? (uint64_t)limit - (uint64_t)start : (uint64_t)start - (uint64_t)limit;
        const uint64_t step = delta > 0 ? (uint64_t)delta : 0 - (uint64_t)delta;
        const uint64_t n = span / step + (span % step != 0);
        if (n > INT32_MAX) return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "the range is too long");
        size = (int64_t)n;
    }
    int32_t dim = (int32_t)size;
    return kernel_set_shape(ctx, node, out, 1, &dim);
}

static mote_status range_eval(mote_context *ctx, mote_node *node) {
    const mote_tensor *start = kernel_input(ctx, node, RANGE_START), *delta = kernel_input(ctx, node, RANGE_DELTA);
    mote_tensor *out = kernel_output(ctx, node, 0);
    const size_t n = kernel_count(out);
    if (out->type == MOTE_FLOAT32) {
        float v = scalar_f32(start), step = scalar_f32(delta);
        for (size_t k = 0; k < n; k++, v += step) memcpy(out->data + 4 * k, &v, 4);
    } else {
                int64_t v = kernel_int_at(start, 0), step = kernel_int_at(delta, 0);
        for (size_t k = 0; k < n; k++) {
            if (out->type == MOTE_INT64) {
                memcpy(out->data + 8 * k, &v, 8);
            } else {
                int32_t v32 = (int32_t)v;
                memcpy(out->data + 4 * k, &v32, 4);
            }
            if (k + 1 < n) v += step; /* never past the last value, which is within range */
        }
    }
    return MOTE_OK;
}

const mote_op mote_op_fill = {NULL, MOTE_OP_FILL, NULL, fill_prepare, NULL, fill_eval, NULL};
const mote_op mote_op_zeros_like = {NULL, MOTE_OP_ZEROS_LIKE, NULL, zeros_like_prepare, NULL, zeros_like_eval, NULL};
const mote_op mote_op_range = {NULL, MOTE_OP_RANGE, NULL, range_prepare, NULL, range_eval, NULL};
