/* tflite_writer_emit.c — serializes the writer's model as a TensorFlow Lite FlatBuffer.
 *
 * The builder works back to front, so what is made first lands at the end of the file:
 * constant data goes first (the file ends with the weights, buffer 1 first, each 16-byte
 * aligned as the schema's force_align asks), then subgraphs, operator codes, signatures,
 * metadata and finally the Model table, whose offset opens the file.
 *
 * Buffers: 0 is the empty sentinel; then one per constant tensor, subgraph by subgraph;
 * then one per metadata entry. */
#include <string.h>

#include "format/builtin_ops.h"
#include "format/tflite_schema.h"
#include "format/tflite_writer.h"

/* Alignment of constant data and of the whole file. */
#define DATA_ALIGN 16
#define TFLITE_SCHEMA_VERSION 3

/* Scratch lists of refs for the vectors being assembled. */
typedef struct emit_ctx {
    mote_writer *w;
    fb_builder *b;
    fb_ref *inner;   /* elements of the vector being made (tensors, ops, buffers, ...) */
    size_t inner_cap;
    fb_ref *outer;   /* subgraphs or signatures, while their elements use inner */
    size_t outer_cap;
} emit_ctx;

static fb_ref emit_tensor(emit_ctx *e, const w_tensor *t) {
    fb_builder *b = e->b;
    fb_ref shape = fbb_vec_i32(b, t->dims, (size_t)t->rank);
    fb_ref name = t->name ? fbb_cstring(b, t->name) : 0;
    fb_ref sig = t->sig_rank >= 0 ? fbb_vec_i32(b, t->sig_dims, (size_t)t->sig_rank) : 0;
    fb_ref quant = 0;
    if (t->quant_count > 0) {
        fb_ref scales = fbb_vec_f32(b, t->scales, (size_t)t->quant_count);
        fb_ref zps = fbb_vec_i64(b, t->zero_points, (size_t)t->quant_count);
        fbb_table_start(b);
        fbb_add_ref(b, TFL_QUANT_SCALE, scales);
        fbb_add_ref(b, TFL_QUANT_ZERO_POINT, zps);
        fbb_add_i32(b, TFL_QUANT_QUANTIZED_DIMENSION, t->quantized_dimension);
        quant = fbb_table_end(b);
    }
    fbb_table_start(b);
    fbb_add_ref(b, TFL_TENSOR_SHAPE, shape);
    fbb_add_i8(b, TFL_TENSOR_TYPE, (int8_t)t->type);
    fbb_add_u32(b, TFL_TENSOR_BUFFER, t->buffer);
    fbb_add_ref(b, TFL_TENSOR_NAME, name);
    fbb_add_ref(b, TFL_TENSOR_QUANTIZATION, quant);
    if (t->is_variable) fbb_add_bool(b, TFL_TENSOR_IS_VARIABLE, 1);
    fbb_add_ref(b, TFL_TENSOR_SHAPE_SIGNATURE, sig);
    return fbb_table_end(b);
}

/* The builtin options table, from its fields. */
static fb_ref emit_options(emit_ctx *e, const w_op *op) {
    fb_builder *b = e->b;
    /* Vectors and strings first: nothing may be made inside a table. Ids are unique and
     * bounded, and so is the number of fields. */
    fb_ref refs[WRITER_MAX_FIELD_ID + 1];
    for (int32_t i = 0; i < op->field_count && i <= WRITER_MAX_FIELD_ID; i++) {
        const w_field *f = &op->fields[i];
        refs[i] = 0;
        if (f->kind == MOTE_FIELD_INT32_VECTOR) refs[i] = fbb_vec_i32(b, f->ints, (size_t)f->count);
        if (f->kind == MOTE_FIELD_STRING) refs[i] = fbb_cstring(b, f->str);
    }
    fbb_table_start(b);
    for (int32_t i = 0; i < op->field_count && i <= WRITER_MAX_FIELD_ID; i++) {
        const w_field *f = &op->fields[i];
        switch (f->kind) {
        case MOTE_FIELD_BOOL: fbb_add_bool(b, f->id, f->i != 0); break;
        case MOTE_FIELD_INT8: fbb_add_u8(b, f->id, (uint8_t)f->i); break;
        case MOTE_FIELD_INT16: fbb_add_u16(b, f->id, (uint16_t)f->i); break;
        case MOTE_FIELD_INT32: fbb_add_i32(b, f->id, (int32_t)f->i); break;
        case MOTE_FIELD_UINT32: fbb_add_u32(b, f->id, (uint32_t)f->i); break;
        case MOTE_FIELD_INT64: fbb_add_i64(b, f->id, f->i); break;
        case MOTE_FIELD_FLOAT32: fbb_add_f32(b, f->id, f->f); break;
        default: fbb_add_ref(b, f->id, refs[i]); break;
        }
    }
    return fbb_table_end(b);
}

