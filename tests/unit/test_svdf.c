/* test_svdf.c — SVDF in float32 and int8 (int16 state) on small generated models, over
 * several invokes (the state's memory shifts), against a double reference; reset; the int32
 * wrap-around TensorFlow Lite's integer kernel has; what the kernel refuses. */
#include <stdint.h>

#include "format/builtin_ops.h"
#include "format/tflite_schema.h"
#include "mote_writer.h"
#include "test.h"

enum { B = 2, N = 3, F = 4, M = 3 }; /* batch, inputs, filters, memory */

typedef struct spec {
    int quant, rank, act;
    int with_bias;
    int32_t bias_override; /* int8: replaces bias[0] when nonzero */
    /* Faults: */
    int state_not_variable, bad_state, bad_bias, hybrid, time_int8;
} spec;

static const float WF[F * N] = {0.5f, -0.25f, 0.75f, -0.5f, 1.0f, 0.25f, 0.3f, 0.6f, -0.9f, -0.2f, 0.1f, 0.4f};
static const float WT[F * M] = {0.2f, -0.4f, 0.6f, 0.8f, 0.1f, -0.3f, -0.5f, 0.7f, 0.9f, 0.3f, 0.3f, -0.6f};
static const float BIAS[F] = {0.1f, -0.2f, 0.05f, 0.3f};
/* int8 quantization: input, feature weights, time weights, state, output; the bias is in
 * units of state x time weights. */
static const float S_IN = 0.02f, S_WF = 1.0f / 127.0f, S_WT = 1.0f / 32767.0f, S_STATE = 1.0f / 4096.0f,
                   S_OUT = 1.0f / 64.0f;
static const int ZP_IN = 3, ZP_OUT = -5;

static double act_fn(int act, double x) {
    switch (act) {
    case 1: return x > 0 ? x : 0;
    case 4: return tanh(x);
    default: return x;
    }
}

/* What the model holds: float values, or the values on their int8/int16 grids. */
static double wf_at(const spec *s, int k) { return s->quant ? round(WF[k] / S_WF) * S_WF : WF[k]; }
static double wt_at(const spec *s, int k) { return s->quant ? round(WT[k] / S_WT) * S_WT : WT[k]; }
static double bias_at(const spec *s, int u) {
    return s->quant ? round(BIAS[u] / (S_STATE * S_WT)) * (S_STATE * S_WT) : BIAS[u];
}

