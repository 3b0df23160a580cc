/* test_arith_quant.c — elementwise binary ops on cases the opsuite lacks, with expected
 * values worked out by hand from TensorFlow Lite's reference arithmetic: the int16
 * power-of-two ADD/SUB path (rounding and saturation), plain int32/int64 wrap-around and
 * clamps, integer DIV/FLOOR_DIV/FLOOR_MOD/POW edge cases and their run-time errors, uint8
 * DIV with a negative divisor, exact int16 MUL and int8 SQUARED_DIFFERENCE, raw MAXIMUM. */
#include "test_arith_harness.h"

#define T1(type, n) {type, 1, {n, 0, 0, 0}, 0.0f, 0, NULL, 0}
#define Q1(type, n, scale, zp) {type, 1, {n, 0, 0, 0}, scale, zp, NULL, 0}

/* int16 ADD/SUB with power-of-two scales and zero points 0 (pot_scale_int16 defaults to
 * true): input 1 (scale 2^-12) is shifted right 2 bits onto the output's 2^-10, rounding
 * halves away from zero, then added with int16 saturation. */
static void test_int16_pot_add_sub(void) {
    const op_tensor a = Q1(MOTE_INT16, 4, 1.0f / 1024, 0), b = Q1(MOTE_INT16, 4, 1.0f / 4096, 0),
                    out = Q1(MOTE_INT16, 4, 1.0f / 1024, 0);
    const int16_t x[4] = {1000, 1000, 32767, -32768}, y[4] = {1002, -1002, 4, -6};
    int16_t z[4];
    CHECK_OK(op_binary(MOTE_OP_ADD, TFL_OPTIONS_ADD, NULL, 0, &a, &b, &out, x, y, z, sizeof z));
    /* 1002 / 4 = 250.5 -> 251, -250.5 -> -251, 1, -1.5 -> -2 */
    CHECK_EQ_INT(z[0], 1251);
    CHECK_EQ_INT(z[1], 749);
    CHECK_EQ_INT(z[2], 32767);
    CHECK_EQ_INT(z[3], -32768);
    CHECK_OK(op_binary(MOTE_OP_SUB, TFL_OPTIONS_SUB, NULL, 0, &a, &b, &out, x, y, z, sizeof z));
    CHECK_EQ_INT(z[0], 749);
    CHECK_EQ_INT(z[1], 1251);
    CHECK_EQ_INT(z[2], 32766);
    CHECK_EQ_INT(z[3], -32766);
    /* A fused RELU clamps at the output's zero point. */
    mote_option_field relu = opt_activation(1);
    const int16_t x2[4] = {-100, 50, 0, -4}, y2[4] = {0, -400, 3, 8};
    CHECK_OK(op_binary(MOTE_OP_ADD, TFL_OPTIONS_ADD, &relu, 1, &a, &b, &out, x2, y2, z, sizeof z));
    CHECK_EQ_INT(z[0], 0);
    CHECK_EQ_INT(z[1], 0);
    CHECK_EQ_INT(z[2], 1); /* 0.75 -> 1 */
    CHECK_EQ_INT(z[3], 0); /* -4 + 8 / 4 = -2 -> 0 */
}

/* Plain int32 and int64: wrap-around as TensorFlow Lite computes in practice, then the
 * fused activation's clamp. */
static void test_int32_int64_wrap_and_clamp(void) {
    const op_tensor a = T1(MOTE_INT32, 3), b = T1(MOTE_INT32, 3), out = T1(MOTE_INT32, 3);
    const int32_t x[3] = {INT32_MAX, 65536, -3}, y[3] = {1, 65536, 1};
    int32_t z[3];
    CHECK_OK(op_binary(MOTE_OP_ADD, TFL_OPTIONS_ADD, NULL, 0, &a, &b, &out, x, y, z, sizeof z));
    CHECK_EQ_INT(z[0], INT32_MIN);
    CHECK_EQ_INT(z[2], -2);
    CHECK_OK(op_binary(MOTE_OP_MUL, TFL_OPTIONS_MUL, NULL, 0, &a, &b, &out, x, y, z, sizeof z));
    CHECK_EQ_INT(z[1], 0); /* 2^32 wraps to 0 */
    mote_option_field relu6 = opt_activation(3);
    const int32_t x6[3] = {3, -3, 100}, y6[3] = {5, 1, -98};
    CHECK_OK(op_binary(MOTE_OP_ADD, TFL_OPTIONS_ADD, &relu6, 1, &a, &b, &out, x6, y6, z, sizeof z));
    CHECK_EQ_INT(z[0], 6);
    CHECK_EQ_INT(z[1], 0);
    CHECK_EQ_INT(z[2], 2);
    const op_tensor a64 = T1(MOTE_INT64, 1), b64 = T1(MOTE_INT64, 1), out64 = T1(MOTE_INT64, 1);
    const int64_t p = INT64_MIN, q = 1;
    int64_t r;
    CHECK_OK(op_binary(MOTE_OP_SUB, TFL_OPTIONS_SUB, NULL, 0, &a64, &b64, &out64, &p, &q, &r, sizeof r));
    CHECK_EQ_INT(r, INT64_MAX);
}

