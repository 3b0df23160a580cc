/* test_lstm.c — LSTM and UNIDIRECTIONAL_SEQUENCE_LSTM on small generated models, float32 and
 * 8x8->16 integer, in every variant (CIFG, peephole, projection, layer normalization,
 * clipping, time-major, batches), against a double-precision reference of the published
 * equations; state kept across invokes and reset; what the kernels refuse, with messages;
 * the int16 fixed-point functions behind the integer gates. */
#include <stdint.h>

#include "format/builtin_ops.h"
#include "format/tflite_schema.h"
#include "kernels/lstm_fixed16.h"
#include "mote_writer.h"
#include "test.h"

enum { MAX_T = 6, MAX_B = 2, MAX_DIM = 8, SLOTS = 24 };

/* One generated model. */
typedef struct spec {
    int sequence, time_major, quant;
    int B, T, I, C, O; /* batch, time, input, cells, outputs */
    int cifg, peephole, projection, proj_bias, layer_norm;
    int act;
    float cell_clip, proj_clip;
    /* Faults, for the error tests: */
    int omit_slot;       /* a slot left out (-1: none) */
    int bad_shape_slot;  /* a slot given one extra row (-1: none) */
    int state_not_variable;
    int kernel_type;     /* LSTM only: 1 = BASIC */
} spec;

static spec base_spec(void) {
    spec s = {.sequence = 1, .B = 1, .T = 4, .I = 3, .C = 4, .O = 4, .act = 4, .omit_slot = -1, .bad_shape_slot = -1};
    return s;
}

/* Real (dequantized, for integer models) values of every slot, and quantization. */
typedef struct weights {
    float v[SLOTS][MAX_DIM * MAX_DIM];
    int rows[SLOTS], cols[SLOTS]; /* cols 0: rank 1 */
    float scale[SLOTS];
    int present[SLOTS];
} weights;

static uint32_t rng_state;
static float rnd(float lo, float hi) {
    rng_state = rng_state * 1664525u + 1013904223u;
    return lo + (hi - lo) * (float)((rng_state >> 8) & 0xFFFF) / 65535.0f;
}

/* Quantization of the activations in integer models. */
static const float IN_SCALE = 0.01f, CELL_SCALE = 1.0f / 2048.0f, HIDDEN_SCALE = 1.0f / 128.0f;
static const int IN_ZP = 5, H_ZP = -2;
static float h_scale(const spec *s) { return s->projection ? 1.0f / 64.0f : 1.0f / 128.0f; }
static float ln_coef_scale(void) { return 1.0f / 1024.0f; }
static float gate_scale(const spec *s) { return s->layer_norm ? 1.0f / 2048.0f : 1.0f / 4096.0f; }

static void make_weights(const spec *s, weights *w, uint32_t seed) {
    memset(w, 0, sizeof *w);
    rng_state = seed;
    for (int g = 0; g < 4; g++) {
        int on = !(g == 0 && s->cifg);
        w->present[1 + g] = w->present[5 + g] = w->present[12 + g] = on;
        w->rows[1 + g] = w->rows[5 + g] = w->rows[12 + g] = s->C;
        w->cols[1 + g] = s->I;
        w->cols[5 + g] = s->O;
        if (g != 2) {
            int slot = 9 + (g == 3 ? 2 : g);
            w->present[slot] = s->peephole && on;
            w->rows[slot] = s->C;
        }
        w->present[20 + g] = s->layer_norm && on;
        w->rows[20 + g] = s->C;
    }
    w->present[16] = s->projection;
    w->rows[16] = s->O;
    w->cols[16] = s->C;
    w->present[17] = s->projection && s->proj_bias;
    w->rows[17] = s->O;
    for (int slot = 1; slot < SLOTS; slot++) {
        if (!w->present[slot]) continue;
        int n = w->rows[slot] * (w->cols[slot] ? w->cols[slot] : 1);
        float lo = -0.6f, hi = 0.6f;
        if (slot >= 12 && slot <= 15) lo = -0.3f, hi = slot == 13 ? 1.2f : 0.3f;
        if (slot >= 20) lo = 0.5f, hi = 1.5f;
        if (slot == 17) lo = -0.2f, hi = 0.2f;
        float mx = 0;
        for (int k = 0; k < n; k++) {
            w->v[slot][k] = rnd(lo, hi);
            if (fabsf(w->v[slot][k]) > mx) mx = fabsf(w->v[slot][k]);
        }
        if (!s->quant) continue;
        /* Integer models: round the values to their grid, so the reference uses exactly
         * what the model holds. */
        float scale;
        if (slot >= 12 && slot <= 15)
            scale = s->layer_norm ? ln_coef_scale() / 1024.0f : IN_SCALE * w->scale[1 + (slot - 12)];
        else if (slot == 17)
            scale = HIDDEN_SCALE * w->scale[16];
        else if (slot >= 20)
            scale = ln_coef_scale();
        else if (slot >= 9 && slot <= 11)
            scale = mx / 32767.0f;
        else
            scale = mx / 127.0f;
        w->scale[slot] = scale;
        for (int k = 0; k < n; k++) w->v[slot][k] = roundf(w->v[slot][k] / scale) * scale;
    }
}

