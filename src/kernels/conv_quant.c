/* conv_quant.c — prepare-time quantization of the convolution-like kernels and the input
 * quantization of their hybrid variants (see conv_quant.h). */
#include "kernels/conv_quant.h"

#include "core/alloc.h"

/* The quantized range of an activation or weight type. */
static int type_range(mote_type type, int32_t *qmin, int32_t *qmax) {
    switch (type) {
    case MOTE_INT8: *qmin = INT8_MIN, *qmax = INT8_MAX; return 1;
    case MOTE_UINT8: *qmin = 0, *qmax = UINT8_MAX; return 1;
    case MOTE_INT16: *qmin = INT16_MIN, *qmax = INT16_MAX; return 1;
    default: *qmin = *qmax = 0; return 0;
    }
}

static int scale_ok(float s) { return isfinite(s) && s > 0.0f; }

mote_status conv_quant_check_activation_tensor(mote_context *ctx, const mote_node *node, const mote_tensor *t,
                                               const char *role, int32_t index) {
    char desc[160];
    int32_t qmin, qmax;
    kernel_describe(t, role, index, desc, sizeof desc);
    const model_tensor *d = t->def;
    if (!d || d->quant_count < 1 || d->quant_details_type != TFL_QDETAILS_NONE)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: %s needs affine quantization parameters",
                           desc, mote_type_name(t->type));
    if (!scale_ok(t->scale))
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: scale %g is not a positive number", desc,
                           (double)t->scale);
    if (!type_range(t->type, &qmin, &qmax)) return kernel_unsupported_type(ctx, node, t, role, index);
    if (t->type == MOTE_INT16) qmin = qmax = 0; /* int16 activations are symmetric */
    if (t->zero_point < qmin || t->zero_point > qmax)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: zero point %d is outside [%d, %d]", desc,
                           t->zero_point, qmin, qmax);
    return MOTE_OK;
}

mote_status conv_quant_check_filter(mote_context *ctx, const mote_node *node, const mote_tensor *filter,
                                    int32_t index, int32_t channels, int allow_zero_point, int *per_channel) {
    char desc[160];
    int32_t qmin, qmax;
    kernel_describe(filter, "input", index, desc, sizeof desc);
    const model_tensor *d = filter->def;
    if (!d || d->quant_count < 1 || d->quant_details_type != TFL_QDETAILS_NONE)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "%s: %s weights need affine quantization parameters", desc,
                           mote_type_name(filter->type));
    if (!type_range(filter->type, &qmin, &qmax))
        return kernel_unsupported_type(ctx, node, filter, "input", index);
    *per_channel = d->quant_count > 1;
    if (d->quantized_dimension < 0 || d->quantized_dimension >= filter->rank)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "%s: quantized_dimension %d is outside the weights' %d dimensions", desc,
                           d->quantized_dimension, filter->rank);
    if (*per_channel) {
        if (d->quant_count != channels || filter->dims[d->quantized_dimension] != channels)
            return kernel_fail(
                ctx, node, MOTE_ERROR_INVALID_MODEL,
                "%s: %d scales along dimension %d (size %d), expected one per output channel (%d)", desc,
                d->quant_count, d->quantized_dimension, filter->dims[d->quantized_dimension], channels);
    }
    for (int32_t c = 0; c < d->quant_count; c++) {
        if (!scale_ok(d->scales[c]))
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                               "%s: scale %d (%g) is not a positive number", desc, c, (double)d->scales[c]);
        int64_t zp = d->zero_points[c];
        if (zp < qmin || zp > qmax)
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: zero point %lld is outside [%d, %d]",
                               desc, (long long)zp, qmin, qmax);
        if (zp != 0 && !allow_zero_point)
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                               "%s: %s weights must be symmetric, zero point %d is %lld", desc,
                               *per_channel ? "per-channel" : "these", c, (long long)zp);
    }
    return MOTE_OK;
}

mote_status conv_quant_check_bias(mote_context *ctx, const mote_node *node, conv_quant *q,
                                  const mote_tensor *bias, int32_t index, mote_type activation_type,
                                  int32_t bias_type_option, int32_t channels) {
    char desc[160];
    /* int16x8 without an int32 bias accumulates in int64, as TensorFlow Lite does. */
    q->wide = activation_type == MOTE_INT16 && !(bias && bias->type == MOTE_INT32);
    if (activation_type == MOTE_INT16 && bias_type_option != MOTE_FLOAT32) {
        if (bias_type_option != MOTE_INT32 && bias_type_option != MOTE_INT64)
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                               "quantized_bias_type %d is neither int32 nor int64", bias_type_option);
        if (bias && bias->type != (mote_type)bias_type_option)
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                               "%s: type %s, but quantized_bias_type says %s",
                               kernel_describe(bias, "input", index, desc, sizeof desc),
                               mote_type_name(bias->type), mote_type_name((mote_type)bias_type_option));
        q->wide = bias_type_option == MOTE_INT64;
    }
    if (!bias) return MOTE_OK;
    if (activation_type == MOTE_INT16) {
        if (bias->type != MOTE_INT32 && bias->type != MOTE_INT64)
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: expected int32 or int64, got %s",
                               kernel_describe(bias, "input", index, desc, sizeof desc),
                               mote_type_name(bias->type));
    } else {
        mote_status st = kernel_check_type(ctx, node, bias, "input", index, MOTE_INT32);
        if (st) return st;
    }
    if (kernel_count(bias) != (size_t)channels)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: %zu elements, expected %d",
                           kernel_describe(bias, "input", index, desc, sizeof desc), kernel_count(bias),
                           channels);
    return MOTE_OK;
}

