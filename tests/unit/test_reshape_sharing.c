/* test_reshape_sharing.c — a reshape's output shares its input's buffer (the planner gives
 * both one place and the copy disappears) where that is safe, and the values are right
 * either way: chains of reshapes, an input read again after the reshape, a reshaped model
 * output, a reshaped subgraph input (not shared: the caller may point it elsewhere). */
#include <stdio.h>
#include <string.h>

#include "format/builtin_ops.h"
#include "format/tflite_schema.h"
#include "mote.h"
#include "mote_writer.h"
#include "opt_run.h"
#include "test.h"

static int32_t tensor(mote_writer *w, const char *name, int32_t d0, int32_t d1, const void *data) {
    int32_t dims[2] = {d0, d1}, t;
    const size_t bytes = data ? (size_t)d0 * (size_t)(d1 ? d1 : 1) * sizeof(float) : 0;
    CHECK_OK(mote_writer_add_tensor(w, name, MOTE_FLOAT32, d1 ? 2 : 1, dims, data, bytes, &t));
    return t;
}

/* An operator of one or (b >= 0) two inputs and no options. */
static void op(mote_writer *w, int32_t code, int32_t options, int32_t a, int32_t b, int32_t out) {
    int32_t ins[2] = {a, b};
    opt_add_op(w, code, options, 0, NULL, b >= 0 ? 2 : 1, ins, out);
}

static const void *data_of(mote_interpreter *it, int32_t t) {
    mote_tensor *x;
    mote_tensor_info info;
    CHECK_OK(mote_interpreter_tensor(it, t, &x));
    CHECK_OK(mote_tensor_get_info(x, &info));
    return info.data;
}

/* x [6] -> ADD c -> a [6] -> RESHAPE -> r [2, 3] -> RESHAPE -> s [3, 2] -> ADD c2 -> y [3, 2];
 * a is also read by a last ADD (z = a + a) when reread. */
static void check_chain(int reread, int output_a, int reshape_input) {
    static const float c[6] = {1, 2, 3, 4, 5, 6}, c2[6] = {10, 20, 30, 40, 50, 60};
    static const float xv[6] = {0.5f, -1, 2, -3, 4, -5};
    mote_writer *w;
    CHECK_OK(mote_writer_create(NULL, &w));
    int32_t x = tensor(w, "x", 6, 0, NULL), k = tensor(w, "c", 6, 0, c), a = tensor(w, "a", 6, 0, NULL);
    int32_t r = tensor(w, "r", 2, 3, NULL), s = tensor(w, "s", 3, 2, NULL), k2 = tensor(w, "c2", 3, 2, c2);
    int32_t y = tensor(w, "y", 3, 2, NULL), z = tensor(w, "z", 6, 0, NULL);
    static const int32_t shape23[2] = {2, 3}, shape32[2] = {3, 2};
    const int32_t two = 2;
    int32_t sh23, sh32;
    CHECK_OK(mote_writer_add_tensor(w, "shape23", MOTE_INT32, 1, &two, shape23, sizeof shape23, &sh23));
    CHECK_OK(mote_writer_add_tensor(w, "shape32", MOTE_INT32, 1, &two, shape32, sizeof shape32, &sh32));
    int32_t first = reshape_input ? x : a; /* what the first reshape reads */
    if (!reshape_input) op(w, MOTE_OP_ADD, TFL_OPTIONS_ADD, x, k, a);
    op(w, MOTE_OP_RESHAPE, TFL_OPTIONS_RESHAPE, first, sh23, r);
    op(w, MOTE_OP_RESHAPE, TFL_OPTIONS_RESHAPE, r, sh32, s);
    op(w, MOTE_OP_ADD, TFL_OPTIONS_ADD, s, k2, y);
    if (reread) op(w, MOTE_OP_ADD, TFL_OPTIONS_ADD, first, first, z);
    int32_t outs[3], out_count = 0;
    outs[out_count++] = y;
    if (reread) outs[out_count++] = z;
    if (output_a && !reshape_input) outs[out_count++] = a;
    CHECK_OK(mote_writer_set_inputs(w, 1, &x));
    CHECK_OK(mote_writer_set_outputs(w, out_count, outs));
    mote_model *model;
    mote_interpreter *it = opt_open(w, 0, 1, &model);
    if (it) {
        mote_tensor *in;
        CHECK_OK(mote_interpreter_input(it, 0, &in));
        CHECK_OK(mote_tensor_copy_from(in, xv, sizeof xv));
        for (int rep = 0; rep < 2; rep++) CHECK_OK(mote_interpreter_invoke(it));
        const float *yv = data_of(it, y);
        for (int i = 0; i < 6; i++) {
            const float av = xv[i] + (reshape_input ? 0 : c[i]);
            CHECK(yv && yv[i] == av + c2[i]);
            if (reread) {
                const float *zv = data_of(it, z);
                CHECK(zv && zv[i] == av + av);
            }
        }
        const void *pa = data_of(it, first), *pr = data_of(it, r), *ps = data_of(it, s);
        if (reshape_input) {
            CHECK(pr != pa); /* a subgraph input keeps its own buffer */
            CHECK(ps == pr);
        } else {
            CHECK(pr == pa && ps == pa);
        }
    }
    opt_close(it, model);
    mote_writer_destroy(w);
}