static float sigmoid(double x) { return (float)(1.0 / (1.0 + exp(-x))); }
static double act_fn(int act, double x) {
    switch (act) {
    case 1: return x > 0 ? x : 0;
    case 3: return x < 0 ? 0 : x > 6 ? 6 : x;
    case 4: return tanh(x);
    default: return x;
    }
}
/* Rounds x to a grid of step `scale` around zero point zp within [lo, hi] (quant only). */
static double grid(const spec *s, double x, double scale, int zp, int lo, int hi) {
    if (!s->quant) return x;
    double q = round(x / scale) + zp;
    q = q < lo ? lo : q > hi ? hi : q;
    return (q - zp) * scale;
}

/* The published equations, in double, for one batch row's sequence x [T][I] -> y [T][O],
 * continuing from state h [O], c [C]. */
static void reference_row(const spec *s, const weights *w, const double *x, double *h, double *c, double *y) {
    for (int t = 0; t < s->T; t++) {
        const double *xt = x + t * s->I;
        double gate[4][MAX_DIM];
        for (int g = 0; g < 4; g++) {
            if (g == 0 && s->cifg) continue;
            if (g == 3) break; /* after the cell update */
            for (int k = 0; k < s->C; k++) {
                double z = 0;
                for (int i = 0; i < s->I; i++) z += w->v[1 + g][k * s->I + i] * xt[i];
                for (int j = 0; j < s->O; j++) z += w->v[5 + g][k * s->O + j] * h[j];
                if (s->peephole && g != 2) z += w->v[9 + g][k] * c[k];
                gate[g][k] = z;
            }
        }
        for (int pass = 0; pass < 2; pass++) {
            /* pass 0: gates i, f, g; pass 1: gate o (with the new c). */
            int first = pass == 0 ? 0 : 3, last = pass == 0 ? 2 : 3;
            if (pass == 1) {
                for (int k = 0; k < s->C; k++) {
                    double z = 0;
                    for (int i = 0; i < s->I; i++) z += w->v[4][k * s->I + i] * xt[i];
                    for (int j = 0; j < s->O; j++) z += w->v[8][k * s->O + j] * h[j];
                    if (s->peephole) z += w->v[11][k] * c[k];
                    gate[3][k] = z;
                }
            }
            for (int g = first; g <= last; g++) {
                if (g == 0 && s->cifg) continue;
                if (s->layer_norm) {
                    double mean = 0, var = 0;
                    for (int k = 0; k < s->C; k++) mean += gate[g][k] / s->C;
                    for (int k = 0; k < s->C; k++) var += (gate[g][k] - mean) * (gate[g][k] - mean) / s->C;
                    for (int k = 0; k < s->C; k++)
                        gate[g][k] = (gate[g][k] - mean) / sqrt(var + 1e-8) * w->v[20 + g][k] + w->v[12 + g][k];
                } else {
                    for (int k = 0; k < s->C; k++) gate[g][k] += w->v[12 + g][k];
                }
                for (int k = 0; k < s->C; k++)
                    gate[g][k] = g == 2 ? act_fn(s->quant ? 4 : s->act, gate[g][k]) : sigmoid(gate[g][k]);
            }
            if (pass == 0) {
                for (int k = 0; k < s->C; k++) {
                    double i = s->cifg ? 1.0 - gate[1][k] : gate[0][k];
                    double v = gate[1][k] * c[k] + i * gate[2][k];
                    if (s->cell_clip > 0) v = v > s->cell_clip ? s->cell_clip : v < -s->cell_clip ? -s->cell_clip : v;
                    c[k] = grid(s, v, CELL_SCALE, 0, -32768, 32767);
                }
            }
        }
        double hidden[MAX_DIM];
        for (int k = 0; k < s->C; k++) {
            hidden[k] = gate[3][k] * act_fn(s->quant ? 4 : s->act, c[k]);
            if (s->projection) hidden[k] = grid(s, hidden[k], HIDDEN_SCALE, 0, -128, 127);
        }
        for (int j = 0; j < s->O; j++) {
            double v = hidden[j];
            if (s->projection) {
                v = s->proj_bias ? w->v[17][j] : 0.0;
                for (int k = 0; k < s->C; k++) v += w->v[16][j * s->C + k] * hidden[k];
                if (s->proj_clip > 0) v = v > s->proj_clip ? s->proj_clip : v < -s->proj_clip ? -s->proj_clip : v;
            }
            h[j] = grid(s, v, h_scale(s), H_ZP, -128, 127);
            y[t * s->O + j] = h[j];
        }
    }
}

