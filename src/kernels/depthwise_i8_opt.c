/* depthwise_i8_opt.c — DEPTHWISE_CONV_2D's optimized int8/uint8 path (see depthwise_i8_opt.h):
 * the choice in prepare (the quad layout with AVX-512 VNNI when the weights allow it), the
 * weight packing, the ring of input rows, a zero PAD before the node read through
 * (conv_fuse_pad), and the split of output rows and channels over threads. */
#include "kernels/depthwise_conv2d.h"

#include "core/cpu.h"
#include "kernels/pad_fusion.h"

enum { IN_INPUT = DEPTHWISE_IN_INPUT, IN_FILTER = DEPTHWISE_IN_FILTER, IN_BIAS = DEPTHWISE_IN_BIAS };

/* Most rows a window may span (ring rows, tags kept on the stack). */
#define DW_I8_MAX_RING_ROWS 64
/* A task's ring is kept near this size (channels are split when it would be larger). */
#define DW_I8_RING_TARGET (256 * 1024)

static size_t round_up(size_t v, size_t to) { return (v + to - 1) / to * to; }

static dw_i8_isa dw_i8_pick_isa(void) {
#if defined(__x86_64__)
    uint32_t f = cpu_features();
    if (f & CPU_X86_AVX512) return DW_I8_AVX512;
    if (f & CPU_X86_AVX2) return DW_I8_AVX2;
#elif defined(__aarch64__)
    if (cpu_features() & CPU_ARM_NEON) return DW_I8_NEON;
#endif
    return DW_I8_NONE;
}

