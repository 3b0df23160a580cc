/* conv_transpose_bias.c — MediaPipe's custom op Convolution2DTransposeBias: a transposed
 * convolution (input, weights [out_c, kh, kw, in_c], bias [out_c]) whose output size follows
 * from the input, stride and padding; float32 only, as in MediaPipe. */
#include "kernels/transpose_conv.h"
#include "kernels/window.h"

enum { IN_INPUT = 0, IN_WEIGHTS = 1, IN_BIAS = 2 };

/* The custom options are MediaPipe's in-memory TfLiteTransposeConvParams, little-endian:
 *   bytes 0..3   padding       int32, TfLitePadding: 1 SAME, 2 VALID (not the schema's enum)
 *   bytes 4..7   stride_width  int32
 *   bytes 8..11  stride_height int32
 * Later TensorFlow Lite versions grew the struct; MediaPipe reads only these fields. */
#define CTB_OPTIONS_BYTES 12
enum { CTB_PADDING_SAME = 1, CTB_PADDING_VALID = 2 };

typedef struct ctb_data {
    int32_t padding;            /* PADDING_SAME or PADDING_VALID (converted to the schema's enum) */
    int32_t stride_h, stride_w; /* output pixels between neighbouring input pixels */
    int32_t pad_h, pad_w;       /* set in prepare: output rows/columns cut before the first */
} ctb_data;

static int32_t read_le_i32(const uint8_t *p) {
    return (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
}

static mote_status ctb_init(mote_context *ctx, mote_node *node) {
    ctb_data *d = kernel_alloc_data(ctx, node, sizeof *d);
    if (!d) return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    const uint8_t *opt = node->def->custom_options;
    size_t size = node->def->custom_options_size;
    if (!opt || size < CTB_OPTIONS_BYTES)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "custom options have %zu bytes, expected at least %d (padding, strides)", size,
                           CTB_OPTIONS_BYTES);
    int32_t padding = read_le_i32(opt);
    d->stride_w = read_le_i32(opt + 4);
    d->stride_h = read_le_i32(opt + 8);
    if (padding == CTB_PADDING_SAME)
        d->padding = PADDING_SAME;
    else if (padding == CTB_PADDING_VALID)
        d->padding = PADDING_VALID;
    else
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "padding %d is neither SAME (1) nor VALID (2)", padding);
    if (d->stride_w <= 0 || d->stride_h <= 0)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "strides %d x %d must be positive",
                           d->stride_h, d->stride_w);
    return MOTE_OK;
}

/* One axis of MediaPipe's output size: with SAME padding the output is cut by
 * max(0, filter - (in - 1) % stride - 1) pixels, the first half of them before it. */
static mote_status ctb_axis(mote_context *ctx, const mote_node *node, const char *axis, int padding,
                            int32_t in, int32_t filter, int32_t stride, int32_t *out, int32_t *pad) {
    if (in <= 0 || filter <= 0)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "%s: input size %d and filter size %d must be positive", axis, in, filter);
    int64_t cut = 0;
    if (padding == PADDING_SAME) {
        cut = (int64_t)filter - (in - 1) % stride - 1;
        if (cut < 0) cut = 0;
    }
    int64_t size = (int64_t)stride * (in - 1) + filter - cut;
    if (size > INT32_MAX)
        return kernel_fail(ctx, node, MOTE_ERROR_LIMIT, "%s: output size %lld is too large", axis,
                           (long long)size);
    *out = (int32_t)size;
    *pad = (int32_t)(cut / 2);
    /* For its range checks: eval's output positions must fit in int32. */
    int32_t unused;
    return window_transposed(ctx, node, axis, padding, in, filter, stride, *out, &unused);
}

static mote_status ctb_prepare(mote_context *ctx, mote_node *node) {
    ctb_data *d = node->data;
    mote_tensor *in, *weights, *bias, *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 3, 3, 1)) ||
        (st = kernel_require_input(ctx, node, IN_INPUT, &in)) ||
        (st = kernel_require_input(ctx, node, IN_WEIGHTS, &weights)) ||
        (st = kernel_require_input(ctx, node, IN_BIAS, &bias)) ||
        (st = kernel_require_output(ctx, node, 0, &out)) ||
        (st = kernel_check_rank(ctx, node, in, "input", IN_INPUT, 4)) ||
        (st = kernel_check_rank(ctx, node, weights, "input", IN_WEIGHTS, 4)) ||
        (st = kernel_check_rank(ctx, node, bias, "input", IN_BIAS, 1)))
        return st;

    switch (in->type) {
    case MOTE_FLOAT32:
        if ((st = kernel_check_type(ctx, node, weights, "input", IN_WEIGHTS, MOTE_FLOAT32)) ||
            (st = kernel_check_type(ctx, node, bias, "input", IN_BIAS, MOTE_FLOAT32)) ||
            (st = kernel_check_type(ctx, node, out, "output", 0, MOTE_FLOAT32)))
            return st;
        break;
    default: return kernel_unsupported_type(ctx, node, in, "input", IN_INPUT);
    }

    int32_t out_c = weights->dims[0];
    if (weights->dims[3] != in->dims[3])
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "weights have %d input channels, the input %d", weights->dims[3], in->dims[3]);
    if (bias->dims[0] != out_c)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "bias has %d elements, expected %d",
                           bias->dims[0], out_c);
    int32_t dims[4] = {in->dims[0], 0, 0, out_c};
    if ((st = ctb_axis(ctx, node, "height", d->padding, in->dims[1], weights->dims[1], d->stride_h, &dims[1],
                       &d->pad_h)) ||
        (st = ctb_axis(ctx, node, "width", d->padding, in->dims[2], weights->dims[2], d->stride_w, &dims[2],
                       &d->pad_w)))
        return st;
    return kernel_set_shape(ctx, node, out, 4, dims);
}

static mote_status ctb_eval(mote_context *ctx, mote_node *node) {
    const ctb_data *d = node->data;
    const mote_tensor *in = kernel_input(ctx, node, IN_INPUT);
    /* No fused activation: the clamp is the whole float range. MediaPipe starts every sum
     * at the bias. */
    const transpose_conv_params p = {d->stride_h, d->stride_w, d->pad_h, d->pad_w, -INFINITY, INFINITY, 1};
    switch (in->type) {
    case MOTE_FLOAT32:
        transpose_conv_f32(&p, in, kernel_input(ctx, node, IN_WEIGHTS),
                           KERNEL_DATA(kernel_input(ctx, node, IN_BIAS), const float),
                           kernel_output(ctx, node, 0));
        return MOTE_OK;
    default: return kernel_unsupported_type(ctx, node, in, "input", IN_INPUT);
    }
}

const mote_op mote_op_conv_transpose_bias = {
    "Convolution2DTransposeBias", -1, ctb_init, ctb_prepare, NULL, ctb_eval, NULL};
