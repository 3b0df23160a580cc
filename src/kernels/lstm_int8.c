/* lstm_int8.c — the integer LSTM TensorFlow Lite calls "8x8->16": int8 input, weights and
 * output state, int16 cell state (a power-of-two scale) and int16 gates in Q3.12, int32
 * biases; bit for bit the arithmetic of TensorFlow Lite's reference kernel. The node's five
 * intermediate tensors carry quantization the converter chose: the gates' pre-activation
 * scales (layer normalization only, Q3.12 otherwise) and the hidden value o .* tanh(c).
 *
 * Each gate sums two separately rescaled and saturated products (input and recurrent),
 * each with a precomputed bias that also folds in the operand's zero point; peephole and
 * layer normalization follow; then sigmoid or tanh in gemmlowp fixed point. */
#include <stdio.h>

#include "kernels/lstm.h"
#include "kernels/lstm_fixed16.h"

enum { INTERMEDIATES = 5, INTERMEDIATE_HIDDEN = 4 };

/* Persistent int32 biases: per gate, the input side and the recurrent side [n_cell], then
 * the projection's [n_output]. */
static size_t bias_count(const lstm_data *d) {
    return (size_t)2 * LSTM_GATES * (size_t)d->n_cell + (size_t)d->n_output;
}

/* The per-tensor scale of input `slot` (which must be quantized, with one scale). */
static mote_status tensor_scale(mote_context *ctx, const mote_node *node, int32_t slot, float *scale) {
    const mote_tensor *t = kernel_input(ctx, node, slot);
    if (!t->def || t->def->quant_count < 1 || !(t->scale > 0.0f) || !isfinite(t->scale))
        return lstm_fail_input(ctx, node, slot, MOTE_ERROR_INVALID_MODEL, "needs a positive quantization scale");
    if (t->def->quant_count > 1)
        return lstm_fail_input(ctx, node, slot, MOTE_ERROR_UNSUPPORTED,
                               "per-channel quantization is not supported here");
    *scale = t->scale;
    return MOTE_OK;
}

static mote_status check_slot_type(mote_context *ctx, const mote_node *node, int32_t slot, mote_type type) {
    const mote_tensor *t = kernel_input(ctx, node, slot);
    if (!t || t->type == type) return MOTE_OK;
    char what[96];
    snprintf(what, sizeof what, "expected %s in an integer LSTM, got %s", mote_type_name(type),
             mote_type_name(t->type));
    return lstm_fail_input(ctx, node, slot, MOTE_ERROR_UNSUPPORTED, what);
}

static mote_status check_types(mote_context *ctx, const mote_node *node) {
    mote_status st = MOTE_OK;
    for (int g = 0; g < LSTM_GATES && !st; g++) {
        if ((st = check_slot_type(ctx, node, LSTM_IN_INPUT_WEIGHTS + g, MOTE_INT8)) ||
            (st = check_slot_type(ctx, node, LSTM_IN_RECURRENT_WEIGHTS + g, MOTE_INT8)) ||
            (st = check_slot_type(ctx, node, LSTM_IN_GATE_BIAS + g, MOTE_INT32)) ||
            (st = check_slot_type(ctx, node, LSTM_IN_LAYER_NORM + g, MOTE_INT16)))
            break;
        if (lstm_peephole_slot(g) >= 0) st = check_slot_type(ctx, node, lstm_peephole_slot(g), MOTE_INT16);
    }
    if (st || (st = check_slot_type(ctx, node, LSTM_IN_PROJECTION_WEIGHTS, MOTE_INT8)) ||
        (st = check_slot_type(ctx, node, LSTM_IN_PROJECTION_BIAS, MOTE_INT32)) ||
        (st = check_slot_type(ctx, node, LSTM_IN_OUTPUT_STATE, MOTE_INT8)) ||
        (st = check_slot_type(ctx, node, LSTM_IN_CELL_STATE, MOTE_INT16)))
        return st;
    return kernel_check_type(ctx, node, kernel_output(ctx, node, 0), "output", 0, MOTE_INT8);
}

