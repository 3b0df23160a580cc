/* rnn.c — RNN and UNIDIRECTIONAL_SEQUENCE_RNN on float32: a fully connected recurrent cell,
 * h = act(bias + W x + R h), the hidden state h kept in a variable tensor across steps and
 * invokes. Sums are formed as TensorFlow Lite's reference forms them: the bias, plus the
 * dot product with the input, plus the dot product with the state. Hybrid (int8 weight)
 * models are not supported yet. */
#include "kernels/kernel.h"

enum { IN_INPUT = 0, IN_WEIGHTS = 1, IN_RECURRENT = 2, IN_BIAS = 3, IN_STATE = 4 };

/* RNNOptions: fused_activation_function is field 0. SequenceRNNOptions: time_major field 0,
 * fused_activation_function field 1. */
#define OPT_RNN_ACTIVATION 0
#define OPT_SEQ_TIME_MAJOR 0
#define OPT_SEQ_ACTIVATION 1

typedef struct rnn_data {
    int activation;      /* ActivationFunctionType: NONE, RELU, RELU_N1_TO_1, RELU6 or TANH */
    int time_major;      /* sequence input is [time, batch, input] (else [batch, time, input]) */
    int32_t batches, steps, input_size, units;
} rnn_data;

static mote_status rnn_init(mote_context *ctx, mote_node *node) {
    rnn_data *d = kernel_alloc_data(ctx, node, sizeof *d);
    if (!d) return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    if (node->def->builtin_code == MOTE_OP_RNN) {
        d->activation = KOPT_I8(ctx, kernel_options(ctx, node, TFL_OPTIONS_RNN), OPT_RNN_ACTIVATION, ACT_NONE);
    } else {
        fb_table opt = kernel_options(ctx, node, TFL_OPTIONS_SEQUENCE_RNN);
        d->time_major = KOPT_BOOL(ctx, opt, OPT_SEQ_TIME_MAJOR, 0);
        d->activation = KOPT_I8(ctx, opt, OPT_SEQ_ACTIVATION, ACT_NONE);
    }
    return d->activation == ACT_TANH ? MOTE_OK : kernel_check_activation(ctx, node, d->activation);
}

/* Input i: float32 of shape [d0] (rank 1) or [d0, d1]. */
static mote_status check_float(mote_context *ctx, const mote_node *node, const mote_tensor *t, int32_t i,
                               int32_t rank, int32_t d0, int32_t d1) {
    char b[160];
    mote_status st;
    if (t->type != MOTE_FLOAT32) return kernel_unsupported_type(ctx, node, t, "input", i);
    if ((st = kernel_check_rank(ctx, node, t, "input", i, rank))) return st;
    if (t->dims[0] != d0 || (rank > 1 && t->dims[1] != d1))
        return rank > 1 ? kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: expected shape [%d, %d]",
                                      kernel_describe(t, "input", i, b, sizeof b), d0, d1)
                        : kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: expected shape [%d]",
                                      kernel_describe(t, "input", i, b, sizeof b), d0);
    return MOTE_OK;
}

