/* arith_i8_opt.c — the optimized int8/uint8 ADD and SUB (see arith_i8_opt.h): the choice of
 * kernel, the split over threads, and a portable loop without the broadcasting iterator. */
#include "kernels/arith_i8_opt.h"

#include "core/cpu.h"

typedef enum { ARITH_I8_SCALAR = 0, ARITH_I8_AVX2 = 1, ARITH_I8_AVX512 = 2 } arith_i8_isa;

/* Elements per task: enough to amortize waking a thread. */
#define ARITH_I8_TASK_MIN 8192

typedef struct arith_i8_run {
    arith_i8_block base;
    const arith_quant *q;
    arith_i8_isa isa;
    size_t per_task;
} arith_i8_run;

static inline int32_t clamp_i32(int32_t v, int32_t lo, int32_t hi) { return v < lo ? lo : v > hi ? hi : v; }

static void add_scalar(const arith_i8_block *blk, const arith_quant *q) {
    for (size_t i = 0; i < blk->n; i++) {
        const int32_t xv = blk->is_unsigned ? (int32_t)blk->x[i] : (int32_t)(int8_t)blk->x[i];
        const int32_t yv = blk->is_unsigned ? (int32_t)blk->y[i] : (int32_t)(int8_t)blk->y[i];
        const int32_t a = quant_multiply_by_quantized_multiplier(
            quant_wrap_shl_i32(q->input1_offset + xv, q->left_shift), q->input1_multiplier, q->input1_shift);
        const int32_t b = quant_multiply_by_quantized_multiplier(
            quant_wrap_shl_i32(q->input2_offset + yv, q->left_shift), q->input2_multiplier, q->input2_shift);
        const int32_t raw = blk->sub ? quant_wrap_sub_i32(a, b) : quant_wrap_add_i32(a, b);
        const int32_t r = quant_multiply_by_quantized_multiplier(raw, q->output_multiplier, q->output_shift);
        blk->z[i] = (uint8_t)clamp_i32(quant_wrap_add_i32(r, q->output_offset), q->act_min, q->act_max);
    }
}

static void arith_i8_task(void *arg, int32_t task, int32_t thread) {
    (void)thread;
    const arith_i8_run *r = arg;
    arith_i8_block blk = r->base;
    const size_t start = (size_t)task * r->per_task;
    if (start >= blk.n) return;
    blk.n = blk.n - start < r->per_task ? blk.n - start : r->per_task;
    blk.x += start, blk.y += start, blk.z += start;
    switch (r->isa) {
#if defined(__x86_64__)
    case ARITH_I8_AVX512: arith_i8_add__avx512(&blk); return;
    case ARITH_I8_AVX2: arith_i8_add__avx2(&blk); return;
#endif
    default: add_scalar(&blk, r->q); return;
    }
}

#if defined(__x86_64__)
static int multiplier_ok(int32_t m, int32_t shift) { return m >= 0 && shift >= -31 && shift <= 30; }
#endif

int arith_i8_opt_eval(mote_context *ctx, int32_t code, const arith_quant *q, const mote_tensor *a,
                      const mote_tensor *b, mote_tensor *out) {
    if (!kernel_use_optimized(ctx)) return 0;
    if (code != MOTE_OP_ADD && code != MOTE_OP_SUB) return 0;
    if (q->pot_int16 || (out->type != MOTE_INT8 && out->type != MOTE_UINT8)) return 0;
    if (a->type != out->type || b->type != out->type) return 0;
    const size_t n = kernel_count(out);
    if (kernel_count(a) != n || kernel_count(b) != n) return 0;
    if (n == 0) return 1;
    arith_i8_run r;
    memset(&r, 0, sizeof r);
    r.q = q;
    r.base.x = a->data, r.base.y = b->data, r.base.z = out->data, r.base.n = n;
    r.base.is_unsigned = out->type == MOTE_UINT8;
    r.base.sub = code == MOTE_OP_SUB;
    r.base.x_offset = q->input1_offset, r.base.y_offset = q->input2_offset, r.base.left_shift = q->left_shift;
    r.base.out.zero_point = q->output_offset;
    r.base.out.act_min = q->act_min, r.base.out.act_max = q->act_max;
    r.isa = ARITH_I8_SCALAR;
    _Alignas(64) gemm_i8_rq16 rq16[3];
    _Alignas(64) gemm_i8_rq8 rq8[3];
#if defined(__x86_64__)
    const uint32_t f = cpu_features();
    const int vec_ok = multiplier_ok(q->input1_multiplier, q->input1_shift) &&
                       multiplier_ok(q->input2_multiplier, q->input2_shift) &&
                       multiplier_ok(q->output_multiplier, q->output_shift) && q->left_shift >= 0 &&
                       q->left_shift <= 24;
    if (vec_ok && (f & (CPU_X86_AVX512 | CPU_X86_AVX2))) {
        const int32_t m[3] = {q->input1_multiplier, q->input2_multiplier, q->output_multiplier};
        const int32_t s[3] = {q->input1_shift, q->input2_shift, q->output_shift};
        memset(rq16, 0, sizeof rq16);
        memset(rq8, 0, sizeof rq8);
        for (int i = 0; i < 3; i++) {
            for (int32_t c = 0; c < 16; c++) gemm_i8_rq16_set(&rq16[i], c, 0, m[i], s[i]);
            for (int32_t c = 0; c < 8; c++) gemm_i8_rq8_set(&rq8[i], c, 0, m[i], s[i]);
        }
        r.base.rx = &rq16[0], r.base.ry = &rq16[1], r.base.ro = &rq16[2];
        r.base.rx8 = &rq8[0], r.base.ry8 = &rq8[1], r.base.ro8 = &rq8[2];
        r.isa = (f & CPU_X86_AVX512) ? ARITH_I8_AVX512 : ARITH_I8_AVX2;
    }
#else
    (void)rq16, (void)rq8;
#endif
    const int32_t threads = kernel_threads(ctx);
    size_t tasks = threads > 1 ? n / ARITH_I8_TASK_MIN : 1;
    if (tasks > (size_t)threads) tasks = (size_t)threads;
    if (tasks < 1) tasks = 1;
    r.per_task = (n + tasks - 1) / tasks;
    r.per_task = (r.per_task + 63) / 64 * 64;
    tasks = (n + r.per_task - 1) / r.per_task;
    if (tasks <= 1)
        arith_i8_task(&r, 0, 0);
    else
        kernel_parallel_for(ctx, (int32_t)tasks, arith_i8_task, &r);
    return 1;
}
