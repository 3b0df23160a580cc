/* test_batch_matmul.c — BATCH_MATMUL beyond the opsuite: a rank-4 lhs against a rank-2 rhs
 * with adj_x (batch broadcasting), the raw int32 output of int8 inputs, TensorFlow Lite's
 * zero output for a per-channel rhs (it reads per-tensor parameters only), and a depth
 * mismatch refused. */
#include "test_arith_harness.h"

#define OPT_ADJ(id, v) \
    { (id), MOTE_FIELD_BOOL, (v), 0.0f, NULL, 0, NULL }

/* Plain reference: out[b][m][n] = sum_k lhs[b][m][k] * rhs[k][n]. */
static void reference(const float *lhs_mk, const float *rhs_kn, int batches, int m, int k, int n,
                      float *out) {
    for (int b = 0; b < batches; b++)
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                float s = 0.0f;
                for (int q = 0; q < k; q++) s += lhs_mk[(b * m + i) * k + q] * rhs_kn[q * n + j];
                out[(b * m + i) * n + j] = s;
            }
}

/* lhs [2, 3, K=4, M=2] with adj_x x rhs [4, 5] -> [2, 3, 2, 5]: the rhs is broadcast over
 * all six batches. */
static void test_broadcast_adj_x(void) {
    enum { B = 6, M = 2, K = 4, N = 5 };
    float lhs_km[B * K * M], lhs_mk[B * M * K], rhs[K * N], got[B * M * N], want[B * M * N];
    for (int i = 0; i < B * K * M; i++) lhs_km[i] = (float)((i * 7) % 11) - 5.0f;
    for (int i = 0; i < K * N; i++) rhs[i] = (float)((i * 5) % 9) * 0.5f - 2.0f;
    for (int b = 0; b < B; b++)
        for (int k = 0; k < K; k++)
            for (int m = 0; m < M; m++) lhs_mk[(b * M + m) * K + k] = lhs_km[(b * K + k) * M + m];
    reference(lhs_mk, rhs, B, M, K, N, want);
    op_tensor t[3] = {{MOTE_FLOAT32, 4, {2, 3, K, M}, 0, 0, NULL, 0},
                      {MOTE_FLOAT32, 2, {K, N}, 0, 0, NULL, 0},
                      {MOTE_FLOAT32, 4, {2, 3, M, N}, 0, 0, NULL, 0}};
    mote_option_field f[2] = {OPT_ADJ(0, 1), OPT_ADJ(1, 0)};
    op_call call = {MOTE_OP_BATCH_MATMUL, TFL_OPTIONS_BATCH_MATMUL, 2, f, 2, 1, t};
    const void *ins[2] = {lhs_km, rhs};
    void *outs[1] = {got};
    const size_t bytes = sizeof got;
    CHECK_OK(op_run(&call, ins, outs, &bytes));
    for (int i = 0; i < B * M * N; i++) CHECK_NEAR(got[i], want[i], 1e-5);
}

/* int8 x int8 -> int32: raw sums, zero points ignored as in TensorFlow Lite. */
static void test_int8_raw_int32_output(void) {
    const int8_t lhs[6] = {1, -2, 3, 127, -128, 0}; /* [2, 3] */
    const int8_t rhs[6] = {4, 5, -6, 7, 8, -9};     /* [3, 2] */
    int32_t got[4];
    op_tensor t[3] = {{MOTE_INT8, 2, {2, 3}, 0.5f, 3, NULL, 0},
                      {MOTE_INT8, 2, {3, 2}, 0.25f, -1, NULL, 0},
                      {MOTE_INT32, 2, {2, 2}, 0, 0, NULL, 0}};
    op_call call = {MOTE_OP_BATCH_MATMUL, TFL_OPTIONS_BATCH_MATMUL, 0, NULL, 2, 1, t};
    const void *ins[2] = {lhs, rhs};
    void *outs[1] = {got};
    const size_t bytes = sizeof got;
    CHECK_OK(op_run(&call, ins, outs, &bytes));
    CHECK_EQ_INT(got[0], 1 * 4 + -2 * -6 + 3 * 8);
    CHECK_EQ_INT(got[1], 1 * 5 + -2 * 7 + 3 * -9);
    CHECK_EQ_INT(got[2], 127 * 4 + -128 * -6 + 0 * 8);
    CHECK_EQ_INT(got[3], 127 * 5 + -128 * 7 + 0 * -9);
}

