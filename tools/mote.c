/* mote.c — the `mote` command: dispatches to inspect, run. */
#include <stdio.h>
#include <string.h>

#include "mote.h"

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: mote inspect|run MODEL\n");
        return 2;
    }
    mote_model *m;
    if (mote_model_load_file(argv[2], NULL, &m)) {
        fprintf(stderr, "mote: %s\n", mote_model_error(m));
        mote_model_destroy(m);
        return 1;
    }
    mote_interpreter *it;
    if (mote_interpreter_create(m, NULL, &it) || mote_interpreter_allocate_tensors(it) ||
        mote_interpreter_invoke(it)) {
        fprintf(stderr, "mote: %s\n", mote_interpreter_error(it));
        return 1;
    }
    size_t a, p;
    mote_interpreter_arena_bytes(it, &a, &p);
    printf("ok arena %zu + %zu\n", a, p);
    mote_interpreter_destroy(it);
    mote_model_destroy(m);
    return 0;
}
