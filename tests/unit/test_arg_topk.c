/* test_arg_topk.c — how ARG_MAX, ARG_MIN and TOPK_V2 order equal values (the first
 * position wins, as in TensorFlow Lite), int64 index outputs, and a k larger than the row. */
#include "test_arith_harness.h"

static void test_arg_ties_first_wins(void) {
    static const int32_t axis = 1;
    const int16_t x[6] = {3, 7, 7, -2, -2, 5}; /* [2, 3] */
    op_tensor t[3] = {{MOTE_INT16, 2, {2, 3}, 0, 0, NULL, 0},
                      {MOTE_INT32, 0, {0}, 0, 0, &axis, sizeof axis},
                      {MOTE_INT64, 1, {2}, 0, 0, NULL, 0}};
    int64_t y[2];
    const void *ins[1] = {x};
    void *outs[1] = {y};
    const size_t bytes = sizeof y;
    op_call max = {MOTE_OP_ARG_MAX, 0, 0, NULL, 2, 1, t};
    CHECK_OK(op_run(&max, ins, outs, &bytes));
    CHECK(y[0] == 1 && y[1] == 2);
    op_call min = {MOTE_OP_ARG_MIN, 0, 0, NULL, 2, 1, t};
    CHECK_OK(op_run(&min, ins, outs, &bytes));
    CHECK(y[0] == 0 && y[1] == 0);
}

/* Row {1, 3, 3, 2, 3}, k = 4: values 3, 3, 3, 2 at positions 1, 2, 4, 3. */
static void test_topk_ties_keep_order(void) {
    static const int32_t k = 4;
    const float x[5] = {1, 3, 3, 2, 3};
    op_tensor t[4] = {{MOTE_FLOAT32, 1, {5}, 0, 0, NULL, 0},
                      {MOTE_INT32, 0, {0}, 0, 0, &k, sizeof k},
                      {MOTE_FLOAT32, 1, {4}, 0, 0, NULL, 0},
                      {MOTE_INT64, 1, {4}, 0, 0, NULL, 0}};
    op_call call = {MOTE_OP_TOPK_V2, 0, 0, NULL, 2, 2, t};
    float v[4];
    int64_t i[4];
    const void *ins[1] = {x};
    void *outs[2] = {v, i};
    const size_t bytes[2] = {sizeof v, sizeof i};
    CHECK_OK(op_run(&call, ins, outs, bytes));
    CHECK(v[0] == 3 && v[1] == 3 && v[2] == 3 && v[3] == 2);
    CHECK(i[0] == 1 && i[1] == 2 && i[2] == 4 && i[3] == 3);
    static const int32_t too_many = 6;
    t[1].data = &too_many;
    CHECK_EQ_INT(op_run(&call, ins, outs, bytes), MOTE_ERROR_INVALID_MODEL);
}

TEST_MAIN(test_arg_ties_first_wins, test_topk_ties_keep_order)
