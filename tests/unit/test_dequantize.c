/* test_dequantize.c — DEQUANTIZE beyond the opsuite's per-tensor cases: per-channel int8
 * scales and zero points along an inner axis, an input without scales, and a constant
 * float16 tensor folded at allocate time; models are built with the writer and run through
 * the interpreter. */
#include <stdint.h>

#include "format/builtin_ops.h"
#include "mote_writer.h"
#include "test.h"

/* Builds, loads and allocates; returns NULL (after reporting) on any failure. */
static mote_interpreter *build(mote_writer *w, mote_model **model) {
    const void *data = NULL;
    size_t size = 0;
    mote_interpreter *it = NULL;
    *model = NULL;
    CHECK_OK(mote_writer_finish(w, &data, &size));
    if (mote_model_load_memory(data, size, NULL, model)) {
        fprintf(stderr, "load: %s\n", mote_model_error(*model));
        CHECK(0);
        return NULL;
    }
    mote_status st = mote_interpreter_create(*model, NULL, &it);
    if (!st) st = mote_interpreter_allocate_tensors(it);
    if (st) {
        fprintf(stderr, "interpreter: %s\n", mote_interpreter_error(it));
        CHECK(0);
        mote_interpreter_destroy(it);
        return NULL;
    }
    return it;
}

/* x int8 [2, 3], scales and zero points per column -> DEQUANTIZE -> y float [2, 3]. */
static void test_per_channel_int8(void) {
    static const float scales[3] = {0.5f, 0.25f, 2.0f};
    static const int64_t zero_points[3] = {0, 1, -2};
    const int8_t x[6] = {-4, 5, 0, 127, -128, -2};
    int32_t dims[2] = {2, 3}, xt, yt;
    mote_writer *w;
    CHECK_OK(mote_writer_create(NULL, &w));
    CHECK_OK(mote_writer_add_tensor(w, "x", MOTE_INT8, 2, dims, NULL, 0, &xt));
    CHECK_OK(mote_writer_set_quantization(w, xt, 3, scales, zero_points, 1));
    CHECK_OK(mote_writer_add_tensor(w, "y", MOTE_FLOAT32, 2, dims, NULL, 0, &yt));
    mote_writer_op op = {MOTE_OP_DEQUANTIZE, NULL, 0, 1, &xt, 1, &yt, 0, NULL, 0, 0, NULL, NULL, 0};
    CHECK_OK(mote_writer_add_op(w, &op, NULL));
    CHECK_OK(mote_writer_set_inputs(w, 1, &xt));
    CHECK_OK(mote_writer_set_outputs(w, 1, &yt));
    mote_model *m;
    mote_interpreter *it = build(w, &m);
    if (it) {
        mote_tensor *in, *out;
        float y[6] = {0};
        CHECK_OK(mote_interpreter_input(it, 0, &in));
        CHECK_OK(mote_tensor_copy_from(in, x, sizeof x));
        CHECK_OK(mote_interpreter_invoke(it));
        CHECK_OK(mote_interpreter_output(it, 0, &out));
        CHECK_OK(mote_tensor_copy_to(out, y, sizeof y));
        for (int i = 0; i < 6; i++) {
            int c = i % 3;
            CHECK_NEAR(y[i], scales[c] * (float)(x[i] - zero_points[c]), 0);
        }
    }
    mote_interpreter_destroy(it);
    mote_model_destroy(m);
    mote_writer_destroy(w);
}

/* An int8 input without scales cannot be dequantized: refused at allocate, naming the op. */
static void test_unquantized_input_refused(void) {
    int32_t dims[2] = {2, 3}, xt, yt;
    mote_writer *w;
    CHECK_OK(mote_writer_create(NULL, &w));
    CHECK_OK(mote_writer_add_tensor(w, "x", MOTE_INT8, 2, dims, NULL, 0, &xt));
    CHECK_OK(mote_writer_add_tensor(w, "y", MOTE_FLOAT32, 2, dims, NULL, 0, &yt));
    mote_writer_op op = {MOTE_OP_DEQUANTIZE, NULL, 0, 1, &xt, 1, &yt, 0, NULL, 0, 0, NULL, NULL, 0};
    CHECK_OK(mote_writer_add_op(w, &op, NULL));
    CHECK_OK(mote_writer_set_inputs(w, 1, &xt));
    CHECK_OK(mote_writer_set_outputs(w, 1, &yt));
    const void *data;
    size_t size;
    mote_model *m = NULL;
    mote_interpreter *it = NULL;
    CHECK_OK(mote_writer_finish(w, &data, &size));
    CHECK_OK(mote_model_load_memory(data, size, NULL, &m));
    CHECK_OK(mote_interpreter_create(m, NULL, &it));
    CHECK_EQ_INT(mote_interpreter_allocate_tensors(it), MOTE_ERROR_INVALID_MODEL);
    CHECK(strstr(mote_interpreter_error(it), "DEQUANTIZE") != NULL);
    CHECK(strstr(mote_interpreter_error(it), "no quantization") != NULL);
    mote_interpreter_destroy(it);
    mote_model_destroy(m);
    mote_writer_destroy(w);
}

/* A constant float16 tensor: DEQUANTIZE is folded, its output ready before any invoke. */
static void test_float16_constant_folded(void) {
    /* 1, -2, 0.5, 65504 (largest half), 2^-24 (smallest subnormal), -0 */
    static const uint16_t halves[6] = {0x3c00, 0xc000, 0x3800, 0x7bff, 0x0001, 0x8000};
    static const float expect[6] = {1.0f, -2.0f, 0.5f, 65504.0f, 5.9604645e-8f, -0.0f};
    int32_t dims[1] = {6}, ht, yt;
    mote_writer *w;
    CHECK_OK(mote_writer_create(NULL, &w));
    CHECK_OK(mote_writer_add_tensor(w, "h", MOTE_FLOAT16, 1, dims, halves, sizeof halves, &ht));
    CHECK_OK(mote_writer_add_tensor(w, "y", MOTE_FLOAT32, 1, dims, NULL, 0, &yt));
    mote_writer_op op = {MOTE_OP_DEQUANTIZE, NULL, 0, 1, &ht, 1, &yt, 0, NULL, 0, 0, NULL, NULL, 0};
    CHECK_OK(mote_writer_add_op(w, &op, NULL));
    CHECK_OK(mote_writer_set_inputs(w, 0, NULL));
    CHECK_OK(mote_writer_set_outputs(w, 1, &yt));
    mote_model *m;
    mote_interpreter *it = build(w, &m);
    if (it) {
        mote_tensor *out;
        float y[6] = {0};
        CHECK_OK(mote_interpreter_output(it, 0, &out));
        CHECK_OK(mote_tensor_copy_to(out, y, sizeof y)); /* no invoke: folded at allocate */
        for (int i = 0; i < 6; i++) CHECK_NEAR(y[i], expect[i], 0);
        CHECK(signbit(y[5]));
    }
    mote_interpreter_destroy(it);
    mote_model_destroy(m);
    mote_writer_destroy(w);
}

TEST_MAIN(test_per_channel_int8, test_unquantized_input_refused, test_float16_constant_folded)
