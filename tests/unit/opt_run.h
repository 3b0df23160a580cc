/* opt_run.h — what the optimized-kernel tests (test_opt_*.c) do with every model they write:
 * open it with the reference or the optimized kernels on some threads, invoke it twice (the
 * second run must not differ: nothing may be left over from the first) and copy output 0. */
#ifndef MOTE_TESTS_OPT_RUN_H
#define MOTE_TESTS_OPT_RUN_H

#include <stdio.h>
#include <stdlib.h>

#include "mote.h"
#include "mote_writer.h"
#include "test.h"

/* Loads the writer's finished model and makes an allocated interpreter; NULL (checks fail,
 * the reason printed) when that fails. *model must be freed with opt_close either way. */
static inline mote_interpreter *opt_open(mote_writer *w, int reference, int threads, mote_model **model) {
    const void *data;
    size_t size;
    mote_interpreter *it = NULL;
    mote_options *opt = NULL;
    *model = NULL;
    CHECK_OK(mote_writer_finish(w, &data, &size));
    CHECK_OK(mote_model_load_memory(data, size, NULL, model));
    CHECK_OK(mote_options_create(NULL, &opt));
    CHECK_OK(mote_options_set_threads(opt, threads));
    CHECK_OK(mote_options_set_reference_kernels(opt, reference));
    mote_status st = mote_interpreter_create(*model, opt, &it);
    mote_options_destroy(opt);
    if (!st) st = mote_interpreter_allocate_tensors(it);
    if (st) fprintf(stderr, "model failed: %s\n", mote_interpreter_error(it));
    CHECK_OK(st);
    if (st) {
        mote_interpreter_destroy(it);
        return NULL;
    }
    return it;
}

/* Invokes twice and returns a malloc'd copy of output 0 (its size in *bytes). */
static inline void *opt_invoke_output(mote_interpreter *it, size_t *bytes) {
    for (int rep = 0; rep < 2; rep++) {
        mote_status st = mote_interpreter_invoke(it);
        if (st) fprintf(stderr, "invoke failed: %s\n", mote_interpreter_error(it));
        CHECK_OK(st);
    }
    mote_tensor *t;
    mote_tensor_info info;
    CHECK_OK(mote_interpreter_output(it, 0, &t));
    CHECK_OK(mote_tensor_get_info(t, &info));
    *bytes = info.bytes;
    void *result = malloc(info.bytes ? info.bytes : 1);
    CHECK_OK(mote_tensor_copy_to(t, result, info.bytes));
    return result;
}

static inline void opt_close(mote_interpreter *it, mote_model *model) {
    mote_interpreter_destroy(it);
    mote_model_destroy(model);
}

/* Option fields of the writer's operators. */
static inline mote_option_field opt_field(uint16_t id, uint16_t kind, int64_t v) {
    mote_option_field f = {id, kind, v, 0, NULL, 0, NULL};
    return f;
}
static inline mote_option_field opt_i8(uint16_t id, int64_t v) { return opt_field(id, MOTE_FIELD_INT8, v); }
static inline mote_option_field opt_i32(uint16_t id, int64_t v) { return opt_field(id, MOTE_FIELD_INT32, v); }
static inline mote_option_field opt_bool(uint16_t id, int64_t v) { return opt_field(id, MOTE_FIELD_BOOL, v); }

/* Adds a builtin operator with one output. */
static inline void opt_add_op(mote_writer *w, int32_t code, int32_t options_type, int32_t field_count,
                              const mote_option_field *fields, int32_t input_count, const int32_t *inputs,
                              int32_t output) {
    mote_writer_op op = {.builtin_code = code,
                         .input_count = input_count,
                         .inputs = inputs,
                         .output_count = 1,
                         .outputs = &output,
                         .options_type = options_type,
                         .field_count = field_count,
                         .fields = fields};
    CHECK_OK(mote_writer_add_op(w, &op, NULL));
}

/* A convolution's output size as TensorFlow Lite computes it (padding 0: SAME, 1: VALID);
 * 0 when the window does not fit. */
static inline int32_t opt_out_size(int padding, int32_t in, int32_t k, int32_t stride, int32_t dil) {
    const int32_t eff = (k - 1) * dil + 1;
    return padding == 0 ? (in + stride - 1) / stride : (in >= eff ? (in - eff) / stride + 1 : 0);
}

/* Runs the model on random input bytes (xorshift from seed, the same for every run) and
 * returns output 0's bytes (malloc'd), invoked twice. */
static inline uint8_t *opt_run_random_bytes(mote_writer *w, int reference, int threads, uint32_t seed,
                                            size_t *bytes) {
    mote_model *m;
    mote_interpreter *it = opt_open(w, reference, threads, &m);
    uint8_t *result = NULL;
    *bytes = 0;
    if (it) {
        int32_t count = 0;
        CHECK_OK(mote_interpreter_input_count(it, &count));
        for (int32_t i = 0; i < count; i++) {
            mote_tensor *t;
            mote_tensor_info info;
            CHECK_OK(mote_interpreter_input(it, i, &t));
            CHECK_OK(mote_tensor_get_info(t, &info));
            uint8_t *x = malloc(info.bytes ? info.bytes : 1);
            for (size_t k = 0; k < info.bytes; k++) {
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                x[k] = (uint8_t)seed;
            }
            CHECK_OK(mote_tensor_copy_from(t, x, info.bytes));
            free(x);
        }
        result = opt_invoke_output(it, bytes);
    }
    opt_close(it, m);
    return result;
}

/* Integer models: the optimized kernels on 1 and 2 threads give the reference kernels'
 * bytes exactly. Destroys the writer. */
static inline void opt_check_exact(mote_writer *w, uint32_t seed, const char *what) {
    size_t want_bytes, got_bytes;
    uint8_t *want = opt_run_random_bytes(w, 1, 1, seed, &want_bytes);
    for (int threads = 1; threads <= 2; threads++) {
        uint8_t *got = opt_run_random_bytes(w, 0, threads, seed, &got_bytes);
        CHECK_EQ_INT(got_bytes, want_bytes);
        if (got && want && got_bytes == want_bytes)
            for (size_t i = 0; i < got_bytes; i++)
                if (got[i] != want[i]) {
                    fprintf(stderr, "%s, %d thread%s: byte %zu is %d, expected %d\n", what, threads,
                            threads > 1 ? "s" : "", i, got[i], want[i]);
                    test_failures++;
                    break;
                }
        free(got);
    }
    free(want);
    mote_writer_destroy(w);
}


#endif /* MOTE_TESTS_OPT_RUN_H */
