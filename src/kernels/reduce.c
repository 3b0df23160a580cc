/* reduce.c — MEAN, SUM, REDUCE_PROD, REDUCE_MAX, REDUCE_MIN over the axes of a constant
 * tensor, with keep_dims: float32, plain int32/int64 (not MEAN), MAX/MIN of quantized
 * tensors whose quantization equals the output's (the order of raw values is the order of
 * real values, so no arithmetic is needed), and quantized MEAN and SUM as TensorFlow Lite
 * computes them:
 *   MEAN int8/uint8/int16, SUM uint8  the integer sum minus zero points, rescaled by one
 *       multiplier (for MEAN folded with 1 / count), reference_ops::QuantizedMeanOrSum;
 *   SUM int8   TensorFlow Lite's reference kernel misreads int8 there, so its optimized
 *       kernel's float rescaling (which matches the real sum) is followed instead;
 *   SUM int16  raw int16 sums, with the output's quantization equal to the input's. */
#include "kernels/kernel.h"
#include "kernels/math_f32_opt.h"
#include "kernels/quant.h"
#include "kernels/reduce_i8_opt.h"

/* ReducerOptions.keep_dims */
#define OPT_KEEP_DIMS 0

enum { IN_INPUT = 0, IN_AXES = 1 };

typedef struct reduce_data {
    int32_t keep_dims;                /* reduced dimensions stay, with size 1 */
    int32_t rank;                     /* input rank (set in prepare) */
    int32_t dims[MOTE_MAX_DIMS];      /* input dimensions */
    size_t out_stride[MOTE_MAX_DIMS]; /* output element stride per input dimension, 0 if reduced */
    size_t reduce_count;              /* input elements folded into each output (MEAN's divisor) */
    /* Quantized MEAN/SUM (set in prepare): */
    int32_t input_zero_point, output_zero_point;
    int32_t multiplier, shift;        /* the integer sum (less zero points) onto the output */
    float sum_scale, sum_bias;        /* int8 SUM: output = round(sum * scale + bias) + zero point */
    int32_t quantized;                /* MEAN/SUM computed from int32 sums in scratch */
    int32_t sums_scratch;             /* scratch index of the int32 sums [output elements] */
} reduce_data;

static mote_status reduce_init(mote_context *ctx, mote_node *node) {
    reduce_data *d = kernel_alloc_data(ctx, node, sizeof *d);
    if (!d) return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    d->keep_dims = KOPT_BOOL(ctx, kernel_options(ctx, node, TFL_OPTIONS_REDUCER), OPT_KEEP_DIMS, 0);
    return MOTE_OK;
}

static int is_min_max(int32_t code) { return code == MOTE_OP_REDUCE_MAX || code == MOTE_OP_REDUCE_MIN; }

/* Which input types this op computes; quantized MEAN, SUM and PROD need rescaling. */
static mote_status check_reduce_type(mote_context *ctx, const mote_node *node, const mote_tensor *in,
                                     const mote_tensor *out) {
    const int32_t code = node->def->builtin_code;
    switch (in->type) {
    case MOTE_FLOAT32: return MOTE_OK;
    case MOTE_INT32:
    case MOTE_INT64:
        if (code != MOTE_OP_MEAN) return MOTE_OK;
        break;
    case MOTE_INT8:
    case MOTE_UINT8:
    case MOTE_INT16: {
        const int same = in->scale == out->scale && in->zero_point == out->zero_point;
        if (is_min_max(code) && same) return MOTE_OK;
        if (code == MOTE_OP_MEAN || (code == MOTE_OP_SUM && in->type != MOTE_INT16)) return MOTE_OK;
        if (code == MOTE_OP_SUM && same) return MOTE_OK;
        if (code == MOTE_OP_SUM) {
            char b[160];
            return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED,
                               "%s: int16 SUM needs the output's quantization equal to the input's",
                               kernel_describe(in, "input", IN_INPUT, b, sizeof b));
        }
        break;
    }
    default: break;
    }
    return kernel_unsupported_type(ctx, node, in, "input", IN_INPUT);
}

