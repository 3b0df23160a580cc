/* test_resize.c — what RESIZE_BILINEAR and RESIZE_NEAREST_NEIGHBOR refuse, with a message:
 * a target size only known while running, a size that is not positive, and bilinear with
 * both align_corners and half_pixel_centers. Float bilinear (rows split over threads) is
 * compared bit for bit with TensorFlow Lite's formula written out here; the rest of the
 * arithmetic is checked by the opsuite. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "format/builtin_ops.h"
#include "format/tflite_schema.h"
#include "mote_writer.h"
#include "opt_run.h"
#include "test.h"

/* x float [1, 2, 2, 1] and size int32 [2] (a constant when `size` is given, else a graph
 * input) -> op -> y [1, 4, 4, 1]. */
static mote_writer *build(int32_t code, const int32_t *size, int align_corners, int half_pixel) {
    int32_t dx[4] = {1, 2, 2, 1}, dy[4] = {1, 4, 4, 1}, ds[1] = {2}, x, s, y;
    mote_writer *w;
    CHECK_OK(mote_writer_create(NULL, &w));
    CHECK_OK(mote_writer_add_tensor(w, "x", MOTE_FLOAT32, 4, dx, NULL, 0, &x));
    CHECK_OK(mote_writer_add_tensor(w, "size", MOTE_INT32, 1, ds, size, size ? 2 * sizeof *size : 0, &s));
    CHECK_OK(mote_writer_add_tensor(w, "y", MOTE_FLOAT32, 4, dy, NULL, 0, &y));
    int bilinear = code == MOTE_OP_RESIZE_BILINEAR;
    /* Field ids: bilinear 2 and 3 (0 and 1 are deprecated), nearest 0 and 1. */
    mote_option_field fields[2] = {{bilinear ? 2 : 0, MOTE_FIELD_BOOL, align_corners, 0, NULL, 0, NULL},
                                   {bilinear ? 3 : 1, MOTE_FIELD_BOOL, half_pixel, 0, NULL, 0, NULL}};
    mote_writer_op op = {code,
                         NULL,
                         0,
                         2,
                         (int32_t[]){x, s},
                         1,
                         &y,
                         0,
                         NULL,
                         bilinear ? TFL_OPTIONS_RESIZE_BILINEAR : TFL_OPTIONS_RESIZE_NEAREST_NEIGHBOR,
                         2,
                         fields,
                         NULL,
                         0};
    CHECK_OK(mote_writer_add_op(w, &op, NULL));
    int32_t inputs[2] = {x, s};
    CHECK_OK(mote_writer_set_inputs(w, size ? 1 : 2, inputs));
    CHECK_OK(mote_writer_set_outputs(w, 1, &y));
    return w;
}

/* Creates and allocates; returns the first failing status and checks the message has `why`. */
static mote_status run(mote_writer *w, const char *why) {
    const void *data;
    size_t size;
    mote_model *m = NULL;
    mote_interpreter *it = NULL;
    CHECK_OK(mote_writer_finish(w, &data, &size));
    CHECK_OK(mote_model_load_memory(data, size, NULL, &m));
    mote_status st = mote_interpreter_create(m, NULL, &it);
    if (!st) st = mote_interpreter_allocate_tensors(it);
    if (why) {
        const char *msg = mote_interpreter_error(it);
        if (!strstr(msg, why)) fprintf(stderr, "message '%s' lacks '%s'\n", msg, why);
        CHECK(strstr(msg, why) != NULL);
    }
    mote_interpreter_destroy(it);
    mote_model_destroy(m);
    mote_writer_destroy(w);
    return st;
}

static void test_constant_size_accepted(void) {
    static const int32_t size[2] = {4, 4};
    CHECK_OK(run(build(MOTE_OP_RESIZE_BILINEAR, size, 0, 1), NULL));
    /* Nearest neighbor accepts both flags together, as TensorFlow Lite does. */
    CHECK_OK(run(build(MOTE_OP_RESIZE_NEAREST_NEIGHBOR, size, 1, 1), NULL));
}

static void test_size_computed_at_run_time_refused(void) {
    CHECK_EQ_INT(run(build(MOTE_OP_RESIZE_BILINEAR, NULL, 0, 0), "computed while running"),
                 MOTE_ERROR_UNSUPPORTED);
    CHECK_EQ_INT(run(build(MOTE_OP_RESIZE_NEAREST_NEIGHBOR, NULL, 0, 0), "computed while running"),
                 MOTE_ERROR_UNSUPPORTED);
}

static void test_bad_size_refused(void) {
    static const int32_t zero[2] = {0, 4}, negative[2] = {4, -1};
    CHECK_EQ_INT(run(build(MOTE_OP_RESIZE_BILINEAR, zero, 0, 0), "not positive"), MOTE_ERROR_INVALID_MODEL);
    CHECK_EQ_INT(run(build(MOTE_OP_RESIZE_NEAREST_NEIGHBOR, negative, 0, 0), "not positive"),
                 MOTE_ERROR_INVALID_MODEL);
}

static void test_bilinear_conflicting_flags_refused(void) {
    static const int32_t size[2] = {4, 4};
    CHECK_EQ_INT(run(build(MOTE_OP_RESIZE_BILINEAR, size, 1, 1), "cannot both"), MOTE_ERROR_INVALID_MODEL);
}

