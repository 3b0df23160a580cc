/* test_signal_math.c — the signal library's integer arithmetic: bit scans, rounded square
 * roots, the fixed-point logarithm and PCAN's gain and shrink curves. */
#include <math.h>
#include <stdint.h>

#include "signal/signal_math.h"
#include "test.h"

static void test_msb(void) {
    CHECK_EQ_INT(signal_msb32(1), 1);
    CHECK_EQ_INT(signal_msb32(2), 2);
    CHECK_EQ_INT(signal_msb32(3), 2);
    CHECK_EQ_INT(signal_msb32(0x80000000u), 32);
    CHECK_EQ_INT(signal_msb32(0), 32); /* the library's GCC path: 32 - clz with clz(0) as 0 */
    CHECK_EQ_INT(signal_msb64(1), 1);
    CHECK_EQ_INT(signal_msb64((uint64_t)1 << 40), 41);
    CHECK_EQ_INT(signal_msb64(0), 64);
}

/* Rounded square root from the floor root r: up when x > r^2 + r (x > (r + 1/2)^2). */
static uint64_t rounded_sqrt(uint64_t x, uint64_t cap) {
    uint64_t r = (uint64_t)sqrtl((long double)x);
    while (r * r > x) r--;
    while ((r + 1) * (r + 1) <= x) r++;
    if (x > r * r + r && r != cap) r++;
    return r;
}

static void test_sqrt32(void) {
    CHECK_EQ_INT(signal_sqrt32(0), 0);
    CHECK_EQ_INT(signal_sqrt32(2), 1);  /* 1.41 */
    CHECK_EQ_INT(signal_sqrt32(3), 2);  /* 1.73 */
    CHECK_EQ_INT(signal_sqrt32(12), 3); /* 3.46 */
    CHECK_EQ_INT(signal_sqrt32(13), 4); /* 3.61 */
    CHECK_EQ_INT(signal_sqrt32(UINT32_MAX), 0xFFFF); /* would round to 65536: saturates */
    int bad = 0;
    for (uint64_t x = 0; x < 70000; x++) bad += signal_sqrt32((uint32_t)x) != rounded_sqrt(x, 0xFFFF);
    for (uint64_t x = 70000; x <= UINT32_MAX; x += 9973) bad += signal_sqrt32((uint32_t)x) != rounded_sqrt(x, 0xFFFF);
    CHECK_EQ_INT(bad, 0);
}

static void test_sqrt64(void) {
    CHECK_EQ_INT(signal_sqrt64((uint64_t)1 << 40), 1 << 20);
    /* Rounds up only past (r + 1/2)^2, i.e. above r^2 + r. */
    CHECK_EQ_INT(signal_sqrt64(((uint64_t)1 << 40) + (1 << 20)), 1 << 20);
    CHECK_EQ_INT(signal_sqrt64(((uint64_t)1 << 40) + (1 << 20) + 1), (1 << 20) + 1);
    CHECK_EQ_INT(signal_sqrt64(UINT64_MAX), 0xFFFFFFFFu);
    /* Below 2^32 the 32-bit path answers, saturating at 0xFFFF. */
    CHECK_EQ_INT(signal_sqrt64(UINT32_MAX), 0xFFFF);
    int bad = 0;
    for (uint64_t x = (uint64_t)1 << 32; x < ((uint64_t)1 << 62); x += x / 1000 + 7)
        bad += signal_sqrt64(x) != rounded_sqrt(x, 0xFFFFFFFFu);
    CHECK_EQ_INT(bad, 0);
}

static void test_log_table(void) {
    /* The table is log2(1 + m) - m on 128 segments, in Q16. */
    for (int i = 0; i <= 128; i++) {
        double m = i / 128.0;
        CHECK_EQ_INT(signal_log_table[i], (int)floor(65536.0 * (log2(1.0 + m) - m) + 0.5));
    }
    CHECK_EQ_INT(signal_log_table[129], 0);
}

static void test_log32(void) {
    /* Powers of two need no table: ln(2^k) in Q16 is 45426 k, then scaled with rounding. */
    CHECK_EQ_INT(signal_log32(8, 64), (64 * 45426 * 3 + 32768) >> 16); /* 133 = ln 8 * 64 */
    CHECK_EQ_INT(signal_log32(1, 64), 0);
    CHECK_EQ_INT(signal_log32(1u << 31, 2048), (2048u * (45426 * 31) + 32768) >> 16);
    /* The final scaling is 32-bit unsigned: here 65536 * 1408206 wraps to 31950 << 16. */
    CHECK_EQ_INT(signal_log32(1u << 31, 1 << 16), 1408206 % 65536);
    /* Elsewhere the result is within a unit or two of the exact value. */
    int bad = 0;
    for (uint32_t x = 2; x < 4000000000u; x += x / 3 + 1) {
        double exact = log((double)x) * 1000.0;
        if (fabs((double)signal_log32(x, 1000) - exact) > 2.0) bad++;
    }
    CHECK_EQ_INT(bad, 0);
    CHECK_EQ_INT(signal_log32(0, 64), 0); /* out of domain: no table read */
}

static void test_pcan(void) {
    int16_t lut[SIGNAL_PCAN_LUT_MIN] = {0};
    lut[0] = 4096;
    lut[1] = 2048;
    lut[2] = 1024; /* also c0 of octave 2 (x = 3) */
    lut[3] = 64;   /* c1 */
    lut[4] = 32;   /* c2 */
    CHECK_EQ_INT(signal_pcan_gain(0, lut), 4096);
    CHECK_EQ_INT(signal_pcan_gain(2, lut), 1024);
    /* x = 3: octave 2, t = (3 << 9) & 0x3FF = 512;
     * ((((32 * 512) >> 5) + 64 * 32) * 512 + 2^14) >> 15 = 40, plus c0 = 1064. */
    CHECK_EQ_INT(signal_pcan_gain(3, lut), 1064);
    /* The top octave reads the last three entries. */
    lut[122] = 7;
    CHECK_EQ_INT(signal_pcan_gain(0x80000000u, lut), 7);

    CHECK_EQ_INT(signal_pcan_shrink(0), 0);
    CHECK_EQ_INT(signal_pcan_shrink(6400), (6400 * 6400) >> 20); /* x^2/4: 39 */
    CHECK_EQ_INT(signal_pcan_shrink(8192), (8192 >> 6) - 64);    /* x - 1: 64 */
    CHECK_EQ_INT(signal_pcan_shrink(64000), 936);
}

TEST_MAIN(test_msb, test_sqrt32, test_sqrt64, test_log_table, test_log32, test_pcan)
