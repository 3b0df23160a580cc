/* kernel.c — shared helpers for operator implementations (see kernel.h). */
#include "kernels/kernel.h"

#include <stdio.h>

const char *kernel_describe(const mote_tensor *t, const char *role, int32_t i, char *buf, size_t n) {
    if (!t)
        snprintf(buf, n, "%s %d (absent)", role, i);
    else
        snprintf(buf, n, "%s %d (tensor %d '%s')", role, i, t->index, t->def ? t->def->name : "");
    return buf;
}

mote_status kernel_check_counts(mote_context *ctx, const mote_node *node, int32_t min_inputs,
                                int32_t max_inputs, int32_t outputs) {
    if (node->input_count < min_inputs || node->input_count > max_inputs) {
        if (min_inputs == max_inputs)
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "expected %d inputs, got %d",
                               min_inputs, node->input_count);
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "expected %d to %d inputs, got %d",
                           min_inputs, max_inputs, node->input_count);
    }
    if (outputs >= 0 && node->output_count != outputs)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "expected %d outputs, got %d", outputs,
                           node->output_count);
    return MOTE_OK;
}

mote_status kernel_require_input(mote_context *ctx, const mote_node *node, int32_t i, mote_tensor **t) {
    *t = kernel_input(ctx, node, i);
    if (!*t) return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "input %d is missing", i);
    return MOTE_OK;
}

mote_status kernel_require_output(mote_context *ctx, const mote_node *node, int32_t i, mote_tensor **t) {
    *t = kernel_output(ctx, node, i);
    if (!*t) return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "output %d is missing", i);
    return MOTE_OK;
}

mote_status kernel_check_type(mote_context *ctx, const mote_node *node, const mote_tensor *t,
                              const char *role, int32_t i, mote_type expected) {
    if (t->type == expected) return MOTE_OK;
    char d[160];
    return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: expected %s, got %s",
                       kernel_describe(t, role, i, d, sizeof d), mote_type_name(expected),
                       mote_type_name(t->type));
}

mote_status kernel_unsupported_type(mote_context *ctx, const mote_node *node, const mote_tensor *t,
                                    const char *role, int32_t i) {
    char d[160];
    return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED, "%s: type %s is not supported",
                       kernel_describe(t, role, i, d, sizeof d), mote_type_name(t->type));
}

mote_status kernel_check_rank(mote_context *ctx, const mote_node *node, const mote_tensor *t,
                              const char *role, int32_t i, int32_t rank) {
    if (t->rank == rank) return MOTE_OK;
    char d[160];
    return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: expected rank %d, got rank %d",
                       kernel_describe(t, role, i, d, sizeof d), rank, t->rank);
}

mote_status kernel_check_constant(mote_context *ctx, const mote_node *node, const mote_tensor *t,
                                  const char *role, int32_t i) {
    if (kernel_is_constant(t)) return MOTE_OK;
    char d[160];
    return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED, "%s: must be a constant in the model",
                       kernel_describe(t, role, i, d, sizeof d));
}

mote_status kernel_check_int_arg(mote_context *ctx, const mote_node *node, const mote_tensor *t,
                                 const char *role, int32_t i) {
    char d[160];
    if (t->type != MOTE_INT32 && t->type != MOTE_INT64)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: expected int32 or int64, got %s",
                           kernel_describe(t, role, i, d, sizeof d), mote_type_name(t->type));
    if (kernel_count(t) == 0) return MOTE_OK; /* no values to know (may have no buffer) */
    if (!kernel_values_ready(node, t)) {
        if (ctx->in_prepare && !node->reprepare) return STATUS_DEFERRED;
        return kernel_check_constant(ctx, node, t, role, i);
    }
    /* Sparse constants keep their encoded size: make sure every element is there. */
    if (!t->data || t->bytes / mote_type_bytes(t->type) < kernel_count(t))
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: holds fewer values than its shape",
                           kernel_describe(t, role, i, d, sizeof d));
    return MOTE_OK;
}

