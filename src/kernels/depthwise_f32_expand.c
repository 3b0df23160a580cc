/* depthwise_f32_expand.c — a 1x1 CONV_2D fused into the DEPTHWISE_CONV_2D that reads its
 * output (float32, optimized kernels): the inverted-residual block of MobileNetV2 and its
 * descendants, expansion then depthwise.
 *
 * Unfused, the expansion writes a tensor several times the size of its input (112x112x96
 * floats, 4.8 MB, in MobileNetV2) that the depthwise reads back: it leaves the caches, and
 * the expansion spends most of its time waiting for memory rather than multiplying. Fused,
 * the depthwise computes the rows of that tensor just before its windows need them, a few
 * output rows' worth at a time, into a ring of rows on each thread: the expansion's GEMM writes
 * to L1/L2 and the depthwise reads from there. Every value is computed as the unfused
 * optimized kernels compute it (the same microkernels, packed weights and order of
 * additions), so the results are identical to the unfused ones.
 *
 * Fused when the convolution is on its GEMM path (1x1, stride 1, no padding), its output
 * has no other reader (a zero PAD between the two, fused into the depthwise, is fine) and
 * one image of it is too large to stay in L2. The interpreter then skips the convolution.
 * Output rows are split over the threads in contiguous runs; a run recomputes the few
 * expansion rows its window shares with the previous run.
 *
 * With profiling on, each thread times its two phases and the node's time is shared out in
 * that proportion, so that both operators keep their own line in a profile. */
#include "core/graph.h"
#include "core/profile.h"
#include "kernels/conv2d.h"
#include "kernels/depthwise_conv2d.h"

/* One image of the expansion's output at least this large is fused: half of a 1 MiB L2.
 * Smaller ones stay in L2 between the two operators anyway, and with several threads the
 * rows that neighbouring runs both compute would cost more than fusing saves (measured on
 * MobileNetV2: fusing from 512 KiB beat fusing from 256 KiB, 2 MiB or never, at 1 and 2
 * threads). */
#define EXPAND_MIN_IMAGE_BYTES (512 * 1024)

/* A thread's ring of expansion rows, at most (when a row is smaller): a third of L2. */
#define EXPAND_RING_BYTES (384 * 1024)

static size_t round_up64(size_t n) { return (n + 63) / 64 * 64; }

mote_status depthwise_f32_fuse_expansion(mote_context *ctx, mote_node *node, depthwise_data *d,
                                         const mote_tensor *out) {
    conv_f32_plan *p = &d->f32opt;
    if (!ctx->in_prepare || node->reprepare || p->path != CONV_F32_DWCONV) return MOTE_OK;
    subgraph *sg = &ctx->subgraphs[node->subgraph];
    const int32_t mid_index = p->input_tensor;
    const int32_t e = graph_producer(sg, mid_index);
    if (e < 0 || e >= node->index) return MOTE_OK;
    mote_node *conv = &sg->nodes[e];
    if (conv->op != &mote_op_conv2d || conv->reprepare || conv->is_folded || conv->is_prepared ||
        conv->fused_into >= 0 || conv->output_count != 1 || conv->input_count < 1 || conv->inputs[0] < 0)
        return MOTE_OK;
    const conv2d_data *cd = conv->data;
    if (!cd || cd->kind != CONV2D_F32 || cd->f32opt.path != CONV_F32_GEMM) return MOTE_OK;
    const mote_tensor *mid = kernel_tensor(ctx, node, mid_index);
    const mote_tensor *x = kernel_tensor(ctx, conv, conv->inputs[0]);
    if (mid->is_variable || mid->is_dynamic || x->is_dynamic || x->type != MOTE_FLOAT32 || x->rank != 4 ||
        mid->rank != 4 || x->dims[0] != mid->dims[0] || x->dims[1] != mid->dims[1] || x->dims[2] != mid->dims[2] ||
        out->dims[0] != mid->dims[0] || mid->dims[3] != p->in_c || mid->dims[1] != p->in_h ||
        mid->dims[2] != p->in_w || x->dims[3] != cd->f32opt.in_c)
        return MOTE_OK;
    if (graph_reader_count(ctx, sg, mid_index) != 1) return MOTE_OK;
    const size_t row_floats = (size_t)p->in_w * (size_t)p->in_c;
    if (row_floats * (size_t)p->in_h * sizeof(float) < EXPAND_MIN_IMAGE_BYTES) return MOTE_OK;

    const mote_tensor *filter = kernel_input(ctx, node, DEPTHWISE_IN_FILTER);
    /* The expansion rows of `burst` output rows are computed together (fewer switches
     * between the two phases: the depthwise ran 3-15% faster on MobileNetV2), so the ring
     * holds the windows of that many output rows; rows r and r + ring_rows then never meet in
     * them, and a ring of every row never wraps. */
    const size_t span = (size_t)(filter->dims[1] - 1) * (size_t)d->dilation_h + 1;
    const size_t row_bytes = row_floats * sizeof(float);
    size_t burst = 1;
    if (EXPAND_RING_BYTES / row_bytes > span) burst = (EXPAND_RING_BYTES / row_bytes - span) / (size_t)d->stride_h + 1;
    if (burst > (size_t)out->dims[1]) burst = (size_t)out->dims[1];
    size_t ring_rows = span + (size_t)d->stride_h * (burst - 1);
    if (ring_rows > (size_t)p->in_h) ring_rows = (size_t)p->in_h;
    p->burst = (int32_t)burst;
    p->ring_bytes = round_up64(ring_rows * row_floats * sizeof(float));
    p->times_at = p->ring_bytes + round_up64((size_t)out->dims[2] * (size_t)p->taps * sizeof(float *));
    p->thread_bytes = p->times_at + 64; /* + the thread's two phase times */
    const size_t threads = (size_t)kernel_threads(ctx);
    if (threads == 0 || p->thread_bytes > SIZE_MAX / threads) return MOTE_OK;
    mote_status st = mote_node_request_scratch(ctx, node, p->thread_bytes * threads, &p->expand_scratch);
    if (st) return st;
    p->path = CONV_F32_DWCONV_EXPAND;
    p->expand_node = e;
    p->expand_depth = x->dims[3];
    p->ring_rows = (int32_t)ring_rows;
    conv->fused_into = node->index;
    node->extra_input = conv->inputs[0]; /* read here, so alive until here */
    return MOTE_OK;
}

