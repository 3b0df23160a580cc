/* test_signal_rfft.c — SignalRfft: hand-checkable transforms (an impulse, a constant), the
 * DFT it approximates at every supported radix, zero padding, several frames, and lengths
 * it refuses. Bit-exactness against the library is checked end to end by the
 * audio_preprocessor feature test. */
#include <math.h>
#include <stdint.h>

#include "signal_test.h"
#include "test.h"

static sig_spec rfft_spec(int32_t fft_length, int32_t frames, int32_t frame) {
    sig_spec s = {"SignalRfft", 2, {{"T", 7}, {"fft_length", fft_length}}, 1,
                  {{MOTE_INT16, 2, {frames, frame}, NULL}}, 1,
                  {{MOTE_INT16, 2, {frames, fft_length + 2}, NULL}}};
    return s;
}

static void test_impulse(void) {
    /* An impulse has a flat spectrum: 8192 / 8 = 1024 in every bin (every radix-4 stage and
     * the split divide, rounding half up). */
    sig_spec s = rfft_spec(8, 1, 8);
    sig_run r;
    if (!sig_open(&r, &s)) return;
    const int16_t x[8] = {8192};
    sig_set_input(&r, 0, x, sizeof x);
    CHECK_OK(sig_invoke(&r));
    const int16_t *y = sig_output(&r, 0, NULL);
    for (int k = 0; k < 5; k++) {
        CHECK_EQ_INT(y[2 * k], 1024);
        CHECK_EQ_INT(y[2 * k + 1], 0);
    }
    sig_close(&r);
}

static void test_constant(void) {
    /* A constant is all DC: 8 * 1000 / 8 = 1000, other bins 0. */
    sig_spec s = rfft_spec(8, 1, 8);
    sig_run r;
    if (!sig_open(&r, &s)) return;
    const int16_t x[8] = {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000};
    sig_set_input(&r, 0, x, sizeof x);
    CHECK_OK(sig_invoke(&r));
    const int16_t *y = sig_output(&r, 0, NULL);
    CHECK_NEAR(y[0], 1000, 1);
    for (int k = 1; k < 10; k++) /* y[1] is DC's imaginary part */
        CHECK_NEAR(y[k], 0, 1);
    sig_close(&r);
}

/* Random frames against a double-precision DFT scaled by 1/n, for lengths whose halves use
 * radices 4, 2, 3 and 5; two frames of `frame` samples zero-padded to n. */
static void check_against_dft(int32_t n, int32_t frame) {
    sig_spec s = rfft_spec(n, 2, frame);
    sig_run r;
    if (!sig_open(&r, &s)) return;
    int16_t x[2 * 512];
    uint32_t seed = 12345u + (uint32_t)n;
    for (int32_t i = 0; i < 2 * frame; i++) {
        seed = seed * 1664525u + 1013904223u;
        x[i] = (int16_t)((int32_t)(seed >> 16) - 32768);
    }
    sig_set_input(&r, 0, x, (size_t)(2 * frame) * sizeof *x);
    CHECK_OK(sig_invoke(&r));
    const int16_t *y = sig_output(&r, 0, NULL);
    double worst = 0;
    for (int f = 0; f < 2; f++)
        for (int32_t k = 0; k <= n / 2; k++) {
            double re = 0, im = 0;
            for (int32_t t = 0; t < frame; t++) {
                double a = -2.0 * 3.14159265358979323846 * (double)k * t / n;
                re += x[f * frame + t] * cos(a);
                im += x[f * frame + t] * sin(a);
            }
            const int16_t *bin = y + f * (n + 2) + 2 * k;
            worst = fmax(worst, fmax(fabs(bin[0] - re / n), fabs(bin[1] - im / n)));
        }
    /* A few units of 16-bit rounding per stage. */
    if (worst > 8) fprintf(stderr, "n = %d: worst error %.2f\n", n, worst);
    CHECK(worst <= 8);
    sig_close(&r);
}

static void test_against_dft(void) {
    check_against_dft(512, 480); /* the micro_speech front end: 4 x 4 x 4 x 4, padded */
    check_against_dft(256, 256); /* 4 x 4 x 4 x 2 */
    check_against_dft(12, 12);   /* 2 x 3 */
    check_against_dft(20, 17);   /* 2 x 5, padded */
    check_against_dft(60, 60);   /* 2 x 3 x 5 */
    check_against_dft(250, 250); /* 5 x 5 x 5 */
}

static void test_refused(void) {
    sig_run r;
    mote_status st;
    sig_spec s = rfft_spec(14, 1, 14); /* 7 points: the fixed-point library cannot */
    CHECK(!sig_open_status(&r, &s, &st));
    CHECK_EQ_INT(st, MOTE_ERROR_UNSUPPORTED);
    sig_close(&r);
    s = rfft_spec(9, 1, 8);
    CHECK(!sig_open_status(&r, &s, &st));
    CHECK_EQ_INT(st, MOTE_ERROR_INVALID_MODEL);
    sig_close(&r);
    s = rfft_spec(8, 1, 10); /* frames longer than the FFT */
    CHECK(!sig_open_status(&r, &s, &st));
    CHECK_EQ_INT(st, MOTE_ERROR_INVALID_MODEL);
    sig_close(&r);
    s = rfft_spec(8, 1, 8);
    s.options[0].value = 1; /* float32 */
    CHECK(!sig_open_status(&r, &s, &st));
    CHECK_EQ_INT(st, MOTE_ERROR_UNSUPPORTED);
    sig_close(&r);
}

TEST_MAIN(test_impulse, test_constant, test_against_dft, test_refused)