/* Weights and biases are read in pack (the folded biases): they must be fixed by then. */
static mote_status check_constants(mote_context *ctx, const mote_node *node) {
    for (int32_t slot = LSTM_IN_INPUT_WEIGHTS; slot < node->input_count; slot++) {
        if (slot == LSTM_IN_OUTPUT_STATE || slot == LSTM_IN_CELL_STATE) continue;
        const mote_tensor *t = kernel_input(ctx, node, slot);
        if (t && !kernel_is_constant_after_pack(t))
            return lstm_fail_input(ctx, node, slot, MOTE_ERROR_UNSUPPORTED, "must be a constant in the model");
    }
    return MOTE_OK;
}

static mote_status quantize(mote_context *ctx, const mote_node *node, double real, int32_t *m, int32_t *shift) {
    int s = 0;
    if (!quant_quantize_multiplier(real, m, &s))
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "a rescaling factor (%g) is not finite", real);
    *shift = s;
    return MOTE_OK;
}

/* The effective scales of TensorFlow Lite's PopulateQuantizedLstmParams8x8_16, in its
 * arithmetic: float products and quotients, doubles where it uses std::pow. */
static mote_status prepare_params(mote_context *ctx, mote_node *node) {
    lstm_data *d = node->data;
    lstm_int8_params *q = &d->q;
    mote_status st;
    const mote_tensor *h = kernel_input(ctx, node, LSTM_IN_OUTPUT_STATE);
    const mote_tensor *out = kernel_output(ctx, node, 0);
    float input_scale = 0.0f, h_scale = 0.0f, cell_scale = 0.0f;
    if ((st = tensor_scale(ctx, node, LSTM_IN_INPUT, &input_scale)) ||
        (st = tensor_scale(ctx, node, LSTM_IN_OUTPUT_STATE, &h_scale)) ||
        (st = tensor_scale(ctx, node, LSTM_IN_CELL_STATE, &cell_scale)))
        return st;
    if (!out->def || out->def->quant_count < 1 || !(out->scale > 0.0f))
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "output 0 needs a quantization scale");

    /* The cell state's scale must be a power of two, 2^cell_shift. */
    int cell_shift = 0;
    if (!quant_checked_log2(cell_scale, &cell_shift))
        return lstm_fail_input(ctx, node, LSTM_IN_CELL_STATE, MOTE_ERROR_INVALID_MODEL,
                               "its scale must be a power of two");
    if (!d->sequence && cell_shift > -9)
        return lstm_fail_input(ctx, node, LSTM_IN_CELL_STATE, MOTE_ERROR_INVALID_MODEL,
                               "its scale must be at most 2^-9");
    /* tanh(c) reads c in Q(15 + cell_shift); TensorFlow Lite implements 0..6 integer bits. */
    if (15 + cell_shift < 0 || 15 + cell_shift > 6)
        return lstm_fail_input(ctx, node, LSTM_IN_CELL_STATE, MOTE_ERROR_UNSUPPORTED,
                               "its scale must be between 2^-15 and 2^-9");
    q->cell_shift = cell_shift;
    q->cell_clip = d->cell_clip > 0.0f
                       ? (int16_t)fminf(fmaxf(d->cell_clip / cell_scale, -32768.0f), 32767.0f)
                       : 0;
    q->proj_clip = d->proj_clip > 0.0f ? (int8_t)fminf(fmaxf(d->proj_clip / out->scale, -128.0f), 127.0f) : 0;
    q->output_state_zp = h->zero_point;

    /* Intermediates: the gates' scales (layer norm) and the hidden value's. */
    if (node->def->intermediate_count != INTERMEDIATES)
        return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED,
                           "an integer LSTM needs %d intermediate tensors (8x8->16), this one has %d",
                           INTERMEDIATES, node->def->intermediate_count);
    float inter_scale[INTERMEDIATES];
    for (int i = 0; i < INTERMEDIATES; i++) {
        inter_scale[i] = 1.0f / 4096.0f; /* Q3.12 */
        if (i < LSTM_GATES && !d->use_layer_norm) continue;
        const mote_tensor *t = kernel_tensor(ctx, node, node->def->intermediates[i]);
        if (!t || !t->def || t->def->quant_count < 1 || !(t->scale > 0.0f))
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                               "intermediate %d (tensor %d) needs a quantization scale", i,
                               node->def->intermediates[i]);
        inter_scale[i] = t->scale;
        if (i == INTERMEDIATE_HIDDEN) q->hidden_zp = t->zero_point;
    }

    for (int g = 0; g < LSTM_GATES; g++) {
        q->input_m[g] = q->recurrent_m[g] = q->peephole_m[g] = q->layer_norm_m[g] = 0;
        q->input_shift[g] = q->recurrent_shift[g] = q->peephole_shift[g] = q->layer_norm_shift[g] = 0;
        q->variance_guard[g] = 1;
        if (g == LSTM_GATE_INPUT && d->use_cifg) continue;
        float w_scale = 0.0f, r_scale = 0.0f;
        if ((st = tensor_scale(ctx, node, LSTM_IN_INPUT_WEIGHTS + g, &w_scale)) ||
            (st = tensor_scale(ctx, node, LSTM_IN_RECURRENT_WEIGHTS + g, &r_scale)))
            return st;
        const float e_in = w_scale * input_scale / inter_scale[g];
        const float e_rec = r_scale * h_scale / inter_scale[g];
        if ((st = quantize(ctx, node, e_in, &q->input_m[g], &q->input_shift[g])) ||
            (st = quantize(ctx, node, e_rec, &q->recurrent_m[g], &q->recurrent_shift[g])))
            return st;
        int32_t pslot = lstm_peephole_slot(g);
        if (d->use_peephole && pslot >= 0) {
            float p_scale = 0.0f;
            if ((st = tensor_scale(ctx, node, pslot, &p_scale))) return st;
            const float e_p = (float)(ldexp(1.0, cell_shift) * (double)p_scale / (double)inter_scale[g]);
            if ((st = quantize(ctx, node, e_p, &q->peephole_m[g], &q->peephole_shift[g]))) return st;
        }
        if (d->use_layer_norm) {
            float ln_scale = 0.0f;
            if ((st = tensor_scale(ctx, node, LSTM_IN_LAYER_NORM + g, &ln_scale)) ||
                (st = quantize(ctx, node, ln_scale, &q->layer_norm_m[g], &q->layer_norm_shift[g])))
                return st;
            const float guard = 10000.0f * ln_scale;
            q->variance_guard[g] = guard >= 2147483647.0f ? INT32_MAX : guard > 1.0f ? (int32_t)guard : 1;
        }
    }
    const float e_hidden = (float)(ldexp(1.0, -15) / (double)inter_scale[INTERMEDIATE_HIDDEN] * ldexp(1.0, -15));
    if ((st = quantize(ctx, node, e_hidden, &q->hidden_m, &q->hidden_shift))) return st;
    q->projection_m = q->projection_shift = 0;
    if (d->use_projection) {
        float p_scale = 0.0f;
        if ((st = tensor_scale(ctx, node, LSTM_IN_PROJECTION_WEIGHTS, &p_scale))) return st;
        const float e_proj = p_scale * inter_scale[INTERMEDIATE_HIDDEN] / h_scale;
        if ((st = quantize(ctx, node, e_proj, &q->projection_m, &q->projection_shift))) return st;
    }
    return MOTE_OK;
}

