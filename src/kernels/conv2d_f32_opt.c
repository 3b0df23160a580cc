/* conv2d_f32_opt.c — CONV_2D's optimized float32 path: a 1x1 stride-1 convolution is one
 * GEMM on the NHWC input; any other is an indirect GEMM (an indirection buffer of input
 * pixel pointers built once, a zero row for padding). A zero PAD whose only reader is the
 * convolution is fused: the convolution reads the PAD's input with the padding added to
 * its own, and the interpreter skips the PAD (pad_fusion.c). Also the indirection builder
 * shared with depthwise_f32_opt.c. */
#include "kernels/conv2d.h"
#include "kernels/pad_fusion.h"

/* Kernel rows as taps up to this many floats (kw * in_c): first layers on images. */
#define ROW_TAP_MAX_FLOATS 64

/* ---- indirection ---- */

void conv_f32_build_indirection(const conv_f32_plan *p, const float *input, const float *zero, int32_t out_h,
                                int32_t out_w, int32_t kh, int32_t kw, int32_t stride_h, int32_t stride_w,
                                int32_t dilation_h, int32_t dilation_w, size_t mr, const float **ind) {
    const size_t m = (size_t)out_h * (size_t)out_w, taps = (size_t)kh * (size_t)kw;
    const size_t total = (m + mr - 1) / mr * mr;
    for (size_t i = 0; i < total; i++) {
        const size_t pixel = i < m ? i : m - 1; /* the last tile's extra rows repeat the last pixel */
        const int32_t oy = (int32_t)(pixel / (size_t)out_w), ox = (int32_t)(pixel % (size_t)out_w);
        const float **tile = ind + i / mr * taps * mr + i % mr;
        for (int32_t fy = 0; fy < kh; fy++) {
            const int32_t iy = oy * stride_h - p->pad_top + fy * dilation_h;
            for (int32_t fx = 0; fx < kw; fx++) {
                const int32_t ix = ox * stride_w - p->pad_left + fx * dilation_w;
                const float *ptr = zero;
                if (iy >= 0 && iy < p->in_h && ix >= 0 && ix < p->in_w)
                    ptr = input + ((size_t)iy * (size_t)p->in_w + (size_t)ix) * (size_t)p->in_c;
                tile[((size_t)fy * (size_t)kw + (size_t)fx) * mr] = ptr;
            }
        }
    }
}

/* ---- kernel rows as taps (few input channels) ---- */

/* Output columns at the left and the right whose kernel row leaves the input. */
static void edge_columns(const conv_f32_plan *p, int32_t out_w, int32_t kw, int32_t stride_w, int32_t *left,
                         int32_t *right) {
    int32_t l = 0, r = 0;
    while (l < out_w && l * stride_w - p->pad_left < 0) l++;
    while (r < out_w - l && (out_w - 1 - r) * stride_w - p->pad_left + kw > p->in_w) r++;
    *left = l, *right = r;
}

/* The chunk of column ox (an edge column) for input row iy. */
static float *edge_chunk(const conv_f32_plan *p, float *chunks, int32_t out_w, int32_t ox, int32_t iy) {
    const int32_t e = ox < p->edge_left ? ox : p->edge_left + ox - (out_w - p->edge_right);
    return chunks + ((size_t)e * (size_t)p->in_h + (size_t)iy) * (size_t)p->kc;
}

/* Copies the edge columns' kernel rows with the padding zeroed (the input changes every run). */
static void fill_edge_chunks(const conv_f32_plan *p, const float *input, float *chunks, int32_t out_w,
                             int32_t stride_w) {
    const size_t in_c = (size_t)p->in_c;
    const int32_t kw = p->kc / p->in_c;
    for (int32_t ox = 0; ox < out_w; ox++) {
        if (ox >= p->edge_left && ox < out_w - p->edge_right) continue;
        const int32_t ix0 = ox * stride_w - p->pad_left;
        for (int32_t iy = 0; iy < p->in_h; iy++) {
            float *dst = edge_chunk(p, chunks, out_w, ox, iy);
            for (int32_t fx = 0; fx < kw; fx++) {
                const int32_t ix = ix0 + fx;
                if (ix >= 0 && ix < p->in_w)
                    memcpy(dst + (size_t)fx * in_c, input + ((size_t)iy * (size_t)p->in_w + (size_t)ix) * in_c,
                           in_c * sizeof(float));
                else
                    memset(dst + (size_t)fx * in_c, 0, in_c * sizeof(float));
            }
        }
    }
}

