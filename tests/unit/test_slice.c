/* test_slice.c — STRIDED_SLICE and SLICE beyond the opsuite: reversed walks with masks,
 * ellipsis with a new axis and a shrunk axis together, `offset`, out-of-range starts that
 * clamp, arguments computed while running (checked against the declared shape), and what is
 * refused. Expected values are NumPy's indexing of x = arange(24).reshape(2, 3, 4). */
#include "test_arith_harness.h"

/* StridedSliceOptions fields: begin, end, ellipsis, new-axis, shrink masks, offset. */
static mote_option_field mask_field(uint16_t id, int64_t v) {
    mote_option_field f = {id, id == 5 ? MOTE_FIELD_BOOL : MOTE_FIELD_INT32, v, 0.0f, NULL, 0, NULL};
    return f;
}

static const int32_t x_data[24] = {0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11,
                                   12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23};

/* Runs STRIDED_SLICE on x with n spec entries and the given masks; compares the int32 output
 * of the declared shape with `expected`. */
static void check_strided(int32_t n, const int32_t *begin, const int32_t *end, const int32_t *strides,
                          const int32_t masks[6], int32_t out_rank, const int32_t *out_dims,
                          const int32_t *expected) {
    op_tensor t[5] = {{MOTE_INT32, 3, {2, 3, 4}, 0, 0, NULL, 0},
                      {MOTE_INT32, 1, {n}, 0, 0, begin, (size_t)n * 4},
                      {MOTE_INT32, 1, {n}, 0, 0, end, (size_t)n * 4},
                      {MOTE_INT32, 1, {n}, 0, 0, strides, (size_t)n * 4},
                      {MOTE_INT32, out_rank, {0}, 0, 0, NULL, 0}};
    size_t count = 1;
    for (int32_t i = 0; i < out_rank; i++) {
        t[4].dims[i] = out_dims[i];
        count *= (size_t)out_dims[i];
    }
    mote_option_field f[6];
    for (uint16_t i = 0; i < 6; i++) f[i] = mask_field(i, masks[i]);
    op_call call = {MOTE_OP_STRIDED_SLICE, TFL_OPTIONS_STRIDED_SLICE, 6, f, 4, 1, t};
    int32_t got[24] = {0};
    const void *ins[1] = {x_data};
    void *outs[1] = {got};
    const size_t bytes = count * sizeof got[0];
    mote_status st = op_run(&call, ins, outs, &bytes);
    if (st) fprintf(stderr, "strided slice: %s\n", op_error);
    CHECK_OK(st);
    for (size_t i = 0; i < count; i++) CHECK_EQ_INT(got[i], expected[i]);
}

/* x[::-1, 1:, ::-2]: negative strides with begin and end masks. */
static void test_reversed_with_masks(void) {
    static const int32_t begin[3] = {0, 1, -1}, end[3] = {0, 0, 0}, strides[3] = {-1, 1, -2};
    static const int32_t masks[6] = {1, 7, 0, 0, 0, 0}, dims[3] = {2, 2, 2};
    static const int32_t expected[8] = {19, 17, 23, 21, 7, 5, 11, 9};
    check_strided(3, begin, end, strides, masks, 3, dims, expected);
}

/* x[..., newaxis, 2]: the ellipsis covers two dimensions, a new axis, a shrunk index. */
static void test_ellipsis_new_axis_shrink(void) {
    static const int32_t begin[3] = {0, 0, 2}, end[3] = {0, 0, 3}, strides[3] = {1, 1, 1};
    static const int32_t masks[6] = {0, 0, 1, 2, 4, 0}, dims[3] = {2, 3, 1};
    static const int32_t expected[6] = {2, 6, 10, 14, 18, 22};
    check_strided(3, begin, end, strides, masks, 3, dims, expected);
}

/* x[1, newaxis, :, 1:3]: shrink first, then a new axis, a full range and a window. */
static void test_shrink_then_new_axis(void) {
    static const int32_t begin[4] = {1, 0, 0, 1}, end[4] = {2, 0, 0, 3}, strides[4] = {1, 1, 1, 1};
    static const int32_t masks[6] = {4, 4, 0, 2, 1, 0}, dims[3] = {1, 3, 2};
    static const int32_t expected[6] = {13, 14, 17, 18, 21, 22};
    check_strided(4, begin, end, strides, masks, 3, dims, expected);
}

/* offset: `end` holds sizes, x[0:2, 1:3, 1:4]. */
static void test_offset_sizes(void) {
    static const int32_t begin[3] = {0, 1, 1}, end[3] = {2, 2, 3}, strides[3] = {1, 1, 1};
    static const int32_t masks[6] = {0, 0, 0, 0, 0, 1}, dims[3] = {2, 2, 3};
    static const int32_t expected[12] = {5, 6, 7, 9, 10, 11, 17, 18, 19, 21, 22, 23};
    check_strided(3, begin, end, strides, masks, 3, dims, expected);
}

