/* test_index_ops.c — operators driven by index data, beyond the opsuite: SCATTER_ND (repeated
 * indices add up), SPARSE_TO_DENSE, DYNAMIC_UPDATE_SLICE (start indices clamped),
 * EMBEDDING_LOOKUP (plain and int8/uint8 hybrid), HASHTABLE_LOOKUP (hits and misses), and
 * what they and GATHER_ND do with an index outside the tensor: fail while running, naming it. */
#include "test_arith_harness.h"

/* Runs a call whose only graph input is `in` (or none) and one output of out_bytes. */
static mote_status run1(int32_t code, int32_t n_in, op_tensor *t, const void *in, void *out, size_t out_bytes) {
    op_call call = {code, 0, 0, NULL, n_in, 1, t};
    const void *ins[1] = {in};
    void *outs[1] = {out};
    return op_run(&call, ins, outs, &out_bytes);
}

static void check_message(const char *needle) {
    if (!strstr(op_error, needle)) fprintf(stderr, "message '%s' lacks '%s'\n", op_error, needle);
    CHECK(strstr(op_error, needle) != NULL);
}

static void test_gather_nd_index_out_of_range(void) {
    const float params[6] = {1, 2, 3, 4, 5, 6};
    const int32_t idx[2] = {1, 3}; /* [2, 3] params: column 3 does not exist */
    op_tensor t[3] = {{MOTE_FLOAT32, 2, {2, 3}, 0, 0, params, sizeof params},
                      {MOTE_INT32, 2, {1, 2}, 0, 0, NULL, 0},
                      {MOTE_FLOAT32, 1, {1}, 0, 0, NULL, 0}};
    float out[1];
    CHECK_EQ_INT(run1(MOTE_OP_GATHER_ND, 2, t, idx, out, sizeof out), MOTE_ERROR_RUNTIME);
    check_message("outside [0, 3)");
}

/* [4] output, indices [[1], [3], [1]]: the two updates at 1 add up. */
static void test_scatter_nd_adds_repeated_indices(void) {
    static const int32_t idx[3] = {1, 3, 1}, shape[1] = {4};
    const float updates[3] = {1.5f, -2.0f, 10.0f};
    op_tensor t[4] = {{MOTE_INT32, 2, {3, 1}, 0, 0, idx, sizeof idx},
                      {MOTE_FLOAT32, 1, {3}, 0, 0, NULL, 0},
                      {MOTE_INT32, 1, {1}, 0, 0, shape, sizeof shape},
                      {MOTE_FLOAT32, 1, {4}, 0, 0, NULL, 0}};
    float out[4];
    CHECK_OK(run1(MOTE_OP_SCATTER_ND, 3, t, updates, out, sizeof out));
    CHECK(out[0] == 0.0f && out[1] == 11.5f && out[2] == 0.0f && out[3] == -2.0f);
}

/* Slices: [2, 3] output, indices [[1]] and rows of 3; an index of 2 is outside. */
static void test_scatter_nd_slices_and_bad_index(void) {
    static const int32_t idx[1] = {1}, bad[1] = {2}, shape[2] = {2, 3};
    const int32_t updates[3] = {7, 8, 9};
    op_tensor t[4] = {{MOTE_INT32, 2, {1, 1}, 0, 0, idx, sizeof idx},
                      {MOTE_INT32, 2, {1, 3}, 0, 0, NULL, 0},
                      {MOTE_INT32, 1, {2}, 0, 0, shape, sizeof shape},
                      {MOTE_INT32, 2, {2, 3}, 0, 0, NULL, 0}};
    int32_t out[6];
    CHECK_OK(run1(MOTE_OP_SCATTER_ND, 3, t, updates, out, sizeof out));
    CHECK(out[0] == 0 && out[2] == 0 && out[3] == 7 && out[4] == 8 && out[5] == 9);
    t[0].data = bad;
    CHECK_EQ_INT(run1(MOTE_OP_SCATTER_ND, 3, t, updates, out, sizeof out), MOTE_ERROR_RUNTIME);
    check_message("outside [0, 2)");
}