/* The indirection by kernel rows: a pointer per output pixel and kernel row. */
static void build_row_indirection(const conv_f32_plan *p, const float *input, const float *zero, float *chunks,
                                  int32_t out_h, int32_t out_w, int32_t kh, int32_t stride_h, int32_t stride_w,
                                  int32_t dilation_h, size_t mr, const float **ind) {
    const size_t m = (size_t)out_h * (size_t)out_w;
    const size_t total = (m + mr - 1) / mr * mr;
    for (size_t i = 0; i < total; i++) {
        const size_t pixel = i < m ? i : m - 1;
        const int32_t oy = (int32_t)(pixel / (size_t)out_w), ox = (int32_t)(pixel % (size_t)out_w);
        const int edge = ox < p->edge_left || ox >= out_w - p->edge_right;
        const float **tile = ind + i / mr * (size_t)kh * mr + i % mr;
        for (int32_t fy = 0; fy < kh; fy++) {
            const int32_t iy = oy * stride_h - p->pad_top + fy * dilation_h;
            const float *ptr = zero;
            if (iy >= 0 && iy < p->in_h)
                ptr = edge ? edge_chunk(p, chunks, out_w, ox, iy)
                           : input + ((size_t)iy * (size_t)p->in_w + (size_t)(ox * stride_w - p->pad_left)) *
                                         (size_t)p->in_c;
            tile[(size_t)fy * mr] = ptr;
        }
    }
}

/* ---- CONV_2D ---- */