/* Scratch per row: four int16 gates, tanh(c) int16, the int8 hidden value. */
static size_t scratch_bytes(const lstm_data *d) {
    return (size_t)(LSTM_GATES + 1) * (size_t)d->n_cell * sizeof(int16_t) + (size_t)d->n_cell;
}

mote_status lstm_prepare_int8(mote_context *ctx, mote_node *node) {
    lstm_data *d = node->data;
    mote_status st;
    if ((st = check_types(ctx, node)) || (st = check_constants(ctx, node)) || (st = prepare_params(ctx, node)))
        return st;
    /* TensorFlow Lite's integer peephole reads n_output entries of each cell row. */
    if (d->use_peephole && d->n_output != d->n_cell)
        return lstm_fail_input(ctx, node, lstm_peephole_slot(LSTM_GATE_OUTPUT), MOTE_ERROR_UNSUPPORTED,
                               "integer peephole weights with a projection to another size are not supported");
    if ((st = mote_node_request_scratch(ctx, node, scratch_bytes(d), &d->scratch))) return st;
    return mote_node_request_persistent(ctx, node, bias_count(d) * sizeof(int32_t), &d->persistent);
}

/* out[r] = bias[r] + zero_point * sum of row r of w [rows, cols] (PrecomputeZeroPointTimesWeightWithBias),
 * with 32-bit wrap-around. */