/* The quantized MEAN/SUM constants: the multiplier of input_scale / output_scale (in
 * double); for MEAN it also takes 1 / count, shifted up by up to floor(log2(count)) bits
 * first to keep precision, exactly as reference_ops::QuantizedMeanOrSum does. */
static mote_status prepare_quantized(mote_context *ctx, mote_node *node, reduce_data *d,
                                     const mote_tensor *in, const mote_tensor *out) {
    const int32_t code = node->def->builtin_code;
    d->quantized = 0;
    if (code != MOTE_OP_MEAN && code != MOTE_OP_SUM) return MOTE_OK;
    if (in->type != MOTE_INT8 && in->type != MOTE_UINT8 && in->type != MOTE_INT16) return MOTE_OK;
    char b[160];
    size_t out_n = kernel_count(out);
    mote_status st = mote_node_request_scratch(ctx, node, (out_n ? out_n : 1) * sizeof(int32_t), &d->sums_scratch);
    if (st) return st;
    d->quantized = 1;
    for (int32_t i = 0; i < 2; i++) {
        const mote_tensor *t = i ? out : in;
        int32_t qmin = t->type == MOTE_UINT8 ? 0 : t->type == MOTE_INT8 ? INT8_MIN : INT16_MIN;
        int32_t qmax = t->type == MOTE_UINT8 ? UINT8_MAX : t->type == MOTE_INT8 ? INT8_MAX : INT16_MAX;
        if (!(t->scale > 0.0f) || !isfinite(t->scale) || t->zero_point < qmin || t->zero_point > qmax ||
            (t->type == MOTE_INT16 && t->zero_point != 0))
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                               "%s: invalid quantization (scale %g, zero point %d)",
                               kernel_describe(t, i ? "output" : "input", 0, b, sizeof b), (double)t->scale,
                               t->zero_point);
    }
    d->input_zero_point = in->zero_point;
    d->output_zero_point = out->zero_point;
    if (code == MOTE_OP_SUM && in->type == MOTE_INT16) return MOTE_OK; /* raw sums */
    if (code == MOTE_OP_SUM && in->type == MOTE_INT8) {
        /* In float, operation by operation, as the optimized kernel computes them. */
        d->sum_scale = in->scale / out->scale;
        float zp_scaled = (float)(-in->zero_point) * d->sum_scale;
        d->sum_bias = zp_scaled * (float)d->reduce_count;
        return MOTE_OK;
    }
    int shift;
    if (!quant_quantize_multiplier((double)in->scale / (double)out->scale, &d->multiplier, &shift))
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "the ratio of input and output scales cannot be represented");
    d->shift = shift;
    if (code == MOTE_OP_MEAN && d->reduce_count > 0) {
        int64_t n = (int64_t)d->reduce_count;
        int log2n = 63 - (int)(n >> 32 ? quant_clz32((uint32_t)(n >> 32)) : 32 + quant_clz32((uint32_t)n));
        int up = log2n < 32 ? log2n : 32;
        if (up > 31 + d->shift) up = 31 + d->shift;
        d->multiplier = (int32_t)(((int64_t)d->multiplier << up) / n);
        d->shift -= up;
    }
    return MOTE_OK;
}