mote_status conv2d_f32_opt_prepare(mote_context *ctx, mote_node *node, conv2d_data *d) {
    conv_f32_plan *p = &d->f32opt;
    memset(p, 0, sizeof *p);
    p->path = CONV_F32_REFERENCE;
    p->chunk_scratch = -1;
    if (!kernel_use_optimized(ctx) || node->reprepare) return MOTE_OK;
    const mote_tensor *in = kernel_input(ctx, node, CONV2D_IN_INPUT);
    const mote_tensor *filter = kernel_input(ctx, node, CONV2D_IN_FILTER);
    const mote_tensor *bias = kernel_input(ctx, node, CONV2D_IN_BIAS);
    const mote_tensor *out = kernel_output(ctx, node, 0);
    const int32_t out_c = filter->dims[0], kh = filter->dims[1], kw = filter->dims[2], in_c = in->dims[3];
    /* Grouped convolutions, weights computed while running: the reference. */
    if (filter->dims[3] != in_c || !kernel_is_constant_after_pack(filter) ||
        (bias && !kernel_is_constant_after_pack(bias)) || kernel_count(out) == 0 || in->is_dynamic)
        return MOTE_OK;

    const gemm_f32_config *cfg = gemm_f32_config_get();
    p->input_tensor = node->inputs[CONV2D_IN_INPUT];
    p->pad_top = d->pad_h;
    p->pad_left = d->pad_w;
    p->in_h = in->dims[1];
    p->in_w = in->dims[2];
    p->in_c = in_c;
    p->taps = kh * kw;
    int32_t source, top, left;
    const int fused = conv_fuse_pad(ctx, node, MOTE_FLOAT32, &source, &top, &left);
    if (fused) {
        const mote_tensor *src = kernel_tensor(ctx, node, source);
        p->input_tensor = source;
        p->pad_top += top;
        p->pad_left += left;
        p->in_h = src->dims[1];
        p->in_w = src->dims[2];
    }
    const size_t pixels = (size_t)out->dims[1] * (size_t)out->dims[2];
    const size_t depth = (size_t)p->taps * (size_t)in_c;
    mote_status st;
    if (kh == 1 && kw == 1 && d->stride_h == 1 && d->stride_w == 1 && p->pad_top == 0 && p->pad_left == 0 &&
        !fused) {
        p->path = CONV_F32_GEMM;
        p->uk = gemm_f32_choose(cfg, pixels * (size_t)out->dims[0], (size_t)out_c, depth);
    } else {
        p->path = CONV_F32_IGEMM;
        p->uk = gemm_f32_choose(cfg, pixels, (size_t)out_c, depth);
        p->m_tiles = (pixels + p->uk->mr - 1) / p->uk->mr;
        p->ks = p->taps, p->kc = in_c;
        /* Few input channels (an image's 3): a tap of in_c floats leaves the microkernel
         * little to do between pointer loads; a kernel row of kw pixels is kw times that.
         * The same products in the same order, so the same bits. One image only: a later
         * image's pointers are moved by the image size, and the chunks are not. */
        if (d->dilation_w == 1 && kw > 1 && in_c > 0 && kw * in_c <= ROW_TAP_MAX_FLOATS && out->dims[0] == 1) {
            edge_columns(p, out->dims[2], kw, d->stride_w, &p->edge_left, &p->edge_right);
            /* Chunks for at most 2^24 (column, row) pairs: a model whose edges need more
             * (a hostile shape) keeps the pixel taps. */
            const uint64_t chunk_rows = (uint64_t)(p->edge_left + p->edge_right) * (uint64_t)p->in_h;
            if (chunk_rows <= (UINT64_C(1) << 24)) {
                const size_t chunk_floats = (size_t)chunk_rows * (size_t)(kw * in_c);
                if ((st = mote_node_request_scratch(ctx, node, (chunk_floats ? chunk_floats : 1) * sizeof(float),
                                                    &p->chunk_scratch)))
                    return st;
                p->ks = kh, p->kc = kw * in_c;
            }
        }
        p->indirection_count = p->m_tiles * p->uk->mr * (size_t)p->ks;
        if ((st = mote_node_request_persistent(ctx, node, p->indirection_count * sizeof(float *),
                                               &p->indirection_index)) ||
            (st = mote_node_request_persistent(ctx, node, (size_t)p->kc * sizeof(float), &p->zero_index)))
            return st;
    }
    return mote_node_request_persistent(ctx, node,
                                        gemm_f32_packed_floats((size_t)out_c, depth, p->uk->nr) * sizeof(float),
                                        &p->packed_index);
}

static mote_status build_indirection(mote_context *ctx, mote_node *node, conv_f32_plan *p) {
    const conv2d_data *d = node->data;
    const mote_tensor *filter = kernel_input(ctx, node, CONV2D_IN_FILTER);
    const mote_tensor *out = kernel_output(ctx, node, 0);
    const mote_tensor *src = kernel_tensor(ctx, node, p->input_tensor);
    void *ind, *zero, *chunks = NULL;
    mote_status st;
    if ((st = mote_node_persistent(ctx, node, p->indirection_index, &ind)) ||
        (st = mote_node_persistent(ctx, node, p->zero_index, &zero)) ||
        (p->chunk_scratch >= 0 && (st = mote_node_scratch(ctx, node, p->chunk_scratch, &chunks))))
        return kernel_fail(ctx, node, st, "buffer missing");
    if (p->chunk_scratch >= 0)
        build_row_indirection(p, KERNEL_DATA(src, const float), zero, chunks, out->dims[1], out->dims[2],
                              filter->dims[1], d->stride_h, d->stride_w, d->dilation_h, p->uk->mr, ind);
    else
        conv_f32_build_indirection(p, KERNEL_DATA(src, const float), zero, out->dims[1], out->dims[2],
                                   filter->dims[1], filter->dims[2], d->stride_h, d->stride_w, d->dilation_h,
                                   d->dilation_w, p->uk->mr, ind);
    p->indirection_base = KERNEL_DATA(src, const float);
    p->chunk_base = chunks;
    return MOTE_OK;
}

