/* test_unary.c — the element-wise math operators beyond the opsuite: ROUND's halves to even,
 * SIGN, integer NEG and ABS at the type's minimum (they wrap, as in TensorFlow Lite), LOG of
 * non-positive quantized inputs, RSQRT/SQRT of negative quantized inputs (a run-time error),
 * and types refused. */
#include "test_arith_harness.h"

static mote_status unary(int32_t code, mote_type type, float scale, int64_t zp, float out_scale,
                         int64_t out_zp, const void *in, void *out, int32_t n, size_t elem) {
    op_tensor a = {type, 1, {n}, scale, zp, NULL, 0}, y = {type, 1, {n}, out_scale, out_zp, NULL, 0};
    return op_unary(code, 0, NULL, 0, &a, &y, in, out, (size_t)n * elem);
}

static void test_round_half_to_even(void) {
    const float x[8] = {-2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f, 0.49999997f, 3.7f};
    const float want[8] = {-2.0f, -2.0f, -0.0f, 0.0f, 2.0f, 2.0f, 0.0f, 4.0f};
    float y[8];
    CHECK_OK(unary(MOTE_OP_ROUND, MOTE_FLOAT32, 0, 0, 0, 0, x, y, 8, 4));
    for (int i = 0; i < 8; i++) CHECK_EQ_INT(y[i] == want[i], 1);
}

static void test_sign(void) {
    const float xf[4] = {-3.0f, 0.0f, 2.5f, -0.0f};
    const int32_t xi[3] = {-5, 0, 7};
    float yf[4];
    int32_t yi[3];
    CHECK_OK(unary(MOTE_OP_SIGN, MOTE_FLOAT32, 0, 0, 0, 0, xf, yf, 4, 4));
    CHECK_NEAR(yf[0], -1, 0);
    CHECK_NEAR(yf[1], 0, 0);
    CHECK_NEAR(yf[2], 1, 0);
    CHECK_NEAR(yf[3], 0, 0);
    CHECK_OK(unary(MOTE_OP_SIGN, MOTE_INT32, 0, 0, 0, 0, xi, yi, 3, 4));
    CHECK_EQ_INT(yi[0], -1);
    CHECK_EQ_INT(yi[1], 0);
    CHECK_EQ_INT(yi[2], 1);
}

static void test_integer_minimum_wraps(void) {
    const int8_t x8[3] = {-128, 127, 0};
    const int32_t x32[2] = {INT32_MIN, -7};
    const int16_t x16[2] = {INT16_MIN, -3};
    const int64_t x64[2] = {INT64_MIN, 9};
    int8_t y8[3];
    int32_t y32[2];
    int16_t y16[2];
    int64_t y64[2];
    CHECK_OK(unary(MOTE_OP_NEG, MOTE_INT8, 0, 0, 0, 0, x8, y8, 3, 1));
    CHECK_EQ_INT(y8[0], -128);
    CHECK_EQ_INT(y8[1], -127);
    CHECK_EQ_INT(y8[2], 0);
    CHECK_OK(unary(MOTE_OP_ABS, MOTE_INT32, 0, 0, 0, 0, x32, y32, 2, 4));
    CHECK_EQ_INT(y32[0], INT32_MIN);
    CHECK_EQ_INT(y32[1], 7);
    CHECK_OK(unary(MOTE_OP_ABS, MOTE_INT16, 0, 0, 0, 0, x16, y16, 2, 2)); /* int16 without quantization */
    CHECK_EQ_INT(y16[0], INT16_MIN);
    CHECK_EQ_INT(y16[1], 3);
    CHECK_OK(unary(MOTE_OP_NEG, MOTE_INT64, 0, 0, 0, 0, x64, y64, 2, 8));
    CHECK(y64[0] == INT64_MIN);
    CHECK(y64[1] == -9);
}

/* Quantized LOG maps every input at or below the zero point (x <= 0) to the lowest output;
 * above it, log(x) requantized. */
static void test_log_int8_non_positive(void) {
    const int8_t x[4] = {-128, 0, 10, 100}; /* input zero point 10: x = -6.9, -0.5, 0, 4.5 */
    int8_t y[4];
    CHECK_OK(unary(MOTE_OP_LOG, MOTE_INT8, 0.05f, 10, 0.1f, 20, x, y, 4, 1));
    CHECK_EQ_INT(y[0], -128);
    CHECK_EQ_INT(y[1], -128);
    CHECK_EQ_INT(y[2], -128);
    CHECK_EQ_INT(y[3], (int)roundf(logf(4.5f) / 0.1f) + 20);
}

/* Quantized RSQRT and SQRT refuse negative inputs while running; float ones give NaN. */
static void test_negative_inputs(void) {
    const int8_t x[3] = {20, 4, 30}; /* zero point 5: the middle one is negative */
    const int16_t x16[2] = {100, -1};
    const float xf[1] = {-4.0f};
    int8_t y[3];
    int16_t y16[2];
    float yf[1];
    CHECK_EQ_INT(unary(MOTE_OP_RSQRT, MOTE_INT8, 0.1f, 5, 0.05f, -100, x, y, 3, 1), MOTE_ERROR_RUNTIME);
    CHECK(strstr(op_error, "element 1") != NULL);
    CHECK_EQ_INT(unary(MOTE_OP_SQRT, MOTE_INT8, 0.1f, 5, 0.05f, -100, x, y, 3, 1), MOTE_ERROR_RUNTIME);
    CHECK_EQ_INT(unary(MOTE_OP_RSQRT, MOTE_INT16, 0.01f, 0, 0.001f, 0, x16, y16, 2, 2), MOTE_ERROR_RUNTIME);
    CHECK_OK(unary(MOTE_OP_SQRT, MOTE_FLOAT32, 0, 0, 0, 0, xf, yf, 1, 4));
    CHECK(yf[0] != yf[0]);
}

/* int8 RSQRT through the integer inverse square root stays within one step of the float
 * result (the opsuite checks the exact bits). */
static void test_rsqrt_int8_close_to_float(void) {
    int8_t x[8], y[8];
    for (int i = 0; i < 8; i++) x[i] = (int8_t)(-100 + 30 * i); /* zero point -128: all positive */
    CHECK_OK(unary(MOTE_OP_RSQRT, MOTE_INT8, 0.02f, -128, 0.01f, -128, x, y, 8, 1));
    for (int i = 0; i < 8; i++) {
        float v = 0.02f * (float)(x[i] + 128);
        float want = 1.0f / sqrtf(v) / 0.01f - 128.0f;
        if (want > 127.0f) want = 127.0f;
        CHECK_NEAR(y[i], want, 1.0);
    }
}

static void test_unsupported_types_refused(void) {
    const int8_t x[2] = {1, 2};
    int8_t y[2];
    CHECK_EQ_INT(unary(MOTE_OP_SQUARE, MOTE_INT8, 0.1f, 0, 0.1f, 0, x, y, 2, 1), MOTE_ERROR_UNSUPPORTED);
    CHECK_EQ_INT(unary(MOTE_OP_SIN, MOTE_INT8, 0.1f, 0, 0.1f, 0, x, y, 2, 1), MOTE_ERROR_UNSUPPORTED);
    /* A quantized path needs quantization. */
    CHECK_EQ_INT(unary(MOTE_OP_EXP, MOTE_INT8, 0, 0, 0, 0, x, y, 2, 1), MOTE_ERROR_INVALID_MODEL);
}

TEST_MAIN(test_round_half_to_even, test_sign, test_integer_minimum_wraps, test_log_int8_non_positive,
          test_negative_inputs, test_rsqrt_int8_close_to_float, test_unsupported_types_refused)