static mote_status reduce_prepare(mote_context *ctx, mote_node *node) {
    reduce_data *d = node->data;
    mote_tensor *in, *axes, *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 2, 2, 1)) ||
        (st = kernel_require_input(ctx, node, IN_INPUT, &in)) ||
        (st = kernel_require_input(ctx, node, IN_AXES, &axes)) ||
        (st = kernel_require_output(ctx, node, 0, &out)) ||
        (st = kernel_check_type(ctx, node, out, "output", 0, in->type)) ||
        (st = check_reduce_type(ctx, node, in, out)) ||
        (st = kernel_check_int_arg(ctx, node, axes, "input", IN_AXES)))
        return st;
    int reduced[MOTE_MAX_DIMS] = {0};
    for (size_t k = 0, n = kernel_count(axes); k < n; k++) {
        int64_t axis = kernel_int_at(axes, k);
        if (axis < -(int64_t)in->rank || axis >= in->rank)
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "axis %lld is out of range for rank %d",
                               (long long)axis, in->rank);
        reduced[axis < 0 ? axis + in->rank : axis] = 1; /* repeats are allowed */
    }
    d->rank = in->rank;
    memcpy(d->dims, in->dims, sizeof(int32_t) * (size_t)in->rank);
    int32_t rank = 0, dims[MOTE_MAX_DIMS];
    size_t stride = 1;
    d->reduce_count = 1;
    for (int32_t k = in->rank - 1; k >= 0; k--) {
        if (reduced[k]) {
            d->out_stride[k] = 0;
            d->reduce_count *= (size_t)in->dims[k];
        } else {
            d->out_stride[k] = stride;
            stride *= (size_t)in->dims[k];
        }
    }
    for (int32_t k = 0; k < in->rank; k++) {
        if (!reduced[k])
            dims[rank++] = in->dims[k];
        else if (d->keep_dims)
            dims[rank++] = 1;
    }
    if ((st = kernel_set_shape(ctx, node, out, rank, dims))) return st;
    return prepare_quantized(ctx, node, d, in, out);
}

/* Visits the input in row-major order; O follows the output element each input element
 * folds into. */
#define REDUCE_WALK(d, n, I, O, BODY)                                  \
    do {                                                               \
        int32_t idx_[MOTE_MAX_DIMS] = {0};                             \
        size_t O = 0;                                                  \
        for (size_t I = 0; I < (n); I++) {                             \
            BODY;                                                      \
            for (int32_t k_ = (d)->rank - 1; k_ >= 0; k_--) {          \
                O += (d)->out_stride[k_];                              \
                if (++idx_[k_] < (d)->dims[k_]) break;                 \
                O -= (d)->out_stride[k_] * (size_t)(d)->dims[k_];      \
                idx_[k_] = 0;                                          \
            }                                                          \
        }                                                              \
    } while (0)

static void reduce_f32(int32_t code, const reduce_data *d, const float *x, size_t in_n, float *y,
                       size_t out_n) {
    float init = 0.0f;
    if (code == MOTE_OP_REDUCE_PROD) init = 1.0f;
    if (code == MOTE_OP_REDUCE_MAX) init = -INFINITY;
    if (code == MOTE_OP_REDUCE_MIN) init = INFINITY;
    for (size_t o = 0; o < out_n; o++) y[o] = init;
    switch (code) {
    case MOTE_OP_MEAN:
    case MOTE_OP_SUM: REDUCE_WALK(d, in_n, i, o, y[o] += x[i]); break;
    case MOTE_OP_REDUCE_PROD: REDUCE_WALK(d, in_n, i, o, y[o] *= x[i]); break;
    case MOTE_OP_REDUCE_MAX: REDUCE_WALK(d, in_n, i, o, y[o] = x[i] > y[o] ? x[i] : y[o]); break;
    default: REDUCE_WALK(d, in_n, i, o, y[o] = x[i] < y[o] ? x[i] : y[o]); break;
    }
    if (code == MOTE_OP_MEAN)
        for (size_t o = 0; o < out_n; o++) y[o] /= (float)d->reduce_count;
}

/* Integer SUM and PROD wrap around as TensorFlow Lite's do (unsigned arithmetic: signed
 * overflow is undefined in C). */