mote_status conv2d_f32_opt_pack(mote_context *ctx, mote_node *node) {
    conv2d_data *d = node->data;
    conv_f32_plan *p = &d->f32opt;
    if (p->path == CONV_F32_REFERENCE) return MOTE_OK;
    const mote_tensor *filter = kernel_input(ctx, node, CONV2D_IN_FILTER);
    const mote_tensor *bias = kernel_input(ctx, node, CONV2D_IN_BIAS);
    void *packed;
    mote_status st = mote_node_persistent(ctx, node, p->packed_index, &packed);
    if (st) return kernel_fail(ctx, node, st, "persistent buffer missing");
    const size_t depth = (size_t)p->taps * (size_t)p->in_c;
    /* [out_c, kh, kw, in_c]: output channel j's weights are row j, in IGEMM's depth order. */
    gemm_f32_pack((size_t)filter->dims[0], depth, p->uk->nr, KERNEL_DATA(filter, const float), depth, 1,
                  bias ? KERNEL_DATA(bias, const float) : NULL, packed);
    if (p->path == CONV_F32_IGEMM) {
        void *zero;
        if ((st = mote_node_persistent(ctx, node, p->zero_index, &zero)))
            return kernel_fail(ctx, node, st, "persistent buffer missing");
        memset(zero, 0, (size_t)p->kc * sizeof(float));
        p->indirection_base = NULL;
        const mote_tensor *src = kernel_tensor(ctx, node, p->input_tensor);
        if (src->data) return build_indirection(ctx, node, p);
    }
    return MOTE_OK;
}

mote_status conv2d_f32_opt_eval(mote_context *ctx, mote_node *node) {
    conv2d_data *d = node->data;
    conv_f32_plan *p = &d->f32opt;
    const mote_tensor *out_t = kernel_output(ctx, node, 0);
    const mote_tensor *src = kernel_tensor(ctx, node, p->input_tensor);
    mote_f32_minmax clamp;
    kernel_activation_range_f32(d->activation, &clamp.min, &clamp.max);
    void *packed;
    mote_status st = mote_node_persistent(ctx, node, p->packed_index, &packed);
    if (st) return kernel_fail(ctx, node, st, "persistent buffer missing");
    const size_t batches = (size_t)out_t->dims[0], out_c = (size_t)out_t->dims[3];
    const size_t pixels = (size_t)out_t->dims[1] * (size_t)out_t->dims[2];
    float *y = KERNEL_DATA(out_t, float);
    if (p->path == CONV_F32_GEMM) {
        gemm_f32_run(ctx, p->uk, batches * pixels, out_c, (size_t)p->in_c, KERNEL_DATA(src, const float),
                     (size_t)p->in_c, packed, y, out_c, clamp);
        return MOTE_OK;
    }
    void *ind, *zero, *chunks = NULL;
    if ((st = mote_node_persistent(ctx, node, p->indirection_index, &ind)) ||
        (st = mote_node_persistent(ctx, node, p->zero_index, &zero)) ||
        (p->chunk_scratch >= 0 && (st = mote_node_scratch(ctx, node, p->chunk_scratch, &chunks))))
        return kernel_fail(ctx, node, st, "buffer missing");
    /* The input moved (a caller-set tensor buffer), or the scratch: point the indirection
     * at them again. */
    if ((KERNEL_DATA(src, const float) != p->indirection_base || chunks != p->chunk_base) &&
        (st = build_indirection(ctx, node, p)))
        return st;
    if (chunks) fill_edge_chunks(p, KERNEL_DATA(src, const float), chunks, out_t->dims[2], d->stride_w);
    const size_t image = (size_t)p->in_h * (size_t)p->in_w * (size_t)p->in_c;
    igemm_f32_run(ctx, p->uk, batches, pixels, out_c, (size_t)p->kc, (size_t)p->ks, ind, image, zero, packed, y,
                  out_c, pixels * out_c, clamp);
    return MOTE_OK;
}
