/* test_fake_quant.c — FAKE_QUANT: the range [-1, 1] on 8 bits is nudged to put 0 on a level
 * (in float, 1 / (2/255) falls just below 127.5, so the zero point is 127 and the range
 * [-127, 128] steps, as TensorFlow Lite computes it); values snap to levels and clamp to the
 * nudged range; narrow_range drops the lowest level; unusable options are refused. */
#include "test_arith_harness.h"

static mote_status fake_quant(float min, float max, int32_t bits, int narrow, const float *x, float *y, int32_t n) {
    mote_option_field f[4] = {{0, MOTE_FIELD_FLOAT32, 0, min, NULL, 0, NULL},
                              {1, MOTE_FIELD_FLOAT32, 0, max, NULL, 0, NULL},
                              {2, MOTE_FIELD_INT32, bits, 0.0f, NULL, 0, NULL},
                              {3, MOTE_FIELD_BOOL, narrow, 0.0f, NULL, 0, NULL}};
    op_tensor a = {MOTE_FLOAT32, 1, {n}, 0, 0, NULL, 0};
    return op_unary(MOTE_OP_FAKE_QUANT, TFL_OPTIONS_FAKE_QUANT, f, 4, &a, &a, x, y, (size_t)n * sizeof *y);
}

static void test_levels_and_clamp(void) {
    const float x[4] = {0.0f, 0.5f, 2.0f, -3.0f};
    float y[4];
    const double step = 2.0 / 255.0;
    CHECK_OK(fake_quant(-1.0f, 1.0f, 8, 0, x, y, 4));
    CHECK_NEAR(y[0], 0.0, 1e-6);
    CHECK_NEAR(y[1], 64 * step, 1e-6);
    CHECK_NEAR(y[2], 128 * step, 1e-6);
    CHECK_NEAR(y[3], -127 * step, 1e-6);
}

/* narrow_range on [0, 254/255 * 2]: levels 1..255, the zero level clamped up to 1. */
static void test_narrow_range(void) {
    const float x[2] = {-1.0f, 0.3f};
    float y[2];
    CHECK_OK(fake_quant(0.0f, 2.0f, 8, 1, x, y, 2));
    const double step = 2.0 / 254.0;
    CHECK_NEAR(y[0], 0.0, 1e-6);
    CHECK_NEAR(y[1], 38 * step, 1e-6); /* 0.3 / step = 38.1 */
}

static void test_bad_range_refused(void) {
    const float x[1] = {0};
    float y[1];
    CHECK_EQ_INT(fake_quant(1.0f, 1.0f, 8, 0, x, y, 1), MOTE_ERROR_INVALID_MODEL);
    CHECK_EQ_INT(fake_quant(-1.0f, 1.0f, 1, 0, x, y, 1), MOTE_ERROR_INVALID_MODEL);
}

TEST_MAIN(test_levels_and_clamp, test_narrow_range, test_bad_range_refused)