#define DEFINE_REDUCE_INT(name, T, U, T_MIN, T_MAX)                                                   \
    static void name(int32_t code, const reduce_data *d, const T *x, size_t in_n, T *y, size_t out_n) { \
        T init = code == MOTE_OP_REDUCE_PROD ? 1                                                      \
                 : code == MOTE_OP_REDUCE_MAX ? T_MIN                                                 \
                 : code == MOTE_OP_REDUCE_MIN ? T_MAX                                                 \
                                              : 0;                                                    \
        for (size_t o = 0; o < out_n; o++) y[o] = init;                                               \
        switch (code) {                                                                               \
        case MOTE_OP_SUM: REDUCE_WALK(d, in_n, i, o, y[o] = (T)((U)y[o] + (U)x[i])); break;           \
        case MOTE_OP_REDUCE_PROD: REDUCE_WALK(d, in_n, i, o, y[o] = (T)((U)y[o] * (U)x[i])); break;   \
        case MOTE_OP_REDUCE_MAX: REDUCE_WALK(d, in_n, i, o, y[o] = x[i] > y[o] ? x[i] : y[o]); break; \
        default: REDUCE_WALK(d, in_n, i, o, y[o] = x[i] < y[o] ? x[i] : y[o]); break;                 \
        }                                                                                             \
    }

DEFINE_REDUCE_INT(reduce_i64, int64_t, uint64_t, INT64_MIN, INT64_MAX)
DEFINE_REDUCE_INT(reduce_i32, int32_t, uint32_t, INT32_MIN, INT32_MAX)

/* Quantized MIN and MAX compare raw values (same quantization in and out). */
#define DEFINE_MIN_MAX(name, T, T_MIN, T_MAX)                                                         \
    static void name(int32_t code, const reduce_data *d, const T *x, size_t in_n, T *y, size_t out_n) { \
        T init = code == MOTE_OP_REDUCE_MAX ? T_MIN : T_MAX;                                          \
        for (size_t o = 0; o < out_n; o++) y[o] = init;                                               \
        if (code == MOTE_OP_REDUCE_MAX)                                                               \
            REDUCE_WALK(d, in_n, i, o, y[o] = x[i] > y[o] ? x[i] : y[o]);                             \
        else                                                                                          \
            REDUCE_WALK(d, in_n, i, o, y[o] = x[i] < y[o] ? x[i] : y[o]);                             \
    }

DEFINE_MIN_MAX(min_max_i16, int16_t, INT16_MIN, INT16_MAX)
DEFINE_MIN_MAX(min_max_i8, int8_t, INT8_MIN, INT8_MAX)
DEFINE_MIN_MAX(min_max_u8, uint8_t, 0, UINT8_MAX)

/* Quantized MEAN and SUM: the int32 sums (wrapping, as TensorFlow Lite's) go to scratch,
 * then each is rescaled onto the output. */
#define DEFINE_QUANT_MEAN_SUM(name, T, TYPE, QMIN, QMAX)                                                \
    static void name(const reduce_data *d, int32_t code, const T *x, size_t in_n, int32_t *sums, T *y,   \
                     size_t out_n, int optimized) {                                                      \
        /* 8-bit inputs with the last dimension kept: row by row (reduce_i8_opt.c). */                \
        if (sizeof(T) != 1 || !optimized || !reduce_i8_sums_opt(d->rank, d->dims, d->out_stride, (const uint8_t *)x,    \
                                                  TYPE == MOTE_UINT8, sums, out_n)) {                    \
            for (size_t o = 0; o < out_n; o++) sums[o] = 0;                                              \
            REDUCE_WALK(d, in_n, i, o, sums[o] = quant_wrap_add_i32(sums[o], x[i]));                     \
        }                                                                                                \
        for (size_t o = 0; o < out_n; o++)                                                               \
            y[o] = (T)quant_mean_sum_value(d, code, TYPE, sums[o], QMIN, QMAX);                          \
    }

/* One output from its integer sum, saturated to the output type. */
static inline int32_t quant_mean_sum_value(const reduce_data *d, int32_t code, mote_type type, int32_t sum,
                                           int32_t qmin, int32_t qmax) {
    if (code == MOTE_OP_SUM && type == MOTE_INT16) return quant_wrap_i16(sum); /* raw int16 sum */
    if (code == MOTE_OP_SUM && type == MOTE_INT8) {
        float scaled = (float)sum * d->sum_scale;
        float v = roundf(scaled + d->sum_bias);
        int32_t q = quant_wrap_add_i32(quant_f32_to_i32_sat(v), d->output_zero_point);
        return q < qmin ? qmin : q > qmax ? qmax : q;
    }
    int32_t shifted = quant_wrap_i32((int64_t)sum - (int64_t)d->input_zero_point * (int64_t)d->reduce_count);
    int32_t v = quant_wrap_add_i32(quant_multiply_by_quantized_multiplier(shifted, d->multiplier, d->shift),
                                   d->output_zero_point);
    return v < qmin ? qmin : v > qmax ? qmax : v;
}

