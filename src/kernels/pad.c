/* pad.c — PAD, PADV2 (constant padding) and MIRROR_PAD (REFLECT, SYMMETRIC): byte copies for
 * every fixed-size element type; quantized tensors pad with the output's zero point (or
 * PADV2's constant, which must share the output's quantization). As in TensorFlow Lite, input
 * values are copied as they are, even where the input's quantization differs from the
 * output's. */
#include "kernels/kernel.h"

/* MirrorPadOptions.mode */
#define OPT_MIRROR_MODE 0
enum { MIRROR_REFLECT = 0, MIRROR_SYMMETRIC = 1 };

enum { IN_INPUT = 0, IN_PADDINGS = 1, IN_CONSTANT = 2 };

#define MAX_ELEM_BYTES 16 /* complex128 */

typedef struct pad_data {
    int32_t mode;                      /* MIRROR_PAD: MIRROR_REFLECT or MIRROR_SYMMETRIC */
    int32_t before[MOTE_MAX_DIMS];     /* elements added before each dimension (set in prepare) */
    size_t out_stride[MOTE_MAX_DIMS];  /* output element strides */
    size_t in_stride[MOTE_MAX_DIMS];   /* input element strides */
    size_t elem_bytes;                 /* bytes per element */
    uint8_t fill[MAX_ELEM_BYTES];      /* PAD's fill element: zero, or the zero point */
} pad_data;

static mote_status pad_init(mote_context *ctx, mote_node *node) {
    pad_data *d = kernel_alloc_data(ctx, node, sizeof *d);
    if (!d) return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    if (node->def->builtin_code == MOTE_OP_MIRROR_PAD) {
        d->mode =
            KOPT_I8(ctx, kernel_options(ctx, node, TFL_OPTIONS_MIRROR_PAD), OPT_MIRROR_MODE, MIRROR_REFLECT);
        if (d->mode != MIRROR_REFLECT && d->mode != MIRROR_SYMMETRIC)
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "unknown mirror pad mode %d", d->mode);
    }
    return MOTE_OK;
}

static int is_quantized_type(mote_type type) {
    return type == MOTE_INT8 || type == MOTE_UINT8 || type == MOTE_INT16;
}

static int same_quantization(const mote_tensor *a, const mote_tensor *b) {
    return a->scale == b->scale && a->zero_point == b->zero_point;
}

/* The real value 0 in the output's type: the zero point for quantized types. */
static mote_status set_zero_fill(mote_context *ctx, const mote_node *node, pad_data *d,
                                 const mote_tensor *out) {
    memset(d->fill, 0, sizeof d->fill);
    int32_t zp = out->zero_point;
    switch (out->type) {
    case MOTE_INT8:
        if (zp < INT8_MIN || zp > INT8_MAX) break;
        d->fill[0] = (uint8_t)(int8_t)zp;
        return MOTE_OK;
    case MOTE_UINT8:
        if (zp < 0 || zp > UINT8_MAX) break;
        d->fill[0] = (uint8_t)zp;
        return MOTE_OK;
    case MOTE_INT16: {
        if (zp < INT16_MIN || zp > INT16_MAX) break;
        int16_t v = (int16_t)zp;
        memcpy(d->fill, &v, sizeof v);
        return MOTE_OK;
    }
    default: return MOTE_OK;
    }
    return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "output zero point %d does not fit %s", zp,
                       mote_type_name(out->type));
}

static mote_status pad_prepare(mote_context *ctx, mote_node *node) {
    pad_data *d = node->data;
    const int32_t code = node->def->builtin_code;
    mote_tensor *in, *pads, *out, *constant = NULL;
    mote_status st;
    char b[160];
    if ((st = kernel_check_counts(ctx, node, 2, code == MOTE_OP_PADV2 ? 3 : 2, 1)) ||
        (st = kernel_require_input(ctx, node, IN_INPUT, &in)) ||
        (st = kernel_require_input(ctx, node, IN_PADDINGS, &pads)) ||
        (st = kernel_require_output(ctx, node, 0, &out)))
        return st;
    d->elem_bytes = mote_type_bytes(in->type);
    if (d->elem_bytes == 0 || d->elem_bytes > MAX_ELEM_BYTES)
        return kernel_unsupported_type(ctx, node, in, "input", 0);
    if ((st = kernel_check_type(ctx, node, out, "output", 0, in->type))) return st;
    if (code == MOTE_OP_PADV2 && (constant = kernel_input(ctx, node, IN_CONSTANT)) != NULL) {
        if ((st = kernel_check_type(ctx, node, constant, "input", IN_CONSTANT, in->type))) return st;
        if (kernel_count(constant) != 1)
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: expected one value, got %zu",
                               kernel_describe(constant, "input", IN_CONSTANT, b, sizeof b),
                               kernel_count(constant));
        /* TensorFlow Lite refuses a constant quantized unlike the output. */
        if (is_quantized_type(in->type) && !same_quantization(constant, out))
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                               "%s: quantization must equal the output's",
                               kernel_describe(constant, "input", IN_CONSTANT, b, sizeof b));
    }
    if ((st = set_zero_fill(ctx, node, d, out))) return st;

    /* paddings: [rank, 2], (before, after) per dimension. */
    if ((st = kernel_check_int_arg(ctx, node, pads, "input", IN_PADDINGS))) return st;
    if (pads->rank != 2 || pads->dims[0] != in->rank || pads->dims[1] != 2)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: expected shape [%d, 2]",
                           kernel_describe(pads, "input", IN_PADDINGS, b, sizeof b), in->rank);
    int32_t dims[MOTE_MAX_DIMS];
    for (int32_t k = 0; k < in->rank; k++) {
        int64_t before = kernel_int_at(pads, 2 * (size_t)k), after = kernel_int_at(pads, 2 * (size_t)k + 1);
        int64_t limit = INT32_MAX;
        if (code == MOTE_OP_MIRROR_PAD) /* reflections must stay inside the input */
            limit = d->mode == MIRROR_REFLECT ? (int64_t)in->dims[k] - 1 : in->dims[k];
        if (before < 0 || after < 0 || before > limit || after > limit)
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                               "padding (%lld, %lld) of dimension %d (size %d) is out of range",
                               (long long)before, (long long)after, k, in->dims[k]);
        if (in->dims[k] + before + after > INT32_MAX)
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "padded dimension %d is too large", k);
        d->before[k] = (int32_t)before;
        dims[k] = (int32_t)(in->dims[k] + before + after);
    }
    if ((st = kernel_set_shape(ctx, node, out, in->rank, dims))) return st;
    size_t os = 1, is = 1;
    for (int32_t k = in->rank - 1; k >= 0; k--) {
        d->out_stride[k] = os;
        d->in_stride[k] = is;
        os *= (size_t)out->dims[k];
        is *= (size_t)in->dims[k];
    }
    return MOTE_OK;
}

