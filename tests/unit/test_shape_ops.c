/* test_shape_ops.c — copy and shape operators beyond the opsuite: BROADCAST_ARGS, RANGE,
 * RANK, WHERE, UNIQUE, BITCAST, MATRIX_DIAG, MATRIX_SET_DIAG, REVERSE_SEQUENCE, REVERSE_V2 over two
 * separate axes, SELECT with a vector condition, SPACE_TO_BATCH_ND on 3-D uint8 (padding with
 * the zero point), shape arguments computed while running (WHERE, TILE), and what is refused:
 * PACK of differently quantized tensors. */
#include "test_arith_harness.h"

static mote_status run(int32_t code, int32_t options_type, const mote_option_field *fields, int32_t field_count,
                       int32_t n_in, op_tensor *t, const void *in, void *out, size_t out_bytes) {
    op_call call = {code, options_type, field_count, fields, n_in, 1, t};
    const void *ins[2] = {in, in};
    void *outs[1] = {out};
    return op_run(&call, ins, outs, &out_bytes);
}

static void check_message(const char *needle) {
    if (!strstr(op_error, needle)) fprintf(stderr, "message '%s' lacks '%s'\n", op_error, needle);
    CHECK(strstr(op_error, needle) != NULL);
}

/* [2, 1, 3] with [4, 1]: [2, 4, 3]; then [2] with [3] does not broadcast. */
static void test_broadcast_args(void) {
    static const int32_t b[2] = {4, 1}, c[1] = {3};
    const int32_t a[3] = {2, 1, 3}, d[1] = {2};
    op_tensor t[3] = {{MOTE_INT32, 1, {3}, 0, 0, NULL, 0},
                      {MOTE_INT32, 1, {2}, 0, 0, b, sizeof b},
                      {MOTE_INT32, 1, {3}, 0, 0, NULL, 0}};
    int32_t out[3];
    CHECK_OK(run(MOTE_OP_BROADCAST_ARGS, 0, NULL, 0, 2, t, a, out, sizeof out));
    CHECK(out[0] == 2 && out[1] == 4 && out[2] == 3);
    t[0].dims[0] = 1;
    t[1] = (op_tensor){MOTE_INT32, 1, {1}, 0, 0, c, sizeof c};
    t[2].dims[0] = 1;
    CHECK_EQ_INT(run(MOTE_OP_BROADCAST_ARGS, 0, NULL, 0, 2, t, d, out, sizeof out[0]), MOTE_ERROR_RUNTIME);
}

/* int32 10, 7, 4, 1 (limit -2 excluded); float 0, 0.25, ..., 0.75 (limit 1 excluded). */
static void test_range(void) {
    static const int32_t start = 10, limit = -2, delta = -3;
    op_tensor t[4] = {{MOTE_INT32, 0, {0}, 0, 0, &start, 4},
                      {MOTE_INT32, 0, {0}, 0, 0, &limit, 4},
                      {MOTE_INT32, 0, {0}, 0, 0, &delta, 4},
                      {MOTE_INT32, 1, {4}, 0, 0, NULL, 0}};
    int32_t out[4];
    CHECK_OK(run(MOTE_OP_RANGE, 0, NULL, 0, 3, t, NULL, out, sizeof out));
    CHECK(out[0] == 10 && out[1] == 7 && out[2] == 4 && out[3] == 1);
    static const float fs = 0.0f, fl = 1.0f, fd = 0.25f;
    op_tensor f[4] = {{MOTE_FLOAT32, 0, {0}, 0, 0, &fs, 4},
                      {MOTE_FLOAT32, 0, {0}, 0, 0, &fl, 4},
                      {MOTE_FLOAT32, 0, {0}, 0, 0, &fd, 4},
                      {MOTE_FLOAT32, 1, {4}, 0, 0, NULL, 0}};
    float fo[4];
    CHECK_OK(run(MOTE_OP_RANGE, 0, NULL, 0, 3, f, NULL, fo, sizeof fo));
    CHECK(fo[0] == 0.0f && fo[1] == 0.25f && fo[2] == 0.5f && fo[3] == 0.75f);
    /* A delta pointing away from the limit. */
    static const int32_t wrong = 3;
    t[2].data = &wrong;
    CHECK_EQ_INT(run(MOTE_OP_RANGE, 0, NULL, 0, 3, t, NULL, out, sizeof out), MOTE_ERROR_INVALID_MODEL);
}

