#include <math.h>
/* test_quant.c — TensorFlow Lite's integer quantization arithmetic (quant.h,
 * quant_fixed_point.h, quant_lut.h): values worked out by hand from the definitions, edge
 * cases, accuracy against double-precision math, and seeded random comparisons with an exact
 * wide-integer model of the same rounding rules. */
#include "kernels/quant.h"
#include "kernels/quant_fixed_point.h"
#include "kernels/quant_lut.h"
#include "test.h"

/* The model computes with integers wider than any intermediate value. */
#if defined(__SIZEOF_INT128__)
typedef __int128 wide;
#else
typedef int64_t wide; /* every intermediate below fits 63 bits as well */
#endif

static const double Q31 = 2147483648.0;

/* ---- a seeded generator ---- */

static uint64_t rng_state = 0x9E3779B97F4A7C15u;
static uint64_t rng_next(void) {
    uint64_t x = rng_state;
    x ^= x >> 12, x ^= x << 25, x ^= x >> 27;
    rng_state = x;
    return x * 0x2545F4914F6CDD1Du;
}
static int32_t rng_i32(void) { return (int32_t)(uint32_t)(rng_next() >> 32); }
static int32_t rng_range(int32_t lo, int32_t hi) {
    return lo + (int32_t)(rng_next() % (uint64_t)((int64_t)hi - lo + 1));
}

/* ---- an independent model of the rounding rules ---- */

static wide floor_div(wide a, wide d) { return a >= 0 ? a / d : -((-a + d - 1) / d); }
static int32_t wrap32(wide v) {
    wide m = floor_div(v, (wide)1 << 32);
    v -= m * ((wide)1 << 32); /* now in [0, 2^32) */
    return (int32_t)(v >= ((wide)1 << 31) ? v - ((wide)1 << 32) : v);
}
/* round(a * b / 2^31), halves toward +infinity, +1.0 saturated. */
static int32_t model_srdhm(int32_t a, int32_t b) {
    wide h = floor_div((wide)a * b + ((wide)1 << 30), (wide)1 << 31);
    return h > INT32_MAX ? INT32_MAX : (int32_t)h;
}
/* round(x / 2^e), halves away from zero: the magnitude rounded half up is its integer part
 * plus the first bit below the point. */
static wide model_rdbpot(int64_t x, int e) {
    if (e == 0) return x;
    uint64_t a = x < 0 ? 0 - (uint64_t)x : (uint64_t)x;
    wide r = (wide)((a >> e) + ((a >> (e - 1)) & 1));
    return x < 0 ? -r : r;
}
static int32_t model_mbqm(int32_t x, int32_t m, int shift) {
    int left = shift > 0 ? shift : 0, right = shift > 0 ? 0 : -shift;
    int32_t xs = wrap32((wide)x * ((wide)1 << left));
    return (int32_t)model_rdbpot(model_srdhm(xs, m), right);
}
static int32_t model_mbqm_i64(int64_t x, int32_t m, int shift) {
    wide reduced = m < 0x7FFF0000 ? floor_div((wide)m + (1 << 15), 1 << 16) : 0x7FFF;
    int total = 15 - shift;
    return wrap32(floor_div((wide)x * reduced + ((wide)1 << (total - 1)), (wide)1 << total));
}

/* ---- two's-complement helpers ---- */

static void test_wrap_helpers(void) {
    CHECK_EQ_INT(quant_wrap_i32(INT64_C(0x80000000)), INT32_MIN);
    CHECK_EQ_INT(quant_wrap_i32(INT64_C(0x1FFFFFFFF)), -1);
    CHECK_EQ_INT(quant_wrap_i32(-INT64_C(0x80000001)), INT32_MAX);
    CHECK_EQ_INT(quant_wrap_i16(32768), INT16_MIN);
    CHECK_EQ_INT(quant_wrap_i16(-32769), INT16_MAX);
    CHECK_EQ_INT(quant_wrap_add_i32(INT32_MAX, 1), INT32_MIN);
    CHECK_EQ_INT(quant_wrap_neg_i32(INT32_MIN), INT32_MIN);
    CHECK_EQ_INT(quant_wrap_shl_i32(1 << 30, 1), INT32_MIN);
    CHECK_EQ_INT(quant_wrap_shl_i32(3, 31), INT32_MIN);
    CHECK_EQ_INT(quant_wrap_shl_i32(-1, 4), -16);
    CHECK_EQ_INT(quant_clz32(0), 32);
    CHECK_EQ_INT(quant_clz32(1), 31);
    CHECK_EQ_INT(quant_clz32(0x80000000u), 0);
    CHECK_EQ_INT(quant_clz32(3u << 19), 11);
    CHECK_EQ_INT(quant_sat_add_i32(INT32_MAX, 1), INT32_MAX);
    CHECK_EQ_INT(quant_sat_sub_i32(INT32_MIN, 1), INT32_MIN);
    CHECK_EQ_INT(quant_sat_add_i16(30000, 30000), INT16_MAX);
    CHECK_EQ_INT(quant_sat_sub_i16(-30000, 30000), INT16_MIN);
    CHECK_EQ_INT(quant_sat_sub_i16(5, 7), -2);
    /* (a + b) / 2, halves away from zero; no overflow at the extremes. */
    CHECK_EQ_INT(quant_rounding_half_sum_i32(1, 2), 2);
    CHECK_EQ_INT(quant_rounding_half_sum_i32(-1, -2), -2);
    CHECK_EQ_INT(quant_rounding_half_sum_i32(INT32_MAX, INT32_MAX), INT32_MAX);
    CHECK_EQ_INT(quant_rounding_half_sum_i32(INT32_MIN, INT32_MIN), INT32_MIN);
    CHECK_EQ_INT(quant_rounding_half_sum_i16(INT16_MAX, 0), 16384);
}

/* ---- deriving multipliers ---- */

static void check_qm(double real, int32_t want_m, int want_shift) {
    int32_t m = -7;
    int shift = -7;
    CHECK(quant_quantize_multiplier(real, &m, &shift));
    if (m != want_m || shift != want_shift)
        fprintf(stderr, "  quantize_multiplier(%.17g) = (%d, %d), expected (%d, %d)\n", real, m, shift,
                want_m, want_shift);
    CHECK_EQ_INT(m, want_m);
    CHECK_EQ_INT(shift, want_shift);
}

