/* batch_matmul.c — BATCH_MATMUL: lhs [..., M, K] x rhs [..., K, N] (either matrix
 * transposed by adj_x / adj_y) with NumPy broadcasting of the batch dimensions, in float32,
 * int8 (int8 or raw int32 output), int16 and int16 x int8, as TensorFlow Lite's reference
 * kernel computes it.
 *
 * The quantized paths read per-tensor ("legacy") quantization, as TensorFlow Lite does: a
 * tensor quantized per channel has none there (scale 0), which makes every output the
 * output's zero point. That is what TensorFlow Lite computes for such models, so Mote
 * reproduces it rather than guess at a per-channel meaning. */
#include "kernels/gemm_f32.h"
#include "kernels/kernel.h"
#include "kernels/quant.h"

/* BatchMatMulOptions fields. */
#define OPT_ADJ_X 0
#define OPT_ADJ_Y 1

enum { IN_LHS = 0, IN_RHS = 1 };

typedef enum bmm_kind {
    BMM_F32,    /* float32 x float32 -> float32 */
    BMM_I8,     /* int8 x int8 -> int8, requantized */
    BMM_I8_I32, /* int8 x int8 -> int32, raw sums (no zero points) */
    BMM_I16,    /* int16 x int16 -> int16, 64-bit sums */
    BMM_I16_I8  /* int16 x int8 -> int16, 64-bit sums */
} bmm_kind;

typedef struct batch_matmul_data {
    int adj_x, adj_y; /* options: lhs / rhs given transposed ([..., K, M] / [..., N, K]) */
    /* Set in prepare: */
    bmm_kind kind;
    int32_t batch_rank;                   /* output dimensions before the matrices */
    int32_t batch_dims[MOTE_MAX_DIMS];    /* their sizes */
    size_t lhs_batch_step[MOTE_MAX_DIMS]; /* lhs elements per batch index, 0 where broadcast */
    size_t rhs_batch_step[MOTE_MAX_DIMS];
    int32_t m, n, k;               /* output rows, output columns, depth */
    size_t lhs_m_step, lhs_k_step; /* element steps inside one lhs matrix */
    size_t rhs_k_step, rhs_n_step; /* ... and one rhs matrix */
    int32_t acc_scratch;           /* scratch index: one row of accumulators */
    /* Quantized paths (per-tensor parameters): */
    int32_t lhs_zero_point, rhs_zero_point, out_zero_point;
    int32_t multiplier;       /* output rescale, Q31 */
    int shift;                /* and its exponent */
    int32_t out_min, out_max; /* the output type's range */
    bmm_f32_plan f32opt;      /* float32: the optimized path (enabled 0: the reference loop) */
} batch_matmul_data;

static mote_status batch_matmul_init(mote_context *ctx, mote_node *node) {
    batch_matmul_data *d = kernel_alloc_data(ctx, node, sizeof *d);
    if (!d) return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    fb_table opt = kernel_options(ctx, node, TFL_OPTIONS_BATCH_MATMUL);
    d->adj_x = KOPT_BOOL(ctx, opt, OPT_ADJ_X, 0);
    d->adj_y = KOPT_BOOL(ctx, opt, OPT_ADJ_Y, 0);
    return MOTE_OK;
}

/* TensorFlow Lite's per-tensor parameters: only a tensor with exactly one scale has them. */
static float legacy_scale(const mote_tensor *t) {
    return t->def && t->def->quant_count == 1 ? t->scale : 0.0f;
}
static int32_t legacy_zero_point(const mote_tensor *t) {
    return t->def && t->def->quant_count == 1 ? t->zero_point : 0;
}

