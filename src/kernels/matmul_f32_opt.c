/* matmul_f32_opt.c — the optimized float32 paths of FULLY_CONNECTED and BATCH_MATMUL on the
 * GEMM microkernels of gemm_f32.h: the constant operand is packed into panels once (in the
 * node's pack callback, into persistent arena memory), a computed rhs of BATCH_MATMUL into
 * planned scratch memory at eval, and the GEMM driver splits the rows and columns over the
 * interpreter's threads. */
#include "kernels/gemm_f32.h"

/* ---- FULLY_CONNECTED ---- */

mote_status fc_f32_opt_prepare(mote_context *ctx, mote_node *node, fc_f32_plan *p, const mote_tensor *w,
                               const mote_tensor *bias, size_t rows, size_t in, size_t out) {
    memset(p, 0, sizeof *p);
    if (!kernel_use_optimized(ctx) || node->reprepare || rows == 0 || in == 0 || out == 0) return MOTE_OK;
    if (!kernel_is_constant_after_pack(w) || (bias && !kernel_is_constant_after_pack(bias))) return MOTE_OK;
    p->uk = gemm_f32_choose(gemm_f32_config_get(), rows, out, in);
    p->enabled = 1;
    p->rows_scratch = -1;
    p->a_stride = in;
    mote_status st;
    if (rows > p->uk->mr && in * sizeof(float) % 2048 == 0) {
        p->a_stride = in + 16; /* one cache line more */
        if ((st = mote_node_request_scratch(ctx, node, rows * p->a_stride * sizeof(float), &p->rows_scratch)))
            return st;
    }
    return mote_node_request_persistent(ctx, node, gemm_f32_packed_floats(out, in, p->uk->nr) * sizeof(float),
                                        &p->packed_index);
}

mote_status fc_f32_opt_pack(mote_context *ctx, mote_node *node, const fc_f32_plan *p, const mote_tensor *w,
                            const mote_tensor *bias, size_t in, size_t out) {
    if (!p->enabled) return MOTE_OK;
    void *packed;
    mote_status st = mote_node_persistent(ctx, node, p->packed_index, &packed);
    if (st) return kernel_fail(ctx, node, st, "persistent buffer missing");
    /* Weights [out, in]: output channel j is row j. */
    gemm_f32_pack(out, in, p->uk->nr, KERNEL_DATA(w, const float), in, 1, bias ? KERNEL_DATA(bias, const float) : NULL,
                  packed);
    return MOTE_OK;
}

mote_status fc_f32_opt_eval(mote_context *ctx, mote_node *node, const fc_f32_plan *p, const float *x, float *y,
                            size_t rows, size_t in, size_t out, mote_f32_minmax clamp) {
    void *packed;
    mote_status st = mote_node_persistent(ctx, node, p->packed_index, &packed);
    if (st) return kernel_fail(ctx, node, st, "persistent buffer missing");
    if (p->rows_scratch >= 0) {
        void *rows_buf;
        if ((st = mote_node_scratch(ctx, node, p->rows_scratch, &rows_buf)))
            return kernel_fail(ctx, node, st, "scratch buffer missing");
        float *a = rows_buf;
        for (size_t r = 0; r < rows; r++) memcpy(a + r * p->a_stride, x + r * in, in * sizeof(float));
        x = a;
    }
    gemm_f32_run(ctx, p->uk, rows, out, in, x, p->a_stride, packed, y, out, clamp);
    return MOTE_OK;
}

/* ---- BATCH_MATMUL ---- */

/* Scratch for all packed rhs matrices at most (above it: one matrix at a time). */
#define BMM_ALL_BATCHES_MAX_BYTES ((size_t)4 << 20)

mote_status bmm_f32_opt_prepare(mote_context *ctx, mote_node *node, bmm_f32_plan *p, const mote_tensor *rhs,
                                int adj_x, size_t m, size_t n, size_t k, size_t rhs_k_step, size_t rhs_n_step,
                                size_t batches) {
    memset(p, 0, sizeof *p);
    /* A transposed lhs would need its own packing: the reference handles it. */
    if (!kernel_use_optimized(ctx) || adj_x || m == 0 || n == 0 || k == 0 || rhs->rank < 2) return MOTE_OK;
    p->rhs_constant = kernel_is_constant_after_pack(rhs) && !node->reprepare;
    p->uk = gemm_f32_choose(gemm_f32_config_get(), m, n, k);
    p->m = m;
    p->n = n;
    p->k = k;
    p->rhs_k_step = rhs_k_step;
    p->rhs_n_step = rhs_n_step;
    p->rhs_matrix = kernel_dims_product(rhs, rhs->rank - 2, rhs->rank);
    p->rhs_matrices = kernel_dims_product(rhs, 0, rhs->rank - 2);
    p->packed_floats = gemm_f32_packed_floats(n, k, p->uk->nr);
    if (p->rhs_matrix != n * k || p->rhs_matrices == 0) return MOTE_OK;
    mote_status st;
    /* Several products at once when their packed rhs fit a modest scratch (or are packed
     * once anyway): one batched GEMM keeps every thread busy across the products. */
    if (batches > 1 && batches == p->rhs_matrices &&
        (p->rhs_constant || batches * p->packed_floats * sizeof(float) <= BMM_ALL_BATCHES_MAX_BYTES))
        p->all_batches = batches;
    if (p->rhs_constant)
        st = mote_node_request_persistent(ctx, node, p->rhs_matrices * p->packed_floats * sizeof(float),
                                          &p->packed_index);
    else
        st = mote_node_request_scratch(ctx, node, (p->all_batches ? p->all_batches : 1) * p->packed_floats *
                                                      sizeof(float), &p->packed_index);
    if (st) return st;
    p->enabled = 1;
    return MOTE_OK;
}

