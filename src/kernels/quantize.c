/* quantize.c — QUANTIZE as TensorFlow Lite's reference kernel computes it: float32 to int8,
 * uint8 or int16 (per tensor, or per channel along the output's quantized dimension),
 * round(x / scale) + zero point with the division in float; and requantization between
 * int8, uint8, int16 and int32, (q - input zero point) times one Q0.31 multiplier of
 * input_scale / output_scale plus the output zero point, clamped to the output type.
 * int16 tensors have zero point 0. */
#include "kernels/kernel.h"
#include "kernels/quant.h"

typedef struct quantize_data {
    int32_t multiplier, shift;       /* requantize: input scale onto the output's */
    int32_t input_zero_point, output_zero_point;
    int32_t per_channel;             /* float input: one (scale, zero point) per channel */
    size_t outer, channels, inner;   /* per channel: the tensor seen as [outer, channels, inner] */
    const float *scales;             /* [channels], from the model */
    const int64_t *zero_points;      /* [channels], checked to fit the output type */
    int32_t use_lut;                 /* 8-bit to 8-bit requantization: lut[input byte] */
    uint8_t lut[256];
} quantize_data;

static mote_status quantize_init(mote_context *ctx, mote_node *node) {
    if (!kernel_alloc_data(ctx, node, sizeof(quantize_data)))
        return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    return MOTE_OK;
}

static int is_quantized(mote_type type) {
    return type == MOTE_INT8 || type == MOTE_UINT8 || type == MOTE_INT16 || type == MOTE_INT32;
}

static void type_range(mote_type type, int32_t *qmin, int32_t *qmax) {
    switch (type) {
    case MOTE_UINT8: *qmin = 0, *qmax = UINT8_MAX; break;
    case MOTE_INT16: *qmin = INT16_MIN, *qmax = INT16_MAX; break;
    case MOTE_INT32: *qmin = INT32_MIN, *qmax = INT32_MAX; break;
    default: *qmin = INT8_MIN, *qmax = INT8_MAX; break;
    }
}

/* One (scale, zero point) pair: positive finite scale, zero point in the type; an int16
 * output must have zero point 0 (inputs need not: TFLite Micro's int16 SOFTMAX writes
 * zero point -32768, as in keyword_scrambled). */
static int valid_params(mote_type type, double scale, int64_t zero_point, int is_output) {
    int32_t qmin, qmax;
    type_range(type, &qmin, &qmax);
    if (!(scale > 0.0) || !isfinite(scale)) return 0;
    if (type == MOTE_INT16 && is_output) return zero_point == 0;
    return zero_point >= qmin && zero_point <= qmax;
}

static mote_status bad_params(mote_context *ctx, const mote_node *node, const mote_tensor *t, const char *role) {
    char desc[160];
    return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: %s needs a positive scale and a zero point %s",
                       kernel_describe(t, role, 0, desc, sizeof desc), mote_type_name(t->type),
                       t->type == MOTE_INT16 && strcmp(role, "output") == 0 ? "of 0" : "inside its range");
}

/* Per-channel output parameters: the layout and a check of every pair. */
static mote_status prepare_per_channel(mote_context *ctx, const mote_node *node, quantize_data *d,
                                       const mote_tensor *out) {
    const model_tensor *q = out->def;
    char desc[160];
    int32_t axis = q->quantized_dimension;
    kernel_describe(out, "output", 0, desc, sizeof desc);
    if (axis < 0 || axis >= out->rank || out->dims[axis] != q->quant_count)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "%s: %d scales do not match quantized dimension %d", desc, q->quant_count, axis);
    for (int32_t c = 0; c < q->quant_count; c++)
        if (!valid_params(out->type, (double)q->scales[c], q->zero_points[c], 1))
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: channel %d has scale %g and zero point %lld",
                               desc, c, (double)q->scales[c], (long long)q->zero_points[c]);
    d->per_channel = 1;
    d->outer = kernel_dims_product(out, 0, axis);
    d->channels = (size_t)out->dims[axis];
    d->inner = kernel_dims_product(out, axis + 1, out->rank);
    d->scales = q->scales;
    d->zero_points = q->zero_points;
    return MOTE_OK;
}

/* One requantized value, clamped to the output type. */
static int32_t requantize_one(const quantize_data *d, int32_t x, mote_type out_type) {
    int32_t qmin, qmax;
    type_range(out_type, &qmin, &qmax);
    int32_t v = quant_wrap_sub_i32(x, d->input_zero_point);
    v = quant_multiply_by_quantized_multiplier(v, d->multiplier, d->shift);
    v = quant_wrap_add_i32(v, d->output_zero_point);
    return v < qmin ? qmin : v > qmax ? qmax : v;
}