static mote_status pick_kind(mote_context *ctx, const mote_node *node, const mote_tensor *lhs,
                             const mote_tensor *rhs, const mote_tensor *out, bmm_kind *kind) {
    mote_status st;
    if (lhs->type == MOTE_FLOAT32 && rhs->type == MOTE_FLOAT32) {
        *kind = BMM_F32;
        return kernel_check_type(ctx, node, out, "output", 0, MOTE_FLOAT32);
    }
    if (lhs->type == MOTE_INT8 && rhs->type == MOTE_INT8) {
        if (out->type == MOTE_INT32) {
            *kind = BMM_I8_I32;
            return MOTE_OK;
        }
        *kind = BMM_I8;
        return kernel_check_type(ctx, node, out, "output", 0, MOTE_INT8);
    }
    if (lhs->type == MOTE_INT16 && (rhs->type == MOTE_INT16 || rhs->type == MOTE_INT8)) {
        *kind = rhs->type == MOTE_INT16 ? BMM_I16 : BMM_I16_I8;
        if ((st = kernel_check_type(ctx, node, out, "output", 0, MOTE_INT16))) return st;
        if (legacy_zero_point(lhs) || legacy_zero_point(rhs) || legacy_zero_point(out))
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                               "int16 inputs and output need zero point 0");
        return MOTE_OK;
    }
    if (lhs->type == MOTE_FLOAT32 && rhs->type == MOTE_INT8)
        return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED,
                           "hybrid float32 x int8 (dynamic-range) BATCH_MATMUL is not supported");
    char b[160];
    return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED, "%s: type %s with rhs type %s is not supported",
                       kernel_describe(lhs, "input", IN_LHS, b, sizeof b), mote_type_name(lhs->type),
                       mote_type_name(rhs->type));
}

