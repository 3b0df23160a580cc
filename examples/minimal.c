/* minimal.c — load a .tflite model, fill its inputs, run it once, print its outputs. */

/* The C counterpart of TensorFlow Lite's `minimal` example, and the place to start when
 * calling Mote from C:
 *
 *   minimal MODEL
 *
 * Every input is filled with a small repeating pattern (0, 1, 2, ... 9, 0, 1, ...) in its
 * own type, so the run needs no data files. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "mote.h"

#define SHOW_VALUES 8 /* values printed per output */

/* Fills a tensor's bytes with the pattern, element by element in its type. */
static void fill_pattern(const mote_tensor_info *t) {
    size_t size = 0;
    if (!t->data) return; /* nothing to fill (empty tensor) */
    if (mote_type_size(t->type, &size) != MOTE_OK || size == 0) { /* strings etc.: leave zeros */
        memset(t->data, 0, t->bytes);
        return;
    }
    for (size_t i = 0; i < t->bytes / size; i++) {
        char *p = (char *)t->data + i * size;
        int v = (int)(i % 10);
        switch (t->type) {
        case MOTE_FLOAT32: *(float *)p = (float)v; break;
        case MOTE_FLOAT64: *(double *)p = v; break;
        case MOTE_INT32: *(int32_t *)p = v; break;
        case MOTE_INT64: *(int64_t *)p = v; break;
        case MOTE_INT16: *(int16_t *)p = (int16_t)v; break;
        case MOTE_INT8: *(int8_t *)p = (int8_t)v; break;
        case MOTE_UINT8: *(uint8_t *)p = (uint8_t)v; break;
        case MOTE_BOOL: *(uint8_t *)p = (uint8_t)(v & 1); break;
        default: memset(p, 0, size); break; /* float16 and friends: zero is always valid */
        }
    }
}

/* Prints "name: type[d0,d1,...]" and the first values. */
static void print_tensor(const char *what, int32_t index, const mote_tensor_info *t) {
    size_t size = 0;
    printf("%s %d '%s': %s[", what, (int)index, t->name, mote_type_name(t->type));
    for (int32_t d = 0; d < t->rank; d++) printf(d ? ",%d" : "%d", (int)t->dims[d]);
    printf("]");
    if (t->data && mote_type_size(t->type, &size) == MOTE_OK && size > 0) {
        size_t count = t->bytes / size;
        for (size_t i = 0; i < count && i < SHOW_VALUES; i++) {
            const char *p = (const char *)t->data + i * size;
            switch (t->type) {
            case MOTE_FLOAT32: printf(" %g", *(const float *)p); break;
            case MOTE_FLOAT64: printf(" %g", *(const double *)p); break;
            case MOTE_INT32: printf(" %d", (int)*(const int32_t *)p); break;
            case MOTE_INT64: printf(" %lld", (long long)*(const int64_t *)p); break;
            case MOTE_INT16: printf(" %d", (int)*(const int16_t *)p); break;
            case MOTE_INT8: printf(" %d", (int)*(const int8_t *)p); break;
            case MOTE_UINT8: case MOTE_BOOL: printf(" %u", (unsigned)*(const uint8_t *)p); break;
            default: printf(" ?"); break;
            }
        }
        if (count > SHOW_VALUES) printf(" ... (%zu values)", count);
    }
    printf("\n");
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: minimal MODEL\n");
        return 2;
    }

    /* 1. Load the model. On failure the handle is still returned so it can say why. */
    mote_model *model = NULL;
    if (mote_model_load_file(argv[1], NULL, &model) != MOTE_OK) {
        fprintf(stderr, "minimal: %s: %s\n", argv[1], model ? mote_model_error(model) : "out of memory");
        mote_model_destroy(model);
        return 1;
    }

    /* 2. Create an interpreter (default options) and plan and allocate its tensor arena. */
    mote_interpreter *it = NULL;
    int ok = mote_interpreter_create(model, NULL, &it) == MOTE_OK &&
             mote_interpreter_allocate_tensors(it) == MOTE_OK;

    /* 3. Fill every input. Tensor data pointers are valid after allocate_tensors. */
    int32_t inputs = 0, outputs = 0;
    ok = ok && mote_interpreter_input_count(it, &inputs) == MOTE_OK;
    for (int32_t i = 0; ok && i < inputs; i++) {
        mote_tensor *t;
        mote_tensor_info info;
        ok = mote_interpreter_input(it, i, &t) == MOTE_OK && mote_tensor_get_info(t, &info) == MOTE_OK;
        if (ok) {
            fill_pattern(&info);
            print_tensor("input", i, &info);
        }
    }

    /* 4. Run the model. */
    ok = ok && mote_interpreter_invoke(it) == MOTE_OK;

    /* 5. Read the outputs: their shapes are final only after invoke. */
    ok = ok && mote_interpreter_output_count(it, &outputs) == MOTE_OK;
    for (int32_t i = 0; ok && i < outputs; i++) {
        mote_tensor *t;
        mote_tensor_info info;
        ok = mote_interpreter_output(it, i, &t) == MOTE_OK && mote_tensor_get_info(t, &info) == MOTE_OK;
        if (ok) print_tensor("output", i, &info);
    }

    if (!ok) fprintf(stderr, "minimal: %s: %s\n", argv[1], it ? mote_interpreter_error(it) : "out of memory");
    mote_interpreter_destroy(it);
    mote_model_destroy(model);
    return ok ? 0 : 1;
}