mote_status depthwise_i8_opt_prepare(mote_context *ctx, mote_node *node, const mote_tensor *in,
                                     const mote_tensor *filter, const mote_tensor *bias) {
    depthwise_data *d = node->data;
    dw_i8_plan *p = &d->i8opt;
    memset(p, 0, sizeof *p);
    if (!kernel_use_optimized(ctx) || node->reprepare) return MOTE_OK;
    if ((d->kind != DEPTHWISE_INT8 && d->kind != DEPTHWISE_UINT8) || d->multiplier != 1) return MOTE_OK;
    if (!kernel_is_constant_after_pack(filter) || (bias && !kernel_is_constant_after_pack(bias))) return MOTE_OK;
    if (d->stride_h <= 0 || d->stride_w <= 0 || d->dilation_h <= 0 || d->dilation_w <= 0) return MOTE_OK;
    for (int32_t c = 0; c < d->q.channels; c++)
        if (d->q.multipliers[c] < 0 || d->q.shifts[c] < -31 || d->q.shifts[c] > 30) return MOTE_OK;
    dw_i8_isa isa = dw_i8_pick_isa();
    if (isa == DW_I8_NONE) return MOTE_OK;
#if defined(__x86_64__)
    /* The quad layout needs symmetric weights (uint8: zero point 128) and no dilation along
     * the width. */
    if (isa == DW_I8_AVX512 && (cpu_features() & CPU_X86_AVX512_VNNI) && d->dilation_w == 1 &&
        ((filter->type == MOTE_INT8 && d->q.filter_offset == 0) ||
         (filter->type == MOTE_UINT8 && d->q.filter_offset == -128)))
        isa = DW_I8_AVX512VNNI;
#endif
    const int32_t channels = in->dims[3];
    const int32_t kh = filter->dims[1], kw = filter->dims[2];
    const int32_t in_h = in->dims[1], in_w = in->dims[2]; /* of the (possibly padded) input */
    const int64_t span_h = (int64_t)(kh - 1) * d->dilation_h + 1, span_w = (int64_t)(kw - 1) * d->dilation_w + 1;
    if (span_h > DW_I8_MAX_RING_ROWS || span_w > 4096 || (int64_t)in_w + 2 * span_w > INT32_MAX / 2) return MOTE_OK;
    const int32_t out_h = kernel_out_size(d->padding, in_h, kh, d->stride_h, d->dilation_h);
    const int32_t out_w = kernel_out_size(d->padding, in_w, kw, d->stride_w, d->dilation_w);
    if (out_h <= 0 || out_w <= 0 || in_h <= 0 || in_w <= 0) return MOTE_OK;
    int32_t pad_w = kernel_pad_before(d->padding, in_w, kw, d->stride_w, d->dilation_w, out_w);
    p->pad_h = kernel_pad_before(d->padding, in_h, kh, d->stride_h, d->dilation_h, out_h);
    int32_t src_w = in_w; /* width of the tensor the rows are read from */
    /* A zero PAD before: read its input, the padding added to the node's own. */
    int32_t source, top, left;
    if (conv_fuse_pad(ctx, node, in->type, &source, &top, &left)) {
        const mote_tensor *src = kernel_tensor(ctx, node, source);
        p->fused = 1;
        p->fused_source = source;
        p->pad_h += top;
        pad_w += left;
        src_w = src->dims[2];
    }
    p->pad_w = pad_w;

    p->channels = channels;
    const int wide = isa == DW_I8_AVX512 || isa == DW_I8_AVX512VNNI; /* groups of 16, gemm_i8_rq16 */
    p->group = wide ? 16 : 8;
    p->groups = (channels + p->group - 1) / p->group;
    p->taps = kh * kw;
    p->quads = (kw + 3) / 4;
    /* Quad layout: kh * quads lanes of 4 bytes per channel, else one int32 lane per tap. */
    const int32_t weight_lanes = isa == DW_I8_AVX512VNNI ? kh * p->quads : p->taps;
    p->group_bytes = (wide ? sizeof(gemm_i8_rq16) : sizeof(gemm_i8_rq8)) +
                     (size_t)weight_lanes * (size_t)p->group * sizeof(int32_t);
    p->a_flip = in->type == MOTE_UINT8 ? 0 : 0x80;
    p->zu = (uint8_t)(in->type == MOTE_UINT8 ? in->zero_point : in->zero_point + 128);
    p->x_unsigned = in->type == MOTE_UINT8;
    p->x_zero = in->zero_point;
    p->w_zero = -d->q.filter_offset;
    p->ring_rows = (int32_t)span_h;
    /* Padded pixels: input pixel ix at ix + pad_w; the last window reaches
     * (out_w - 1) * stride_w + span_w - 1. */
    int64_t width = (int64_t)pad_w + src_w, reach = (int64_t)(out_w - 1) * d->stride_w + span_w;
    if (isa == DW_I8_AVX512VNNI) reach = (int64_t)(out_w - 1) * d->stride_w + 4 * p->quads;
    p->ring_width = (int32_t)(width > reach ? width : reach);
    /* Channel ranges: as wide as the ring allows, and narrower when there are few output
     * rows to share between threads. */
    const int32_t threads = kernel_threads(ctx);
    const size_t row_bytes_per_group = (size_t)p->ring_width * (size_t)p->group * sizeof(int32_t);
    int32_t range = p->groups;
    /* With several threads, channel ranges first (up to two per thread): unlike bands of
     * output rows, they share no input rows, so no ring row is built twice. */
    if (threads > 1) {
        const int32_t want = p->groups < 2 * threads ? p->groups : 2 * threads;
        range = (p->groups + want - 1) / want;
    }
    while (range > 1 && ((size_t)(p->ring_rows + 1) * row_bytes_per_group * (size_t)range > DW_I8_RING_TARGET ||
                         (threads > 1 && (int64_t)in->dims[0] * out_h * ((p->groups + range - 1) / range) < 4 * threads)))
        range = (range + 1) / 2;
    p->range_groups = range;
    p->thread_bytes = round_up((size_t)(p->ring_rows + 1) * row_bytes_per_group * (size_t)range, 64);
    if (isa == DW_I8_AVX512VNNI) {
        p->tmp_bytes = round_up((size_t)range * ((size_t)p->ring_width + 3) * 16, 64);
        p->thread_bytes += p->tmp_bytes;
    }
    p->out.zero_point = d->q.output_offset;
    p->out.act_min = d->q.act_min;
    p->out.act_max = d->q.act_max;

    size_t packed, scratch;
    if (mote_mul_size((size_t)p->groups, p->group_bytes, &packed) ||
        mote_mul_size(p->thread_bytes, (size_t)threads, &scratch))
        return kernel_fail(ctx, node, MOTE_ERROR_LIMIT, "packed weights too large");
    mote_status st;
    if ((st = mote_node_request_persistent(ctx, node, packed, &p->persistent)) ||
        (st = mote_node_request_scratch(ctx, node, scratch, &p->scratch)))
        return kernel_fail(ctx, node, st, "cannot reserve memory for packed weights");
    p->isa = isa;
    return MOTE_OK;
}