/* Output rows [task's run) of one image, on one thread. */
typedef struct expand_job {
    const conv_f32_plan *p;
    const gemm_f32_ukernel *uk;
    const float *x;        /* the expansion's input */
    const float *expand_w; /* its packed weights */
    const float *dw_w;     /* the depthwise's packed weights */
    const float *zero;
    float *y;
    uint8_t *scratch;
    size_t in_h, in_w, depth, channels, out_h, out_w;
    size_t kh, kw, stride_h, stride_w, dilation_h, dilation_w;
    size_t runs, run_rows; /* runs of output rows per image, rows per run */
    mote_f32_minmax expand_clamp, clamp;
    int timed;
} expand_job;

static void expand_task(void *arg, int32_t task, int32_t thread) {
    const expand_job *j = arg;
    const conv_f32_plan *p = j->p;
    const size_t b = (size_t)task / j->runs, run = (size_t)task % j->runs;
    const size_t oy0 = run * j->run_rows;
    const size_t oy1 = oy0 + j->run_rows < j->out_h ? oy0 + j->run_rows : j->out_h;
    const size_t ring_rows = (size_t)p->ring_rows, taps = j->kh * j->kw;
    const size_t row_floats = j->in_w * j->channels;
    uint8_t *s = j->scratch + (size_t)thread * p->thread_bytes;
    float *ring = (float *)(void *)s;
    const float **ind = (const float **)(void *)(s + p->ring_bytes);
    uint64_t *times = (uint64_t *)(void *)(s + p->times_at);
    const float *x = j->x + b * j->in_h * j->in_w * j->depth;
    float *y = j->y + b * j->out_h * j->out_w * j->channels;
    int64_t done = -1; /* the last expansion row in the ring */
    for (size_t oy = oy0; oy < oy1; oy++) {
        const int64_t top = (int64_t)(oy * j->stride_h) - p->pad_top;
        int64_t lo = top > done + 1 ? top : done + 1;
        if (lo < 0) lo = 0;
        int64_t hi = top + (int64_t)((j->kh - 1) * j->dilation_h);
        if (hi > done) { /* new rows needed: those of the next `burst` output rows at once */
            const size_t last = oy + (size_t)p->burst - 1 < oy1 - 1 ? oy + (size_t)p->burst - 1 : oy1 - 1;
            hi = (int64_t)(last * j->stride_h) - p->pad_top + (int64_t)((j->kh - 1) * j->dilation_h);
        }
        if (hi > (int64_t)j->in_h - 1) hi = (int64_t)j->in_h - 1;
        const uint64_t t0 = j->timed ? profile_now_ns() : 0;
        for (int64_t r = lo; r <= hi;) {
            /* Rows that follow each other in the ring are one product (fewer short tiles). */
            const size_t slot = (size_t)r % ring_rows;
            size_t rows = (size_t)(hi - r + 1);
            if (rows > ring_rows - slot) rows = ring_rows - slot;
            gemm_f32_rows(j->uk, rows * j->in_w, j->channels, j->depth, x + (size_t)r * j->in_w * j->depth, j->depth,
                          j->expand_w, ring + slot * row_floats, j->channels, &j->expand_clamp);
            r += (int64_t)rows;
        }
        if (hi > done) done = hi;
        const uint64_t t1 = j->timed ? profile_now_ns() : 0;
        /* The window's pointers into the ring for this output row (a division per tap
         * row, not per pointer). */
        const float *rows[MOTE_DW_MAX_TAPS];
        for (size_t fy = 0; fy < j->kh; fy++) {
            const int64_t iy = top + (int64_t)(fy * j->dilation_h);
            rows[fy] = iy >= 0 && iy < (int64_t)j->in_h ? ring + (size_t)iy % ring_rows * row_floats : NULL;
        }
        for (size_t ox = 0; ox < j->out_w; ox++) {
            const int64_t left = (int64_t)(ox * j->stride_w) - p->pad_left;
            const float **pix = ind + ox * taps;
            for (size_t fy = 0; fy < j->kh; fy++) {
                for (size_t fx = 0; fx < j->kw; fx++) {
                    const int64_t ix = left + (int64_t)(fx * j->dilation_w);
                    pix[fy * j->kw + fx] = rows[fy] && ix >= 0 && ix < (int64_t)j->in_w
                                               ? rows[fy] + (size_t)ix * j->channels
                                               : j->zero;
                }
            }
        }
        p->dw(j->channels, j->out_w, taps, ind, taps, 0, j->zero, j->dw_w, y + oy * j->out_w * j->channels,
              &j->clamp);
        if (j->timed) {
            const uint64_t t2 = profile_now_ns();
            times[0] += t1 - t0;
            times[1] += t2 - t1;
        }
    }
}

