/* gemm_f32.c — the float32 microkernel configuration per CPU, the portable (C) microkernels,
 * weight packing, and the threaded GEMM/IGEMM drivers (layouts in gemm_f32.h). */
#include "kernels/gemm_f32.h"

#include "core/cpu.h"
#if defined(__x86_64__)
#include "kernels/x86/gemm_f32_x86.h"
#endif
#if defined(__aarch64__)
#include "kernels/arm/gemm_f32_arm.h"
#endif

/* ---- portable microkernels: plain C, any architecture ---- */

static void gemm_scalar(size_t MR, size_t NR, size_t mr, size_t nc, size_t kc, size_t ks, const float *const *ind,
                        const float *a, size_t a_stride, const float *w, float *c, size_t c_stride,
                        size_t a_offset, const float *zero, const mote_f32_minmax *params) {
    for (;;) {
        float acc[4][8];
        for (size_t i = 0; i < MR; i++)
            for (size_t j = 0; j < NR; j++) acc[i][j] = w[j];
        w += NR;
        for (size_t t = 0; t < ks; t++) {
            const float *ap[4];
            for (size_t i = 0; i < MR; i++) {
                const size_t row = i < mr ? i : mr - 1;
                if (ind) {
                    ap[i] = ind[t * MR + i];
                    if (ap[i] != zero) ap[i] += a_offset;
                } else {
                    ap[i] = a + row * a_stride;
                }
            }
            for (size_t k = 0; k < kc; k++) {
                for (size_t i = 0; i < MR; i++) {
                    const float x = ap[i][k];
                    for (size_t j = 0; j < NR; j++) acc[i][j] += x * w[j];
                }
                w += NR;
            }
        }
        const size_t cols = nc < NR ? nc : NR;
        for (size_t i = 0; i < mr; i++)
            for (size_t j = 0; j < cols; j++) c[i * c_stride + j] = kernel_clamp_f32(acc[i][j], params->min, params->max);
        if (nc <= NR) return;
        nc -= NR;
        c += NR;
    }
}

void mote_f32_gemm_minmax_4x8__scalar(size_t mr, size_t nc, size_t kc, const float *a, size_t a_stride,
                                      const float *w, float *c, size_t c_stride, const mote_f32_minmax *params) {
    gemm_scalar(4, 8, mr, nc, kc, 1, NULL, a, a_stride, w, c, c_stride, 0, NULL, params);
}
void mote_f32_igemm_minmax_4x8__scalar(size_t mr, size_t nc, size_t kc, size_t ks, const float *const *a,
                                       const float *w, float *c, size_t c_stride, size_t a_offset,
                                       const float *zero, const mote_f32_minmax *params) {
    gemm_scalar(4, 8, mr, nc, kc, ks, a, NULL, 0, w, c, c_stride, a_offset, zero, params);
}
void mote_f32_gemm_minmax_1x8__scalar(size_t mr, size_t nc, size_t kc, const float *a, size_t a_stride,
                                      const float *w, float *c, size_t c_stride, const mote_f32_minmax *params) {
    gemm_scalar(1, 8, mr, nc, kc, 1, NULL, a, a_stride, w, c, c_stride, 0, NULL, params);
}
void mote_f32_igemm_minmax_1x8__scalar(size_t mr, size_t nc, size_t kc, size_t ks, const float *const *a,
                                       const float *w, float *c, size_t c_stride, size_t a_offset,
                                       const float *zero, const mote_f32_minmax *params) {
    gemm_scalar(1, 8, mr, nc, kc, ks, a, NULL, 0, w, c, c_stride, a_offset, zero, params);
}

void mote_f32_dwconv_minmax_up4c__scalar(size_t channels, size_t width, size_t taps, const float *const *input,
                                         size_t input_step, size_t input_offset, const float *zero,
                                         const float *weights, float *output, const mote_f32_minmax *params) {
    const size_t block = 4 * (taps + 1);
    for (size_t p = 0; p < width; p++) {
        const float *const *src = input + p * input_step;
        const float *wb = weights;
        for (size_t c0 = 0; c0 < channels; c0 += 4) {
            float acc[4];
            for (size_t j = 0; j < 4; j++) acc[j] = wb[j];
            const size_t n = channels - c0 < 4 ? channels - c0 : 4;
            for (size_t t = 0; t < taps; t++) {
                const float *in = src[t] != zero ? src[t] + input_offset : zero;
                for (size_t j = 0; j < n; j++) acc[j] += in[c0 + j] * wb[4 * (t + 1) + j];
            }
            for (size_t j = 0; j < n; j++) output[c0 + j] = kernel_clamp_f32(acc[j], params->min, params->max);
            wb += block;
        }
        output += channels;
    }
}