mote_status kernel_set_shape(mote_context *ctx, const mote_node *node, mote_tensor *t, int32_t rank,
                             const int32_t *dims) {
    if (rank < 0 || rank > MOTE_MAX_DIMS)
        return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED, "output rank %d exceeds %d", rank,
                           MOTE_MAX_DIMS);
    for (int32_t i = 0; i < rank; i++)
        if (dims[i] < 0)
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "output dimension %d is %d", i,
                               dims[i]);
    int32_t copy[MOTE_MAX_DIMS];
    if (rank > 0) memcpy(copy, dims, (size_t)rank * sizeof *dims); /* dims may alias t->dims */
    t->rank = rank;
    if (rank > 0) memcpy(t->dims, copy, (size_t)rank * sizeof *dims);
    return tensor_update_bytes(ctx, t);
}

mote_status kernel_resize_output(mote_context *ctx, const mote_node *node, mote_tensor *t, int32_t rank,
                                 const int32_t *dims) {
    if (t->storage != STORAGE_DYNAMIC) {
        if (rank == t->rank && memcmp(dims, t->dims, (size_t)rank * sizeof *dims) == 0) return MOTE_OK;
        return kernel_fail(ctx, node, MOTE_ERROR_RUNTIME,
                           "tensor %d ('%s'): the shape computed while running differs from the planned one",
                           t->index, t->def->name);
    }
    mote_status st = kernel_set_shape(ctx, node, t, rank, dims);
    return st ? st : dynamic_reserve(ctx, node, t, t->bytes);
}

mote_status kernel_check_strings(mote_context *ctx, const mote_node *node, const mote_tensor *t, const char *role,
                                 int32_t i) {
    const char *why = strings_check(t->data, t->bytes, (int64_t)kernel_count(t));
    if (!why) return MOTE_OK;
    char d[160];
    return kernel_fail(ctx, node, MOTE_ERROR_RUNTIME, "%s: not a valid string buffer: %s",
                       kernel_describe(t, role, i, d, sizeof d), why);
}

void *kernel_alloc_data(mote_context *ctx, mote_node *node, size_t size) {
    void *p = mote_alloc_array(&ctx->alloc, 1, size);
    if (p) {
        node->data = p;
        node->data_size = size;
    }
    return p;
}

mote_status kernel_init_data(mote_context *ctx, mote_node *node, size_t size) {
    return kernel_alloc_data(ctx, node, size) ? MOTE_OK
                                              : kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
}

mote_status kernel_check_activation(mote_context *ctx, const mote_node *node, int act) {
    if (act >= ACT_NONE && act <= ACT_RELU6) return MOTE_OK;
    return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED, "fused activation %d is not supported", act);
}

void kernel_activation_range_f32(int act, float *lo, float *hi) {
    switch (act) {
    case ACT_RELU: *lo = 0.0f; *hi = INFINITY; break;
    case ACT_RELU_N1_TO_1: *lo = -1.0f; *hi = 1.0f; break;
    case ACT_RELU6: *lo = 0.0f; *hi = 6.0f; break;
    default: *lo = -INFINITY; *hi = INFINITY; break;
    }
}

int32_t kernel_out_size(int padding, int32_t in, int32_t filter, int32_t stride, int32_t dilation) {
    if (stride <= 0 || dilation <= 0 || filter <= 0) return 0;
    int64_t effective = ((int64_t)filter - 1) * dilation + 1;
    int64_t out;
    if (padding == PADDING_SAME)
        out = ((int64_t)in + stride - 1) / stride;
    else
        out = ((int64_t)in + stride - effective) / stride;
    if (out < 0) out = 0;
    return out > INT32_MAX ? 0 : (int32_t)out;
}

int32_t kernel_pad_before(int padding, int32_t in, int32_t filter, int32_t stride, int32_t dilation,
                          int32_t out) {
    (void)padding;
    int64_t effective = ((int64_t)filter - 1) * dilation + 1;
    int64_t total = ((int64_t)out - 1) * stride + effective - in;
    if (total < 0) total = 0;
    return (int32_t)(total / 2);
}

