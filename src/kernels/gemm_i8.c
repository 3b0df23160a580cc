/* gemm_i8.c — the int8/uint8 matrix product engine of the optimized CONV_2D and
 * FULLY_CONNECTED paths: choice of microkernel, weight packing, activation panels (im2col),
 * the split over threads, and the portable C microkernel (see gemm_i8.h for the layouts and
 * why the result is exact). */
#include "kernels/gemm_i8.h"

#include "core/alloc.h"
#include "core/cpu.h"

/* Most rows of one task's panel; fewer when the depth is large, so a panel stays near 64 KiB. */
#define GEMM_I8_MC_MAX 96
#define GEMM_I8_PANEL_TARGET (64 * 1024)

gemm_i8_isa gemm_i8_pick_isa(void) {
#if defined(__x86_64__)
    uint32_t f = cpu_features();
    if ((f & CPU_X86_AVX512) && (f & CPU_X86_AVX512_VNNI)) return GEMM_I8_AVX512VNNI;
    if (f & CPU_X86_AVX2) return GEMM_I8_AVX2;
#elif defined(__aarch64__)
    uint32_t f = cpu_features();
    if ((f & CPU_ARM_NEON) && (f & CPU_ARM_DOTPROD)) return GEMM_I8_NEONDOT;
    if (f & CPU_ARM_NEON) return GEMM_I8_NEON;
#endif
    return GEMM_I8_SCALAR;
}

static size_t round_up(size_t v, size_t to) { return (v + to - 1) / to * to; }