/* Constant padding: fill the output, then copy the input's rows (last dimension) into place. */
static void pad_constant(const pad_data *d, const mote_tensor *in, mote_tensor *out, const uint8_t *fill) {
    const size_t e = d->elem_bytes, out_count = kernel_count(out);
    int uniform = 1;
    for (size_t k = 1; k < e; k++) uniform &= fill[k] == fill[0];
    if (uniform)
        memset(out->data, fill[0], out_count * e);
    else
        for (size_t i = 0; i < out_count; i++) memcpy(out->data + i * e, fill, e);
    const int32_t rank = in->rank;
    if (rank == 0) {
        memcpy(out->data, in->data, e);
        return;
    }
    /* Trailing dimensions without padding are copied with the one before them: a row is
     * dimension `last` and everything after it. */
    int32_t last = rank - 1;
    while (last > 0 && d->before[last] == 0 && out->dims[last] == in->dims[last]) last--;
    const size_t row = (size_t)in->dims[last] * d->in_stride[last] * e, rows = kernel_dims_product(in, 0, last);
    if (row == 0) return;
    int32_t idx[MOTE_MAX_DIMS] = {0};
    for (size_t r = 0; r < rows; r++) {
        size_t at = (size_t)d->before[last] * d->out_stride[last];
        for (int32_t k = 0; k < last; k++) at += (size_t)(idx[k] + d->before[k]) * d->out_stride[k];
        memcpy(out->data + at * e, in->data + r * row, row);
        for (int32_t k = last - 1; k >= 0; k--) {
            if (++idx[k] < in->dims[k]) break;
            idx[k] = 0;
        }
    }
}

/* Input index along one dimension for output index o: positions before the input mirror
 * around its first element, those after around its last (REFLECT leaves the edge out). */
static size_t mirror_index(int32_t o, int32_t before, int32_t size, int32_t mode) {
    int32_t i = o - before, edge = mode == MIRROR_REFLECT ? 0 : 1;
    if (i < 0) return (size_t)(-i - edge);
    if (i >= size) return (size_t)(2 * size - 2 + edge - i);
    return (size_t)i;
}

static void pad_mirror(const pad_data *d, const mote_tensor *in, mote_tensor *out) {
    const size_t e = d->elem_bytes, n = kernel_count(out);
    const int32_t rank = out->rank;
    int32_t idx[MOTE_MAX_DIMS] = {0};
    for (size_t o = 0; o < n; o++) {
        size_t at = 0;
        for (int32_t k = 0; k < rank; k++)
            at += mirror_index(idx[k], d->before[k], in->dims[k], d->mode) * d->in_stride[k];
        memcpy(out->data + o * e, in->data + at * e, e);
        for (int32_t k = rank - 1; k >= 0; k--) {
            if (++idx[k] < out->dims[k]) break;
            idx[k] = 0;
        }
    }
}

static mote_status pad_eval(mote_context *ctx, mote_node *node) {
    const pad_data *d = node->data;
    const mote_tensor *in = kernel_input(ctx, node, IN_INPUT);
    mote_tensor *out = kernel_output(ctx, node, 0);
    if (out->bytes == 0) return MOTE_OK;
    if (node->def->builtin_code == MOTE_OP_MIRROR_PAD) {
        pad_mirror(d, in, out);
        return MOTE_OK;
    }
    const mote_tensor *constant =
        node->def->builtin_code == MOTE_OP_PADV2 ? kernel_input(ctx, node, IN_CONSTANT) : NULL;
    pad_constant(d, in, out, constant ? constant->data : d->fill);
    return MOTE_OK;
}

const mote_op mote_op_pad = {NULL, MOTE_OP_PAD, pad_init, pad_prepare, NULL, pad_eval, NULL};
const mote_op mote_op_padv2 = {NULL, MOTE_OP_PADV2, pad_init, pad_prepare, NULL, pad_eval, NULL};
const mote_op mote_op_mirror_pad = {NULL, MOTE_OP_MIRROR_PAD, pad_init, pad_prepare, NULL, pad_eval, NULL};
