/* run.h — the state of one `mote run`, shared by run.c (arguments, invoke, report) and
 * run_inputs.c (where input bytes come from). */
#ifndef MOTE_TOOLS_RUN_H
#define MOTE_TOOLS_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "mote.h"

/* One input or output of the entry point being run. */
typedef struct run_port {
    const char *name;        /* the signature's name for it, or the tensor's name */
    int32_t position;        /* index among the entry point's inputs or outputs */
    mote_tensor *tensor;
    unsigned char *data;     /* input bytes to copy in (malloc'ed), or NULL */
    size_t size;
    char source[256];        /* where data came from, for messages */
} run_port;

typedef struct run_state {
    const char *model_path;
    mote_model *model;
    mote_interpreter *interpreter;
    const char *signature;   /* NULL: subgraph 0 */
    int32_t subgraph;        /* the subgraph that runs */
    int32_t input_count, output_count;
    run_port *inputs, *outputs;
} run_state;

/* Largest input file read (inputs beyond this are surely a mistake). */
#define RUN_MAX_INPUT_BYTES ((size_t)1 << 32)

/* Fills rs->inputs and rs->outputs for subgraph 0 or rs->signature. Returns an exit code. */
int run_bind_ports(run_state *rs);

/* Input bytes from raw files, one per input in order. Returns an exit code. */
int run_inputs_from_files(run_state *rs, char **files, int count);

/* Input bytes from a golden-format folder (files mapped by tensor_index, or by name when
 * the folder was made for another entry point), resizing inputs whose shape differs.
 * Before allocate_tensors. Returns an exit code. */
int run_inputs_from_golden(run_state *rs, const char *dir);

/* Deterministic random bytes for every input without data: floats uniform in [-1, 1),
 * integers over their full range, bools 0/1. After allocate_tensors. Returns an exit code. */
int run_inputs_random(run_state *rs, uint64_t seed);

/* Copies every input's bytes into its tensor (after allocate_tensors), checking sizes.
 * Returns an exit code. */
int run_copy_inputs(run_state *rs);

/* Resizes input port i; returns a mote_status (message in the interpreter's error). */
mote_status run_resize_input(run_state *rs, int32_t i, int32_t rank, const int32_t *dims);

void run_free_ports(run_state *rs);

#endif /* MOTE_TOOLS_RUN_H */