mote_status gemm_i8_plan_prepare(mote_context *ctx, mote_node *node, gemm_i8_plan *plan, int32_t channels,
                                 int32_t k, mote_type x_type, int32_t x_zero, mote_type w_type, int32_t w_zero,
                                 const conv_quant *q, int out32, int64_t max_rows) {
    memset(plan, 0, sizeof *plan);
    if (!kernel_use_optimized(ctx) || node->reprepare || channels <= 0 || k <= 0 || q->wide) return MOTE_OK;
    if ((x_type != MOTE_INT8 && x_type != MOTE_UINT8) || (w_type != MOTE_INT8 && w_type != MOTE_UINT8))
        return MOTE_OK;
    /* The 64-bit rounding of the VNNI path assumes multipliers >= 0 (always so for positive
     * scales); anything else stays with the reference. */
    if (!out32)
        for (int32_t c = 0; c < channels; c++)
            if (q->multipliers[c] < 0 || q->shifts[c] < -31 || q->shifts[c] > 30) return MOTE_OK;
    gemm_i8_isa isa = gemm_i8_pick_isa();
    plan->n = channels;
    plan->k = k;
    plan->x_unsigned = x_type == MOTE_UINT8;
    plan->w_unsigned = w_type == MOTE_UINT8;
    plan->x_zero = x_zero;
    plan->w_zero = w_zero;
    size_t elem; /* bytes per panel element */
    if (gemm_i8_byte_layout(isa)) {
        plan->kp = (int32_t)round_up((size_t)k, 4);
        plan->group = 16;
        plan->group_bytes = sizeof(gemm_i8_rq16) + (size_t)plan->kp * 16;
        plan->mr = isa == GEMM_I8_NEONDOT ? GEMM_I8_NEONDOT_MR : GEMM_I8_VNNI_MR;
        plan->nv = isa == GEMM_I8_NEONDOT ? GEMM_I8_NEONDOT_NV : GEMM_I8_VNNI_NV;
        plan->a_flip = plan->x_unsigned ? 0 : 0x80;
        plan->a_pad = (uint8_t)(plan->x_unsigned ? x_zero : x_zero + 128);
        if (isa == GEMM_I8_NEONDOT) plan->a_flip ^= 0x80, plan->a_pad ^= 0x80; /* signed activations */
        plan->zv = plan->w_unsigned ? w_zero - 128 : w_zero;
        elem = 1;
    } else {
        plan->kp = (int32_t)round_up((size_t)k, 2);
        plan->group = 8;
        plan->group_bytes = sizeof(gemm_i8_rq8) + (size_t)plan->kp * 16;
        plan->mr = isa == GEMM_I8_AVX2 ? GEMM_I8_AVX2_MR : isa == GEMM_I8_NEON ? GEMM_I8_NEON_MR : 4;
        plan->nv = isa == GEMM_I8_AVX2 ? GEMM_I8_AVX2_NV : isa == GEMM_I8_NEON ? GEMM_I8_NEON_NV : 1;
        elem = 2;
    }
    plan->groups = (int32_t)(((size_t)channels + (size_t)plan->group - 1) / (size_t)plan->group);
    plan->a_stride = round_up((size_t)plan->kp * elem, 64);
    /* Rows per task: up to GEMM_I8_MC_MAX, fewer for deep products, never more than needed. */
    size_t mc = GEMM_I8_PANEL_TARGET / plan->a_stride;
    if (mc > GEMM_I8_MC_MAX) mc = GEMM_I8_MC_MAX;
    if (max_rows > 0 && (size_t)max_rows < mc) mc = (size_t)max_rows;
    mc = round_up(mc ? mc : 1, (size_t)plan->mr);
    plan->mc = (int32_t)mc;
    size_t bytes = mc * plan->a_stride + round_up(mc * sizeof(int32_t), 64);
    if (out32) bytes += mc * (size_t)plan->groups * (size_t)plan->group * sizeof(int32_t);
    plan->thread_bytes = round_up(bytes, 64);
    plan->out.zero_point = q->output_offset;
    plan->out.act_min = q->act_min;
    plan->out.act_max = q->act_max;
    plan->out.out32 = out32;

    size_t packed, scratch;
    if (mote_mul_size((size_t)plan->groups, plan->group_bytes, &packed) ||
        mote_mul_size(plan->thread_bytes, (size_t)kernel_threads(ctx), &scratch))
        return kernel_fail(ctx, node, MOTE_ERROR_LIMIT, "packed weights too large");
    mote_status st;
    if ((st = mote_node_request_persistent(ctx, node, packed, &plan->persistent)) ||
        (st = mote_node_request_scratch(ctx, node, scratch, &plan->scratch)))
        return kernel_fail(ctx, node, st, "cannot reserve memory for packed weights");
    plan->isa = isa;
    return MOTE_OK;
}

void gemm_i8_rq16_set(gemm_i8_rq16 *p, int32_t c, int32_t colterm, int32_t mult, int32_t shift) {
    const int r = shift < 0 ? -shift : 0;
    const int64_t add = (INT64_C(1) << 30) + (r > 0 ? (INT64_C(1) << (30 + r)) : 0);
    const int64_t fix = r > 0 ? (INT64_C(1) << 31) : 0;
    p->colterm[c] = colterm;
    p->left[c] = shift > 0 ? shift : 0;
    p->mult[c] = mult;
    if (c % 2 == 0) {
        p->add_even[c / 2] = add, p->fix_even[c / 2] = fix, p->shift_even[c / 2] = 31 + r;
    } else {
        p->mult_odd[c / 2] = mult;
        p->add_odd[c / 2] = add, p->fix_odd[c / 2] = fix, p->shift_odd[c / 2] = 31 + r;
    }
}

void gemm_i8_rq8_set(gemm_i8_rq8 *p, int32_t c, int32_t colterm, int32_t mult, int32_t shift) {
    p->colterm[c] = colterm;
    p->left[c] = shift > 0 ? shift : 0;
    p->mult[c] = mult;
    p->right[c] = shift < 0 ? -shift : 0;
    p->mask[c] = (int32_t)((INT64_C(1) << p->right[c]) - 1);
    p->half[c] = p->mask[c] >> 1;
}