/* ---- building and running ---- */

static int32_t add_tensor(mote_writer *wr, const char *name, mote_type type, int rank, const int32_t *dims,
                          const void *data, size_t bytes, float scale, int zp) {
    int32_t t;
    CHECK_OK(mote_writer_add_tensor(wr, name, type, rank, dims, data, bytes, &t));
    if (scale > 0) {
        int64_t z = zp;
        CHECK_OK(mote_writer_set_quantization(wr, t, 1, &scale, &z, 0));
    }
    return t;
}

static mote_type slot_type(const spec *s, int slot) {
    if (!s->quant) return MOTE_FLOAT32;
    if (slot >= 12 && slot <= 15) return MOTE_INT32;
    if (slot == 17) return MOTE_INT32;
    if ((slot >= 9 && slot <= 11) || slot >= 20) return MOTE_INT16;
    return MOTE_INT8;
}

/* Serializes the model for spec s with weights w; the caller destroys the writer. */
static mote_writer *build(const spec *s, const weights *w) {
    mote_writer *wr;
    CHECK_OK(mote_writer_create(NULL, &wr));
    int32_t inputs[SLOTS];
    for (int k = 0; k < SLOTS; k++) inputs[k] = -1;
    int32_t in_dims[3];
    int in_rank = s->sequence ? 3 : 2;
    if (!s->sequence) {
        in_dims[0] = s->B, in_dims[1] = s->I;
    } else if (s->time_major) {
        in_dims[0] = s->T, in_dims[1] = s->B, in_dims[2] = s->I;
    } else {
        in_dims[0] = s->B, in_dims[1] = s->T, in_dims[2] = s->I;
    }
    inputs[0] = add_tensor(wr, "x", s->quant ? MOTE_INT8 : MOTE_FLOAT32, in_rank, in_dims, NULL, 0,
                           s->quant ? IN_SCALE : 0, IN_ZP);
    for (int slot = 1; slot < SLOTS; slot++) {
        if (!w->present[slot] || slot == s->omit_slot || slot == 18 || slot == 19) continue;
        int32_t dims[2] = {w->rows[slot] + (slot == s->bad_shape_slot), w->cols[slot]};
        int rank = w->cols[slot] ? 2 : 1;
        int n = dims[0] * (rank == 2 ? dims[1] : 1);
        mote_type type = slot_type(s, slot);
        union {
            float f[MAX_DIM * (MAX_DIM + 1)];
            int32_t i32[MAX_DIM * (MAX_DIM + 1)];
            int16_t i16[MAX_DIM * (MAX_DIM + 1)];
            int8_t i8[MAX_DIM * (MAX_DIM + 1)];
        } buf;
        size_t elem = type == MOTE_INT8 ? 1 : type == MOTE_INT16 ? 2 : 4;
        for (int k = 0; k < n; k++) {
            float v = k < w->rows[slot] * (rank == 2 ? w->cols[slot] : 1) ? w->v[slot][k] : 0.0f;
            float q = s->quant ? roundf(v / w->scale[slot]) : v;
            if (type == MOTE_FLOAT32) buf.f[k] = v;
            if (type == MOTE_INT32) buf.i32[k] = (int32_t)q;
            if (type == MOTE_INT16) buf.i16[k] = (int16_t)q;
            if (type == MOTE_INT8) buf.i8[k] = (int8_t)q;
        }
        char name[16];
        snprintf(name, sizeof name, "w%d", slot);
        inputs[slot] = add_tensor(wr, name, type, rank, dims, &buf, (size_t)n * elem, s->quant ? w->scale[slot] : 0, 0);
    }
    int32_t h_dims[2] = {s->B, s->O}, c_dims[2] = {s->B, s->C};
    inputs[18] = add_tensor(wr, "h", s->quant ? MOTE_INT8 : MOTE_FLOAT32, 2, h_dims, NULL, 0,
                            s->quant ? h_scale(s) : 0, H_ZP);
    inputs[19] = add_tensor(wr, "c", s->quant ? MOTE_INT16 : MOTE_FLOAT32, 2, c_dims, NULL, 0,
                            s->quant ? CELL_SCALE : 0, 0);
    if (!s->state_not_variable) {
        CHECK_OK(mote_writer_set_variable(wr, inputs[18], 1));
        CHECK_OK(mote_writer_set_variable(wr, inputs[19], 1));
    }
    int32_t out_dims[3] = {in_dims[0], in_dims[1], in_dims[2]};
    out_dims[in_rank - 1] = s->O;
    int32_t y = add_tensor(wr, "y", s->quant ? MOTE_INT8 : MOTE_FLOAT32, in_rank, out_dims, NULL, 0,
                           s->quant ? h_scale(s) : 0, H_ZP);
    int32_t mids[5];
    for (int k = 0; k < 5 && s->quant; k++) {
        int32_t zero = 0;
        char name[16];
        snprintf(name, sizeof name, "mid%d", k);
        if (k == 4)
            mids[k] = add_tensor(wr, name, MOTE_INT8, 1, &zero, NULL, 0,
                                 s->projection ? HIDDEN_SCALE : h_scale(s), s->projection ? 0 : H_ZP);
        else
            mids[k] = add_tensor(wr, name, s->layer_norm ? MOTE_INT16 : MOTE_FLOAT32, 1, &zero, NULL, 0,
                                 s->layer_norm ? gate_scale(s) : 0, 0);
    }
    mote_option_field fields[4] = {
        {0, MOTE_FIELD_INT8, s->act, 0, NULL, 0, NULL},
        {1, MOTE_FIELD_FLOAT32, 0, s->cell_clip, NULL, 0, NULL},
        {2, MOTE_FIELD_FLOAT32, 0, s->proj_clip, NULL, 0, NULL},
        {3, s->sequence ? MOTE_FIELD_BOOL : MOTE_FIELD_INT8, s->sequence ? s->time_major : s->kernel_type, 0, NULL,
         0, NULL}};
    mote_writer_op op = {.builtin_code = s->sequence ? MOTE_OP_UNIDIRECTIONAL_SEQUENCE_LSTM : MOTE_OP_LSTM,
                         .input_count = SLOTS,
                         .inputs = inputs,
                         .output_count = 1,
                         .outputs = &y,
                         .intermediate_count = s->quant ? 5 : 0,
                         .intermediates = mids,
                         .options_type = s->sequence ? TFL_OPTIONS_UNIDIRECTIONAL_SEQUENCE_LSTM : TFL_OPTIONS_LSTM,
                         .field_count = 4,
                         .fields = fields};
    CHECK_OK(mote_writer_add_op(wr, &op, NULL));
    CHECK_OK(mote_writer_set_inputs(wr, 1, &inputs[0]));
    CHECK_OK(mote_writer_set_outputs(wr, 1, &y));
    return wr;
}

