/* test_comparisons.c — comparisons and logical ops beyond the opsuite: uint8 inputs with
 * different scales compared as real values (TensorFlow Lite rescales each side), int64 and
 * bool EQUAL, string EQUAL and NOT_EQUAL, broadcasting of LOGICAL_OR, and a scale the quantized
 * comparison cannot take. */
#include "test_arith_harness.h"

static mote_status cmp(int32_t code, op_tensor a, op_tensor b, op_tensor out, const void *x, const void *y,
                       uint8_t *z, size_t n) {
    return op_binary(code, 0, NULL, 0, &a, &b, &out, x, y, z, n);
}

/* a: scale 0.5, zero point 10; b: scale 0.25, zero point 0. Pairs (real values):
 * 14 vs 8 (2.0 = 2.0), 12 vs 5 (1.0 < 1.25), 16 vs 11 (3.0 > 2.75). */
static void test_uint8_different_scales(void) {
    const uint8_t x[3] = {14, 12, 16}, y[3] = {8, 5, 11};
    op_tensor a = {MOTE_UINT8, 1, {3}, 0.5f, 10, NULL, 0}, b = {MOTE_UINT8, 1, {3}, 0.25f, 0, NULL, 0},
              out = {MOTE_BOOL, 1, {3}, 0, 0, NULL, 0};
    uint8_t z[3];
    CHECK_OK(cmp(MOTE_OP_EQUAL, a, b, out, x, y, z, 3));
    CHECK(z[0] == 1 && z[1] == 0 && z[2] == 0);
    CHECK_OK(cmp(MOTE_OP_LESS, a, b, out, x, y, z, 3));
    CHECK(z[0] == 0 && z[1] == 1 && z[2] == 0);
    CHECK_OK(cmp(MOTE_OP_GREATER_EQUAL, a, b, out, x, y, z, 3));
    CHECK(z[0] == 1 && z[1] == 0 && z[2] == 1);
}

/* int8 with a scale of 1 or more: TensorFlow Lite's quantized comparison needs scale < 1. */
static void test_int8_scale_one_refused(void) {
    const int8_t x[1] = {1}, y[1] = {1};
    op_tensor a = {MOTE_INT8, 1, {1}, 1.0f, 0, NULL, 0}, out = {MOTE_BOOL, 1, {1}, 0, 0, NULL, 0};
    uint8_t z[1];
    CHECK_EQ_INT(cmp(MOTE_OP_EQUAL, a, a, out, x, y, z, 1), MOTE_ERROR_UNSUPPORTED);
    CHECK(strstr(op_error, "scale") != NULL);
}

/* int64 values beyond 2^53 differ only in their low bits; [2] against a [1] scalar. */
static void test_int64_broadcast(void) {
    const int64_t x[2] = {(INT64_C(1) << 60) + 1, (INT64_C(1) << 60)}, y[1] = {(INT64_C(1) << 60)};
    op_tensor a = {MOTE_INT64, 1, {2}, 0, 0, NULL, 0}, b = {MOTE_INT64, 1, {1}, 0, 0, NULL, 0},
              out = {MOTE_BOOL, 1, {2}, 0, 0, NULL, 0};
    uint8_t z[2];
    CHECK_OK(cmp(MOTE_OP_NOT_EQUAL, a, b, out, x, y, z, 2));
    CHECK(z[0] == 1 && z[1] == 0);
    CHECK_OK(cmp(MOTE_OP_GREATER, a, b, out, x, y, z, 2));
    CHECK(z[0] == 1 && z[1] == 0);
}

/* bool EQUAL: any non-zero byte is true; GREATER on bool is refused as TensorFlow Lite does. */
static void test_bool(void) {
    const uint8_t x[3] = {0, 1, 2}, y[3] = {0, 1, 1};
    op_tensor a = {MOTE_BOOL, 1, {3}, 0, 0, NULL, 0}, out = {MOTE_BOOL, 1, {3}, 0, 0, NULL, 0};
    uint8_t z[3];
    CHECK_OK(cmp(MOTE_OP_EQUAL, a, a, out, x, y, z, 3));
    CHECK(z[0] == 1 && z[1] == 1 && z[2] == 1);
    CHECK_EQ_INT(cmp(MOTE_OP_GREATER, a, a, out, x, y, z, 3), MOTE_ERROR_UNSUPPORTED);
}