static fb_ref emit_op(emit_ctx *e, const w_op *op) {
    fb_builder *b = e->b;
    fb_ref inputs = fbb_vec_i32(b, op->inputs, (size_t)op->input_count);
    fb_ref outputs = fbb_vec_i32(b, op->outputs, (size_t)op->output_count);
    fb_ref mids = op->intermediate_count
                      ? fbb_vec_i32(b, op->intermediates, (size_t)op->intermediate_count)
                      : 0;
    fb_ref custom = op->custom_options_size
                        ? fbb_vec_bytes(b, op->custom_options, op->custom_options_size, 4)
                        : 0;
    fb_ref options = op->options_type ? emit_options(e, op) : 0;
    fbb_table_start(b);
    fbb_add_u32(b, TFL_OP_OPCODE_INDEX, (uint32_t)op->opcode);
    fbb_add_ref(b, TFL_OP_INPUTS, inputs);
    fbb_add_ref(b, TFL_OP_OUTPUTS, outputs);
    if (op->options_type) {
        fbb_add_u8(b, TFL_OP_BUILTIN_OPTIONS_TYPE, op->options_type);
        fbb_add_ref(b, TFL_OP_BUILTIN_OPTIONS, options);
    }
    fbb_add_ref(b, TFL_OP_CUSTOM_OPTIONS, custom);
    fbb_add_ref(b, TFL_OP_INTERMEDIATES, mids);
    return fbb_table_end(b);
}

static fb_ref emit_subgraph(emit_ctx *e, const w_subgraph *s) {
    fb_builder *b = e->b;
    for (int32_t i = 0; i < s->tensor_count; i++) e->inner[i] = emit_tensor(e, &s->tensors[i]);
    fb_ref tensors = fbb_vec_refs(b, e->inner, (size_t)s->tensor_count);
    for (int32_t i = 0; i < s->op_count; i++) e->inner[i] = emit_op(e, &s->ops[i]);
    fb_ref ops = fbb_vec_refs(b, e->inner, (size_t)s->op_count);
    fb_ref inputs = fbb_vec_i32(b, s->inputs, (size_t)s->input_count);
    fb_ref outputs = fbb_vec_i32(b, s->outputs, (size_t)s->output_count);
    fb_ref name = s->name ? fbb_cstring(b, s->name) : 0;
    fbb_table_start(b);
    fbb_add_ref(b, TFL_SUBGRAPH_TENSORS, tensors);
    fbb_add_ref(b, TFL_SUBGRAPH_INPUTS, inputs);
    fbb_add_ref(b, TFL_SUBGRAPH_OUTPUTS, outputs);
    fbb_add_ref(b, TFL_SUBGRAPH_OPERATORS, ops);
    fbb_add_ref(b, TFL_SUBGRAPH_NAME, name);
    return fbb_table_end(b);
}

