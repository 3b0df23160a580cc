/* test_cast.c — CAST beyond the opsuite: integers wrap (int32 -> int8, int64 -> uint32),
 * floats truncate toward zero, out-of-range floats saturate and NaN gives 0 (where C++'s
 * cast is undefined), float16 in and out, uint64, and non-zero bytes as true. */
#include "test_arith_harness.h"

static mote_status cast(mote_type from, mote_type to, int32_t n, const void *in, void *out, size_t out_bytes) {
    op_tensor a = {from, 1, {n}, 0, 0, NULL, 0}, b = {to, 1, {n}, 0, 0, NULL, 0};
    return op_unary(MOTE_OP_CAST, 0, NULL, 0, &a, &b, in, out, out_bytes);
}

static void test_integer_wrap(void) {
    const int32_t x[3] = {300, -129, 127};
    int8_t y[3];
    CHECK_OK(cast(MOTE_INT32, MOTE_INT8, 3, x, y, sizeof y));
    CHECK(y[0] == 44 && y[1] == 127 && y[2] == 127);
    const int64_t w[2] = {-1, INT64_C(0x100000005)};
    uint32_t u[2];
    CHECK_OK(cast(MOTE_INT64, MOTE_UINT32, 2, w, u, sizeof u));
    CHECK(u[0] == UINT32_MAX && u[1] == 5);
}

static void test_float_to_int(void) {
    const float x[6] = {-2.75f, 2.75f, 1e10f, -1e10f, NAN, -0.5f};
    int32_t y[6];
    CHECK_OK(cast(MOTE_FLOAT32, MOTE_INT32, 6, x, y, sizeof y));
    CHECK(y[0] == -2 && y[1] == 2 && y[2] == INT32_MAX && y[3] == INT32_MIN && y[4] == 0 && y[5] == 0);
    uint8_t u[6];
    CHECK_OK(cast(MOTE_FLOAT32, MOTE_UINT8, 6, x, u, sizeof u));
    CHECK(u[0] == 0 && u[1] == 2 && u[2] == 255 && u[3] == 0 && u[4] == 0 && u[5] == 0);
    const double d[2] = {1e30, 18446744073709549568.0};
    uint64_t v[2];
    CHECK_OK(cast(MOTE_FLOAT64, MOTE_UINT64, 2, d, v, sizeof v));
    CHECK(v[0] == UINT64_MAX && v[1] == UINT64_C(18446744073709549568));
}

/* float16 1.0 (0x3c00) and -2.5 (0xc100); 65520 overflows float16 to infinity. */
static void test_float16(void) {
    const uint16_t h[2] = {0x3c00, 0xc100};
    float f[2];
    CHECK_OK(cast(MOTE_FLOAT16, MOTE_FLOAT32, 2, h, f, sizeof f));
    CHECK(f[0] == 1.0f && f[1] == -2.5f);
    const float g[2] = {0.333251953125f, 65520.0f};
    uint16_t k[2];
    CHECK_OK(cast(MOTE_FLOAT32, MOTE_FLOAT16, 2, g, k, sizeof k));
    CHECK(k[0] == 0x3555 && k[1] == 0x7c00);
}

/* int64 2^53 + 1 rounds once to float (2^53), not through double first. */
static void test_int64_to_float(void) {
    const int64_t x[1] = {(INT64_C(1) << 53) + 1};
    float y[1];
    double z[1];
    CHECK_OK(cast(MOTE_INT64, MOTE_FLOAT32, 1, x, y, sizeof y));
    CHECK(y[0] == 9007199254740992.0f);
    CHECK_OK(cast(MOTE_INT64, MOTE_FLOAT64, 1, x, z, sizeof z));
    CHECK(z[0] == 9007199254740992.0);
}

static void test_bool(void) {
    const uint8_t b[3] = {0, 1, 7};
    int16_t y[3];
    CHECK_OK(cast(MOTE_BOOL, MOTE_INT16, 3, b, y, sizeof y));
    CHECK(y[0] == 0 && y[1] == 1 && y[2] == 1);
    const float f[3] = {0.0f, -0.0f, NAN};
    uint8_t z[3];
    CHECK_OK(cast(MOTE_FLOAT32, MOTE_BOOL, 3, f, z, sizeof z));
    CHECK(z[0] == 0 && z[1] == 0 && z[2] == 1);
}

TEST_MAIN(test_integer_wrap, test_float_to_int, test_float16, test_int64_to_float, test_bool)
