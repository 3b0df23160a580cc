/* lstm.c — LSTM (one step) and UNIDIRECTIONAL_SEQUENCE_LSTM: options, the checks every
 * variant shares (24 inputs, most optional: every present tensor's shape is checked against
 * the others), and dispatch to the float or integer half. See lstm.h for the equations. */
#include "kernels/lstm.h"

#include <stdio.h>

/* LSTMOptions and UnidirectionalSequenceLSTMOptions share fields 0..2. */
#define OPT_FUSED_ACTIVATION 0
#define OPT_CELL_CLIP 1
#define OPT_PROJ_CLIP 2
#define OPT_LSTM_KERNEL_TYPE 3 /* LSTMOptions: FULL 0, BASIC 1 */
#define OPT_SEQ_TIME_MAJOR 3   /* UnidirectionalSequenceLSTMOptions */
#define OPT_SEQ_DIAGONAL_RECURRENT 5

static const char *const slot_names[LSTM_INPUT_SLOTS] = {
    "input",
    "input-to-input weights", "input-to-forget weights", "input-to-cell weights", "input-to-output weights",
    "recurrent-to-input weights", "recurrent-to-forget weights", "recurrent-to-cell weights",
    "recurrent-to-output weights",
    "cell-to-input weights", "cell-to-forget weights", "cell-to-output weights",
    "input gate bias", "forget gate bias", "cell gate bias", "output gate bias",
    "projection weights", "projection bias",
    "output state", "cell state",
    "input layer-norm coefficients", "forget layer-norm coefficients", "cell layer-norm coefficients",
    "output layer-norm coefficients"};

mote_status lstm_fail_input(mote_context *ctx, const mote_node *node, int32_t slot, mote_status status,
                            const char *what) {
    char d[160];
    const mote_tensor *t = kernel_input(ctx, node, slot);
    kernel_describe(t, "input", slot, d, sizeof d);
    return kernel_fail(ctx, node, status, "%s, the %s: %s", d, slot_names[slot], what);
}

static mote_status lstm_init(mote_context *ctx, mote_node *node) {
    lstm_data *d = kernel_alloc_data(ctx, node, sizeof *d);
    if (!d) return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    d->sequence = node->def->builtin_code == MOTE_OP_UNIDIRECTIONAL_SEQUENCE_LSTM;
    fb_table opt = kernel_options(ctx, node, d->sequence ? TFL_OPTIONS_UNIDIRECTIONAL_SEQUENCE_LSTM
                                                         : TFL_OPTIONS_LSTM);
    d->activation = KOPT_I8(ctx, opt, OPT_FUSED_ACTIVATION, ACT_NONE);
    d->cell_clip = KOPT_F32(ctx, opt, OPT_CELL_CLIP, 0.0f);
    d->proj_clip = KOPT_F32(ctx, opt, OPT_PROJ_CLIP, 0.0f);
    if (d->sequence) {
        d->time_major = KOPT_BOOL(ctx, opt, OPT_SEQ_TIME_MAJOR, 0);
        if (KOPT_BOOL(ctx, opt, OPT_SEQ_DIAGONAL_RECURRENT, 0))
            return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED, "diagonal recurrent weights are not supported");
    } else if (KOPT_I8(ctx, opt, OPT_LSTM_KERNEL_TYPE, 0) != 0) {
        return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED,
                           "the basic LSTM kernel (kernel_type BASIC) is not supported");
    }
    if (!(d->cell_clip >= 0.0f) || !(d->proj_clip >= 0.0f))
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "cell_clip %g and proj_clip %g must be >= 0",
                           (double)d->cell_clip, (double)d->proj_clip);
    switch (d->activation) {
    case ACT_NONE:
    case ACT_RELU:
    case ACT_RELU_N1_TO_1:
    case ACT_RELU6:
    case ACT_TANH: return MOTE_OK;
    default:
        return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED, "fused activation %d is not supported",
                           d->activation);
    }
}

