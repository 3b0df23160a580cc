/* math_f32_opt.c — optimized float32 GELU, SOFTMAX, MEAN/SUM (see math_f32_opt.h). */
#include "kernels/math_f32_opt.h"

#include "core/cpu.h"

#define MATH_F32_NAME(f) math_f32_##f##__c
#include "kernels/math_f32_impl.h"
#undef MATH_F32_NAME

/* Elements or rows below which one thread does it all. */
#define MATH_MIN_PER_TASK 8192

typedef struct math_f32_fns {
    void (*gelu)(const float *x, float *y, size_t n, int approximate);
    void (*softmax_row)(const float *x, float *y, size_t n, float beta);
} math_f32_fns;

static math_f32_fns math_fns(void) {
    math_f32_fns f = {math_f32_gelu__c, math_f32_softmax_row__c};
#if defined(__x86_64__)
    const uint32_t features = cpu_features();
    if (features & CPU_X86_AVX512) {
        f.gelu = math_f32_gelu__avx512;
        f.softmax_row = math_f32_softmax_row__avx512;
    } else if (features & CPU_X86_AVX2) {
        f.gelu = math_f32_gelu__avx2;
        f.softmax_row = math_f32_softmax_row__avx2;
    }
#endif
    return f;
}

/* ---- GELU ---- */

typedef struct gelu_job {
    void (*fn)(const float *x, float *y, size_t n, int approximate);
    const float *x;
    float *y;
    size_t n, chunk;
    int approximate;
} gelu_job;

static void gelu_task(void *arg, int32_t task, int32_t thread) {
    (void)thread;
    const gelu_job *j = arg;
    const size_t i0 = (size_t)task * j->chunk, i1 = i0 + j->chunk < j->n ? i0 + j->chunk : j->n;
    j->fn(j->x + i0, j->y + i0, i1 - i0, j->approximate);
}

int gelu_f32_opt(mote_context *ctx, const float *x, float *y, size_t n, int approximate) {
    if (!kernel_use_optimized(ctx)) return 0;
    if (n == 0) return 1;
    gelu_job j = {math_fns().gelu, x, y, n, n, approximate};
    const size_t threads = (size_t)kernel_threads(ctx);
    if (threads > 1 && n >= 2 * MATH_MIN_PER_TASK) {
        size_t tasks = n / MATH_MIN_PER_TASK;
        if (tasks > threads * 4) tasks = threads * 4;
        j.chunk = ((n + tasks - 1) / tasks + 15) / 16 * 16;
    }
    kernel_parallel_for(ctx, (int32_t)((n + j.chunk - 1) / j.chunk), gelu_task, &j);
    return 1;
}

/* ---- SOFTMAX ---- */

typedef struct softmax_job {
    void (*fn)(const float *x, float *y, size_t n, float beta);
    const float *x;
    float *y;
    size_t rows, depth, rows_per_task;
    float beta;
} softmax_job;

static void softmax_task(void *arg, int32_t task, int32_t thread) {
    (void)thread;
    const softmax_job *j = arg;
    const size_t r0 = (size_t)task * j->rows_per_task;
    const size_t r1 = r0 + j->rows_per_task < j->rows ? r0 + j->rows_per_task : j->rows;
    for (size_t r = r0; r < r1; r++) j->fn(j->x + r * j->depth, j->y + r * j->depth, j->depth, j->beta);
}

int softmax_f32_opt(mote_context *ctx, const float *x, float *y, size_t rows, size_t depth, float beta) {
    /* A beta that is not a positive finite number: the reference. */
    if (!kernel_use_optimized(ctx) || !(beta > 0.0f) || isinf(beta)) return 0;
    softmax_job j = {math_fns().softmax_row, x, y, rows, depth, rows, beta};
    const size_t threads = (size_t)kernel_threads(ctx), total = rows * depth;
    if (threads > 1 && rows > 1 && total >= 2 * MATH_MIN_PER_TASK) {
        size_t tasks = total / MATH_MIN_PER_TASK;
        if (tasks > threads * 4) tasks = threads * 4;
        if (tasks > rows) tasks = rows;
        j.rows_per_task = (rows + tasks - 1) / tasks;
    }
    kernel_parallel_for(ctx, (int32_t)((rows + j.rows_per_task - 1) / j.rows_per_task), softmax_task, &j);
    return 1;
}

/* ---- MEAN, SUM ---- */

int reduce_f32_opt(mote_context *ctx, int32_t code, int32_t rank, const int32_t *dims, const size_t *out_stride,
                   size_t count, const float *x, float *y) {
    if (!kernel_use_optimized(ctx) || (code != MOTE_OP_MEAN && code != MOTE_OP_SUM) || count == 0) return 0;
    /* Dimensions of size 1 aside: is the input [kept..., reduced...] or [reduced..., kept...]? */
    int32_t first_reduced = -1, last_reduced = -1, first_kept = -1, last_kept = -1;
    for (int32_t k = 0; k < rank; k++) {
        if (dims[k] == 1) continue;
        if (out_stride[k] == 0) {
            if (first_reduced < 0) first_reduced = k;
            last_reduced = k;
        } else {
            if (first_kept < 0) first_kept = k;
            last_kept = k;
        }
    }
    size_t kept = 1;
    for (int32_t k = 0; k < rank; k++)
        if (out_stride[k] != 0) kept *= (size_t)dims[k];
    const float scale = code == MOTE_OP_MEAN ? (float)count : 1.0f;
    if (first_kept < 0 || last_kept < first_reduced) {
        /* Rows: every output sums `count` contiguous inputs. */
        for (size_t o = 0; o < kept; o++) {
            const float s = row_sum(x + o * count, count);
            y[o] = code == MOTE_OP_MEAN ? s / scale : s;
        }
        return 1;
    }
    if (last_reduced < first_kept) {
        /* Columns: output o sums x[r * kept + o] over the `count` rows. */
        for (size_t o = 0; o < kept; o++) y[o] = 0.0f;
        for (size_t r = 0; r < count; r++) {
            const float *row = x + r * kept;
            for (size_t o = 0; o < kept; o++) y[o] += row[o];
        }
        if (code == MOTE_OP_MEAN)
            for (size_t o = 0; o < kept; o++) y[o] /= scale;
        return 1;
    }
    return 0;
}