/* int16 x int8 with per-channel rhs scales: TensorFlow Lite's per-tensor scale is then 0,
 * so every output is the zero point 0. */
static void test_per_channel_rhs_gives_zero(void) {
    static const float rhs_scales[2] = {0.01f, 0.02f};
    static const int8_t rhs[4] = {10, 20, 30, 40};
    const int16_t lhs[4] = {1000, -2000, 3000, 4000};
    int16_t got[4] = {1, 1, 1, 1};
    int32_t dl[2] = {2, 2}, ids[3];
    mote_writer *w;
    CHECK_OK(mote_writer_create(NULL, &w));
    CHECK_OK(mote_writer_add_tensor(w, "lhs", MOTE_INT16, 2, dl, NULL, 0, &ids[0]));
    CHECK_OK(mote_writer_add_tensor(w, "rhs", MOTE_INT8, 2, dl, rhs, sizeof rhs, &ids[1]));
    CHECK_OK(mote_writer_add_tensor(w, "out", MOTE_INT16, 2, dl, NULL, 0, &ids[2]));
    const float s_lhs = 0.001f, s_out = 0.0001f;
    CHECK_OK(mote_writer_set_quantization(w, ids[0], 1, &s_lhs, NULL, 0));
    CHECK_OK(mote_writer_set_quantization(w, ids[1], 2, rhs_scales, NULL, 1));
    CHECK_OK(mote_writer_set_quantization(w, ids[2], 1, &s_out, NULL, 0));
    mote_writer_op op = {MOTE_OP_BATCH_MATMUL,     NULL, 0,    2,    ids, 1, ids + 2, 0, NULL,
                         TFL_OPTIONS_BATCH_MATMUL, 0,    NULL, NULL, 0};
    CHECK_OK(mote_writer_add_op(w, &op, NULL));
    CHECK_OK(mote_writer_set_inputs(w, 1, ids));
    CHECK_OK(mote_writer_set_outputs(w, 1, ids + 2));
    const void *data;
    size_t size;
    mote_model *m = NULL;
    mote_interpreter *it = NULL;
    mote_tensor *in, *out;
    CHECK_OK(mote_writer_finish(w, &data, &size));
    CHECK_OK(mote_model_load_memory(data, size, NULL, &m));
    CHECK_OK(mote_interpreter_create(m, NULL, &it));
    CHECK_OK(mote_interpreter_allocate_tensors(it));
    CHECK_OK(mote_interpreter_input(it, 0, &in));
    CHECK_OK(mote_tensor_copy_from(in, lhs, sizeof lhs));
    CHECK_OK(mote_interpreter_invoke(it));
    CHECK_OK(mote_interpreter_output(it, 0, &out));
    CHECK_OK(mote_tensor_copy_to(out, got, sizeof got));
    for (int i = 0; i < 4; i++) CHECK_EQ_INT(got[i], 0);
    mote_interpreter_destroy(it);
    mote_model_destroy(m);
    mote_writer_destroy(w);
}

static void test_depth_mismatch_refused(void) {
    float a[6] = {0}, b[8] = {0}, o[8];
    op_tensor t[3] = {{MOTE_FLOAT32, 2, {2, 3}, 0, 0, NULL, 0},
                      {MOTE_FLOAT32, 2, {2, 4}, 0, 0, NULL, 0},
                      {MOTE_FLOAT32, 2, {2, 4}, 0, 0, NULL, 0}};
    op_call call = {MOTE_OP_BATCH_MATMUL, TFL_OPTIONS_BATCH_MATMUL, 0, NULL, 2, 1, t};
    const void *ins[2] = {a, b};
    void *outs[1] = {o};
    const size_t bytes = sizeof o;
    CHECK_EQ_INT(op_run(&call, ins, outs, &bytes), MOTE_ERROR_INVALID_MODEL);
    CHECK(strstr(op_error, "depths differ") != NULL);
}

TEST_MAIN(test_broadcast_adj_x, test_int8_raw_int32_output, test_per_channel_rhs_gives_zero,
          test_depth_mismatch_refused)
