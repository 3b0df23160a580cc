/* test_signal_ops.c — each signal operator through a one-operator model, on inputs small
 * enough to check by hand; and the checks that refuse malformed models. */
#include <stdint.h>

#include "signal_test.h"
#include "test.h"

#define T1(type, n) {type, 1, {n}, NULL}
#define C1(type, n, data) {type, 1, {n}, data}

static void test_window(void) {
    static const int16_t w[4] = {4096, 2048, 8192, 1}; /* Q12: 1, 0.5, 2, 1/4096 */
    sig_spec s = {"SignalWindow", 1, {{"shift", 12}}, 2,
                  {{MOTE_INT16, 2, {2, 4}, NULL}, C1(MOTE_INT16, 4, w)}, 1, {{MOTE_INT16, 2, {2, 4}, NULL}}};
    sig_run r;
    if (!sig_open(&r, &s)) return;
    /* The window repeats for every frame; products saturate; shifts floor. */
    const int16_t x[8] = {1000, -1000, 32767, -4096, 100, 7, -32768, -1};
    sig_set_input(&r, 0, x, sizeof x);
    CHECK_OK(sig_invoke(&r));
    const int16_t *y = sig_output(&r, 0, NULL);
    const int16_t expect[8] = {1000, -500, 32767, -1, 100, 3, -32768, -1};
    for (int i = 0; i < 8; i++) CHECK_EQ_INT(y[i], expect[i]);
    sig_close(&r);
}

static void test_window_bad(void) {
    static const int16_t w[3] = {1, 2, 3};
    sig_spec s = {"SignalWindow", 1, {{"shift", 12}}, 2, {T1(MOTE_INT16, 4), C1(MOTE_INT16, 3, w)}, 1,
                  {T1(MOTE_INT16, 4)}};
    sig_run r;
    mote_status st;
    CHECK(!sig_open_status(&r, &s, &st)); /* 3 does not divide 4 */
    CHECK_EQ_INT(st, MOTE_ERROR_INVALID_MODEL);
    CHECK(strstr(sig_error(&r), "SignalWindow") != NULL);
    sig_close(&r);
    static const int16_t w4[4] = {1, 2, 3, 4};
    s.inputs[1].dims[0] = 4;
    s.inputs[1].constant = w4;
    s.options[0].value = 40; /* shift out of range */
    CHECK(!sig_open_status(&r, &s, &st));
    CHECK(strstr(sig_error(&r), "'shift'") != NULL);
    sig_close(&r);
    s.option_count = 0; /* missing */
    CHECK(!sig_open_status(&r, &s, &st));
    CHECK(strstr(sig_error(&r), "missing") != NULL);
    sig_close(&r);
}

static void run_auto_scale(const int16_t *x, const int16_t *expect, int32_t expect_bits) {
    sig_spec s = {"SignalFftAutoScale", 0, {{0}}, 1, {T1(MOTE_INT16, 4)}, 2,
                  {T1(MOTE_INT16, 4), {MOTE_INT32, 0, {0}, NULL}}};
    sig_run r;
    if (!sig_open(&r, &s)) return;
    sig_set_input(&r, 0, x, 4 * sizeof *x);
    CHECK_OK(sig_invoke(&r));
    const int16_t *y = sig_output(&r, 0, NULL);
    const int32_t *bits = sig_output(&r, 1, NULL);
    for (int i = 0; i < 4; i++) CHECK_EQ_INT(y[i], expect[i]);
    CHECK_EQ_INT(*bits, expect_bits);
    sig_close(&r);
}

static void test_fft_auto_scale(void) {
    /* Largest magnitude 100 (7 bits): shift by 16 - 7 - 1 = 8. */
    run_auto_scale((const int16_t[]){3, -100, 50, 0}, (const int16_t[]){768, -25600, 12800, 0}, 8);
    run_auto_scale((const int16_t[]){0, 0, 0, 0}, (const int16_t[]){0, 0, 0, 0}, 0);
    run_auto_scale((const int16_t[]){16384, 1, 2, 3}, (const int16_t[]){16384, 1, 2, 3}, 0);
    /* The library's quirk: -32768 negates to itself and the running maximum becomes the
     * next larger value (here 5, 3 bits: shift 12; -32768 << 12 keeps 16 zero bits). */
    run_auto_scale((const int16_t[]){-32768, 5, 1, 0}, (const int16_t[]){0, 20480, 4096, 0}, 12);
    /* Last, it leaves a negative maximum: no shift. */
    run_auto_scale((const int16_t[]){5, 1, 0, -32768}, (const int16_t[]){5, 1, 0, -32768}, 0);
}

