/* test_quantize.c — QUANTIZE and the other requantizing kernels (quantized MEAN, SUM,
 * CONCATENATION) on cases the opsuite lacks, with values worked out from TensorFlow Lite's
 * reference arithmetic: round-half-away float quantization and saturation, per-channel
 * parameters, the uint8 -> int8 zero-point flip, int16 -> int8 requantization rounding
 * halves toward +infinity, MEAN's multiplier folded with 1/count, saturating int8 SUM,
 * int16 SUM and CONCATENATION copying raw values as TensorFlow Lite does. */
#include "test_arith_harness.h"

#define Q1(type, n, scale, zp) {type, 1, {n, 0, 0, 0}, scale, zp, NULL, 0}

/* float -> int8 (scale 0.5, zp 1): 2.5 -> 3 and -2.5 -> -3 (halves away from zero), then the
 * zero point; out-of-range values saturate. */
static void test_float_to_int8(void) {
    const op_tensor in = {MOTE_FLOAT32, 1, {5, 0, 0, 0}, 0.0f, 0, NULL, 0}, out = Q1(MOTE_INT8, 5, 0.5f, 1);
    const float x[5] = {1.25f, -1.25f, 100.0f, -100.0f, 0.0f};
    int8_t y[5];
    CHECK_OK(op_unary(MOTE_OP_QUANTIZE, 0, NULL, 0, &in, &out, x, y, sizeof y));
    CHECK_EQ_INT(y[0], 4);
    CHECK_EQ_INT(y[1], -2);
    CHECK_EQ_INT(y[2], 127);
    CHECK_EQ_INT(y[3], -128);
    CHECK_EQ_INT(y[4], 1);
}

/* float [2, 3] -> int8 with one (scale, zero point) per column. */
static void test_float_to_int8_per_channel(void) {
    static const float scales[3] = {1.0f, 0.5f, 2.0f};
    static const int64_t zero_points[3] = {0, 1, -1};
    const float x[6] = {1.0f, 1.0f, 1.0f, -3.0f, 2.5f, 5.0f};
    int8_t y[6] = {0};
    int32_t dims[2] = {2, 3}, xt, yt;
    mote_writer *w;
    mote_model *m = NULL;
    mote_interpreter *it = NULL;
    const void *data;
    size_t size;
    CHECK_OK(mote_writer_create(NULL, &w));
    CHECK_OK(mote_writer_add_tensor(w, "x", MOTE_FLOAT32, 2, dims, NULL, 0, &xt));
    CHECK_OK(mote_writer_add_tensor(w, "y", MOTE_INT8, 2, dims, NULL, 0, &yt));
    CHECK_OK(mote_writer_set_quantization(w, yt, 3, scales, zero_points, 1));
    mote_writer_op op = {MOTE_OP_QUANTIZE, NULL, 0, 1, &xt, 1, &yt, 0, NULL, 0, 0, NULL, NULL, 0};
    CHECK_OK(mote_writer_add_op(w, &op, NULL));
    CHECK_OK(mote_writer_set_inputs(w, 1, &xt));
    CHECK_OK(mote_writer_set_outputs(w, 1, &yt));
    CHECK_OK(mote_writer_finish(w, &data, &size));
    CHECK_OK(mote_model_load_memory(data, size, NULL, &m));
    CHECK_OK(mote_interpreter_create(m, NULL, &it));
    if (mote_interpreter_allocate_tensors(it) == MOTE_OK) {
        mote_tensor *in, *out;
        CHECK_OK(mote_interpreter_input(it, 0, &in));
        CHECK_OK(mote_tensor_copy_from(in, x, sizeof x));
        CHECK_OK(mote_interpreter_invoke(it));
        CHECK_OK(mote_interpreter_output(it, 0, &out));
        CHECK_OK(mote_tensor_copy_to(out, y, sizeof y));
    } else {
        fprintf(stderr, "allocate: %s\n", mote_interpreter_error(it));
        CHECK(0);
    }
    const int8_t expect[6] = {1, 3, 0, -3, 6, 2}; /* 0.5 -> 1 - 1; 2.5 -> 3 - 1 */
    for (int i = 0; i < 6; i++) CHECK_EQ_INT(y[i], expect[i]);
    mote_interpreter_destroy(it);
    mote_model_destroy(m);
    mote_writer_destroy(w);
}