/* ---- configurations ---- */

#define UKERNEL_TAIL(MR, NR, ISA, TAIL)                                                                       \
    {MR, NR, mote_f32_gemm_minmax_##MR##x##NR##__##ISA, mote_f32_igemm_minmax_##MR##x##NR##__##ISA,        \
     #MR "x" #NR "__" #ISA, TAIL}
#define UKERNEL(MR, NR, ISA) UKERNEL_TAIL(MR, NR, ISA, NULL)

static const gemm_f32_ukernel scalar_1x8 = UKERNEL(1, 8, scalar);
static const gemm_f32_config config_scalar = {"scalar",
                                              UKERNEL_TAIL(4, 8, scalar, &scalar_1x8),
                                              UKERNEL_TAIL(4, 8, scalar, &scalar_1x8),
                                              UKERNEL_TAIL(4, 8, scalar, &scalar_1x8),
                                              UKERNEL_TAIL(4, 8, scalar, &scalar_1x8),
                                              UKERNEL(1, 8, scalar),
                                              4,
    mote_f32_dwconv_minmax_up4c__scalar, mote_f32_dwconv_minmax_up4c__scalar, mote_f32_dwconv_minmax_up4c__scalar};

#if defined(__x86_64__)
/* Tails: smaller tiles of the same width for a last tile of few rows. */
static const gemm_f32_ukernel avx2_1x16 = UKERNEL(1, 16, avx2_fma);
static const gemm_f32_ukernel avx512_1x32 = UKERNEL(1, 32, avx512f);
static const gemm_f32_ukernel avx512_4x32 = UKERNEL_TAIL(4, 32, avx512f, &avx512_1x32);
static const gemm_f32_ukernel avx512_1x16 = UKERNEL(1, 16, avx512f);

static const gemm_f32_config config_avx2 = {"avx2_fma",
                                            UKERNEL_TAIL(6, 16, avx2_fma, &avx2_1x16),
                                            UKERNEL_TAIL(6, 16, avx2_fma, &avx2_1x16),
                                            UKERNEL_TAIL(6, 16, avx2_fma, &avx2_1x16),
                                            UKERNEL(6, 8, avx2_fma),
                                            UKERNEL(1, 16, avx2_fma),
                                            8,
                                            mote_f32_dwconv_minmax_9p8c__avx2_fma,
                                            mote_f32_dwconv_minmax_25p8c__avx2_fma,
                                            mote_f32_dwconv_minmax_up64p8c__avx2_fma};
static const gemm_f32_config config_avx512 = {"avx512f",
                                              UKERNEL_TAIL(7, 32, avx512f, &avx512_4x32),
                                              UKERNEL_TAIL(8, 32, avx512f, &avx512_4x32),
                                              UKERNEL_TAIL(6, 32, avx512f, &avx512_4x32),
                                              UKERNEL_TAIL(7, 16, avx512f, &avx512_1x16),
                                              UKERNEL(1, 32, avx512f),
                                              16,
                                              mote_f32_dwconv_minmax_9p16c__avx512f,
                                              mote_f32_dwconv_minmax_25p16c__avx512f,
                                              mote_f32_dwconv_minmax_up64p16c__avx512f};
#endif

#if defined(__aarch64__)
/* NEON (src/kernels/arm/): 6x8 as XNNPACK picks for most AArch64 cores; 8x4 for layers of
 * at most 4 output channels; 1x16 for matrix-vector products. */
static const gemm_f32_config config_neon = {"neon",
                                            UKERNEL(6, 8, neon),
                                            UKERNEL(6, 8, neon),
                                            UKERNEL(6, 8, neon),
                                            UKERNEL(8, 4, neon),
                                            UKERNEL(1, 16, neon),
                                            8,
                                            mote_f32_dwconv_minmax_9p8c__neon,
                                            mote_f32_dwconv_minmax_25p8c__neon,
                                            mote_f32_dwconv_minmax_up64p8c__neon};
#endif

const gemm_f32_config *gemm_f32_config_for(uint32_t features) {
#if defined(__x86_64__)
    if (features & CPU_X86_AVX512) return &config_avx512;
    if (features & CPU_X86_AVX2) return &config_avx2;
#endif
#if defined(__aarch64__)
    if (features & CPU_ARM_NEON) return &config_neon;
#endif
    (void)features;
    return &config_scalar;
}

const gemm_f32_config *gemm_f32_config_get(void) { return gemm_f32_config_for(cpu_features()); }

/* Tiles were measured on an AVX-512 Xeon (Cascade Lake, MobileNet and transformer
 * shapes): 7x32 and 8x32 are the fastest tiles from a depth of about 48 up to 1024 and
 * beyond (14x32 spills its row pointers); 7 rows divide MobileNet's pixel counts (49 x 4^k),
 * 8 rows the transformers' sequence lengths. For depths of at most 32 the fixed cost of a
 * tile (bias, clamp, stores) weighs more and 6x32 wins. A layer with at most NR/2 output
 * channels wastes half of a wide tile: the narrow one is faster there. */
const gemm_f32_ukernel *gemm_f32_choose(const gemm_f32_config *cfg, size_t m, size_t n, size_t k) {
    if (m == 1) return &cfg->gemv;
    if (n <= cfg->narrow.nr) return &cfg->narrow;
    if (k <= 32) return &cfg->shallow;
    if (m % cfg->gemm.mr != 0 && m % cfg->gemm_alt.mr == 0) return &cfg->gemm_alt;
    return &cfg->gemm;
}

/* ---- packing ---- */

size_t gemm_f32_packed_floats(size_t n, size_t k, size_t nr) { return (n + nr - 1) / nr * nr * (k + 1); }

void gemm_f32_pack(size_t n, size_t k, size_t nr, const float *w, size_t n_step, size_t k_step, const float *bias,
                   float *packed) {
    for (size_t j0 = 0; j0 < n; j0 += nr) {
        const size_t cols = n - j0 < nr ? n - j0 : nr;
        for (size_t j = 0; j < nr; j++) packed[j] = j < cols && bias ? bias[j0 + j] : 0.0f;
        packed += nr;
        for (size_t kk = 0; kk < k; kk++) {
            const float *src = w + j0 * n_step + kk * k_step;
            for (size_t j = 0; j < cols; j++) packed[j] = src[j * n_step];
            for (size_t j = cols; j < nr; j++) packed[j] = 0.0f;
            packed += nr;
        }
    }
}

size_t dwconv_f32_packed_floats(size_t channels, size_t taps, size_t cb) {
    return (channels + cb - 1) / cb * cb * (taps + 1);
}

void dwconv_f32_pack(size_t channels, size_t taps, size_t cb, const float *w, const float *bias, float *packed) {
    for (size_t c0 = 0; c0 < channels; c0 += cb) {
        const size_t n = channels - c0 < cb ? channels - c0 : cb;
        for (size_t j = 0; j < cb; j++) packed[j] = j < n && bias ? bias[c0 + j] : 0.0f;
        packed += cb;
        for (size_t t = 0; t < taps; t++) {
            for (size_t j = 0; j < cb; j++) packed[j] = j < n ? w[t * channels + c0 + j] : 0.0f;
            packed += cb;
        }
    }
}

/* ---- drivers ---- */

/* The work of one GEMM-like call split into tiles of mt rows x nt columns: task
 * (b, i, j) covers rows [i * mt, ...) and columns [j * nt, ...) of batch b. */
typedef struct gemm_job {
    const gemm_f32_ukernel *uk;
    size_t m, n, k, ks;
    size_t mt, nt;            /* tile: rows (a multiple of MR), columns (a multiple of NR) */
    size_t m_tasks, n_tasks;  /* tiles per batch, over rows and columns */
    const float *a;
    size_t a_stride, a_batch;
    const float *const *ind;  /* IGEMM indirection, [m tiles of MR][ks][MR] */
    const float *zero;
    const float *packed;
    size_t packed_batch;
    size_t packed_panel;      /* floats per panel of NR columns */
    float *c;
    size_t c_stride, c_batch;
    mote_f32_minmax clamp;
} gemm_job;

/* Packed weights kept in L2 at a time (a quarter of a 1 MiB L2 leaves room for the rows of
 * A and C that pass through). */
#define GEMM_L2_WEIGHT_BYTES (256 * 1024)

static void gemm_task(void *arg, int32_t task, int32_t thread) {
    (void)thread;
    const gemm_job *j = arg;
    const size_t per_batch = j->m_tasks * j->n_tasks;
    const size_t b = (size_t)task / per_batch, r = (size_t)task % per_batch;
    const size_t ti = r / j->n_tasks, tj = r % j->n_tasks;
    const size_t mr = j->uk->mr, nr = j->uk->nr;
    const size_t m0 = ti * j->mt, m1 = m0 + j->mt < j->m ? m0 + j->mt : j->m;
    const size_t n0 = tj * j->nt, nc = j->n - n0 < j->nt ? j->n - n0 : j->nt;
    /* Column blocks whose packed weights stay in L2 while every row tile passes over them. */
    size_t nb = GEMM_L2_WEIGHT_BYTES / (j->packed_panel * sizeof(float)) * nr;
    if (nb < nr) nb = nr;
    for (size_t jb = 0; jb < nc; jb += nb) {
        const size_t cols = nc - jb < nb ? nc - jb : nb;
        const float *w = j->packed + b * j->packed_batch + (n0 + jb) / nr * j->packed_panel;
        float *c = j->c + b * j->c_batch + n0 + jb;
        for (size_t m = m0; m < m1; m += mr) {
            const size_t rows = m1 - m < mr ? m1 - m : mr;
            if (j->ind)
                j->uk->igemm(rows, cols, j->k, j->ks, j->ind + m / mr * j->ks * mr, w, c + m * j->c_stride,
                             j->c_stride, b * j->a_batch, j->zero, &j->clamp);
            else {
                /* A last tile of few rows: the smallest tile that covers them (the IGEMM's
                 * indirection is laid out for MR, so it keeps the main tile). */
                const gemm_f32_ukernel *uk = j->uk;
                while (uk->tail && uk->tail->mr >= rows) uk = uk->tail;
                uk->gemm(rows, cols, j->k, j->a + b * j->a_batch + m * j->a_stride, j->a_stride, w,
                         c + m * j->c_stride, j->c_stride, &j->clamp);
            }
        }
    }
}

/* Splits `primary` units (row tiles or column panels) into tasks, at most per_batch of
 * them, then `other` units into as many blocks as make up the rest of per_batch, with a
 * task count (over batches) the threads share evenly: the units per task of each. */
static void split_units(size_t primary, size_t other, size_t per_batch, size_t batches, size_t threads,
                        size_t *primary_per_task, size_t *other_per_task) {
    size_t p = per_batch < primary ? per_batch : primary;
    *primary_per_task = (primary + p - 1) / p;
    p = (primary + *primary_per_task - 1) / *primary_per_task; /* primary tasks there will be */
    size_t o = (per_batch + p - 1) / p;
    if (o > other) o = other;
    while (o < other && (batches * p * o) % threads != 0) o++;
    *other_per_task = (other + o - 1) / o;
}

/* Chooses the tiles: whole rows of tiles per task when there are enough of them for every
 * thread, else column blocks too. Several tasks per thread even out unequal threads. */
static void gemm_split(size_t threads, gemm_job *j, size_t batches) {
    const size_t mr = j->uk->mr, nr = j->uk->nr;
    const size_t m_tiles = (j->m + mr - 1) / mr, n_panels = (j->n + nr - 1) / nr;
    j->packed_panel = nr * (j->k * j->ks + 1);
    j->mt = m_tiles * mr;
    j->nt = n_panels * nr;
    j->m_tasks = j->n_tasks = 1;
    if (threads > 1) {
        /* Aim at 4 tasks per thread; 2 macs per task at least 64k. */
        const size_t work = batches * j->m * j->n * j->k * j->ks;
        size_t want = threads * 4;
        if (work / want < 65536) want = work / 65536 > threads ? work / 65536 : threads;
        size_t per_batch = (want + batches - 1) / batches;
        if (per_batch <= 1) per_batch = 1;
        /* A task over some rows reads all the weights, one over some columns all the rows
         * of A: split the larger of the two, so that each thread streams only its share of
         * it (a fully connected layer of 128 rows and 1 MiB of weights read them 8 times
         * over when split by rows). */
        const size_t weight_bytes = n_panels * j->packed_panel * sizeof(float);
        const size_t a_bytes = j->m * j->k * j->ks * sizeof(float);
        size_t tiles_per_task, panels_per_task;
        if (weight_bytes > a_bytes)
            split_units(n_panels, m_tiles, per_batch, batches, threads, &panels_per_task, &tiles_per_task);
        else
            split_units(m_tiles, n_panels, per_batch, batches, threads, &tiles_per_task, &panels_per_task);
        j->mt = tiles_per_task * mr;
        j->nt = panels_per_task * nr;
        j->m_tasks = (j->m + j->mt - 1) / j->mt;
        j->n_tasks = (j->n + j->nt - 1) / j->nt;
    }
}

void gemm_f32_run_batched(mote_context *ctx, const gemm_f32_ukernel *uk, size_t batches, size_t m, size_t n,
                          size_t k, const float *a, size_t a_stride, size_t a_batch, const float *packed,
                          size_t packed_batch, float *c, size_t c_stride, size_t c_batch,
                          mote_f32_minmax clamp) {
    if (batches == 0 || m == 0 || n == 0) return;
    gemm_job j = {.uk = uk, .m = m, .n = n, .k = k, .ks = 1, .a = a, .a_stride = a_stride, .a_batch = a_batch,
                  .packed = packed, .packed_batch = packed_batch, .c = c, .c_stride = c_stride,
                  .c_batch = c_batch, .clamp = clamp};
    gemm_split((size_t)kernel_threads(ctx), &j, batches);
    kernel_parallel_for(ctx, (int32_t)(batches * j.m_tasks * j.n_tasks), gemm_task, &j);
}

void gemm_f32_run(mote_context *ctx, const gemm_f32_ukernel *uk, size_t m, size_t n, size_t k, const float *a,
                  size_t a_stride, const float *packed, float *c, size_t c_stride, mote_f32_minmax clamp) {
    gemm_f32_run_batched(ctx, uk, 1, m, n, k, a, a_stride, 0, packed, 0, c, c_stride, 0, clamp);
}

void gemm_f32_rows(const gemm_f32_ukernel *uk, size_t m, size_t n, size_t k, const float *a, size_t a_stride,
                   const float *packed, float *c, size_t c_stride, const mote_f32_minmax *clamp) {
    if (m == 0 || n == 0) return;
    gemm_job j = {.uk = uk, .m = m, .n = n, .k = k, .ks = 1, .a = a, .a_stride = a_stride, .packed = packed,
                  .c = c, .c_stride = c_stride, .clamp = *clamp};
    gemm_split(1, &j, 1); /* one task: the whole product */
    gemm_task(&j, 0, 0);
}

void igemm_f32_run(mote_context *ctx, const gemm_f32_ukernel *uk, size_t batches, size_t m, size_t n, size_t kc,
                   size_t ks, const float *const *indirection, size_t a_batch, const float *zero,
                   const float *packed, float *c, size_t c_stride, size_t c_batch, mote_f32_minmax clamp) {
    if (batches == 0 || m == 0 || n == 0) return;
    gemm_job j = {.uk = uk, .m = m, .n = n, .k = kc, .ks = ks, .ind = indirection, .zero = zero, .a_batch = a_batch,
                  .packed = packed, .c = c, .c_stride = c_stride, .c_batch = c_batch, .clamp = clamp};
    gemm_split((size_t)kernel_threads(ctx), &j, batches);
    kernel_parallel_for(ctx, (int32_t)(batches * j.m_tasks * j.n_tasks), gemm_task, &j);
}