static mote_status batch_matmul_prepare(mote_context *ctx, mote_node *node) {
    batch_matmul_data *d = node->data;
    mote_tensor *lhs, *rhs, *out;
    mote_status st;
    char b[160];
    if ((st = kernel_check_counts(ctx, node, 2, 2, 1)) ||
        (st = kernel_require_input(ctx, node, IN_LHS, &lhs)) ||
        (st = kernel_require_input(ctx, node, IN_RHS, &rhs)) ||
        (st = kernel_require_output(ctx, node, 0, &out)) ||
        (st = pick_kind(ctx, node, lhs, rhs, out, &d->kind)))
        return st;
    for (int32_t i = 0; i < 2; i++) {
        const mote_tensor *t = i ? rhs : lhs;
        if (t->rank < 2)
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: rank %d, expected at least 2",
                               kernel_describe(t, "input", i, b, sizeof b), t->rank);
    }
    const int32_t rank = lhs->rank > rhs->rank ? lhs->rank : rhs->rank;
    const int32_t lr = lhs->rank, rr = rhs->rank;
    /* Matrix dimensions. */
    const int32_t lhs_rows = lhs->dims[lr - 2], lhs_cols = lhs->dims[lr - 1];
    const int32_t rhs_rows = rhs->dims[rr - 2], rhs_cols = rhs->dims[rr - 1];
    d->m = d->adj_x ? lhs_cols : lhs_rows;
    d->k = d->adj_x ? lhs_rows : lhs_cols;
    d->n = d->adj_y ? rhs_rows : rhs_cols;
    const int32_t rhs_k = d->adj_y ? rhs_cols : rhs_rows;
    if (rhs_k != d->k)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "depths differ: lhs has %d (adj_x %d), rhs %d (adj_y %d)", d->k, d->adj_x, rhs_k,
                           d->adj_y);
    d->lhs_m_step = d->adj_x ? 1 : (size_t)lhs_cols;
    d->lhs_k_step = d->adj_x ? (size_t)lhs_cols : 1;
    d->rhs_k_step = d->adj_y ? 1 : (size_t)rhs_cols;
    d->rhs_n_step = d->adj_y ? (size_t)rhs_cols : 1;

    /* Batch dimensions, right-aligned and broadcast. */
    int32_t dims[MOTE_MAX_DIMS];
    d->batch_rank = rank - 2;
    size_t lstep = (size_t)lhs_rows * (size_t)lhs_cols, rstep = (size_t)rhs_rows * (size_t)rhs_cols;
    for (int32_t i = rank - 3; i >= 0; i--) {
        int32_t li = i - (rank - lr), ri = i - (rank - rr);
        int32_t ld = li >= 0 ? lhs->dims[li] : 1, rd = ri >= 0 ? rhs->dims[ri] : 1;
        if (ld != rd && ld != 1 && rd != 1)
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                               "batch dimension %d does not broadcast: lhs has %d, rhs %d", i, ld, rd);
        dims[i] = d->batch_dims[i] = ld == 1 ? rd : ld;
        d->lhs_batch_step[i] = ld == 1 ? 0 : lstep;
        d->rhs_batch_step[i] = rd == 1 ? 0 : rstep;
        lstep *= (size_t)ld;
        rstep *= (size_t)rd;
    }
    dims[rank - 2] = d->m;
    dims[rank - 1] = d->n;
    /* Products without broadcasting: both sides' matrices one after the other. */
    size_t batches = 1;
    for (int32_t i = 0; i < d->batch_rank; i++) {
        if (d->batch_dims[i] != 1 && (!d->lhs_batch_step[i] || !d->rhs_batch_step[i])) batches = 0;
        batches *= (size_t)d->batch_dims[i];
    }
    if (d->kind == BMM_F32 &&
        (st = bmm_f32_opt_prepare(ctx, node, &d->f32opt, rhs, d->adj_x, (size_t)d->m, (size_t)d->n, (size_t)d->k,
                                  d->rhs_k_step, d->rhs_n_step, batches)))
        return st;

    if (d->kind != BMM_F32) {
        /* One row of accumulators (int32 or int64), so eval reads each rhs row once. */
        size_t acc = d->kind == BMM_I8 || d->kind == BMM_I8_I32 ? sizeof(int32_t) : sizeof(int64_t);
        if ((st = mote_node_request_scratch(ctx, node, (size_t)(d->n > 0 ? d->n : 1) * acc, &d->acc_scratch)))
            return kernel_fail(ctx, node, st, "cannot reserve %d accumulators", d->n);
    }
    if (d->kind == BMM_I8 || d->kind == BMM_I16 || d->kind == BMM_I16_I8) {
        d->lhs_zero_point = legacy_zero_point(lhs);
        d->rhs_zero_point = legacy_zero_point(rhs);
        d->out_zero_point = legacy_zero_point(out);
        double real = quant_conv_tensor_multiplier(legacy_scale(lhs), legacy_scale(rhs), legacy_scale(out));
        if (!(real >= 0.0) || !quant_quantize_multiplier(real, &d->multiplier, &d->shift))
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                               "the output rescale (lhs scale x rhs scale / output scale) is not a finite, "
                               "non-negative number");
        /* The 64-bit rescale of the int16 paths shifts right by 15 - shift bits. */
        if (d->kind != BMM_I8 && d->shift > 14)
            return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED,
                               "an output rescale of 2^%d is beyond the int16 path's range", d->shift);
        d->out_min = d->kind == BMM_I8 ? INT8_MIN : INT16_MIN;
        d->out_max = d->kind == BMM_I8 ? INT8_MAX : INT16_MAX;
    }
    return kernel_set_shape(ctx, node, out, rank, dims);
}

/* One output matrix per batch index: out [M, N] = lhs [M, K] x rhs [K, N], where lhs and rhs
 * point at that batch's matrices. Every output sums its products in order of k, as
 * TensorFlow Lite's reference kernel does (the float results depend on that order). */
static void matmul_f32(const batch_matmul_data *d, const float *lhs, const float *rhs, float *out) {
    const size_t n_count = (size_t)d->n;
    for (int32_t m = 0; m < d->m; m++) {
        float *row = out + (size_t)m * n_count;
        for (size_t n = 0; n < n_count; n++) row[n] = 0.0f;
        const float *a_row = lhs + (size_t)m * d->lhs_m_step;
        for (int32_t k = 0; k < d->k; k++) {
            const float a = a_row[(size_t)k * d->lhs_k_step];
            const float *b_row = rhs + (size_t)k * d->rhs_k_step;
            for (size_t n = 0; n < n_count; n++) row[n] += a * b_row[n * d->rhs_n_step];
        }
    }
}

static inline int32_t clamp_out(const batch_matmul_data *d, int32_t v) {
    return v < d->out_min ? d->out_min : v > d->out_max ? d->out_max : v;
}

