/* tflite_schema.c — the verifier's description of TensorFlow Lite's schema v3.
 *
 * Every table the runtime reads is described with all of its offset fields (strings,
 * vectors, sub-tables, unions), so fb_verify checks them before anything reads them.
 * Options tables made only of scalars need no description: scalar reads are checked
 * against the table size by the accessors.
 */
#include "format/tflite_schema.h"

#define COUNT(a) (uint32_t)(sizeof(a) / sizeof((a)[0]))
#define SCALAR(id, n) {(id), FB_SCALAR, (n), NULL, NULL}
#define STRING(id) {(id), FB_STRING, 1, NULL, NULL}
#define VEC(id, n) {(id), FB_VEC_SCALAR, (n), NULL, NULL}
#define VEC_TABLE(id, spec) {(id), FB_VEC_TABLE, 4, &(spec), NULL}
#define TABLE(id, spec) {(id), FB_TABLE, 4, &(spec), NULL}
#define UNION(id, uspec) {(id), FB_UNION, 4, NULL, &(uspec)}
#define SPEC(name, fields) {name, COUNT(fields), fields}

/* ---- quantization ---- */

static const fb_field_spec custom_quant_fields[] = {VEC(0, 1)};
static const fb_table_spec custom_quant_spec = SPEC("CustomQuantization", custom_quant_fields);
static const fb_field_spec blockwise_fields[] = {SCALAR(0, 4), SCALAR(1, 4), SCALAR(2, 4)};
static const fb_table_spec blockwise_spec = SPEC("BlockwiseQuantization", blockwise_fields);
static const fb_field_spec multi_axis_fields[] = {SCALAR(0, 4), SCALAR(1, 4), SCALAR(2, 4), VEC(3, 4)};
static const fb_table_spec multi_axis_spec = SPEC("MultiAxisQuantization", multi_axis_fields);
static const fb_table_spec *const quant_details_types[] = {NULL, &custom_quant_spec,
                                                           &blockwise_spec, &multi_axis_spec};
static const fb_union_spec quant_details_union = {COUNT(quant_details_types), quant_details_types};

static const fb_field_spec quant_fields[] = {
    VEC(TFL_QUANT_MIN, 4),  VEC(TFL_QUANT_MAX, 4), VEC(TFL_QUANT_SCALE, 4),
    VEC(TFL_QUANT_ZERO_POINT, 8), SCALAR(TFL_QUANT_DETAILS_TYPE, 1),
    UNION(TFL_QUANT_DETAILS, quant_details_union), SCALAR(TFL_QUANT_QUANTIZED_DIMENSION, 4)};
static const fb_table_spec quant_spec = SPEC("QuantizationParameters", quant_fields);

/* ---- sparsity ---- */

static const fb_field_spec int32_vector_fields[] = {VEC(0, 4)};
static const fb_table_spec int32_vector_spec = SPEC("Int32Vector", int32_vector_fields);
static const fb_field_spec uint16_vector_fields[] = {VEC(0, 2)};
static const fb_table_spec uint16_vector_spec = SPEC("Uint16Vector", uint16_vector_fields);
static const fb_field_spec uint8_vector_fields[] = {VEC(0, 1)};
static const fb_table_spec uint8_vector_spec = SPEC("Uint8Vector", uint8_vector_fields);
static const fb_table_spec *const sparse_index_types[] = {NULL, &int32_vector_spec,
                                                          &uint16_vector_spec, &uint8_vector_spec};
static const fb_union_spec sparse_index_union = {COUNT(sparse_index_types), sparse_index_types};

static const fb_field_spec dim_metadata_fields[] = {
    SCALAR(TFL_DIM_FORMAT, 1), SCALAR(TFL_DIM_DENSE_SIZE, 4),
    SCALAR(TFL_DIM_SEGMENTS_TYPE, 1), UNION(TFL_DIM_SEGMENTS, sparse_index_union),
    SCALAR(TFL_DIM_INDICES_TYPE, 1), UNION(TFL_DIM_INDICES, sparse_index_union)};
static const fb_table_spec dim_metadata_spec = SPEC("DimensionMetadata", dim_metadata_fields);

static const fb_field_spec sparsity_fields[] = {VEC(TFL_SPARSITY_TRAVERSAL_ORDER, 4),
                                                VEC(TFL_SPARSITY_BLOCK_MAP, 4),
                                                VEC_TABLE(TFL_SPARSITY_DIM_METADATA, dim_metadata_spec)};
