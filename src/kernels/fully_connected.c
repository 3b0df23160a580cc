/* fully_connected.c — FULLY_CONNECTED with float32 activations: out[b, o] = act(sum_i
 * in[b, i] * w[o, i] + bias[o]), weights [outputs, inputs]. Weights are float32, or int8
 * ("hybrid" dynamic-range models), in which case each input row is quantized on the fly and
 * the products summed in integers, as TensorFlow Lite's hybrid kernel does. */
#include "kernels/kernel.h"

/* FullyConnectedOptions fields. */
#define OPT_FUSED_ACTIVATION 0
#define OPT_WEIGHTS_FORMAT 1
#define OPT_KEEP_NUM_DIMS 2
#define OPT_ASYMMETRIC_QUANTIZE_INPUTS 3

enum { IN_INPUT = 0, IN_WEIGHTS = 1, IN_BIAS = 2 };

/* Which arithmetic prepare chose. */
typedef enum fc_kind {
    FC_F32 = 0,      /* float32 input and weights */
    FC_HYBRID_I8 = 1 /* float32 input, int8 weights */
} fc_kind;

typedef struct fc_data {
    int32_t activation;       /* ActivationFunctionType */
    int32_t keep_num_dims;    /* output keeps the input's leading dims */
    int32_t asymmetric_input; /* hybrid: quantize input rows with a zero point */
    /* Set in prepare: */
    int32_t kind;             /* fc_kind */
    int32_t batches, input_size, output_size;
    float weight_scale;          /* hybrid, per-tensor weights */
    const float *channel_scales; /* hybrid, per-channel weights: [output_size], else NULL */
    int32_t scratch;             /* hybrid: [input_size] int8, one quantized input row */
} fc_data;

static mote_status fc_init(mote_context *ctx, mote_node *node) {
    fc_data *d = kernel_alloc_data(ctx, node, sizeof *d);
    if (!d) return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    fb_table opt = kernel_options(ctx, node, TFL_OPTIONS_FULLY_CONNECTED);
    d->activation = KOPT_I8(ctx, opt, OPT_FUSED_ACTIVATION, ACT_NONE);
    d->keep_num_dims = KOPT_BOOL(ctx, opt, OPT_KEEP_NUM_DIMS, 0);
    d->asymmetric_input = KOPT_BOOL(ctx, opt, OPT_ASYMMETRIC_QUANTIZE_INPUTS, 0);
    if (KOPT_I8(ctx, opt, OPT_WEIGHTS_FORMAT, 0) != 0)
        return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED, "shuffled weights format is not supported");
    return kernel_check_activation(ctx, node, d->activation);
}

/* Hybrid weights: int8, symmetric, one scale or one per output row. */
static mote_status prepare_hybrid(mote_context *ctx, mote_node *node, const mote_tensor *w) {
    fc_data *d = node->data;
    const model_tensor *q = w->def;
    char desc[160];
    kernel_describe(w, "input", IN_WEIGHTS, desc, sizeof desc);
    if (q->quant_count < 1 || q->quant_details_type != TFL_QDETAILS_NONE)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: int8 weights need affine scales",
                           desc);
    for (int32_t c = 0; c < q->quant_count; c++)
        if (q->zero_points[c] != 0)
            return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED,
                               "%s: hybrid weights must be symmetric (zero point %lld)", desc,
                               (long long)q->zero_points[c]);
    d->channel_scales = NULL;
    d->weight_scale = q->scales[0];
    if (q->quant_count > 1) {
        if (q->quantized_dimension != 0 || q->quant_count != d->output_size)
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                               "%s: %d scales along dimension %d, expected %d along dimension 0", desc,
                               q->quant_count, q->quantized_dimension, d->output_size);
        d->channel_scales = q->scales;
    }
    d->kind = FC_HYBRID_I8;
    return mote_node_request_scratch(ctx, node, (size_t)d->input_size, &d->scratch);
}

