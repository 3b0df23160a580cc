/* test_activation_quant.c — quantized activations on cases the opsuite lacks, expected values
 * worked out from TensorFlow Lite's reference arithmetic: RELU with different input and
 * output quantization, the RELU6 and RELU_N1_TO_1 clamps, LEAKY_RELU's double rounding and
 * negative slopes, LOGISTIC/TANH saturation and their required output scales, HARD_SWISH
 * at its flat ends, ELU, and uint8 PRELU with per-channel negative slopes. */
#include "test_arith_harness.h"

#define Q1(type, n, scale, zp) {type, 1, {n, 0, 0, 0}, scale, zp, NULL, 0}

/* RELU int8, input (0.5, zp -10) onto output (0.25, zp 5): the multiplier 2 is exact, the
 * clamp starts at the output's zero point. */
static void test_relu_requantized(void) {
    const op_tensor in = Q1(MOTE_INT8, 5, 0.5f, -10), out = Q1(MOTE_INT8, 5, 0.25f, 5);
    const int8_t x[5] = {-10, 0, -20, 127, 50};
    int8_t y[5];
    CHECK_OK(op_unary(MOTE_OP_RELU, 0, NULL, 0, &in, &out, x, y, sizeof y));
    CHECK_EQ_INT(y[0], 5);   /* 0.0 */
    CHECK_EQ_INT(y[1], 25);  /* 5.0 */
    CHECK_EQ_INT(y[2], 5);   /* -5.0 -> 0 */
    CHECK_EQ_INT(y[3], 127); /* 68.5 saturates */
    CHECK_EQ_INT(y[4], 125); /* 30.0 */
}

/* RELU6 uint8 tops out at zero point + round(6 / scale); RELU_N1_TO_1 int16 at +-1. */
static void test_relu6_and_relu1_clamps(void) {
    const op_tensor u8 = Q1(MOTE_UINT8, 3, 0.125f, 0);
    const uint8_t x[3] = {100, 30, 0};
    uint8_t y[3];
    CHECK_OK(op_unary(MOTE_OP_RELU6, 0, NULL, 0, &u8, &u8, x, y, sizeof y));
    CHECK_EQ_INT(y[0], 48);
    CHECK_EQ_INT(y[1], 30);
    CHECK_EQ_INT(y[2], 0);
    const op_tensor i16 = Q1(MOTE_INT16, 3, 1.0f / 1024, 0);
    const int16_t a[3] = {-5000, 300, 1025};
    int16_t b[3];
    CHECK_OK(op_unary(MOTE_OP_RELU_N1_TO_1, 0, NULL, 0, &i16, &i16, a, b, sizeof b));
    CHECK_EQ_INT(b[0], -1024);
    CHECK_EQ_INT(b[1], 300);
    CHECK_EQ_INT(b[2], 1024);
}

/* RELU_0_TO_1 clamps to [0, 1]: float as is; int8 (scale 1/100, zp -50) between the zero
 * point and zp + round(1 / scale). */
static void test_relu_0_to_1(void) {
    const op_tensor f = {MOTE_FLOAT32, 1, {4, 0, 0, 0}, 0, 0, NULL, 0};
    const float x[4] = {-2.0f, 0.25f, 1.0f, 7.5f};
    float y[4];
    CHECK_OK(op_unary(MOTE_OP_RELU_0_TO_1, 0, NULL, 0, &f, &f, x, y, sizeof y));
    CHECK(y[0] == 0.0f && y[1] == 0.25f && y[2] == 1.0f && y[3] == 1.0f);
    const op_tensor q = Q1(MOTE_INT8, 4, 0.01f, -50);
    const int8_t a[4] = {-128, -20, 49, 120};
    int8_t b[4];
    CHECK_OK(op_unary(MOTE_OP_RELU_0_TO_1, 0, NULL, 0, &q, &q, a, b, sizeof b));
    CHECK_EQ_INT(b[0], -50);
    CHECK_EQ_INT(b[1], -20);
    CHECK_EQ_INT(b[2], 49);
    CHECK_EQ_INT(b[3], 50);
}

/* LEAKY_RELU int16 (scale 2^-8 both): alpha 0.25 is the multiplier 2^30 with shift -1, so
 * x * alpha rounds twice: -103 -> -51 (half toward +inf) -> -26 (half away from zero). A
 * negative alpha flips the sign. */
static void test_leaky_relu_rounding(void) {
    const op_tensor q = Q1(MOTE_INT16, 3, 1.0f / 256, 0);
    const int16_t x[3] = {-100, -103, 77};
    int16_t y[3];
    mote_option_field alpha = {0, MOTE_FIELD_FLOAT32, 0, 0.25f, NULL, 0, NULL};
    CHECK_OK(op_unary(MOTE_OP_LEAKY_RELU, TFL_OPTIONS_LEAKY_RELU, &alpha, 1, &q, &q, x, y, sizeof y));
    CHECK_EQ_INT(y[0], -25);
    CHECK_EQ_INT(y[1], -26);
    CHECK_EQ_INT(y[2], 77);
    alpha.f = -0.5f;
    CHECK_OK(op_unary(MOTE_OP_LEAKY_RELU, TFL_OPTIONS_LEAKY_RELU, &alpha, 1, &q, &q, x, y, sizeof y));
    CHECK_EQ_INT(y[0], 50);
    CHECK_EQ_INT(y[2], 77);
}