mote_status depthwise_i8_opt_pack(mote_context *ctx, mote_node *node) {
    const depthwise_data *d = node->data;
    const dw_i8_plan *p = &d->i8opt;
    if (p->isa == DW_I8_NONE) return MOTE_OK;
    const mote_tensor *filter = kernel_input(ctx, node, IN_FILTER), *bias = kernel_input(ctx, node, IN_BIAS);
    const uint8_t *w = filter->data; /* [1, kh, kw, channels] */
    const int32_t *b = bias ? KERNEL_DATA(bias, const int32_t) : NULL;
    void *mem;
    mote_status st = mote_node_persistent(ctx, node, p->persistent, &mem);
    if (st) return kernel_fail(ctx, node, st, "packed weights missing");
    uint8_t *packed = mem;
    memset(packed, 0, (size_t)p->groups * p->group_bytes);
    const int wide = p->isa == DW_I8_AVX512 || p->isa == DW_I8_AVX512VNNI;
    const size_t params = wide ? sizeof(gemm_i8_rq16) : sizeof(gemm_i8_rq8);
    const int32_t kw = filter->dims[2], kh = filter->dims[1];
    for (int32_t g = 0; g < p->groups; g++) {
        uint8_t *base = packed + (size_t)g * p->group_bytes;
        int32_t *lanes = (int32_t *)(void *)(base + params); /* [taps][group] */
        for (int32_t c = 0; c < p->group; c++) {
            const int32_t o = g * p->group + c;
            const int inside = o < p->channels;
            int32_t colterm = inside && b ? b[o] : 0;
            const int32_t mult = inside ? d->q.multipliers[o] : 0, shift = inside ? d->q.shifts[o] : 0;
            if (p->isa == DW_I8_AVX512VNNI) {
                /* v = w - zw as signed bytes, 4 taps of a kernel row per lane; the column
                 * term takes -zu * sum v. */
                int8_t *vb = (int8_t *)lanes; /* [kh][quads][group][4] */
                int64_t vsum = 0;
                for (int32_t t = 0; inside && t < p->taps; t++) {
                    const int32_t fy = t / kw, fx = t % kw;
                    const uint8_t raw = w[(size_t)t * (size_t)p->channels + (size_t)o];
                    const int8_t v = (int8_t)(filter->type == MOTE_UINT8 ? raw ^ 0x80 : raw);
                    vsum += v;
                    vb[(((size_t)fy * (size_t)p->quads + (size_t)(fx / 4)) * (size_t)p->group + (size_t)c) * 4 +
                       (size_t)(fx % 4)] = v;
                }
                colterm = quant_wrap_sub_i32(colterm, quant_wrap_mul_i32(p->zu, quant_wrap_i32(vsum)));
                gemm_i8_rq16_set((gemm_i8_rq16 *)(void *)base, c, colterm, mult, shift);
                continue;
            }
            if (p->isa == DW_I8_AVX512)
                gemm_i8_rq16_set((gemm_i8_rq16 *)(void *)base, c, colterm, mult, shift);
            else
                gemm_i8_rq8_set((gemm_i8_rq8 *)(void *)base, c, colterm, mult, shift);
            if (!inside) continue;
            for (int32_t t = 0; t < p->taps; t++) {
                const uint8_t raw = w[(size_t)t * (size_t)p->channels + (size_t)o];
                const int32_t v = (filter->type == MOTE_UINT8 ? (int32_t)raw : (int32_t)(int8_t)raw) - p->w_zero;
                /* w - zw in the low 16 bits, 0 in the high ones (see depthwise_i8_opt.h). */
                lanes[(size_t)t * (size_t)p->group + (size_t)c] = (int32_t)(uint16_t)(int16_t)v;
            }
        }
    }
    (void)kh;
    return MOTE_OK;
}