static void test_rank(void) {
    const float x[6] = {0};
    op_tensor t[2] = {{MOTE_FLOAT32, 3, {1, 2, 3}, 0, 0, NULL, 0}, {MOTE_INT32, 0, {0}, 0, 0, NULL, 0}};
    int32_t out = -1;
    CHECK_OK(run(MOTE_OP_RANK, 0, NULL, 0, 1, t, x, &out, sizeof out));
    CHECK_EQ_INT(out, 3);
}

/* A [2, 3] condition with three true values: constant (counted in prepare), then a graph
 * input (the output is sized while running). */
static void test_where(void) {
    static const uint8_t cond[6] = {0, 1, 0, 1, 0, 1};
    op_tensor t[2] = {{MOTE_BOOL, 2, {2, 3}, 0, 0, cond, sizeof cond}, {MOTE_INT64, 2, {3, 2}, 0, 0, NULL, 0}};
    int64_t out[6];
    const int64_t want[6] = {0, 1, 1, 0, 1, 2};
    CHECK_OK(run(MOTE_OP_WHERE, 0, NULL, 0, 1, t, NULL, out, sizeof out));
    for (int i = 0; i < 6; i++) CHECK_EQ_INT(out[i], want[i]);
    t[0].data = NULL;
    memset(out, 0xff, sizeof out);
    CHECK_OK(run(MOTE_OP_WHERE, 0, NULL, 0, 1, t, cond, out, sizeof out));
    for (int i = 0; i < 6; i++) CHECK_EQ_INT(out[i], want[i]);
}

/* int32 [2] -> int16 [2, 2] keeps the bytes; int8 [3] -> int32 is refused (needs [.., 4]). */
static void test_bitcast(void) {
    const int32_t x[2] = {0x00020001, -1};
    op_tensor t[2] = {{MOTE_INT32, 1, {2}, 0, 0, NULL, 0}, {MOTE_INT16, 2, {2, 2}, 0, 0, NULL, 0}};
    int16_t out[4];
    CHECK_OK(run(MOTE_OP_BITCAST, 0, NULL, 0, 1, t, x, out, sizeof out));
    CHECK(memcmp(out, x, sizeof out) == 0);
    op_tensor u[2] = {{MOTE_INT8, 1, {3}, 0, 0, NULL, 0}, {MOTE_INT32, 0, {0}, 0, 0, NULL, 0}};
    CHECK_EQ_INT(run(MOTE_OP_BITCAST, 0, NULL, 0, 1, u, x, out, 4), MOTE_ERROR_INVALID_MODEL);
}

static void test_matrix_diag(void) {
    const int32_t x[4] = {1, 2, 3, 4}; /* [2, 2]: two diagonals of length 2 */
    op_tensor t[2] = {{MOTE_INT32, 2, {2, 2}, 0, 0, NULL, 0}, {MOTE_INT32, 3, {2, 2, 2}, 0, 0, NULL, 0}};
    int32_t out[8];
    CHECK_OK(run(MOTE_OP_MATRIX_DIAG, 0, NULL, 0, 1, t, x, out, sizeof out));
    const int32_t want[8] = {1, 0, 0, 2, 3, 0, 0, 4};
    for (int i = 0; i < 8; i++) CHECK_EQ_INT(out[i], want[i]);
}

/* A [2, 3] matrix gets diagonal {7, 8}. */
static void test_matrix_set_diag(void) {
    static const float diag[2] = {7, 8};
    const float x[6] = {1, 2, 3, 4, 5, 6};
    op_tensor t[3] = {{MOTE_FLOAT32, 2, {2, 3}, 0, 0, NULL, 0},
                      {MOTE_FLOAT32, 1, {2}, 0, 0, diag, sizeof diag},
                      {MOTE_FLOAT32, 2, {2, 3}, 0, 0, NULL, 0}};
    float out[6];
    CHECK_OK(run(MOTE_OP_MATRIX_SET_DIAG, 0, NULL, 0, 2, t, x, out, sizeof out));
    const float want[6] = {7, 2, 3, 4, 8, 6};
    for (int i = 0; i < 6; i++) CHECK_EQ_INT(out[i], want[i]);
}