static void test_quantize_multiplier(void) {
    check_qm(1.0, 1 << 30, 1); /* 0.5 * 2^1 */
    check_qm(0.5, 1 << 30, 0);
    check_qm(0.75, 1610612736, 0); /* 0.75 * 2^31 */
    check_qm(3.0, 1610612736, 2);  /* 0.75 * 2^2 */
    check_qm(2.0, 1 << 30, 2);
    check_qm(1.0 / 3.0, 1431655765, -1); /* (2/3) 2^31 = 1431655765.33 */
    check_qm(0.0, 0, 0);
    check_qm(-0.0, 0, 0);
    /* q * 2^31 rounds up to 2^31: becomes 2^30 with one more shift. */
    check_qm(1.0 - ldexp(1.0, -33), 1 << 30, 1);   /* 2^31 - 0.25 rounds to 2^31 */
    check_qm(1.0 - ldexp(1.0, -32), 1 << 30, 1);   /* 2^31 - 0.5: the half rounds away */
    check_qm(1.0 - ldexp(1.0, -31), INT32_MAX, 0); /* 2^31 - 1 stays */
    check_qm(0.5 - ldexp(1.0, -34), 1 << 30, 0);   /* same edge one octave down */
    /* Tiny multipliers: shift -31 is kept, anything smaller flushes to zero. */
    check_qm(ldexp(1.0, -32), 1 << 30, -31);
    check_qm(ldexp(1.0, -33), 0, 0);
    check_qm(ldexp(0.75, -33), 0, 0);
    check_qm(4.9406564584124654e-324, 0, 0); /* the smallest subnormal */
    /* Large multipliers keep their exponent. */
    check_qm(ldexp(1.0, 40), 1 << 30, 41);
    check_qm(1e10, 1250000000, 34); /* 1e10 / 2^34 = 0.582076609; * 2^31 = 1250000000 exactly */
    /* Negative multipliers (TensorFlow Lite allows them in QuantizeMultiplier). */
    check_qm(-0.5, -(1 << 30), 0);
    check_qm(-1.0, -(1 << 30), 1);
    check_qm(-(1.0 - ldexp(1.0, -32)), INT32_MIN, 0); /* -2^31 is only special when positive */

    int32_t m;
    int shift;
    CHECK(!quant_quantize_multiplier(NAN, &m, &shift));
    CHECK(!quant_quantize_multiplier(INFINITY, &m, &shift));
    CHECK_EQ_INT(m, 0);
    CHECK_EQ_INT(shift, 0);

    CHECK(quant_quantize_multiplier_greater_than_one(1.5, &m, &shift));
    CHECK_EQ_INT(m, 1610612736);
    CHECK_EQ_INT(shift, 1);
    CHECK(!quant_quantize_multiplier_greater_than_one(1.0, &m, &shift));
    CHECK(!quant_quantize_multiplier_greater_than_one(0.5, &m, &shift));
    CHECK(quant_quantize_multiplier_smaller_than_one_exp(0.25, &m, &shift));
    CHECK_EQ_INT(m, 1 << 30);
    CHECK_EQ_INT(shift, -1);
    CHECK(quant_quantize_multiplier_smaller_than_one_exp(0.5, &m, &shift));
    CHECK_EQ_INT(shift, 0);
    CHECK(!quant_quantize_multiplier_smaller_than_one_exp(1.0, &m, &shift));
    CHECK(!quant_quantize_multiplier_smaller_than_one_exp(0.0, &m, &shift));
    CHECK(!quant_quantize_multiplier_smaller_than_one_exp(-0.25, &m, &shift));
    /* Just below one rounds up to 2^31 and leaves the range: TensorFlow Lite's check fails. */
    CHECK(!quant_quantize_multiplier_smaller_than_one_exp(1.0 - ldexp(1.0, -33), &m, &shift));
}

static void test_conv_multipliers(void) {
    /* Per-channel: scales widened to double before multiplying. */
    float in = 0.1f, out = 0.7f;
    float filters[3] = {0.3f, 0.0f, 1e-3f};
    CHECK(quant_conv_channel_multiplier(in, filters[0], out) ==
          (double)in * (double)filters[0] / (double)out);
    /* Per-tensor: the product rounded to float first. For these scales the two differ. */
    float prod = in * filters[0];
    CHECK(quant_conv_tensor_multiplier(in, filters[0], out) == (double)prod / (double)out);
    CHECK(quant_conv_tensor_multiplier(in, filters[0], out) !=
          quant_conv_channel_multiplier(in, filters[0], out));

    int32_t mults[3], shifts[3];
    CHECK(quant_conv_channel_multipliers(in, filters, 3, out, mults, shifts));
    for (int c = 0; c < 3; c++) {
        int32_t m;
        int s;
        quant_quantize_multiplier((double)in * (double)filters[c] / (double)out, &m, &s);
        CHECK_EQ_INT(mults[c], m);
        CHECK_EQ_INT(shifts[c], s);
    }
    CHECK_EQ_INT(mults[1], 0); /* a zero filter scale gives a zero multiplier */
    CHECK_EQ_INT(shifts[1], 0);

    CHECK_EQ_INT(quant_downscale_multiplier_to_i16(1 << 30), 1 << 14);
    CHECK_EQ_INT(quant_downscale_multiplier_to_i16(0x40008000), 0x4001); /* the half rounds up */
    CHECK_EQ_INT(quant_downscale_multiplier_to_i16(0x40007FFF), 0x4000);
    CHECK_EQ_INT(quant_downscale_multiplier_to_i16(INT32_MAX - (1 << 15)), INT16_MAX);
}

/* ---- primitives ---- */

static void test_srdhm(void) {
    CHECK_EQ_INT(quant_srdhm_i32(INT32_MIN, INT32_MIN), INT32_MAX);  /* -1 * -1 saturates */
    CHECK_EQ_INT(quant_srdhm_i32(INT32_MIN, INT32_MAX), -INT32_MAX); /* -(1 - 2^-31) */
    CHECK_EQ_INT(quant_srdhm_i32(INT32_MAX, INT32_MAX), 2147483646); /* (2^31-1)^2 / 2^31 = 2^31 - 2 + tiny */
    CHECK_EQ_INT(quant_srdhm_i32(1 << 30, 1 << 30), 1 << 29);        /* 0.5 * 0.5 */
    CHECK_EQ_INT(quant_srdhm_i32(-(1 << 30), 1 << 30), -(1 << 29));
    CHECK_EQ_INT(quant_srdhm_i32(0, INT32_MIN), 0);
    /* Halves round toward +infinity: 0.5 -> 1, -0.5 -> 0, 1.5 -> 2, -1.5 -> -1. */
    CHECK_EQ_INT(quant_srdhm_i32(1 << 15, 1 << 15), 1);
    CHECK_EQ_INT(quant_srdhm_i32(-(1 << 15), 1 << 15), 0);
    CHECK_EQ_INT(quant_srdhm_i32(3 << 15, 1 << 15), 2);
    CHECK_EQ_INT(quant_srdhm_i32(-(3 << 15), 1 << 15), -1);
    CHECK_EQ_INT(quant_srdhm_i32(-(3 << 15) - 1, 1 << 15), -2); /* just below the half */

    CHECK_EQ_INT(quant_srdhm_i16(INT16_MIN, INT16_MIN), INT16_MAX);
    CHECK_EQ_INT(quant_srdhm_i16(1 << 14, 1 << 14), 1 << 13);
    CHECK_EQ_INT(quant_srdhm_i16(1 << 7, 1 << 7), 1);
    CHECK_EQ_INT(quant_srdhm_i16(-(1 << 7), 1 << 7), 0);
    CHECK_EQ_INT(quant_srdhm_i16(INT16_MIN, INT16_MAX), -INT16_MAX);

    for (int i = 0; i < 200000; i++) {
        int32_t a = rng_i32(), b = rng_i32();
        if (i % 4 == 0) a >>= rng_range(0, 30); /* also small magnitudes */
        if (quant_srdhm_i32(a, b) != model_srdhm(a, b)) {
            CHECK_EQ_INT(quant_srdhm_i32(a, b), model_srdhm(a, b));
            break;
        }
    }
}