/* Input `slot` must have rank 1 or 2 and the given dims (dim1 < 0: rank 1). */
static mote_status check_dims(mote_context *ctx, const mote_node *node, int32_t slot, int32_t dim0,
                              int32_t dim1) {
    const mote_tensor *t = kernel_input(ctx, node, slot);
    int32_t rank = dim1 < 0 ? 1 : 2;
    if (t->rank == rank && t->dims[0] == dim0 && (rank == 1 || t->dims[1] == dim1)) return MOTE_OK;
    char want[64], got[96];
    if (rank == 1)
        snprintf(want, sizeof want, "[%d]", dim0);
    else
        snprintf(want, sizeof want, "[%d, %d]", dim0, dim1);
    int n = snprintf(got, sizeof got, "expected shape %s, got [", want);
    for (int32_t i = 0; i < t->rank && n > 0 && (size_t)n < sizeof got; i++)
        n += snprintf(got + n, sizeof got - (size_t)n, "%s%d", i ? ", " : "", t->dims[i]);
    if (n > 0 && (size_t)n < sizeof got) snprintf(got + n, sizeof got - (size_t)n, "]");
    return lstm_fail_input(ctx, node, slot, MOTE_ERROR_INVALID_MODEL, got);
}

static mote_status require(mote_context *ctx, const mote_node *node, int32_t slot) {
    if (kernel_input(ctx, node, slot)) return MOTE_OK;
    return lstm_fail_input(ctx, node, slot, MOTE_ERROR_INVALID_MODEL, "is required");
}

