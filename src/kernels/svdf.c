/* svdf.c — SVDF, a fully connected layer factored into a feature filter and a time filter
 * over a memory of past activations, in float32 and in TensorFlow Lite's integer form
 * (int8 input, weights and output, int16 time weights and state, int32 bias).
 *
 * Per batch row, with F filters (= units * rank) and a memory of M steps in the state
 * [batch, F * M]:
 *   state <- state shifted left by one (the oldest activation drops out)
 *   state[f, M-1] = W_feature[f] . x                       (int8: rescaled to int16)
 *   y[u] = act(bias[u] + sum over the rank filters f of u of W_time[f] . state[f, :])
 * The integer form rescales y to int8 and applies no activation, as TensorFlow Lite's
 * reference kernel does (the int8 range clamps). */
#include "kernels/kernel.h"
#include "kernels/quant.h"

/* SVDFOptions fields. */
#define OPT_RANK 0
#define OPT_FUSED_ACTIVATION 1

enum { IN_INPUT = 0, IN_WEIGHTS_FEATURE = 1, IN_WEIGHTS_TIME = 2, IN_BIAS = 3, IN_STATE = 4 };

enum svdf_kind { SVDF_NONE = 0, SVDF_F32 = 1, SVDF_INT8 = 2 };

typedef struct svdf_data {
    int32_t rank;        /* filters per unit */
    int32_t activation;  /* ActivationFunctionType (float only) */
    /* Set in prepare: */
    int32_t kind;        /* svdf_kind */
    int32_t batches, input_size, filters, units, memory;
    int32_t scratch;     /* float: [batches, filters] floats; int8: [batches, filters] int32 */
    /* int8 only: */
    int32_t feature_m, feature_shift; /* input x W_feature -> state */
    int32_t time_m, time_shift;       /* state x W_time -> output */
    int32_t input_zp, output_zp;
} svdf_data;

static mote_status svdf_init(mote_context *ctx, mote_node *node) {
    svdf_data *d = kernel_alloc_data(ctx, node, sizeof *d);
    if (!d) return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    fb_table opt = kernel_options(ctx, node, TFL_OPTIONS_SVDF);
    d->rank = KOPT_I32(ctx, opt, OPT_RANK, 0);
    d->activation = KOPT_I8(ctx, opt, OPT_FUSED_ACTIVATION, ACT_NONE);
    if (d->rank <= 0)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "rank %d must be positive", d->rank);
    if (d->activation != ACT_TANH) return kernel_check_activation(ctx, node, d->activation);
    return MOTE_OK;
}

/* Input `slot` must be [dim0, dim1] (dim1 < 0: [dim0]). */
static mote_status check_dims(mote_context *ctx, const mote_node *node, int32_t slot, int32_t dim0, int32_t dim1) {
    const mote_tensor *t = kernel_input(ctx, node, slot);
    int32_t rank = dim1 < 0 ? 1 : 2;
    if (t->rank == rank && t->dims[0] == dim0 && (rank == 1 || t->dims[1] == dim1)) return MOTE_OK;
    char desc[160];
    kernel_describe(t, "input", slot, desc, sizeof desc);
    if (rank == 1)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: expected shape [%d]", desc, dim0);
    return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: expected shape [%d, %d]", desc, dim0, dim1);
}

static mote_status check_shapes(mote_context *ctx, mote_node *node) {
    svdf_data *d = node->data;
    mote_status st;
    const mote_tensor *in = kernel_input(ctx, node, IN_INPUT), *wf = kernel_input(ctx, node, IN_WEIGHTS_FEATURE),
                      *wt = kernel_input(ctx, node, IN_WEIGHTS_TIME), *state = kernel_input(ctx, node, IN_STATE);
    if ((st = kernel_check_rank(ctx, node, in, "input", IN_INPUT, 2)) ||
        (st = kernel_check_rank(ctx, node, wf, "input", IN_WEIGHTS_FEATURE, 2)) ||
        (st = kernel_check_rank(ctx, node, wt, "input", IN_WEIGHTS_TIME, 2)))
        return st;
    d->batches = in->dims[0];
    d->input_size = in->dims[1];
    d->filters = wf->dims[0];
    d->memory = wt->dims[1];
    char desc[160];
    if (d->filters % d->rank)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: %d filters are not a multiple of rank %d",
                           kernel_describe(wf, "input", IN_WEIGHTS_FEATURE, desc, sizeof desc), d->filters, d->rank);
    if (d->memory < 1)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: the memory size must be at least 1",
                           kernel_describe(wt, "input", IN_WEIGHTS_TIME, desc, sizeof desc));
    d->units = d->filters / d->rank;
    if ((st = check_dims(ctx, node, IN_WEIGHTS_FEATURE, d->filters, d->input_size)) ||
        (st = check_dims(ctx, node, IN_WEIGHTS_TIME, d->filters, d->memory)) ||
        (kernel_input(ctx, node, IN_BIAS) && (st = check_dims(ctx, node, IN_BIAS, d->units, -1))))
        return st;
    if (!state->is_variable)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: must be a variable tensor (the state)",
                           kernel_describe(state, "input", IN_STATE, desc, sizeof desc));
    if ((int64_t)d->memory * d->filters > INT32_MAX)
        return kernel_fail(ctx, node, MOTE_ERROR_LIMIT, "the state is too large");
    return check_dims(ctx, node, IN_STATE, d->batches, d->memory * d->filters);
}