mote_status gemm_i8_plan_pack(mote_context *ctx, const mote_node *node, const gemm_i8_plan *plan,
                              const uint8_t *w, const int32_t *bias, const conv_quant *q) {
    if (plan->isa == GEMM_I8_NONE) return MOTE_OK;
    void *mem;
    mote_status st = mote_node_persistent(ctx, node, plan->persistent, &mem);
    if (st) return kernel_fail(ctx, node, st, "packed weights missing");
    uint8_t *packed = mem;
    const int32_t n = plan->n, k = plan->k, kp = plan->kp, group = plan->group;
    const int out32 = plan->out.out32;
    memset(packed, 0, (size_t)plan->groups * plan->group_bytes);
    for (int32_t g = 0; g < plan->groups; g++) {
        uint8_t *base = packed + (size_t)g * plan->group_bytes;
        for (int32_t c = 0; c < group; c++) {
            const int32_t o = g * group + c;
            if (o >= n) break;
            const uint8_t *row = w + (size_t)o * (size_t)k;
            const int32_t b = bias ? bias[o] : 0;
            const int32_t mult = out32 ? 0 : q->multipliers[o], shift = out32 ? 0 : q->shifts[o];
            if (gemm_i8_byte_layout(plan->isa)) {
                gemm_i8_rq16 *p = (gemm_i8_rq16 *)(void *)base;
                int8_t *wb = (int8_t *)(base + sizeof *p);
                const uint8_t wflip = plan->w_unsigned ? 0x80 : 0;
                const int32_t zu = (plan->x_unsigned ? plan->x_zero : plan->x_zero + 128) -
                                   (plan->isa == GEMM_I8_NEONDOT ? 128 : 0); /* za for SDOT */
                int64_t colsum = 0;
                for (int32_t i = 0; i < k; i++) {
                    const int8_t v = (int8_t)(row[i] ^ wflip);
                    colsum += v;
                    wb[(size_t)(i / 4) * 64 + (size_t)c * 4 + (size_t)(i % 4)] = v;
                }
                int32_t term = quant_wrap_sub_i32(b, quant_wrap_mul_i32(zu, quant_wrap_i32(colsum)));
                term = quant_wrap_add_i32(term, quant_wrap_mul_i32(quant_wrap_mul_i32(k, zu), plan->zv));
                gemm_i8_rq16_set(p, c, term, mult, shift);
            } else {
                gemm_i8_rq8 *p = (gemm_i8_rq8 *)(void *)base;
                int16_t *wb = (int16_t *)(void *)(base + sizeof *p);
                for (int32_t i = 0; i < k; i++) {
                    const int32_t v = (plan->w_unsigned ? (int32_t)row[i] : (int32_t)(int8_t)row[i]) - plan->w_zero;
                    wb[(size_t)(i / 2) * 16 + (size_t)c * 2 + (size_t)(i % 2)] = (int16_t)v;
                }
                gemm_i8_rq8_set(p, c, b, mult, shift);
            }
        }
        /* Columns past n: zero weights and constants (their results are never stored). */
        if (gemm_i8_byte_layout(plan->isa))
            for (int32_t c = n - g * group; c < group; c++)
                if (c >= 0) gemm_i8_rq16_set((gemm_i8_rq16 *)(void *)base, c, 0, 0, 0);
    }
    (void)kp;
    return MOTE_OK;
}

/* ---- the portable C microkernel (I16 layout, one group of 8 columns per call) ---- */