/* Sizes from the input and the output-gate weights, then every other tensor against them. */
static mote_status check_shapes(mote_context *ctx, mote_node *node) {
    lstm_data *d = node->data;
    mote_status st;
    const mote_tensor *in = kernel_input(ctx, node, LSTM_IN_INPUT);
    if (in->rank != (d->sequence ? 3 : 2))
        return lstm_fail_input(ctx, node, LSTM_IN_INPUT, MOTE_ERROR_INVALID_MODEL,
                               d->sequence ? "expected rank 3 ([batch, time, input] or time-major)"
                                           : "expected rank 2 ([batch, input])");
    if (d->sequence) {
        d->n_time = in->dims[d->time_major ? 0 : 1];
        d->n_batch = in->dims[d->time_major ? 1 : 0];
        d->n_input = in->dims[2];
    } else {
        d->n_time = 1;
        d->n_batch = in->dims[0];
        d->n_input = in->dims[1];
    }
    const mote_tensor *w_out = kernel_input(ctx, node, LSTM_IN_INPUT_WEIGHTS + LSTM_GATE_OUTPUT);
    const mote_tensor *r_out = kernel_input(ctx, node, LSTM_IN_RECURRENT_WEIGHTS + LSTM_GATE_OUTPUT);
    if (w_out->rank != 2)
        return lstm_fail_input(ctx, node, LSTM_IN_INPUT_WEIGHTS + LSTM_GATE_OUTPUT, MOTE_ERROR_INVALID_MODEL,
                               "expected rank 2 ([cells, inputs])");
    if (r_out->rank == 1)
        return lstm_fail_input(ctx, node, LSTM_IN_RECURRENT_WEIGHTS + LSTM_GATE_OUTPUT, MOTE_ERROR_UNSUPPORTED,
                               "diagonal recurrent weights are not supported");
    if (r_out->rank != 2)
        return lstm_fail_input(ctx, node, LSTM_IN_RECURRENT_WEIGHTS + LSTM_GATE_OUTPUT, MOTE_ERROR_INVALID_MODEL,
                               "expected rank 2 ([cells, outputs])");
    d->n_cell = w_out->dims[0];
    d->n_output = r_out->dims[1];
    if (d->n_cell == 0 || d->n_output == 0)
        return lstm_fail_input(ctx, node, LSTM_IN_INPUT_WEIGHTS + LSTM_GATE_OUTPUT, MOTE_ERROR_INVALID_MODEL,
                               "has no cells");

    /* Gate weights and biases: the input gate's are all present or all absent (CIFG). */
    d->use_cifg = !kernel_input(ctx, node, LSTM_IN_INPUT_WEIGHTS + LSTM_GATE_INPUT);
    for (int g = 0; g < LSTM_GATES; g++) {
        int32_t slots[3] = {LSTM_IN_INPUT_WEIGHTS + g, LSTM_IN_RECURRENT_WEIGHTS + g, LSTM_IN_GATE_BIAS + g};
        for (int k = 0; k < 3; k++) {
            int present = kernel_input(ctx, node, slots[k]) != NULL;
            if (g == LSTM_GATE_INPUT && present != !d->use_cifg)
                return lstm_fail_input(ctx, node, slots[k], MOTE_ERROR_INVALID_MODEL,
                                       d->use_cifg ? "must be absent when the input-to-input weights are (CIFG)"
                                                   : "is required unless the input gate is coupled (CIFG)");
            if (g == LSTM_GATE_INPUT && !present) continue;
            if ((st = require(ctx, node, slots[k]))) return st;
        }
        if (g == LSTM_GATE_INPUT && d->use_cifg) continue;
        if ((st = check_dims(ctx, node, LSTM_IN_INPUT_WEIGHTS + g, d->n_cell, d->n_input))) return st;
        const mote_tensor *r = kernel_input(ctx, node, LSTM_IN_RECURRENT_WEIGHTS + g);
        if (r->rank == 1)
            return lstm_fail_input(ctx, node, LSTM_IN_RECURRENT_WEIGHTS + g, MOTE_ERROR_UNSUPPORTED,
                                   "diagonal recurrent weights are not supported");
        if ((st = check_dims(ctx, node, LSTM_IN_RECURRENT_WEIGHTS + g, d->n_cell, d->n_output)) ||
            (st = check_dims(ctx, node, LSTM_IN_GATE_BIAS + g, d->n_cell, -1)))
            return st;
    }

    /* Peephole: all or none (the input gate's follows CIFG). */
    d->use_peephole = kernel_input(ctx, node, lstm_peephole_slot(LSTM_GATE_OUTPUT)) != NULL;
    for (int g = 0; g < LSTM_GATES; g++) {
        int32_t slot = lstm_peephole_slot(g);
        if (slot < 0) continue;
        int want = d->use_peephole && !(g == LSTM_GATE_INPUT && d->use_cifg);
        int present = kernel_input(ctx, node, slot) != NULL;
        if (present != want)
            return lstm_fail_input(ctx, node, slot, MOTE_ERROR_INVALID_MODEL,
                                   want ? "is required: peephole weights come all or none"
                                        : "must be absent: peephole weights come all or none, and the "
                                          "input gate's not with CIFG");
        if (present && (st = check_dims(ctx, node, slot, d->n_cell, -1))) return st;
    }

    /* Projection: weights [n_output, n_cell], optional bias; without it h is o .* act(c). */
    d->use_projection = kernel_input(ctx, node, LSTM_IN_PROJECTION_WEIGHTS) != NULL;
    if (d->use_projection) {
        if ((st = check_dims(ctx, node, LSTM_IN_PROJECTION_WEIGHTS, d->n_output, d->n_cell))) return st;
        if (kernel_input(ctx, node, LSTM_IN_PROJECTION_BIAS) &&
            (st = check_dims(ctx, node, LSTM_IN_PROJECTION_BIAS, d->n_output, -1)))
            return st;
    } else {
        if (kernel_input(ctx, node, LSTM_IN_PROJECTION_BIAS))
            return lstm_fail_input(ctx, node, LSTM_IN_PROJECTION_BIAS, MOTE_ERROR_INVALID_MODEL,
                                   "needs projection weights");
        if (d->n_output != d->n_cell) {
            char what[96];
            snprintf(what, sizeof what, "has %d outputs per row but there are %d cells and no projection",
                     d->n_output, d->n_cell);
            return lstm_fail_input(ctx, node, LSTM_IN_RECURRENT_WEIGHTS + LSTM_GATE_OUTPUT,
                                   MOTE_ERROR_INVALID_MODEL, what);
        }
    }

    /* Layer normalization: decided by the forget gate's coefficients (24-input form only). */
    d->use_layer_norm = kernel_input(ctx, node, LSTM_IN_LAYER_NORM + LSTM_GATE_FORGET) != NULL;
    for (int g = 0; g < LSTM_GATES && node->input_count == LSTM_INPUT_SLOTS; g++) {
        int want = d->use_layer_norm && !(g == LSTM_GATE_INPUT && d->use_cifg);
        int present = kernel_input(ctx, node, LSTM_IN_LAYER_NORM + g) != NULL;
        if (present != want)
            return lstm_fail_input(ctx, node, LSTM_IN_LAYER_NORM + g, MOTE_ERROR_INVALID_MODEL,
                                   want ? "is required with layer normalization"
                                        : "must be absent (no layer normalization, or CIFG)");
        if (present && (st = check_dims(ctx, node, LSTM_IN_LAYER_NORM + g, d->n_cell, -1))) return st;
    }

    /* State: variables holding n_batch rows (any shape with that many elements). */
    const int32_t state_slots[2] = {LSTM_IN_OUTPUT_STATE, LSTM_IN_CELL_STATE};
    for (int k = 0; k < 2; k++) {
        if ((st = require(ctx, node, state_slots[k]))) return st;
        const mote_tensor *s = kernel_input(ctx, node, state_slots[k]);
        if (!s->is_variable)
            return lstm_fail_input(ctx, node, state_slots[k], MOTE_ERROR_INVALID_MODEL,
                                   "must be a variable tensor (the state kept across invokes)");
        size_t want = (size_t)d->n_batch * (size_t)(k == 0 ? d->n_output : d->n_cell);
        if (kernel_count(s) != want) {
            char what[96];
            snprintf(what, sizeof what, "has %zu elements, expected %zu (batch %d x %d)", kernel_count(s), want,
                     d->n_batch, k == 0 ? d->n_output : d->n_cell);
            return lstm_fail_input(ctx, node, state_slots[k], MOTE_ERROR_INVALID_MODEL, what);
        }
    }
    return MOTE_OK;
}