/* uint8 (zp 128) -> int8 (zp 0) with equal scales: the sign bit flips. */
static void test_uint8_to_int8(void) {
    const op_tensor in = Q1(MOTE_UINT8, 3, 0.02f, 128), out = Q1(MOTE_INT8, 3, 0.02f, 0);
    const uint8_t x[3] = {0, 128, 255};
    int8_t y[3];
    CHECK_OK(op_unary(MOTE_OP_QUANTIZE, 0, NULL, 0, &in, &out, x, y, sizeof y));
    CHECK_EQ_INT(y[0], -128);
    CHECK_EQ_INT(y[1], 0);
    CHECK_EQ_INT(y[2], 127);
}

/* int16 (1/256) -> int8 (1/128): the multiplier 1/2 rounds halves toward +infinity (the
 * doubling high multiply), so 1.5 -> 2 but -1.5 -> -1. */
static void test_int16_to_int8_rounding(void) {
    const op_tensor in = Q1(MOTE_INT16, 4, 1.0f / 256, 0), out = Q1(MOTE_INT8, 4, 1.0f / 128, 0);
    const int16_t x[4] = {3, -3, 1000, 4};
    int8_t y[4];
    CHECK_OK(op_unary(MOTE_OP_QUANTIZE, 0, NULL, 0, &in, &out, x, y, sizeof y));
    CHECK_EQ_INT(y[0], 2);
    CHECK_EQ_INT(y[1], -1);
    CHECK_EQ_INT(y[2], 127);
    CHECK_EQ_INT(y[3], 2);
    /* An int16 output is symmetric: a zero point is refused. An int16 input may have one
     * (TensorFlow Lite Micro's int16 SOFTMAX writes -32768). */
    const op_tensor bad = Q1(MOTE_INT16, 4, 1.0f / 256, 3);
    int16_t z[4];
    CHECK_EQ_INT(op_unary(MOTE_OP_QUANTIZE, 0, NULL, 0, &out, &bad, y, z, sizeof z), MOTE_ERROR_INVALID_MODEL);
    CHECK(strstr(op_error, "QUANTIZE") != NULL);
    const op_tensor shifted = Q1(MOTE_INT16, 4, 1.0f / 256, -32768);
    const int16_t xs[4] = {-32768, -32765, -32771 + 7, 0};
    CHECK_OK(op_unary(MOTE_OP_QUANTIZE, 0, NULL, 0, &shifted, &out, xs, y, sizeof y));
    CHECK_EQ_INT(y[0], 0);
    CHECK_EQ_INT(y[1], 2);
    CHECK_EQ_INT(y[2], 2);
    CHECK_EQ_INT(y[3], 127);
}

/* int16 -> int32 requantize (keyword_scrambled's last op): scale 2 → 1 doubles. */
static void test_int16_to_int32(void) {
    const op_tensor in = Q1(MOTE_INT16, 3, 2.0f, 0), out = Q1(MOTE_INT32, 3, 1.0f, 0);
    const int16_t x[3] = {-32768, 5, 32767};
    int32_t y[3];
    CHECK_OK(op_unary(MOTE_OP_QUANTIZE, 0, NULL, 0, &in, &out, x, y, sizeof y));
    CHECK_EQ_INT(y[0], -65536);
    CHECK_EQ_INT(y[1], 10);
    CHECK_EQ_INT(y[2], 65534);
}

/* MEAN int8 over the last axis (unit scales): the multiplier 1 becomes 2^31 * 2 / 3 with one
 * bit moved out of the shift; 7/3 -> 2, -5/3 -> -2. */
