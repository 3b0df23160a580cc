/* fuzz_run.c — fuzz target: arbitrary bytes as a .tflite file, run: load, create and
 * allocate under the limits of fuzz.h (arena, tensor count, loop iterations, a work
 * budget), fill the inputs with values derived from the bytes, invoke, read every output,
 * run the signatures, then invoke again, reset or resize as the bytes' hash decides. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fuzz_run_model(data, size, fuzz_hash(data, size));
    return 0;
}

int fuzz_target_model(const uint8_t *data, size_t size, const uint8_t **model, size_t *model_size) {
    *model = data;
    *model_size = size;
    return 0;
}
