/* tiny_model.h — builds small .tflite files by hand for tests (one subgraph), including
 * shapes Mote's writer would refuse: buffers stored outside the FlatBuffer at any offset,
 * operators nobody implements.
 *
 * Buffers marked `external` are written after the FlatBuffer, 16-byte aligned, and the
 * Buffer table gets `offset` and `size` (from the start of the file) instead of `data`;
 * `offset_override` replaces the real offset, to point outside the file.
 */
#ifndef MOTE_TEST_TINY_MODEL_H
#define MOTE_TEST_TINY_MODEL_H

#include "fbgen.h"

typedef struct tiny_tensor {
    const char *name;
    int8_t type; /* mote_type */
    int32_t rank;
    int32_t dims[4];
    uint32_t buffer;
    int is_variable;
} tiny_tensor;

typedef struct tiny_op {
    int32_t code;       /* BuiltinOperator; 32 (CUSTOM) with custom */
    const char *custom;
    int32_t input_count;
    int32_t inputs[4];
    int32_t output_count;
    int32_t outputs[4];
} tiny_op;

typedef struct tiny_buffer {
    const void *data; /* NULL: empty */
    uint32_t size;
    int external;
    uint64_t offset_override;
} tiny_buffer;

typedef struct tiny_model {
    const char *description;
    int32_t tensor_count;
    const tiny_tensor *tensors;
    int32_t op_count;
    const tiny_op *ops;
    int32_t buffer_count;
    const tiny_buffer *buffers;
    int32_t input_count;
    const int32_t *inputs;
    int32_t output_count;
    const int32_t *outputs;
} tiny_model;

/* Writes the model into g (initialized here); the caller frees it with fbg_free. */
static inline void tiny_model_build(fbgen *g, const tiny_model *m) {
    fbg_init(g);
    /* Model: version 0, operator_codes 1, subgraphs 2, description 3, buffers 4. */
    fbg_field mf[] = {{0, 4, 3}, {1, 4, 0}, {2, 4, 0}, {3, 4, 0}, {4, 4, 0}};
    uint32_t mpos[5];
    uint32_t model = fbg_table(g, mf, 5, mpos);
    fbg_root(g, model, "TFL3");
    fbg_link(g, mpos[3], fbg_string(g, m->description ? m->description : ""));

    /* One operator code per operator keeps the mapping trivial. */
    uint32_t codes = fbg_vec(g, 4, (uint32_t)m->op_count, NULL);
    fbg_link(g, mpos[1], codes);
    for (int32_t i = 0; i < m->op_count; i++) {
        const tiny_op *op = &m->ops[i];
        int32_t dep = op->code < 127 ? op->code : 127;
        fbg_field cf[] = {{0, 1, (uint64_t)(uint8_t)dep}, {2, 4, 1}, {3, 4, (uint64_t)(uint32_t)op->code},
                          {1, 4, 0}};
        uint32_t cpos[4];
        uint32_t c = fbg_table(g, cf, op->custom ? 4 : 3, cpos);
        fbg_link(g, fbg_slot(codes, (uint32_t)i), c);
        if (op->custom) fbg_link(g, cpos[3], fbg_string(g, op->custom));
    }

    /* The subgraph: tensors 0, inputs 1, outputs 2, operators 3, name 4. */
    uint32_t sgs = fbg_vec(g, 4, 1, NULL);
    fbg_link(g, mpos[2], sgs);
    fbg_field sf[] = {{0, 4, 0}, {1, 4, 0}, {2, 4, 0}, {3, 4, 0}, {4, 4, 0}};
    uint32_t spos[5];
    uint32_t sg = fbg_table(g, sf, 5, spos);
    fbg_link(g, fbg_slot(sgs, 0), sg);
    fbg_link(g, spos[4], fbg_string(g, "main"));
    fbg_link(g, spos[1], fbg_vec_i32(g, (uint32_t)m->input_count, m->inputs));
    fbg_link(g, spos[2], fbg_vec_i32(g, (uint32_t)m->output_count, m->outputs));
    uint32_t tensors = fbg_vec(g, 4, (uint32_t)m->tensor_count, NULL);
    fbg_link(g, spos[0], tensors);
    for (int32_t i = 0; i < m->tensor_count; i++) {
        const tiny_tensor *t = &m->tensors[i];
        /* Tensor: shape 0, type 1, buffer 2, name 3, is_variable 5. */
        fbg_field tf[] = {{0, 4, 0}, {1, 1, (uint64_t)(uint8_t)t->type}, {2, 4, t->buffer}, {3, 4, 0},
                          {5, 1, 1}};
        uint32_t tpos[5];
        uint32_t tt = fbg_table(g, tf, t->is_variable ? 5 : 4, tpos);
        fbg_link(g, fbg_slot(tensors, (uint32_t)i), tt);
        fbg_link(g, tpos[0], fbg_vec_i32(g, (uint32_t)t->rank, t->dims));
        fbg_link(g, tpos[3], fbg_string(g, t->name ? t->name : ""));
    }
    uint32_t ops = fbg_vec(g, 4, (uint32_t)m->op_count, NULL);
    fbg_link(g, spos[3], ops);
    for (int32_t i = 0; i < m->op_count; i++) {
        const tiny_op *op = &m->ops[i];
        /* Operator: opcode_index 0, inputs 1, outputs 2. */
        fbg_field of[] = {{0, 4, (uint64_t)i}, {1, 4, 0}, {2, 4, 0}};
        uint32_t opos[3];
        uint32_t ot = fbg_table(g, of, 3, opos);
        fbg_link(g, fbg_slot(ops, (uint32_t)i), ot);
        fbg_link(g, opos[1], fbg_vec_i32(g, (uint32_t)op->input_count, op->inputs));
        fbg_link(g, opos[2], fbg_vec_i32(g, (uint32_t)op->output_count, op->outputs));
    }

    /* Buffers: data 0, offset 1, size 2. External ones are patched once their place
     * after the FlatBuffer is known. */
    uint32_t bufs = fbg_vec(g, 4, (uint32_t)m->buffer_count, NULL);
    fbg_link(g, mpos[4], bufs);
    uint32_t offset_at[16] = {0};
    for (int32_t i = 0; i < m->buffer_count && i < 16; i++) {
        const tiny_buffer *b = &m->buffers[i];
        if (b->external) {
            fbg_field bf[] = {{1, 8, 0}, {2, 8, b->size}};
            uint32_t bpos[2];
            fbg_link(g, fbg_slot(bufs, (uint32_t)i), fbg_table(g, bf, 2, bpos));
            offset_at[i] = bpos[0];
        } else if (b->data) {
            fbg_field bf[] = {{0, 4, 0}};
            uint32_t bpos;
            fbg_link(g, fbg_slot(bufs, (uint32_t)i), fbg_table(g, bf, 1, &bpos));
            fbg_link(g, bpos, fbg_vec_aligned(g, 1, b->size, b->data, 16));
        } else {
            fbg_link(g, fbg_slot(bufs, (uint32_t)i), fbg_table(g, NULL, 0, NULL));
        }
    }
    for (int32_t i = 0; i < m->buffer_count && i < 16; i++) {
        const tiny_buffer *b = &m->buffers[i];
        if (!b->external) continue;
        uint32_t at = fbg_reserve(g, b->size, 16);
        if (b->size) memcpy(g->p + at, b->data, b->size);
        fbg_w64(g, offset_at[i], b->offset_override ? b->offset_override : at);
    }
}

#endif /* MOTE_TEST_TINY_MODEL_H */