/* LOGISTIC int8: 0 -> 1/2 exactly; +-12.8 saturate; an output scale other than 1/256 is
 * refused. TANH int16 with input scale 2^-12: 0 -> 0, +-8 -> +-32767. */
static void test_logistic_tanh_ends(void) {
    const op_tensor in = Q1(MOTE_INT8, 3, 0.1f, 0), out = Q1(MOTE_INT8, 3, 1.0f / 256, -128);
    const int8_t x[3] = {0, 127, -128};
    int8_t y[3];
    CHECK_OK(op_unary(MOTE_OP_LOGISTIC, 0, NULL, 0, &in, &out, x, y, sizeof y));
    CHECK_EQ_INT(y[0], 0);
    CHECK_EQ_INT(y[1], 127);
    CHECK_EQ_INT(y[2], -128);
    const op_tensor wrong = Q1(MOTE_INT8, 3, 1.0f / 128, -128);
    CHECK_EQ_INT(op_unary(MOTE_OP_LOGISTIC, 0, NULL, 0, &in, &wrong, x, y, sizeof y), MOTE_ERROR_INVALID_MODEL);
    CHECK(strstr(op_error, "LOGISTIC") != NULL && strstr(op_error, "1/256") != NULL);

    const op_tensor in16 = Q1(MOTE_INT16, 3, 1.0f / 4096, 0), out16 = Q1(MOTE_INT16, 3, 1.0f / 32768, 0);
    const int16_t a[3] = {0, 32767, -32768};
    int16_t b[3];
    CHECK_OK(op_unary(MOTE_OP_TANH, 0, NULL, 0, &in16, &out16, a, b, sizeof b));
    CHECK_EQ_INT(b[0], 0);
    CHECK_EQ_INT(b[1], 32767);
    CHECK_EQ_INT(b[2], -32767);
    const op_tensor wrong16 = Q1(MOTE_INT16, 3, 1.0f / 16384, 0);
    CHECK_EQ_INT(op_unary(MOTE_OP_TANH, 0, NULL, 0, &in16, &wrong16, a, b, sizeof b), MOTE_ERROR_INVALID_MODEL);
}

/* HARD_SWISH int8 (scale 0.05): anything at or below -3 is exactly 0, 5.0 stays 5.0 within
 * one step, and the middle follows x (x + 3) / 6 within one step. */
static void test_hard_swish(void) {
    const op_tensor q = Q1(MOTE_INT8, 5, 0.05f, 0);
    const int8_t x[5] = {-128, -60, 100, 20, -20};
    int8_t y[5];
    CHECK_OK(op_unary(MOTE_OP_HARD_SWISH, 0, NULL, 0, &q, &q, x, y, sizeof y));
    CHECK_EQ_INT(y[0], 0);
    CHECK_EQ_INT(y[1], 0);
    CHECK_NEAR(y[2], 100, 1);
    CHECK_NEAR(y[3], 1.0 * 4.0 / 6.0 / 0.05, 1);  /* 1.0 -> 0.667 */
    CHECK_NEAR(y[4], -1.0 * 2.0 / 6.0 / 0.05, 1); /* -1.0 -> -0.333 */
}

/* ELU int8 (table): positive values pass, large negative ones approach -1. */
static void test_elu(void) {
    const op_tensor q = Q1(MOTE_INT8, 3, 0.1f, 0);
    const int8_t x[3] = {50, -128, 0};
    int8_t y[3];
    CHECK_OK(op_unary(MOTE_OP_ELU, 0, NULL, 0, &q, &q, x, y, sizeof y));
    CHECK_EQ_INT(y[0], 50);
    CHECK_EQ_INT(y[1], -10);
    CHECK_EQ_INT(y[2], 0);
}

/* PRELU uint8 [2, 2] with per-channel alpha [2] = {1.0, -2.0} (scale 0.25, zp 128); input
 * and output scale 0.5, zp 128: negative inputs are scaled by their channel's alpha. */
static void test_prelu_uint8_negative_alpha(void) {
    static const uint8_t alpha_q[2] = {132, 120};
    op_tensor t[3] = {{MOTE_UINT8, 2, {2, 2, 0, 0}, 0.5f, 128, NULL, 0},
                      {MOTE_UINT8, 1, {2, 0, 0, 0}, 0.25f, 128, alpha_q, sizeof alpha_q},
                      {MOTE_UINT8, 2, {2, 2, 0, 0}, 0.5f, 128, NULL, 0}};
    const uint8_t x[4] = {120, 120, 140, 100}; /* -4, -4, 6, -14 */
    uint8_t y[4];
    CHECK_OK(op_binary(MOTE_OP_PRELU, 0, NULL, 0, &t[0], &t[1], &t[2], x, NULL, y, sizeof y));
    CHECK_EQ_INT(y[0], 120); /* -4 * 1 */
    CHECK_EQ_INT(y[1], 144); /* -4 * -2 = 8 */
    CHECK_EQ_INT(y[2], 140); /* 6 */
    CHECK_EQ_INT(y[3], 184); /* -14 * -2 = 28 */
}

TEST_MAIN(test_relu_requantized, test_relu6_and_relu1_clamps, test_relu_0_to_1, test_leaky_relu_rounding, test_logistic_tanh_ends,
          test_hard_swish, test_elu, test_prelu_uint8_negative_alpha)