/* [3, 4] of default -1 with one value (5) at (0, 1) and (2, 3); the value is a graph input. */
static void test_sparse_to_dense(void) {
    static const int32_t idx[4] = {0, 1, 2, 3}, shape[2] = {3, 4}, def = -1;
    const int32_t value = 5;
    op_tensor t[5] = {{MOTE_INT32, 2, {2, 2}, 0, 0, idx, sizeof idx},
                      {MOTE_INT32, 1, {2}, 0, 0, shape, sizeof shape},
                      {MOTE_INT32, 0, {0}, 0, 0, NULL, 0},
                      {MOTE_INT32, 0, {0}, 0, 0, &def, sizeof def},
                      {MOTE_INT32, 2, {3, 4}, 0, 0, NULL, 0}};
    int32_t out[12];
    CHECK_OK(run1(MOTE_OP_SPARSE_TO_DENSE, 4, t, &value, out, sizeof out));
    for (int i = 0; i < 12; i++) CHECK_EQ_INT(out[i], i == 1 || i == 11 ? 5 : -1);
}

/* A [2, 2] update into a [3, 4] operand at (2, -1): clamped to (1, 0). */
static void test_dynamic_update_slice_clamps(void) {
    static const float update[4] = {10, 11, 12, 13};
    static const int64_t start[2] = {2, -1};
    float operand[12];
    for (int i = 0; i < 12; i++) operand[i] = (float)i;
    op_tensor t[4] = {{MOTE_FLOAT32, 2, {3, 4}, 0, 0, NULL, 0},
                      {MOTE_FLOAT32, 2, {2, 2}, 0, 0, update, sizeof update},
                      {MOTE_INT64, 1, {2}, 0, 0, start, sizeof start},
                      {MOTE_FLOAT32, 2, {3, 4}, 0, 0, NULL, 0}};
    float out[12];
    CHECK_OK(run1(MOTE_OP_DYNAMIC_UPDATE_SLICE, 3, t, operand, out, sizeof out));
    const float want[12] = {0, 1, 2, 3, 10, 11, 6, 7, 12, 13, 10, 11};
    for (int i = 0; i < 12; i++) CHECK_EQ_INT(out[i], want[i]);
}

/* Rows 2, 0, 2 of a [3, 2] table; then an id of 3 fails. */
static void test_embedding_lookup_float(void) {
    static const float table[6] = {1, 2, 3, 4, 5, 6};
    const int32_t ids[3] = {2, 0, 2}, bad[3] = {0, 3, 1};
    op_tensor t[3] = {{MOTE_INT32, 1, {3}, 0, 0, NULL, 0},
                      {MOTE_FLOAT32, 2, {3, 2}, 0, 0, table, sizeof table},
                      {MOTE_FLOAT32, 2, {3, 2}, 0, 0, NULL, 0}};
    float out[6];
    CHECK_OK(run1(MOTE_OP_EMBEDDING_LOOKUP, 2, t, ids, out, sizeof out));
    const float want[6] = {5, 6, 1, 2, 5, 6};
    for (int i = 0; i < 6; i++) CHECK_EQ_INT(out[i], want[i]);
    CHECK_EQ_INT(run1(MOTE_OP_EMBEDDING_LOOKUP, 2, t, bad, out, sizeof out), MOTE_ERROR_RUNTIME);
    check_message("outside [0, 3)");
}

/* Hybrid: an int8 table dequantized symmetrically (the zero point is not used, as in
 * TensorFlow Lite), and a uint8 table whose bytes are read as int8. */