static void test_rdbpot(void) {
    /* Halves away from zero. */
    CHECK_EQ_INT(quant_rdbpot_i32(5, 1), 3);
    CHECK_EQ_INT(quant_rdbpot_i32(-5, 1), -3);
    CHECK_EQ_INT(quant_rdbpot_i32(1, 1), 1);
    CHECK_EQ_INT(quant_rdbpot_i32(-1, 1), -1);
    CHECK_EQ_INT(quant_rdbpot_i32(6, 2), 2); /* 1.5 */
    CHECK_EQ_INT(quant_rdbpot_i32(-6, 2), -2);
    CHECK_EQ_INT(quant_rdbpot_i32(7, 2), 2); /* 1.75 */
    CHECK_EQ_INT(quant_rdbpot_i32(-7, 2), -2);
    CHECK_EQ_INT(quant_rdbpot_i32(5, 2), 1); /* 1.25 */
    CHECK_EQ_INT(quant_rdbpot_i32(-5, 2), -1);
    CHECK_EQ_INT(quant_rdbpot_i32(-2, 2), -1); /* -0.5 */
    CHECK_EQ_INT(quant_rdbpot_i32(2, 2), 1);
    /* Exponent 0 is the identity, at the extremes too. */
    CHECK_EQ_INT(quant_rdbpot_i32(INT32_MIN, 0), INT32_MIN);
    CHECK_EQ_INT(quant_rdbpot_i32(INT32_MAX, 0), INT32_MAX);
    CHECK_EQ_INT(quant_rdbpot_i32(-3, 0), -3);
    /* Exponent 31. */
    CHECK_EQ_INT(quant_rdbpot_i32(INT32_MAX, 31), 1);
    CHECK_EQ_INT(quant_rdbpot_i32(INT32_MIN, 31), -1);
    CHECK_EQ_INT(quant_rdbpot_i32(1 << 30, 31), 1);
    CHECK_EQ_INT(quant_rdbpot_i32(-(1 << 30), 31), -1);
    CHECK_EQ_INT(quant_rdbpot_i32((1 << 30) - 1, 31), 0);
    CHECK_EQ_INT(quant_rdbpot_i32(-(1 << 30) + 1, 31), 0);
    /* 64 bits. */
    CHECK_EQ_INT(quant_rdbpot_i64(-5, 1), -3);
    CHECK_EQ_INT(quant_rdbpot_i64(INT64_C(3) << 40, 41), 2);
    CHECK_EQ_INT(quant_rdbpot_i64(-(INT64_C(3) << 40), 41), -2);
    CHECK_EQ_INT(quant_rdbpot_i64(INT64_MIN, 63), -1);
    CHECK_EQ_INT(quant_rdbpot_i64(INT64_C(1) << 62, 63), 1);
    CHECK_EQ_INT(quant_rdbpot_i64(-(INT64_C(1) << 62), 63), -1);
    CHECK_EQ_INT(quant_rdbpot_i64(INT64_MAX, 0), INT64_MAX);

    for (int i = 0; i < 200000; i++) {
        int32_t x = rng_i32();
        int e = rng_range(0, 31);
        if (quant_rdbpot_i32(x, e) != model_rdbpot(x, e)) {
            fprintf(stderr, "  rdbpot(%d, %d)\n", x, e);
            CHECK_EQ_INT(quant_rdbpot_i32(x, e), (int64_t)model_rdbpot(x, e));
            break;
        }
        int64_t y = (int64_t)rng_next();
        int e64 = rng_range(0, 62);
        if (quant_rdbpot_i64(y, e64) != (int64_t)model_rdbpot(y, e64)) {
            fprintf(stderr, "  rdbpot_i64(%lld, %d)\n", (long long)y, e64);
            CHECK(0);
            break;
        }
    }

    CHECK_EQ_INT(quant_sat_round_mul_pot_i32(1 << 29, 1), 1 << 30);
    CHECK_EQ_INT(quant_sat_round_mul_pot_i32(1 << 30, 1), INT32_MAX);
    CHECK_EQ_INT(quant_sat_round_mul_pot_i32(-(1 << 30), 1), INT32_MIN);
    CHECK_EQ_INT(quant_sat_round_mul_pot_i32(-(1 << 30) + 1, 1), -(INT32_MAX - 1));
    CHECK_EQ_INT(quant_sat_round_mul_pot_i32(-3, 2), -12);
    CHECK_EQ_INT(quant_sat_round_mul_pot_i32(5, -1), 3);
    CHECK_EQ_INT(quant_sat_round_mul_pot_i32(7, 0), 7);
    CHECK_EQ_INT(quant_sat_round_mul_pot_i32(1, 31), INT32_MAX);
    CHECK_EQ_INT(quant_sat_round_mul_pot_i32(-1, 31), INT32_MIN);
    CHECK_EQ_INT(quant_sat_round_mul_pot_i32(0, 31), 0);
}

/* ---- multiplying by quantized multipliers ---- */

static void test_multiply_by_quantized_multiplier(void) {
    const int32_t half = 1 << 30, three_quarters = 1610612736;
    CHECK_EQ_INT(quant_multiply_by_quantized_multiplier(100, half, 0), 50);
    CHECK_EQ_INT(quant_multiply_by_quantized_multiplier(3, half, 0), 2); /* 1.5 -> 2 */
    /* -1.5 -> -1: the high-mul rounds halves up. */
    CHECK_EQ_INT(quant_multiply_by_quantized_multiplier(-3, half, 0), -1);
    CHECK_EQ_INT(quant_multiply_by_quantized_multiplier(2, half, -1), 1); /* 0.5 -> 1 */
    /* -0.5 -> -1: the shift rounds halves away from zero. */
    CHECK_EQ_INT(quant_multiply_by_quantized_multiplier(-2, half, -1), -1);
    CHECK_EQ_INT(quant_multiply_by_quantized_multiplier(6, half, -2), 1); /* 0.75 */
    /* Double rounding: 1 * 0.375 is 0.75 after the high-mul, rounded to 1, then 0.5 -> 1. */
    CHECK_EQ_INT(quant_multiply_by_quantized_multiplier(1, three_quarters, -1), 1);
    CHECK_EQ_INT(quant_multiply_by_quantized_multiplier(3, half, 2), 6); /* 3 * 0.5 * 4 */
    CHECK_EQ_INT(quant_multiply_by_quantized_multiplier(-7, half, 1), -7);
    CHECK_EQ_INT(quant_multiply_by_quantized_multiplier(INT32_MAX, INT32_MAX, 0), 2147483646);
    CHECK_EQ_INT(quant_multiply_by_quantized_multiplier(INT32_MIN, INT32_MIN, 0), INT32_MAX);
    CHECK_EQ_INT(quant_multiply_by_quantized_multiplier(INT32_MIN, half, -31), -1);
    CHECK_EQ_INT(quant_multiply_by_quantized_multiplier(12345, 0, 0), 0);
    /* The pre-shift wraps as TensorFlow Lite's int multiply does: 2^30 * 2 = INT32_MIN. */
    CHECK_EQ_INT(quant_multiply_by_quantized_multiplier(1 << 30, half, 1), -(1 << 30));
    /* A real multiplier of exactly 1.0: (2^30, 1) reproduces x (the high-mul of 2x by 0.5). */
    for (int32_t x = -1000; x <= 1000; x += 37)
        CHECK_EQ_INT(quant_multiply_by_quantized_multiplier(x, half, 1), x);

    CHECK_EQ_INT(quant_multiply_by_quantized_multiplier_smaller_than_one_exp(6, half, -2), 1);
    CHECK_EQ_INT(quant_multiply_by_quantized_multiplier_smaller_than_one_exp(-2, half, -1), -1);
    CHECK_EQ_INT(quant_multiply_by_quantized_multiplier_greater_than_one(3, half, 2), 6);
    CHECK_EQ_INT(quant_multiply_by_quantized_multiplier_greater_than_one(1 << 30, half, 1), -(1 << 30));
}