DEFINE_QUANT_MEAN_SUM(quant_mean_sum_i8, int8_t, MOTE_INT8, INT8_MIN, INT8_MAX)
DEFINE_QUANT_MEAN_SUM(quant_mean_sum_u8, uint8_t, MOTE_UINT8, 0, UINT8_MAX)
DEFINE_QUANT_MEAN_SUM(quant_mean_sum_i16, int16_t, MOTE_INT16, INT16_MIN, INT16_MAX)

static mote_status reduce_eval(mote_context *ctx, mote_node *node) {
    const reduce_data *d = node->data;
    const int32_t code = node->def->builtin_code;
    const mote_tensor *in = kernel_input(ctx, node, IN_INPUT);
    mote_tensor *out = kernel_output(ctx, node, 0);
    size_t in_n = kernel_count(in), out_n = kernel_count(out);
    if (out_n == 0) return MOTE_OK; /* nothing to write; data may be NULL */
    if (d->quantized) {
        void *scratch;
        mote_status st = mote_node_scratch(ctx, node, d->sums_scratch, &scratch);
        if (st) return st;
        if (in_n == 0) { /* nothing summed: TensorFlow Lite leaves zeros */
            memset(out->data, 0, out->bytes);
            return MOTE_OK;
        }
#define RUN_Q(fn, T) \
    fn(d, code, KERNEL_DATA(in, const T), in_n, scratch, KERNEL_DATA(out, T), out_n, kernel_use_optimized(ctx))
        switch (in->type) {
        case MOTE_INT8: RUN_Q(quant_mean_sum_i8, int8_t); break;
        case MOTE_UINT8: RUN_Q(quant_mean_sum_u8, uint8_t); break;
        default: RUN_Q(quant_mean_sum_i16, int16_t); break;
        }
#undef RUN_Q
        return MOTE_OK;
    }
#define RUN(fn, T) fn(code, d, KERNEL_DATA(in, const T), in_n, KERNEL_DATA(out, T), out_n)
    switch (in->type) {
    case MOTE_FLOAT32:
        /* MEAN and SUM of the innermost or outermost dimensions: math_f32_opt.c. */
        if (!reduce_f32_opt(ctx, code, d->rank, d->dims, d->out_stride, d->reduce_count,
                            KERNEL_DATA(in, const float), KERNEL_DATA(out, float)))
            RUN(reduce_f32, float);
        break;
    case MOTE_INT32: RUN(reduce_i32, int32_t); break;
    case MOTE_INT64: RUN(reduce_i64, int64_t); break;
    /* Quantized MIN/MAX with the output's quantization (checked in prepare). */
    case MOTE_INT8: RUN(min_max_i8, int8_t); break;
    case MOTE_UINT8: RUN(min_max_u8, uint8_t); break;
    case MOTE_INT16: RUN(min_max_i16, int16_t); break;
    default: return kernel_unsupported_type(ctx, node, in, "input", IN_INPUT);
    }
#undef RUN
    return MOTE_OK;
}

#define REDUCE_OP(sym, code) \
    const mote_op sym = {NULL, code, reduce_init, reduce_prepare, NULL, reduce_eval, NULL};

REDUCE_OP(mote_op_mean, MOTE_OP_MEAN)
REDUCE_OP(mote_op_sum, MOTE_OP_SUM)
REDUCE_OP(mote_op_reduce_prod, MOTE_OP_REDUCE_PROD)
REDUCE_OP(mote_op_reduce_max, MOTE_OP_REDUCE_MAX)
REDUCE_OP(mote_op_reduce_min, MOTE_OP_REDUCE_MIN)
