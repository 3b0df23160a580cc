/* tflite_schema.h — field ids of TensorFlow Lite's schema v3 tables, and its verifier spec.
 *
 * A FlatBuffer field's id is its position in the table declaration, counting the hidden
 * `_type` field that precedes every union field and deprecated fields. These ids are facts
 * of TensorFlow Lite's schema.fbs; the reader and the writer both use them.
 */
#ifndef MOTE_FORMAT_TFLITE_SCHEMA_H
#define MOTE_FORMAT_TFLITE_SCHEMA_H

#include "format/flatbuffer.h"

#define TFL_IDENTIFIER "TFL3"

enum tfl_model_field {
    TFL_MODEL_VERSION = 0,
    TFL_MODEL_OPERATOR_CODES = 1,
    TFL_MODEL_SUBGRAPHS = 2,
    TFL_MODEL_DESCRIPTION = 3,
    TFL_MODEL_BUFFERS = 4,
    TFL_MODEL_METADATA_BUFFER = 5,
    TFL_MODEL_METADATA = 6,
    TFL_MODEL_SIGNATURE_DEFS = 7,
    TFL_MODEL_EXTERNAL_BUFFER_GROUPS = 8,
    TFL_MODEL_EXTERNAL_BUFFERS = 9
};

enum tfl_operator_code_field {
    TFL_OPCODE_DEPRECATED_BUILTIN_CODE = 0, /* int8 */
    TFL_OPCODE_CUSTOM_CODE = 1,
    TFL_OPCODE_VERSION = 2,                 /* int32, default 1 */
    TFL_OPCODE_BUILTIN_CODE = 3             /* int32 */
};

enum tfl_subgraph_field {
    TFL_SUBGRAPH_TENSORS = 0,
    TFL_SUBGRAPH_INPUTS = 1,
    TFL_SUBGRAPH_OUTPUTS = 2,
    TFL_SUBGRAPH_OPERATORS = 3,
    TFL_SUBGRAPH_NAME = 4
};

enum tfl_tensor_field {
    TFL_TENSOR_SHAPE = 0,
    TFL_TENSOR_TYPE = 1,   /* int8 TensorType */
    TFL_TENSOR_BUFFER = 2, /* uint32 */
    TFL_TENSOR_NAME = 3,
    TFL_TENSOR_QUANTIZATION = 4,
    TFL_TENSOR_IS_VARIABLE = 5,
    TFL_TENSOR_SPARSITY = 6,
    TFL_TENSOR_SHAPE_SIGNATURE = 7,
    TFL_TENSOR_HAS_RANK = 8,
    TFL_TENSOR_VARIANT_TENSORS = 9,
    TFL_TENSOR_EXTERNAL_BUFFER = 10
};

enum tfl_quantization_field {
    TFL_QUANT_MIN = 0,
    TFL_QUANT_MAX = 1,
    TFL_QUANT_SCALE = 2,        /* [float] */
    TFL_QUANT_ZERO_POINT = 3,   /* [int64] */
    TFL_QUANT_DETAILS_TYPE = 4,
    TFL_QUANT_DETAILS = 5,
    TFL_QUANT_QUANTIZED_DIMENSION = 6
};

/* QuantizationDetails union members. */
enum tfl_quant_details {
    TFL_QDETAILS_NONE = 0,
    TFL_QDETAILS_CUSTOM = 1,
    TFL_QDETAILS_BLOCKWISE = 2,
    TFL_QDETAILS_MULTI_AXIS = 3
};

/* BlockwiseQuantization: scales and zero_points are tensor indices. */
enum tfl_blockwise_field {
    TFL_BLOCKWISE_SCALES = 0,
    TFL_BLOCKWISE_ZERO_POINTS = 1,
    TFL_BLOCKWISE_BLOCK_SIZE = 2
};

enum tfl_sparsity_field {
    TFL_SPARSITY_TRAVERSAL_ORDER = 0,
    TFL_SPARSITY_BLOCK_MAP = 1,
    TFL_SPARSITY_DIM_METADATA = 2
};