static void test_multiply_by_quantized_multiplier_random(void) {
    long double worst = 0;
    int mismatches = 0;
    for (int i = 0; i < 300000; i++) {
        int32_t x = rng_i32();
        if (i % 3 == 0) x >>= rng_range(0, 31);
        int32_t m = rng_range(1 << 30, INT32_MAX);
        if (i % 50 == 0) m = -m;
        if (i % 97 == 0) m = INT32_MIN;
        int shift = rng_range(-31, 30);
        int32_t got = quant_multiply_by_quantized_multiplier(x, m, shift);
        int32_t want = model_mbqm(x, m, shift);
        if (got != want && mismatches++ < 5) {
            fprintf(stderr, "  mbqm(%d, %d, %d) = %d, model %d\n", x, m, shift, got, want);
            CHECK(0);
        }
        /* Away from wrap-around and saturation the result is within 1 of the real product
         * (0.5 from each of the two roundings). */
        int left = shift > 0 ? shift : 0;
        if ((int64_t)x * ((int64_t)1 << left) >= INT32_MIN &&
            (int64_t)x * ((int64_t)1 << left) <= INT32_MAX &&
            !(x == INT32_MIN && m == INT32_MIN && left == 0)) {
            long double real = (long double)x * (long double)m * ldexpl(1.0L, shift - 31);
            long double err = fabsl((long double)got - real);
            if (err > worst) worst = err;
        }
    }
    CHECK(worst <= 1.0L);
}

static void test_multiply_by_quantized_multiplier_i64(void) {
    const int32_t half = 1 << 30;
    CHECK_EQ_INT(quant_multiply_by_quantized_multiplier_i64(1 << 20, half, 0), 1 << 19);
    CHECK_EQ_INT(quant_multiply_by_quantized_multiplier_i64(3, half, 0), 2);   /* (3 * 2^14 + 2^14) >> 15 */
    CHECK_EQ_INT(quant_multiply_by_quantized_multiplier_i64(-3, half, 0), -1); /* -1.5 -> -1: halves up */
    CHECK_EQ_INT(quant_multiply_by_quantized_multiplier_i64(100, half, 7), 6400);
    /* One rounding on a 16-bit multiplier: 0.375 -> 0 here, where the int32 form gives 1. */
    CHECK_EQ_INT(quant_multiply_by_quantized_multiplier_i64(1, 1610612736, -1), 0);
    /* The 16-bit reduction: (m + 2^15) >> 16, capped at 0x7FFF from 0x7FFF0000 up. */
    /* With x = 2^15 the result is the reduced multiplier itself (plus a half, floored). */
    CHECK_EQ_INT(quant_multiply_by_quantized_multiplier_i64(INT64_C(1) << 15, 0x40008000, 0), 0x4001);
    CHECK_EQ_INT(quant_multiply_by_quantized_multiplier_i64(INT64_C(1) << 15, 0x40007FFF, 0), 0x4000);
    CHECK_EQ_INT(quant_multiply_by_quantized_multiplier_i64(INT64_C(1) << 15, 0x7FFF0000, 0), 0x7FFF);
    CHECK_EQ_INT(quant_multiply_by_quantized_multiplier_i64(INT64_C(1) << 15, INT32_MAX, 0), 0x7FFF);
    CHECK_EQ_INT(quant_multiply_by_quantized_multiplier_i64(INT64_C(1) << 15, 0x7FFEFFFF, 0), 0x7FFF);
    /* Large accumulators: -2^47 * 0.5 * 2^-17. */
    CHECK_EQ_INT(quant_multiply_by_quantized_multiplier_i64(-(INT64_C(1) << 47), half, -16), -(1 << 30));

    int mismatches = 0;
    long double worst = 0;
    for (int i = 0; i < 300000; i++) {
        int64_t x = (int64_t)(rng_next() >> 16) - (INT64_C(1) << 47); /* [-2^47, 2^47) */
        if (i % 3 == 0) x >>= rng_range(0, 47);
        int32_t m = rng_range(0, INT32_MAX);
        int shift = rng_range(-31, 7);
        int32_t got = quant_multiply_by_quantized_multiplier_i64(x, m, shift);
        int32_t want = model_mbqm_i64(x, m, shift);
        if (got != want && mismatches++ < 5) {
            fprintf(stderr, "  mbqm_i64(%lld, %d, %d) = %d, model %d\n", (long long)x, m, shift, got, want);
            CHECK(0);
        }
        long double real = (long double)x * (long double)m * ldexpl(1.0L, shift - 31);
        if (fabsl(real) < 2e9L) {
            /* 0.5 for the rounding plus the 16-bit multiplier's error: up to 2^15 units of m,
             * or 2^16 where it is capped at 0x7FFF. */
            long double bound = 0.5L + fabsl((long double)x) * ldexpl(1.0L, shift - 15) + 1e-9L;
            long double err = fabsl((long double)got - real) - bound;
            if (err > worst) worst = err;
        }
    }
    CHECK(worst <= 0);
}

/* ---- gemmlowp fixed point ---- */