static void gemm_i8_tile__scalar(const gemm_i8_tile *t) {
    const gemm_i8_out *o = t->out;
    for (int32_t j = 0; j < t->nv; j++) {
        const uint8_t *base = t->w + (size_t)j * t->w_stride;
        const gemm_i8_rq8 *p = (const gemm_i8_rq8 *)(const void *)base;
        const int16_t *wb = (const int16_t *)(const void *)(base + sizeof *p);
        const int32_t cols = t->nc - j * 8 < 8 ? t->nc - j * 8 : 8;
        for (int32_t r = 0; r < t->mr; r++) {
            const int16_t *a = (const int16_t *)(const void *)((const uint8_t *)t->a + (size_t)r * t->a_stride);
            for (int32_t c = 0; c < cols; c++) {
                int64_t sum = 0;
                for (int32_t i = 0; i < t->kp; i++) sum += (int32_t)a[i] * wb[(size_t)(i / 2) * 16 + (size_t)c * 2 + (size_t)(i % 2)];
                int32_t acc = quant_wrap_add_i32(quant_wrap_i32(sum), p->colterm[c]);
                if (t->row_corr) acc = quant_wrap_add_i32(acc, t->row_corr[r]);
                uint8_t *crow = (uint8_t *)t->c + (size_t)r * t->c_stride;
                if (o->out32) {
                    memcpy(crow + ((size_t)j * 8 + (size_t)c) * sizeof acc, &acc, sizeof acc);
                } else {
                    int32_t v = gemm_i8_requant_ref(acc, p->mult[c], p->left[c] - p->right[c], o);
                    crow[(size_t)j * 8 + (size_t)c] = (uint8_t)v;
                }
            }
        }
    }
}

/* ---- activation panels ---- */

static inline void xor_copy(gemm_i8_isa isa, uint8_t *dst, const uint8_t *src, size_t n, uint8_t flip) {
    if (n < 32) { /* a call costs more than these few bytes */
        for (size_t i = 0; i < n; i++) dst[i] = src[i] ^ flip;
        return;
    }
#if defined(__x86_64__)
    if (isa == GEMM_I8_AVX512VNNI) {
        gemm_i8_xor_copy__avx512vnni(dst, src, n, flip);
        return;
    }
#endif
    (void)isa;
    for (size_t i = 0; i < n; i++) dst[i] = src[i] ^ flip;
}

static void widen(gemm_i8_isa isa, int16_t *dst, const uint8_t *src, size_t n, int is_unsigned, int32_t zero) {
#if defined(__x86_64__)
    if (isa == GEMM_I8_AVX2) {
        gemm_i8_widen__avx2(dst, src, n, is_unsigned, zero);
        return;
    }
#elif defined(__aarch64__)
    if (isa == GEMM_I8_NEON) {
        gemm_i8_widen__neon(dst, src, n, is_unsigned, zero);
        return;
    }
#endif
    (void)isa;
    if (is_unsigned)
        for (size_t i = 0; i < n; i++) dst[i] = (int16_t)((int32_t)src[i] - zero);
    else
        for (size_t i = 0; i < n; i++) dst[i] = (int16_t)((int32_t)(int8_t)src[i] - zero);
}

/* sum of (src[i] ^ flip) over n bytes, wrapped to 32 bits. */
static uint32_t row_sum(gemm_i8_isa isa, const uint8_t *src, size_t n, uint8_t flip) {
#if defined(__x86_64__)
    if (isa == GEMM_I8_AVX512VNNI) return gemm_i8_row_sum__avx512vnni(src, n, flip);
#endif
    (void)isa;
    uint32_t sum = 0;
    for (size_t i = 0; i < n; i++) sum += (uint32_t)(src[i] ^ flip);
    return sum;
}

/* Fills panel rows [0, rows) with output rows [m0, m0 + rows): the window of each output
 * pixel, taps outside the input read as the input zero point, depth padded with zeros; and,
 * when the VNNI layout needs them, the row corrections -zv * rowsum(u). */
