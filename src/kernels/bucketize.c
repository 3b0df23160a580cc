/* bucketize.c — BUCKETIZE: for each value, the number of (sorted, float) boundaries at or
 * below it, as an int32 bucket index (std::upper_bound in TensorFlow Lite). float32,
 * float64, int32 and int64 inputs, compared with the boundaries as C++ would: integers
 * converted to float, float64 against the boundaries widened to double. */
#include "kernels/kernel.h"

#define OPT_BOUNDARIES 0

typedef struct bucketize_data {
    uint32_t count;      /* number of boundaries */
    float boundaries[];  /* [count], ascending */
} bucketize_data;

static mote_status bucketize_init(mote_context *ctx, mote_node *node) {
    fb_table opt = kernel_options(ctx, node, TFL_OPTIONS_BUCKETIZE);
    fb_vec v = {0};
    if (opt && fb_has_field(kernel_fb(ctx), opt, OPT_BOUNDARIES)) v = fb_vec_field(kernel_fb(ctx), opt, OPT_BOUNDARIES);
    bucketize_data *d = kernel_alloc_data(ctx, node, sizeof *d + (size_t)v.len * sizeof(float));
    if (!d) return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    d->count = v.len;
    for (uint32_t i = 0; i < v.len; i++) {
        d->boundaries[i] = fb_vec_f32(kernel_fb(ctx), v, i);
        if (i > 0 && !(d->boundaries[i - 1] <= d->boundaries[i]))
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "boundaries must be sorted: %g after %g",
                               (double)d->boundaries[i], (double)d->boundaries[i - 1]);
    }
    return MOTE_OK;
}

static mote_status bucketize_prepare(mote_context *ctx, mote_node *node) {
    mote_tensor *in, *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 1, 1, 1)) || (st = kernel_require_input(ctx, node, 0, &in)) ||
        (st = kernel_require_output(ctx, node, 0, &out)) ||
        (st = kernel_check_type(ctx, node, out, "output", 0, MOTE_INT32)))
        return st;
    if (in->type != MOTE_FLOAT32 && in->type != MOTE_FLOAT64 && in->type != MOTE_INT32 && in->type != MOTE_INT64)
        return kernel_unsupported_type(ctx, node, in, "input", 0);
    return kernel_copy_shape(ctx, node, out, in);
}

/* The first boundary index whose boundary exceeds v (count when none does, also for NaN). */
#define DEFINE_BUCKET(name, T, W)                                                              \
    static int32_t name(const bucketize_data *d, T v) {                                        \
        uint32_t lo = 0, hi = d->count;                                                        \
        while (lo < hi) {                                                              \
            uint32_t mid = lo + (hi - lo) / 2;                                                 \
            if ((W)v < (W)d->boundaries[mid])                                                  \
                hi = mid;                                                                      \
            else                                                                               \
                lo = mid + 1;                                                                  \
        }                                                                                      \
        return (int32_t)lo;                                                                    \
    }
DEFINE_BUCKET(bucket_f32, float, float)
DEFINE_BUCKET(bucket_f64, double, double)
DEFINE_BUCKET(bucket_i32, int32_t, float)
DEFINE_BUCKET(bucket_i64, int64_t, float)

static mote_status bucketize_eval(mote_context *ctx, mote_node *node) {
    const bucketize_data *d = node->data;
    const mote_tensor *in = kernel_input(ctx, node, 0);
    mote_tensor *out = kernel_output(ctx, node, 0);
    int32_t *y = KERNEL_DATA(out, int32_t);
    const size_t n = kernel_count(out);
    switch (in->type) {
    case MOTE_FLOAT32: for (size_t k = 0; k < n; k++) y[k] = bucket_f32(d, KERNEL_DATA(in, const float)[k]); break;
    case MOTE_FLOAT64: for (size_t k = 0; k < n; k++) y[k] = bucket_f64(d, KERNEL_DATA(in, const double)[k]); break;
    case MOTE_INT32: for (size_t k = 0; k < n; k++) y[k] = bucket_i32(d, KERNEL_DATA(in, const int32_t)[k]); break;
    default: for (size_t k = 0; k < n; k++) y[k] = bucket_i64(d, KERNEL_DATA(in, const int64_t)[k]); break;
    }
    return MOTE_OK;
}

const mote_op mote_op_bucketize = {NULL, MOTE_OP_BUCKETIZE, bucketize_init, bucketize_prepare, NULL, bucketize_eval,
                                   NULL};
