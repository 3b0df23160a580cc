/* lstm_float.c — the float32 LSTM step (lstm.h has the equations): CIFG, peephole,
 * projection, layer normalization, cell and projection clipping, the fused activation of
 * the cell gate and cell output. Rows are independent, so every batch row runs its whole
 * sequence in turn, time-major or not. */
#include "kernels/lstm.h"

/* Scratch: four gate rows and the unprojected hidden row, each [n_cell] floats. */
enum { SCRATCH_ROWS = LSTM_GATES + 1 };

mote_status lstm_prepare_f32(mote_context *ctx, mote_node *node) {
    lstm_data *d = node->data;
    for (int32_t slot = 0; slot < node->input_count; slot++) {
        const mote_tensor *t = kernel_input(ctx, node, slot);
        if (t && t->type != MOTE_FLOAT32)
            return lstm_fail_input(ctx, node, slot, MOTE_ERROR_UNSUPPORTED,
                                   "expected float32 like the input (mixed types are not supported)");
    }
    mote_status st = kernel_check_type(ctx, node, kernel_output(ctx, node, 0), "output", 0, MOTE_FLOAT32);
    if (st) return st;
    return mote_node_request_scratch(ctx, node, (size_t)SCRATCH_ROWS * (size_t)d->n_cell * sizeof(float),
                                     &d->scratch);
}

static float sigmoid_f32(float x) { return 1.0f / (1.0f + expf(-x)); }

/* The fused activation of the cell gate and of the cell state's output. NONE is the
 * identity here, as the equations say; TensorFlow Lite's float kernel skips the step
 * instead and so leaves other values in its buffers (its h becomes o .* g), which no model
 * seen so far relies on. */
static float activate_f32(int activation, float x) {
    switch (activation) {
    case ACT_RELU: return x > 0.0f ? x : 0.0f;
    case ACT_RELU_N1_TO_1: return kernel_clamp_f32(x, -1.0f, 1.0f);
    case ACT_RELU6: return kernel_clamp_f32(x, 0.0f, 6.0f);
    case ACT_TANH: return tanhf(x);
    default: return x;
    }
}

static float dot_f32(const float *a, const float *b, int32_t n) {
    float acc = 0.0f;
    for (int32_t i = 0; i < n; i++) acc += a[i] * b[i];
    return acc;
}

/* What one step reads: weights and biases by gate (NULL when absent). */
typedef struct step_f32 {
    const lstm_data *d;
    const float *w[LSTM_GATES];        /* [n_cell, n_input] */
    const float *r[LSTM_GATES];        /* [n_cell, n_output] */
    const float *peephole[LSTM_GATES]; /* [n_cell] */
    const float *bias[LSTM_GATES];     /* [n_cell] */
    const float *norm[LSTM_GATES];     /* [n_cell] layer-norm coefficients */
    const float *proj_w, *proj_b;      /* [n_output, n_cell], [n_output] */
} step_f32;

/* Normalizes v over its n entries to zero mean and unit variance, as TensorFlow Lite's
 * MeanStddevNormalization does (two passes, 1e-8 added to the variance). */
static void normalize_f32(float *v, int32_t n) {
    float sum = 0.0f;
    for (int32_t i = 0; i < n; i++) sum += v[i];
    const float mean = sum / (float)n;
    float sum_sq = 0.0f;
    for (int32_t i = 0; i < n; i++) sum_sq += (v[i] - mean) * (v[i] - mean);
    const float stddev_inv = 1.0f / sqrtf(sum_sq / (float)n + 1e-8f);
    for (int32_t i = 0; i < n; i++) v[i] = (v[i] - mean) * stddev_inv;
}

/* One gate for one row: x [n_input], h [n_output], c [n_cell] (peephole) -> out [n_cell]. */
static void gate_f32(const step_f32 *s, int g, const float *x, const float *h, const float *c, float *out) {
    const lstm_data *d = s->d;
    const int32_t n_cell = d->n_cell;
    const float *bias = s->bias[g];
    for (int32_t k = 0; k < n_cell; k++) {
        float acc = s->norm[g] ? 0.0f : bias[k];
        acc += dot_f32(s->w[g] + (size_t)k * (size_t)d->n_input, x, d->n_input);
        acc += dot_f32(s->r[g] + (size_t)k * (size_t)d->n_output, h, d->n_output);
        if (s->peephole[g]) acc += s->peephole[g][k] * c[k];
        out[k] = acc;
    }
    if (s->norm[g]) {
        normalize_f32(out, n_cell);
        for (int32_t k = 0; k < n_cell; k++) out[k] = out[k] * s->norm[g][k] + bias[k];
    }
    if (g == LSTM_GATE_CELL)
        for (int32_t k = 0; k < n_cell; k++) out[k] = activate_f32(d->activation, out[k]);
    else
        for (int32_t k = 0; k < n_cell; k++) out[k] = sigmoid_f32(out[k]);
}

