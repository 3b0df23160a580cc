/* cast.c — CAST between bool, int8/16/32/64, uint8/16/32/64, float16, float32 and float64,
 * value by value as C++'s static_cast does in TensorFlow Lite: integers wrap modulo 2^bits,
 * floats truncate toward zero, anything non-zero becomes true. Where static_cast is
 * undefined (a float outside the target's range, or NaN) Mote saturates, NaN giving 0.
 * Quantization parameters are ignored: the stored integers are converted. */
#include "kernels/kernel.h"

/* One element on its way through: exactly one of the fields holds it. */
typedef enum { V_SIGNED, V_UNSIGNED, V_FLOAT } value_kind;
typedef struct value {
    value_kind kind;
    int64_t i;
    uint64_t u;
    double f; /* float16/32/64 sources are exact in double */
} value;

static int castable(mote_type t) {
    switch (t) {
    case MOTE_BOOL:
    case MOTE_INT8:
    case MOTE_UINT8:
    case MOTE_INT16:
    case MOTE_UINT16:
    case MOTE_INT32:
    case MOTE_UINT32:
    case MOTE_INT64:
    case MOTE_UINT64:
    case MOTE_FLOAT16:
    case MOTE_FLOAT32:
    case MOTE_FLOAT64: return 1;
    default: return 0;
    }
}

static mote_status cast_prepare(mote_context *ctx, mote_node *node) {
    mote_tensor *in, *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 1, 1, 1)) || (st = kernel_require_input(ctx, node, 0, &in)) ||
        (st = kernel_require_output(ctx, node, 0, &out)))
        return st;
    if (!castable(in->type)) return kernel_unsupported_type(ctx, node, in, "input", 0);
    if (!castable(out->type)) return kernel_unsupported_type(ctx, node, out, "output", 0);
    return kernel_copy_shape(ctx, node, out, in);
}

/* Reads element k (memcpy: no alignment assumed for model data). */
static value load(mote_type t, const uint8_t *p, size_t k) {
    value v = {V_SIGNED, 0, 0, 0.0};
    switch (t) {
    case MOTE_BOOL: v.i = p[k] != 0; break;
    case MOTE_INT8: v.i = (int8_t)p[k]; break;
    case MOTE_UINT8: v.i = p[k]; break;
    case MOTE_INT16: { int16_t x; memcpy(&x, p + 2 * k, 2); v.i = x; break; }
    case MOTE_UINT16: { uint16_t x; memcpy(&x, p + 2 * k, 2); v.i = x; break; }
    case MOTE_INT32: { int32_t x; memcpy(&x, p + 4 * k, 4); v.i = x; break; }
    case MOTE_UINT32: { uint32_t x; memcpy(&x, p + 4 * k, 4); v.i = x; break; }
    case MOTE_INT64: memcpy(&v.i, p + 8 * k, 8); break;
    case MOTE_UINT64: v.kind = V_UNSIGNED; memcpy(&v.u, p + 8 * k, 8); break;
    case MOTE_FLOAT16: { uint16_t h; memcpy(&h, p + 2 * k, 2); v.kind = V_FLOAT; v.f = kernel_f16_to_f32(h); break; }
    case MOTE_FLOAT32: { float x; memcpy(&x, p + 4 * k, 4); v.kind = V_FLOAT; v.f = x; break; }
    default: { double x; memcpy(&x, p + 8 * k, 8); v.kind = V_FLOAT; v.f = x; break; }
    }
    return v;
}

/* The value as an integer in [lo, hi] (hi < 2^63), modulo 2^64 for integers (the caller
 * keeps the low bits); floats truncated and saturated, NaN 0. */
static uint64_t to_bits(value v, double lo, double hi) {
    switch (v.kind) {
    case V_SIGNED: return (uint64_t)v.i;
    case V_UNSIGNED: return v.u;
    default:
        if (v.f != v.f) return 0;
        if (v.f <= lo) return (uint64_t)(int64_t)lo;
        if (v.f >= hi) return (uint64_t)(int64_t)hi;
        return (uint64_t)(int64_t)v.f;
    }
}