static mote_writer *build(const spec *s) {
    mote_writer *wr;
    CHECK_OK(mote_writer_create(NULL, &wr));
    const int units = s->rank > 0 ? F / s->rank : F;
    int32_t x, wf, wt, bias = -1, state, y;
    int32_t dims_x[2] = {B, N}, dims_wf[2] = {F, N}, dims_wt[2] = {F, M}, dims_b[1] = {units + s->bad_bias};
    int32_t dims_s[2] = {B, M * F + s->bad_state}, dims_y[2] = {B, units};
    mote_type act_type = s->quant ? MOTE_INT8 : MOTE_FLOAT32;
    CHECK_OK(mote_writer_add_tensor(wr, "x", s->hybrid ? MOTE_FLOAT32 : act_type, 2, dims_x, NULL, 0, &x));
    if (s->quant) {
        int8_t qf[F * N];
        int16_t qt[F * M];
        int8_t qt8[F * M];
        int32_t qb[F + 1] = {0};
        for (int k = 0; k < F * N; k++) qf[k] = (int8_t)lroundf(WF[k] / S_WF);
        for (int k = 0; k < F * M; k++) qt[k] = (int16_t)lroundf(WT[k] / S_WT), qt8[k] = (int8_t)(qt[k] >> 8);
        for (int u = 0; u < units + s->bad_bias; u++) qb[u] = (int32_t)lround(BIAS[u % F] / (S_STATE * S_WT));
        if (s->bias_override) qb[0] = s->bias_override;
        CHECK_OK(mote_writer_add_tensor(wr, "wf", MOTE_INT8, 2, dims_wf, qf, sizeof qf, &wf));
        if (s->time_int8)
            CHECK_OK(mote_writer_add_tensor(wr, "wt", MOTE_INT8, 2, dims_wt, qt8, sizeof qt8, &wt));
        else
            CHECK_OK(mote_writer_add_tensor(wr, "wt", MOTE_INT16, 2, dims_wt, qt, sizeof qt, &wt));
        if (s->with_bias)
            CHECK_OK(mote_writer_add_tensor(wr, "b", MOTE_INT32, 1, dims_b, qb, (size_t)dims_b[0] * 4, &bias));
        CHECK_OK(mote_writer_add_tensor(wr, "state", MOTE_INT16, 2, dims_s, NULL, 0, &state));
        const float scales[6] = {S_IN, S_WF, S_WT, S_STATE * S_WT, S_STATE, S_OUT};
        const int64_t zps[6] = {ZP_IN, 0, 0, 0, 0, ZP_OUT};
        const int32_t ids[5] = {x, wf, wt, bias, state};
        for (int k = 0; k < 5; k++)
            if (ids[k] >= 0) CHECK_OK(mote_writer_set_quantization(wr, ids[k], 1, &scales[k], &zps[k], 0));
        CHECK_OK(mote_writer_add_tensor(wr, "y", MOTE_INT8, 2, dims_y, NULL, 0, &y));
        CHECK_OK(mote_writer_set_quantization(wr, y, 1, &scales[5], &zps[5], 0));
    } else {
        int8_t qf[F * N] = {0};
        if (s->hybrid)
            CHECK_OK(mote_writer_add_tensor(wr, "wf", MOTE_INT8, 2, dims_wf, qf, sizeof qf, &wf));
        else
            CHECK_OK(mote_writer_add_tensor(wr, "wf", MOTE_FLOAT32, 2, dims_wf, WF, sizeof WF, &wf));
        CHECK_OK(mote_writer_add_tensor(wr, "wt", MOTE_FLOAT32, 2, dims_wt, WT, sizeof WT, &wt));
        float b[F + 1] = {0};
        for (int u = 0; u < units + s->bad_bias; u++) b[u] = BIAS[u % F];
        if (s->with_bias)
            CHECK_OK(mote_writer_add_tensor(wr, "b", MOTE_FLOAT32, 1, dims_b, b, (size_t)dims_b[0] * 4, &bias));
        CHECK_OK(mote_writer_add_tensor(wr, "state", MOTE_FLOAT32, 2, dims_s, NULL, 0, &state));
        CHECK_OK(mote_writer_add_tensor(wr, "y", MOTE_FLOAT32, 2, dims_y, NULL, 0, &y));
    }
    if (!s->state_not_variable) CHECK_OK(mote_writer_set_variable(wr, state, 1));
    int32_t ins[5] = {x, wf, wt, bias, state};
    mote_option_field fields[2] = {{0, MOTE_FIELD_INT32, s->rank, 0, NULL, 0, NULL},
                                   {1, MOTE_FIELD_INT8, s->act, 0, NULL, 0, NULL}};
    mote_writer_op op = {.builtin_code = MOTE_OP_SVDF,
                         .input_count = 5,
                         .inputs = ins,
                         .output_count = 1,
                         .outputs = &y,
                         .options_type = TFL_OPTIONS_SVDF,
                         .field_count = 2,
                         .fields = fields};
    CHECK_OK(mote_writer_add_op(wr, &op, NULL));
    CHECK_OK(mote_writer_set_inputs(wr, 1, &x));
    CHECK_OK(mote_writer_set_outputs(wr, 1, &y));
    return wr;
}

typedef struct runner {
    mote_writer *wr;
    mote_model *model;
    mote_interpreter *it;
    mote_status status;
} runner;

