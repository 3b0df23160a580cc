/* test_split.c — SPLIT and SPLIT_V beyond the opsuite: a size inferred from -1, a negative
 * axis, element types the opsuite leaves out (uint8, int64), and what they refuse: parts that
 * do not divide the axis, sizes that do not add up, an axis out of range. */
#include "test_arith_harness.h"

#define OPT_NUM_SPLITS(n) \
    { 0, MOTE_FIELD_INT32, (n), 0.0f, NULL, 0, NULL }

/* SPLIT_V of an int64 [2, 5] along axis -1 into sizes {1, -1, 2}: the middle part is 2 wide. */
static void test_split_v_inferred_size(void) {
    const int64_t x[10] = {0, 1, 2, 3, 4, 10, 11, 12, 13, 14};
    static const int32_t sizes[3] = {1, -1, 2}, axis = -1;
    op_tensor t[6] = {
        {MOTE_INT64, 2, {2, 5}, 0, 0, NULL, 0},         {MOTE_INT32, 1, {3}, 0, 0, sizes, sizeof sizes},
        {MOTE_INT32, 0, {0}, 0, 0, &axis, sizeof axis}, {MOTE_INT64, 2, {2, 1}, 0, 0, NULL, 0},
        {MOTE_INT64, 2, {2, 2}, 0, 0, NULL, 0},         {MOTE_INT64, 2, {2, 2}, 0, 0, NULL, 0}};
    mote_option_field f[1] = {OPT_NUM_SPLITS(3)};
    op_call call = {MOTE_OP_SPLIT_V, TFL_OPTIONS_SPLIT_V, 1, f, 3, 3, t};
    int64_t a[2], b[4], c[4];
    const void *ins[1] = {x};
    void *outs[3] = {a, b, c};
    const size_t bytes[3] = {sizeof a, sizeof b, sizeof c};
    CHECK_OK(op_run(&call, ins, outs, bytes));
    CHECK_EQ_INT(a[0], 0);
    CHECK_EQ_INT(a[1], 10);
    CHECK_EQ_INT(b[0], 1);
    CHECK_EQ_INT(b[1], 2);
    CHECK_EQ_INT(b[2], 11);
    CHECK_EQ_INT(b[3], 12);
    CHECK_EQ_INT(c[0], 3);
    CHECK_EQ_INT(c[3], 14);
}

/* SPLIT of a uint8 [4, 2] along axis 0 into two [2, 2] parts (axis is input 0). */
static void test_split_uint8_axis0(void) {
    const uint8_t x[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    static const int32_t axis = 0;
    op_tensor t[4] = {{MOTE_INT32, 0, {0}, 0, 0, &axis, sizeof axis},
                      {MOTE_UINT8, 2, {4, 2}, 0.5f, 3, NULL, 0},
                      {MOTE_UINT8, 2, {2, 2}, 0.5f, 3, NULL, 0},
                      {MOTE_UINT8, 2, {2, 2}, 0.5f, 3, NULL, 0}};
    mote_option_field f[1] = {OPT_NUM_SPLITS(2)};
    op_call call = {MOTE_OP_SPLIT, TFL_OPTIONS_SPLIT, 1, f, 2, 2, t};
    uint8_t a[4], b[4];
    const void *ins[1] = {x};
    void *outs[2] = {a, b};
    const size_t bytes[2] = {4, 4};
    CHECK_OK(op_run(&call, ins, outs, bytes));
    CHECK(memcmp(a, x, 4) == 0);
    CHECK(memcmp(b, x + 4, 4) == 0);
}

/* Three parts of an axis of 4 do not exist. */
static void test_split_uneven_refused(void) {
    static const int32_t axis = 1;
    op_tensor t[5] = {{MOTE_INT32, 0, {0}, 0, 0, &axis, sizeof axis},
                      {MOTE_FLOAT32, 2, {2, 4}, 0, 0, NULL, 0},
                      {MOTE_FLOAT32, 2, {2, 1}, 0, 0, NULL, 0},
                      {MOTE_FLOAT32, 2, {2, 1}, 0, 0, NULL, 0},
                      {MOTE_FLOAT32, 2, {2, 1}, 0, 0, NULL, 0}};
    mote_option_field f[1] = {OPT_NUM_SPLITS(3)};
    op_call call = {MOTE_OP_SPLIT, TFL_OPTIONS_SPLIT, 1, f, 2, 3, t};
    float x[8] = {0}, o[2];
    const void *ins[1] = {x};
    void *outs[3] = {o, o, o};
    const size_t bytes[3] = {sizeof o, sizeof o, sizeof o};
    CHECK_EQ_INT(op_run(&call, ins, outs, bytes), MOTE_ERROR_INVALID_MODEL);
    CHECK(strstr(op_error, "equal parts") != NULL);
}

/* SPLIT_V sizes must add up to the axis (here 1 + 2 != 4), and the axis must exist. */
static void test_split_v_bad_arguments_refused(void) {
    static const int32_t sizes[2] = {1, 2}, axis = 1, bad_axis = 2;
    op_tensor t[5] = {{MOTE_FLOAT32, 2, {2, 4}, 0, 0, NULL, 0},
                      {MOTE_INT32, 1, {2}, 0, 0, sizes, sizeof sizes},
                      {MOTE_INT32, 0, {0}, 0, 0, &axis, sizeof axis},
                      {MOTE_FLOAT32, 2, {2, 1}, 0, 0, NULL, 0},
                      {MOTE_FLOAT32, 2, {2, 2}, 0, 0, NULL, 0}};
    op_call call = {MOTE_OP_SPLIT_V, TFL_OPTIONS_SPLIT_V, 0, NULL, 3, 2, t};
    float x[8] = {0}, a[2], b[4];
    const void *ins[1] = {x};
    void *outs[2] = {a, b};
    const size_t bytes[2] = {sizeof a, sizeof b};
    CHECK_EQ_INT(op_run(&call, ins, outs, bytes), MOTE_ERROR_INVALID_MODEL);
    CHECK(strstr(op_error, "add up") != NULL);
    t[2].data = &bad_axis;
    CHECK_EQ_INT(op_run(&call, ins, outs, bytes), MOTE_ERROR_INVALID_MODEL);
    CHECK(strstr(op_error, "out of range") != NULL);
}

TEST_MAIN(test_split_v_inferred_size, test_split_uint8_axis0, test_split_uneven_refused,
          test_split_v_bad_arguments_refused)