enum tfl_dim_metadata_field {
    TFL_DIM_FORMAT = 0,      /* 0 DENSE, 1 SPARSE_CSR */
    TFL_DIM_DENSE_SIZE = 1,
    TFL_DIM_SEGMENTS_TYPE = 2,
    TFL_DIM_SEGMENTS = 3,
    TFL_DIM_INDICES_TYPE = 4,
    TFL_DIM_INDICES = 5
};

/* SparseIndexVector union members; each is a table with `values` at field 0. */
enum tfl_sparse_index_vector {
    TFL_SPARSE_NONE = 0,
    TFL_SPARSE_INT32 = 1,
    TFL_SPARSE_UINT16 = 2,
    TFL_SPARSE_UINT8 = 3
};

enum tfl_operator_field {
    TFL_OP_OPCODE_INDEX = 0,
    TFL_OP_INPUTS = 1,
    TFL_OP_OUTPUTS = 2,
    TFL_OP_BUILTIN_OPTIONS_TYPE = 3,
    TFL_OP_BUILTIN_OPTIONS = 4,
    TFL_OP_CUSTOM_OPTIONS = 5,
    TFL_OP_CUSTOM_OPTIONS_FORMAT = 6,
    TFL_OP_MUTATING_VARIABLE_INPUTS = 7,
    TFL_OP_INTERMEDIATES = 8,
    TFL_OP_LARGE_CUSTOM_OPTIONS_OFFSET = 9,
    TFL_OP_LARGE_CUSTOM_OPTIONS_SIZE = 10,
    TFL_OP_BUILTIN_OPTIONS_2_TYPE = 11,
    TFL_OP_BUILTIN_OPTIONS_2 = 12,
    TFL_OP_DEBUG_METADATA_INDEX = 13
};

enum tfl_buffer_field {
    TFL_BUFFER_DATA = 0,
    TFL_BUFFER_OFFSET = 1, /* uint64, from the start of the file; valid when > 1 */
    TFL_BUFFER_SIZE = 2
};

enum tfl_metadata_field { TFL_METADATA_NAME = 0, TFL_METADATA_BUFFER = 1 };

enum tfl_tensor_map_field { TFL_TENSORMAP_NAME = 0, TFL_TENSORMAP_TENSOR_INDEX = 1 };

enum tfl_signature_field {
    TFL_SIGNATURE_INPUTS = 0,
    TFL_SIGNATURE_OUTPUTS = 1,
    TFL_SIGNATURE_KEY = 2,
    /* 3: deprecated_tag */
    TFL_SIGNATURE_SUBGRAPH_INDEX = 4
};

/* The BuiltinOptions union type values used by the verifier spec and by kernels to check
 * they were handed the options they expect. */