/* One time step of one row: updates h [n_output] and c [n_cell], writes y [n_output]. */
static void step_row_f32(const step_f32 *s, const float *x, float *h, float *c, float *y, float *scratch) {
    const lstm_data *d = s->d;
    const int32_t n_cell = d->n_cell;
    float *gate[LSTM_GATES];
    for (int g = 0; g < LSTM_GATES; g++) gate[g] = scratch + (size_t)g * (size_t)n_cell;
    float *hidden = scratch + (size_t)LSTM_GATES * (size_t)n_cell;

    if (!d->use_cifg) gate_f32(s, LSTM_GATE_INPUT, x, h, c, gate[LSTM_GATE_INPUT]);
    gate_f32(s, LSTM_GATE_FORGET, x, h, c, gate[LSTM_GATE_FORGET]);
    gate_f32(s, LSTM_GATE_CELL, x, h, c, gate[LSTM_GATE_CELL]);
    for (int32_t k = 0; k < n_cell; k++) {
        const float f = gate[LSTM_GATE_FORGET][k];
        const float i = d->use_cifg ? 1.0f - f : gate[LSTM_GATE_INPUT][k];
        float v = f * c[k] + i * gate[LSTM_GATE_CELL][k];
        if (d->cell_clip > 0.0f) v = kernel_clamp_f32(v, -d->cell_clip, d->cell_clip);
        c[k] = v;
    }
    /* The output gate's peephole sees the new cell state. */
    gate_f32(s, LSTM_GATE_OUTPUT, x, h, c, gate[LSTM_GATE_OUTPUT]);
    for (int32_t k = 0; k < n_cell; k++) hidden[k] = gate[LSTM_GATE_OUTPUT][k] * activate_f32(d->activation, c[k]);

    if (d->use_projection) {
        for (int32_t j = 0; j < d->n_output; j++) {
            float v = s->proj_b ? s->proj_b[j] : 0.0f;
            v += dot_f32(s->proj_w + (size_t)j * (size_t)n_cell, hidden, n_cell);
            if (d->proj_clip > 0.0f) v = kernel_clamp_f32(v, -d->proj_clip, d->proj_clip);
            h[j] = v;
        }
    } else {
        memcpy(h, hidden, sizeof(float) * (size_t)n_cell);
    }
    memcpy(y, h, sizeof(float) * (size_t)d->n_output);
}

mote_status lstm_eval_f32(mote_context *ctx, mote_node *node) {
    const lstm_data *d = node->data;
    step_f32 s = {.d = d};
    for (int g = 0; g < LSTM_GATES; g++) {
        s.w[g] = lstm_input_data(ctx, node, LSTM_IN_INPUT_WEIGHTS + g);
        s.r[g] = lstm_input_data(ctx, node, LSTM_IN_RECURRENT_WEIGHTS + g);
        s.bias[g] = lstm_input_data(ctx, node, LSTM_IN_GATE_BIAS + g);
        s.peephole[g] = lstm_peephole_slot(g) >= 0 ? lstm_input_data(ctx, node, lstm_peephole_slot(g)) : NULL;
        s.norm[g] = d->use_layer_norm ? lstm_input_data(ctx, node, LSTM_IN_LAYER_NORM + g) : NULL;
    }
    s.proj_w = lstm_input_data(ctx, node, LSTM_IN_PROJECTION_WEIGHTS);
    s.proj_b = lstm_input_data(ctx, node, LSTM_IN_PROJECTION_BIAS);
    const float *input = lstm_input_data(ctx, node, LSTM_IN_INPUT);
    float *h_all = KERNEL_DATA(kernel_input(ctx, node, LSTM_IN_OUTPUT_STATE), float);
    float *c_all = KERNEL_DATA(kernel_input(ctx, node, LSTM_IN_CELL_STATE), float);
    float *output = KERNEL_DATA(kernel_output(ctx, node, 0), float);
    void *scratch;
    mote_status st = mote_node_scratch(ctx, node, d->scratch, &scratch);
    if (st) return kernel_fail(ctx, node, st, "scratch buffer missing");

    const size_t n_in = (size_t)d->n_input, n_out = (size_t)d->n_output;
    for (int32_t b = 0; b < d->n_batch; b++) {
        float *h = h_all + (size_t)b * n_out;
        float *c = c_all + (size_t)b * (size_t)d->n_cell;
        for (int32_t t = 0; t < d->n_time; t++) {
            /* Row index in [time, batch] or [batch, time] order. */
            size_t row = d->time_major ? (size_t)t * (size_t)d->n_batch + (size_t)b
                                       : (size_t)b * (size_t)d->n_time + (size_t)t;
            step_row_f32(&s, input + row * n_in, h, c, output + row * n_out, scratch);
        }
    }
    return MOTE_OK;
}
