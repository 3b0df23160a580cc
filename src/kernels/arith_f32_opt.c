/* arith_f32_opt.c — the optimized float32 ADD, SUB, MUL and DIV (see arith_f32_opt.h). */
#include "kernels/arith_f32_opt.h"

/* The broadcast as rows: `rows` rows of `n` contiguous outputs; row r reads a at a_row(r)
 * and b at b_row(r) (offsets from up to MOTE_MAX_DIMS - 1 outer dimensions), each moving
 * by 1 (a_step, b_step 1) or fixed (0) inside the row. */
typedef struct arith_job {
    int32_t code;
    float lo, hi;
    const float *a, *b;
    float *z;
    size_t n, rows;
    size_t a_step, b_step;
    int32_t outer_rank;
    size_t outer_dims[MOTE_MAX_DIMS];
    size_t outer_sa[MOTE_MAX_DIMS], outer_sb[MOTE_MAX_DIMS];
    size_t rows_per_task, cols_per_task; /* a task: rows_per_task rows, or a column range of one row */
    size_t col_tasks;                    /* column ranges per row (1: whole rows) */
} arith_job;

static inline float clampf(float v, float lo, float hi) { return v < lo ? lo : (v > hi ? hi : v); }

/* One loop per operation and operand pattern, so each vectorizes on its own. */
#define ARITH_LOOPS(NAME, EXPR)                                                                                    \
    static void NAME(size_t n, const float *x, size_t xs, const float *y, size_t ys,                                  \
                     float *z, float lo, float hi) {                                                      \
        if (xs && ys) {                                                                                            \
            for (size_t i = 0; i < n; i++) {                                                                       \
                const float p = x[i], q = y[i];                                                                    \
                z[i] = clampf(EXPR, lo, hi);                                                                       \
            }                                                                                                      \
        } else if (xs) {                                                                                           \
            const float q = y[0];                                                                                  \
            for (size_t i = 0; i < n; i++) {                                                                       \
                const float p = x[i];                                                                              \
                z[i] = clampf(EXPR, lo, hi);                                                                       \
            }                                                                                                      \
        } else if (ys) {                                                                                           \
            const float p = x[0];                                                                                  \
            for (size_t i = 0; i < n; i++) {                                                                       \
                const float q = y[i];                                                                              \
                z[i] = clampf(EXPR, lo, hi);                                                                       \
            }                                                                                                      \
        } else {                                                                                                   \
            const float p = x[0], q = y[0], v = clampf(EXPR, lo, hi);                                              \
            for (size_t i = 0; i < n; i++) z[i] = v;                                                               \
        }                                                                                                          \
    }

ARITH_LOOPS(loop_add, p + q)
ARITH_LOOPS(loop_sub, p - q)
ARITH_LOOPS(loop_mul, p * q)
ARITH_LOOPS(loop_div, p / q)
ARITH_LOOPS(loop_sqd, (p - q) * (p - q))

static void run_row(const arith_job *j, size_t r, size_t c0, size_t c1) {
    size_t ao = 0, bo = 0, rest = r;
    for (int32_t d = j->outer_rank - 1; d >= 0; d--) {
        const size_t i = rest % j->outer_dims[d];
        rest /= j->outer_dims[d];
        ao += i * j->outer_sa[d];
        bo += i * j->outer_sb[d];
    }
    const float *x = j->a + ao + c0 * j->a_step, *y = j->b + bo + c0 * j->b_step;
    float *z = j->z + r * j->n + c0;
    const size_t n = c1 - c0;
    switch (j->code) {
    case MOTE_OP_ADD: loop_add(n, x, j->a_step, y, j->b_step, z, j->lo, j->hi); break;
    case MOTE_OP_SUB: loop_sub(n, x, j->a_step, y, j->b_step, z, j->lo, j->hi); break;
    case MOTE_OP_MUL: loop_mul(n, x, j->a_step, y, j->b_step, z, j->lo, j->hi); break;
    case MOTE_OP_DIV: loop_div(n, x, j->a_step, y, j->b_step, z, j->lo, j->hi); break;
    default: loop_sqd(n, x, j->a_step, y, j->b_step, z, j->lo, j->hi); break;
    }
}

