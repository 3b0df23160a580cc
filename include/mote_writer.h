/* mote_writer.h — build a TensorFlow Lite model in memory and serialize it as a valid
 * .tflite FlatBuffer (schema v3), which Mote and TensorFlow Lite both load.
 *
 *   mote_writer *w;
 *   mote_writer_create(NULL, &w);                 starts with one empty subgraph (0)
 *   mote_writer_add_tensor(w, "x", MOTE_FLOAT32, 2, dims, NULL, 0, &x);   activation
 *   mote_writer_add_tensor(w, "w", MOTE_FLOAT32, 2, wd, weights, bytes, &wt);  constant
 *   mote_writer_add_op(w, &op, &index);           builtin or custom operator
 *   mote_writer_set_inputs / set_outputs
 *   mote_writer_finish(w, &data, &size);          bytes owned by the writer
 *   mote_writer_destroy(w);
 *
 * Conventions are mote.h's: every call returns a mote_status, mote_writer_error says why.
 * Data passed in is copied. Constant buffers are 16-byte aligned in the output; buffer 0
 * is the empty buffer, as TensorFlow Lite's converter writes.
 *
 * Every argument is validated (tensor indices against the current subgraph, dims, sizes
 * against type and shape, option fields against their kinds), so fuzzers and generators
 * can drive the writer with anything: a call that fails returns MOTE_ERROR_INVALID_ARGUMENT
 * (MOTE_ERROR_LIMIT past FlatBuffers' 2 GiB, MOTE_ERROR_OUT_OF_MEMORY) with a message naming
 * the place, and changes nothing. Output parameters such as `index` may be NULL. What
 * only the runtime can judge (which options table an operator takes, scale values) is
 * written as given.
 */
#ifndef MOTE_WRITER_H
#define MOTE_WRITER_H

#include "mote.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mote_writer mote_writer;

MOTE_API mote_status mote_writer_create(const mote_allocator *allocator, mote_writer **out);
MOTE_API void mote_writer_destroy(mote_writer *writer);
MOTE_API const char *mote_writer_error(const mote_writer *writer);

MOTE_API mote_status mote_writer_set_description(mote_writer *writer, const char *description);

/* Adds a subgraph and makes it current; tensors, ops, inputs and outputs go to the current
 * subgraph. Subgraph 0 exists from the start. */
MOTE_API mote_status mote_writer_add_subgraph(mote_writer *writer, const char *name, int32_t *index);
MOTE_API mote_status mote_writer_select_subgraph(mote_writer *writer, int32_t index);

/* Adds a tensor to the current subgraph. rank is 0..64, every dim >= 0. data (copied)
 * makes it a constant with a buffer of its own, and data_size must be the dense byte size
 * of type and dims (sub-byte types packed; STRING, RESOURCE and VARIANT take any size);
 * NULL makes it an activation. */
MOTE_API mote_status mote_writer_add_tensor(mote_writer *writer, const char *name, mote_type type,
                                            int32_t rank, const int32_t *dims, const void *data,
                                            size_t data_size, int32_t *index);
/* Affine quantization: count 1 for per-tensor, or one entry per channel along
 * quantized_dimension (which must be within the rank). zero_points may be NULL (all zero).
 * count 0 removes the quantization. */
MOTE_API mote_status mote_writer_set_quantization(mote_writer *writer, int32_t tensor, int32_t count,
                                                  const float *scales, const int64_t *zero_points,
                                                  int32_t quantized_dimension);
/* shape_signature, of the tensor's rank: -1 marks a dynamic dimension, any other entry
 * must equal the shape's. */
MOTE_API mote_status mote_writer_set_shape_signature(mote_writer *writer, int32_t tensor, int32_t rank,
                                                     const int32_t *dims);
MOTE_API mote_status mote_writer_set_variable(mote_writer *writer, int32_t tensor, int is_variable);

MOTE_API mote_status mote_writer_set_inputs(mote_writer *writer, int32_t count, const int32_t *tensors);
MOTE_API mote_status mote_writer_set_outputs(mote_writer *writer, int32_t count, const int32_t *tensors);

/* One field of a builtin options table (its id is its position in the schema's table,
 * at most 255; each id once per table). A field the schema declares must use the kind of
 * its size: bool, byte and byte enums BOOL or INT8; short INT16; int, uint and float
 * INT32, UINT32 or FLOAT32; long INT64; [int] and [float] INT32_VECTOR (floats passed as
 * their bit patterns); string STRING. Ids past the declared fields are written as given. */
typedef enum mote_field_kind {
    MOTE_FIELD_BOOL = 0,
    MOTE_FIELD_INT8 = 1,   /* byte or ubyte, -128..255; also enums stored as byte (Padding,
                              ActivationFunctionType) */
    MOTE_FIELD_INT16 = 2,  /* short or ushort, -32768..65535 */
    MOTE_FIELD_INT32 = 3,
    MOTE_FIELD_UINT32 = 4,
    MOTE_FIELD_INT64 = 5,
    MOTE_FIELD_FLOAT32 = 6,
    MOTE_FIELD_INT32_VECTOR = 7, /* ints[count]; also [float] as bit patterns */
    MOTE_FIELD_STRING = 8        /* str */
} mote_field_kind;

typedef struct mote_option_field {
    uint16_t id;
    uint16_t kind;      /* mote_field_kind */
    int64_t i;          /* integer and bool values */
    float f;            /* MOTE_FIELD_FLOAT32 */
    const int32_t *ints;
    int32_t count;
    const char *str;
} mote_option_field;

/* Operators with the same builtin code, custom name and version share an operator code. */
typedef struct mote_writer_op {
    int32_t builtin_code;        /* BuiltinOperator; 32 (CUSTOM) with custom_name */
    const char *custom_name;     /* non-empty for CUSTOM, NULL otherwise */
    int32_t version;             /* 0 means 1 */
    int32_t input_count;
    const int32_t *inputs;       /* -1 for an omitted optional input */
    int32_t output_count;
    const int32_t *outputs;
    int32_t intermediate_count;
    const int32_t *intermediates;
    int32_t options_type;        /* BuiltinOptions union value (0..126), 0 for none; with
                                    no fields, a table of defaults */
    int32_t field_count;
    const mote_option_field *fields;
    const void *custom_options;  /* bytes (usually a FlexBuffer), copied */
    size_t custom_options_size;
} mote_writer_op;

MOTE_API mote_status mote_writer_add_op(mote_writer *writer, const mote_writer_op *op, int32_t *index);

/* A SignatureDef running `subgraph`, with named inputs and outputs (tensor indices in it).
 * Keys are unique, and so are the names on each side. */
MOTE_API mote_status mote_writer_add_signature(mote_writer *writer, const char *key, int32_t subgraph,
                                               int32_t input_count, const char *const *input_names,
                                               const int32_t *input_tensors, int32_t output_count,
                                               const char *const *output_names,
                                               const int32_t *output_tensors);

/* A Model.metadata entry holding a copy of data. */
MOTE_API mote_status mote_writer_add_metadata(mote_writer *writer, const char *name, const void *data,
                                              size_t size);

/* Serializes the model: 16-byte aligned bytes, ready for mote_model_load_memory. *data stays
 * valid until the writer is destroyed or changed; finishing again without a change returns
 * the same bytes. */
MOTE_API mote_status mote_writer_finish(mote_writer *writer, const void **data, size_t *size);
/* Serializes and writes to a file. */
MOTE_API mote_status mote_writer_save(mote_writer *writer, const char *path);

#ifdef __cplusplus
}
#endif

#endif /* MOTE_WRITER_H */
