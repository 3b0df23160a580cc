/* depthwise_f32_opt.c — DEPTHWISE_CONV_2D's optimized float32 path (depth multiplier 1):
 * channels vectorized, an indirection buffer of `taps` input pixel pointers per output
 * pixel (a zero row for padding, so every stride, dilation and padding takes the same
 * path), specialized microkernels for 3x3 and 5x5, rows of output pixels split over the
 * threads. A zero PAD before it is fused as for CONV_2D (pad_fusion.c), and so is a
 * large 1x1 CONV_2D before that (depthwise_f32_expand.c). */
#include "kernels/depthwise_conv2d.h"
#include "kernels/pad_fusion.h"

mote_status depthwise_f32_opt_prepare(mote_context *ctx, mote_node *node, depthwise_data *d) {
    conv_f32_plan *p = &d->f32opt;
    memset(p, 0, sizeof *p);
    p->path = CONV_F32_REFERENCE;
    if (!kernel_use_optimized(ctx) || node->reprepare) return MOTE_OK;
    const mote_tensor *in = kernel_input(ctx, node, DEPTHWISE_IN_INPUT);
    const mote_tensor *filter = kernel_input(ctx, node, DEPTHWISE_IN_FILTER);
    const mote_tensor *bias = kernel_input(ctx, node, DEPTHWISE_IN_BIAS);
    const mote_tensor *out = kernel_output(ctx, node, 0);
    const int32_t taps = filter->dims[1] * filter->dims[2];
    if (d->multiplier != 1 || taps > MOTE_DW_MAX_TAPS || !kernel_is_constant_after_pack(filter) ||
        (bias && !kernel_is_constant_after_pack(bias)) || kernel_count(out) == 0 || in->is_dynamic)
        return MOTE_OK;
    const gemm_f32_config *cfg = gemm_f32_config_get();
    p->path = CONV_F32_DWCONV;
    p->dw = taps == 9 ? cfg->dw_3x3 : taps == 25 ? cfg->dw_5x5 : cfg->dw_any;
    p->dw_cb = cfg->dw_cb;
    p->input_tensor = node->inputs[DEPTHWISE_IN_INPUT];
    p->pad_top = d->pad_h;
    p->pad_left = d->pad_w;
    p->in_h = in->dims[1];
    p->in_w = in->dims[2];
    p->in_c = in->dims[3];
    p->taps = taps;
    int32_t source, top, left;
    if (conv_fuse_pad(ctx, node, MOTE_FLOAT32, &source, &top, &left)) {
        const mote_tensor *src = kernel_tensor(ctx, node, source);
        p->input_tensor = source;
        p->pad_top += top;
        p->pad_left += left;
        p->in_h = src->dims[1];
        p->in_w = src->dims[2];
    }
    mote_status st = depthwise_f32_fuse_expansion(ctx, node, d, out);
    if (st) return st;
    if (p->path == CONV_F32_DWCONV) { /* the expansion fused builds its indirection row by row */
        const size_t pixels = (size_t)out->dims[1] * (size_t)out->dims[2];
        p->indirection_count = pixels * (size_t)taps;
        if ((st = mote_node_request_persistent(ctx, node, p->indirection_count * sizeof(float *),
                                               &p->indirection_index)))
            return st;
    }
    if ((st = mote_node_request_persistent(ctx, node, (size_t)p->in_c * sizeof(float), &p->zero_index)))
        return st;
    return mote_node_request_persistent(
        ctx, node, dwconv_f32_packed_floats((size_t)p->in_c, (size_t)taps, (size_t)p->dw_cb) * sizeof(float),
        &p->packed_index);
}

static mote_status build_indirection(mote_context *ctx, mote_node *node, conv_f32_plan *p) {
    const depthwise_data *d = node->data;
    const mote_tensor *filter = kernel_input(ctx, node, DEPTHWISE_IN_FILTER);
    const mote_tensor *out = kernel_output(ctx, node, 0);
    const mote_tensor *src = kernel_tensor(ctx, node, p->input_tensor);
    void *ind, *zero;
    mote_status st;
    if ((st = mote_node_persistent(ctx, node, p->indirection_index, &ind)) ||
        (st = mote_node_persistent(ctx, node, p->zero_index, &zero)))
        return kernel_fail(ctx, node, st, "persistent buffer missing");
    conv_f32_build_indirection(p, KERNEL_DATA(src, const float), zero, out->dims[1], out->dims[2], filter->dims[1],
                               filter->dims[2], d->stride_h, d->stride_w, d->dilation_h, d->dilation_w, 1, ind);
    p->indirection_base = KERNEL_DATA(src, const float);
    return MOTE_OK;
}