/* The same for uint64 targets, whose top exceeds int64. */
static uint64_t to_u64(value v) {
    switch (v.kind) {
    case V_SIGNED: return (uint64_t)v.i;
    case V_UNSIGNED: return v.u;
    default:
        if (v.f != v.f || v.f <= 0.0) return 0;
        if (v.f >= 18446744073709551616.0) return UINT64_MAX;
        return (uint64_t)v.f;
    }
}

/* int64 targets: the float limits are powers of two, exact in double. */
static int64_t to_i64(value v) {
    switch (v.kind) {
    case V_SIGNED: return v.i;
    case V_UNSIGNED: return (int64_t)v.u; /* modulo 2^64, as GCC and Clang convert */
    default:
        if (v.f != v.f) return 0;
        if (v.f < -9223372036854775808.0) return INT64_MIN;
        if (v.f >= 9223372036854775808.0) return INT64_MAX;
        return (int64_t)v.f;
    }
}

/* Integers convert to float in one rounding, straight from their own type. */
static float to_f32(value v) {
    switch (v.kind) {
    case V_SIGNED: return (float)v.i;
    case V_UNSIGNED: return (float)v.u;
    default: return (float)v.f;
    }
}
static double to_f64(value v) {
    switch (v.kind) {
    case V_SIGNED: return (double)v.i;
    case V_UNSIGNED: return (double)v.u;
    default: return v.f;
    }
}
static int is_nonzero(value v) {
    switch (v.kind) {
    case V_SIGNED: return v.i != 0;
    case V_UNSIGNED: return v.u != 0;
    default: return v.f != 0.0; /* NaN is true, as in C++ */
    }
}

static void store(mote_type t, uint8_t *p, size_t k, value v) {
    switch (t) {
    case MOTE_BOOL: p[k] = (uint8_t)is_nonzero(v); break;
    case MOTE_INT8: p[k] = (uint8_t)to_bits(v, INT8_MIN, INT8_MAX); break;
    case MOTE_UINT8: p[k] = (uint8_t)to_bits(v, 0, UINT8_MAX); break;
    case MOTE_INT16: { uint16_t x = (uint16_t)to_bits(v, INT16_MIN, INT16_MAX); memcpy(p + 2 * k, &x, 2); break; }
    case MOTE_UINT16: { uint16_t x = (uint16_t)to_bits(v, 0, UINT16_MAX); memcpy(p + 2 * k, &x, 2); break; }
    case MOTE_INT32: { uint32_t x = (uint32_t)to_bits(v, INT32_MIN, INT32_MAX); memcpy(p + 4 * k, &x, 4); break; }
    case MOTE_UINT32: { uint32_t x = (uint32_t)to_bits(v, 0, UINT32_MAX); memcpy(p + 4 * k, &x, 4); break; }
    case MOTE_INT64: { int64_t x = to_i64(v); memcpy(p + 8 * k, &x, 8); break; }
    case MOTE_UINT64: { uint64_t x = to_u64(v); memcpy(p + 8 * k, &x, 8); break; }
    case MOTE_FLOAT16: { uint16_t h = kernel_f32_to_f16(to_f32(v)); memcpy(p + 2 * k, &h, 2); break; }
    case MOTE_FLOAT32: { float x = to_f32(v); memcpy(p + 4 * k, &x, 4); break; }
    default: { double x = to_f64(v); memcpy(p + 8 * k, &x, 8); break; }
    }
}

static mote_status cast_eval(mote_context *ctx, mote_node *node) {
    const mote_tensor *in = kernel_input(ctx, node, 0);
    mote_tensor *out = kernel_output(ctx, node, 0);
    if (in->type == out->type) {
        if (in->bytes && in->data != out->data) memcpy(out->data, in->data, in->bytes);
        return MOTE_OK;
    }
    for (size_t k = 0, n = kernel_count(out); k < n; k++) store(out->type, out->data, k, load(in->type, in->data, k));
    return MOTE_OK;
}

const mote_op mote_op_cast = {NULL, MOTE_OP_CAST, NULL, cast_prepare, NULL, cast_eval, NULL};