static void fold_bias(const int8_t *w, int32_t rows, int32_t cols, const int32_t *bias, int32_t zero_point,
                      int32_t *out) {
    for (int32_t r = 0; r < rows; r++) {
        int32_t row_sum = 0;
        for (int32_t c = 0; c < cols; c++) row_sum += w[(size_t)r * (size_t)cols + (size_t)c];
        out[r] = quant_wrap_add_i32(bias ? bias[r] : 0, quant_wrap_mul_i32(row_sum, zero_point));
    }
}

mote_status lstm_pack_int8(mote_context *ctx, mote_node *node) {
    const lstm_data *d = node->data;
    void *p;
    mote_status st = mote_node_persistent(ctx, node, d->persistent, &p);
    if (st) return kernel_fail(ctx, node, st, "persistent buffer missing");
    int32_t *biases = p;
    const int32_t input_zp = kernel_input(ctx, node, LSTM_IN_INPUT)->zero_point;
    const size_t n_cell = (size_t)d->n_cell;
    for (int g = 0; g < LSTM_GATES; g++) {
        int32_t *in_side = biases + (size_t)(2 * g) * n_cell, *rec_side = in_side + n_cell;
        if (g == LSTM_GATE_INPUT && d->use_cifg) {
            memset(in_side, 0, 2 * n_cell * sizeof(int32_t));
            continue;
        }
        /* With layer normalization the gate bias is added after normalizing, not here. */
        const int32_t *gate_bias = d->use_layer_norm ? NULL : lstm_input_data(ctx, node, LSTM_IN_GATE_BIAS + g);
        fold_bias(lstm_input_data(ctx, node, LSTM_IN_INPUT_WEIGHTS + g), d->n_cell, d->n_input, gate_bias,
                  -input_zp, in_side);
        fold_bias(lstm_input_data(ctx, node, LSTM_IN_RECURRENT_WEIGHTS + g), d->n_cell, d->n_output, NULL,
                  -d->q.output_state_zp, rec_side);
    }
    int32_t *proj = biases + (size_t)2 * LSTM_GATES * n_cell;
    if (d->use_projection)
        fold_bias(lstm_input_data(ctx, node, LSTM_IN_PROJECTION_WEIGHTS), d->n_output, d->n_cell,
                  lstm_input_data(ctx, node, LSTM_IN_PROJECTION_BIAS), d->q.hidden_zp, proj);
    else
        memset(proj, 0, (size_t)d->n_output * sizeof(int32_t));
    return MOTE_OK;
}

/* What one step reads. */
typedef struct step_int8 {
    const lstm_data *d;
    const int8_t *w[LSTM_GATES], *r[LSTM_GATES]; /* [n_cell, n_input], [n_cell, n_output] */
    const int16_t *peephole[LSTM_GATES];        /* [n_cell] or NULL */
    const int16_t *norm[LSTM_GATES];            /* [n_cell] or NULL */
    const int32_t *gate_bias[LSTM_GATES];       /* [n_cell]: layer norm adds it after */
    const int32_t *in_bias[LSTM_GATES], *rec_bias[LSTM_GATES]; /* folded, [n_cell] */
    const int8_t *proj_w;                       /* [n_output, n_cell] or NULL */
    const int32_t *proj_bias;                   /* folded, [n_output] */
} step_int8;