/* An interpreter on a built model, with its input and output. */
typedef struct runner {
    mote_writer *wr;
    mote_model *model;
    mote_interpreter *it;
    mote_status status; /* of create + allocate */
} runner;

static runner open_runner(const spec *s, const weights *w) {
    runner r = {0};
    const void *data;
    size_t size;
    r.wr = build(s, w);
    CHECK_OK(mote_writer_finish(r.wr, &data, &size));
    CHECK_OK(mote_model_load_memory(data, size, NULL, &r.model));
    r.status = mote_interpreter_create(r.model, NULL, &r.it);
    if (!r.status) r.status = mote_interpreter_allocate_tensors(r.it);
    return r;
}

static void close_runner(runner *r) {
    mote_interpreter_destroy(r->it);
    mote_model_destroy(r->model);
    mote_writer_destroy(r->wr);
}

/* Input x in [batch][time][input] order (real values); output y likewise (real values). */
static void invoke(runner *r, const spec *s, const double *x, double *y) {
    int n_in = s->B * s->T * s->I, n_out = s->B * s->T * s->O;
    float xf[MAX_B * MAX_T * MAX_DIM];
    int8_t xq[MAX_B * MAX_T * MAX_DIM];
    for (int b = 0; b < s->B; b++)
        for (int t = 0; t < s->T; t++)
            for (int i = 0; i < s->I; i++) {
                int src = (b * s->T + t) * s->I + i;
                int dst = ((s->time_major ? t * s->B + b : b * s->T + t)) * s->I + i;
                xf[dst] = (float)x[src];
                xq[dst] = (int8_t)(round(x[src] / IN_SCALE) + IN_ZP);
            }
    mote_tensor *t;
    CHECK_OK(mote_interpreter_input(r->it, 0, &t));
    CHECK_OK(mote_tensor_copy_from(t, s->quant ? (void *)xq : (void *)xf, (size_t)n_in * (s->quant ? 1 : 4)));
    CHECK_OK(mote_interpreter_invoke(r->it));
    CHECK_OK(mote_interpreter_output(r->it, 0, &t));
    float yf[MAX_B * MAX_T * MAX_DIM];
    int8_t yq[MAX_B * MAX_T * MAX_DIM];
    CHECK_OK(mote_tensor_copy_to(t, s->quant ? (void *)yq : (void *)yf, (size_t)n_out * (s->quant ? 1 : 4)));
    for (int b = 0; b < s->B; b++)
        for (int tt = 0; tt < s->T; tt++)
            for (int j = 0; j < s->O; j++) {
                int src = ((s->time_major ? tt * s->B + b : b * s->T + tt)) * s->O + j;
                y[(b * s->T + tt) * s->O + j] = s->quant ? (yq[src] - H_ZP) * (double)h_scale(s) : yf[src];
            }
}