/* int32 DIV truncates; MIN / -1 wraps to MIN; a zero divisor fails the invoke. */
static void test_int32_div(void) {
    const op_tensor a = T1(MOTE_INT32, 3), b = T1(MOTE_INT32, 3), out = T1(MOTE_INT32, 3);
    const int32_t x[3] = {INT32_MIN, 7, -7}, y[3] = {-1, -2, 2};
    int32_t z[3];
    CHECK_OK(op_binary(MOTE_OP_DIV, TFL_OPTIONS_DIV, NULL, 0, &a, &b, &out, x, y, z, sizeof z));
    CHECK_EQ_INT(z[0], INT32_MIN);
    CHECK_EQ_INT(z[1], -3);
    CHECK_EQ_INT(z[2], -3);
    const int32_t zero[3] = {1, 0, 1};
    CHECK_EQ_INT(op_binary(MOTE_OP_DIV, TFL_OPTIONS_DIV, NULL, 0, &a, &b, &out, x, zero, z, sizeof z),
                 MOTE_ERROR_RUNTIME);
    CHECK(strstr(op_error, "division by zero") != NULL);
}

/* uint8 DIV: the divisor's sign moves to the dividend before the fixed-point reciprocal.
 * Scales 1 and zero points 0, 128, 128: 100 / (124 - 128) = -25 -> 103. */
static void test_uint8_div_negative_divisor(void) {
    const op_tensor a = Q1(MOTE_UINT8, 3, 1.0f, 0), b = Q1(MOTE_UINT8, 3, 1.0f, 128),
                    out = Q1(MOTE_UINT8, 3, 1.0f, 128);
    const uint8_t x[3] = {100, 0, 200}, y[3] = {124, 120, 136};
    uint8_t z[3];
    CHECK_OK(op_binary(MOTE_OP_DIV, TFL_OPTIONS_DIV, NULL, 0, &a, &b, &out, x, y, z, sizeof z));
    CHECK_EQ_INT(z[0], 103);
    CHECK_EQ_INT(z[1], 128);
    CHECK_EQ_INT(z[2], 153); /* 200 / 8 = 25 */
}

/* FLOOR_DIV rounds toward -inf, FLOOR_MOD takes the divisor's sign; MIN mod -1 is 0. */
static void test_floor_div_mod(void) {
    const op_tensor a = T1(MOTE_INT32, 4), b = T1(MOTE_INT32, 4), out = T1(MOTE_INT32, 4);
    const int32_t x[4] = {-7, 7, 7, INT32_MIN}, y[4] = {2, -2, 2, -1};
    int32_t z[4];
    CHECK_OK(op_binary(MOTE_OP_FLOOR_DIV, 0, NULL, 0, &a, &b, &out, x, y, z, sizeof z));
    CHECK_EQ_INT(z[0], -4);
    CHECK_EQ_INT(z[1], -4);
    CHECK_EQ_INT(z[2], 3);
    CHECK_EQ_INT(z[3], INT32_MIN); /* 2^31 wraps */
    CHECK_OK(op_binary(MOTE_OP_FLOOR_MOD, 0, NULL, 0, &a, &b, &out, x, y, z, sizeof z));
    CHECK_EQ_INT(z[0], 1);
    CHECK_EQ_INT(z[1], -1);
    CHECK_EQ_INT(z[2], 1);
    CHECK_EQ_INT(z[3], 0);
    const int32_t zero[4] = {1, 1, 0, 1};
    CHECK_EQ_INT(op_binary(MOTE_OP_FLOOR_MOD, 0, NULL, 0, &a, &b, &out, x, zero, z, sizeof z), MOTE_ERROR_RUNTIME);
    const op_tensor f = T1(MOTE_FLOAT32, 2);
    const float fx[2] = {-7.5f, 7.5f}, fy[2] = {2.0f, -2.0f};
    float fz[2];
    CHECK_OK(op_binary(MOTE_OP_FLOOR_MOD, 0, NULL, 0, &f, &f, &f, fx, fy, fz, sizeof fz));
    CHECK_NEAR(fz[0], 0.5, 0);
    CHECK_NEAR(fz[1], -0.5, 0);
}