static int16_t sat16(int64_t v) { return (int16_t)(v > INT16_MAX ? INT16_MAX : v < INT16_MIN ? INT16_MIN : v); }
static int8_t sat8(int64_t v) { return (int8_t)(v > INT8_MAX ? INT8_MAX : v < INT8_MIN ? INT8_MIN : v); }

/* gate[k] = sat16(gate[k] + rescale(bias[k] + sum_i x[i] w[k, i])) for k < rows. */
static void accumulate_product(const int8_t *x, const int8_t *w, const int32_t *bias, int32_t rows, int32_t cols,
                               int32_t m, int32_t shift, int16_t *gate) {
    for (int32_t k = 0; k < rows; k++) {
        const int8_t *wr = w + (size_t)k * (size_t)cols;
        int64_t acc = bias[k];
        for (int32_t i = 0; i < cols; i++) acc += (int32_t)x[i] * wr[i];
        int32_t v = quant_multiply_by_quantized_multiplier(quant_wrap_i32(acc), m, shift);
        gate[k] = sat16((int64_t)v + gate[k]);
    }
}

/* TensorFlow Lite's integer layer normalization of one gate row (ApplyLayerNorm): mean and
 * variance in fixed point (exact for power-of-two cell counts), an inverse square root,
 * the coefficients and the bias, then the coefficients' scale back to Q3.12. */
static void layer_norm_int16(int16_t *v, int32_t n, const int16_t *coef, const int32_t *bias, int32_t m,
                             int32_t shift, int32_t variance_guard) {
    int64_t sum = 0, sum_sq = 0;
    for (int32_t j = 0; j < n; j++) {
        sum += v[j];
        sum_sq += (int32_t)v[j] * v[j];
    }
    const int32_t mean = quant_wrap_i32(sum * 1024 / n);
    const int32_t temp = (1 << 20) / n;
    const int64_t variance = sum_sq * temp - (int64_t)mean * mean;
    int32_t variance2 = quant_wrap_i32(variance / (1 << 20));
    if (variance2 < 1) variance2 = variance_guard;
    int32_t inv_m;
    int inv_shift;
    quant_inv_sqrt_multiplier(variance2, &inv_m, &inv_shift);
    for (int32_t j = 0; j < n; j++) {
        const int32_t shifted = quant_wrap_sub_i32(quant_wrap_mul_i32(1024, v[j]), mean);
        const int32_t rescaled = quant_multiply_by_quantized_multiplier(shifted, inv_m, inv_shift);
        const int64_t val3 = quant_wrap_add_i32(quant_wrap_mul_i32(rescaled, coef[j]), bias[j]);
        const int32_t val4 = (int32_t)((val3 > 0 ? val3 + 512 : val3 - 512) / 1024);
        const int32_t val5 = quant_multiply_by_quantized_multiplier(val4, m, shift + 12);
        v[j] = quant_sat_i16(val5);
    }
}