static void pack_rhs(const bmm_f32_plan *p, const float *rhs, float *packed) {
    /* Element (k, j) at k * rhs_k_step + j * rhs_n_step: output column j is "row" j. */
    gemm_f32_pack(p->n, p->k, p->uk->nr, rhs, p->rhs_n_step, p->rhs_k_step, NULL, packed);
}

mote_status bmm_f32_opt_pack(mote_context *ctx, mote_node *node, bmm_f32_plan *p, const mote_tensor *rhs) {
    p->packed_rhs = NULL;
    if (!p->enabled || !p->rhs_constant) return MOTE_OK;
    void *packed;
    mote_status st = mote_node_persistent(ctx, node, p->packed_index, &packed);
    if (st) return kernel_fail(ctx, node, st, "persistent buffer missing");
    for (size_t i = 0; i < p->rhs_matrices; i++)
        pack_rhs(p, KERNEL_DATA(rhs, const float) + i * p->rhs_matrix, (float *)packed + i * p->packed_floats);
    return MOTE_OK;
}

mote_status bmm_f32_opt_run(mote_context *ctx, mote_node *node, bmm_f32_plan *p, const float *lhs,
                            size_t lhs_stride, const float *rhs_data, size_t rhs_at, float *out) {
    void *buf;
    mote_status st = p->rhs_constant ? mote_node_persistent(ctx, node, p->packed_index, &buf)
                                     : mote_node_scratch(ctx, node, p->packed_index, &buf);
    if (st) return kernel_fail(ctx, node, st, "packed buffer missing");
    const float *packed;
    if (p->rhs_constant) {
        packed = (const float *)buf + rhs_at / p->rhs_matrix * p->packed_floats;
    } else {
        /* Pack this rhs matrix unless the scratch already holds it (a broadcast rhs). */
        if (p->packed_rhs != rhs_data + rhs_at) {
            pack_rhs(p, rhs_data + rhs_at, buf);
            p->packed_rhs = rhs_data + rhs_at;
        }
        packed = buf;
    }
    const mote_f32_minmax clamp = {-INFINITY, INFINITY};
    gemm_f32_run(ctx, p->uk, p->m, p->n, p->k, lhs, lhs_stride, packed, out, p->n, clamp);
    return MOTE_OK;
}

typedef struct bmm_pack_job {
    const bmm_f32_plan *p;
    const float *rhs;
    float *packed;
} bmm_pack_job;

static void pack_task(void *arg, int32_t task, int32_t thread) {
    (void)thread;
    const bmm_pack_job *j = arg;
    pack_rhs(j->p, j->rhs + (size_t)task * j->p->rhs_matrix, j->packed + (size_t)task * j->p->packed_floats);
}

mote_status bmm_f32_opt_run_all(mote_context *ctx, mote_node *node, bmm_f32_plan *p, const float *lhs,
                                size_t lhs_stride, const float *rhs_data, float *out) {
    void *buf;
    mote_status st = p->rhs_constant ? mote_node_persistent(ctx, node, p->packed_index, &buf)
                                     : mote_node_scratch(ctx, node, p->packed_index, &buf);
    if (st) return kernel_fail(ctx, node, st, "packed buffer missing");
    if (!p->rhs_constant) {
        bmm_pack_job j = {p, rhs_data, buf};
        kernel_parallel_for(ctx, (int32_t)p->all_batches, pack_task, &j);
    }
    const mote_f32_minmax clamp = {-INFINITY, INFINITY};
    gemm_f32_run_batched(ctx, p->uk, p->all_batches, p->m, p->n, p->k, lhs, lhs_stride, p->m * lhs_stride, buf,
                         p->packed_floats, out, p->n, p->m * p->n, clamp);
    return MOTE_OK;
}