typedef struct dw_i8_run {
    const depthwise_data *d;
    const dw_i8_plan *p;
    const uint8_t *x;   /* [batch, in_h, in_w, channels] */
    uint8_t *y;         /* [batch, out_h, out_w, channels] */
    const uint8_t *packed;
    uint8_t *scratch;
    int32_t in_h, in_w, out_h, out_w, kh, kw;
    int32_t band_rows, bands, ranges;
    void (*row)(const dw_i8_row *r);
    void (*widen)(int32_t *dst, const uint8_t *src, size_t n, int is_unsigned, int32_t zero);
} dw_i8_run;

static void dw_i8_task(void *arg, int32_t task, int32_t thread) {
    const dw_i8_run *r = arg;
    const dw_i8_plan *p = r->p;
    const depthwise_data *d = r->d;
    const int32_t range = task % r->ranges, band = (task / r->ranges) % r->bands, b = task / r->ranges / r->bands;
    const int32_t oy0 = band * r->band_rows;
    const int32_t oy1 = oy0 + r->band_rows < r->out_h ? oy0 + r->band_rows : r->out_h;
    const int32_t g0 = range * p->range_groups;
    const int32_t g1 = g0 + p->range_groups < p->groups ? g0 + p->range_groups : p->groups;
    if (oy0 >= oy1 || g0 >= g1) return;
    const int32_t c0 = g0 * p->group;
    const int32_t cc = (g1 * p->group < p->channels ? g1 * p->group : p->channels) - c0; /* channels */
    const size_t lanes = (size_t)(g1 - g0) * (size_t)p->group;                      /* per pixel */
    const size_t row_lanes = (size_t)p->ring_width * lanes;
    int32_t *ring = (int32_t *)(void *)(r->scratch + (size_t)thread * p->thread_bytes);
    int32_t *zero_row = ring + (size_t)p->ring_rows * row_lanes;
    const int quad = p->isa == DW_I8_AVX512VNNI;
    /* Rows outside the input: zero lanes, or zu bytes in the quad layout. */
    memset(zero_row, quad ? p->zu : 0, row_lanes * sizeof(int32_t));
    dw_i8_quads qa = {.in_w = r->in_w, .pad_left = p->pad_w, .ring_width = p->ring_width, .channels = cc,
                      .groups = (int32_t)(lanes / 16), .src_stride = (size_t)p->channels, .flip = p->a_flip,
                      .zu = p->zu, .tmp = (uint8_t *)(zero_row + row_lanes)};
    (void)qa;
    int32_t tags[DW_I8_MAX_RING_ROWS];
    for (int32_t s = 0; s < p->ring_rows; s++) tags[s] = -1;
    const int32_t *rows[DW_I8_MAX_RING_ROWS];
    const size_t channels = (size_t)p->channels;
    dw_i8_row row = {.out_w = r->out_w,
                     .stride_w = d->stride_w,
                     .dilation_w = d->dilation_w,
                     .kh = r->kh,
                     .kw = r->kw,
                     .rows = rows,
                     .pixel_lanes = lanes,
                     .w = r->packed + (size_t)g0 * p->group_bytes,
                     .w_stride = p->group_bytes,
                     .channels = cc,
                     .y_stride = channels,
                     .out = &p->out};
    for (int32_t oy = oy0; oy < oy1; oy++) {
        for (int32_t fy = 0; fy < r->kh; fy++) {
            const int32_t iy = oy * d->stride_h - p->pad_h + fy * d->dilation_h;
            if (iy < 0 || iy >= r->in_h) {
                rows[fy] = zero_row;
                continue;
            }
            const int32_t slot = iy % p->ring_rows;
            int32_t *dst = ring + (size_t)slot * row_lanes;
            rows[fy] = dst;
            if (tags[slot] == iy) continue;
            tags[slot] = iy;
            /* Widen input row iy into the slot: pad pixels and lanes past the channels are 0. */
            const uint8_t *src = r->x + (((size_t)b * (size_t)r->in_h + (size_t)iy) * (size_t)r->in_w) * channels + (size_t)c0;
#if defined(__x86_64__)
            if (quad) {
                dw_i8_quads__avx512vnni((uint8_t *)dst, src, &qa);
                continue;
            }
#endif
            const size_t left = (size_t)p->pad_w, right = (size_t)p->ring_width - left - (size_t)r->in_w;
            memset(dst, 0, left * lanes * sizeof(int32_t));
            memset(dst + (left + (size_t)r->in_w) * lanes, 0, right * lanes * sizeof(int32_t));
            int32_t *body = dst + left * lanes;
            if ((size_t)cc == lanes && (size_t)cc == channels) {
                r->widen(body, src, (size_t)r->in_w * channels, p->x_unsigned, p->x_zero);
            } else {
                for (int32_t ix = 0; ix < r->in_w; ix++) {
                    r->widen(body + (size_t)ix * lanes, src + (size_t)ix * channels, (size_t)cc, p->x_unsigned, p->x_zero);
                    memset(body + (size_t)ix * lanes + cc, 0, (lanes - (size_t)cc) * sizeof(int32_t));
                }
            }
        }
        row.y = r->y + (((size_t)b * (size_t)r->out_h + (size_t)oy) * (size_t)r->out_w) * channels + (size_t)c0;
        r->row(&row);
    }
}