static mote_status fc_prepare(mote_context *ctx, mote_node *node) {
    fc_data *d = node->data;
    mote_tensor *in, *w, *out, *bias;
    mote_status st;
    char desc[160];
    if ((st = kernel_check_counts(ctx, node, 2, 3, 1)) ||
        (st = kernel_require_input(ctx, node, IN_INPUT, &in)) ||
        (st = kernel_require_input(ctx, node, IN_WEIGHTS, &w)) ||
        (st = kernel_require_output(ctx, node, 0, &out)) ||
        (st = kernel_check_rank(ctx, node, w, "input", IN_WEIGHTS, 2)))
        return st;
    bias = kernel_input(ctx, node, IN_BIAS);
    /* Sparse weights keep their encoded size; reading them as dense would overrun. */
    if (w->def && w->def->sparsity)
        return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED, "%s: sparse weights are not supported",
                           kernel_describe(w, "input", IN_WEIGHTS, desc, sizeof desc));
    d->output_size = w->dims[0];
    d->input_size = w->dims[1];
    size_t total = kernel_count(in);
    if (d->input_size == 0 || total % (size_t)d->input_size)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "input has %zu elements, not a multiple of the weights' %d columns", total,
                           d->input_size);
    if (total / (size_t)d->input_size > INT32_MAX)
        return kernel_fail(ctx, node, MOTE_ERROR_LIMIT, "too many rows");
    d->batches = (int32_t)(total / (size_t)d->input_size);

    switch (in->type) {
    case MOTE_FLOAT32:
        if ((st = kernel_check_type(ctx, node, out, "output", 0, MOTE_FLOAT32))) return st;
        if (bias && (st = kernel_check_type(ctx, node, bias, "input", IN_BIAS, MOTE_FLOAT32))) return st;
        if (w->type == MOTE_FLOAT32)
            d->kind = FC_F32;
        else if (w->type == MOTE_INT8)
            st = prepare_hybrid(ctx, node, w);
        else
            return kernel_unsupported_type(ctx, node, w, "input", IN_WEIGHTS);
        if (st) return st;
        break;
    default: return kernel_unsupported_type(ctx, node, in, "input", IN_INPUT);
    }

    if (bias && kernel_count(bias) != (size_t)d->output_size)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "bias has %zu elements, expected %d",
                           kernel_count(bias), d->output_size);
    if (d->keep_num_dims) {
        if (in->rank == 0 || in->dims[in->rank - 1] != d->input_size)
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                               "keep_num_dims needs the input's last dimension to be %d", d->input_size);
        int32_t dims[MOTE_MAX_DIMS];
        memcpy(dims, in->dims, sizeof(int32_t) * (size_t)in->rank);
        dims[in->rank - 1] = d->output_size;
        return kernel_set_shape(ctx, node, out, in->rank, dims);
    }
    int32_t dims[2] = {d->batches, d->output_size};
    return kernel_set_shape(ctx, node, out, 2, dims);
}

static void fc_f32(const fc_data *d, const float *x, const float *w, const float *b, float *y) {
    /* x [batches, in], w [out, in], b [out] or NULL, y [batches, out] */
    float lo, hi;
    kernel_activation_range_f32(d->activation, &lo, &hi);
    for (int32_t n = 0; n < d->batches; n++) {
        const float *row = x + (size_t)n * (size_t)d->input_size;
        for (int32_t o = 0; o < d->output_size; o++) {
            const float *wr = w + (size_t)o * (size_t)d->input_size;
            float acc = 0.0f;
            for (int32_t i = 0; i < d->input_size; i++) acc += row[i] * wr[i];
            if (b) acc += b[o];
            y[(size_t)n * (size_t)d->output_size + (size_t)o] = kernel_clamp_f32(acc, lo, hi);
        }
    }
}

/* Quantizes one input row to int8 as TensorFlow Lite's hybrid kernels do: symmetric (scale
 * max|x| / 127, zero point 0) or asymmetric (the row's range with 0 included over 255 steps,
 * zero point nudged into [-128, 127]). Sets *scale and *zero_point. */