static void pack_panel(const gemm_i8_plan *p, const gemm_i8_geometry *g, const uint8_t *x, int32_t m0,
                       int32_t rows, uint8_t *panel, int32_t *row_corr) {
    const int vnni = gemm_i8_byte_layout(p->isa);
    const size_t in_c = (size_t)g->in_c;
    const int direct = g->kh == 1 && g->kw == 1 && g->stride_h == 1 && g->stride_w == 1 && g->pad_h == 0 &&
                       g->pad_w == 0 && g->out_h == g->in_h && g->out_w == g->in_w;
    int32_t ox = 0, oy = 0, b = 0; /* output pixel of row i (not used when direct) */
    if (!direct) {
        const int32_t rest = m0 / g->out_w;
        ox = m0 % g->out_w, oy = rest % g->out_h, b = rest / g->out_h;
    }
    const size_t window_row = (size_t)g->kw * in_c; /* bytes of one kernel row's taps */
    const uint8_t *const x_end = x + (size_t)g->batches * (size_t)g->in_h * (size_t)g->in_w * in_c;
    const uint64_t flip8 = (uint64_t)p->a_flip * UINT64_C(0x0101010101010101);
    for (int32_t i = 0; i < rows; i++) {
        const int32_t m = m0 + i;
        uint8_t *dst = panel + (size_t)i * p->a_stride;
        if (!direct && i > 0 && ++ox == g->out_w) {
            ox = 0;
            if (++oy == g->out_h) oy = 0, b++;
        }
        if (direct) {
            const uint8_t *src = x + (size_t)m * in_c;
            if (vnni)
                xor_copy(p->isa, dst, src, in_c, p->a_flip);
            else
                widen(p->isa, (int16_t *)(void *)dst, src, in_c, p->x_unsigned, p->x_zero);
        } else {
            size_t at = 0;
            const int32_t ix0 = ox * g->stride_w - g->pad_w;
            const int row_inside = g->dilation_w == 1 && ix0 >= 0 && ix0 + g->kw <= g->in_w;
            for (int32_t fy = 0; fy < g->kh; fy++) {
                const int32_t iy = oy * g->stride_h - g->pad_h + fy * g->dilation_h;
                if (vnni && (iy < 0 || iy >= g->in_h)) { /* the whole kernel row is padding */
                    memset(dst + at, p->a_pad, window_row);
                    at += window_row;
                    continue;
                }
                if (vnni && row_inside) { /* the kernel row's taps are contiguous in the input */
                    const uint8_t *src = x + (((size_t)b * (size_t)g->in_h + (size_t)iy) * (size_t)g->in_w + (size_t)ix0) * in_c;
                    if (window_row <= 16 && src + 16 <= x_end && at + 16 <= p->a_stride) {
                        /* Few bytes (the first layer of image models): 16 at once; the extra
                         * ones are overwritten by the next kernel row or the depth padding, or
                         * lie past the depth. */
                        uint64_t lo, hi;
                        memcpy(&lo, src, 8);
                        memcpy(&hi, src + 8, 8);
                        lo ^= flip8, hi ^= flip8;
                        memcpy(dst + at, &lo, 8);
                        memcpy(dst + at + 8, &hi, 8);
                    } else {
                        xor_copy(p->isa, dst + at, src, window_row, p->a_flip);
                    }
                    at += window_row;
                    continue;
                }
                for (int32_t fx = 0; fx < g->kw; fx++, at += in_c) {
                    const int32_t ix = ox * g->stride_w - g->pad_w + fx * g->dilation_w;
                    const int inside = iy >= 0 && iy < g->in_h && ix >= 0 && ix < g->in_w;
                    /* Only inside the input: a padding position must not form a pointer outside x. */
                    const uint8_t *src =
                        inside ? x + (((size_t)b * (size_t)g->in_h + (size_t)iy) * (size_t)g->in_w + (size_t)ix) * in_c : x;
                    if (vnni) {
                        if (inside)
                            xor_copy(p->isa, dst + at, src, in_c, p->a_flip);
                        else
                            memset(dst + at, p->a_pad, in_c);
                    } else {
                        int16_t *d16 = (int16_t *)(void *)dst + at;
                        if (inside)
                            widen(p->isa, d16, src, in_c, p->x_unsigned, p->x_zero);
                        else
                            memset(d16, 0, in_c * sizeof *d16);
                    }
                }
            }
        }
        const size_t pad = (size_t)(p->kp - p->k);
        if (pad) memset(dst + (size_t)p->k * (vnni ? 1 : 2), 0, pad * (vnni ? 1 : 2));
        if (vnni && p->zv) {
            uint32_t sum = 0;
            if (p->isa == GEMM_I8_NEONDOT) /* signed activations */
                for (int32_t c = 0; c < p->k; c++) sum += (uint32_t)(int32_t)(int8_t)dst[c];
            else
                sum = row_sum(p->isa, dst, (size_t)p->k, 0);
            row_corr[i] = quant_wrap_mul_i32(-p->zv, (int32_t)sum);
        }
    }
}

