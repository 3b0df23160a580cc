/* l2_pool.c — L2_POOL_2D on float32 NHWC: sqrt(mean(x^2)) over each window cut to the input
 * (padded positions are not counted), then the fused activation. */
#include "kernels/window.h"

typedef pool_window l2_pool_data;

static mote_status l2_pool_init(mote_context *ctx, mote_node *node) {
    l2_pool_data *d = kernel_alloc_data(ctx, node, sizeof *d);
    if (!d) return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    return pool_window_read(ctx, node, d);
}

static mote_status l2_pool_prepare(mote_context *ctx, mote_node *node) {
    l2_pool_data *d = node->data;
    mote_tensor *in, *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 1, 1, 1)) || (st = kernel_require_input(ctx, node, 0, &in)) ||
        (st = kernel_require_output(ctx, node, 0, &out)) || (st = kernel_check_rank(ctx, node, in, "input", 0, 4)))
        return st;
    if (in->type != MOTE_FLOAT32) return kernel_unsupported_type(ctx, node, in, "input", 0);
    if ((st = kernel_check_type(ctx, node, out, "output", 0, MOTE_FLOAT32))) return st;
    int32_t dims[4];
    if ((st = pool_window_forward(ctx, node, d, in, dims))) return st;
    return kernel_set_shape(ctx, node, out, 4, dims);
}

static int32_t max_i32(int32_t a, int32_t b) { return a > b ? a : b; }
static int32_t min_i32(int32_t a, int32_t b) { return a < b ? a : b; }

static mote_status l2_pool_eval(mote_context *ctx, mote_node *node) {
    const l2_pool_data *d = node->data;
    const mote_tensor *in = kernel_input(ctx, node, 0);
    mote_tensor *out = kernel_output(ctx, node, 0);
    const float *x = KERNEL_DATA(in, const float); /* [batch, in_h, in_w, c] */
    float *y = KERNEL_DATA(out, float);            /* [batch, out_h, out_w, c] */
    const int32_t batches = in->dims[0], in_h = in->dims[1], in_w = in->dims[2], depth = in->dims[3];
    const int32_t out_h = out->dims[1], out_w = out->dims[2];
    float lo, hi;
    kernel_activation_range_f32(d->activation, &lo, &hi);
    for (int32_t n = 0; n < batches; n++) {
        for (int32_t oy = 0; oy < out_h; oy++) {
            const int32_t y0 = oy * d->stride_h - d->pad_h;
            const int32_t y_begin = max_i32(y0, 0), y_end = min_i32(y0 + d->filter_h, in_h);
            for (int32_t ox = 0; ox < out_w; ox++) {
                const int32_t x0 = ox * d->stride_w - d->pad_w;
                const int32_t x_begin = max_i32(x0, 0), x_end = min_i32(x0 + d->filter_w, in_w);
                for (int32_t c = 0; c < depth; c++) {
                    float sum = 0.0f;
                    int32_t count = 0;
                    for (int32_t iy = y_begin; iy < y_end; iy++) {
                        for (int32_t ix = x_begin; ix < x_end; ix++) {
                            const float v = x[(((size_t)n * in_h + iy) * in_w + ix) * depth + c];
                            sum += v * v;
                            count++;
                        }
                    }
                    const float r = count > 0 ? sqrtf(sum / (float)count) : 0.0f;
                    y[(((size_t)n * out_h + oy) * out_w + ox) * depth + c] = kernel_clamp_f32(r, lo, hi);
                }
            }
        }
    }
    return MOTE_OK;
}

const mote_op mote_op_l2_pool2d = {NULL, MOTE_OP_L2_POOL_2D, l2_pool_init, l2_pool_prepare, NULL, l2_pool_eval, NULL};