/* Numbers the buffers (into each constant tensor's `buffer`) and writes them all. */
static fb_ref emit_buffers(emit_ctx *e, uint32_t count) {
    mote_writer *w = e->w;
    fb_builder *b = e->b;
    /* The data of buffer i goes to inner[i]; made last to first so it ends up in order. */
    uint32_t next = 1;
    for (int32_t s = 0; s < w->subgraph_count; s++)
        for (int32_t i = 0; i < w->subgraphs[s].tensor_count; i++) {
            w_tensor *t = &w->subgraphs[s].tensors[i];
            t->buffer = t->is_constant ? next++ : 0;
        }
    for (int32_t m = 0; m < w->metadata_count; m++) e->inner[next + (uint32_t)m] = 0;
    e->inner[0] = 0;
    for (int32_t m = w->metadata_count - 1; m >= 0; m--) {
        const w_metadata *md = &w->metadata[m];
        if (md->size) e->inner[next + (uint32_t)m] = fbb_vec_bytes(b, md->data, md->size, DATA_ALIGN);
    }
    for (int32_t s = w->subgraph_count - 1; s >= 0; s--)
        for (int32_t i = w->subgraphs[s].tensor_count - 1; i >= 0; i--) {
            const w_tensor *t = &w->subgraphs[s].tensors[i];
            if (t->is_constant)
                e->inner[t->buffer] =
                    t->data_size ? fbb_vec_bytes(b, t->data, t->data_size, DATA_ALIGN) : 0;
        }
    for (uint32_t i = 0; i < count; i++) {
        fb_ref data = e->inner[i];
        fbb_table_start(b);
        fbb_add_ref(b, TFL_BUFFER_DATA, data);
        e->inner[i] = fbb_table_end(b);
    }
    return fbb_vec_refs(b, e->inner, count);
}

static fb_ref emit_opcodes(emit_ctx *e) {
    mote_writer *w = e->w;
    fb_builder *b = e->b;
    for (int32_t i = 0; i < w->opcode_count; i++) {
        const w_opcode *c = &w->opcodes[i];
        fb_ref name = c->custom_name ? fbb_cstring(b, c->custom_name) : 0;
        fbb_table_start(b);
        /* Readers older than code 127 only look at the byte-sized field, where larger codes
         * read as 127 (PLACEHOLDER_FOR_GREATER_OP_CODES). */
        fbb_add_i8(b, TFL_OPCODE_DEPRECATED_BUILTIN_CODE,
                   (int8_t)(c->builtin_code < 127 ? c->builtin_code : 127));
        fbb_add_ref(b, TFL_OPCODE_CUSTOM_CODE, name);
        fbb_add_i32(b, TFL_OPCODE_VERSION, c->version);
        fbb_add_i32(b, TFL_OPCODE_BUILTIN_CODE, c->builtin_code);
        e->inner[i] = fbb_table_end(b);
    }
    return fbb_vec_refs(b, e->inner, (size_t)w->opcode_count);
}

static fb_ref emit_tensor_maps(emit_ctx *e, const w_signature_io *io, int32_t count) {
    fb_builder *b = e->b;
    for (int32_t i = 0; i < count; i++) {
        fb_ref name = fbb_cstring(b, io[i].name);
        fbb_table_start(b);
        fbb_add_ref(b, TFL_TENSORMAP_NAME, name);
        fbb_add_u32(b, TFL_TENSORMAP_TENSOR_INDEX, (uint32_t)io[i].tensor);
        e->inner[i] = fbb_table_end(b);
    }
    return fbb_vec_refs(b, e->inner, (size_t)count);
}

static fb_ref emit_signatures(emit_ctx *e) {
    mote_writer *w = e->w;
    fb_builder *b = e->b;
    for (int32_t i = 0; i < w->signature_count; i++) {
        const w_signature *s = &w->signatures[i];
        fb_ref inputs = emit_tensor_maps(e, s->inputs, s->input_count);
        fb_ref outputs = emit_tensor_maps(e, s->outputs, s->output_count);
        fb_ref key = fbb_cstring(b, s->key);
        fbb_table_start(b);
        fbb_add_ref(b, TFL_SIGNATURE_INPUTS, inputs);
        fbb_add_ref(b, TFL_SIGNATURE_OUTPUTS, outputs);
        fbb_add_ref(b, TFL_SIGNATURE_KEY, key);
        fbb_add_u32(b, TFL_SIGNATURE_SUBGRAPH_INDEX, (uint32_t)s->subgraph);
        e->outer[i] = fbb_table_end(b);
    }
    return fbb_vec_refs(b, e->outer, (size_t)w->signature_count);
}

static fb_ref emit_metadata(emit_ctx *e, uint32_t first_buffer) {
    mote_writer *w = e->w;
    fb_builder *b = e->b;
    for (int32_t i = 0; i < w->metadata_count; i++) {
        fb_ref name = fbb_cstring(b, w->metadata[i].name);
        fbb_table_start(b);
        fbb_add_ref(b, TFL_METADATA_NAME, name);
        fbb_add_u32(b, TFL_METADATA_BUFFER, first_buffer + (uint32_t)i);
        e->inner[i] = fbb_table_end(b);
    }
    return fbb_vec_refs(b, e->inner, (size_t)w->metadata_count);
}

