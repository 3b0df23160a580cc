/* fully_connected_i8_opt.c — FULLY_CONNECTED's optimized int8/uint8 path: the int32 sums from
 * the matrix product engine (gemm_i8.h, weights packed once), then the reference kernel's
 * rescale in double on each sum (fc_output in fully_connected_quant.c), done the same way. */
#include "kernels/fully_connected.h"

enum { IN_INPUT = FC_IN_INPUT, IN_WEIGHTS = FC_IN_WEIGHTS, IN_BIAS = FC_IN_BIAS };

mote_status fc_i8_opt_prepare(mote_context *ctx, mote_node *node, const mote_tensor *in, const mote_tensor *w,
                              const mote_tensor *bias) {
    fc_data *d = node->data;
    memset(&d->i8opt, 0, sizeof d->i8opt);
    if (d->kind != FC_INT8 && d->kind != FC_UINT8) return MOTE_OK;
    if (!kernel_is_constant_after_pack(w) || (bias && !kernel_is_constant_after_pack(bias))) return MOTE_OK;
    if (d->input_size > INT32_MAX / 2) return MOTE_OK;
    return gemm_i8_plan_prepare(ctx, node, &d->i8opt, d->output_size, d->input_size, in->type, in->zero_point,
                                w->type, -d->q.filter_offset, &d->q, 1, d->batches);
}

mote_status fc_i8_opt_pack(mote_context *ctx, mote_node *node) {
    fc_data *d = node->data;
    if (d->i8opt.isa == GEMM_I8_NONE) return MOTE_OK;
    const mote_tensor *w = kernel_input(ctx, node, IN_WEIGHTS), *bias = kernel_input(ctx, node, IN_BIAS);
    return gemm_i8_plan_pack(ctx, node, &d->i8opt, w->data, bias ? KERNEL_DATA(bias, const int32_t) : NULL, &d->q);
}

typedef struct fc_i8_epilogue_arg {
    const fc_data *d;
    uint8_t *y; /* [batches, output_size] */
} fc_i8_epilogue_arg;

/* fc_output on sums that already hold the bias (int32 accumulators, wrapped). */
static void fc_i8_epilogue(const void *arg, int32_t row0, int32_t rows, int32_t col0, int32_t cols,
                           const int32_t *acc, size_t acc_stride) {
    const fc_i8_epilogue_arg *e = arg;
    const fc_data *d = e->d;
    const conv_quant *q = &d->q;
    for (int32_t r = 0; r < rows; r++) {
        uint8_t *y = e->y + (size_t)(row0 + r) * (size_t)d->output_size;
        const int32_t *a = acc + (size_t)r * acc_stride;
        for (int32_t c = 0; c < cols; c++) {
            const int32_t o = col0 + c;
            const double weight_scale = d->weight_scales[d->weight_scale_count > 1 ? o : 0];
            const double real = d->input_scale * weight_scale / d->output_scale;
            const double rounded = round((double)a[c] * real);
            int64_t v = rounded >= 2147483647.0    ? INT32_MAX
                        : rounded <= -2147483648.0 ? INT32_MIN
                                                   : (int64_t)rounded;
            v += q->output_offset;
            y[o] = (uint8_t)(v < q->act_min ? q->act_min : v > q->act_max ? q->act_max : (int32_t)v);
        }
    }
}

mote_status fc_i8_opt_eval(mote_context *ctx, mote_node *node) {
    const fc_data *d = node->data;
    const mote_tensor *in = kernel_input(ctx, node, IN_INPUT);
    mote_tensor *out = kernel_output(ctx, node, 0);
    const gemm_i8_geometry g = {.batches = d->batches,
                                .in_h = 1,
                                .in_w = 1,
                                .in_c = d->input_size,
                                .out_h = 1,
                                .out_w = 1,
                                .kh = 1,
                                .kw = 1,
                                .stride_h = 1,
                                .stride_w = 1,
                                .dilation_h = 1,
                                .dilation_w = 1};
    fc_i8_epilogue_arg e = {d, out->data};
    return gemm_i8_plan_run(ctx, node, &d->i8opt, &g, in->data, out->data, fc_i8_epilogue, &e);
}