/* ---- the split over threads ---- */

typedef struct gemm_i8_run {
    const gemm_i8_plan *p;
    const gemm_i8_geometry *g;
    const uint8_t *x;
    uint8_t *y;
    const uint8_t *packed;
    uint8_t *scratch;
    gemm_i8_tile_fn tile;
    int32_t m, mc, m_tasks, n_tasks, groups_per_task;
    int32_t no_panel; /* VNNI, 1x1 stride 1, depth a multiple of 4: rows read from x */
    gemm_i8_epilogue_fn epilogue;
    const void *arg;
} gemm_i8_run;

static void gemm_i8_task(void *arg, int32_t task, int32_t thread) {
    const gemm_i8_run *r = arg;
    const gemm_i8_plan *p = r->p;
    const int32_t mt = task / r->n_tasks, nt = task % r->n_tasks;
    const int32_t m0 = mt * r->mc, rows = r->m - m0 < r->mc ? r->m - m0 : r->mc;
    const int32_t g0 = nt * r->groups_per_task;
    const int32_t g1 = g0 + r->groups_per_task < p->groups ? g0 + r->groups_per_task : p->groups;
    if (rows <= 0 || g0 >= g1) return;
    uint8_t *scratch = r->scratch + (size_t)thread * p->thread_bytes;
    uint8_t *panel = scratch;
    int32_t *row_corr = (int32_t *)(void *)(scratch + (size_t)p->mc * p->a_stride);
    int32_t *acc = (int32_t *)(void *)(scratch + (size_t)p->mc * p->a_stride + round_up((size_t)p->mc * 4, 64));
    if (!r->no_panel) {
        pack_panel(p, r->g, r->x, m0, rows, panel, row_corr);
    } else if (p->zv) { /* rows read from x: their corrections -zv * rowsum(u) */
        for (int32_t i = 0; i < rows; i++)
            row_corr[i] = quant_wrap_mul_i32(
                -p->zv, (int32_t)row_sum(p->isa, r->x + (size_t)(m0 + i) * (size_t)p->k, (size_t)p->k, p->a_flip));
    }

    const int32_t cols0 = g0 * p->group;
    const int32_t cols = (g1 * p->group < p->n ? g1 * p->group : p->n) - cols0;
    const size_t acc_stride = (size_t)(g1 - g0) * (size_t)p->group; /* int32 elements */
    gemm_i8_tile t;
    t.kp = p->kp;
    t.a_stride = r->no_panel ? (size_t)p->k : p->a_stride;
    t.a_xor = r->no_panel ? (uint32_t)p->a_flip * 0x01010101u : 0;
    t.w_stride = p->group_bytes;
    t.out = &p->out;
    t.c_stride = p->out.out32 ? acc_stride * sizeof(int32_t) : (size_t)p->n;
    for (int32_t g = g0; g < g1; g += p->nv) {
        t.nv = g1 - g < p->nv ? g1 - g : p->nv;
        const int32_t c0 = g * p->group;
        t.nc = (p->n - c0 < t.nv * p->group ? p->n - c0 : t.nv * p->group);
        t.w = r->packed + (size_t)g * p->group_bytes;
        for (int32_t i = 0; i < rows; i += p->mr) {
            t.mr = rows - i < p->mr ? rows - i : p->mr;
            t.a = r->no_panel ? (const void *)(r->x + (size_t)(m0 + i) * (size_t)p->k) : (const void *)(panel + (size_t)i * p->a_stride);
            t.row_corr = p->zv && gemm_i8_byte_layout(p->isa) ? row_corr + i : NULL;
            if (p->out.out32)
                t.c = acc + (size_t)i * acc_stride + (size_t)(c0 - cols0);
            else
                t.c = r->y + (size_t)(m0 + i) * (size_t)p->n + (size_t)c0;
            r->tile(&t);
        }
    }
    if (p->out.out32 && r->epilogue) r->epilogue(r->arg, m0, rows, cols0, cols, acc, acc_stride);
}