/* int8 sums accumulate in 32 bits. TensorFlow Lite's would wrap on overflow; unsigned
 * arithmetic does the same here without undefined behavior. zero_points is 0 for the raw
 * int32 output, whose sums TensorFlow Lite takes without zero points. */
static void matmul_i8_sums(const batch_matmul_data *d, const int8_t *lhs, const int8_t *rhs, int32_t lhs_zp,
                           int32_t rhs_zp, int32_t m, uint32_t *acc) {
    const size_t n_count = (size_t)d->n;
    for (size_t n = 0; n < n_count; n++) acc[n] = 0;
    const int8_t *a_row = lhs + (size_t)m * d->lhs_m_step;
    for (int32_t k = 0; k < d->k; k++) {
        /* In 64 bits: a hostile model's zero points can be any int32. */
        const int64_t a = (int64_t)a_row[(size_t)k * d->lhs_k_step] - lhs_zp;
        const int8_t *b_row = rhs + (size_t)k * d->rhs_k_step;
        for (size_t n = 0; n < n_count; n++)
            acc[n] += (uint32_t)(uint64_t)(a * ((int64_t)b_row[n * d->rhs_n_step] - rhs_zp));
    }
}

static void matmul_i8(const batch_matmul_data *d, const int8_t *lhs, const int8_t *rhs, int8_t *out,
                      uint32_t *acc) {
    for (int32_t m = 0; m < d->m; m++) {
        matmul_i8_sums(d, lhs, rhs, d->lhs_zero_point, d->rhs_zero_point, m, acc);
        int8_t *o = out + (size_t)m * (size_t)d->n;
        for (int32_t n = 0; n < d->n; n++) {
            int32_t v =
                quant_multiply_by_quantized_multiplier(quant_wrap_i32(acc[n]), d->multiplier, d->shift);
            o[n] = (int8_t)clamp_out(d, quant_wrap_add_i32(v, d->out_zero_point));
        }
    }
}

static void matmul_i8_i32(const batch_matmul_data *d, const int8_t *lhs, const int8_t *rhs, int32_t *out,
                          uint32_t *acc) {
    for (int32_t m = 0; m < d->m; m++) {
        matmul_i8_sums(d, lhs, rhs, 0, 0, m, acc);
        int32_t *o = out + (size_t)m * (size_t)d->n;
        for (int32_t n = 0; n < d->n; n++) o[n] = quant_wrap_i32(acc[n]);
    }
}

/* int16 activations: 64-bit sums, rhs int16 or int8 (rhs_i8). */
static void matmul_i16(const batch_matmul_data *d, const int16_t *lhs, const void *rhs, int rhs_i8,
                       int16_t *out, int64_t *acc) {
    const size_t n_count = (size_t)d->n;
    const int64_t lhs_zp = d->lhs_zero_point, rhs_zp = d->rhs_zero_point;
    for (int32_t m = 0; m < d->m; m++) {
        for (size_t n = 0; n < n_count; n++) acc[n] = 0;
        const int16_t *a_row = lhs + (size_t)m * d->lhs_m_step;
        for (int32_t k = 0; k < d->k; k++) {
            const int64_t a = (int64_t)a_row[(size_t)k * d->lhs_k_step] - lhs_zp;
            const size_t at = (size_t)k * d->rhs_k_step;
            if (rhs_i8) {
                const int8_t *b_row = (const int8_t *)rhs + at;
                for (size_t n = 0; n < n_count; n++)
                    acc[n] += a * ((int64_t)b_row[n * d->rhs_n_step] - rhs_zp);
            } else {
                const int16_t *b_row = (const int16_t *)rhs + at;
                for (size_t n = 0; n < n_count; n++)
                    acc[n] += a * ((int64_t)b_row[n * d->rhs_n_step] - rhs_zp);
            }
        }
        int16_t *o = out + (size_t)m * n_count;
        for (size_t n = 0; n < n_count; n++) {
            int32_t v = quant_multiply_by_quantized_multiplier_i64(acc[n], d->multiplier, d->shift);
            o[n] = (int16_t)clamp_out(d, quant_wrap_add_i32(v, d->out_zero_point));
        }
    }
}