static mote_status lstm_prepare(mote_context *ctx, mote_node *node) {
    lstm_data *d = node->data;
    mote_tensor *out;
    mote_status st;
    d->kind = LSTM_KIND_NONE;
    if (node->input_count != 20 && node->input_count != LSTM_INPUT_SLOTS)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "expected 20 or 24 inputs, got %d",
                           node->input_count);
    if ((st = kernel_check_counts(ctx, node, 20, LSTM_INPUT_SLOTS, 1)) ||
        (st = require(ctx, node, LSTM_IN_INPUT)) ||
        (st = require(ctx, node, LSTM_IN_INPUT_WEIGHTS + LSTM_GATE_OUTPUT)) ||
        (st = require(ctx, node, LSTM_IN_RECURRENT_WEIGHTS + LSTM_GATE_OUTPUT)) ||
        (st = kernel_require_output(ctx, node, 0, &out)) || (st = check_shapes(ctx, node)))
        return st;
    for (int32_t i = 0; i < node->input_count; i++) {
        const mote_tensor *t = kernel_input(ctx, node, i);
        if (t && t->def && t->def->sparsity)
            return lstm_fail_input(ctx, node, i, MOTE_ERROR_UNSUPPORTED, "sparse tensors are not supported");
    }
    /* The output keeps the input's shape with n_output in the last dimension. */
    const mote_tensor *in = kernel_input(ctx, node, LSTM_IN_INPUT);
    int32_t dims[3];
    for (int32_t i = 0; i < in->rank; i++) dims[i] = in->dims[i];
    dims[in->rank - 1] = d->n_output;
    if ((st = kernel_set_shape(ctx, node, out, in->rank, dims))) return st;

    const mote_tensor *w = kernel_input(ctx, node, LSTM_IN_INPUT_WEIGHTS + LSTM_GATE_OUTPUT);
    switch (in->type) {
    case MOTE_FLOAT32:
        if (w->type != MOTE_FLOAT32)
            return lstm_fail_input(ctx, node, LSTM_IN_INPUT_WEIGHTS + LSTM_GATE_OUTPUT, MOTE_ERROR_UNSUPPORTED,
                                   "quantized weights with a float input (hybrid LSTM) are not supported");
        d->kind = LSTM_KIND_F32;
        return lstm_prepare_f32(ctx, node);
    case MOTE_INT8:
        d->kind = LSTM_KIND_INT8;
        return lstm_prepare_int8(ctx, node);
    default: return kernel_unsupported_type(ctx, node, in, "input", LSTM_IN_INPUT);
    }
}

static mote_status lstm_pack(mote_context *ctx, mote_node *node) {
    const lstm_data *d = node->data;
    return d->kind == LSTM_KIND_INT8 ? lstm_pack_int8(ctx, node) : MOTE_OK;
}

static mote_status lstm_eval(mote_context *ctx, mote_node *node) {
    const lstm_data *d = node->data;
    switch (d->kind) {
    case LSTM_KIND_F32: return lstm_eval_f32(ctx, node);
    case LSTM_KIND_INT8: return lstm_eval_int8(ctx, node);
    default: return kernel_fail(ctx, node, MOTE_ERROR_RUNTIME, "not prepared");
    }
}

const mote_op mote_op_lstm = {NULL, MOTE_OP_LSTM, lstm_init, lstm_prepare, lstm_pack, lstm_eval, NULL};
const mote_op mote_op_unidirectional_sequence_lstm = {
    NULL, MOTE_OP_UNIDIRECTIONAL_SEQUENCE_LSTM, lstm_init, lstm_prepare, lstm_pack, lstm_eval, NULL};
