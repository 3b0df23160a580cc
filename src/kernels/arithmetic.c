/* arithmetic.c — ADD, SUB, MUL, DIV in float32 with NumPy broadcasting and a fused
 * activation, as TensorFlow Lite's reference kernels define them. */
#include "kernels/kernel.h"

/* Options of all four ops: fused_activation_function is field 0. */
#define OPT_FUSED_ACTIVATION 0

typedef struct arithmetic_data {
    int32_t activation; /* ActivationFunctionType */
} arithmetic_data;

static int options_type_of(int32_t code) {
    switch (code) {
    case MOTE_OP_ADD: return TFL_OPTIONS_ADD;
    case MOTE_OP_SUB: return TFL_OPTIONS_SUB;
    case MOTE_OP_MUL: return TFL_OPTIONS_MUL;
    default: return TFL_OPTIONS_DIV;
    }
}

static mote_status arithmetic_init(mote_context *ctx, mote_node *node) {
    arithmetic_data *d = kernel_alloc_data(ctx, node, sizeof *d);
    if (!d) return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    fb_table opt = kernel_options(ctx, node, options_type_of(node->def->builtin_code));
    d->activation = KOPT_I8(ctx, opt, OPT_FUSED_ACTIVATION, ACT_NONE);
    return kernel_check_activation(ctx, node, d->activation);
}

static mote_status arithmetic_prepare(mote_context *ctx, mote_node *node) {
    mote_tensor *a, *b, *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 2, 2, 1)) || (st = kernel_require_input(ctx, node, 0, &a)) ||
        (st = kernel_require_input(ctx, node, 1, &b)) || (st = kernel_require_output(ctx, node, 0, &out)))
        return st;
    /* Sparse constants keep their encoded size; only DENSIFY may read them. */
    for (int32_t i = 0; i < 2; i++) {
        const mote_tensor *t = i ? b : a;
        char desc[160];
        if (t->def && t->def->sparsity)
            return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED, "%s: sparse tensors are not supported",
                               kernel_describe(t, "input", i, desc, sizeof desc));
    }
    switch (a->type) {
    case MOTE_FLOAT32: break;
    default: return kernel_unsupported_type(ctx, node, a, "input", 0);
    }
    if ((st = kernel_check_type(ctx, node, b, "input", 1, a->type)) ||
        (st = kernel_check_type(ctx, node, out, "output", 0, a->type)))
        return st;
    int32_t rank, dims[MOTE_MAX_DIMS];
    if ((st = kernel_broadcast_shape(ctx, node, a, b, &rank, dims))) return st;
    return kernel_set_shape(ctx, node, out, rank, dims);
}

static void arithmetic_f32(const arithmetic_data *d, int32_t code, const mote_tensor *a,
                           const mote_tensor *b, mote_tensor *out) {
    const float *x = KERNEL_DATA(a, const float), *y = KERNEL_DATA(b, const float);
    float *z = KERNEL_DATA(out, float);
    float lo, hi;
    kernel_activation_range_f32(d->activation, &lo, &hi);
    kernel_bcast_iter it;
    kernel_bcast_init(&it, a, b, out);
    switch (code) {
    case MOTE_OP_ADD: KERNEL_BCAST_LOOP(it, o, i, j, z[o] = kernel_clamp_f32(x[i] + y[j], lo, hi)); break;
    case MOTE_OP_SUB: KERNEL_BCAST_LOOP(it, o, i, j, z[o] = kernel_clamp_f32(x[i] - y[j], lo, hi)); break;
    case MOTE_OP_MUL: KERNEL_BCAST_LOOP(it, o, i, j, z[o] = kernel_clamp_f32(x[i] * y[j], lo, hi)); break;
    default: KERNEL_BCAST_LOOP(it, o, i, j, z[o] = kernel_clamp_f32(x[i] / y[j], lo, hi)); break;
    }
}

static mote_status arithmetic_eval(mote_context *ctx, mote_node *node) {
    const arithmetic_data *d = node->data;
    const mote_tensor *a = kernel_input(ctx, node, 0), *b = kernel_input(ctx, node, 1);
    mote_tensor *out = kernel_output(ctx, node, 0);
    switch (a->type) {
    case MOTE_FLOAT32: arithmetic_f32(d, node->def->builtin_code, a, b, out); break;
    default: return kernel_unsupported_type(ctx, node, a, "input", 0);
    }
    return MOTE_OK;
}

#define ARITHMETIC_OP(sym, code) \
    const mote_op sym = {NULL, code, arithmetic_init, arithmetic_prepare, NULL, arithmetic_eval, NULL};

ARITHMETIC_OP(mote_op_add, MOTE_OP_ADD)
ARITHMETIC_OP(mote_op_sub, MOTE_OP_SUB)
ARITHMETIC_OP(mote_op_mul, MOTE_OP_MUL)
ARITHMETIC_OP(mote_op_div, MOTE_OP_DIV)