static void test_fixed_point_exp(void) {
    /* exp(0) is Q0's one; below -32 (representable from 6 integer bits up) is exactly 0. */
    for (int ib = 0; ib <= 12; ib++) CHECK_EQ_INT(quant_fp_exp_on_negative_values(0, ib), INT32_MAX);
    CHECK_EQ_INT(quant_fp_exp_on_negative_values(-33 * (1 << 25), 6), 0);
    CHECK_EQ_INT(quant_fp_exp_on_negative_values(INT32_MIN, 8), 0);
    CHECK(quant_fp_exp_on_negative_values(INT32_MIN, 5) >= 0); /* -32 in Q5: exp(-32) ~ 0 */
    CHECK(quant_fp_exp_on_negative_values(INT32_MIN, 5) <= 1);

    /* Against double exp: the 4th-order Taylor polynomial around -1/8 on [-1/4, 0) is good to
     * (1/8)^5 / 5! ~ 2.5e-7, and the multiplications by exp(-2^k) add a few units of 2^-31. */
    for (int ib = 0; ib <= 12; ib++) {
        double lo = -ldexp(1.0, ib) < -32 ? -32 : -ldexp(1.0, ib);
        double worst = 0;
        for (int i = 0; i <= 20000; i++) {
            double x = lo * i / 20000.0;
            int32_t raw = (int32_t)llround(x * ldexp(1.0, 31 - ib));
            if (raw == INT32_MIN) raw++;
            double xr = raw / ldexp(1.0, 31 - ib);
            double err = fabs(quant_fp_exp_on_negative_values(raw, ib) / Q31 - exp(xr));
            if (err > worst) worst = err;
        }
        if (worst > 3e-7) fprintf(stderr, "  exp Q%d: max error %g\n", ib, worst);
        CHECK(worst <= 3e-7);
    }
    CHECK_NEAR(quant_fp_exp_on_negative_values(-(1 << 26), 5) / Q31, exp(-1.0), 3e-7);
    CHECK_NEAR(quant_fp_exp_on_negative_values(-(10 << 26), 5) / Q31, exp(-10.0), 3e-7);
    CHECK_NEAR(quant_fp_exp_on_interval_between_negative_one_quarter_and_0_excl(-(1 << 29)) / Q31, exp(-0.25),
               3e-7);
}

static void test_fixed_point_reciprocals(void) {
    /* 1/(1+x) and (1-x)/(1+x) on [0, 1): three Newton steps from 48/17 - 32/17 d reach a
     * few units of 2^-31. */
    double worst1 = 0, worst2 = 0;
    for (int i = 0; i < 100000; i++) {
        int32_t a = (int32_t)((int64_t)i * INT32_MAX / 100000);
        double x = a / Q31;
        double e1 = fabs(quant_fp_one_over_one_plus_x_for_x_in_0_1(a) / Q31 - 1.0 / (1.0 + x));
        double e2 = fabs(quant_fp_one_minus_x_over_one_plus_x_for_x_in_0_1(a) / Q31 - (1.0 - x) / (1.0 + x));
        if (e1 > worst1) worst1 = e1;
        if (e2 > worst2) worst2 = e2;
    }
    CHECK(worst1 <= 1e-8);
    CHECK(worst2 <= 1e-8);
    CHECK_NEAR(quant_fp_one_over_one_plus_x_for_x_in_0_1(0) / Q31, 1.0, 1e-8);
    CHECK_NEAR(quant_fp_one_over_one_plus_x_for_x_in_0_1(1 << 30) / Q31, 2.0 / 3.0, 1e-8);

    /* GetReciprocal of 3.0 in Q12: 3 * 2^19 has 11 leading zeros, so 1 bit over unit, and
     * 1/3 = (1 / 1.5) * 2^-1. */
    int bits = 0;
    int32_t r = quant_fp_reciprocal(3 << 19, 12, &bits);
    CHECK_EQ_INT(bits, 1);
    CHECK_NEAR(r / Q31, 2.0 / 3.0, 1e-8);
    for (int i = 1; i < 4000; i++) {
        int32_t x = (int32_t)((int64_t)i * 536870 + 1); /* (0, 4096) in Q12 */
        r = quant_fp_reciprocal(x, 12, &bits);
        double want = 1.0 / (x / ldexp(1.0, 19));
        double got = r / Q31 * ldexp(1.0, -bits);
        if (fabs(got - want) > 1e-8 * want * 4) {
            CHECK_NEAR(got, want, 1e-8 * want * 4);
            break;
        }
    }
    /* Rescale: 1.5 in Q4 to Q12 (down, exact), and 5 in Q12 to Q1 (saturates at 2). */
    CHECK_EQ_INT(quant_fp_rescale(3 << 26, 4, 12), 3 << 18);
    CHECK_EQ_INT(quant_fp_rescale(5 << 19, 12, 1), INT32_MAX);
    CHECK_EQ_INT(quant_fp_rescale(3, 0, 1), 2); /* 1.5 units of Q1 round away */
    CHECK_EQ_INT(quant_fp_one(0), INT32_MAX);
    CHECK_EQ_INT(quant_fp_one(12), 1 << 19);
}

static void test_fixed_point_logistic_tanh(void) {
    CHECK_EQ_INT(quant_fp_logistic(0, 4), 1 << 30);
    CHECK_EQ_INT(quant_fp_tanh(0, 4), 0);
    for (int ib = 0; ib <= 6; ib++) {
        double worst_l = 0, worst_t = 0;
        for (int i = -20000; i <= 20000; i++) {
            int32_t a = (int32_t)((int64_t)i * INT32_MAX / 20000);
            double x = a / ldexp(1.0, 31 - ib);
            double el = fabs(quant_fp_logistic(a, ib) / Q31 - 1.0 / (1.0 + exp(-x)));
            double et = fabs(quant_fp_tanh(a, ib) / Q31 - tanh(x));
            if (el > worst_l) worst_l = el;
            if (et > worst_t) worst_t = et;
        }
        if (worst_l > 2e-7 || worst_t > 3e-7)
            fprintf(stderr, "  Q%d: logistic %g tanh %g\n", ib, worst_l, worst_t);
        CHECK(worst_l <= 2e-7);
        CHECK(worst_t <= 3e-7);
    }
    /* Symmetry: logistic(-x) = 1 - logistic(x) up to Q0's one being 1 - 2^-31; tanh odd. */
    for (int32_t a = 1; a < (1 << 30); a = a * 3 + 7) {
        CHECK_EQ_INT(quant_fp_logistic(-a, 4), INT32_MAX - quant_fp_logistic(a, 4));
        CHECK_EQ_INT(quant_fp_tanh(-a, 4), -quant_fp_tanh(a, 4));
    }
    /* INT32_MIN has no positive counterpart; the result is still defined (no UB). */
    (void)quant_fp_logistic(INT32_MIN, 4);
    (void)quant_fp_tanh(INT32_MIN, 4);
}

/* ---- SOFTMAX / LOGISTIC / TANH preprocessing ---- */