static const fb_table_spec sparsity_spec = SPEC("SparsityParameters", sparsity_fields);

/* ---- tensors ---- */

static const fb_field_spec variant_fields[] = {VEC(0, 4), SCALAR(1, 1), SCALAR(2, 1)};
static const fb_table_spec variant_spec = SPEC("VariantSubType", variant_fields);

static const fb_field_spec tensor_fields[] = {
    VEC(TFL_TENSOR_SHAPE, 4),           SCALAR(TFL_TENSOR_TYPE, 1),
    SCALAR(TFL_TENSOR_BUFFER, 4),       STRING(TFL_TENSOR_NAME),
    TABLE(TFL_TENSOR_QUANTIZATION, quant_spec), SCALAR(TFL_TENSOR_IS_VARIABLE, 1),
    TABLE(TFL_TENSOR_SPARSITY, sparsity_spec),  VEC(TFL_TENSOR_SHAPE_SIGNATURE, 4),
    SCALAR(TFL_TENSOR_HAS_RANK, 1),     VEC_TABLE(TFL_TENSOR_VARIANT_TENSORS, variant_spec),
    SCALAR(TFL_TENSOR_EXTERNAL_BUFFER, 4)};
static const fb_table_spec tensor_spec = SPEC("Tensor", tensor_fields);

/* ---- builtin options with offset fields ---- */

static const fb_field_spec concat_embeddings_fields[] = {SCALAR(0, 4), VEC(1, 4), VEC(2, 4)};
static const fb_table_spec concat_embeddings_spec = SPEC("ConcatEmbeddingsOptions", concat_embeddings_fields);
static const fb_field_spec reshape_fields[] = {VEC(0, 4)};
static const fb_table_spec reshape_spec = SPEC("ReshapeOptions", reshape_fields);
static const fb_field_spec squeeze_fields[] = {VEC(0, 4)};
static const fb_table_spec squeeze_spec = SPEC("SqueezeOptions", squeeze_fields);
static const fb_field_spec var_handle_fields[] = {STRING(0), STRING(1)};
static const fb_table_spec var_handle_spec = SPEC("VarHandleOptions", var_handle_fields);
static const fb_field_spec bucketize_fields[] = {VEC(0, 4)};
static const fb_table_spec bucketize_spec = SPEC("BucketizeOptions", bucketize_fields);

static const fb_table_spec *builtin_options_types[TFL_OPTIONS_COUNT_] = {
    [TFL_OPTIONS_CONCAT_EMBEDDINGS] = &concat_embeddings_spec,
    [TFL_OPTIONS_RESHAPE] = &reshape_spec,
    [TFL_OPTIONS_SQUEEZE] = &squeeze_spec,
    [TFL_OPTIONS_VAR_HANDLE] = &var_handle_spec,
    [TFL_OPTIONS_BUCKETIZE] = &bucketize_spec,
};
static const fb_union_spec builtin_options_union = {TFL_OPTIONS_COUNT_, builtin_options_types};

/* BuiltinOptions2: only StableHLOCompositeOptions (21) has offset fields Mote reads. */
static const fb_field_spec composite_fields[] = {STRING(0), SCALAR(1, 4), VEC(2, 1), SCALAR(3, 1),
                                                 SCALAR(4, 4)};
static const fb_table_spec composite_spec = SPEC("StableHLOCompositeOptions", composite_fields);
static const fb_table_spec *const builtin_options2_types[22] = {[21] = &composite_spec};
static const fb_union_spec builtin_options2_union = {COUNT(builtin_options2_types),
                                                     builtin_options2_types};

/* ---- operators, subgraphs, model ---- */

static const fb_field_spec operator_fields[] = {
    SCALAR(TFL_OP_OPCODE_INDEX, 4),
    VEC(TFL_OP_INPUTS, 4),
    VEC(TFL_OP_OUTPUTS, 4),
    SCALAR(TFL_OP_BUILTIN_OPTIONS_TYPE, 1),
    UNION(TFL_OP_BUILTIN_OPTIONS, builtin_options_union),
    VEC(TFL_OP_CUSTOM_OPTIONS, 1),
    SCALAR(TFL_OP_CUSTOM_OPTIONS_FORMAT, 1),
    VEC(TFL_OP_MUTATING_VARIABLE_INPUTS, 1),
    VEC(TFL_OP_INTERMEDIATES, 4),
    SCALAR(TFL_OP_LARGE_CUSTOM_OPTIONS_OFFSET, 8),
    SCALAR(TFL_OP_LARGE_CUSTOM_OPTIONS_SIZE, 8),
    SCALAR(TFL_OP_BUILTIN_OPTIONS_2_TYPE, 1),
    UNION(TFL_OP_BUILTIN_OPTIONS_2, builtin_options2_union),
    SCALAR(TFL_OP_DEBUG_METADATA_INDEX, 4)};