mote_status kernel_broadcast_shape(mote_context *ctx, const mote_node *node, const mote_tensor *a,
                                   const mote_tensor *b, int32_t *rank, int32_t *dims) {
    int32_t r = a->rank > b->rank ? a->rank : b->rank;
    for (int32_t i = 0; i < r; i++) {
        int32_t ia = a->rank - r + i, ib = b->rank - r + i;
        int32_t da = ia >= 0 ? a->dims[ia] : 1, db = ib >= 0 ? b->dims[ib] : 1;
        if (da == db || db == 1)
            dims[i] = da;
        else if (da == 1)
            dims[i] = db;
        else {
            char x[160], y[160];
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                               "cannot broadcast %s and %s: dimension %d is %d vs %d",
                               kernel_describe(a, "input", 0, x, sizeof x),
                               kernel_describe(b, "input", 1, y, sizeof y), i, da, db);
        }
    }
    *rank = r;
    return MOTE_OK;
}

void kernel_broadcast_strides(const mote_tensor *t, int32_t rank, const int32_t *out_dims,
                              size_t *strides) {
    size_t s = 1;
    for (int32_t i = rank - 1; i >= 0; i--) {
        int32_t it = t->rank - rank + i;
        int32_t d = it >= 0 ? t->dims[it] : 1;
        strides[i] = (d == 1 && out_dims[i] != 1) ? 0 : s;
        if (d == 1) strides[i] = 0;
        s *= (size_t)d;
    }
}

void kernel_bcast_init(kernel_bcast_iter *it, const mote_tensor *a, const mote_tensor *b,
                       const mote_tensor *out) {
    it->rank = out->rank;
    memcpy(it->dims, out->dims, sizeof(int32_t) * (size_t)out->rank);
    kernel_broadcast_strides(a, out->rank, out->dims, it->sa);
    kernel_broadcast_strides(b, out->rank, out->dims, it->sb);
}

float kernel_f16_to_f32(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000) << 16;
    uint32_t exp = (h >> 10) & 0x1f, mant = h & 0x3ff, bits;
    if (exp == 0) {
        if (mant == 0) {
            bits = sign;
        } else { /* subnormal: renormalize */
            int e = -1;
            do {
                e++;
                mant <<= 1;
            } while (!(mant & 0x400));
            bits = sign | ((uint32_t)(127 - 15 - e) << 23) | ((mant & 0x3ff) << 13);
        }
    } else if (exp == 31) {
        bits = sign | 0x7f800000u | (mant << 13);
    } else {
        bits = sign | ((exp + 127 - 15) << 23) | (mant << 13);
    }
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

uint16_t kernel_f32_to_f16(float f) {
    uint32_t x;
    memcpy(&x, &f, sizeof x);
    uint32_t sign = (x >> 16) & 0x8000;
    uint32_t absx = x & 0x7fffffffu;
    if (absx >= 0x7f800000u) /* inf or nan */
        return (uint16_t)(sign | 0x7c00 | (absx > 0x7f800000u ? 0x200 : 0));
    if (absx >= 0x477ff000u) return (uint16_t)(sign | 0x7c00); /* rounds to inf */
    if (absx < 0x38800000u) {                                  /* subnormal or zero in f16 */
        if (absx < 0x33000000u) return (uint16_t)sign;
        uint32_t e = absx >> 23, m = (absx & 0x7fffff) | 0x800000;
        uint32_t shift = 126 - e; /* 14..24 */
        uint32_t half = m >> shift, rem = m & ((1u << shift) - 1), mid = 1u << (shift - 1);
        if (rem > mid || (rem == mid && (half & 1))) half++;
        return (uint16_t)(sign | half);
    }
    uint32_t h = ((absx - 0x38000000u) >> 13);
    uint32_t rem = absx & 0x1fff;
    if (rem > 0x1000 || (rem == 0x1000 && (h & 1))) h++;
    return (uint16_t)(sign | h);
}
