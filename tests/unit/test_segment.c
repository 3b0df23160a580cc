/* test_segment.c — reductions with no opsuite cases: SEGMENT_SUM, UNSORTED_SEGMENT_SUM,
 * _PROD, _MAX, _MIN (empty segments, negative ids skipped, an id past num_segments failing
 * while running), ADD_N, BUCKETIZE, REDUCE_ANY and REDUCE_ALL. */
#include <float.h>

#include "test_arith_harness.h"

static void check_message(const char *needle) {
    if (!strstr(op_error, needle)) fprintf(stderr, "message '%s' lacks '%s'\n", op_error, needle);
    CHECK(strstr(op_error, needle) != NULL);
}

/* Rows [4, 2] with sorted ids {0, 0, 2, 2}: three output rows, the middle one empty. */
static void test_segment_sum(void) {
    static const int32_t ids[4] = {0, 0, 2, 2};
    const float x[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    op_tensor t[3] = {{MOTE_FLOAT32, 2, {4, 2}, 0, 0, NULL, 0},
                      {MOTE_INT32, 1, {4}, 0, 0, ids, sizeof ids},
                      {MOTE_FLOAT32, 2, {3, 2}, 0, 0, NULL, 0}};
    op_call call = {MOTE_OP_SEGMENT_SUM, 0, 0, NULL, 2, 1, t};
    float y[6];
    const void *ins[1] = {x};
    void *outs[1] = {y};
    const size_t bytes = sizeof y;
    CHECK_OK(op_run(&call, ins, outs, &bytes));
    const float want[6] = {4, 6, 0, 0, 12, 14};
    for (int i = 0; i < 6; i++) CHECK_EQ_INT(y[i], want[i]);
    static const int32_t unsorted[4] = {0, 2, 1, 2};
    t[1].data = unsorted;
    CHECK_EQ_INT(op_run(&call, ins, outs, &bytes), MOTE_ERROR_INVALID_MODEL);
    check_message("sorted");
}

/* Five int32 values, ids {1, -1, 1, 0, 1}, 3 segments: segment 2 stays at the initial value. */
static void run_unsorted(int32_t code, const int32_t *want) {
    static const int32_t num = 3;
    const int32_t x[5] = {4, 100, -2, 7, 3}, ids[5] = {1, -1, 1, 0, 1};
    op_tensor t[4] = {{MOTE_INT32, 1, {5}, 0, 0, NULL, 0},
                      {MOTE_INT32, 1, {5}, 0, 0, NULL, 0},
                      {MOTE_INT32, 0, {0}, 0, 0, &num, sizeof num},
                      {MOTE_INT32, 1, {3}, 0, 0, NULL, 0}};
    op_call call = {code, 0, 0, NULL, 3, 1, t};
    int32_t y[3];
    const void *ins[2] = {x, ids};
    void *outs[1] = {y};
    const size_t bytes = sizeof y;
    CHECK_OK(op_run(&call, ins, outs, &bytes));
    for (int i = 0; i < 3; i++) CHECK_EQ_INT(y[i], want[i]);
}

static void test_unsorted_segments(void) {
    run_unsorted(MOTE_OP_UNSORTED_SEGMENT_SUM, (const int32_t[]){7, 5, 0});
    run_unsorted(MOTE_OP_UNSORTED_SEGMENT_PROD, (const int32_t[]){7, -24, 1});
    run_unsorted(MOTE_OP_UNSORTED_SEGMENT_MAX, (const int32_t[]){7, 4, INT32_MIN});
    run_unsorted(MOTE_OP_UNSORTED_SEGMENT_MIN, (const int32_t[]){7, -2, INT32_MAX});
}

/* An id of 3 with 3 segments fails while running; float max of an empty segment is -FLT_MAX. */
static void test_unsorted_segment_float_and_bad_id(void) {
    static const int32_t num = 3;
    const float x[2] = {1.5f, -2.5f};
    const int32_t ids[2] = {0, 0}, bad[2] = {0, 3};
    op_tensor t[4] = {{MOTE_FLOAT32, 1, {2}, 0, 0, NULL, 0},
                      {MOTE_INT32, 1, {2}, 0, 0, NULL, 0},
                      {MOTE_INT32, 1, {1}, 0, 0, &num, sizeof num},
                      {MOTE_FLOAT32, 1, {3}, 0, 0, NULL, 0}};
    op_call call = {MOTE_OP_UNSORTED_SEGMENT_MAX, 0, 0, NULL, 3, 1, t};
    float y[3];
    const void *ins[2] = {x, ids};
    void *outs[1] = {y};
    const size_t bytes = sizeof y;
    CHECK_OK(op_run(&call, ins, outs, &bytes));
    CHECK(y[0] == 1.5f && y[1] == -FLT_MAX && y[2] == -FLT_MAX);
    ins[1] = bad;
    CHECK_EQ_INT(op_run(&call, ins, outs, &bytes), MOTE_ERROR_RUNTIME);
    check_message("outside [0, 3)");
}

static void test_add_n(void) {
    static const int32_t b[2] = {10, 20}, c[2] = {100, INT32_MAX};
    const int32_t a[2] = {1, 2};
    op_tensor t[4] = {{MOTE_INT32, 1, {2}, 0, 0, NULL, 0},
                      {MOTE_INT32, 1, {2}, 0, 0, b, sizeof b},
                      {MOTE_INT32, 1, {2}, 0, 0, c, sizeof c},
                      {MOTE_INT32, 1, {2}, 0, 0, NULL, 0}};
    op_call call = {MOTE_OP_ADD_N, 0, 0, NULL, 3, 1, t};
    int32_t y[2];
    const void *ins[1] = {a};
    void *outs[1] = {y};
    const size_t bytes = sizeof y;
    CHECK_OK(op_run(&call, ins, outs, &bytes));
    CHECK_EQ_INT(y[0], 111);
    CHECK_EQ_INT(y[1], INT32_MIN + 21); /* wraps */
}

/* Boundaries {0, 10, 100}: values below, on and between them. */
static void test_bucketize(void) {
    static const float bounds[3] = {0.0f, 10.0f, 100.0f};
    int32_t bits[3];
    memcpy(bits, bounds, sizeof bits);
    mote_option_field f = {0, MOTE_FIELD_INT32_VECTOR, 0, 0.0f, bits, 3, NULL};
    const float x[6] = {-5.0f, 0.0f, 5.0f, 10.0f, 150.0f, NAN};
    op_tensor a = {MOTE_FLOAT32, 1, {6}, 0, 0, NULL, 0}, b = {MOTE_INT32, 1, {6}, 0, 0, NULL, 0};
    int32_t y[6];
    CHECK_OK(op_unary(MOTE_OP_BUCKETIZE, TFL_OPTIONS_BUCKETIZE, &f, 1, &a, &b, x, y, sizeof y));
    const int32_t want[6] = {0, 1, 1, 2, 3, 3};
    for (int i = 0; i < 6; i++) CHECK_EQ_INT(y[i], want[i]);
    const int64_t w[3] = {-1, 10, 99};
    a.type = MOTE_INT64;
    a.dims[0] = b.dims[0] = 3;
    CHECK_OK(op_unary(MOTE_OP_BUCKETIZE, TFL_OPTIONS_BUCKETIZE, &f, 1, &a, &b, w, y, 3 * sizeof *y));
    CHECK(y[0] == 0 && y[1] == 2 && y[2] == 2);
}

/* [2, 3] bool over axis 1 (and -1 again), with and without keep_dims. */
static void test_reduce_any_all(void) {
    static const int32_t axes[2] = {1, -1};
    const uint8_t x[6] = {0, 1, 0, 1, 1, 1};
    op_tensor t[3] = {{MOTE_BOOL, 2, {2, 3}, 0, 0, NULL, 0},
                      {MOTE_INT32, 1, {2}, 0, 0, axes, sizeof axes},
                      {MOTE_BOOL, 1, {2}, 0, 0, NULL, 0}};
    uint8_t y[2];
    const void *ins[1] = {x};
    void *outs[1] = {y};
    const size_t bytes = sizeof y;
    op_call any = {MOTE_OP_REDUCE_ANY, 0, 0, NULL, 2, 1, t};
    CHECK_OK(op_run(&any, ins, outs, &bytes));
    CHECK(y[0] == 1 && y[1] == 1);
    mote_option_field keep = {0, MOTE_FIELD_BOOL, 1, 0.0f, NULL, 0, NULL};
    t[2] = (op_tensor){MOTE_BOOL, 2, {2, 1}, 0, 0, NULL, 0};
    op_call all = {MOTE_OP_REDUCE_ALL, TFL_OPTIONS_REDUCER, 1, &keep, 2, 1, t};
    CHECK_OK(op_run(&all, ins, outs, &bytes));
    CHECK(y[0] == 0 && y[1] == 1);
}

TEST_MAIN(test_segment_sum, test_unsorted_segments, test_unsorted_segment_float_and_bad_id, test_add_n,
          test_bucketize, test_reduce_any_all)