static mote_status rnn_prepare(mote_context *ctx, mote_node *node) {
    rnn_data *d = node->data;
    const int sequence = node->def->builtin_code == MOTE_OP_UNIDIRECTIONAL_SEQUENCE_RNN;
    mote_tensor *in, *w, *r, *bias, *state, *out;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 5, 5, 1)) || (st = kernel_require_input(ctx, node, IN_INPUT, &in)) ||
        (st = kernel_require_input(ctx, node, IN_WEIGHTS, &w)) ||
        (st = kernel_require_input(ctx, node, IN_RECURRENT, &r)) ||
        (st = kernel_require_input(ctx, node, IN_BIAS, &bias)) ||
        (st = kernel_require_input(ctx, node, IN_STATE, &state)) || (st = kernel_require_output(ctx, node, 0, &out)))
        return st;
    if (in->type != MOTE_FLOAT32) return kernel_unsupported_type(ctx, node, in, "input", IN_INPUT);
    if ((st = kernel_check_rank(ctx, node, in, "input", IN_INPUT, sequence ? 3 : 2)) ||
        (st = kernel_check_rank(ctx, node, w, "input", IN_WEIGHTS, 2)))
        return st;
    d->units = w->dims[0];
    d->input_size = in->dims[in->rank - 1];
    d->batches = sequence && d->time_major ? in->dims[1] : in->dims[0];
    d->steps = !sequence ? 1 : d->time_major ? in->dims[0] : in->dims[1];
    if (w->type != MOTE_FLOAT32) return kernel_unsupported_type(ctx, node, w, "input", IN_WEIGHTS);
    if ((st = check_float(ctx, node, w, IN_WEIGHTS, 2, d->units, d->input_size)) ||
        (st = check_float(ctx, node, r, IN_RECURRENT, 2, d->units, d->units)) ||
        (st = check_float(ctx, node, bias, IN_BIAS, 1, d->units, 0)) ||
        (st = check_float(ctx, node, state, IN_STATE, 2, d->batches, d->units)) ||
        (st = kernel_check_type(ctx, node, out, "output", 0, MOTE_FLOAT32)))
        return st;
    if (!state->is_variable) {
        char b[160];
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: the hidden state must be a variable tensor",
                           kernel_describe(state, "input", IN_STATE, b, sizeof b));
    }
    int32_t dims[3] = {in->dims[0], sequence ? in->dims[1] : d->units, d->units};
    return kernel_set_shape(ctx, node, out, sequence ? 3 : 2, dims);
}

static float activate(int act, float v) {
    switch (act) {
    case ACT_RELU: return v < 0.0f ? 0.0f : v;
    case ACT_RELU_N1_TO_1: return v < -1.0f ? -1.0f : v > 1.0f ? 1.0f : v;
    case ACT_RELU6: return v < 0.0f ? 0.0f : v > 6.0f ? 6.0f : v;
    case ACT_TANH: return tanhf(v);
    default: return v;
    }
}

/* One step for one batch row: y = act(bias + W x + R h), then h = y. */
static void rnn_step(const rnn_data *d, const float *x, const float *w, const float *r, const float *bias, float *h,
                     float *y) {
    for (int32_t u = 0; u < d->units; u++) {
        float acc = bias[u], dot = 0.0f;
        for (int32_t i = 0; i < d->input_size; i++) dot += w[(size_t)u * d->input_size + i] * x[i];
        acc += dot;
        dot = 0.0f;
        for (int32_t i = 0; i < d->units; i++) dot += r[(size_t)u * d->units + i] * h[i];
        y[u] = activate(d->activation, acc + dot);
    }
    memcpy(h, y, sizeof(float) * (size_t)d->units);
}

static mote_status rnn_eval(mote_context *ctx, mote_node *node) {
    const rnn_data *d = node->data;
    const float *x = KERNEL_DATA(kernel_input(ctx, node, IN_INPUT), const float);
    const float *w = KERNEL_DATA(kernel_input(ctx, node, IN_WEIGHTS), const float);
    const float *r = KERNEL_DATA(kernel_input(ctx, node, IN_RECURRENT), const float);
    const float *bias = KERNEL_DATA(kernel_input(ctx, node, IN_BIAS), const float);
    float *h = KERNEL_DATA(kernel_input(ctx, node, IN_STATE), float);
    float *y = KERNEL_DATA(kernel_output(ctx, node, 0), float);
    const size_t in_n = (size_t)d->input_size, units = (size_t)d->units;
    for (int32_t t = 0; t < d->steps; t++) {
        for (int32_t b = 0; b < d->batches; b++) {
            /* Row (t, b) of a time-major sequence, or (b, t) of a batch-major one. */
            size_t row = d->time_major ? (size_t)t * d->batches + b : (size_t)b * d->steps + t;
            rnn_step(d, x + row * in_n, w, r, bias, h + (size_t)b * units, y + row * units);
        }
    }
    return MOTE_OK;
}

const mote_op mote_op_rnn = {NULL, MOTE_OP_RNN, rnn_init, rnn_prepare, NULL, rnn_eval, NULL};
const mote_op mote_op_unidirectional_sequence_rnn = {NULL, MOTE_OP_UNIDIRECTIONAL_SEQUENCE_RNN, rnn_init, rnn_prepare,
                                                     NULL, rnn_eval, NULL};