/* int32 POW goes through pow() in double; negative exponents are refused at run time. */
static void test_int32_pow(void) {
    const op_tensor a = T1(MOTE_INT32, 4), b = T1(MOTE_INT32, 4), out = T1(MOTE_INT32, 4);
    const int32_t x[4] = {2, -3, 5, 2}, y[4] = {10, 3, 0, 31};
    int32_t z[4];
    CHECK_OK(op_binary(MOTE_OP_POW, 0, NULL, 0, &a, &b, &out, x, y, z, sizeof z));
    CHECK_EQ_INT(z[0], 1024);
    CHECK_EQ_INT(z[1], -27);
    CHECK_EQ_INT(z[2], 1);
    CHECK_EQ_INT(z[3], INT32_MIN); /* 2^31 does not fit */
    const int32_t neg[4] = {1, 1, -1, 1};
    CHECK_EQ_INT(op_binary(MOTE_OP_POW, 0, NULL, 0, &a, &b, &out, x, neg, z, sizeof z), MOTE_ERROR_RUNTIME);
}

/* int16 MUL: (x y) * 2^-8 exactly representable; the product saturates at int16. */
static void test_int16_mul(void) {
    const op_tensor q = Q1(MOTE_INT16, 2, 1.0f / 256, 0);
    const int16_t x[2] = {512, 32767}, y[2] = {384, 32767};
    int16_t z[2];
    CHECK_OK(op_binary(MOTE_OP_MUL, TFL_OPTIONS_MUL, NULL, 0, &q, &q, &q, x, y, z, sizeof z));
    CHECK_EQ_INT(z[0], 768); /* 2.0 * 1.5 = 3.0 */
    CHECK_EQ_INT(z[1], 32767);
}

/* int8 SQUARED_DIFFERENCE with unit scales: 7-bit left shift, both inputs halved onto
 * twice the larger scale, the square brought back by 2^-12: exact, then saturated. */
static void test_int8_squared_difference(void) {
    const op_tensor q = Q1(MOTE_INT8, 3, 1.0f, 0);
    const int8_t x[3] = {3, 10, -4}, y[3] = {-2, -10, -4};
    int8_t z[3];
    CHECK_OK(op_binary(MOTE_OP_SQUARED_DIFFERENCE, 0, NULL, 0, &q, &q, &q, x, y, z, sizeof z));
    CHECK_EQ_INT(z[0], 25);
    CHECK_EQ_INT(z[1], 127);
    CHECK_EQ_INT(z[2], 0);
}

/* MAXIMUM compares raw values (int16, broadcast [2, 2] against [2]). */
static void test_int16_maximum_broadcast(void) {
    const op_tensor a = {MOTE_INT16, 2, {2, 2, 0, 0}, 0.0f, 0, NULL, 0}, b = T1(MOTE_INT16, 2),
                    out = {MOTE_INT16, 2, {2, 2, 0, 0}, 0.0f, 0, NULL, 0};
    const int16_t x[4] = {-5, 7, 100, -32768}, y[2] = {0, 8};
    int16_t z[4];
    CHECK_OK(op_binary(MOTE_OP_MAXIMUM, TFL_OPTIONS_MAXIMUM_MINIMUM, NULL, 0, &a, &b, &out, x, y, z, sizeof z));
    CHECK_EQ_INT(z[0], 0);
    CHECK_EQ_INT(z[1], 8);
    CHECK_EQ_INT(z[2], 100);
    CHECK_EQ_INT(z[3], 8);
}

/* Quantization a kernel cannot use is refused at allocate, naming the tensor. */
static void test_bad_quantization_refused(void) {
    const op_tensor a = Q1(MOTE_INT8, 2, 0.5f, 200), b = Q1(MOTE_INT8, 2, 0.5f, 0), out = Q1(MOTE_INT8, 2, 0.5f, 0);
    const int8_t x[2] = {0, 0};
    int8_t z[2];
    CHECK_EQ_INT(op_binary(MOTE_OP_ADD, TFL_OPTIONS_ADD, NULL, 0, &a, &b, &out, x, x, z, sizeof z),
                 MOTE_ERROR_INVALID_MODEL);
    CHECK(strstr(op_error, "ADD") != NULL && strstr(op_error, "zero point 200") != NULL);
    const op_tensor unscaled = Q1(MOTE_INT8, 2, 0.0f, 0);
    CHECK_EQ_INT(op_binary(MOTE_OP_MUL, TFL_OPTIONS_MUL, NULL, 0, &unscaled, &b, &out, x, x, z, sizeof z),
                 MOTE_ERROR_INVALID_MODEL);
}

TEST_MAIN(test_int16_pot_add_sub, test_int32_int64_wrap_and_clamp, test_int32_div, test_uint8_div_negative_divisor,
          test_floor_div_mod, test_int32_pow, test_int16_mul, test_int8_squared_difference,
          test_int16_maximum_broadcast, test_bad_quantization_refused)