static void make_input(const spec *s, double *x, uint32_t seed) {
    rng_state = seed;
    for (int k = 0; k < s->B * s->T * s->I; k++) {
        double v = rnd(-1.0f, 1.0f);
        /* Integer models see the input on its grid. */
        x[k] = s->quant ? (round(v / IN_SCALE)) * IN_SCALE : v;
    }
}

/* Runs spec s for `invokes` invokes (and once more after a reset) against the reference,
 * within `tolerance` (absolute, real units). */
static void check_spec(const spec *s, double tolerance, int invokes) {
    weights w;
    make_weights(s, &w, 1234u + (uint32_t)(s->C * 7 + s->I));
    runner r = open_runner(s, &w);
    CHECK_OK(r.status);
    if (r.status) {
        fprintf(stderr, "%s\n", mote_interpreter_error(r.it));
        close_runner(&r);
        return;
    }
    double h[MAX_B][MAX_DIM] = {{0}}, c[MAX_B][MAX_DIM] = {{0}};
    double x[MAX_B * MAX_T * MAX_DIM], y[MAX_B * MAX_T * MAX_DIM], want[MAX_B * MAX_T * MAX_DIM];
    double first[MAX_B * MAX_T * MAX_DIM];
    int n_out = s->B * s->T * s->O;
    if (s->quant)
        for (int b = 0; b < s->B; b++)
            for (int j = 0; j < s->O; j++) h[b][j] = 0.0; /* state starts at its zero point */
    make_input(s, x, 99);
    for (int k = 0; k < invokes; k++) {
        invoke(&r, s, x, y);
        for (int b = 0; b < s->B; b++)
            reference_row(s, &w, x + b * s->T * s->I, h[b], c[b], want + b * s->T * s->O);
        double err = 0;
        for (int i = 0; i < n_out; i++) err = fmax(err, fabs(y[i] - want[i]));
        if (err > tolerance) fprintf(stderr, "invoke %d: max error %g > %g\n", k, err, tolerance);
        CHECK(err <= tolerance);
        if (k == 0) memcpy(first, y, sizeof(double) * (size_t)n_out);
    }
    if (invokes > 1) {
        /* The state changed the result; a reset brings the first one back exactly. */
        double moved = 0;
        for (int i = 0; i < n_out; i++) moved = fmax(moved, fabs(y[i] - first[i]));
        CHECK(moved > 0);
        CHECK_OK(mote_interpreter_reset_variables(r.it));
        invoke(&r, s, x, y);
        for (int i = 0; i < n_out; i++) CHECK(y[i] == first[i]);
    }
    close_runner(&r);
}