static mote_status batch_matmul_pack(mote_context *ctx, mote_node *node) {
    batch_matmul_data *d = node->data;
    return d->kind == BMM_F32 ? bmm_f32_opt_pack(ctx, node, &d->f32opt, kernel_input(ctx, node, IN_RHS)) : MOTE_OK;
}

static mote_status batch_matmul_eval(mote_context *ctx, mote_node *node) {
    batch_matmul_data *d = node->data;
    const mote_tensor *lhs_t = kernel_input(ctx, node, IN_LHS), *rhs_t = kernel_input(ctx, node, IN_RHS);
    mote_tensor *out_t = kernel_output(ctx, node, 0);
    if (out_t->bytes == 0) return MOTE_OK;
    void *acc = NULL;
    if (d->kind != BMM_F32) {
        mote_status st = mote_node_scratch(ctx, node, d->acc_scratch, &acc);
        if (st) return kernel_fail(ctx, node, st, "scratch buffer missing");
    }
    const size_t lhs_elem = mote_type_bytes(lhs_t->type), rhs_elem = mote_type_bytes(rhs_t->type);
    const size_t out_elem = mote_type_bytes(out_t->type);
    const size_t out_matrix = (size_t)d->m * (size_t)d->n * out_elem;
    int32_t idx[MOTE_MAX_DIMS] = {0};
    size_t lhs_at = 0, rhs_at = 0; /* element offsets of the current batch's matrices */
    uint8_t *out = out_t->data;
    /* With a depth of 0 the inputs may have no storage; nothing is read from them then. */
    static const uint64_t nothing = 0;
    d->f32opt.packed_rhs = NULL; /* the scratch holds no packed rhs yet */
    const uint8_t *lhs_base = lhs_t->data ? lhs_t->data : (const uint8_t *)&nothing;
    const uint8_t *rhs_base = rhs_t->data ? rhs_t->data : (const uint8_t *)&nothing;
    if (d->kind == BMM_F32 && d->f32opt.enabled && d->f32opt.all_batches)
        return bmm_f32_opt_run_all(ctx, node, &d->f32opt, (const float *)(const void *)lhs_base, d->lhs_m_step,
                                   (const float *)(const void *)rhs_base, (float *)(void *)out);
    for (;;) {
        const void *a = lhs_base + lhs_at * lhs_elem, *b = rhs_base + rhs_at * rhs_elem;
        switch (d->kind) {
        case BMM_F32:
            if (d->f32opt.enabled) {
                mote_status st = bmm_f32_opt_run(ctx, node, &d->f32opt, a, d->lhs_m_step,
                                                 (const float *)(const void *)rhs_base, rhs_at, (float *)(void *)out);
                if (st) return st;
            } else {
                matmul_f32(d, a, b, (float *)(void *)out);
            }
            break;
        case BMM_I8: matmul_i8(d, a, b, (int8_t *)out, acc); break;
        case BMM_I8_I32: matmul_i8_i32(d, a, b, (int32_t *)(void *)out, acc); break;
        case BMM_I16: matmul_i16(d, a, b, 0, (int16_t *)(void *)out, acc); break;
        case BMM_I16_I8: matmul_i16(d, a, b, 1, (int16_t *)(void *)out, acc); break;
        }
        out += out_matrix;
        int32_t i = d->batch_rank - 1;
        for (; i >= 0; i--) {
            lhs_at += d->lhs_batch_step[i];
            rhs_at += d->rhs_batch_step[i];
            if (++idx[i] < d->batch_dims[i]) break;
            lhs_at -= d->lhs_batch_step[i] * (size_t)d->batch_dims[i];
            rhs_at -= d->rhs_batch_step[i] * (size_t)d->batch_dims[i];
            idx[i] = 0;
        }
        if (i < 0) break;
    }
    return MOTE_OK;
}

const mote_op mote_op_batch_matmul = {
    NULL, MOTE_OP_BATCH_MATMUL, batch_matmul_init, batch_matmul_prepare, batch_matmul_pack, batch_matmul_eval, NULL};
