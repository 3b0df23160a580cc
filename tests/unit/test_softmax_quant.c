/* test_softmax_quant.c — quantized SOFTMAX and LOG_SOFTMAX on cases the opsuite lacks, with
 * values worked out from the fixed-point algorithm: equal logits give exactly 1/N (a row of
 * four: 64 steps of 1/256 over the int8 zero point), a single logit saturates at the top,
 * int8 input with int16 output, log(1) = 0 at the uint8 zero point 255, and the output
 * quantization TensorFlow Lite insists on. */
#include "test_arith_harness.h"

#define Q2(type, r, c, scale, zp) {type, 2, {r, c, 0, 0}, scale, zp, NULL, 0}

/* int8: rows of equal logits. exp(0) in Q12.19 is 2^19, four of them 2^21, whose reciprocal
 * is 1 with 2 bits over unit: 2^31 / 2^25 = 64 over the zero point -128. One logit alone
 * reaches 256 - 128 = 128 and saturates at 127. */
static void test_int8_uniform_rows(void) {
    const op_tensor in = Q2(MOTE_INT8, 2, 4, 0.1f, 0), out = Q2(MOTE_INT8, 2, 4, 1.0f / 256, -128);
    const int8_t x[8] = {5, 5, 5, 5, -7, -7, -7, -7};
    int8_t y[8];
    CHECK_OK(op_unary(MOTE_OP_SOFTMAX, TFL_OPTIONS_SOFTMAX, NULL, 0, &in, &out, x, y, sizeof y));
    for (int i = 0; i < 8; i++) CHECK_EQ_INT(y[i], -64);
    const op_tensor in1 = Q2(MOTE_INT8, 2, 1, 0.1f, 0), out1 = Q2(MOTE_INT8, 2, 1, 1.0f / 256, -128);
    const int8_t x1[2] = {-100, 100};
    int8_t y1[2];
    CHECK_OK(op_unary(MOTE_OP_SOFTMAX, TFL_OPTIONS_SOFTMAX, NULL, 0, &in1, &out1, x1, y1, sizeof y1));
    CHECK_EQ_INT(y1[0], 127);
    CHECK_EQ_INT(y1[1], 127);
}

/* A logit far below the row's maximum contributes nothing: its output is the minimum. */
static void test_int8_far_logit_is_zero(void) {
    const op_tensor in = Q2(MOTE_INT8, 1, 3, 1.0f, 0), out = Q2(MOTE_INT8, 1, 3, 1.0f / 256, -128);
    const int8_t x[3] = {0, -20, 0};
    int8_t y[3];
    CHECK_OK(op_unary(MOTE_OP_SOFTMAX, TFL_OPTIONS_SOFTMAX, NULL, 0, &in, &out, x, y, sizeof y));
    CHECK_EQ_INT(y[1], -128);
    CHECK_NEAR(y[0], -128 + 256.0 / 2, 1);
    CHECK_EQ_INT(y[0], y[2]);
}

/* int8 input, int16 output: 0.25 lands at 2^31 / 2^17 = 16384 over -32768. */
static void test_int8_to_int16(void) {
    const op_tensor in = Q2(MOTE_INT8, 1, 4, 0.1f, 0), out = Q2(MOTE_INT16, 1, 4, 1.0f / 65536, -32768);
    const int8_t x[4] = {1, 1, 1, 1};
    int16_t y[4];
    CHECK_OK(op_unary(MOTE_OP_SOFTMAX, TFL_OPTIONS_SOFTMAX, NULL, 0, &in, &out, x, y, sizeof y));
    for (int i = 0; i < 4; i++) CHECK_EQ_INT(y[i], -16384);
}

/* int16 through the tables: two equal logits give one half (16384 in Q0.15) within a step. */
static void test_int16_uniform(void) {
    const op_tensor in = Q2(MOTE_INT16, 1, 2, 1.0f / 1024, 0), out = Q2(MOTE_INT16, 1, 2, 1.0f / 32768, 0);
    const int16_t x[2] = {300, 300};
    int16_t y[2];
    CHECK_OK(op_unary(MOTE_OP_SOFTMAX, TFL_OPTIONS_SOFTMAX, NULL, 0, &in, &out, x, y, sizeof y));
    CHECK_NEAR(y[0], 16384, 1);
    CHECK_EQ_INT(y[0], y[1]);
}

/* Output quantization TensorFlow Lite requires: int8 SOFTMAX (1/256, -128), LOG_SOFTMAX
 * (16/256, zero point at the top). */
static void test_output_quantization_checked(void) {
    const op_tensor in = Q2(MOTE_INT8, 1, 4, 0.1f, 0), bad = Q2(MOTE_INT8, 1, 4, 1.0f / 256, 0);
    const int8_t x[4] = {0};
    int8_t y[4];
    CHECK_EQ_INT(op_unary(MOTE_OP_SOFTMAX, TFL_OPTIONS_SOFTMAX, NULL, 0, &in, &bad, x, y, sizeof y),
                 MOTE_ERROR_INVALID_MODEL);
    CHECK(strstr(op_error, "SOFTMAX") != NULL && strstr(op_error, "zero point -128") != NULL);
    const op_tensor bad_log = Q2(MOTE_INT8, 1, 4, 16.0f / 256, 0);
    CHECK_EQ_INT(op_unary(MOTE_OP_LOG_SOFTMAX, TFL_OPTIONS_LOG_SOFTMAX, NULL, 0, &in, &bad_log, x, y, sizeof y),
                 MOTE_ERROR_INVALID_MODEL);
}

/* uint8 LOG_SOFTMAX: a lone logit is log(1) = 0, exactly the zero point 255; four equal
 * logits give log(1/4) = -1.386 = -22.2 steps of 1/16 (within one step of the fixed-point
 * log); a logit 200 steps of 0.1 below is at or under -16 and saturates at 0. */
static void test_uint8_log_softmax(void) {
    const op_tensor in1 = Q2(MOTE_UINT8, 2, 1, 0.1f, 128), out1 = Q2(MOTE_UINT8, 2, 1, 16.0f / 256, 255);
    const uint8_t x1[2] = {0, 200};
    uint8_t y1[2];
    CHECK_OK(op_unary(MOTE_OP_LOG_SOFTMAX, TFL_OPTIONS_LOG_SOFTMAX, NULL, 0, &in1, &out1, x1, y1, sizeof y1));
    CHECK_EQ_INT(y1[0], 255);
    CHECK_EQ_INT(y1[1], 255);
    const op_tensor in = Q2(MOTE_UINT8, 1, 5, 0.1f, 128), out = Q2(MOTE_UINT8, 1, 5, 16.0f / 256, 255);
    const uint8_t x[5] = {210, 210, 210, 210, 10};
    uint8_t y[5];
    CHECK_OK(op_unary(MOTE_OP_LOG_SOFTMAX, TFL_OPTIONS_LOG_SOFTMAX, NULL, 0, &in, &out, x, y, sizeof y));
    for (int i = 0; i < 4; i++) CHECK_NEAR(y[i], 255 - 22.18, 1);
    CHECK_EQ_INT(y[4], 0);
}

TEST_MAIN(test_int8_uniform_rows, test_int8_far_logit_is_zero, test_int8_to_int16, test_int16_uniform,
          test_output_quantization_checked, test_uint8_log_softmax)