static void test_softmax_preprocessing(void) {
    CHECK_EQ_INT(quant_calculate_input_radius(4, 20, 31), 1920);      /* 15 * 2^27 / 2^20 */
    CHECK_EQ_INT(quant_calculate_input_radius(5, 29, 31), 3);         /* 31 * 2^26 / 2^29 = 3.875 */
    CHECK_EQ_INT(quant_calculate_input_radius(4, 0, 15), 30720);      /* 15 * 2^11 */
    CHECK_EQ_INT(quant_calculate_input_radius(5, 0, 31), 2080374784); /* 31 * 2^26 */
    CHECK_EQ_INT(quant_calculate_input_radius(5, 31, 31), 0);

    int32_t m;
    int shift;
    /* beta 1, scale 1/256: 2^-8 * 2^26 = 2^18 = 0.5 * 2^19. */
    CHECK(quant_preprocess_softmax_scaling(1.0, 1.0 / 256, 5, &m, &shift));
    CHECK_EQ_INT(m, 1 << 30);
    CHECK_EQ_INT(shift, 19);
    /* Capped at 2^31 - 1 = (1 - 2^-31) * 2^31. */
    CHECK(quant_preprocess_softmax_scaling(1.0, 100.0, 5, &m, &shift));
    CHECK_EQ_INT(m, INT32_MAX);
    CHECK_EQ_INT(shift, 31);
    /* Not above one: TensorFlow Lite's check fails. */
    CHECK(!quant_preprocess_softmax_scaling(ldexp(1.0, -30), 1.0 / 256, 5, &m, &shift));

    quant_softmax_params p;
    CHECK(quant_softmax_params_8bit(1.0f, 1.0f / 256, &p));
    CHECK_EQ_INT(p.input_multiplier, 1 << 30);
    CHECK_EQ_INT(p.input_left_shift, 19);
    CHECK_EQ_INT(p.diff_min, -3968); /* -floor(31 * 2^26 / 2^19) */
    CHECK(quant_softmax_params_8bit(1.0f, 100.0f, &p));
    CHECK_EQ_INT(p.diff_min, 0); /* every non-maximal input is already negligible */

    int32_t rm;
    int rshift;
    /* Reverse scaling of (2^30, 19): 2^12 / 2^30 = 2^-18 = 0.5 * 2^-17. */
    CHECK(quant_preprocess_log_softmax_scaling_exp(1.0, 1.0 / 256, 5, &m, &shift, &rm, &rshift));
    CHECK_EQ_INT(rm, 1 << 30);
    CHECK_EQ_INT(rshift, -17);

    int l2 = 99;
    CHECK(quant_checked_log2(1.0f / 4096, &l2));
    CHECK_EQ_INT(l2, -12);
    CHECK(quant_checked_log2(1.0f, &l2));
    CHECK_EQ_INT(l2, 0);
    CHECK(quant_checked_log2(ldexpf(1.0f, -15), &l2));
    CHECK_EQ_INT(l2, -15);
    CHECK(!quant_checked_log2(6.0f / 32768, &l2)); /* log2 = -12.415 */
    CHECK_EQ_INT(l2, -12);
    CHECK(!quant_checked_log2(3.0f, &l2));
    CHECK_EQ_INT(l2, 2);

    int32_t im, ishift;
    quant_logistic_tanh_i16_params(1.0f / 4096, false, &im, &ishift); /* Q3.12: the table directly */
    CHECK_EQ_INT(im, 3);
    CHECK_EQ_INT(ishift, 0);
    quant_logistic_tanh_i16_params(1.0f / 4096, true, &im, &ishift);
    CHECK_EQ_INT(im, 3);
    CHECK_EQ_INT(ishift, 0);
    quant_logistic_tanh_i16_params(1.0f / 2048, true, &im, &ishift); /* TANH takes one pre-shift */
    CHECK_EQ_INT(im, 6);
    CHECK_EQ_INT(ishift, 0);
    /* LOGISTIC does not: 2^-11 * 12288 = 6, doubled 12 times to 24576 > 16383.5. */
    quant_logistic_tanh_i16_params(1.0f / 2048, false, &im, &ishift);
    CHECK_EQ_INT(im, 24576);
    CHECK_EQ_INT(ishift, 12);
    /* 6/32768 * 12288 = 2.25, doubled 13 times: 18432. */
    quant_logistic_tanh_i16_params(6.0f / 32768, true, &im, &ishift);
    CHECK_EQ_INT(im, 18432);
    CHECK_EQ_INT(ishift, 13);
    /* 1/3000 * 12288 = 4.096, doubled 12 times: 16777.216, truncated. */
    quant_logistic_tanh_i16_params(1.0f / 3000, false, &im, &ishift);
    CHECK_EQ_INT(im, 16777);
    CHECK_EQ_INT(ishift, 12);
}

/* ---- quantize, dequantize, activation range ---- */

static void test_quantize_dequantize(void) {
    /* round() takes halves away from zero (not to even). */
    CHECK_EQ_INT(quant_quantize_i8(0.5f, 1.0f, 0), 1);
    CHECK_EQ_INT(quant_quantize_i8(-0.5f, 1.0f, 0), -1);
    CHECK_EQ_INT(quant_quantize_i8(2.5f, 1.0f, 0), 3);
    CHECK_EQ_INT(quant_quantize_i8(-2.5f, 1.0f, 0), -3);
    CHECK_EQ_INT(quant_quantize_i8(0.49999997f, 1.0f, 0), 0);
    CHECK_EQ_INT(quant_quantize_i8(1.0f, 0.5f, 10), 12);
    CHECK_EQ_INT(quant_quantize_i8(1000.0f, 0.5f, 10), 127);
    CHECK_EQ_INT(quant_quantize_i8(-1000.0f, 0.5f, 10), -128);
    CHECK_EQ_INT(quant_quantize_u8(-1.0f, 0.1f, 0), 0);
    CHECK_EQ_INT(quant_quantize_u8(1.0f, 0.1f, 128), 138);
    CHECK_EQ_INT(quant_quantize_u8(1e30f, 0.1f, 128), 255);
    CHECK_EQ_INT(quant_quantize_i16(1e9f, 1.0f, 0), 32767);
    CHECK_EQ_INT(quant_quantize_i16(-3.0f, 0.5f, 0), -6);
    CHECK_EQ_INT(quant_quantize_i8(NAN, 1.0f, 3), 3);
    CHECK_EQ_INT(quant_quantize_f32(3e9f, 1.0f, -5, INT32_MIN, INT32_MAX), INT32_MAX - 5);
    /* 0.3 / 0.1 in float is 2.9999998, which rounds to 3. */
    CHECK_EQ_INT(quant_quantize_i8(0.3f, 0.1f, 0), 3);

    CHECK(quant_dequantize(12, 0.5f, 10) == 1.0f);
    CHECK(quant_dequantize(-128, 0.1f, -128) == 0.0f);
    CHECK(quant_dequantize(255, 0.1f, 0) == (float)(255 * (double)0.1f));
    CHECK(quant_dequantize(-32768, 1.0f, 0) == -32768.0f);
}

static void check_range(int act, float scale, int32_t zp, int32_t qmin, int32_t qmax, int32_t want_lo,
                        int32_t want_hi) {
    int32_t lo = 0, hi = 0;
    CHECK(quant_activation_range(act, scale, zp, qmin, qmax, &lo, &hi));
    CHECK_EQ_INT(lo, want_lo);
    CHECK_EQ_INT(hi, want_hi);
}