static void arith_task(void *arg, int32_t task, int32_t thread) {
    (void)thread;
    const arith_job *j = arg;
    if (j->col_tasks > 1) {
        const size_t r = (size_t)task / j->col_tasks, c = (size_t)task % j->col_tasks;
        const size_t c0 = c * j->cols_per_task, c1 = c0 + j->cols_per_task < j->n ? c0 + j->cols_per_task : j->n;
        run_row(j, r, c0, c1);
        return;
    }
    const size_t r0 = (size_t)task * j->rows_per_task;
    const size_t r1 = r0 + j->rows_per_task < j->rows ? r0 + j->rows_per_task : j->rows;
    for (size_t r = r0; r < r1; r++) run_row(j, r, 0, j->n);
}

/* Elements below which one thread does it all (a task switch costs more). */
#define ARITH_MIN_PER_TASK 16384

int arith_f32_opt_eval(mote_context *ctx, int32_t code, float lo, float hi, const mote_tensor *a,
                       const mote_tensor *b, mote_tensor *out) {
    if (!kernel_use_optimized(ctx) || out->rank > MOTE_MAX_DIMS) return 0;
    if (code != MOTE_OP_ADD && code != MOTE_OP_SUB && code != MOTE_OP_MUL && code != MOTE_OP_DIV &&
        code != MOTE_OP_SQUARED_DIFFERENCE)
        return 0;
    const size_t total = kernel_count(out);
    if (total == 0) return 1;
    kernel_bcast_iter it;
    kernel_bcast_init(&it, a, b, out);
    /* Merge dimensions from the innermost out, dropping those of size 1: dims[k], sa[k], sb[k]
     * of the merged shape, innermost first. */
    size_t dims[MOTE_MAX_DIMS], sa[MOTE_MAX_DIMS], sb[MOTE_MAX_DIMS];
    int32_t r = 0;
    for (int32_t d = it.rank - 1; d >= 0; d--) {
        const size_t n = (size_t)it.dims[d];
        if (n == 1) continue;
        if (r > 0 && sa[r - 1] * dims[r - 1] == it.sa[d] && sb[r - 1] * dims[r - 1] == it.sb[d]) {
            dims[r - 1] *= n; /* contiguous with the inner one (or both fixed), for both operands */
            continue;
        }
        dims[r] = n;
        sa[r] = it.sa[d];
        sb[r] = it.sb[d];
        r++;
    }
    arith_job j = {.code = code, .lo = lo, .hi = hi, .a = KERNEL_DATA(a, const float),
                   .b = KERNEL_DATA(b, const float), .z = KERNEL_DATA(out, float), .n = 1, .rows = 1};
    if (r > 0) {
        /* The inner loop: strides 0 or 1 only (any other inner stride cannot occur, but keep
         * to the reference if it did). */
        if (sa[0] > 1 || sb[0] > 1) return 0;
        j.n = dims[0];
        j.a_step = sa[0];
        j.b_step = sb[0];
        j.outer_rank = r - 1;
        for (int32_t k = 1; k < r; k++) {
            /* outer_* outermost first */
            j.outer_dims[r - 1 - k] = dims[k];
            j.outer_sa[r - 1 - k] = sa[k];
            j.outer_sb[r - 1 - k] = sb[k];
            j.rows *= dims[k];
        }
    }
    size_t tasks = 1;
    const size_t threads = (size_t)kernel_threads(ctx);
    j.rows_per_task = j.rows;
    j.col_tasks = 1;
    if (threads > 1 && total >= 2 * ARITH_MIN_PER_TASK) {
        size_t want = total / ARITH_MIN_PER_TASK;
        if (want > threads * 4) want = threads * 4;
        if (j.rows >= want) {
            j.rows_per_task = (j.rows + want - 1) / want;
            tasks = (j.rows + j.rows_per_task - 1) / j.rows_per_task;
        } else {
            /* Few long rows: split each into column ranges (multiples of 16 elements). */
            size_t per_row = (want + j.rows - 1) / j.rows;
            j.cols_per_task = ((j.n + per_row - 1) / per_row + 15) / 16 * 16;
            j.col_tasks = (j.n + j.cols_per_task - 1) / j.cols_per_task;
            tasks = j.rows * j.col_tasks;
        }
    }
    kernel_parallel_for(ctx, (int32_t)tasks, arith_task, &j);
    return 1;
}
