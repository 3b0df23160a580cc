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

#endif /* MOTE_TESTS_OPT_RUN_H */