static void test_energy(void) {
    sig_spec s = {"SignalEnergy", 2, {{"end_index", 3}, {"start_index", 1}}, 1, {T1(MOTE_INT16, 8)}, 1,
                  {T1(MOTE_UINT32, 4)}};
    sig_run r;
    if (!sig_open(&r, &s)) return;
    const int16_t z[8] = {3, 4, 1, -2, -32768, -32768, 2, 0};
    sig_set_input(&r, 0, z, sizeof z);
    CHECK_OK(sig_invoke(&r));
    const uint32_t *e = sig_output(&r, 0, NULL);
    CHECK_EQ_INT(e[0], 0); /* outside [start, end): 0 */
    CHECK_EQ_INT(e[1], 5);
    CHECK_EQ_INT(e[2], 2147483648u);
    CHECK_EQ_INT(e[3], 0);
    sig_close(&r);
    s.options[0].value = 5; /* past the 4 bins */
    mote_status st;
    CHECK(!sig_open_status(&r, &s, &st));
    CHECK_EQ_INT(st, MOTE_ERROR_INVALID_MODEL);
    sig_close(&r);
}

static void test_filter_bank(void) {
    /* Bands: 0 = bin 0 (only feeds band 1), 1 = bin 1, 2 = bins 2..3. */
    static const int16_t weights[4] = {100, 200, 300, 400}, unweights[4] = {1, 2, 3, 4};
    static const int16_t freq[3] = {0, 1, 2}, first[3] = {0, 1, 2}, width[3] = {1, 1, 2};
    sig_spec s = {"SignalFilterBank", 1, {{"num_channels", 2}}, 6,
                  {T1(MOTE_UINT32, 4), C1(MOTE_INT16, 4, weights), C1(MOTE_INT16, 4, unweights),
                   C1(MOTE_INT16, 3, freq), C1(MOTE_INT16, 3, first), C1(MOTE_INT16, 3, width)},
                  1, {T1(MOTE_UINT64, 2)}};
    sig_run r;
    if (!sig_open(&r, &s)) return;
    const uint32_t x[4] = {10, 20, 30, 40};
    sig_set_input(&r, 0, x, sizeof x);
    CHECK_OK(sig_invoke(&r));
    const uint64_t *y = sig_output(&r, 0, NULL);
    CHECK_EQ_INT(y[0], 1 * 10 + 200 * 20);             /* band 0's unweighted + band 1 weighted */
    CHECK_EQ_INT(y[1], 2 * 20 + 300 * 30 + 400 * 40);  /* 25040 */
    sig_close(&r);

    /* Negative weights wrap modulo 2^64, as the library's uint64 sums do. */
    static const int16_t negative[4] = {100, -1, 300, 400};
    s.inputs[1].constant = negative;
    if (!sig_open(&r, &s)) return;
    sig_set_input(&r, 0, x, sizeof x);
    CHECK_OK(sig_invoke(&r));
    y = sig_output(&r, 0, NULL);
    CHECK(y[0] == (uint64_t)10 - 20);
    sig_close(&r);

    /* A band reading past the spectrum. */
    static const int16_t wide[3] = {1, 1, 3};
    s.inputs[1].constant = weights;
    s.inputs[5].constant = wide;
    mote_status st;
    CHECK(!sig_open_status(&r, &s, &st));
    CHECK_EQ_INT(st, MOTE_ERROR_INVALID_MODEL);
    CHECK(strstr(sig_error(&r), "band 2") != NULL);
    sig_close(&r);
}