static mote_status quantize_prepare(mote_context *ctx, mote_node *node) {
    quantize_data *d = node->data;
    mote_tensor *in, *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 1, 1, 1)) || (st = kernel_require_input(ctx, node, 0, &in)) ||
        (st = kernel_require_output(ctx, node, 0, &out)))
        return st;
    if (!is_quantized(out->type) || (out->type == MOTE_INT32 && in->type == MOTE_FLOAT32))
        return kernel_unsupported_type(ctx, node, out, "output", 0);
    if (in->type != MOTE_FLOAT32 && !is_quantized(in->type)) return kernel_unsupported_type(ctx, node, in, "input", 0);
    if ((st = kernel_copy_shape(ctx, node, out, in))) return st;
    char desc[160];
    if (!out->def || out->def->quant_count < 1)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: has no quantization parameters",
                           kernel_describe(out, "output", 0, desc, sizeof desc));
    if (out->def->quant_details_type != TFL_QDETAILS_NONE)
        return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED, "%s: only affine quantization is supported",
                           kernel_describe(out, "output", 0, desc, sizeof desc));
    d->per_channel = 0;
    d->use_lut = 0;
    if (out->def->quant_count > 1) {
        if (in->type != MOTE_FLOAT32)
            return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED,
                               "%s: requantizing to per-channel parameters is not supported",
                               kernel_describe(out, "output", 0, desc, sizeof desc));
        return prepare_per_channel(ctx, node, d, out);
    }
    if (!valid_params(out->type, (double)out->scale, out->zero_point, 1)) return bad_params(ctx, node, out, "output");
    d->output_zero_point = out->zero_point;
    if (in->type == MOTE_FLOAT32) return MOTE_OK;
    if (!valid_params(in->type, (double)in->scale, in->zero_point, 0)) return bad_params(ctx, node, in, "input");
    d->input_zero_point = in->zero_point;
    int shift;
    if (!quant_quantize_multiplier((double)in->scale / (double)out->scale, &d->multiplier, &shift) || shift < -31)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "the ratio of input and output scales cannot be represented");
    d->shift = shift;
    /* Between 8-bit types the result depends on the input byte alone: a table of the 256
     * results of requantize_one, built here, gives the same bytes faster. */
    d->use_lut = 0;
    if ((in->type == MOTE_INT8 || in->type == MOTE_UINT8) && (out->type == MOTE_INT8 || out->type == MOTE_UINT8)) {
        for (int32_t i = 0; i < 256; i++) {
            const int32_t v = in->type == MOTE_UINT8 ? i : (int32_t)(int8_t)(uint8_t)i;
            d->lut[i] = (uint8_t)requantize_one(d, v, out->type);
        }
        d->use_lut = 1;
    }
    return MOTE_OK;
}

/* Stores a value already inside the output type's range. */
static inline void store(mote_type type, void *data, size_t i, int32_t v) {
    switch (type) {
    case MOTE_UINT8: ((uint8_t *)data)[i] = (uint8_t)v; break;
    case MOTE_INT16: ((int16_t *)data)[i] = (int16_t)v; break;
    case MOTE_INT32: ((int32_t *)data)[i] = v; break;
    default: ((int8_t *)data)[i] = (int8_t)v; break;
    }
}

static inline int32_t load(mote_type type, const void *data, size_t i) {
    switch (type) {
    case MOTE_UINT8: return ((const uint8_t *)data)[i];
    case MOTE_INT16: return ((const int16_t *)data)[i];
    case MOTE_INT32: return ((const int32_t *)data)[i];
    default: return ((const int8_t *)data)[i];
    }
}

static void quantize_f32(const quantize_data *d, const mote_tensor *in, mote_tensor *out) {
    const float *x = KERNEL_DATA(in, const float);
    int32_t qmin, qmax;
    type_range(out->type, &qmin, &qmax);
    if (!d->per_channel) {
        for (size_t i = 0, n = kernel_count(in); i < n; i++)
            store(out->type, out->data, i, quant_quantize_f32(x[i], out->scale, d->output_zero_point, qmin, qmax));
        return;
    }
    size_t i = 0;
    for (size_t o = 0; o < d->outer; o++)
        for (size_t c = 0; c < d->channels; c++) {
            const float scale = d->scales[c];
            const int32_t zero_point = (int32_t)d->zero_points[c];
            for (size_t k = 0; k < d->inner; k++, i++)
                store(out->type, out->data, i, quant_quantize_f32(x[i], scale, zero_point, qmin, qmax));
        }
}

/* The table lookup over threads: blocks of LUT_BLOCK bytes. */
#define LUT_BLOCK 32768
typedef struct lut_run {
    const uint8_t *lut, *x;
    uint8_t *y;
    size_t n;
} lut_run;

static void lut_task(void *arg, int32_t task, int32_t thread) {
    (void)thread;
    const lut_run *r = arg;
    const size_t start = (size_t)task * LUT_BLOCK, end = start + LUT_BLOCK < r->n ? start + LUT_BLOCK : r->n;
    for (size_t i = start; i < end; i++) r->y[i] = r->lut[r->x[i]];
}

static void requantize(mote_context *ctx, const quantize_data *d, const mote_tensor *in, mote_tensor *out) {
    if (d->use_lut) {
        lut_run r = {d->lut, in->data, out->data, kernel_count(in)};
        const size_t tasks = (r.n + LUT_BLOCK - 1) / LUT_BLOCK;
        if (tasks > 1 && tasks <= INT32_MAX && kernel_threads(ctx) > 1)
            kernel_parallel_for(ctx, (int32_t)tasks, lut_task, &r);
        else if (r.n)
            for (size_t i = 0; i < r.n; i++) r.y[i] = r.lut[r.x[i]];
        return;
    }
    for (size_t i = 0, n = kernel_count(in); i < n; i++)
        store(out->type, out->data, i, requantize_one(d, load(in->type, in->data, i), out->type));
}

static mote_status quantize_eval(mote_context *ctx, mote_node *node) {
    const quantize_data *d = node->data;
    const mote_tensor *in = kernel_input(ctx, node, 0);
    mote_tensor *out = kernel_output(ctx, node, 0);
    if (in->type == MOTE_FLOAT32)
        quantize_f32(d, in, out);
    else
        requantize(ctx, d, in, out);
    return MOTE_OK;
}

const mote_op mote_op_quantize = {NULL, MOTE_OP_QUANTIZE, quantize_init, quantize_prepare, NULL, quantize_eval,
                                  NULL};