mote_status depthwise_f32_opt_pack(mote_context *ctx, mote_node *node) {
    depthwise_data *d = node->data;
    conv_f32_plan *p = &d->f32opt;
    if (p->path == CONV_F32_REFERENCE) return MOTE_OK;
    const mote_tensor *filter = kernel_input(ctx, node, DEPTHWISE_IN_FILTER);
    const mote_tensor *bias = kernel_input(ctx, node, DEPTHWISE_IN_BIAS);
    void *packed, *zero;
    mote_status st;
    if ((st = mote_node_persistent(ctx, node, p->packed_index, &packed)) ||
        (st = mote_node_persistent(ctx, node, p->zero_index, &zero)))
        return kernel_fail(ctx, node, st, "persistent buffer missing");
    /* [1, kh, kw, c]: tap t's weights are row t. */
    dwconv_f32_pack((size_t)p->in_c, (size_t)p->taps, (size_t)p->dw_cb, KERNEL_DATA(filter, const float),
                    bias ? KERNEL_DATA(bias, const float) : NULL, packed);
    memset(zero, 0, (size_t)p->in_c * sizeof(float));
    p->indirection_base = NULL;
    if (p->path == CONV_F32_DWCONV_EXPAND) return MOTE_OK;
    const mote_tensor *src = kernel_tensor(ctx, node, p->input_tensor);
    return src->data ? build_indirection(ctx, node, p) : MOTE_OK;
}

/* Rows of output pixels, `rows` per task. */
typedef struct dw_job {
    const conv_f32_plan *p;
    const float *const *ind;
    const float *zero;
    const float *packed;
    float *y;
    size_t out_h, out_w, channels, image, rows, row_count;
    mote_f32_minmax clamp;
} dw_job;

static void dw_task(void *arg, int32_t task, int32_t thread) {
    (void)thread;
    const dw_job *j = arg;
    const size_t taps = (size_t)j->p->taps;
    const size_t first = (size_t)task * j->rows;
    const size_t last = first + j->rows < j->row_count ? first + j->rows : j->row_count;
    for (size_t r = first; r < last; r++) {
        const size_t b = r / j->out_h, oy = r % j->out_h;
        j->p->dw(j->channels, j->out_w, taps, j->ind + oy * j->out_w * taps, taps, b * j->image, j->zero, j->packed,
                 j->y + r * j->out_w * j->channels, &j->clamp);
    }
}

mote_status depthwise_f32_opt_eval(mote_context *ctx, mote_node *node) {
    depthwise_data *d = node->data;
    conv_f32_plan *p = &d->f32opt;
    if (p->path == CONV_F32_DWCONV_EXPAND) return depthwise_f32_expand_eval(ctx, node);
    const mote_tensor *out_t = kernel_output(ctx, node, 0);
    const mote_tensor *src = kernel_tensor(ctx, node, p->input_tensor);
    mote_status st;
    /* The input moved (a caller-set tensor buffer): point the indirection at it again. */
    if (KERNEL_DATA(src, const float) != p->indirection_base && (st = build_indirection(ctx, node, p))) return st;
    void *ind, *zero, *packed;
    if ((st = mote_node_persistent(ctx, node, p->indirection_index, &ind)) ||
        (st = mote_node_persistent(ctx, node, p->zero_index, &zero)) ||
        (st = mote_node_persistent(ctx, node, p->packed_index, &packed)))
        return kernel_fail(ctx, node, st, "persistent buffer missing");
    dw_job j = {.p = p, .ind = ind, .zero = zero, .packed = packed, .y = KERNEL_DATA(out_t, float),
                .out_h = (size_t)out_t->dims[1], .out_w = (size_t)out_t->dims[2],
                .channels = (size_t)out_t->dims[3],
                .image = (size_t)p->in_h * (size_t)p->in_w * (size_t)p->in_c};
    kernel_activation_range_f32(d->activation, &j.clamp.min, &j.clamp.max);
    j.row_count = (size_t)out_t->dims[0] * j.out_h;
    /* About 8 tasks per thread (rows differ in cost at the borders, threads in speed). */
    const size_t threads = (size_t)kernel_threads(ctx);
    const size_t want = threads > 1 ? threads * 8 : 1;
    j.rows = (j.row_count + want - 1) / want;
    if (j.rows == 0) j.rows = 1;
    kernel_parallel_for(ctx, (int32_t)((j.row_count + j.rows - 1) / j.rows), dw_task, &j);
    return MOTE_OK;
}