static void test_filter_bank_square_root(void) {
    sig_spec s = {"SignalFilterBankSquareRoot", 0, {{0}}, 2, {T1(MOTE_UINT64, 6), {MOTE_INT32, 0, {0}, NULL}}, 1,
                  {T1(MOTE_UINT32, 6)}};
    sig_run r;
    if (!sig_open(&r, &s)) return;
    const uint64_t x[6] = {0, 2, 13, (uint64_t)1 << 40, UINT64_MAX, 1000000};
    int32_t bits = 0;
    sig_set_input(&r, 0, x, sizeof x);
    sig_set_input(&r, 1, &bits, sizeof bits);
    CHECK_OK(sig_invoke(&r));
    const uint32_t *y = sig_output(&r, 0, NULL);
    const uint32_t expect[6] = {0, 1, 4, 1u << 20, 0xFFFFFFFFu, 1000};
    for (int i = 0; i < 6; i++) CHECK_EQ_INT(y[i], expect[i]);
    bits = 3; /* scaled back down by the FFT's auto-scale shift */
    sig_set_input(&r, 1, &bits, sizeof bits);
    CHECK_OK(sig_invoke(&r));
    for (int i = 0; i < 6; i++) CHECK_EQ_INT(y[i], expect[i] >> 3);
    bits = 40;
    sig_set_input(&r, 1, &bits, sizeof bits);
    CHECK_EQ_INT(sig_invoke(&r), MOTE_ERROR_RUNTIME);
    sig_close(&r);
}

static sig_spec subtraction_spec(int clamping) {
    /* Q14 coefficients: even bands smooth by 0.1, odd ones by 0.2; floor 0.1 of the signal. */
    sig_spec s = {"SignalFilterBankSpectralSubtraction", 9,
                  {{"alternate_one_minus_smoothing", 13107},
                   {"alternate_smoothing", 3277},
                   {"clamping", clamping},
                   {"min_signal_remaining", 1638},
                   {"num_channels", 2},
                   {"one_minus_smoothing", 14746},
                   {"smoothing", 1638},
                   {"smoothing_bits", 0},
                   {"spectral_subtraction_bits", 14}},
                  1, {T1(MOTE_UINT32, 2)}, 2, {T1(MOTE_UINT32, 2), T1(MOTE_UINT32, 2)}};
    return s;
}

static void test_spectral_subtraction(void) {
    sig_spec s = subtraction_spec(0);
    sig_run r;
    if (!sig_open(&r, &s)) return;
    const uint32_t x[2] = {1000, 1000}, silence[2] = {0, 0};
    sig_set_input(&r, 0, x, sizeof x);
    CHECK_OK(sig_invoke(&r));
    const uint32_t *y = sig_output(&r, 0, NULL), *noise = sig_output(&r, 1, NULL);
    /* noise = (1000 * 1638) >> 14 = 99, out = 1000 - 99; odd band: (1000 * 3277) >> 14 = 200 */
    CHECK_EQ_INT(noise[0], 99);
    CHECK_EQ_INT(y[0], 901);
    CHECK_EQ_INT(noise[1], 200);
    CHECK_EQ_INT(y[1], 800);
    /* The estimate persists: (1000 * 1638 + 99 * 14746) >> 14 = 189. */
    CHECK_OK(sig_invoke(&r));
    CHECK_EQ_INT(noise[0], 189);
    CHECK_EQ_INT(y[0], 811);
    /* Silence: the estimate stays above the signal without clamping, the output is 0. */
    sig_set_input(&r, 0, silence, sizeof silence);
    CHECK_OK(sig_invoke(&r));
    CHECK_EQ_INT(noise[0], (189 * 14746) >> 14); /* 170 */
    CHECK_EQ_INT(y[0], 0);
    /* reset_variables starts the estimate again from zero. */
    CHECK_OK(mote_interpreter_reset_variables(r.it));
    sig_set_input(&r, 0, x, sizeof x);
    CHECK_OK(sig_invoke(&r));
    CHECK_EQ_INT(noise[0], 99);
    CHECK_EQ_INT(y[0], 901);
    /* So does allocate_tensors. */
    CHECK_OK(sig_invoke(&r));
    CHECK_OK(mote_interpreter_allocate_tensors(r.it));
    sig_set_input(&r, 0, x, sizeof x);
    CHECK_OK(sig_invoke(&r));
    y = sig_output(&r, 0, NULL);
    noise = sig_output(&r, 1, NULL);
    CHECK_EQ_INT(noise[0], 99);
    sig_close(&r);

    /* With clamping, silence pulls the estimate down to the signal. */
    s = subtraction_spec(1);
    if (!sig_open(&r, &s)) return;
    sig_set_input(&r, 0, x, sizeof x);
    CHECK_OK(sig_invoke(&r));
    sig_set_input(&r, 0, silence, sizeof silence);
    CHECK_OK(sig_invoke(&r));
    noise = sig_output(&r, 1, NULL);
    CHECK_EQ_INT(noise[0], 0);
    sig_close(&r);

    /* The input must have num_channels bands. */
    s.inputs[0].dims[0] = 3;
    mote_status st;
    CHECK(!sig_open_status(&r, &s, &st));
    CHECK_EQ_INT(st, MOTE_ERROR_INVALID_MODEL);
    sig_close(&r);
}