static runner open_runner(const spec *s) {
    runner r = {0};
    const void *data;
    size_t size;
    r.wr = build(s);
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

/* The input of invoke k (real values, on the int8 grid for integer models). */
static double input_at(const spec *s, int k, int i) {
    double v = 0.8 * sin(0.7 * k + 1.3 * i + 0.2);
    return s->quant ? round(v / S_IN) * S_IN : v;
}

static void invoke(runner *r, const spec *s, int k, double *y) {
    float xf[B * N];
    int8_t xq[B * N];
    for (int i = 0; i < B * N; i++) {
        xf[i] = (float)input_at(s, k, i);
        xq[i] = (int8_t)(lround(input_at(s, k, i) / S_IN) + ZP_IN);
    }
    mote_tensor *t;
    CHECK_OK(mote_interpreter_input(r->it, 0, &t));
    CHECK_OK(mote_tensor_copy_from(t, s->quant ? (void *)xq : (void *)xf, s->quant ? sizeof xq : sizeof xf));
    CHECK_OK(mote_interpreter_invoke(r->it));
    CHECK_OK(mote_interpreter_output(r->it, 0, &t));
    const int units = F / s->rank;
    float yf[B * F];
    int8_t yq[B * F];
    CHECK_OK(mote_tensor_copy_to(t, s->quant ? (void *)yq : (void *)yf, (size_t)(B * units) * (s->quant ? 1 : 4)));
    for (int i = 0; i < B * units; i++) y[i] = s->quant ? (yq[i] - ZP_OUT) * (double)S_OUT : yf[i];
}

/* The reference: state [B][F][M] in real values, shifted each invoke. */
static void reference(const spec *s, double state[B][F][M], int k, double *y) {
    const int units = F / s->rank;
    for (int b = 0; b < B; b++)
        for (int f = 0; f < F; f++) {
            for (int m = 0; m < M - 1; m++) state[b][f][m] = state[b][f][m + 1];
            double a = 0;
            for (int i = 0; i < N; i++) a += wf_at(s, f * N + i) * input_at(s, k, b * N + i);
            state[b][f][M - 1] = s->quant ? round(a / S_STATE) * S_STATE : a;
        }
    for (int b = 0; b < B; b++)
        for (int u = 0; u < units; u++) {
            double a = s->with_bias ? bias_at(s, u) : 0.0;
            for (int r = 0; r < s->rank; r++)
                for (int m = 0; m < M; m++) a += wt_at(s, (u * s->rank + r) * M + m) * state[b][u * s->rank + r][m];
            /* The integer kernel applies no activation; only its int8 range clamps. */
            y[b * units + u] = s->quant ? fmin(fmax(a, (-128 - ZP_OUT) * (double)S_OUT), (127 - ZP_OUT) * (double)S_OUT)
                                        : act_fn(s->act, a);
        }
}

static void check_spec(const spec *s, double tolerance) {
    runner r = open_runner(s);
    CHECK_OK(r.status);
    if (r.status) {
        fprintf(stderr, "%s\n", mote_interpreter_error(r.it));
        close_runner(&r);
        return;
    }
    double state[B][F][M] = {{{0}}}, y[B * F], want[B * F], first[B * F];
    const int n = B * (F / s->rank);
    for (int k = 0; k < 5; k++) {
        invoke(&r, s, k, y);
        reference(s, state, k, want);
        for (int i = 0; i < n; i++) CHECK_NEAR(y[i], want[i], tolerance);
        if (k == 0) memcpy(first, y, sizeof first);
    }
    CHECK_OK(mote_interpreter_reset_variables(r.it));
    invoke(&r, s, 0, y);
    for (int i = 0; i < n; i++) CHECK(y[i] == first[i]);
    close_runner(&r);
}

static void test_float(void) {
    spec s = {.rank = 2, .with_bias = 1};
    check_spec(&s, 1e-6);
    s.act = 1;
    check_spec(&s, 1e-6);
    s.rank = 1, s.act = 4, s.with_bias = 0;
    check_spec(&s, 1e-6);
}

static void test_int8(void) {
    spec s = {.quant = 1, .rank = 2, .with_bias = 1};
    check_spec(&s, 1.5 * S_OUT);
    s.rank = 1, s.with_bias = 0, s.act = 1; /* the activation is not applied in int8 */
    check_spec(&s, 1.5 * S_OUT);
}

static void test_int8_accumulator_wraps(void) {
    /* A bias of INT32_MAX: TensorFlow Lite adds it in 32 bits, which wraps, so a unit whose
     * sum is positive comes out at the bottom of the range, one whose sum is negative at the
     * top. */
    spec s = {.quant = 1, .rank = 1, .with_bias = 1, .bias_override = INT32_MAX};
    spec plain = s;
    plain.with_bias = 0; /* the reference's sums without the bias */
    runner r = open_runner(&s);
    CHECK_OK(r.status);
    int wrapped = 0;
    double state[B][F][M] = {{{0}}};
    for (int k = 0; k < 4 && !r.status; k++) {
        double y[B * F], sums[B * F];
        invoke(&r, &s, k, y);
        reference(&plain, state, k, sums); /* clamped to the int8 range, signs kept */
        for (int b = 0; b < B; b++) {
            const double sum = sums[b * F]; /* unit 0 */
            const long q = lround(y[b * F] / S_OUT) + ZP_OUT;
            if (sum > 0.05) {
                CHECK_EQ_INT(q, -128);
                wrapped++;
            }
            if (sum < -0.05) CHECK_EQ_INT(q, 127);
        }
    }
    CHECK(wrapped > 0);
    close_runner(&r);
}

static void expect_failure(const spec *s, mote_status status, const char *why) {
    runner r = open_runner(s);
    CHECK_EQ_INT(r.status, status);
    const char *msg = r.it ? mote_interpreter_error(r.it) : "";
    if (!strstr(msg, why)) fprintf(stderr, "message '%s' lacks '%s'\n", msg, why);
    CHECK(strstr(msg, why) != NULL);
    CHECK(strstr(msg, "SVDF") != NULL);
    close_runner(&r);
}

static void test_refusals(void) {
    expect_failure(&(spec){.rank = 0}, MOTE_ERROR_INVALID_MODEL, "rank 0 must be positive");
    expect_failure(&(spec){.rank = 3}, MOTE_ERROR_INVALID_MODEL, "4 filters are not a multiple of rank 3");
    expect_failure(&(spec){.rank = 2, .state_not_variable = 1}, MOTE_ERROR_INVALID_MODEL, "variable");
    expect_failure(&(spec){.rank = 2, .bad_state = 1}, MOTE_ERROR_INVALID_MODEL, "'state'): expected shape [2, 12]");
    expect_failure(&(spec){.rank = 2, .with_bias = 1, .bad_bias = 1}, MOTE_ERROR_INVALID_MODEL, "expected shape [2]");
    expect_failure(&(spec){.rank = 2, .hybrid = 1}, MOTE_ERROR_UNSUPPORTED, "hybrid");
    expect_failure(&(spec){.rank = 2, .quant = 1, .time_int8 = 1}, MOTE_ERROR_INVALID_MODEL, "input 2");
    expect_failure(&(spec){.rank = 2, .act = 5}, MOTE_ERROR_UNSUPPORTED, "");
}

/* keyword_scrambled: seven SVDFs; the state moves on between invokes and a reset brings the
 * first result back (its weights are scrambled, so the values mean nothing). */
static void test_shared_keyword(void) {
    const char *dir = test_shared_dir();
    if (!dir) {
        fprintf(stderr, "shared assets absent: skipping keyword_scrambled\n");
        return;
    }
    char path[1024];
    snprintf(path, sizeof path, "%s/models/keyword_scrambled.tflite", dir);
    mote_model *m = NULL;
    mote_interpreter *it = NULL;
    CHECK_OK(mote_model_load_file(path, NULL, &m));
    mote_status st = mote_interpreter_create(m, NULL, &it);
    if (!st) st = mote_interpreter_allocate_tensors(it);
    if (st == MOTE_ERROR_UNSUPPORTED) {
        fprintf(stderr, "keyword_scrambled: skipped (%s)\n", mote_interpreter_error(it));
    } else if (!st) {
        mote_tensor *in, *t;
        mote_tensor_info info;
        int16_t x[96];
        for (int i = 0; i < 96; i++) x[i] = (int16_t)(2000 * sin(0.2 * i));
        /* Snapshot: every variable tensor (the seven states). */
        static int16_t snap[3][8192];
        size_t len[3] = {0};
        int32_t count;
        CHECK_OK(mote_interpreter_input(it, 0, &in));
        CHECK_OK(mote_interpreter_tensor_count(it, &count));
        for (int r = 0; r < 3; r++) {
            if (r == 2) CHECK_OK(mote_interpreter_reset_variables(it));
            CHECK_OK(mote_tensor_copy_from(in, x, sizeof x));
            CHECK_OK(mote_interpreter_invoke(it));
            for (int32_t i = 0; i < count; i++) {
                CHECK_OK(mote_interpreter_tensor(it, i, &t));
                CHECK_OK(mote_tensor_get_info(t, &info));
                if (!info.is_variable || len[r] * 2 + info.bytes > sizeof snap[r]) continue;
                memcpy((uint8_t *)snap[r] + len[r] * 2, info.data, info.bytes);
                len[r] += info.bytes / 2;
            }
        }
        CHECK(len[0] > 0 && len[0] == len[1] && len[1] == len[2]);
        CHECK(memcmp(snap[0], snap[1], len[0] * 2) != 0);
        CHECK(memcmp(snap[0], snap[2], len[0] * 2) == 0);
    } else {
        fprintf(stderr, "keyword_scrambled: %s\n", mote_interpreter_error(it));
        CHECK_OK(st);
    }
    mote_interpreter_destroy(it);
    mote_model_destroy(m);
}

TEST_MAIN(test_float, test_int8, test_int8_accumulator_wraps, test_refusals, test_shared_keyword)
