/* app.c — a program using an installed Mote: writes a model, runs it, and runs a given one. */
#include <stdio.h>
#include <string.h>

#include <mote.h>
#include <mote_writer.h>

#define TFL_ADD 0 /* BuiltinOperator ADD in TensorFlow Lite's schema */

static int fail(const char *what, const char *why) {
    fprintf(stderr, "app: %s: %s\n", what, why);
    return 1;
}

/* Builds out = a + b on [4] float32 tensors with the installed writer and checks Mote's
 * answer: proves both headers and the library made it into the prefix. */
static int run_written_model(void) {
    mote_writer *w;
    mote_model *m = NULL;
    mote_interpreter *it = NULL;
    const void *bytes;
    size_t size;
    int32_t dims[1] = {4}, a = -1, b = -1, out = -1, op;
    if (mote_writer_create(NULL, &w)) return fail("writer", "cannot create");
    mote_writer_op add = {0};
    int32_t ins[2], outs[1];
    int ok = !mote_writer_add_tensor(w, "a", MOTE_FLOAT32, 1, dims, NULL, 0, &a) &&
             !mote_writer_add_tensor(w, "b", MOTE_FLOAT32, 1, dims, NULL, 0, &b) &&
             !mote_writer_add_tensor(w, "out", MOTE_FLOAT32, 1, dims, NULL, 0, &out);
    ins[0] = a, ins[1] = b, outs[0] = out;
    add.builtin_code = TFL_ADD;
    add.input_count = 2;
    add.inputs = ins;
    add.output_count = 1;
    add.outputs = outs;
    ok = ok && !mote_writer_add_op(w, &add, &op) && !mote_writer_set_inputs(w, 2, ins) &&
         !mote_writer_set_outputs(w, 1, outs) && !mote_writer_finish(w, &bytes, &size);
    if (!ok) {
        int r = fail("writer", mote_writer_error(w));
        mote_writer_destroy(w);
        return r;
    }

    float x[4] = {1, 2, 3, 4}, y[4] = {10, 20, 30, 40}, z[4] = {0};
    mote_tensor *t;
    int status = 1;
    if (mote_model_load_memory(bytes, size, NULL, &m)) {
        status = fail("load", m ? mote_model_error(m) : "out of memory");
    } else if (mote_interpreter_create(m, NULL, &it) || mote_interpreter_allocate_tensors(it) ||
               mote_interpreter_input(it, 0, &t) || mote_tensor_copy_from(t, x, sizeof x) ||
               mote_interpreter_input(it, 1, &t) || mote_tensor_copy_from(t, y, sizeof y) ||
               mote_interpreter_invoke(it) || mote_interpreter_output(it, 0, &t) ||
               mote_tensor_copy_to(t, z, sizeof z)) {
        status = fail("run", it ? mote_interpreter_error(it) : "out of memory");
    } else if (z[0] != 11 || z[1] != 22 || z[2] != 33 || z[3] != 44) {
        status = fail("run", "wrong sum");
    } else {
        printf("written model: %zu bytes, 1 + 10 = %g, 4 + 40 = %g\n", size, z[0], z[3]);
        status = 0;
    }
    mote_interpreter_destroy(it);
    mote_model_destroy(m);
    mote_writer_destroy(w);
    return status;
}

/* Loads a model file and runs it once on zeroed inputs. */
static int run_file(const char *path) {
    mote_model *m = NULL;
    mote_interpreter *it = NULL;
    int32_t inputs = 0, outputs = 0;
    int status = 1;
    if (mote_model_load_file(path, NULL, &m)) {
        status = fail(path, m ? mote_model_error(m) : "out of memory");
        mote_model_destroy(m);
        return status;
    }
    int ok = !mote_interpreter_create(m, NULL, &it) && !mote_interpreter_allocate_tensors(it) &&
             !mote_interpreter_input_count(it, &inputs);
    for (int32_t i = 0; ok && i < inputs; i++) {
        mote_tensor *t;
        mote_tensor_info info;
        ok = !mote_interpreter_input(it, i, &t) && !mote_tensor_get_info(t, &info);
        if (ok && info.data) memset(info.data, 0, info.bytes);
    }
    ok = ok && !mote_interpreter_invoke(it) && !mote_interpreter_output_count(it, &outputs);
    if (ok) {
        printf("%s: %d inputs, %d outputs\n", path, (int)inputs, (int)outputs);
        status = 0;
    } else {
        status = fail(path, it ? mote_interpreter_error(it) : "out of memory");
    }
    mote_interpreter_destroy(it);
    mote_model_destroy(m);
    return status;
}

int main(int argc, char **argv) {
    printf("Mote %s\n", MOTE_VERSION_STRING);
    if (run_written_model()) return 1;
    for (int i = 1; i < argc; i++)
        if (run_file(argv[i])) return 1;
    return 0;
}