mote_status depthwise_i8_opt_eval(mote_context *ctx, mote_node *node) {
    const depthwise_data *d = node->data;
    const dw_i8_plan *p = &d->i8opt;
    const mote_tensor *in = kernel_input(ctx, node, IN_INPUT), *filter = kernel_input(ctx, node, IN_FILTER);
    mote_tensor *out = kernel_output(ctx, node, 0);
    if (p->fused) in = kernel_tensor(ctx, node, p->fused_source); /* the PAD's input */
    void *packed, *scratch;
    mote_status st;
    if ((st = mote_node_persistent(ctx, node, p->persistent, &packed)) ||
        (st = mote_node_scratch(ctx, node, p->scratch, &scratch)))
        return kernel_fail(ctx, node, st, "packed weights missing");
    dw_i8_run r = {.d = d, .p = p, .x = in->data, .y = out->data, .packed = packed, .scratch = scratch,
                   .in_h = in->dims[1], .in_w = in->dims[2], .out_h = out->dims[1], .out_w = out->dims[2],
                   .kh = filter->dims[1], .kw = filter->dims[2]};
    const int32_t batches = in->dims[0];
    if (batches <= 0 || r.out_h <= 0 || r.out_w <= 0) return MOTE_OK;
    switch (p->isa) {
#if defined(__x86_64__)
    case DW_I8_AVX512: r.row = dw_i8_row__avx512, r.widen = dw_i8_widen__avx512; break;
    case DW_I8_AVX512VNNI: r.row = dw_i8_row__avx512vnni, r.widen = NULL; break;
    case DW_I8_AVX2: r.row = dw_i8_row__avx2, r.widen = dw_i8_widen__avx2; break;
#elif defined(__aarch64__)
    case DW_I8_NEON: r.row = dw_i8_row__neon, r.widen = dw_i8_widen__neon; break;
#endif
    default: return kernel_fail(ctx, node, MOTE_ERROR_RUNTIME, "not prepared");
    }
    r.ranges = (p->groups + p->range_groups - 1) / p->range_groups;
    /* Output rows in bands: one band per image with one thread (each input row widened once
     * per channel range); with more, about four tasks per thread. */
    const int32_t threads = kernel_threads(ctx);
    int32_t bands = 1;
    if (threads > 1) {
        const int64_t per_image = (int64_t)batches * r.ranges;
        bands = (int32_t)((4 * threads + per_image - 1) / per_image);
        if (bands > r.out_h) bands = r.out_h;
        if (bands < 1) bands = 1;
    }
    r.band_rows = (r.out_h + bands - 1) / bands;
    r.bands = (r.out_h + r.band_rows - 1) / r.band_rows;
    const int64_t tasks = (int64_t)batches * r.bands * r.ranges;
    if (tasks > INT32_MAX) return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED, "too many output rows");
    kernel_parallel_for(ctx, (int32_t)tasks, dw_i8_task, &r);
    return MOTE_OK;
}
