/* arg_minmax.c — ARG_MAX and ARG_MIN along one axis into int32 or int64 indices. As in
 * TensorFlow Lite, the first extreme wins ties (only a strictly greater, or smaller, value
 * replaces it), so a NaN after the first element is never chosen. Quantized inputs are
 * compared as stored integers (order is kept by an affine map with positive scale). */
#include "kernels/shape_arg.h"

enum { IN_INPUT = 0, IN_AXIS = 1 };

typedef struct arg_minmax_data {
    size_t outer, axis_size, inner; /* the input viewed as [outer, axis_size, inner] */
} arg_minmax_data;

static mote_status arg_minmax_init(mote_context *ctx, mote_node *node) {
    return kernel_init_data(ctx, node, sizeof(arg_minmax_data));
}

static mote_status arg_minmax_prepare(mote_context *ctx, mote_node *node) {
    arg_minmax_data *d = node->data;
    mote_tensor *in, *axis_t, *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 2, 2, 1)) || (st = kernel_require_input(ctx, node, IN_INPUT, &in)) ||
        (st = kernel_require_input(ctx, node, IN_AXIS, &axis_t)) || (st = kernel_require_output(ctx, node, 0, &out)) ||
        (st = kernel_check_int_arg(ctx, node, axis_t, "input", IN_AXIS)) ||
        (st = shape_arg_check_count(ctx, node, axis_t, "input", IN_AXIS, 1)))
        return st;
    switch (in->type) {
    case MOTE_FLOAT32:
    case MOTE_INT8:
    case MOTE_UINT8:
    case MOTE_INT16:
    case MOTE_INT32:
    case MOTE_INT64:
    case MOTE_BOOL: break;
    default: return kernel_unsupported_type(ctx, node, in, "input", IN_INPUT);
    }
    if (out->type != MOTE_INT32 && out->type != MOTE_INT64) return kernel_unsupported_type(ctx, node, out, "output", 0);
    int64_t axis = kernel_int_at(axis_t, 0);
    if (axis < -(int64_t)in->rank || axis >= in->rank)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "axis %lld is out of range for rank %d",
                           (long long)axis, in->rank);
    if (axis < 0) axis += in->rank;
    if (in->dims[axis] == 0)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "the reduced dimension %lld is empty", (long long)axis);
    int32_t dims[MOTE_MAX_DIMS], rank = 0;
    for (int32_t k = 0; k < in->rank; k++)
        if (k != axis) dims[rank++] = in->dims[k];
    d->outer = kernel_dims_product(in, 0, (int32_t)axis);
    d->axis_size = (size_t)in->dims[axis];
    d->inner = kernel_dims_product(in, (int32_t)axis + 1, in->rank);
    return kernel_set_shape(ctx, node, out, rank, dims);
}

/* Writes index at of output element w (int32 or int64). */
static inline void store_index(mote_tensor *out, size_t w, size_t at) {
    if (out->type == MOTE_INT64) {
        int64_t v = (int64_t)at;
        memcpy(out->data + w * 8, &v, 8);
    } else {
        int32_t v = (int32_t)at; /* axis sizes are int32 */
        memcpy(out->data + w * 4, &v, 4);
    }
}

/* For each (outer, inner): the index of the first extreme along the axis. */
#define DEFINE_ARG(name, T, LOAD)                                                              \
    static void name(const arg_minmax_data *d, int is_max, const mote_tensor *in,             \
                     mote_tensor *out) {                                                       \
        const T *x = KERNEL_DATA(in, const T);                                                 \
        for (size_t o = 0, w = 0; o < d->outer; o++) {                                         \
            for (size_t i = 0; i < d->inner; i++, w++) {                                       \
                const T *p = x + o * d->axis_size * d->inner + i;                              \
                T best = LOAD(p[0]);                                                           \
                size_t at = 0;                                                                 \
                for (size_t k = 1; k < d->axis_size; k++) {                                    \
                    T v = LOAD(p[k * d->inner]);                                               \
                    if (is_max ? v > best : v < best) best = v, at = k;                        \
                }                                                                              \
                store_index(out, w, at);                                                       \
            }                                                                                  \
        }                                                                                      \
    }
#define AS_IS(v) (v)
#define AS_BOOL(v) ((uint8_t)((v) != 0))
DEFINE_ARG(arg_f32, float, AS_IS)
DEFINE_ARG(arg_i8, int8_t, AS_IS)
DEFINE_ARG(arg_u8, uint8_t, AS_IS)
DEFINE_ARG(arg_bool, uint8_t, AS_BOOL)
DEFINE_ARG(arg_i16, int16_t, AS_IS)
DEFINE_ARG(arg_i32, int32_t, AS_IS)
DEFINE_ARG(arg_i64, int64_t, AS_IS)

static mote_status arg_minmax_eval(mote_context *ctx, mote_node *node) {
    const arg_minmax_data *d = node->data;
    const mote_tensor *in = kernel_input(ctx, node, IN_INPUT);
    mote_tensor *out = kernel_output(ctx, node, 0);
    const int is_max = node->def->builtin_code == MOTE_OP_ARG_MAX;
    switch (in->type) {
    case MOTE_FLOAT32: arg_f32(d, is_max, in, out); break;
    case MOTE_INT8: arg_i8(d, is_max, in, out); break;
    case MOTE_UINT8: arg_u8(d, is_max, in, out); break;
    case MOTE_BOOL: arg_bool(d, is_max, in, out); break;
    case MOTE_INT16: arg_i16(d, is_max, in, out); break;
    case MOTE_INT32: arg_i32(d, is_max, in, out); break;
    case MOTE_INT64: arg_i64(d, is_max, in, out); break;
    default: return kernel_unsupported_type(ctx, node, in, "input", IN_INPUT);
    }
    return MOTE_OK;
}

const mote_op mote_op_arg_max = {NULL, MOTE_OP_ARG_MAX, arg_minmax_init, arg_minmax_prepare, NULL, arg_minmax_eval,
                                 NULL};
const mote_op mote_op_arg_min = {NULL, MOTE_OP_ARG_MIN, arg_minmax_init, arg_minmax_prepare, NULL, arg_minmax_eval,
                                 NULL};