/* LOGICAL_OR of [2, 1] and [3]: [2, 3]. */
static void test_logical_or_broadcast(void) {
    const uint8_t x[2] = {0, 1}, y[3] = {0, 1, 0};
    op_tensor a = {MOTE_BOOL, 2, {2, 1}, 0, 0, NULL, 0}, b = {MOTE_BOOL, 1, {3}, 0, 0, NULL, 0},
              out = {MOTE_BOOL, 2, {2, 3}, 0, 0, NULL, 0};
    uint8_t z[6];
    CHECK_OK(cmp(MOTE_OP_LOGICAL_OR, a, b, out, x, y, z, 6));
    const uint8_t want[6] = {0, 1, 0, 1, 1, 1};
    for (int i = 0; i < 6; i++) CHECK_EQ_INT(z[i], want[i]);
}

/* Serializes strings in TensorFlow Lite's layout (count, offsets, bytes) into buf. */
static size_t pack_strings(uint8_t *buf, const char *const *strs, int32_t n) {
    size_t at = 4 * (size_t)(n + 2);
    int32_t header[8];
    header[0] = n;
    for (int32_t i = 0; i < n; i++) {
        header[1 + i] = (int32_t)at;
        size_t len = strlen(strs[i]);
        memcpy(buf + at, strs[i], len);
        at += len;
    }
    header[1 + n] = (int32_t)at;
    memcpy(buf, header, 4 * (size_t)(n + 2)); /* little-endian hosts */
    return at;
}

/* ["ab", "", "abc"] against a constant ["ab"]: EQUAL {1, 0, 0}, NOT_EQUAL the opposite. */
static void test_strings(void) {
    static const char *const xs[3] = {"ab", "", "abc"}, *const ys[1] = {"ab"};
    uint8_t xb[64], yb[32];
    size_t xn = pack_strings(xb, xs, 3), yn = pack_strings(yb, ys, 1);
    for (int ne = 0; ne < 2; ne++) {
        int32_t d3[1] = {3}, d1[1] = {1}, a, b, o;
        mote_writer *w;
        mote_model *m = NULL;
        mote_interpreter *it = NULL;
        CHECK_OK(mote_writer_create(NULL, &w));
        CHECK_OK(mote_writer_add_tensor(w, "a", MOTE_STRING, 1, d3, NULL, 0, &a));
        CHECK_OK(mote_writer_add_tensor(w, "b", MOTE_STRING, 1, d1, yb, yn, &b));
        CHECK_OK(mote_writer_add_tensor(w, "o", MOTE_BOOL, 1, d3, NULL, 0, &o));
        mote_writer_op op = {ne ? MOTE_OP_NOT_EQUAL : MOTE_OP_EQUAL, NULL, 0, 2, (int32_t[]){a, b}, 1, &o, 0, NULL, 0, 0,
                             NULL, NULL, 0};
        CHECK_OK(mote_writer_add_op(w, &op, NULL));
        CHECK_OK(mote_writer_set_inputs(w, 1, &a));
        CHECK_OK(mote_writer_set_outputs(w, 1, &o));
        const void *bytes;
        size_t size;
        CHECK_OK(mote_writer_finish(w, &bytes, &size));
        CHECK_OK(mote_model_load_memory(bytes, size, NULL, &m));
        CHECK_OK(mote_interpreter_create(m, NULL, &it));
        CHECK_OK(mote_interpreter_allocate_tensors(it));
        mote_tensor *in, *out;
        CHECK_OK(mote_interpreter_input(it, 0, &in));
        CHECK_OK(mote_tensor_copy_from(in, xb, xn));
        CHECK_OK(mote_interpreter_invoke(it));
        uint8_t z[3] = {9, 9, 9};
        CHECK_OK(mote_interpreter_output(it, 0, &out));
        CHECK_OK(mote_tensor_copy_to(out, z, sizeof z));
        CHECK(z[0] == !ne && z[1] == ne && z[2] == ne);
        mote_interpreter_destroy(it);
        mote_model_destroy(m);
        mote_writer_destroy(w);
    }
}

TEST_MAIN(test_uint8_different_scales, test_strings, test_int8_scale_one_refused, test_int64_broadcast, test_bool,
          test_logical_or_broadcast)