static void test_embedding_lookup_hybrid(void) {
    static const int8_t table[4] = {-128, -1, 0, 127};
    static const uint8_t utable[4] = {0, 1, 200, 255};
    const int32_t ids[2] = {1, 0};
    op_tensor t[3] = {{MOTE_INT32, 1, {2}, 0, 0, NULL, 0},
                      {MOTE_INT8, 2, {2, 2}, 0.5f, 3, table, sizeof table},
                      {MOTE_FLOAT32, 2, {2, 2}, 0, 0, NULL, 0}};
    float out[4];
    CHECK_OK(run1(MOTE_OP_EMBEDDING_LOOKUP, 2, t, ids, out, sizeof out));
    CHECK(out[0] == 0.0f && out[1] == 63.5f && out[2] == -64.0f && out[3] == -0.5f);
    t[1] = (op_tensor){MOTE_UINT8, 2, {2, 2}, 0.25f, 128, utable, sizeof utable};
    CHECK_OK(run1(MOTE_OP_EMBEDDING_LOOKUP, 2, t, ids, out, sizeof out));
    CHECK(out[0] == -14.0f && out[1] == -0.25f && out[2] == 0.0f && out[3] == 0.25f);
}

/* Keys {-5, 2, 9} (sorted); lookups 9, 3, -5: two hits and a miss (zeros). */
static void test_hashtable_lookup(void) {
    static const int32_t keys[3] = {-5, 2, 9};
    static const float values[6] = {1, 2, 3, 4, 5, 6};
    const int32_t lookups[3] = {9, 3, -5};
    op_tensor t[5] = {{MOTE_INT32, 1, {3}, 0, 0, NULL, 0},
                      {MOTE_INT32, 1, {3}, 0, 0, keys, sizeof keys},
                      {MOTE_FLOAT32, 2, {3, 2}, 0, 0, values, sizeof values},
                      {MOTE_FLOAT32, 2, {3, 2}, 0, 0, NULL, 0},
                      {MOTE_UINT8, 1, {3}, 0, 0, NULL, 0}};
    op_call call = {MOTE_OP_HASHTABLE_LOOKUP, 0, 0, NULL, 3, 2, t};
    float out[6];
    uint8_t hits[3];
    const void *ins[1] = {lookups};
    void *outs[2] = {out, hits};
    const size_t bytes[2] = {sizeof out, sizeof hits};
    CHECK_OK(op_run(&call, ins, outs, bytes));
    const float want[6] = {5, 6, 0, 0, 1, 2};
    for (int i = 0; i < 6; i++) CHECK_EQ_INT(out[i], want[i]);
    CHECK(hits[0] == 1 && hits[1] == 0 && hits[2] == 1);
}

/* ONE_HOT: an index outside [0, depth) gives a row of off_value; bool output. */
static void test_one_hot_out_of_range_index(void) {
    static const int32_t depth = 3;
    static const uint8_t on = 1, off = 0;
    const int32_t idx[3] = {2, -1, 3};
    op_tensor t[5] = {{MOTE_INT32, 1, {3}, 0, 0, NULL, 0},
                      {MOTE_INT32, 0, {0}, 0, 0, &depth, sizeof depth},
                      {MOTE_BOOL, 0, {0}, 0, 0, &on, 1},
                      {MOTE_BOOL, 0, {0}, 0, 0, &off, 1},
                      {MOTE_BOOL, 2, {3, 3}, 0, 0, NULL, 0}};
    mote_option_field axis = {0, MOTE_FIELD_INT32, -1, 0.0f, NULL, 0, NULL};
    op_call call = {MOTE_OP_ONE_HOT, TFL_OPTIONS_ONE_HOT, 1, &axis, 4, 1, t};
    uint8_t out[9];
    const void *ins[1] = {idx};
    void *outs[1] = {out};
    const size_t bytes = sizeof out;
    CHECK_OK(op_run(&call, ins, outs, &bytes));
    for (int i = 0; i < 9; i++) CHECK_EQ_INT(out[i], i == 2);
}

TEST_MAIN(test_gather_nd_index_out_of_range, test_scatter_nd_adds_repeated_indices, test_scatter_nd_slices_and_bad_index,
          test_sparse_to_dense, test_dynamic_update_slice_clamps, test_embedding_lookup_float,
          test_embedding_lookup_hybrid, test_hashtable_lookup, test_one_hot_out_of_range_index)