static void test_reshapes_share_buffers(void) {
    for (int reread = 0; reread <= 1; reread++)
        for (int output_a = 0; output_a <= 1; output_a++) check_chain(reread, output_a, 0);
}

static void test_subgraph_input_not_shared(void) {
    check_chain(0, 0, 1);
    check_chain(1, 0, 1);
}

/* A hostile order: reshapes that read what later nodes write, one of them a reshape too.
 * Whatever the values, every tensor must have a buffer of its own size (no crash, no
 * sanitizer report). */
static void test_read_before_write(void) {
    static const float c[6] = {1, 2, 3, 4, 5, 6};
    static const int32_t shape6[1] = {6}, shape23[2] = {2, 3};
    const int32_t one = 1, two = 2;
    mote_writer *w;
    CHECK_OK(mote_writer_create(NULL, &w));
    int32_t x = tensor(w, "x", 6, 0, NULL), k = tensor(w, "c", 6, 0, c), a = tensor(w, "a", 6, 0, NULL);
    int32_t r = tensor(w, "r", 2, 3, NULL), s = tensor(w, "s", 6, 0, NULL), sh6, sh23;
    CHECK_OK(mote_writer_add_tensor(w, "shape6", MOTE_INT32, 1, &one, shape6, sizeof shape6, &sh6));
    CHECK_OK(mote_writer_add_tensor(w, "shape23", MOTE_INT32, 1, &two, shape23, sizeof shape23, &sh23));
    op(w, MOTE_OP_RESHAPE, TFL_OPTIONS_RESHAPE, r, sh6, s);  /* reads r, written next */
    op(w, MOTE_OP_RESHAPE, TFL_OPTIONS_RESHAPE, a, sh23, r); /* reads a, written last */
    op(w, MOTE_OP_ADD, TFL_OPTIONS_ADD, x, k, a);
    int32_t outs[2] = {s, a};
    CHECK_OK(mote_writer_set_inputs(w, 1, &x));
    CHECK_OK(mote_writer_set_outputs(w, 2, outs));
    mote_model *model;
    mote_interpreter *it = opt_open(w, 0, 1, &model);
    if (it) {
        for (int rep = 0; rep < 2; rep++) CHECK_OK(mote_interpreter_invoke(it));
        const float *av = data_of(it, a), *sv = data_of(it, s);
        CHECK(av && sv);
    }
    opt_close(it, model);
    mote_writer_destroy(w);
}

TEST_MAIN(test_reshapes_share_buffers, test_subgraph_input_not_shared, test_read_before_write)
