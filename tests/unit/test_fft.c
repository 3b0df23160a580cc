/* test_fft.c — RFFT2D against a direct DFT (zero padding, cropping, batches, lengths of 1 and
 * 2), COMPLEX_ABS, REAL and IMAG, and fft lengths that are refused. */
#include "test_arith_harness.h"

/* out[s][u][v] = sum over y < min(h, fh), x < min(w, fw) of in[s][y][x] e^{-2 pi i (uy/fh + vx/fw)}. */
static void direct_dft(const float *in, int slices, int h, int w, int fh, int fw, double *re, double *im) {
    const double pi = 3.14159265358979323846;
    const int bins = fw / 2 + 1;
    for (int s = 0; s < slices; s++)
        for (int u = 0; u < fh; u++)
            for (int v = 0; v < bins; v++) {
                double sr = 0, si = 0;
                for (int y = 0; y < h && y < fh; y++)
                    for (int x = 0; x < w && x < fw; x++) {
                        double a = -2.0 * pi * ((double)u * y / fh + (double)v * x / fw);
                        double val = in[(s * h + y) * w + x];
                        sr += val * cos(a);
                        si += val * sin(a);
                    }
                re[(s * fh + u) * bins + v] = sr;
                im[(s * fh + u) * bins + v] = si;
            }
}

/* RFFT2D of a [slices, h, w] input with fft_length [fh, fw], checked against direct_dft. */
static void check_rfft(int slices, int h, int w, int fh, int fw) {
    const int bins = fw / 2 + 1, n_in = slices * h * w, n_out = slices * fh * bins;
    float *in = malloc((size_t)n_in * sizeof *in), *out = malloc((size_t)n_out * 2 * sizeof *out);
    double *re = malloc((size_t)n_out * sizeof *re), *im = malloc((size_t)n_out * sizeof *im);
    for (int i = 0; i < n_in; i++) in[i] = (float)((i * 37) % 19) / 7.0f - 1.3f;
    direct_dft(in, slices, h, w, fh, fw, re, im);
    const int32_t len[2] = {fh, fw};
    op_tensor t[3] = {{MOTE_FLOAT32, 3, {slices, h, w}, 0, 0, NULL, 0},
                      {MOTE_INT32, 1, {2}, 0, 0, len, sizeof len},
                      {MOTE_COMPLEX64, 3, {slices, fh, bins}, 0, 0, NULL, 0}};
    op_call call = {MOTE_OP_RFFT2D, 0, 0, NULL, 2, 1, t};
    const void *ins[1] = {in};
    void *outs[1] = {out};
    const size_t bytes = (size_t)n_out * 2 * sizeof *out;
    mote_status st = op_run(&call, ins, outs, &bytes);
    if (st) fprintf(stderr, "rfft2d [%d, %d, %d] -> [%d, %d]: %s\n", slices, h, w, fh, fw, op_error);
    CHECK_OK(st);
    for (int i = 0; !st && i < n_out; i++) {
        CHECK_NEAR(out[2 * i], re[i], 1e-4);
        CHECK_NEAR(out[2 * i + 1], im[i], 1e-4);
    }
    free(in);
    free(out);
    free(re);
    free(im);
}

static void test_rfft2d_matches_direct_dft(void) {
    check_rfft(2, 3, 5, 4, 8);   /* zero-padded both ways */
    check_rfft(1, 6, 10, 4, 4);  /* cropped both ways */
    check_rfft(3, 1, 16, 1, 16); /* the yamnet shape, smaller: one row */
    check_rfft(1, 8, 2, 8, 2);   /* width 2: one complex value per row */
    check_rfft(1, 2, 1, 2, 1);   /* width 1 */
    check_rfft(1, 4, 64, 2, 128);
}

static void test_bad_fft_length_refused(void) {
    static const int32_t not_pow2[2] = {4, 6};
    float in[8] = {0}, out[16];
    op_tensor t[3] = {{MOTE_FLOAT32, 2, {2, 4}, 0, 0, NULL, 0},
                      {MOTE_INT32, 1, {2}, 0, 0, not_pow2, sizeof not_pow2},
                      {MOTE_COMPLEX64, 2, {4, 4}, 0, 0, NULL, 0}};
    op_call call = {MOTE_OP_RFFT2D, 0, 0, NULL, 2, 1, t};
    const void *ins[1] = {in};
    void *outs[1] = {out};
    const size_t bytes = sizeof out;
    CHECK_EQ_INT(op_run(&call, ins, outs, &bytes), MOTE_ERROR_INVALID_MODEL);
    CHECK(strstr(op_error, "power of two") != NULL);
}

static void test_complex_parts(void) {
    const float z[6] = {3.0f, -4.0f, -1.5f, 0.0f, 0.0f, 2.0f}; /* (re, im) pairs */
    float y[3];
    op_tensor in = {MOTE_COMPLEX64, 1, {3}, 0, 0, NULL, 0}, out = {MOTE_FLOAT32, 1, {3}, 0, 0, NULL, 0};
    CHECK_OK(op_unary(MOTE_OP_COMPLEX_ABS, 0, NULL, 0, &in, &out, z, y, sizeof y));
    CHECK_NEAR(y[0], 5.0, 0);
    CHECK_NEAR(y[1], 1.5, 0);
    CHECK_NEAR(y[2], 2.0, 0);
    CHECK_OK(op_unary(MOTE_OP_REAL, 0, NULL, 0, &in, &out, z, y, sizeof y));
    CHECK_NEAR(y[0], 3.0, 0);
    CHECK_NEAR(y[1], -1.5, 0);
    CHECK_OK(op_unary(MOTE_OP_IMAG, 0, NULL, 0, &in, &out, z, y, sizeof y));
    CHECK_NEAR(y[0], -4.0, 0);
    CHECK_NEAR(y[2], 2.0, 0);
    /* The output must be the real type of the input's precision. */
    op_tensor bad = {MOTE_FLOAT64, 1, {3}, 0, 0, NULL, 0};
    double yd[3];
    CHECK_EQ_INT(op_unary(MOTE_OP_REAL, 0, NULL, 0, &in, &bad, z, yd, sizeof yd), MOTE_ERROR_INVALID_MODEL);
}

TEST_MAIN(test_rfft2d_matches_direct_dft, test_bad_fft_length_refused, test_complex_parts)
