/* test_resize.c — what RESIZE_BILINEAR and RESIZE_NEAREST_NEIGHBOR refuse, with a message:
 * a target size only known while running, a size that is not positive, and bilinear with
 * both align_corners and half_pixel_centers. (Their arithmetic is checked by the opsuite.) */
#include <stdint.h>

#include "format/builtin_ops.h"
#include "format/tflite_schema.h"
#include "mote_writer.h"
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

TEST_MAIN(test_constant_size_accepted, test_size_computed_at_run_time_refused, test_bad_size_refused,
          test_bilinear_conflicting_flags_refused)