/* TensorFlow Lite's reference along one axis: where output coordinate o samples the input,
 * its two neighbours (clamped), and the fraction past the first. */
static float naive_source(int32_t o, float scale, int half, int32_t n, int32_t *lo, int32_t *hi) {
    const float p = half ? ((float)o + 0.5f) * scale - 0.5f : (float)o * scale;
    int32_t f = (int32_t)floorf(p), c = (int32_t)ceilf(p);
    *lo = f < 0 ? 0 : f > n - 1 ? n - 1 : f;
    *hi = c > n - 1 ? n - 1 : c < 0 ? 0 : c;
    return p - (float)*lo;
}

/* TensorFlow Lite's reference: the source position, its two neighbours, the four products. */
static void naive_bilinear(const float *x, int32_t b_n, int32_t h, int32_t w, int32_t c_n, int32_t oh, int32_t ow,
                           int align, int half, float *y) {
    const float hs = align && oh > 1 ? (float)(h - 1) / (float)(oh - 1) : (float)h / (float)oh;
    const float ws = align && ow > 1 ? (float)(w - 1) / (float)(ow - 1) : (float)w / (float)ow;
    for (int32_t b = 0; b < b_n; b++)
        for (int32_t oy = 0; oy < oh; oy++) {
            int32_t y0, y1;
            const float dy = naive_source(oy, hs, half, h, &y0, &y1);
            for (int32_t ox = 0; ox < ow; ox++) {
                int32_t x0, x1;
                const float dx = naive_source(ox, ws, half, w, &x0, &x1);
                for (int32_t c = 0; c < c_n; c++) {
#define AT(yy, xx) x[(((size_t)b * h + (yy)) * w + (xx)) * c_n + c]
                    *y++ = AT(y0, x0) * (1 - dy) * (1 - dx) + AT(y1, x0) * dy * (1 - dx) +
                           AT(y0, x1) * (1 - dy) * dx + AT(y1, x1) * dy * dx;
#undef AT
                }
            }
        }
}

static void check_bilinear_float_exact(int32_t c_n) {
    const int32_t b_n = 2, h = 7, w = 5, oh = 19, ow = 13;
    const int32_t dx[4] = {b_n, h, w, c_n}, dy[4] = {b_n, oh, ow, c_n}, ds[1] = {2}, size[2] = {oh, ow};
    const size_t in_n = (size_t)b_n * h * w * c_n, out_n = (size_t)b_n * oh * ow * c_n;
    float *xv = malloc(in_n * sizeof *xv), *want = malloc(out_n * sizeof *want);
    for (size_t i = 0; i < in_n; i++) xv[i] = (float)((i * 7919) % 1000) / 37.0f - 13.0f;
    const int flags[3][2] = {{0, 0}, {1, 0}, {0, 1}};
    for (int f = 0; f < 3; f++) {
        naive_bilinear(xv, b_n, h, w, c_n, oh, ow, flags[f][0], flags[f][1], want);
        for (int threads = 1; threads <= 3; threads += 2) {
            mote_writer *wr;
            int32_t x, s, y;
            CHECK_OK(mote_writer_create(NULL, &wr));
            CHECK_OK(mote_writer_add_tensor(wr, "x", MOTE_FLOAT32, 4, dx, NULL, 0, &x));
            CHECK_OK(mote_writer_add_tensor(wr, "size", MOTE_INT32, 1, ds, size, sizeof size, &s));
            CHECK_OK(mote_writer_add_tensor(wr, "y", MOTE_FLOAT32, 4, dy, NULL, 0, &y));
            mote_option_field fields[2] = {opt_bool(2, flags[f][0]), opt_bool(3, flags[f][1])};
            int32_t ins[2] = {x, s};
            opt_add_op(wr, MOTE_OP_RESIZE_BILINEAR, TFL_OPTIONS_RESIZE_BILINEAR, 2, fields, 2, ins, y);
            CHECK_OK(mote_writer_set_inputs(wr, 1, &x));
            CHECK_OK(mote_writer_set_outputs(wr, 1, &y));
            mote_model *m;
            mote_interpreter *it = opt_open(wr, 0, threads, &m);
            if (it) {
                mote_tensor *t;
                size_t bytes;
                CHECK_OK(mote_interpreter_input(it, 0, &t));
                CHECK_OK(mote_tensor_copy_from(t, xv, in_n * sizeof *xv));
                float *got = opt_invoke_output(it, &bytes);
                CHECK(bytes == out_n * sizeof *got && memcmp(got, want, bytes) == 0);
                free(got);
            }
            opt_close(it, m);
            mote_writer_destroy(wr);
        }
    }
    free(xv), free(want);
}

/* 21 classes (deeplabv3: 16 channels and a masked 5 with AVX-512), fewer than a vector,
 * exactly two vectors. */
static void test_bilinear_float_exact_on_threads(void) {
    const int32_t channels[3] = {21, 3, 32};
    for (int i = 0; i < 3; i++) check_bilinear_float_exact(channels[i]);
}

TEST_MAIN(test_bilinear_float_exact_on_threads, test_constant_size_accepted, test_size_computed_at_run_time_refused, test_bad_size_refused,
          test_bilinear_conflicting_flags_refused)
