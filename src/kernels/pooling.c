/* pooling.c — AVERAGE_POOL_2D and MAX_POOL_2D over [batch, h, w, c], as TensorFlow Lite's
 * reference kernels: the window is cut to the input, so padding is never counted in an
 * average; float32 for now. */
#include <float.h>

#include "kernels/window.h"

/* Pool2DOptions fields. */
#define OPT_PADDING 0
#define OPT_STRIDE_W 1
#define OPT_STRIDE_H 2
#define OPT_FILTER_W 3
#define OPT_FILTER_H 4
#define OPT_FUSED_ACTIVATION 5

typedef struct pool_data {
    int32_t padding;            /* PADDING_SAME or PADDING_VALID */
    int32_t stride_h, stride_w; /* window step in input pixels */
    int32_t filter_h, filter_w; /* window size in input pixels */
    int32_t activation;         /* fused ActivationFunctionType */
    int32_t pad_h, pad_w;       /* set in prepare: input rows/columns padded before the first */
} pool_data;

static mote_status pool_init(mote_context *ctx, mote_node *node) {
    pool_data *d = kernel_alloc_data(ctx, node, sizeof *d);
    if (!d) return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    fb_table opt = kernel_options(ctx, node, TFL_OPTIONS_POOL2D);
    d->padding = KOPT_I8(ctx, opt, OPT_PADDING, PADDING_SAME);
    d->stride_w = KOPT_I32(ctx, opt, OPT_STRIDE_W, 0);
    d->stride_h = KOPT_I32(ctx, opt, OPT_STRIDE_H, 0);
    d->filter_w = KOPT_I32(ctx, opt, OPT_FILTER_W, 0);
    d->filter_h = KOPT_I32(ctx, opt, OPT_FILTER_H, 0);
    d->activation = KOPT_I8(ctx, opt, OPT_FUSED_ACTIVATION, ACT_NONE);
    mote_status st = window_check_padding(ctx, node, d->padding);
    return st ? st : kernel_check_activation(ctx, node, d->activation);
}

static mote_status pool_prepare(mote_context *ctx, mote_node *node) {
    pool_data *d = node->data;
    mote_tensor *in, *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 1, 1, 1)) || (st = kernel_require_input(ctx, node, 0, &in)) ||
        (st = kernel_require_output(ctx, node, 0, &out)) ||
        (st = kernel_check_rank(ctx, node, in, "input", 0, 4)))
        return st;

    switch (in->type) {
    case MOTE_FLOAT32: st = kernel_check_type(ctx, node, out, "output", 0, MOTE_FLOAT32); break;
    default: return kernel_unsupported_type(ctx, node, in, "input", 0);
    }
    if (st) return st;

    /* Every window keeps at least one input pixel (padding is smaller than the window and
     * origins stay inside the input), so the average never divides by zero. */
    int32_t dims[4] = {in->dims[0], 0, 0, in->dims[3]};
    if ((st = window_forward(ctx, node, "height", d->padding, in->dims[1], d->filter_h, d->stride_h, 1,
                             &dims[1], &d->pad_h)) ||
        (st = window_forward(ctx, node, "width", d->padding, in->dims[2], d->filter_w, d->stride_w, 1,
                             &dims[2], &d->pad_w)))
        return st;
    return kernel_set_shape(ctx, node, out, 4, dims);
}

static int32_t max_i32(int32_t a, int32_t b) { return a > b ? a : b; }
static int32_t min_i32(int32_t a, int32_t b) { return a < b ? a : b; }

/* Both pools in one loop: they differ only in how a window is reduced. */
static void pool_f32(const pool_data *d, int is_max, const mote_tensor *in, mote_tensor *out) {
    const float *x = KERNEL_DATA(in, const float); /* [batch, in_h, in_w, c] */
    float *y = KERNEL_DATA(out, float);            /* [batch, out_h, out_w, c] */
    const int32_t batches = in->dims[0], in_h = in->dims[1], in_w = in->dims[2], depth = in->dims[3];
    const int32_t out_h = out->dims[1], out_w = out->dims[2];
    float lo, hi;
    kernel_activation_range_f32(d->activation, &lo, &hi);

    for (int32_t n = 0; n < batches; n++) {
        for (int32_t oy = 0; oy < out_h; oy++) {
            const int32_t y0 = oy * d->stride_h - d->pad_h;
            /* The window cut to the input: rows [y_begin, y_end). */
            const int32_t y_begin = max_i32(y0, 0), y_end = min_i32(y0 + d->filter_h, in_h);
            for (int32_t ox = 0; ox < out_w; ox++) {
                const int32_t x0 = ox * d->stride_w - d->pad_w;
                const int32_t x_begin = max_i32(x0, 0), x_end = min_i32(x0 + d->filter_w, in_w);
                for (int32_t c = 0; c < depth; c++) {
                    float acc = is_max ? -FLT_MAX : 0.0f;
                    int32_t count = 0;
                    for (int32_t iy = y_begin; iy < y_end; iy++) {
                        for (int32_t ix = x_begin; ix < x_end; ix++) {
                            float v = x[(((size_t)n * in_h + iy) * in_w + ix) * depth + c];
                            if (is_max)
                                acc = v > acc ? v : acc;
                            else
                                acc += v;
                            count++;
                        }
                    }
                    if (!is_max && count > 0) acc /= (float)count;
                    y[(((size_t)n * out_h + oy) * out_w + ox) * depth + c] = kernel_clamp_f32(acc, lo, hi);
                }
            }
        }
    }
}

static mote_status pool_eval(mote_context *ctx, mote_node *node) {
    const mote_tensor *in = kernel_input(ctx, node, 0);
    int is_max = node->def->builtin_code == MOTE_OP_MAX_POOL_2D;
    switch (in->type) {
    case MOTE_FLOAT32: pool_f32(node->data, is_max, in, kernel_output(ctx, node, 0)); return MOTE_OK;
    default: return kernel_unsupported_type(ctx, node, in, "input", 0);
    }
}

const mote_op mote_op_average_pool2d = {
    NULL, MOTE_OP_AVERAGE_POOL_2D, pool_init, pool_prepare, NULL, pool_eval, NULL};
const mote_op mote_op_max_pool2d = {NULL, MOTE_OP_MAX_POOL_2D, pool_init, pool_prepare,
                                    NULL, pool_eval,           NULL};