/* ---- float ---- */

static void test_float_plain(void) {
    spec s = base_spec();
    check_spec(&s, 1e-5, 3);
}

static void test_float_cifg_peephole_clip(void) {
    spec s = base_spec();
    s.cifg = 1, s.peephole = 1, s.cell_clip = 0.4f;
    check_spec(&s, 1e-5, 3);
}

static void test_float_projection_layer_norm(void) {
    spec s = base_spec();
    s.projection = 1, s.proj_bias = 1, s.O = 3, s.proj_clip = 0.5f, s.layer_norm = 1, s.peephole = 1;
    check_spec(&s, 1e-5, 2);
    s.cifg = 1, s.proj_bias = 0, s.act = 1; /* RELU as the cell activation */
    check_spec(&s, 1e-5, 2);
}

static void test_float_time_major_batches(void) {
    spec s = base_spec();
    s.B = 2, s.time_major = 1, s.act = 3;
    check_spec(&s, 1e-5, 2);
    s.time_major = 0;
    check_spec(&s, 1e-5, 2);
}

static void test_float_lstm_op(void) {
    /* LSTM: one step per invoke; the state carries the sequence. */
    spec s = base_spec();
    s.sequence = 0, s.T = 1, s.B = 2, s.peephole = 1, s.layer_norm = 1, s.projection = 1, s.O = 2;
    check_spec(&s, 1e-5, 4);
}

/* ---- integer (8x8->16) ---- */

/* Integer models against the reference on the same grids: a few output steps. */
static double int_tolerance(const spec *s) { return 4.0 * h_scale(s); }

static void test_int8_plain(void) {
    spec s = base_spec();
    s.quant = 1;
    check_spec(&s, int_tolerance(&s), 3);
    s.B = 2, s.time_major = 1, s.T = 5;
    check_spec(&s, int_tolerance(&s), 2);
}

static void test_int8_cifg_peephole_clip(void) {
    spec s = base_spec();
    s.quant = 1, s.cifg = 1, s.peephole = 1, s.cell_clip = 0.5f;
    check_spec(&s, int_tolerance(&s), 3);
}

static void test_int8_projection(void) {
    spec s = base_spec();
    s.quant = 1, s.projection = 1, s.proj_bias = 1, s.O = 3, s.proj_clip = 0.8f;
    check_spec(&s, int_tolerance(&s), 2);
}

static void test_int8_layer_norm(void) {
    spec s = base_spec();
    s.quant = 1, s.layer_norm = 1, s.C = 4, s.O = 4;
    check_spec(&s, int_tolerance(&s), 2);
    s.cifg = 1, s.C = 8, s.O = 8;
    check_spec(&s, int_tolerance(&s), 2);
}

static void test_int8_lstm_op(void) {
    spec s = base_spec();
    s.quant = 1, s.sequence = 0, s.T = 1, s.B = 2;
    check_spec(&s, int_tolerance(&s), 4);
}

/* ---- refusals ---- */

static void expect_failure(const spec *s, mote_status status, const char *why) {
    weights w;
    make_weights(s, &w, 7);
    runner r = open_runner(s, &w);
    CHECK_EQ_INT(r.status, status);
    const char *msg = r.it ? mote_interpreter_error(r.it) : "";
    if (!strstr(msg, why)) fprintf(stderr, "message '%s' lacks '%s'\n", msg, why);
    CHECK(strstr(msg, why) != NULL);
    CHECK(strstr(msg, "LSTM") != NULL); /* names the operator */
    close_runner(&r);
}

