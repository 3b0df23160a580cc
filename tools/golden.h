/* golden.h — folders in the golden format: in<i>.bin / out<i>.bin (raw little-endian tensor
 * bytes) and meta.json describing each input and output. Read by `mote run --inputs-from`,
 * written by `mote run --output-dir`, so the reference tools can judge Mote's outputs. */
#ifndef MOTE_TOOLS_GOLDEN_H
#define MOTE_TOOLS_GOLDEN_H

#include <stddef.h>
#include <stdint.h>

#include "json.h"
#include "mote.h"

/* meta.json is small; anything larger is not one. */
#define GOLDEN_META_MAX_BYTES (16u << 20)

/* One input or output as meta.json lists it. Strings point into the parsed document. */
typedef struct golden_entry {
    const char *file;        /* a plain file name inside the folder */
    const char *name;        /* signature name (or tensor name); "" when absent */
    const char *tensor_name; /* "" when absent */
    int32_t tensor_index;    /* index in the subgraph that ran; -1 when absent */
    const char *dtype;       /* NumPy name; "" when absent */
    int32_t rank;            /* -1 when the shape is absent */
    int32_t dims[MOTE_MAX_DIMS];
    int64_t bytes;           /* -1 when absent */
} golden_entry;

typedef struct golden_meta {
    json_doc doc;
    const char *signature;   /* the signature the reference ran, or NULL */
    int32_t input_count, output_count;
    golden_entry *inputs, *outputs;
} golden_meta;

/* Reads dir/meta.json. Returns 0, or -1 with a message naming the file and the problem. */
int golden_read(const char *dir, golden_meta *meta, char *err, size_t err_size);
void golden_free(golden_meta *meta);

/* One tensor to describe in a written meta.json. */
typedef struct golden_port {
    const char *name;        /* signature name or tensor name */
    mote_tensor_info info;   /* after invoke for outputs (dynamic shapes) */
} golden_port;

/* What a run was, for the header of meta.json. */
typedef struct golden_run {
    const char *model;       /* the model file's base name */
    size_t model_bytes;
    const char *signature;   /* NULL: subgraph 0 */
    int threads;
    int reference_kernels;
    const char *input_source;/* "files", "golden", "random" */
    long long random_seed;   /* with "random" */
    double invoke_ms;
} golden_run;

/* Writes dir/meta.json for the given inputs and outputs (files in<i>.bin, out<i>.bin).
 * Returns 0, or -1 with errno set. */
int golden_write_meta(const char *dir, const golden_run *run, const golden_port *inputs,
                      int32_t input_count, const golden_port *outputs, int32_t output_count);

#endif /* MOTE_TOOLS_GOLDEN_H */