enum tfl_builtin_options {
    TFL_OPTIONS_NONE = 0,
    TFL_OPTIONS_CONV2D = 1,
    TFL_OPTIONS_DEPTHWISE_CONV2D = 2,
    TFL_OPTIONS_CONCAT_EMBEDDINGS = 3,
    TFL_OPTIONS_POOL2D = 5,
    TFL_OPTIONS_SVDF = 6,
    TFL_OPTIONS_RNN = 7,
    TFL_OPTIONS_FULLY_CONNECTED = 8,
    TFL_OPTIONS_SOFTMAX = 9,
    TFL_OPTIONS_CONCATENATION = 10,
    TFL_OPTIONS_ADD = 11,
    TFL_OPTIONS_L2NORM = 12,
    TFL_OPTIONS_LRN = 13,
    TFL_OPTIONS_LSTM = 14,
    TFL_OPTIONS_RESIZE_BILINEAR = 15,
    TFL_OPTIONS_CALL = 16,
    TFL_OPTIONS_RESHAPE = 17,
    TFL_OPTIONS_SPACE_TO_DEPTH = 19,
    TFL_OPTIONS_MUL = 21,
    TFL_OPTIONS_PAD = 22,
    TFL_OPTIONS_GATHER = 23,
    TFL_OPTIONS_BATCH_TO_SPACE_ND = 24,
    TFL_OPTIONS_SPACE_TO_BATCH_ND = 25,
    TFL_OPTIONS_TRANSPOSE = 26,
    TFL_OPTIONS_REDUCER = 27,
    TFL_OPTIONS_SUB = 28,
    TFL_OPTIONS_DIV = 29,
    TFL_OPTIONS_SQUEEZE = 30,
    TFL_OPTIONS_SEQUENCE_RNN = 31,
    TFL_OPTIONS_STRIDED_SLICE = 32,
    TFL_OPTIONS_EXP = 33,
    TFL_OPTIONS_TOPK_V2 = 34,
    TFL_OPTIONS_SPLIT = 35,
    TFL_OPTIONS_LOG_SOFTMAX = 36,
    TFL_OPTIONS_CAST = 37,
    TFL_OPTIONS_DEQUANTIZE = 38,
    TFL_OPTIONS_MAXIMUM_MINIMUM = 39,
    TFL_OPTIONS_ARG_MAX = 40,
    TFL_OPTIONS_LESS = 41,
    TFL_OPTIONS_NEG = 42,
    TFL_OPTIONS_PADV2 = 43,
    TFL_OPTIONS_SELECT = 47,
    TFL_OPTIONS_SLICE = 48,
    TFL_OPTIONS_TRANSPOSE_CONV = 49,
    TFL_OPTIONS_SPARSE_TO_DENSE = 50,
    TFL_OPTIONS_TILE = 51,
    TFL_OPTIONS_EXPAND_DIMS = 52,
    TFL_OPTIONS_SHAPE = 55,
    TFL_OPTIONS_POW = 56,
    TFL_OPTIONS_ARG_MIN = 57,
    TFL_OPTIONS_FAKE_QUANT = 58,
    TFL_OPTIONS_PACK = 59,
    TFL_OPTIONS_ONE_HOT = 61,
    TFL_OPTIONS_UNPACK = 64,
    TFL_OPTIONS_BIDIRECTIONAL_SEQUENCE_LSTM = 69,
    TFL_OPTIONS_BIDIRECTIONAL_SEQUENCE_RNN = 70,
    TFL_OPTIONS_UNIDIRECTIONAL_SEQUENCE_LSTM = 71,
    TFL_OPTIONS_RESIZE_NEAREST_NEIGHBOR = 74,
    TFL_OPTIONS_LEAKY_RELU = 75,
    TFL_OPTIONS_MIRROR_PAD = 77,
    TFL_OPTIONS_SPLIT_V = 79,
    TFL_OPTIONS_UNIQUE = 80,
    TFL_OPTIONS_REVERSE_SEQUENCE = 87,
    TFL_OPTIONS_IF = 92,
    TFL_OPTIONS_WHILE = 93,
    TFL_OPTIONS_DEPTH_TO_SPACE = 94,
    TFL_OPTIONS_BATCH_MATMUL = 101,
    TFL_OPTIONS_CUMSUM = 102,
    TFL_OPTIONS_CALL_ONCE = 103,
    TFL_OPTIONS_RFFT2D = 105,
    TFL_OPTIONS_CONV3D = 106,
    TFL_OPTIONS_VAR_HANDLE = 111,
    TFL_OPTIONS_RANDOM = 114,
    TFL_OPTIONS_BUCKETIZE = 115,
    TFL_OPTIONS_GELU = 116,
    TFL_OPTIONS_UNSORTED_SEGMENT_PROD = 118,
    TFL_OPTIONS_COUNT_ = 127
};

/* The verifier spec of the Model root table. */
extern const fb_table_spec tfl_model_spec;

#endif /* MOTE_FORMAT_TFLITE_SCHEMA_H */