/* Makes room for n channels in q's arrays (they are filled right after). */
static mote_status reserve(mote_context *ctx, const mote_node *node, conv_quant *q, int32_t n) {
    if (n <= q->capacity) return MOTE_OK;
    int32_t *m = mote_alloc_array(&ctx->alloc, (size_t)n, sizeof *m);
    int32_t *s = mote_alloc_array(&ctx->alloc, (size_t)n, sizeof *s);
    if (!m || !s) {
        mote_free(&ctx->alloc, m, (size_t)n * sizeof *m);
        mote_free(&ctx->alloc, s, (size_t)n * sizeof *s);
        return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory for %d channel multipliers",
                           n);
    }
    conv_quant_release(ctx, q);
    q->multipliers = m;
    q->shifts = s;
    q->capacity = n;
    return MOTE_OK;
}

mote_status conv_quant_prepare(mote_context *ctx, const mote_node *node, conv_quant *q, const mote_tensor *in,
                               const mote_tensor *filter, const mote_tensor *out, int activation,
                               int32_t channels, conv_multiplier_rule rule) {
    mote_status st = reserve(ctx, node, q, channels);
    if (st) return st;
    const model_tensor *fq = filter->def;
    q->channels = channels;
    q->input_offset = -in->zero_point;
    q->filter_offset = fq->quant_count == 1 ? -(int32_t)fq->zero_points[0] : 0;
    q->output_offset = out->zero_point;
    /* The wide (int64) accumulator's multiply only takes shifts below 8 (a multiplier
     * below 128); the int32 one up to 30. Larger ones are outside TensorFlow Lite's domain. */
    const int max_shift = q->wide ? 7 : 30;
    for (int32_t c = 0; c < channels; c++) {
        float fs = fq->scales[fq->quant_count > 1 ? c : 0];
        double real = rule == CONV_MULTIPLIER_DOUBLE
                          ? quant_conv_channel_multiplier(in->scale, fs, out->scale)
                          : quant_conv_tensor_multiplier(in->scale, fs, out->scale);
        int shift;
        if (!quant_quantize_multiplier(real, &q->multipliers[c], &shift) || shift > max_shift)
            return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED,
                               "channel %d: output multiplier %g (input scale %g x weight scale %g / output "
                               "scale %g) is too large",
                               c, real, (double)in->scale, (double)fs, (double)out->scale);
        q->shifts[c] = shift;
    }
    int32_t qmin, qmax;
    type_range(out->type, &qmin, &qmax);
    if (!quant_activation_range(activation, out->scale, out->zero_point, qmin, qmax, &q->act_min,
                                &q->act_max))
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "fused activation %d does not fit the output's quantization (scale %g)",
                           activation, (double)out->scale);
    return MOTE_OK;
}

void conv_quant_release(mote_context *ctx, conv_quant *q) {
    size_t bytes = (size_t)q->capacity * sizeof(int32_t);
    mote_free(&ctx->alloc, q->multipliers, bytes);
    mote_free(&ctx->alloc, q->shifts, bytes);
    q->multipliers = q->shifts = NULL;
    q->capacity = q->channels = 0;
}

/* ---- hybrid kernels ---- */

mote_status conv_hybrid_check_types(mote_context *ctx, const mote_node *node, const mote_tensor *bias,
                                    int32_t bias_index, int32_t channels, const mote_tensor *out) {
    mote_status st;
    char desc[160];
    if ((st = kernel_check_type(ctx, node, out, "output", 0, MOTE_FLOAT32))) return st;
    if (!bias) return MOTE_OK;
    if ((st = kernel_check_type(ctx, node, bias, "input", bias_index, MOTE_FLOAT32))) return st;
    if (kernel_count(bias) != (size_t)channels)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: %zu elements, expected %d",
                           kernel_describe(bias, "input", bias_index, desc, sizeof desc), kernel_count(bias),
                           channels);
    return MOTE_OK;
}

void conv_quantize_symmetric(const float *x, size_t n, int8_t *q, float *scale) {
    float mn = n ? x[0] : 0.0f, mx = mn;
    for (size_t i = 1; i < n; i++) {
        if (x[i] < mn) mn = x[i];
        if (x[i] > mx) mx = x[i];
    }
    const float range = fabsf(mn) > fabsf(mx) ? fabsf(mn) : fabsf(mx);
    if (range == 0.0f) {
        memset(q, 0, n);
        *scale = 1.0f;
        return;
    }
    *scale = range / 127.0f;
    const float inv = 127.0f / range;
    for (size_t i = 0; i < n; i++) {
        int32_t v = quant_f32_to_i32_sat(roundf(x[i] * inv));
        q[i] = (int8_t)(v < -127 ? -127 : v > 127 ? 127 : v);
    }
}