static void test_mean_int8(void) {
    static const int32_t axis = 1;
    op_tensor t[3] = {{MOTE_INT8, 2, {2, 3, 0, 0}, 1.0f, 0, NULL, 0},
                      {MOTE_INT32, 1, {1, 0, 0, 0}, 0.0f, 0, &axis, sizeof axis},
                      {MOTE_INT8, 1, {2, 0, 0, 0}, 1.0f, 0, NULL, 0}};
    const int8_t x[6] = {1, 2, 4, -1, -2, -2};
    int8_t y[2];
    CHECK_OK(op_binary(MOTE_OP_MEAN, TFL_OPTIONS_REDUCER, NULL, 0, &t[0], &t[1], &t[2], x, NULL, y, sizeof y));
    CHECK_EQ_INT(y[0], 2);
    CHECK_EQ_INT(y[1], -2);
}

/* SUM: int8 saturates, uint8 rescales (unit input scale onto 2), int16 adds raw values with
 * int16 wrap-around when input and output share their quantization (TensorFlow Lite's
 * kernel). */
static void test_sum_quantized(void) {
    static const int32_t axis = 0;
    op_tensor t[3] = {Q1(MOTE_INT8, 2, 1.0f, 0), {MOTE_INT32, 1, {1, 0, 0, 0}, 0.0f, 0, &axis, sizeof axis},
                      {MOTE_INT8, 0, {0, 0, 0, 0}, 1.0f, 0, NULL, 0}};
    const int8_t x[2] = {100, 100};
    int8_t y;
    CHECK_OK(op_binary(MOTE_OP_SUM, TFL_OPTIONS_REDUCER, NULL, 0, &t[0], &t[1], &t[2], x, NULL, &y, 1));
    CHECK_EQ_INT(y, 127);
    t[0].type = t[2].type = MOTE_UINT8;
    t[2].scale = 2.0f;
    const uint8_t u[2] = {200, 100};
    uint8_t v;
    CHECK_OK(op_binary(MOTE_OP_SUM, TFL_OPTIONS_REDUCER, NULL, 0, &t[0], &t[1], &t[2], u, NULL, &v, 1));
    CHECK_EQ_INT(v, 150);
    t[0].type = t[2].type = MOTE_INT16;
    t[2].scale = 1.0f;
    const int16_t s[2] = {30000, 30000};
    int16_t r;
    CHECK_OK(op_binary(MOTE_OP_SUM, TFL_OPTIONS_REDUCER, NULL, 0, &t[0], &t[1], &t[2], s, NULL, &r, sizeof r));
    CHECK_EQ_INT(r, -5536);
}

/* CONCATENATION: a uint8 input quantized differently from the output is requantized in
 * float (1.5 -> 2, 2.5 -> 3, halves away from zero); int16 inputs are copied as they are. */
static void test_concatenation_requantize(void) {
    op_tensor t[3] = {Q1(MOTE_UINT8, 2, 0.5f, 0), Q1(MOTE_UINT8, 1, 1.0f, 10), Q1(MOTE_UINT8, 3, 1.0f, 10)};
    const uint8_t a[2] = {3, 5}, b[1] = {20};
    uint8_t y[3];
    CHECK_OK(op_binary(MOTE_OP_CONCATENATION, TFL_OPTIONS_CONCATENATION, NULL, 0, &t[0], &t[1], &t[2], a, b, y,
                       sizeof y));
    CHECK_EQ_INT(y[0], 12);
    CHECK_EQ_INT(y[1], 13);
    CHECK_EQ_INT(y[2], 20);
    op_tensor s[3] = {Q1(MOTE_INT16, 2, 0.5f, 0), Q1(MOTE_INT16, 1, 0.25f, 0), Q1(MOTE_INT16, 3, 1.0f, 0)};
    const int16_t c[2] = {-300, 7}, d[1] = {1234};
    int16_t z[3];
    CHECK_OK(op_binary(MOTE_OP_CONCATENATION, TFL_OPTIONS_CONCATENATION, NULL, 0, &s[0], &s[1], &s[2], c, d, z,
                       sizeof z));
    CHECK_EQ_INT(z[0], -300);
    CHECK_EQ_INT(z[1], 7);
    CHECK_EQ_INT(z[2], 1234);
}

TEST_MAIN(test_float_to_int8, test_float_to_int8_per_channel, test_uint8_to_int8, test_int16_to_int8_rounding,
          test_int16_to_int32, test_mean_int8, test_sum_quantized, test_concatenation_requantize)