static void quantize_row(const float *x, int32_t n, int asymmetric, int8_t *q, float *scale,
                         int32_t *zero_point) {
    float mn = x[0], mx = x[0];
    for (int32_t i = 1; i < n; i++) {
        if (x[i] < mn) mn = x[i];
        if (x[i] > mx) mx = x[i];
    }
    *zero_point = 0;
    if (!asymmetric) {
        const float range = fabsf(mn) > fabsf(mx) ? fabsf(mn) : fabsf(mx);
        if (range == 0) {
            memset(q, 0, (size_t)n);
            *scale = 1;
            return;
        }
        *scale = range / 127;
        const float inv = 127 / range;
        for (int32_t i = 0; i < n; i++) {
            int32_t v = (int32_t)roundf(x[i] * inv);
            q[i] = (int8_t)(v < -127 ? -127 : (v > 127 ? 127 : v));
        }
        return;
    }
    const double rmin = mn < 0.0f ? mn : 0.0f, rmax = mx > 0.0f ? mx : 0.0f;
    if (rmin == rmax) {
        memset(q, 0, (size_t)n);
        *scale = 1;
        return;
    }
    const double s = (rmax - rmin) / 255.0;
    /* The zero point from whichever end loses less precision, then nudged to an integer. */
    const double from_min = -128.0 - rmin / s, from_max = 127.0 - rmax / s;
    const double zp = (128.0 + fabs(rmin / s)) < (127.0 + fabs(rmax / s)) ? from_min : from_max;
    *zero_point = zp <= -128.0 ? -128 : (zp >= 127.0 ? 127 : (int32_t)round(zp));
    *scale = (float)s;
    const float inv = 1.0f / *scale;
    for (int32_t i = 0; i < n; i++) {
        int32_t v = (int32_t)roundf((float)*zero_point + x[i] * inv);
        q[i] = (int8_t)(v < -128 ? -128 : (v > 127 ? 127 : v));
    }
}

static void fc_hybrid_i8(const fc_data *d, const float *x, const int8_t *w, const float *b, int8_t *q,
                         float *y) {
    /* x [batches, in], w [out, in] int8, b [out] or NULL, q [in] scratch, y [batches, out] */
    float lo, hi;
    kernel_activation_range_f32(d->activation, &lo, &hi);
    const size_t in_n = (size_t)d->input_size;
    for (int32_t n = 0; n < d->batches; n++) {
        float row_scale;
        int32_t row_zp;
        quantize_row(x + (size_t)n * in_n, d->input_size, d->asymmetric_input, q, &row_scale, &row_zp);
        for (int32_t o = 0; o < d->output_size; o++) {
            const int8_t *wr = w + (size_t)o * in_n;
            int64_t dot = 0, row_sum = 0;
            for (size_t i = 0; i < in_n; i++) {
                dot += (int32_t)wr[i] * (int32_t)q[i];
                row_sum += wr[i];
            }
            dot -= row_sum * row_zp; /* the input's zero point, over the whole row */
            const float scale = row_scale * (d->channel_scales ? d->channel_scales[o] : d->weight_scale);
            float acc = b ? b[o] : 0.0f;
            acc += (float)dot * scale;
            y[(size_t)n * (size_t)d->output_size + (size_t)o] = kernel_clamp_f32(acc, lo, hi);
        }
    }
}

static mote_status fc_eval(mote_context *ctx, mote_node *node) {
    const fc_data *d = node->data;
    const mote_tensor *bias = kernel_input(ctx, node, IN_BIAS);
    const float *x = KERNEL_DATA(kernel_input(ctx, node, IN_INPUT), const float);
    const mote_tensor *w = kernel_input(ctx, node, IN_WEIGHTS);
    const float *b = bias ? KERNEL_DATA(bias, const float) : NULL;
    float *y = KERNEL_DATA(kernel_output(ctx, node, 0), float);
    switch (d->kind) {
    case FC_F32: fc_f32(d, x, KERNEL_DATA(w, const float), b, y); break;
    case FC_HYBRID_I8: {
        void *q;
        mote_status st = mote_node_scratch(ctx, node, d->scratch, &q);
        if (st) return kernel_fail(ctx, node, st, "scratch buffer missing");
        fc_hybrid_i8(d, x, KERNEL_DATA(w, const int8_t), b, q, y);
        break;
    }
    default: return kernel_fail(ctx, node, MOTE_ERROR_RUNTIME, "not prepared");
    }
    return MOTE_OK;
}

const mote_op mote_op_fully_connected = {NULL, MOTE_OP_FULLY_CONNECTED, fc_init, fc_prepare, NULL,
                                         fc_eval, NULL};
