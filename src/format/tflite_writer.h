/* tflite_writer.h — the writer's model under construction, shared by tflite_writer.c and
 * tflite_writer_op.c (the validating API that fills it) and tflite_writer_emit.c (which
 * serializes it). */
#ifndef MOTE_FORMAT_TFLITE_WRITER_H
#define MOTE_FORMAT_TFLITE_WRITER_H

#include "core/alloc.h"
#include "format/fb_builder.h"
#include "mote_writer.h"

/* Everything the writer owns is a copy of what the caller passed; members marked "owned"
 * come from writer_alloc and are freed with writer_free. */

typedef struct w_tensor {
    char *name;                   /* owned; NULL: no name */
    int32_t type;                 /* TensorType */
    int32_t rank;
    int32_t *dims;                /* owned, [rank] */
    int is_constant;              /* has a buffer of its own */
    uint8_t *data;                /* owned, [data_size]; NULL when empty */
    size_t data_size;
    int is_variable;
    int32_t sig_rank;             /* -1: no shape_signature */
    int32_t *sig_dims;            /* owned, [sig_rank] */
    int32_t quant_count;          /* 0: no quantization */
    float *scales;                /* owned, [quant_count] */
    int64_t *zero_points;         /* owned, [quant_count] */
    int32_t quantized_dimension;
    uint32_t buffer;              /* assigned while serializing */
} w_tensor;

/* A builtin options field (mote_option_field with owned copies). */
typedef struct w_field {
    uint16_t id;
    uint16_t kind;                /* mote_field_kind */
    int64_t i;
    float f;
    int32_t count;
    int32_t *ints;                /* owned, [count] */
    char *str;                    /* owned */
} w_field;

typedef struct w_op {
    int32_t opcode;               /* index into the writer's operator codes */
    int32_t input_count, output_count, intermediate_count;
    int32_t *inputs;              /* owned; -1 for an omitted optional input */
    int32_t *outputs;             /* owned */
    int32_t *intermediates;       /* owned */
    uint8_t options_type;         /* BuiltinOptions union value, 0 for none */
    int32_t field_count;
    w_field *fields;              /* owned */
    uint8_t *custom_options;      /* owned, [custom_options_size] */
    size_t custom_options_size;
} w_op;

typedef struct w_subgraph {
    char *name;                   /* owned; NULL: no name */
    int32_t tensor_count, tensor_cap;
    w_tensor *tensors;            /* owned */
    int32_t op_count, op_cap;
    w_op *ops;                    /* owned */
    int32_t input_count, output_count;
    int32_t *inputs;              /* owned */
    int32_t *outputs;             /* owned */
} w_subgraph;

typedef struct w_opcode {
    int32_t builtin_code;
    char *custom_name;            /* owned; only for CUSTOM */
    int32_t version;
} w_opcode;

typedef struct w_signature_io {
    char *name;                   /* owned */
    int32_t tensor;
} w_signature_io;

typedef struct w_signature {
    char *key;                    /* owned */
    int32_t subgraph;
    int32_t input_count, output_count;
    w_signature_io *inputs;       /* owned */
    w_signature_io *outputs;      /* owned */
} w_signature;

typedef struct w_metadata {
    char *name;                   /* owned */
    uint8_t *data;                /* owned, [size]; NULL when empty */
    size_t size;
} w_metadata;

struct mote_writer {
    mote_allocator alloc;
    char *description;            /* owned; NULL: none */
    int32_t subgraph_count, subgraph_cap, current;
    w_subgraph *subgraphs;
    int32_t opcode_count, opcode_cap;
    w_opcode *opcodes;
    int32_t signature_count, signature_cap;
    w_signature *signatures;
    int32_t metadata_count, metadata_cap;
    w_metadata *metadata;

    fb_builder fbb;               /* holds the serialized model after finish */
    int serialized;               /* fbb matches the model (cleared by every change) */
    char error[512];
};

/* Options tables have a few dozen fields at most; this bounds ids and the vtable. */
#define WRITER_MAX_FIELD_ID 255
/* Entries per list, so that doubling capacities and int32 indices never overflow. */
#define WRITER_MAX_ITEMS (INT32_MAX / 2)

/* Every API call starts here: clears the last message; a NULL writer has nowhere to put
 * one. */
#define WRITER_BEGIN(w)                                   \
    do {                                                  \
        if (!(w)) return MOTE_ERROR_INVALID_ARGUMENT;     \
        (w)->error[0] = 0;                                \
    } while (0)

/* Owned memory: a block remembering its size, so freeing needs no size from the caller.
 * writer_alloc(0) returns NULL, which is not a failure. */
void *writer_alloc(mote_writer *w, size_t size);
void writer_free(mote_writer *w, void *p);
/* Copies (NULL for 0 bytes or a NULL string); set *failed when out of memory. */
void *writer_dup(mote_writer *w, const void *src, size_t size, int *failed);
char *writer_dup_str(mote_writer *w, const char *s, int *failed);
int32_t *writer_dup_i32(mote_writer *w, const int32_t *v, int32_t n, int *failed);
/* Room for one more item in a growable list of elem-byte items: returns the (possibly
 * moved) items, or NULL; then writer_grow_failed says why. */
void *writer_grow(mote_writer *w, void *items, int32_t *cap, int32_t count, size_t elem);
mote_status writer_grow_failed(mote_writer *w, int32_t count, const char *place);
void writer_free_op(mote_writer *w, w_op *op);

/* Records why the current call failed and returns status. */
mote_status writer_fail(mote_writer *w, mote_status status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
mote_status writer_oom(mote_writer *w, const char *place);

/* Checks a list of count tensor indices of subgraph sg (-1 passes when optional); place
 * and what ("input") name it in the message. */
mote_status writer_check_indices(mote_writer *w, int32_t sg, const int32_t *idx, int32_t count,
                                 int optional, const char *place, const char *what);

/* The field layout of BuiltinOptions table options_type (see tflite_option_layouts.c) and
 * its name, or NULL for values outside the union. */
const char *writer_option_layout(int32_t options_type, const char **name);

/* Serializes the model into w->fbb. */
mote_status writer_emit(mote_writer *w);

#endif /* MOTE_FORMAT_TFLITE_WRITER_H */