static mote_status check_all_types(mote_context *ctx, const mote_node *node, const mote_type *types) {
    mote_status st;
    for (int32_t i = 0; i < 5; i++) {
        const mote_tensor *t = kernel_input(ctx, node, i);
        if (t && (st = kernel_check_type(ctx, node, t, "input", i, types[i]))) return st;
    }
    return kernel_check_type(ctx, node, kernel_output(ctx, node, 0), "output", 0, types[0]);
}

/* A positive per-tensor scale of input slot i (or of the output, i < 0). */
static mote_status scale_of(mote_context *ctx, const mote_node *node, int32_t i, double *scale) {
    const mote_tensor *t = i < 0 ? kernel_output(ctx, node, 0) : kernel_input(ctx, node, i);
    if (t->def && t->def->quant_count >= 1 && t->scale > 0.0f && isfinite(t->scale)) {
        *scale = t->scale;
        return MOTE_OK;
    }
    char desc[160];
    return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: needs a positive quantization scale",
                       kernel_describe(t, i < 0 ? "output" : "input", i < 0 ? 0 : i, desc, sizeof desc));
}

static mote_status prepare_int8(mote_context *ctx, mote_node *node) {
    svdf_data *d = node->data;
    static const mote_type types[5] = {MOTE_INT8, MOTE_INT8, MOTE_INT16, MOTE_INT32, MOTE_INT16};
    mote_status st;
    double s_in, s_wf, s_wt, s_state, s_out;
    if ((st = check_all_types(ctx, node, types)) || (st = scale_of(ctx, node, IN_INPUT, &s_in)) ||
        (st = scale_of(ctx, node, IN_WEIGHTS_FEATURE, &s_wf)) || (st = scale_of(ctx, node, IN_WEIGHTS_TIME, &s_wt)) ||
        (st = scale_of(ctx, node, IN_STATE, &s_state)) || (st = scale_of(ctx, node, -1, &s_out)))
        return st;
    int s1 = 0, s2 = 0;
    if (!quant_quantize_multiplier(s_in * s_wf / s_state, &d->feature_m, &s1) ||
        !quant_quantize_multiplier(s_state * s_wt / s_out, &d->time_m, &s2))
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "the rescaling factors are not finite");
    d->feature_shift = s1;
    d->time_shift = s2;
    d->input_zp = kernel_input(ctx, node, IN_INPUT)->zero_point;
    d->output_zp = kernel_output(ctx, node, 0)->zero_point;
    d->kind = SVDF_INT8;
    return mote_node_request_scratch(ctx, node, (size_t)d->batches * (size_t)d->filters * sizeof(int32_t),
                                     &d->scratch);
}

static mote_status svdf_prepare(mote_context *ctx, mote_node *node) {
    svdf_data *d = node->data;
    mote_tensor *in, *wf, *wt, *state, *out;
    mote_status st;
    d->kind = SVDF_NONE;
    if ((st = kernel_check_counts(ctx, node, 5, 5, 1)) || (st = kernel_require_input(ctx, node, IN_INPUT, &in)) ||
        (st = kernel_require_input(ctx, node, IN_WEIGHTS_FEATURE, &wf)) ||
        (st = kernel_require_input(ctx, node, IN_WEIGHTS_TIME, &wt)) ||
        (st = kernel_require_input(ctx, node, IN_STATE, &state)) ||
        (st = kernel_require_output(ctx, node, 0, &out)) || (st = check_shapes(ctx, node)))
        return st;
    int32_t dims[2] = {d->batches, d->units};
    if ((st = kernel_set_shape(ctx, node, out, 2, dims))) return st;
    switch (in->type) {
    case MOTE_FLOAT32: {
        if (wf->type != MOTE_FLOAT32)
            return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED,
                               "quantized weights with a float input (hybrid SVDF) are not supported");
        static const mote_type types[5] = {MOTE_FLOAT32, MOTE_FLOAT32, MOTE_FLOAT32, MOTE_FLOAT32, MOTE_FLOAT32};
        if ((st = check_all_types(ctx, node, types))) return st;
        d->kind = SVDF_F32;
        return mote_node_request_scratch(ctx, node, (size_t)d->batches * (size_t)d->filters * sizeof(float),
                                         &d->scratch);
    }
    case MOTE_INT8: return prepare_int8(ctx, node);
    default: return kernel_unsupported_type(ctx, node, in, "input", IN_INPUT);
    }
}