mote_status depthwise_f32_expand_eval(mote_context *ctx, mote_node *node) {
    const depthwise_data *d = node->data;
    const conv_f32_plan *p = &d->f32opt;
    subgraph *sg = &ctx->subgraphs[node->subgraph];
    mote_node *conv = &sg->nodes[p->expand_node];
    const conv2d_data *cd = conv->data;
    const mote_tensor *out = kernel_output(ctx, node, 0);
    const mote_tensor *filter = kernel_input(ctx, node, DEPTHWISE_IN_FILTER);
    const mote_tensor *x = kernel_tensor(ctx, conv, conv->inputs[0]);
    void *expand_w, *dw_w, *zero, *scratch;
    mote_status st;
    if ((st = mote_node_persistent(ctx, conv, cd->f32opt.packed_index, &expand_w)) ||
        (st = mote_node_persistent(ctx, node, p->packed_index, &dw_w)) ||
        (st = mote_node_persistent(ctx, node, p->zero_index, &zero)) ||
        (st = mote_node_scratch(ctx, node, p->expand_scratch, &scratch)))
        return kernel_fail(ctx, node, st, "buffer missing");
    expand_job j = {.p = p, .uk = cd->f32opt.uk, .x = KERNEL_DATA(x, const float), .expand_w = expand_w,
                    .dw_w = dw_w, .zero = zero, .y = KERNEL_DATA(out, float), .scratch = scratch,
                    .in_h = (size_t)p->in_h, .in_w = (size_t)p->in_w, .depth = (size_t)p->expand_depth,
                    .channels = (size_t)p->in_c, .out_h = (size_t)out->dims[1], .out_w = (size_t)out->dims[2],
                    .kh = (size_t)filter->dims[1], .kw = (size_t)filter->dims[2], .stride_h = (size_t)d->stride_h,
                    .stride_w = (size_t)d->stride_w, .dilation_h = (size_t)d->dilation_h,
                    .dilation_w = (size_t)d->dilation_w, .timed = sg->profile != NULL};
    kernel_activation_range_f32(cd->activation, &j.expand_clamp.min, &j.expand_clamp.max);
    kernel_activation_range_f32(d->activation, &j.clamp.min, &j.clamp.max);
    const size_t threads = (size_t)kernel_threads(ctx), batches = (size_t)out->dims[0];
    j.runs = threads < j.out_h ? threads : j.out_h;
    j.run_rows = (j.out_h + j.runs - 1) / j.runs;
    j.runs = (j.out_h + j.run_rows - 1) / j.run_rows;
    for (size_t t = 0; t < threads; t++) memset((uint8_t *)scratch + t * p->thread_bytes + p->times_at, 0, 16);
    const uint64_t start = j.timed ? profile_now_ns() : 0;
    kernel_parallel_for(ctx, (int32_t)(batches * j.runs), expand_task, &j);
    if (j.timed) {
        /* Share the node's time between the two operators as their phases took it. */
        uint64_t phase[2] = {0, 0};
        for (size_t t = 0; t < threads; t++) {
            uint64_t v[2];
            memcpy(v, (uint8_t *)scratch + t * p->thread_bytes + p->times_at, sizeof v);
            phase[0] += v[0];
            phase[1] += v[1];
        }
        const uint64_t wall = profile_now_ns() - start;
        const uint64_t share =
            phase[0] + phase[1] ? (uint64_t)((double)wall * (double)phase[0] / (double)(phase[0] + phase[1])) : 0;
        profile_move_ns(sg, node->index, conv->index, share);
    }
    return MOTE_OK;
}