static void test_filter_bank_log(void) {
    sig_spec s = {"SignalFilterBankLog", 2, {{"input_correction_bits", 3}, {"output_scale", 64}}, 1,
                  {T1(MOTE_UINT32, 4)}, 1, {T1(MOTE_INT16, 4)}};
    sig_run r;
    if (!sig_open(&r, &s)) return;
    /* ln(x * 8) * 64: x = 1 is ln 8 * 64 = 133.08; 0 stays 0; huge values cap at 32767 only
     * if the scale allows (here ln(2^31) * 64 = 1374). */
    const uint32_t x[4] = {0, 1, 1u << 28, 0x40000000u};
    sig_set_input(&r, 0, x, sizeof x);
    CHECK_OK(sig_invoke(&r));
    const int16_t *y = sig_output(&r, 0, NULL);
    CHECK_EQ_INT(y[0], 0);
    CHECK_EQ_INT(y[1], 133);
    CHECK_EQ_INT(y[2], (64 * 45426 * 31 + 32768) >> 16); /* 2^31: 1374 */
    CHECK_EQ_INT(y[3], 0);                               /* 2^30 << 3 wraps to 0 */
    sig_close(&r);
    s.options[1].value = 20000; /* ln(8) * 20000 = 41589: capped */
    if (!sig_open(&r, &s)) return;
    sig_set_input(&r, 0, x, sizeof x);
    CHECK_OK(sig_invoke(&r));
    y = sig_output(&r, 0, NULL);
    CHECK_EQ_INT(y[1], 32767);
    sig_close(&r);
}

static void test_pcan(void) {
    static int16_t lut[125];
    lut[0] = 4096;
    lut[1] = 2048;
    lut[2] = 1024;
    lut[3] = 64;
    lut[4] = 32;
    sig_spec s = {"SignalPCAN", 1, {{"snr_shift", 6}}, 3,
                  {T1(MOTE_UINT32, 4), T1(MOTE_UINT32, 4), C1(MOTE_INT16, 125, lut)}, 1, {T1(MOTE_UINT32, 4)}};
    sig_run r;
    if (!sig_open(&r, &s)) return;
    const uint32_t x[4] = {100, 100, 1000, 64}, noise[4] = {0, 1, 0, 3};
    sig_set_input(&r, 0, x, sizeof x);
    sig_set_input(&r, 1, noise, sizeof noise);
    CHECK_OK(sig_invoke(&r));
    const uint32_t *y = sig_output(&r, 0, NULL);
    CHECK_EQ_INT(y[0], (6400 * 6400) >> 20);       /* snr 100 * 4096 >> 6 = 6400: x^2/4 */
    CHECK_EQ_INT(y[1], (3200 * 3200) >> 20);       /* gain 2048 */
    CHECK_EQ_INT(y[2], (64000 >> 6) - 64);         /* snr 64000 >= 2: x - 1 */
    CHECK_EQ_INT(y[3], ((64 * 1064) >> 6) * ((64 * 1064) >> 6) >> 20); /* gain(3) = 1064 */
    sig_close(&r);
    s.inputs[2].dims[0] = 100; /* too small a table */
    mote_status st;
    CHECK(!sig_open_status(&r, &s, &st));
    CHECK_EQ_INT(st, MOTE_ERROR_INVALID_MODEL);
    sig_close(&r);
}

static void test_register(void) {
    CHECK_EQ_INT(mote_signal_register(NULL), MOTE_ERROR_INVALID_ARGUMENT);
}

TEST_MAIN(test_window, test_window_bad, test_fft_auto_scale, test_energy, test_filter_bank,
          test_filter_bank_square_root, test_spectral_subtraction, test_filter_bank_log, test_pcan,
          test_register)