static void test_refusals(void) {
    spec s = base_spec();
    s.omit_slot = 2;
    expect_failure(&s, MOTE_ERROR_INVALID_MODEL, "input-to-forget weights: is required");
    s = base_spec();
    s.omit_slot = 5; /* recurrent-to-input without input-to-input */
    expect_failure(&s, MOTE_ERROR_INVALID_MODEL, "recurrent-to-input weights");
    s = base_spec();
    s.bad_shape_slot = 7;
    expect_failure(&s, MOTE_ERROR_INVALID_MODEL, "expected shape [4, 4], got [5, 4]");
    s = base_spec();
    s.peephole = 1, s.omit_slot = 10;
    expect_failure(&s, MOTE_ERROR_INVALID_MODEL, "peephole weights come all or none");
    s = base_spec();
    s.layer_norm = 1, s.omit_slot = 22;
    expect_failure(&s, MOTE_ERROR_INVALID_MODEL, "cell layer-norm coefficients");
    s = base_spec();
    s.state_not_variable = 1;
    expect_failure(&s, MOTE_ERROR_INVALID_MODEL, "variable");
    s = base_spec();
    s.O = 3;
    expect_failure(&s, MOTE_ERROR_INVALID_MODEL, "no projection");
    s = base_spec();
    s.sequence = 0, s.T = 1, s.kernel_type = 1;
    expect_failure(&s, MOTE_ERROR_UNSUPPORTED, "basic LSTM kernel");
    s = base_spec();
    s.act = 5;
    expect_failure(&s, MOTE_ERROR_UNSUPPORTED, "fused activation 5");
    s = base_spec();
    s.quant = 1, s.omit_slot = 13; /* forget gate bias */
    expect_failure(&s, MOTE_ERROR_INVALID_MODEL, "forget gate bias: is required");
}

/* ---- fixed point ---- */

static void test_fixed16_functions(void) {
    /* Q3.12 inputs (the gates): gemmlowp's 16-bit results are within a few units of the
     * true values (2^-15), and symmetric. (Compared with gemmlowp itself, on every input,
     * while writing them.) */
    int worst_sigmoid = 0, worst_tanh = 0;
    for (int32_t v = INT16_MIN; v <= INT16_MAX; v++) {
        double x = v / 4096.0;
        int16_t s = fx16_logistic((int16_t)v, 3), t = fx16_tanh((int16_t)v, 3);
        int es = abs(s - (int)lround(32768.0 / (1.0 + exp(-x)) > 32767 ? 32767 : 32768.0 / (1.0 + exp(-x))));
        int et = abs(t - (int)lround(fmin(32767.0, 32768.0 * tanh(x))));
        if (es > worst_sigmoid) worst_sigmoid = es;
        if (et > worst_tanh) worst_tanh = et;
        if (v > INT16_MIN && v != 0) {
            CHECK_EQ_INT(fx16_logistic((int16_t)-v, 3), INT16_MAX - s);
            CHECK_EQ_INT(fx16_tanh((int16_t)-v, 3), -t);
        }
    }
    CHECK(worst_sigmoid <= 8);
    CHECK(worst_tanh <= 16);
    CHECK_EQ_INT(fx16_logistic(0, 3), 16384);
    CHECK_EQ_INT(fx16_tanh(0, 4), 0);
    CHECK_NEAR(fx16_logistic(INT16_MIN, 3), 11, 1); /* sigmoid(-8) = 0.000335 */
    /* The cell state's tanh, Q4.11 (cell scale 2^-11). */
    CHECK_NEAR(fx16_tanh(2048, 4) / 32768.0, tanh(1.0), 4e-4);
    CHECK_NEAR(fx16_tanh(-20000, 4) / 32768.0, tanh(-20000 / 2048.0), 4e-4);

    /* The inverse square root of the integer layer normalization. */
    const int32_t values[] = {2, 3, 10, 1000, 123457, 1 << 28, (1 << 30) + 12345, INT32_MAX};
    for (size_t k = 0; k < sizeof values / sizeof values[0]; k++) {
        int32_t m;
        int shift;
        quant_inv_sqrt_multiplier(values[k], &m, &shift);
        double got = m * pow(2.0, shift - 31);
        CHECK_NEAR(got * sqrt((double)values[k]), 1.0, 1e-4);
    }
    int32_t m;
    int shift;
    quant_inv_sqrt_multiplier(1, &m, &shift);
    CHECK_EQ_INT(m, INT32_MAX);
    CHECK_EQ_INT(shift, 0);
}

/* ---- shared models: state across invokes ---- */

/* The output and every variable tensor of subgraph 0, concatenated into buf; returns the
 * byte count (0 when they do not fit). */