static void test_activation_range(void) {
    /* int8, scale 0.1, zero point -10: 0 -> -10, 6 -> -10 + 60, -1 -> -20, 1 -> 0. */
    check_range(0, 0.1f, -10, -128, 127, -128, 127);
    check_range(1, 0.1f, -10, -128, 127, -10, 127);
    check_range(3, 0.1f, -10, -128, 127, -10, 50);
    check_range(2, 0.1f, -10, -128, 127, -20, 0);
    check_range(4, 0.1f, -10, -128, 127, -128, 127); /* TANH and SIGN_BIT do not clamp here */
    /* Limits beyond the type are cut to it. */
    check_range(3, 0.01f, 0, -128, 127, 0, 127);
    check_range(1, 0.1f, -200, -128, 127, -128, 127);
    check_range(3, 0.05f, 0, 0, 255, 0, 120);
    check_range(2, 1.0f / 32768, 0, -32768, 32767, -32768, 32767);
    check_range(2, 1.0f / 16384, 0, -32768, 32767, -16384, 16384);
    int32_t lo, hi;
    CHECK(!quant_activation_range(3, 1e-12f, 0, -128, 127, &lo, &hi)); /* 6e12 does not fit int32 */
}

/* ---- lookup tables ---- */

static float identity_f32(float x) { return x; }

static void test_lut_8bit(void) {
    int8_t lut[256];
    /* LOGISTIC int8, input scale 0.1, output 1/256 zero point -128. */
    quant_lut_populate_i8(0.1f, 0, 1.0f / 256, -128, quant_logistic_f32, lut);
    CHECK_EQ_INT(quant_lut_lookup_i8(0, lut), 0);     /* 0.5 * 256 - 128 */
    CHECK_EQ_INT(quant_lut_lookup_i8(10, lut), 59);   /* 0.7310586 * 256 = 187.15 */
    CHECK_EQ_INT(quant_lut_lookup_i8(-10, lut), -59); /* 0.2689414 * 256 = 68.85 -> 69 */
    CHECK_EQ_INT(quant_lut_lookup_i8(127, lut), 127); /* 256 - 128 = 128, clamped */
    CHECK_EQ_INT(quant_lut_lookup_i8(-128, lut), -128);
    /* int8 values index through their bit pattern. */
    CHECK_EQ_INT(lut[0xF6], -59);

    uint8_t ulut[256];
    /* TANH uint8, input scale 0.05 zero point 128, output 1/128 zero point 128. */
    quant_lut_populate_u8(0.05f, 128, 1.0f / 128, 128, quant_tanh_f32, ulut);
    CHECK_EQ_INT(ulut[128], 128);
    CHECK_EQ_INT(ulut[148], 225); /* tanh(1) * 128 = 97.48 */
    CHECK_EQ_INT(ulut[108], 31);
    CHECK_EQ_INT(ulut[255], 255);
    CHECK_EQ_INT(ulut[0], 0);

    /* An identity with equal quantization maps every value to itself. */
    quant_lut_populate_i8(0.25f, 3, 0.25f, 3, identity_f32, lut);
    for (int q = -128; q <= 127; q++) CHECK_EQ_INT(quant_lut_lookup_i8((int8_t)q, lut), q);
    quant_lut_populate_u8(0.25f, 3, 0.5f, 0, identity_f32, ulut);
    CHECK_EQ_INT(ulut[3], 0);
    CHECK_EQ_INT(ulut[4], 1); /* 0.25 / 0.5 = 0.5 rounds away */
    CHECK_EQ_INT(ulut[255], 126);
    CHECK_EQ_INT(ulut[0], 0); /* -1.5 -> -2, clamped */
}

static void test_lut_i16_lookup(void) {
    int16_t lut[QUANT_LUT_I16_SIZE];
    /* A line of slope 1: every segment spans 128 values. */
    for (int i = 0; i < 512; i++) lut[i] = (int16_t)((i - 256) * 128);
    lut[512] = 32767;
    CHECK_EQ_INT(quant_lut_lookup_i16(-32768, lut), -32768);
    CHECK_EQ_INT(quant_lut_lookup_i16(1000, lut), 1000); /* segment 263, offset 104 */
    CHECK_EQ_INT(quant_lut_lookup_i16(-1, lut), -1);     /* segment 255, offset 127 */
    CHECK_EQ_INT(quant_lut_lookup_i16(0, lut), 0);
    /* Last segment: slope 127, (127 * 127 + 64) >> 7 = 126. */
    CHECK_EQ_INT(quant_lut_lookup_i16(32767, lut), 32766);
    /* Interpolation rounds halves up: slope 1, offset 64 -> (64 + 64) >> 7 = 1. */
    lut[300] = 10, lut[301] = 11;
    CHECK_EQ_INT(quant_lut_lookup_i16((300 - 256) * 128 + 64, lut), 11);
    CHECK_EQ_INT(quant_lut_lookup_i16((300 - 256) * 128 + 63, lut), 10);
    lut[301] = 9; /* slope -1: (-64 + 64) >> 7 = 0, (-65 + 64) >> 7 = -1 */
    CHECK_EQ_INT(quant_lut_lookup_i16((300 - 256) * 128 + 64, lut), 10);
    CHECK_EQ_INT(quant_lut_lookup_i16((300 - 256) * 128 + 65, lut), 9);
    /* A slope beyond int16 wraps (-32768 to 32767 is 65535, read as -1), as in TensorFlow Lite. */
    lut[256] = -32768, lut[257] = 32767;
    CHECK_EQ_INT(quant_lut_lookup_i16(64, lut), -32768);
    CHECK_EQ_INT(quant_lut_lookup_i16(127, lut), 32767); /* -32768 + (-127 + 64 >> 7 = -1) wraps */
}

static void test_lut_i16_populate(void) {
    int16_t exp_lut[QUANT_LUT_I16_SIZE], recip_lut[QUANT_LUT_I16_SIZE];
    quant_softmax_i16_luts(exp_lut, recip_lut);
    /* exp: 1.0 is 32768, clamped. At -10: exp(-10) 32768 = 1.49 samples to 1; the midpoint
     * exp(-9.990234) 32768 = 1.502 rounds to 2 while interpolation gives round(1.258) = 1, so
     * the entry is raised by round(-1/2) = -1 (away from zero): 2. */
    CHECK_EQ_INT(exp_lut[512], 32767);
    CHECK_EQ_INT(exp_lut[0], 2);
    /* 1/(1+x): 1 at x = 0 (clamped), 1/2 at x = 1. */
    CHECK_EQ_INT(recip_lut[0], 32767);
    CHECK_EQ_INT(recip_lut[512], 16384);
    /* Through the lookup, both tables follow their functions within 2 units. A lookup of v
     * reads the table at segment 256 + v / 128, so at x = -10 + (256 + v / 128) * 10 / 512
     * for exp and x = (256 + v / 128) / 512 for 1/(1+x). */
    double worst_exp = 0, worst_recip = 0;
    for (int v = -32768; v <= 32767; v++) {
        double t = (256 + v / 128.0) / 512;
        double e1 = fabs(quant_lut_lookup_i16((int16_t)v, exp_lut) - exp(-10 + 10 * t) * 32768);
        double e2 = fabs(quant_lut_lookup_i16((int16_t)v, recip_lut) - 1.0 / (1.0 + t) * 32768);
        if (e1 > worst_exp) worst_exp = e1;
        if (e2 > worst_recip) worst_recip = e2;
    }
    CHECK(worst_exp <= 2.0);
    CHECK(worst_recip <= 2.0);

    /* The float form of the same exp table agrees within a unit. */
    int16_t exp_f32[QUANT_LUT_I16_SIZE];
    quant_lut_populate_i16_f32(10.0f / 65535, 32767, 2.0f / 65535, 0, expf, exp_f32);
    for (int i = 0; i < QUANT_LUT_I16_SIZE; i++) CHECK_NEAR(exp_f32[i], exp_lut[i], 1.0);
}