static size_t max_size(size_t a, size_t b) { return a > b ? a : b; }

static mote_status builder_status(mote_writer *w, fbb_error err) {
    switch (err) {
    case FBB_OK: return MOTE_OK;
    case FBB_OUT_OF_MEMORY:
        return writer_fail(w, MOTE_ERROR_OUT_OF_MEMORY, "finish: out of memory while serializing");
    case FBB_TOO_LARGE:
        return writer_fail(w, MOTE_ERROR_LIMIT,
                           "finish: the model does not fit in a FlatBuffer (2 GiB at most)");
    default:
        return writer_fail(w, MOTE_ERROR_BAD_STATE, "finish: internal error: %s",
                           fbb_error_string(err));
    }
}

mote_status writer_emit(mote_writer *w) {
    /* Buffers: the sentinel, one per constant, one per metadata entry. */
    uint64_t buffers = 1 + (uint64_t)w->metadata_count;
    size_t inner = max_size((size_t)w->opcode_count, (size_t)w->metadata_count);
    for (int32_t s = 0; s < w->subgraph_count; s++) {
        const w_subgraph *g = &w->subgraphs[s];
        for (int32_t i = 0; i < g->tensor_count; i++) buffers += g->tensors[i].is_constant != 0;
        inner = max_size(inner, max_size((size_t)g->tensor_count, (size_t)g->op_count));
    }
    for (int32_t i = 0; i < w->signature_count; i++)
        inner = max_size(inner, max_size((size_t)w->signatures[i].input_count,
                                         (size_t)w->signatures[i].output_count));
    if (buffers > INT32_MAX)
        return writer_fail(w, MOTE_ERROR_LIMIT, "finish: %llu buffers are too many",
                           (unsigned long long)buffers);
    inner = max_size(inner, (size_t)buffers);
    emit_ctx e = {w, &w->fbb, NULL, inner, NULL,
                  max_size((size_t)w->subgraph_count, (size_t)w->signature_count)};
    e.inner = writer_alloc(w, e.inner_cap * sizeof(fb_ref));
    e.outer = writer_alloc(w, e.outer_cap * sizeof(fb_ref));
    mote_status st = MOTE_OK;
    if (!e.inner || !e.outer) {
        st = writer_fail(w, MOTE_ERROR_OUT_OF_MEMORY, "finish: out of memory");
    } else {
        fb_builder *b = e.b;
        uint32_t first_metadata_buffer = (uint32_t)buffers - (uint32_t)w->metadata_count;
        fb_ref buffer_vec = emit_buffers(&e, (uint32_t)buffers);
        for (int32_t s = 0; s < w->subgraph_count; s++) e.outer[s] = emit_subgraph(&e, &w->subgraphs[s]);
        fb_ref subgraphs = fbb_vec_refs(b, e.outer, (size_t)w->subgraph_count);
        fb_ref opcodes = emit_opcodes(&e);
        fb_ref signatures = w->signature_count ? emit_signatures(&e) : 0;
        fb_ref metadata = w->metadata_count ? emit_metadata(&e, first_metadata_buffer) : 0;
        fb_ref description = w->description ? fbb_cstring(b, w->description) : 0;
        fbb_table_start(b);
        fbb_add_u32(b, TFL_MODEL_VERSION, TFLITE_SCHEMA_VERSION);
        fbb_add_ref(b, TFL_MODEL_OPERATOR_CODES, opcodes);
        fbb_add_ref(b, TFL_MODEL_SUBGRAPHS, subgraphs);
        fbb_add_ref(b, TFL_MODEL_DESCRIPTION, description);
        fbb_add_ref(b, TFL_MODEL_BUFFERS, buffer_vec);
        fbb_add_ref(b, TFL_MODEL_METADATA, metadata);
        fbb_add_ref(b, TFL_MODEL_SIGNATURE_DEFS, signatures);
        fb_ref model = fbb_table_end(b);
        fbb_finish(b, model, TFL_IDENTIFIER, DATA_ALIGN);
        st = builder_status(w, fbb_error_of(b));
    }
    writer_free(w, e.inner);
    writer_free(w, e.outer);
    return st;
}