static const fb_table_spec operator_spec = SPEC("Operator", operator_fields);

static const fb_field_spec subgraph_fields[] = {
    VEC_TABLE(TFL_SUBGRAPH_TENSORS, tensor_spec), VEC(TFL_SUBGRAPH_INPUTS, 4),
    VEC(TFL_SUBGRAPH_OUTPUTS, 4), VEC_TABLE(TFL_SUBGRAPH_OPERATORS, operator_spec),
    STRING(TFL_SUBGRAPH_NAME), SCALAR(5, 4)};
static const fb_table_spec subgraph_spec = SPEC("SubGraph", subgraph_fields);

static const fb_field_spec opcode_fields[] = {
    SCALAR(TFL_OPCODE_DEPRECATED_BUILTIN_CODE, 1), STRING(TFL_OPCODE_CUSTOM_CODE),
    SCALAR(TFL_OPCODE_VERSION, 4), SCALAR(TFL_OPCODE_BUILTIN_CODE, 4)};
static const fb_table_spec opcode_spec = SPEC("OperatorCode", opcode_fields);

static const fb_field_spec buffer_fields[] = {VEC(TFL_BUFFER_DATA, 1), SCALAR(TFL_BUFFER_OFFSET, 8),
                                              SCALAR(TFL_BUFFER_SIZE, 8)};
static const fb_table_spec buffer_spec = SPEC("Buffer", buffer_fields);

static const fb_field_spec metadata_fields[] = {STRING(TFL_METADATA_NAME), SCALAR(TFL_METADATA_BUFFER, 4)};
static const fb_table_spec metadata_spec = SPEC("Metadata", metadata_fields);

static const fb_field_spec tensor_map_fields[] = {STRING(TFL_TENSORMAP_NAME),
                                                  SCALAR(TFL_TENSORMAP_TENSOR_INDEX, 4)};
static const fb_table_spec tensor_map_spec = SPEC("TensorMap", tensor_map_fields);

static const fb_field_spec signature_fields[] = {
    VEC_TABLE(TFL_SIGNATURE_INPUTS, tensor_map_spec), VEC_TABLE(TFL_SIGNATURE_OUTPUTS, tensor_map_spec),
    STRING(TFL_SIGNATURE_KEY), STRING(3), SCALAR(TFL_SIGNATURE_SUBGRAPH_INDEX, 4)};
static const fb_table_spec signature_spec = SPEC("SignatureDef", signature_fields);

static const fb_field_spec ext_group_fields[] = {STRING(0)};
static const fb_table_spec ext_group_spec = SPEC("ExternalBufferGroup", ext_group_fields);
static const fb_field_spec ext_buffer_fields[] = {SCALAR(0, 4), SCALAR(1, 4), SCALAR(2, 8),
                                                  SCALAR(3, 8), STRING(4)};
static const fb_table_spec ext_buffer_spec = SPEC("ExternalBuffer", ext_buffer_fields);

static const fb_field_spec model_fields[] = {
    SCALAR(TFL_MODEL_VERSION, 4),
    VEC_TABLE(TFL_MODEL_OPERATOR_CODES, opcode_spec),
    VEC_TABLE(TFL_MODEL_SUBGRAPHS, subgraph_spec),
    STRING(TFL_MODEL_DESCRIPTION),
    VEC_TABLE(TFL_MODEL_BUFFERS, buffer_spec),
    VEC(TFL_MODEL_METADATA_BUFFER, 4),
    VEC_TABLE(TFL_MODEL_METADATA, metadata_spec),
    VEC_TABLE(TFL_MODEL_SIGNATURE_DEFS, signature_spec),
    VEC_TABLE(TFL_MODEL_EXTERNAL_BUFFER_GROUPS, ext_group_spec),
    VEC_TABLE(TFL_MODEL_EXTERNAL_BUFFERS, ext_buffer_spec)};
const fb_table_spec tfl_model_spec = SPEC("Model", model_fields);