void conv_quantize_asymmetric(const float *x, size_t n, int8_t *q, float *scale, int32_t *zero_point) {
    float mn = n ? x[0] : 0.0f, mx = mn;
    for (size_t i = 1; i < n; i++) {
        if (x[i] < mn) mn = x[i];
        if (x[i] > mx) mx = x[i];
    }
    /* In double, as TensorFlow Lite: the range always includes 0. */
    const double rmin = mn < 0.0f ? mn : 0.0f, rmax = mx > 0.0f ? mx : 0.0f;
    if (rmin == rmax) {
        memset(q, 0, n);
        *scale = 1.0f;
        *zero_point = 0;
        return;
    }
    const double s = (rmax - rmin) / 255.0;
    /* The zero point from whichever end loses less precision, nudged to an integer. */
    const double from_min = -128.0 - rmin / s, from_max = 127.0 - rmax / s;
    const double zp = (128.0 + fabs(rmin / s)) < (127.0 + fabs(rmax / s)) ? from_min : from_max;
    /* An infinite input makes zp NaN (inf / inf): it takes the lowest zero point. */
    *zero_point = zp >= 127.0 ? 127 : zp > -128.0 ? (int32_t)round(zp) : -128;
    *scale = (float)s;
    const float inv = 1.0f / *scale;
    for (size_t i = 0; i < n; i++) {
        int32_t v = quant_f32_to_i32_sat(roundf((float)*zero_point + x[i] * inv));
        q[i] = (int8_t)(v < -128 ? -128 : v > 127 ? 127 : v);
    }
}

mote_status conv_hybrid_request_scratch(mote_context *ctx, mote_node *node, const mote_tensor *in,
                                        int32_t *input_scratch, int32_t *batch_scratch) {
    const size_t batches = (size_t)in->dims[0];
    mote_status st;
    if ((st = mote_node_request_scratch(ctx, node, kernel_count(in) ? kernel_count(in) : 1, input_scratch)) ||
        (st = mote_node_request_scratch(ctx, node, batches ? batches * (sizeof(float) + sizeof(int32_t)) : 1,
                                        batch_scratch)))
        return kernel_fail(ctx, node, st, "cannot reserve scratch memory for the quantized input");
    return MOTE_OK;
}

mote_status conv_hybrid_quantize_input(mote_context *ctx, const mote_node *node, const mote_tensor *in,
                                       int32_t input_scratch, int32_t batch_scratch, int asymmetric,
                                       int8_t **xq, float **scales, int32_t **offsets) {
    void *q, *batch;
    mote_status st;
    if ((st = mote_node_scratch(ctx, node, input_scratch, &q)) ||
        (st = mote_node_scratch(ctx, node, batch_scratch, &batch)))
        return kernel_fail(ctx, node, st, "scratch buffer missing");
    const int32_t batches = in->dims[0];
    *xq = q;
    *scales = batch;                              /* [batches] */
    *offsets = (int32_t *)(*scales + batches);    /* [batches] */
    const size_t per_batch = batches ? kernel_count(in) / (size_t)batches : 0;
    const float *x = KERNEL_DATA(in, const float);
    for (int32_t n = 0; n < batches; n++) {
        const size_t at = (size_t)n * per_batch;
        (*offsets)[n] = 0;
        if (asymmetric)
            conv_quantize_asymmetric(x + at, per_batch, *xq + at, &(*scales)[n], &(*offsets)[n]);
        else
            conv_quantize_symmetric(x + at, per_batch, *xq + at, &(*scales)[n]);
    }
    return MOTE_OK;
}

mote_status conv_quant_check_tensors(mote_context *ctx, const mote_node *node, conv_quant *q, const mote_tensor *in,
                                     int32_t in_index, const mote_tensor *filter, int32_t filter_index,
                                     const mote_tensor *bias, int32_t bias_index, mote_type bias_type_option,
                                     const mote_tensor *out, int32_t channels) {
    const mote_type weight_type = in->type == MOTE_UINT8 ? MOTE_UINT8 : MOTE_INT8;
    int per_channel;
    mote_status st;
    if ((st = kernel_check_type(ctx, node, out, "output", 0, in->type))) return st;
    if (filter->type != weight_type) return kernel_unsupported_type(ctx, node, filter, "input", filter_index);
    if ((st = conv_quant_check_activation_tensor(ctx, node, in, "input", in_index)) ||
        (st = conv_quant_check_activation_tensor(ctx, node, out, "output", 0)) ||
        (st = conv_quant_check_filter(ctx, node, filter, filter_index, channels, in->type == MOTE_UINT8,
                                      &per_channel)) ||
        (st = conv_quant_check_bias(ctx, node, q, bias, bias_index, in->type, bias_type_option, channels)))
        return st;
    if (per_channel && in->type == MOTE_UINT8)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "uint8 weights must be quantized per tensor (found %d scales)",
                           filter->def->quant_count);
    return MOTE_OK;
}
