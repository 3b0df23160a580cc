/* fuzz_load.c — fuzz target: arbitrary bytes as a .tflite file. Loads them from memory
 * (in place, and from a misaligned copy, which the loader copies), then reads everything
 * `mote inspect` reads: the model's facts through the public API, every tensor, operator,
 * signature and metadata entry through the model descriptions, and the interpreter's view
 * after create and allocate (no invoke: fuzz_run does that). */
#include <stdlib.h>
#include <string.h>

#include "core/model.h"
#include "fuzz.h"

static void walk_interpreter(const mote_model *m) {
    mote_options *o = fuzz_options();
    if (!o) return;
    mote_interpreter *it = NULL;
    mote_status st = mote_interpreter_create(m, o, &it);
    fuzz_check_status(st, mote_interpreter_error(it), "interpreter_create");
    if (st == MOTE_OK) {
        st = mote_interpreter_allocate_tensors(it);
        fuzz_check_status(st, mote_interpreter_error(it), "allocate_tensors");
        size_t act = 0, pers = 0;
        mote_status arena = mote_interpreter_arena_bytes(it, &act, &pers);
        FUZZ_ASSERT((arena == MOTE_OK) == (st == MOTE_OK), "arena_bytes answers after a successful allocate");
        if (st == MOTE_OK) FUZZ_ASSERT(act + pers <= FUZZ_ARENA_LIMIT, "the arena limit holds");
        int32_t n = 0;
        if (mote_interpreter_tensor_count(it, &n) == MOTE_OK)
            for (int32_t i = 0; i < n; i++) {
                mote_tensor *t;
                mote_tensor_info info;
                if (mote_interpreter_tensor(it, i, &t) == MOTE_OK && mote_tensor_get_info(t, &info) == MOTE_OK)
                    FUZZ_ASSERT(info.name != NULL && info.rank >= 0 && info.rank <= MOTE_MAX_DIMS, "tensor info");
            }
        int32_t sigs = 0;
        if (mote_interpreter_signature_count(it, &sigs) == MOTE_OK)
            for (int32_t s = 0; s < sigs; s++) {
                const char *key, *name;
                int32_t ins = 0;
                mote_tensor *t;
                if (mote_interpreter_signature_key(it, s, &key) ||
                    mote_interpreter_signature_io_count(it, key, 0, &ins))
                    continue;
                for (int32_t i = 0; i < ins; i++)
                    if (mote_interpreter_signature_io_name(it, key, 0, i, &name) == MOTE_OK)
                        FUZZ_ASSERT(mote_interpreter_signature_tensor(it, key, 0, name, &t) == MOTE_OK,
                                    "a signature finds its own input names");
            }
    }
    mote_interpreter_destroy(it);
    mote_options_destroy(o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    mote_model *m = NULL;
    mote_status st = mote_model_load_memory(data, size, NULL, &m);
    fuzz_check_status(st, mote_model_error(m), "load_memory");
    if (st == MOTE_OK) {
        fuzz_walk_model(m);
        walk_interpreter(m);
    }
    mote_model_destroy(m);
    /* A misaligned copy: the loader copies it and must reach the same verdict. */
    if (size <= (1u << 20)) {
        uint8_t *odd = malloc(size + 1);
        if (odd) {
            memcpy(odd + 1, data, size);
            mote_model *m2 = NULL;
            mote_status st2 = mote_model_load_memory(odd + 1, size, NULL, &m2);
            FUZZ_ASSERT(st2 == st, "aligned and misaligned copies load alike");
            if (st2 == MOTE_OK) fuzz_walk_model(m2);
            mote_model_destroy(m2);
            free(odd);
        }
    }
    return 0;
}

int fuzz_target_model(const uint8_t *data, size_t size, const uint8_t **model, size_t *model_size) {
    *model = data;
    *model_size = size;
    return 0;
}
