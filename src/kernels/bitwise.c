/* bitwise.c — BITWISE_XOR and RIGHT_SHIFT on int8/16/32 and uint8/16/32 with NumPy
 * broadcasting. RIGHT_SHIFT clamps the shift into [0, bits - 1] as TensorFlow Lite does and
 * shifts signed values arithmetically. */
#include "kernels/kernel.h"

static mote_status bitwise_prepare(mote_context *ctx, mote_node *node) {
    mote_tensor *a, *b, *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 2, 2, 1)) || (st = kernel_require_input(ctx, node, 0, &a)) ||
        (st = kernel_require_input(ctx, node, 1, &b)) || (st = kernel_require_output(ctx, node, 0, &out)))
        return st;
    switch (a->type) {
    case MOTE_INT8:
    case MOTE_UINT8:
    case MOTE_INT16:
    case MOTE_UINT16:
    case MOTE_INT32:
    case MOTE_UINT32: break;
    default: return kernel_unsupported_type(ctx, node, a, "input", 0);
    }
    if ((st = kernel_check_type(ctx, node, b, "input", 1, a->type)) ||
        (st = kernel_check_type(ctx, node, out, "output", 0, a->type)))
        return st;
    int32_t rank, dims[MOTE_MAX_DIMS];
    if ((st = kernel_broadcast_shape(ctx, node, a, b, &rank, dims))) return st;
    return kernel_set_shape(ctx, node, out, rank, dims);
}

/* x >> clamp(y, 0, bits - 1); GCC and Clang shift negative signed values arithmetically
 * (kernels/quant.h checks this). */
#define DEFINE_BITWISE(name, T, BITS)                                                          \
    static void name(int xor_op, const kernel_bcast_iter *itp, const T *x, const T *y, T *z) {  \
        const kernel_bcast_iter it = *itp;                                                     \
        if (xor_op) {                                                                          \
            KERNEL_BCAST_LOOP(it, o, i, j, z[o] = (T)(x[i] ^ y[j]));                           \
        } else {                                                                               \
            KERNEL_BCAST_LOOP(it, o, i, j, {                                                   \
                const int64_t v = (int64_t)y[j];                                               \
                const int64_t s = v < 0 ? 0 : v > (BITS)-1 ? (BITS)-1 : v;                     \
                z[o] = (T)(x[i] >> s);                                                         \
            });                                                                                \
        }                                                                                      \
    }
DEFINE_BITWISE(bitwise_i8, int8_t, 8)
DEFINE_BITWISE(bitwise_u8, uint8_t, 8)
DEFINE_BITWISE(bitwise_i16, int16_t, 16)
DEFINE_BITWISE(bitwise_u16, uint16_t, 16)
DEFINE_BITWISE(bitwise_i32, int32_t, 32)
DEFINE_BITWISE(bitwise_u32, uint32_t, 32)

static mote_status bitwise_eval(mote_context *ctx, mote_node *node) {
    const mote_tensor *a = kernel_input(ctx, node, 0), *b = kernel_input(ctx, node, 1);
    mote_tensor *out = kernel_output(ctx, node, 0);
    const int xor_op = node->def->builtin_code == MOTE_OP_BITWISE_XOR;
    kernel_bcast_iter it;
    kernel_bcast_init(&it, a, b, out);
#define BITWISE_CASE(TYPE, fn, T) \
    case TYPE: fn(xor_op, &it, KERNEL_DATA(a, const T), KERNEL_DATA(b, const T), KERNEL_DATA(out, T)); break;
    switch (a->type) {
        BITWISE_CASE(MOTE_INT8, bitwise_i8, int8_t)
        BITWISE_CASE(MOTE_UINT8, bitwise_u8, uint8_t)
        BITWISE_CASE(MOTE_INT16, bitwise_i16, int16_t)
        BITWISE_CASE(MOTE_UINT16, bitwise_u16, uint16_t)
        BITWISE_CASE(MOTE_INT32, bitwise_i32, int32_t)
        BITWISE_CASE(MOTE_UINT32, bitwise_u32, uint32_t)
    default: return kernel_unsupported_type(ctx, node, a, "input", 0);
    }
#undef BITWISE_CASE
    return MOTE_OK;
}

const mote_op mote_op_bitwise_xor = {NULL, MOTE_OP_BITWISE_XOR, NULL, bitwise_prepare, NULL, bitwise_eval, NULL};
const mote_op mote_op_right_shift = {NULL, MOTE_OP_RIGHT_SHIFT, NULL, bitwise_prepare, NULL, bitwise_eval, NULL};