/* [3 batches, 4 steps], seq_dim 1, batch_dim 0, lengths {4, 2, 0}. */
static void test_reverse_sequence(void) {
    static const int32_t lengths[3] = {4, 2, 0};
    const int32_t x[12] = {0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23};
    op_tensor t[3] = {{MOTE_INT32, 2, {3, 4}, 0, 0, NULL, 0},
                      {MOTE_INT32, 1, {3}, 0, 0, lengths, sizeof lengths},
                      {MOTE_INT32, 2, {3, 4}, 0, 0, NULL, 0}};
    mote_option_field f[2] = {{0, MOTE_FIELD_INT32, 1, 0.0f, NULL, 0, NULL}, {1, MOTE_FIELD_INT32, 0, 0.0f, NULL, 0, NULL}};
    int32_t out[12];
    CHECK_OK(run(MOTE_OP_REVERSE_SEQUENCE, TFL_OPTIONS_REVERSE_SEQUENCE, f, 2, 2, t, x, out, sizeof out));
    const int32_t want[12] = {3, 2, 1, 0, 11, 10, 12, 13, 20, 21, 22, 23};
    for (int i = 0; i < 12; i++) CHECK_EQ_INT(out[i], want[i]);
}

/* Axes 0 and 2 of a [2, 2, 2] (not adjacent): element (i, j, k) comes from (1-i, j, 1-k). */
static void test_reverse_v2_separate_axes(void) {
    static const int32_t axes[2] = {2, 0};
    const int8_t x[8] = {0, 1, 2, 3, 4, 5, 6, 7};
    op_tensor t[3] = {{MOTE_INT8, 3, {2, 2, 2}, 0, 0, NULL, 0},
                      {MOTE_INT32, 1, {2}, 0, 0, axes, sizeof axes},
                      {MOTE_INT8, 3, {2, 2, 2}, 0, 0, NULL, 0}};
    int8_t out[8];
    CHECK_OK(run(MOTE_OP_REVERSE_V2, 0, NULL, 0, 2, t, x, out, sizeof out));
    const int8_t want[8] = {5, 4, 7, 6, 1, 0, 3, 2};
    for (int i = 0; i < 8; i++) CHECK_EQ_INT(out[i], want[i]);
}

/* SELECT with a [2] condition over [2, 2] values picks whole rows. */
static void test_select_vector_condition(void) {
    static const uint8_t cond[2] = {0, 1};
    static const float y[4] = {-1, -2, -3, -4};
    const float x[4] = {1, 2, 3, 4};
    op_tensor t[4] = {{MOTE_BOOL, 1, {2}, 0, 0, cond, sizeof cond},
                      {MOTE_FLOAT32, 2, {2, 2}, 0, 0, NULL, 0},
                      {MOTE_FLOAT32, 2, {2, 2}, 0, 0, y, sizeof y},
                      {MOTE_FLOAT32, 2, {2, 2}, 0, 0, NULL, 0}};
    float out[4];
    CHECK_OK(run(MOTE_OP_SELECT, 0, NULL, 0, 3, t, x, out, sizeof out));
    CHECK(out[0] == -1 && out[1] == -2 && out[2] == 3 && out[3] == 4);
}