/* One gate for one row, into out [n_cell] (Q0.15 after the activation). */
static void gate_int8(const step_int8 *s, int g, const int8_t *x, const int8_t *h, const int16_t *c, int16_t *out) {
    const lstm_data *d = s->d;
    const lstm_int8_params *q = &d->q;
    const int32_t n_cell = d->n_cell;
    memset(out, 0, sizeof(int16_t) * (size_t)n_cell);
    accumulate_product(x, s->w[g], s->in_bias[g], n_cell, d->n_input, q->input_m[g], q->input_shift[g], out);
    accumulate_product(h, s->r[g], s->rec_bias[g], n_cell, d->n_output, q->recurrent_m[g], q->recurrent_shift[g],
                       out);
    if (s->peephole[g]) {
        for (int32_t k = 0; k < n_cell; k++) {
            int32_t prod = quant_multiply_by_quantized_multiplier((int32_t)s->peephole[g][k] * c[k], q->peephole_m[g],
                                                                  q->peephole_shift[g]);
            out[k] = sat16((int64_t)prod + out[k]);
        }
    }
    if (s->norm[g])
        layer_norm_int16(out, n_cell, s->norm[g], s->gate_bias[g], q->layer_norm_m[g], q->layer_norm_shift[g],
                         q->variance_guard[g]);
    if (g == LSTM_GATE_CELL)
        for (int32_t k = 0; k < n_cell; k++) out[k] = fx16_tanh(out[k], 3);
    else
        for (int32_t k = 0; k < n_cell; k++) out[k] = fx16_logistic(out[k], 3);
}

/* x * y / 2^shift, rounded, kept to 16 bits as TensorFlow Lite's CwiseMul does. */
static int16_t mul_shift_i16(int16_t x, int16_t y, int shift) {
    return quant_wrap_i16(quant_rdbpot_i32((int32_t)x * y, shift));
}

/* One time step of one row: updates h [n_output] and c [n_cell], writes y [n_output]. */
static void step_row_int8(const step_int8 *s, const int8_t *x, int8_t *h, int16_t *c, int8_t *y, uint8_t *scratch) {
    const lstm_data *d = s->d;
    const lstm_int8_params *q = &d->q;
    const int32_t n_cell = d->n_cell;
    int16_t *gate[LSTM_GATES];
    for (int g = 0; g < LSTM_GATES; g++) gate[g] = (int16_t *)(void *)scratch + (size_t)g * (size_t)n_cell;
    int16_t *tanh_c = (int16_t *)(void *)scratch + (size_t)LSTM_GATES * (size_t)n_cell;
    int8_t *hidden = (int8_t *)(tanh_c + n_cell);

    if (!d->use_cifg) gate_int8(s, LSTM_GATE_INPUT, x, h, c, gate[LSTM_GATE_INPUT]);
    gate_int8(s, LSTM_GATE_FORGET, x, h, c, gate[LSTM_GATE_FORGET]);
    gate_int8(s, LSTM_GATE_CELL, x, h, c, gate[LSTM_GATE_CELL]);

    /* c = f .* c + i .* g: f in Q0.15, c in Q(15 + cell_shift); i .* g is Q0.30 moved to c's scale. */
    const int ig_shift = 30 + q->cell_shift;
    for (int32_t k = 0; k < n_cell; k++) {
        const int16_t f = gate[LSTM_GATE_FORGET][k];
        const int16_t i = d->use_cifg ? (int16_t)(INT16_MAX - f) : gate[LSTM_GATE_INPUT][k];
        const int16_t kept = mul_shift_i16(f, c[k], 15);
        const int16_t added = mul_shift_i16(i, gate[LSTM_GATE_CELL][k], ig_shift);
        int16_t v = quant_sat_add_i16(kept, added);
        if (q->cell_clip > 0) v = v > q->cell_clip ? q->cell_clip : v < -q->cell_clip ? (int16_t)-q->cell_clip : v;
        c[k] = v;
    }
    gate_int8(s, LSTM_GATE_OUTPUT, x, h, c, gate[LSTM_GATE_OUTPUT]);

    /* h = o .* tanh(c), rescaled to int8 (to the hidden intermediate when projecting). */
    for (int32_t k = 0; k < n_cell; k++) tanh_c[k] = fx16_tanh(c[k], 15 + q->cell_shift);
    const int16_t *o = gate[LSTM_GATE_OUTPUT];
    int8_t *dst = d->use_projection ? hidden : h;
    /* TensorFlow Lite offsets the projection's input by -hidden_zp (its bias folds +hidden_zp). */
    const int32_t zp = d->use_projection ? -q->hidden_zp : q->hidden_zp;
    for (int32_t k = 0; k < n_cell; k++) {
        int32_t v = quant_multiply_by_quantized_multiplier((int32_t)o[k] * tanh_c[k], q->hidden_m, q->hidden_shift);
        dst[k] = sat8((int64_t)v + zp);
    }
    if (d->use_projection) {
        for (int32_t j = 0; j < d->n_output; j++) {
            const int8_t *pr = s->proj_w + (size_t)j * (size_t)n_cell;
            int64_t acc = s->proj_bias[j];
            for (int32_t k = 0; k < n_cell; k++) acc += (int32_t)hidden[k] * pr[k];
            int64_t v = (int64_t)quant_multiply_by_quantized_multiplier(quant_wrap_i32(acc), q->projection_m,
                                                                        q->projection_shift) +
                        q->output_state_zp;
            int8_t hv = sat8(v);
            if (q->proj_clip > 0 && hv > q->proj_clip) hv = q->proj_clip;
            if (q->proj_clip > 0 && hv < -q->proj_clip) hv = (int8_t)-q->proj_clip;
            h[j] = hv;
        }
    }
    memcpy(y, h, (size_t)d->n_output);
}