mote_status gemm_i8_plan_run(mote_context *ctx, const mote_node *node, const gemm_i8_plan *p,
                             const gemm_i8_geometry *g, const uint8_t *x, uint8_t *y,
                             gemm_i8_epilogue_fn epilogue, const void *arg) {
    void *packed, *scratch;
    mote_status st;
    if ((st = mote_node_persistent(ctx, node, p->persistent, &packed)) ||
        (st = mote_node_scratch(ctx, node, p->scratch, &scratch)))
        return kernel_fail(ctx, node, st, "packed weights missing");
    gemm_i8_run r = {.p = p, .g = g, .x = x, .y = y, .packed = packed, .scratch = scratch,
                     .epilogue = epilogue, .arg = arg};
    switch (p->isa) {
#if defined(__x86_64__)
    case GEMM_I8_AVX512VNNI: r.tile = gemm_i8_tile__avx512vnni; break;
    case GEMM_I8_AVX2: r.tile = gemm_i8_tile__avx2; break;
#elif defined(__aarch64__)
    case GEMM_I8_NEON: r.tile = gemm_i8_tile__neon; break;
    case GEMM_I8_NEONDOT: r.tile = gemm_i8_tile__neondot; break;
#endif
    default: r.tile = gemm_i8_tile__scalar; break;
    }
    const int64_t m64 = (int64_t)g->batches * g->out_h * g->out_w;
    if (m64 <= 0) return MOTE_OK;
    if (m64 > INT32_MAX) return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED, "too many output rows");
    r.m = (int32_t)m64;
    r.no_panel = p->isa == GEMM_I8_AVX512VNNI && p->k % 4 == 0 && g->kh == 1 && g->kw == 1 &&
                 g->stride_h == 1 && g->stride_w == 1 && g->pad_h == 0 && g->pad_w == 0 && g->out_h == g->in_h &&
                 g->out_w == g->in_w && g->in_c == p->k;
    /* Rows per task: the planned panel height; with several threads, smaller, so that each
     * thread gets about four tasks; then columns are split too when rows are few. */
    const int32_t threads = kernel_threads(ctx);
    int32_t mc = p->mc;
    if (threads > 1)
        while (mc > p->mr && (r.m + mc - 1) / mc < 4 * threads) mc = (int32_t)round_up((size_t)mc / 2, (size_t)p->mr);
    r.mc = mc;
    r.m_tasks = (r.m + mc - 1) / mc;
    r.n_tasks = 1;
    r.groups_per_task = p->groups;
    if (threads > 1 && r.m_tasks < 4 * threads) {
        int32_t want = (4 * threads + r.m_tasks - 1) / r.m_tasks;
        int32_t per = (p->groups + want - 1) / want;
        per = (int32_t)round_up((size_t)per, (size_t)p->nv);
        if (per < p->groups) {
            r.groups_per_task = per;
            r.n_tasks = (p->groups + per - 1) / per;
        }
    }
    kernel_parallel_for(ctx, r.m_tasks * r.n_tasks, gemm_i8_task, &r);
    return MOTE_OK;
}