/* 3-D SPACE_TO_BATCH_ND [1, 3, 1] uint8, block 2, paddings (1, 0): the pad is the zero point. */
static void test_space_to_batch_3d_pads_with_zero_point(void) {
    static const int32_t block[1] = {2}, pads[2] = {1, 0};
    const uint8_t x[3] = {10, 20, 30};
    op_tensor t[4] = {{MOTE_UINT8, 3, {1, 3, 1}, 0.5f, 77, NULL, 0},
                      {MOTE_INT32, 1, {1}, 0, 0, block, sizeof block},
                      {MOTE_INT32, 2, {1, 2}, 0, 0, pads, sizeof pads},
                      {MOTE_UINT8, 3, {2, 2, 1}, 0.5f, 77, NULL, 0}};
    uint8_t out[4];
    CHECK_OK(run(MOTE_OP_SPACE_TO_BATCH_ND, 0, NULL, 0, 3, t, x, out, sizeof out));
    /* Padded: [77, 10, 20, 30]; batch 0 takes positions 0 and 2, batch 1 positions 1 and 3. */
    CHECK(out[0] == 77 && out[1] == 20 && out[2] == 10 && out[3] == 30);
}

/* TILE multiples from a graph input: the node is prepared again when they are known. */
static void test_tile_multiples_at_run_time(void) {
    const int32_t x[2] = {1, 2}, multiples[1] = {2};
    op_tensor t[3] = {{MOTE_INT32, 1, {2}, 0, 0, NULL, 0}, {MOTE_INT32, 1, {1}, 0, 0, NULL, 0},
                      {MOTE_INT32, 1, {4}, 0, 0, NULL, 0}};
    op_call call = {MOTE_OP_TILE, 0, 0, NULL, 2, 1, t};
    int32_t out[4];
    const void *ins[2] = {x, multiples};
    void *outs[1] = {out};
    const size_t bytes = sizeof out;
    CHECK_OK(op_run(&call, ins, outs, &bytes));
    CHECK(out[0] == 1 && out[1] == 2 && out[2] == 1 && out[3] == 2);
}

static void test_pack_quantization_mismatch_refused(void) {
    const int8_t x[2] = {1, 2};
    static const int8_t y[2] = {3, 4};
    op_tensor t[3] = {{MOTE_INT8, 1, {2}, 0.5f, 0, NULL, 0},
                      {MOTE_INT8, 1, {2}, 0.25f, 0, y, sizeof y},
                      {MOTE_INT8, 2, {2, 2}, 0.5f, 0, NULL, 0}};
    mote_option_field f[2] = {{0, MOTE_FIELD_INT32, 2, 0.0f, NULL, 0, NULL}, {1, MOTE_FIELD_INT32, 0, 0.0f, NULL, 0, NULL}};
    int8_t out[4];
    CHECK_EQ_INT(run(MOTE_OP_PACK, TFL_OPTIONS_PACK, f, 2, 2, t, x, out, sizeof out), MOTE_ERROR_UNSUPPORTED);
    check_message("input 1");
}

/* UNIQUE of {5, 3, 5, -0.0 (as 0), 3, 0}: values {5, 3, 0} in order of first appearance,
 * their length only known while running. */
static void test_unique(void) {
    const float x[6] = {5, 3, 5, -0.0f, 3, 0};
    op_tensor t[3] = {{MOTE_FLOAT32, 1, {6}, 0, 0, NULL, 0}, {MOTE_FLOAT32, 1, {3}, 0, 0, NULL, 0},
                      {MOTE_INT32, 1, {6}, 0, 0, NULL, 0}};
    op_call call = {MOTE_OP_UNIQUE, 0, 0, NULL, 1, 2, t};
    float v[3];
    int32_t idx[6];
    const void *ins[1] = {x};
    void *outs[2] = {v, idx};
    const size_t bytes[2] = {sizeof v, sizeof idx};
    CHECK_OK(op_run(&call, ins, outs, bytes));
    CHECK(v[0] == 5 && v[1] == 3 && v[2] == 0);
    const int32_t want[6] = {0, 1, 0, 2, 1, 2};
    for (int i = 0; i < 6; i++) CHECK_EQ_INT(idx[i], want[i]);
}

TEST_MAIN(test_broadcast_args, test_unique, test_range, test_rank, test_where, test_bitcast, test_matrix_diag, test_matrix_set_diag,
          test_reverse_sequence, test_reverse_v2_separate_axes, test_select_vector_condition,
          test_space_to_batch_3d_pads_with_zero_point, test_tile_multiples_at_run_time,
          test_pack_quantization_mismatch_refused)