mote_status lstm_eval_int8(mote_context *ctx, mote_node *node) {
    const lstm_data *d = node->data;
    void *biases, *scratch;
    mote_status st;
    if ((st = mote_node_persistent(ctx, node, d->persistent, &biases)) ||
        (st = mote_node_scratch(ctx, node, d->scratch, &scratch)))
        return kernel_fail(ctx, node, st, "scratch or persistent buffer missing");
    step_int8 s = {.d = d};
    const size_t n_cell = (size_t)d->n_cell;
    for (int g = 0; g < LSTM_GATES; g++) {
        s.w[g] = lstm_input_data(ctx, node, LSTM_IN_INPUT_WEIGHTS + g);
        s.r[g] = lstm_input_data(ctx, node, LSTM_IN_RECURRENT_WEIGHTS + g);
        s.gate_bias[g] = lstm_input_data(ctx, node, LSTM_IN_GATE_BIAS + g);
        s.peephole[g] = lstm_peephole_slot(g) >= 0 ? lstm_input_data(ctx, node, lstm_peephole_slot(g)) : NULL;
        s.norm[g] = d->use_layer_norm ? lstm_input_data(ctx, node, LSTM_IN_LAYER_NORM + g) : NULL;
        s.in_bias[g] = (const int32_t *)biases + (size_t)(2 * g) * n_cell;
        s.rec_bias[g] = s.in_bias[g] + n_cell;
    }
    s.proj_w = lstm_input_data(ctx, node, LSTM_IN_PROJECTION_WEIGHTS);
    s.proj_bias = (const int32_t *)biases + (size_t)2 * LSTM_GATES * n_cell;

    const int8_t *input = lstm_input_data(ctx, node, LSTM_IN_INPUT);
    int8_t *h_all = KERNEL_DATA(kernel_input(ctx, node, LSTM_IN_OUTPUT_STATE), int8_t);
    int16_t *c_all = KERNEL_DATA(kernel_input(ctx, node, LSTM_IN_CELL_STATE), int16_t);
    int8_t *output = KERNEL_DATA(kernel_output(ctx, node, 0), int8_t);
    const size_t n_in = (size_t)d->n_input, n_out = (size_t)d->n_output;
    for (int32_t b = 0; b < d->n_batch; b++) {
        int8_t *h = h_all + (size_t)b * n_out;
        int16_t *c = c_all + (size_t)b * n_cell;
        for (int32_t t = 0; t < d->n_time; t++) {
            size_t row = d->time_major ? (size_t)t * (size_t)d->n_batch + (size_t)b
                                       : (size_t)b * (size_t)d->n_time + (size_t)t;
            step_row_int8(&s, input + row * n_in, h, c, output + row * n_out, scratch);
        }
    }
    return MOTE_OK;
}