static size_t snapshot(mote_interpreter *it, uint8_t *buf, size_t cap) {
    mote_tensor *t;
    mote_tensor_info info;
    size_t at = 0;
    int32_t count = 0;
    CHECK_OK(mote_interpreter_output(it, 0, &t));
    CHECK_OK(mote_tensor_get_info(t, &info));
    if (info.bytes > cap) return 0;
    memcpy(buf, info.data, info.bytes);
    at = info.bytes;
    CHECK_OK(mote_interpreter_tensor_count(it, &count));
    for (int32_t i = 0; i < count; i++) {
        CHECK_OK(mote_interpreter_tensor(it, i, &t));
        CHECK_OK(mote_tensor_get_info(t, &info));
        if (!info.is_variable) continue;
        if (at + info.bytes > cap) return 0;
        memcpy(buf + at, info.data, info.bytes);
        at += info.bytes;
    }
    return at;
}

/* Invoke, invoke again (the state moves on), reset, invoke (the first result again), on a
 * smooth input: a ramp of small values around the input's zero point. */
static void check_shared_model(const char *dir, const char *name) {
    char path[1024];
    snprintf(path, sizeof path, "%s/models/%s.tflite", dir, name);
    mote_model *m = NULL;
    mote_interpreter *it = NULL;
    if (mote_model_load_file(path, NULL, &m)) {
        fprintf(stderr, "%s: %s\n", name, mote_model_error(m));
        CHECK(0);
        mote_model_destroy(m);
        return;
    }
    mote_status st = mote_interpreter_create(m, NULL, &it);
    if (!st) st = mote_interpreter_allocate_tensors(it);
    if (st == MOTE_ERROR_UNSUPPORTED) {
        fprintf(stderr, "%s: skipped (%s)\n", name, mote_interpreter_error(it));
    } else if (st) {
        fprintf(stderr, "%s: %s\n", name, mote_interpreter_error(it));
        CHECK_OK(st);
    } else {
        mote_tensor *in;
        mote_tensor_info ii;
        CHECK_OK(mote_interpreter_input(it, 0, &in));
        CHECK_OK(mote_tensor_get_info(in, &ii));
        static uint8_t x[65536], snap[3][16384];
        size_t n = ii.type == MOTE_FLOAT32 ? ii.bytes / 4 : ii.type == MOTE_INT16 ? ii.bytes / 2 : ii.bytes;
        CHECK(ii.bytes <= sizeof x);
        for (size_t i = 0; i < n && ii.bytes <= sizeof x; i++) {
            double v = sin(0.05 * (double)i);
            int zp = ii.quantization.count ? (int)ii.quantization.zero_points[0] : 0;
            if (ii.type == MOTE_FLOAT32) ((float *)(void *)x)[i] = (float)(0.4 * v);
            if (ii.type == MOTE_INT16) ((int16_t *)(void *)x)[i] = (int16_t)(zp + 3000 * v);
            if (ii.type == MOTE_INT8) ((int8_t *)(void *)x)[i] = (int8_t)(zp + 60 + 40 * v);
            if (ii.type == MOTE_UINT8) x[i] = (uint8_t)(zp + 60 + 40 * v);
        }
        size_t len[3];
        for (int r = 0; r < 3; r++) {
            if (r == 2) CHECK_OK(mote_interpreter_reset_variables(it));
            CHECK_OK(mote_tensor_copy_from(in, x, ii.bytes));
            CHECK_OK(mote_interpreter_invoke(it));
            len[r] = snapshot(it, snap[r], sizeof snap[r]);
        }
        CHECK(len[0] > 0 && len[0] == len[1] && len[0] == len[2]);
        if (!memcmp(snap[0], snap[1], len[0])) fprintf(stderr, "%s: the second invoke changed nothing\n", name);
        CHECK(memcmp(snap[0], snap[1], len[0]) != 0);
        CHECK(memcmp(snap[0], snap[2], len[0]) == 0);
    }
    mote_interpreter_destroy(it);
    mote_model_destroy(m);
}

static void test_shared_state(void) {
    const char *dir = test_shared_dir();
    if (!dir) {
        fprintf(stderr, "shared assets absent: skipping the shared models\n");
        return;
    }
    const char *names[] = {"lstm", "unidirectional_sequence_lstm", "trained_lstm", "trained_lstm_int8",
                           "micro_speech_lstm", "keras_lstm_mnist_ptq"};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) check_shared_model(dir, names[k]);
}

TEST_MAIN(test_float_plain, test_float_cifg_peephole_clip, test_float_projection_layer_norm,
          test_float_time_major_batches, test_float_lstm_op, test_int8_plain, test_int8_cifg_peephole_clip,
          test_int8_projection, test_int8_layer_norm, test_int8_lstm_op, test_refusals, test_fixed16_functions,
          test_shared_state)