/* x[:, 5:-10:-1, :]: a start past the end and an end before the start clamp to the axis. */
static void test_clamped_reverse(void) {
    static const int32_t begin[3] = {0, 5, 0}, end[3] = {0, -10, 0}, strides[3] = {1, -1, 1};
    static const int32_t masks[6] = {5, 5, 0, 0, 0, 0}, dims[3] = {2, 3, 4};
    static const int32_t expected[24] = {8,  9,  10, 11, 4,  5,  6,  7,  0,  1,  2,  3,
                                         20, 21, 22, 23, 16, 17, 18, 19, 12, 13, 14, 15};
    check_strided(3, begin, end, strides, masks, 3, dims, expected);
}

/* Shrinking dimension 0 (size 2) at index 5 would read nothing: refused. */
static void test_shrink_out_of_range_refused(void) {
    static const int32_t begin[1] = {5}, end[1] = {6}, strides[1] = {1};
    op_tensor t[5] = {{MOTE_INT32, 3, {2, 3, 4}, 0, 0, NULL, 0},
                      {MOTE_INT32, 1, {1}, 0, 0, begin, 4},
                      {MOTE_INT32, 1, {1}, 0, 0, end, 4},
                      {MOTE_INT32, 1, {1}, 0, 0, strides, 4},
                      {MOTE_INT32, 2, {3, 4}, 0, 0, NULL, 0}};
    mote_option_field f[1] = {mask_field(4, 1)};
    op_call call = {MOTE_OP_STRIDED_SLICE, TFL_OPTIONS_STRIDED_SLICE, 1, f, 4, 1, t};
    int32_t got[12];
    const void *ins[1] = {x_data};
    void *outs[1] = {got};
    const size_t bytes = sizeof got;
    CHECK_EQ_INT(op_run(&call, ins, outs, &bytes), MOTE_ERROR_INVALID_MODEL);
    CHECK(strstr(op_error, "out of range") != NULL);
}

/* SLICE x[1:, 0:2, 1:] with size -1 meaning "to the end"; a window past the end is refused. */
static void test_slice_sizes(void) {
    static const int32_t begin[3] = {1, 0, 1}, size[3] = {-1, 2, -1}, bad_size[3] = {1, 1, 4};
    static const int32_t expected[6] = {13, 14, 15, 17, 18, 19};
    op_tensor t[4] = {{MOTE_INT32, 3, {2, 3, 4}, 0, 0, NULL, 0},
                      {MOTE_INT32, 1, {3}, 0, 0, begin, sizeof begin},
                      {MOTE_INT32, 1, {3}, 0, 0, size, sizeof size},
                      {MOTE_INT32, 3, {1, 2, 3}, 0, 0, NULL, 0}};
    op_call call = {MOTE_OP_SLICE, TFL_OPTIONS_SLICE, 0, NULL, 3, 1, t};
    int32_t got[6];
    const void *ins[1] = {x_data};
    void *outs[1] = {got};
    const size_t bytes = sizeof got;
    CHECK_OK(op_run(&call, ins, outs, &bytes));
    for (int i = 0; i < 6; i++) CHECK_EQ_INT(got[i], expected[i]);
    t[2].data = bad_size;
    CHECK_EQ_INT(op_run(&call, ins, outs, &bytes), MOTE_ERROR_INVALID_MODEL);
}

/* begin computed while running: the declared [1, 2, 3] output is used, and eval checks the
 * values give that shape (a begin that does not is a run-time error, not a bad read). */
static void test_slice_runtime_begin(void) {
    static const int32_t size[3] = {1, 2, 3}, expected[6] = {13, 14, 15, 17, 18, 19};
    const int32_t good_begin[3] = {1, 0, 1}, bad_begin[3] = {1, 2, 1};
    op_tensor t[4] = {{MOTE_INT32, 3, {2, 3, 4}, 0, 0, NULL, 0},
                      {MOTE_INT32, 1, {3}, 0, 0, NULL, 0},
                      {MOTE_INT32, 1, {3}, 0, 0, size, sizeof size},
                      {MOTE_INT32, 3, {1, 2, 3}, 0, 0, NULL, 0}};
    op_call call = {MOTE_OP_SLICE, TFL_OPTIONS_SLICE, 0, NULL, 3, 1, t};
    int32_t got[6];
    const void *ins[2] = {x_data, good_begin};
    void *outs[1] = {got};
    const size_t bytes = sizeof got;
    CHECK_OK(op_run(&call, ins, outs, &bytes));
    for (int i = 0; i < 6; i++) CHECK_EQ_INT(got[i], expected[i]);
    ins[1] = bad_begin;
    CHECK_EQ_INT(op_run(&call, ins, outs, &bytes), MOTE_ERROR_RUNTIME);
}

TEST_MAIN(test_reversed_with_masks, test_ellipsis_new_axis_shrink, test_shrink_then_new_axis,
          test_offset_sizes, test_clamped_reverse, test_shrink_out_of_range_refused, test_slice_sizes,
          test_slice_runtime_begin)
