/* test_bitwise.c — BITWISE_XOR, RIGHT_SHIFT (arithmetic for signed values, the shift clamped
 * into [0, bits - 1] as TensorFlow Lite does) and ATAN2, with broadcasting. */
#include "test_arith_harness.h"

static void test_xor(void) {
    const uint16_t x[3] = {0xffff, 0x00f0, 0x1234}, y[1] = {0x0ff0};
    op_tensor a = {MOTE_UINT16, 1, {3}, 0, 0, NULL, 0}, b = {MOTE_UINT16, 1, {1}, 0, 0, NULL, 0};
    uint16_t z[3];
    CHECK_OK(op_binary(MOTE_OP_BITWISE_XOR, 0, NULL, 0, &a, &b, &a, x, y, z, sizeof z));
    CHECK(z[0] == 0xf00f && z[1] == 0x0f00 && z[2] == 0x1dc4);
}

static void test_right_shift(void) {
    const int8_t x[4] = {-128, -7, 100, 64}, y[4] = {3, 1, -2, 9};
    op_tensor a = {MOTE_INT8, 1, {4}, 0, 0, NULL, 0};
    int8_t z[4];
    CHECK_OK(op_binary(MOTE_OP_RIGHT_SHIFT, 0, NULL, 0, &a, &a, &a, x, y, z, sizeof z));
    CHECK(z[0] == -16 && z[1] == -4 && z[2] == 100 && z[3] == 0);
    const uint32_t u[2] = {0x80000000u, 0xffffffffu}, s[2] = {31, 40};
    op_tensor b = {MOTE_UINT32, 1, {2}, 0, 0, NULL, 0};
    uint32_t w[2];
    CHECK_OK(op_binary(MOTE_OP_RIGHT_SHIFT, 0, NULL, 0, &b, &b, &b, u, s, w, sizeof w));
    CHECK(w[0] == 1 && w[1] == 1);
}

/* atan2(y, x) for the four quadrants, x broadcast from [1]. */
static void test_atan2(void) {
    const float y[4] = {1, 1, -1, 0}, x[1] = {-1};
    op_tensor a = {MOTE_FLOAT32, 1, {4}, 0, 0, NULL, 0}, b = {MOTE_FLOAT32, 1, {1}, 0, 0, NULL, 0};
    float z[4];
    CHECK_OK(op_binary(MOTE_OP_ATAN2, 0, NULL, 0, &a, &b, &a, y, x, z, sizeof z));
    CHECK_NEAR(z[0], 2.35619449, 1e-6);
    CHECK_NEAR(z[2], -2.35619449, 1e-6);
    CHECK_NEAR(z[3], 3.14159265, 1e-6);
}

TEST_MAIN(test_xor, test_right_shift, test_atan2)
