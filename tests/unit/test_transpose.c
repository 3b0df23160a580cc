/* test_transpose.c — TRANSPOSE beyond the opsuite: a negative permutation entry (NumPy's
 * axes), int32 data, and what is refused: a repeated axis, a permutation of the wrong length,
 * a permutation only known while running. */
#include "test_arith_harness.h"

/* x = arange(24) as [1, 2, 3, 4], perm {3, -4, 2, 1} = {3, 0, 2, 1}: NumPy's result. */
static void test_negative_axis(void) {
    static const int32_t perm[4] = {3, -4, 2, 1};
    static const int32_t expected[24] = {0, 12, 4, 16, 8,  20, 1, 13, 5, 17, 9,  21,
                                         2, 14, 6, 18, 10, 22, 3, 15, 7, 19, 11, 23};
    int32_t x[24], got[24];
    for (int i = 0; i < 24; i++) x[i] = i;
    op_tensor t[3] = {{MOTE_INT32, 4, {1, 2, 3, 4}, 0, 0, NULL, 0},
                      {MOTE_INT32, 1, {4}, 0, 0, perm, sizeof perm},
                      {MOTE_INT32, 4, {4, 1, 3, 2}, 0, 0, NULL, 0}};
    op_call call = {MOTE_OP_TRANSPOSE, 0, 0, NULL, 2, 1, t};
    const void *ins[1] = {x};
    void *outs[1] = {got};
    const size_t bytes = sizeof got;
    CHECK_OK(op_run(&call, ins, outs, &bytes));
    for (int i = 0; i < 24; i++) CHECK_EQ_INT(got[i], expected[i]);
}

static mote_status run_perm(const int32_t *perm, int32_t n, int constant) {
    int32_t x[6] = {0}, got[6];
    op_tensor t[3] = {{MOTE_INT32, 2, {2, 3}, 0, 0, NULL, 0},
                      {MOTE_INT32, 1, {n}, 0, 0, constant ? perm : NULL, (size_t)n * 4},
                      {MOTE_INT32, 2, {3, 2}, 0, 0, NULL, 0}};
    op_call call = {MOTE_OP_TRANSPOSE, 0, 0, NULL, 2, 1, t};
    const void *ins[2] = {x, perm};
    void *outs[1] = {got};
    const size_t bytes = sizeof got;
    return op_run(&call, ins, outs, &bytes);
}

static void test_bad_permutations_refused(void) {
    static const int32_t repeated[2] = {1, 1}, too_long[3] = {1, 0, 2}, good[2] = {1, 0};
    CHECK_EQ_INT(run_perm(repeated, 2, 1), MOTE_ERROR_INVALID_MODEL);
    CHECK(strstr(op_error, "no permutation") != NULL);
    CHECK_EQ_INT(run_perm(too_long, 3, 1), MOTE_ERROR_INVALID_MODEL);
    CHECK_EQ_INT(run_perm(good, 2, 0), MOTE_ERROR_UNSUPPORTED);
    CHECK_OK(run_perm(good, 2, 1));
}

TEST_MAIN(test_negative_axis, test_bad_permutations_refused)