static void test_softmax_i16(void) {
    int16_t exp_lut[QUANT_LUT_I16_SIZE], recip_lut[QUANT_LUT_I16_SIZE];
    quant_softmax_i16_luts(exp_lut, recip_lut);
    int32_t m;
    int shift;
    /* Input scale 5/32767, beta 1: 5/32767 / (10/65535) ~ 1.00002 = 0.50001 * 2^1. */
    const float scale = 5.0f / 32767;
    CHECK(quant_softmax_i16_multiplier(scale, 1.0f, &m, &shift));
    CHECK_EQ_INT(shift, 1);
    CHECK_NEAR(m / Q31, (double)(float)(scale * 1.0f) / (10.0 / 65535) / 2, 1e-9);

    /* One row against float softmax (outputs in Q0.15). */
    int16_t row[12];
    double e[12], sum = 0;
    for (int c = 0; c < 12; c++) row[c] = (int16_t)(c * 2500 - 15000);
    int16_t max = row[11];
    int32_t s = 0;
    int16_t ex[12];
    for (int c = 0; c < 12; c++) {
        ex[c] = quant_softmax_i16_exp((int32_t)row[c] - max, m, shift, exp_lut);
        s += ex[c];
        e[c] = exp((row[c] - max) * (double)scale);
        sum += e[c];
    }
    /* exp(0): the lookup of 32767 stops at 127/128 of the last segment, short of the end
     * point 32767: lut[511] = 32133 (exp(-10/512) 32768 = 32134.1, lowered by one for the
     * midpoint), + ((634 * 127 + 64) >> 7) = 629. */
    CHECK_EQ_INT(exp_lut[511], 32133);
    CHECK_EQ_INT(ex[11], 32762);
    int rshift;
    int16_t recip = quant_softmax_i16_reciprocal(s, recip_lut, &rshift);
    CHECK_EQ_INT(rshift, 31 - quant_clz32((uint32_t)s));
    for (int c = 0; c < 12; c++)
        CHECK_NEAR(quant_softmax_i16_output(ex[c], recip, rshift), e[c] / sum * 32768, 2.0);
    CHECK_EQ_INT(quant_softmax_i16_output(32767, 32767, 15), 32766); /* (32767^2 + 2^14) >> 15 */
    CHECK_EQ_INT(quant_softmax_i16_output(-5, 32767, 15), 0);
}

/* 1/sqrt(x) as a multiplier: within 2e-6 relative over the whole int32 range; 0 and 1
 * give the largest multiplier, as TensorFlow Lite does. */
static void test_inv_sqrt_multiplier(void) {
    int32_t m;
    int shift;
    quant_inv_sqrt_multiplier(0, &m, &shift);
    CHECK(m == INT32_MAX && shift == 0);
    quant_inv_sqrt_multiplier(1, &m, &shift);
    CHECK(m == INT32_MAX && shift == 0);
    const int32_t inputs[] = {2, 3, 4, 5, 16, 100, 1000, 65535, 1 << 20, (1 << 29) - 1, 1 << 29, INT32_MAX};
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        quant_inv_sqrt_multiplier(inputs[i], &m, &shift);
        CHECK(shift <= 0 && m > 0);
        const double got = (double)m / 2147483648.0 * ldexp(1.0, shift), want = 1.0 / sqrt((double)inputs[i]);
        CHECK(fabs(got - want) <= 2e-6 * want); /* Newton-Raphson: ~1.2e-6 at the ends */
    }
}

static void test_logistic_tanh_i16(void) {
    /* Q3.12 inputs (multiplier 3, no shift); the table steps are 512 / 3 inputs for LOGISTIC. */
    int16_t in[6] = {0, 4096, -4096, 2048, -2048, 32767}, out[6];
    quant_logistic_i16(in, out, 6, 3, 0);
    CHECK_EQ_INT(out[0], 16384); /* 0.5 */
    CHECK_EQ_INT(out[1], 23956); /* table[24] = 47911: (47911 * 512 + 512) >> 10 */
    CHECK_EQ_INT(out[2], 8812);  /* (2^25 - 47911 * 512 + 511) >> 10 */
    quant_tanh_i16(in, out, 6, 3, 0);
    CHECK_EQ_INT(out[0], 0);
    CHECK_EQ_INT(out[3], 15143);  /* (47911 * 256 - 2^23 + 128) >> 8 */
    CHECK_EQ_INT(out[4], -15143); /* floor((-47911 * 256 + 2^23 + 127) / 256) */

    /* Saturation: multiplier 24576 with 12 shifts (LOGISTIC at scale 2^-11). */
    int16_t ext[2] = {32767, -32768}, sat[2];
    quant_logistic_i16(ext, sat, 2, 24576, 12);
    CHECK_EQ_INT(sat[0], 32767);
    CHECK_EQ_INT(sat[1], 1);
    quant_tanh_i16(ext, sat, 2, 24576, 12);
    CHECK_EQ_INT(sat[0], 32767);
    CHECK_EQ_INT(sat[1], -32767);

    /* Against double math over the whole int16 range (Q3.12 in, Q0.15 out). */
    static int16_t all_in[65536], all_out[65536];
    for (int i = 0; i < 65536; i++) all_in[i] = (int16_t)(i - 32768);
    double worst = 0;
    quant_logistic_i16(all_in, all_out, 65536, 3, 0);
    for (int i = 0; i < 65536; i++) {
        double err = fabs(all_out[i] - 32768.0 / (1.0 + exp(-all_in[i] / 4096.0)));
        if (err > worst) worst = err;
        if (i > 0) CHECK(all_out[i] >= all_out[i - 1]);
    }
    CHECK(worst <= 2.0);
    worst = 0;
    quant_tanh_i16(all_in, all_out, 65536, 3, 0);
    for (int i = 0; i < 65536; i++) {
        double err = fabs(all_out[i] - 32768.0 * tanh(all_in[i] / 4096.0));
        if (err > worst) worst = err;
    }
    CHECK(worst <= 2.0);
}

TEST_MAIN(test_wrap_helpers, test_quantize_multiplier, test_conv_multipliers, test_srdhm, test_rdbpot,
          test_multiply_by_quantized_multiplier, test_multiply_by_quantized_multiplier_random,
          test_multiply_by_quantized_multiplier_i64, test_fixed_point_exp, test_fixed_point_reciprocals,
          test_fixed_point_logistic_tanh, test_softmax_preprocessing, test_quantize_dequantize,
          test_activation_range, test_lut_8bit, test_lut_i16_lookup, test_lut_i16_populate, test_softmax_i16,
          test_logistic_tanh_i16, test_inv_sqrt_multiplier)
