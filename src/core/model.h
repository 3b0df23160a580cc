/* model.h — a loaded, verified .tflite model: immutable descriptions of its subgraphs,
 * tensors, operators and signatures, pointing into the file's bytes (zero-copy). */
#ifndef MOTE_CORE_MODEL_H
#define MOTE_CORE_MODEL_H

#include "core/alloc.h"
#include "format/flatbuffer.h"
#include "mote.h"

typedef struct model_buffer {
    const uint8_t *data; /* NULL when empty */
    size_t size;
} model_buffer;

/* Blockwise quantization (QuantizationDetails = BlockwiseQuantization): the scales and zero
 * points are other tensors of the same subgraph. */
typedef struct model_blockwise {
    int32_t scales_tensor;      /* tensor index, -1 if none */
    int32_t zero_points_tensor; /* tensor index, -1 if none */
    int32_t block_size;
} model_blockwise;

typedef struct model_tensor {
    const char *name;            /* never NULL */
    int32_t type;                /* TensorType value as stored (may be unknown) */
    int32_t rank;
    const int32_t *dims;         /* [rank] */
    int32_t signature_rank;      /* -1 when the model has no shape_signature */
    const int32_t *dims_signature;
    uint32_t buffer;             /* buffer index (0: none) */
    const uint8_t *data;         /* constant data, or NULL */
    size_t data_size;
    int is_variable;
    /* quantization: count == 0 when absent */
    int32_t quant_count;
    const float *scales;         /* [quant_count] */
    const int64_t *zero_points;  /* [quant_count] (zeros when the model lists none) */
    int32_t quantized_dimension;
    uint8_t quant_details_type;  /* tfl_quant_details */
    model_blockwise blockwise;
    fb_table sparsity;           /* SparsityParameters table, or 0 */
} model_tensor;

typedef struct model_op {
    int32_t builtin_code;        /* resolved max(builtin_code, deprecated_builtin_code) */
    const char *custom_name;     /* custom code when builtin_code is CUSTOM, else NULL */
    int32_t version;
    int32_t input_count, output_count, intermediate_count;
    const int32_t *inputs;       /* tensor indices, -1 for an omitted optional input */
    const int32_t *outputs;
    const int32_t *intermediates;
    uint8_t options_type;        /* tfl_builtin_options */
    fb_table options;            /* builtin options table, or 0 */
    uint8_t options2_type;
    fb_table options2;
    const uint8_t *custom_options;
    size_t custom_options_size;
} model_op;

typedef struct model_subgraph {
    const char *name;
    int32_t tensor_count, input_count, output_count, op_count;
    model_tensor *tensors;
    const int32_t *inputs;
    const int32_t *outputs;
    model_op *ops;
} model_subgraph;

typedef struct model_signature_io {
    const char *name;
    int32_t tensor;
} model_signature_io;

typedef struct model_signature {
    const char *key;
    int32_t subgraph;
    int32_t input_count, output_count;
    model_signature_io *inputs;
    model_signature_io *outputs;
} model_signature;

typedef struct model_metadata {
    const char *name;
    model_buffer data;
} model_metadata;

typedef struct model_opcode {
    int32_t builtin_code;
    const char *custom_name;
    int32_t version;
} model_opcode;

struct mote_model {
    mote_allocator alloc;
    const uint8_t *bytes; /* the whole file (FlatBuffer + anything appended) */
    size_t size;
    fb_buf fb;            /* the FlatBuffer view of bytes */
    void *owned;          /* a copy or mapping of the file, when Mote holds one */
    size_t owned_size;
    int mapped;

    uint32_t version;
    const char *description;
    int32_t opcode_count, buffer_count, subgraph_count, signature_count, metadata_count;
    model_opcode *opcodes;
    model_buffer *buffers;
    model_subgraph *subgraphs;
    model_signature *signatures;
    model_metadata *metadata;

    /* Everything the loader allocates, freed with the model. */
    struct model_block *blocks;

    int failed;
    char error[512];
};

/* Element size of a TensorType value, 0 for types without a fixed size. */
size_t mote_type_bytes(int32_t type);

/* Bytes a dense tensor of this type and shape takes, or -1 when the product overflows or a
 * dimension is negative. Sub-byte types are packed (two int4 per byte). */
int mote_dense_bytes(int32_t type, int32_t rank, const int32_t *dims, size_t *bytes);

/* Builtin or custom name of an operator, for messages. */
const char *model_op_name(const model_op *op);

#endif /* MOTE_CORE_MODEL_H */