static void svdf_f32(const svdf_data *d, const float *x, const float *wf, const float *wt, const float *bias,
                     float *state, float *scratch, float *y) {
    const size_t F = (size_t)d->filters, M = (size_t)d->memory, B = (size_t)d->batches;
    const size_t N = (size_t)d->input_size;
    if (B * F * M > 1) memmove(state, state + 1, (B * F * M - 1) * sizeof(float));
    for (size_t b = 0; b < B; b++)
        for (size_t f = 0; f < F; f++) {
            float acc = 0.0f;
            for (size_t i = 0; i < N; i++) acc += wf[f * N + i] * x[b * N + i];
            state[(b * F + f) * M + M - 1] = acc;
        }
    for (size_t bf = 0; bf < B * F; bf++) {
        const float *w = wt + (bf % F) * M, *s = state + bf * M;
        float acc = 0.0f;
        for (size_t m = 0; m < M; m++) acc += w[m] * s[m];
        scratch[bf] = acc;
    }
    const size_t U = (size_t)d->units, R = (size_t)d->rank;
    float lo, hi;
    kernel_activation_range_f32(d->activation == ACT_TANH ? ACT_NONE : d->activation, &lo, &hi);
    for (size_t bu = 0; bu < B * U; bu++) {
        float acc = 0.0f;
        for (size_t r = 0; r < R; r++) acc += scratch[bu * R + r];
        if (bias) acc += bias[bu % U];
        y[bu] = d->activation == ACT_TANH ? tanhf(acc) : kernel_clamp_f32(acc, lo, hi);
    }
}

static void svdf_int8(const svdf_data *d, const int8_t *x, const int8_t *wf, const int16_t *wt, const int32_t *bias,
                      int16_t *state, int32_t *scratch, int8_t *y) {
    const size_t F = (size_t)d->filters, M = (size_t)d->memory, B = (size_t)d->batches;
    const size_t N = (size_t)d->input_size;
    if (B * F * M > 1) memmove(state, state + 1, (B * F * M - 1) * sizeof(int16_t));
    for (size_t b = 0; b < B; b++)
        for (size_t f = 0; f < F; f++) {
            int64_t acc = 0;
            for (size_t i = 0; i < N; i++) acc += (int32_t)wf[f * N + i] * ((int32_t)x[b * N + i] - d->input_zp);
            int32_t v = quant_multiply_by_quantized_multiplier(quant_wrap_i32(acc), d->feature_m, d->feature_shift);
            state[(b * F + f) * M + M - 1] = quant_sat_i16(v);
        }
    for (size_t bf = 0; bf < B * F; bf++) {
        const int16_t *w = wt + (bf % F) * M, *s = state + bf * M;
        int64_t acc = 0;
        for (size_t m = 0; m < M; m++) acc += (int32_t)w[m] * s[m];
        scratch[bf] = quant_wrap_i32(acc);
    }
    const size_t U = (size_t)d->units, R = (size_t)d->rank;
    for (size_t bu = 0; bu < B * U; bu++) {
        int64_t acc = 0;
        for (size_t r = 0; r < R; r++) acc += scratch[bu * R + r];
        if (bias) acc += bias[bu % U];
        int64_t v = (int64_t)quant_multiply_by_quantized_multiplier(quant_wrap_i32(acc), d->time_m, d->time_shift) +
                    d->output_zp;
        y[bu] = (int8_t)(v > INT8_MAX ? INT8_MAX : v < INT8_MIN ? INT8_MIN : v);
    }
}

static mote_status svdf_eval(mote_context *ctx, mote_node *node) {
    const svdf_data *d = node->data;
    const mote_tensor *bias = kernel_input(ctx, node, IN_BIAS);
    void *scratch;
    mote_status st = mote_node_scratch(ctx, node, d->scratch, &scratch);
    if (st) return kernel_fail(ctx, node, st, "scratch buffer missing");
    const void *x = kernel_input(ctx, node, IN_INPUT)->data;
    const void *wf = kernel_input(ctx, node, IN_WEIGHTS_FEATURE)->data;
    const void *wt = kernel_input(ctx, node, IN_WEIGHTS_TIME)->data;
    void *state = kernel_input(ctx, node, IN_STATE)->data;
    void *y = kernel_output(ctx, node, 0)->data;
    const void *b = bias ? bias->data : NULL;
    switch (d->kind) {
    case SVDF_F32: svdf_f32(d, x, wf, wt, b, state, scratch, y); return MOTE_OK;
    case SVDF_INT8: svdf_int8(d, x, wf, wt, b, state, scratch, y); return MOTE_OK;
    default: return kernel_fail(ctx, node, MOTE_ERROR_RUNTIME, "not prepared");
    }
}

const mote_op mote_op_svdf = {NULL, MOTE_OP_SVDF, svdf_init, svdf_prepare, NULL, svdf_eval, NULL};
