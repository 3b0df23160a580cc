/* test_writer.c — the .tflite writer: models written by mote_writer load back through
 * Mote's own reader with every feature intact, run through the interpreter, and bad
 * arguments are refused with a status and a message. */
#include <stdint.h>

#include "core/model.h"
#include "format/builtin_ops.h"
#include "format/tflite_schema.h"
#include "mote_writer.h"
#include "test.h"

/* Serializes the writer and loads the bytes (which the writer keeps alive). */
static mote_model *load(mote_writer *w) {
    const void *data = NULL;
    size_t size = 0;
    mote_status st = mote_writer_finish(w, &data, &size);
    if (st) fprintf(stderr, "finish: %s\n", mote_writer_error(w));
    CHECK_OK(st);
    CHECK(((uintptr_t)data % 16) == 0);
    mote_model *m = NULL;
    st = mote_model_load_memory(data, size, NULL, &m);
    if (st) fprintf(stderr, "load: %s\n", mote_model_error(m));
    CHECK_OK(st);
    if (st) {
        mote_model_destroy(m);
        return NULL;
    }
    return m;
}

/* Index of the tensor named `name` in subgraph sg, or -1. */
static int32_t find_tensor(const mote_model *m, int32_t sg, const char *name) {
    for (int32_t i = 0; i < m->subgraphs[sg].tensor_count; i++)
        if (strcmp(m->subgraphs[sg].tensors[i].name, name) == 0) return i;
    return -1;
}

static void test_tensors_round_trip(void) {
    mote_writer *w;
    CHECK_OK(mote_writer_create(NULL, &w));
    CHECK_OK(mote_writer_set_description(w, "writer test"));
    int32_t d14[2] = {1, 4}, d32[2] = {3, 2}, d3[1] = {3}, d2[1] = {2};
    float cdata[4] = {1, 2, 3, 4};
    int8_t qdata[6] = {-1, 2, -3, 4, -5, 6};
    uint8_t odd[3] = {7, 8, 9};
    uint8_t int4[2] = {0x21, 0x03};
    int32_t seven = 7;
    const char strbytes[] = "\x01\x00\x00\x00\x0c\x00\x00\x00" "abcd";
    int32_t x, c, q, p, dyn, state, scalar, i4, o, s, empty;
    CHECK_OK(mote_writer_add_tensor(w, "x", MOTE_FLOAT32, 2, d14, NULL, 0, &x));
    CHECK_OK(mote_writer_add_tensor(w, "odd", MOTE_UINT8, 1, d3, odd, sizeof odd, &o));
    CHECK_OK(mote_writer_add_tensor(w, "c", MOTE_FLOAT32, 2, d14, cdata, sizeof cdata, &c));
    CHECK_OK(mote_writer_add_tensor(w, "q", MOTE_INT8, 2, d32, qdata, sizeof qdata, &q));
    CHECK_OK(mote_writer_add_tensor(w, "p", MOTE_INT8, 1, d2, NULL, 0, &p));
    CHECK_OK(mote_writer_add_tensor(w, "dyn", MOTE_FLOAT32, 2, d14, NULL, 0, &dyn));
    CHECK_OK(mote_writer_add_tensor(w, "state", MOTE_FLOAT32, 2, d14, NULL, 0, &state));
    CHECK_OK(mote_writer_add_tensor(w, "scalar", MOTE_INT32, 0, NULL, &seven, sizeof seven, &scalar));
    CHECK_OK(mote_writer_add_tensor(w, "i4", MOTE_INT4, 1, d3, int4, sizeof int4, &i4));
    CHECK_OK(mote_writer_add_tensor(w, "s", MOTE_STRING, 1, (int32_t[]){1}, strbytes,
                                    sizeof strbytes - 1, &s));
    CHECK_OK(mote_writer_add_tensor(w, NULL, MOTE_FLOAT32, 1, (int32_t[]){0}, cdata, 0, &empty));
    CHECK_EQ_INT(x, 0);
    CHECK_EQ_INT(empty, 10);

    float scales[3] = {0.5f, 0.25f, 0.125f};
    int64_t zps[3] = {1, -2, (int64_t)1 << 40};
    CHECK_OK(mote_writer_set_quantization(w, q, 3, scales, zps, 0));
    float one_scale = 0.1f;
    CHECK_OK(mote_writer_set_quantization(w, p, 1, &one_scale, NULL, 0));
    CHECK_OK(mote_writer_set_shape_signature(w, dyn, 2, (int32_t[]){-1, 4}));
    CHECK_OK(mote_writer_set_variable(w, state, 1));
    CHECK_OK(mote_writer_set_inputs(w, 2, (int32_t[]){x, dyn}));
    CHECK_OK(mote_writer_set_outputs(w, 1, (int32_t[]){state}));
    CHECK_OK(mote_writer_add_metadata(w, "min_runtime_version", "1.5.0", 6));
    CHECK_OK(mote_writer_add_metadata(w, "empty", NULL, 0));

    mote_model *m = load(w);
    if (!m) {
        mote_writer_destroy(w);
        return;
    }
    CHECK(memcmp(m->bytes + 4, "TFL3", 4) == 0);
    CHECK_EQ_INT(m->version, 3);
    CHECK(strcmp(m->description, "writer test") == 0);
    CHECK_EQ_INT(m->subgraph_count, 1);
    /* Buffer 0 is empty; one per constant (7) and per metadata entry (2). */
    CHECK_EQ_INT(m->buffer_count, 1 + 7 + 2);
    CHECK(m->buffers[0].data == NULL && m->buffers[0].size == 0);
    const model_subgraph *g = &m->subgraphs[0];
    CHECK_EQ_INT(g->tensor_count, 11);
    CHECK_EQ_INT(g->input_count, 2);
    CHECK_EQ_INT(g->inputs[1], dyn);
    CHECK_EQ_INT(g->output_count, 1);
    CHECK_EQ_INT(g->outputs[0], state);

    /* Every constant has its own non-zero buffer, with its data 16-byte aligned. */
    uint32_t seen[16] = {0};
    for (int32_t i = 0; i < g->tensor_count; i++) {
        const model_tensor *t = &g->tensors[i];
        int constant = i == o || i == c || i == q || i == scalar || i == i4 || i == s || i == empty;
        CHECK_EQ_INT(t->buffer != 0, constant);
        if (!constant) continue;
        CHECK(t->buffer < 16 && !seen[t->buffer]);
        if (t->buffer < 16) seen[t->buffer] = 1;
        const model_buffer *b = &m->buffers[t->buffer];
        if (b->data) CHECK(((size_t)(b->data - m->bytes)) % 16 == 0);
    }
    CHECK(memcmp(g->tensors[c].data, cdata, sizeof cdata) == 0);
    CHECK(memcmp(g->tensors[q].data, qdata, sizeof qdata) == 0);
    CHECK(memcmp(g->tensors[o].data, odd, sizeof odd) == 0);
    CHECK(memcmp(g->tensors[i4].data, int4, sizeof int4) == 0);
    CHECK_EQ_INT(g->tensors[s].data_size, sizeof strbytes - 1);
    CHECK(memcmp(g->tensors[s].data, strbytes, sizeof strbytes - 1) == 0);
    CHECK_EQ_INT(g->tensors[scalar].rank, 0);
    CHECK_EQ_INT(*(const int32_t *)(const void *)g->tensors[scalar].data, 7);
    CHECK_EQ_INT(g->tensors[empty].data_size, 0);
    CHECK(strcmp(g->tensors[empty].name, "") == 0);
    CHECK(strcmp(g->tensors[x].name, "x") == 0);
    CHECK_EQ_INT(g->tensors[q].type, MOTE_INT8);
    CHECK_EQ_INT(g->tensors[i4].type, MOTE_INT4);
    CHECK_EQ_INT(g->tensors[q].rank, 2);
    CHECK_EQ_INT(g->tensors[q].dims[0], 3);
    CHECK_EQ_INT(g->tensors[q].dims[1], 2);

    /* Quantization: per channel with zero points, per tensor without. */
    CHECK_EQ_INT(g->tensors[q].quant_count, 3);
    CHECK_EQ_INT(g->tensors[q].quantized_dimension, 0);
    for (int i = 0; i < 3; i++) {
        CHECK(g->tensors[q].scales[i] == scales[i]);
        CHECK_EQ_INT(g->tensors[q].zero_points[i], zps[i]);
    }
    CHECK_EQ_INT(g->tensors[p].quant_count, 1);
    CHECK(g->tensors[p].scales[0] == one_scale);
    CHECK_EQ_INT(g->tensors[p].zero_points[0], 0);
    CHECK_EQ_INT(g->tensors[x].quant_count, 0);

    CHECK_EQ_INT(g->tensors[dyn].signature_rank, 2);
    CHECK_EQ_INT(g->tensors[dyn].dims_signature[0], -1);
    CHECK_EQ_INT(g->tensors[dyn].dims_signature[1], 4);
    CHECK_EQ_INT(g->tensors[x].signature_rank, -1);
    CHECK_EQ_INT(g->tensors[state].is_variable, 1);
    CHECK_EQ_INT(g->tensors[x].is_variable, 0);

    CHECK_EQ_INT(m->metadata_count, 2);
    CHECK(strcmp(m->metadata[0].name, "min_runtime_version") == 0);
    CHECK_EQ_INT(m->metadata[0].data.size, 6);
    CHECK(m->metadata[0].data.data && strcmp((const char *)m->metadata[0].data.data, "1.5.0") == 0);
    CHECK(strcmp(m->metadata[1].name, "empty") == 0);
    CHECK_EQ_INT(m->metadata[1].data.size, 0);
    mote_model_destroy(m);
    mote_writer_destroy(w);
}

/* The OperatorCode table of operator code i, read raw to see both code fields. */
static fb_table opcode_table(const mote_model *m, uint32_t i) {
    fb_vec v = fb_vec_field(m->fb, fb_root(m->fb), TFL_MODEL_OPERATOR_CODES);
    return fb_vec_table(m->fb, v, i);
}

static void test_operators_round_trip(void) {
    mote_writer *w;
    CHECK_OK(mote_writer_create(NULL, &w));
    int32_t d[1] = {4};
    for (int i = 0; i < 4; i++) CHECK_OK(mote_writer_add_tensor(w, NULL, MOTE_FLOAT32, 1, d, NULL, 0, NULL));
    mote_option_field relu = {0, MOTE_FIELD_INT8, 1, 0, NULL, 0, NULL};
    mote_writer_op add = {MOTE_OP_ADD, NULL, 0, 2, (int32_t[]){0, 1}, 1, (int32_t[]){2}, 0, NULL,
                          TFL_OPTIONS_ADD, 1, &relu, NULL, 0};
    int32_t index = -1;
    CHECK_OK(mote_writer_add_op(w, &add, &index));
    CHECK_EQ_INT(index, 0);
    add.version = 1; /* the same operator code as version 0 */
    CHECK_OK(mote_writer_add_op(w, &add, NULL));
    add.version = 2;
    CHECK_OK(mote_writer_add_op(w, &add, NULL));

    /* Every scalar kind, a vector and a string in one options table: ExpOptions declares no
     * fields, so any layout is the caller's (ids past the schema's are kept for newer
     * schemas). */
    int32_t ints[3] = {5, -6, 7};
    mote_option_field all[] = {
        {0, MOTE_FIELD_BOOL, 1, 0, NULL, 0, NULL},
        {1, MOTE_FIELD_INT8, -3, 0, NULL, 0, NULL},
        {2, MOTE_FIELD_INT16, -300, 0, NULL, 0, NULL},
        {3, MOTE_FIELD_INT32, -70000, 0, NULL, 0, NULL},
        {4, MOTE_FIELD_UINT32, 4000000000, 0, NULL, 0, NULL},
        {5, MOTE_FIELD_INT64, -((int64_t)1 << 50), 0, NULL, 0, NULL},
        {6, MOTE_FIELD_FLOAT32, 0, 2.5f, NULL, 0, NULL},
        {9, MOTE_FIELD_INT32_VECTOR, 0, 0, ints, 3, NULL},
        {8, MOTE_FIELD_STRING, 0, 0, NULL, 0, "hello"},
    };
    mote_writer_op sink = {MOTE_OP_EXP, NULL, 3, 1, (int32_t[]){0}, 1, (int32_t[]){3}, 0, NULL,
                           TFL_OPTIONS_EXP, 9, all, NULL, 0};
    CHECK_OK(mote_writer_add_op(w, &sink, NULL));

    /* A custom operator with custom options and intermediates, an omitted input. */
    uint8_t flex[5] = {1, 2, 3, 4, 5};
    mote_writer_op custom = {MOTE_OP_CUSTOM, "MyCustom", 0, 3, (int32_t[]){0, -1, 1}, 1,
                             (int32_t[]){3}, 2, (int32_t[]){1, 2}, 0, 0, NULL, flex, sizeof flex};
    CHECK_OK(mote_writer_add_op(w, &custom, NULL));
    /* A builtin beyond 127 keeps 127 in the byte-sized field. */
    mote_writer_op gelu = {MOTE_OP_GELU, NULL, 0, 1, (int32_t[]){0}, 1, (int32_t[]){1}, 0, NULL,
                           0, 0, NULL, NULL, 0};
    CHECK_OK(mote_writer_add_op(w, &gelu, NULL));
    /* Reshape's vector and VarHandle's strings, which the reader's verifier checks. */
    mote_option_field shape = {0, MOTE_FIELD_INT32_VECTOR, 0, 0, (int32_t[]){2, 2}, 2, NULL};
    mote_writer_op reshape = {MOTE_OP_RESHAPE, NULL, 0, 1, (int32_t[]){0}, 1, (int32_t[]){1}, 0,
                              NULL, TFL_OPTIONS_RESHAPE, 1, &shape, NULL, 0};
    CHECK_OK(mote_writer_add_op(w, &reshape, NULL));
    mote_option_field names[2] = {{0, MOTE_FIELD_STRING, 0, 0, NULL, 0, "box"},
                                  {1, MOTE_FIELD_STRING, 0, 0, NULL, 0, "shared"}};
    mote_writer_op var = {MOTE_OP_VAR_HANDLE, NULL, 0, 0, NULL, 1, (int32_t[]){3}, 0, NULL,
                          TFL_OPTIONS_VAR_HANDLE, 2, names, NULL, 0};
    CHECK_OK(mote_writer_add_op(w, &var, NULL));
    /* Options present but empty: a table of defaults. */
    mote_writer_op fc = {MOTE_OP_FULLY_CONNECTED, NULL, 0, 2, (int32_t[]){0, 1}, 1, (int32_t[]){2},
                         0, NULL, TFL_OPTIONS_FULLY_CONNECTED, 0, NULL, NULL, 0};
    CHECK_OK(mote_writer_add_op(w, &fc, NULL));

    mote_model *m = load(w);
    if (!m) {
        mote_writer_destroy(w);
        return;
    }
    fb_buf fb = m->fb;
    const model_subgraph *g = &m->subgraphs[0];
    CHECK_EQ_INT(g->op_count, 9);
    /* ADD v1 (twice), ADD v2, EXP v3, MyCustom, GELU, RESHAPE, VAR_HANDLE, FC. */
    CHECK_EQ_INT(m->opcode_count, 8);
    CHECK_EQ_INT(g->ops[0].builtin_code, MOTE_OP_ADD);
    CHECK_EQ_INT(g->ops[0].version, 1);
    CHECK_EQ_INT(g->ops[2].version, 2);
    CHECK_EQ_INT(g->ops[0].options_type, TFL_OPTIONS_ADD);
    CHECK_EQ_INT(fb_i8(fb, g->ops[0].options, 0, 0), 1);
    CHECK_EQ_INT(g->ops[0].input_count, 2);
    CHECK_EQ_INT(g->ops[0].inputs[1], 1);
    CHECK_EQ_INT(g->ops[0].outputs[0], 2);

    const model_op *k = &g->ops[3];
    CHECK_EQ_INT(k->version, 3);
    CHECK_EQ_INT(k->options_type, TFL_OPTIONS_EXP);
    CHECK_EQ_INT(fb_bool(fb, k->options, 0, 0), 1);
    CHECK_EQ_INT(fb_i8(fb, k->options, 1, 0), -3);
    CHECK_EQ_INT(fb_i16(fb, k->options, 2, 0), -300);
    CHECK_EQ_INT(fb_i32(fb, k->options, 3, 0), -70000);
    CHECK_EQ_INT(fb_u32(fb, k->options, 4, 0), 4000000000u);
    CHECK_EQ_INT(fb_i64(fb, k->options, 5, 0), -((int64_t)1 << 50));
    CHECK(fb_f32(fb, k->options, 6, 0) == 2.5f);
    CHECK(!fb_has_field(fb, k->options, 7));
    fb_vec v = fb_vec_field(fb, k->options, 9);
    CHECK_EQ_INT(v.len, 3);
    if (v.len == 3) CHECK_EQ_INT(fb_vec_i32(fb, v, 1), -6);
    const char *str = fb_string_field(fb, k->options, 8, NULL);
    CHECK(str && strcmp(str, "hello") == 0);

    const model_op *u = &g->ops[4];
    CHECK_EQ_INT(u->builtin_code, MOTE_OP_CUSTOM);
    CHECK(u->custom_name && strcmp(u->custom_name, "MyCustom") == 0);
    CHECK_EQ_INT(u->custom_options_size, sizeof flex);
    CHECK(u->custom_options && memcmp(u->custom_options, flex, sizeof flex) == 0);
    CHECK_EQ_INT(u->inputs[1], -1);
    CHECK_EQ_INT(u->intermediate_count, 2);
    CHECK_EQ_INT(u->intermediates[1], 2);
    CHECK_EQ_INT(u->options_type, 0);

    CHECK_EQ_INT(g->ops[5].builtin_code, MOTE_OP_GELU);
    /* Operator codes in order of first use: ADD1, ADD2, EXP, CUSTOM, GELU. */
    CHECK_EQ_INT(fb_i8(fb, opcode_table(m, 4), TFL_OPCODE_DEPRECATED_BUILTIN_CODE, 0), 127);
    CHECK_EQ_INT(fb_i32(fb, opcode_table(m, 4), TFL_OPCODE_BUILTIN_CODE, 0), MOTE_OP_GELU);
    CHECK_EQ_INT(fb_i8(fb, opcode_table(m, 3), TFL_OPCODE_DEPRECATED_BUILTIN_CODE, 0), MOTE_OP_CUSTOM);
    CHECK_EQ_INT(fb_i32(fb, opcode_table(m, 0), TFL_OPCODE_BUILTIN_CODE, -1), MOTE_OP_ADD);

    fb_vec ns = fb_vec_field(fb, g->ops[6].options, 0);
    CHECK_EQ_INT(ns.len, 2);
    const char *box = fb_string_field(fb, g->ops[7].options, 0, NULL);
    const char *shared = fb_string_field(fb, g->ops[7].options, 1, NULL);
    CHECK(box && strcmp(box, "box") == 0);
    CHECK(shared && strcmp(shared, "shared") == 0);
    CHECK_EQ_INT(g->ops[7].input_count, 0);
    CHECK_EQ_INT(g->ops[8].options_type, TFL_OPTIONS_FULLY_CONNECTED);
    CHECK(g->ops[8].options != 0);
    mote_model_destroy(m);
    mote_writer_destroy(w);
}

/* x [1, 4] -> FULLY_CONNECTED(w [3, 4], b [3]) -> ADD(k [3], RELU) -> y [1, 3] */
static void build_fc_add(mote_writer *w) {
    static const float weights[12] = {1, 0, 0, 0, 0, 1, 1, 0, -1, -1, -1, -1};
    static const float bias[3] = {0.5f, -0.5f, 0};
    static const float k[3] = {1, 2, -100};
    int32_t d14[2] = {1, 4}, d34[2] = {3, 4}, d13[2] = {1, 3}, d3[1] = {3};
    int32_t x, wt, b, h, kt, y;
    CHECK_OK(mote_writer_add_tensor(w, "x", MOTE_FLOAT32, 2, d14, NULL, 0, &x));
    CHECK_OK(mote_writer_add_tensor(w, "w", MOTE_FLOAT32, 2, d34, weights, sizeof weights, &wt));
    CHECK_OK(mote_writer_add_tensor(w, "b", MOTE_FLOAT32, 1, d3, bias, sizeof bias, &b));
    CHECK_OK(mote_writer_add_tensor(w, "h", MOTE_FLOAT32, 2, d13, NULL, 0, &h));
    CHECK_OK(mote_writer_add_tensor(w, "k", MOTE_FLOAT32, 1, d3, k, sizeof k, &kt));
    CHECK_OK(mote_writer_add_tensor(w, "y", MOTE_FLOAT32, 2, d13, NULL, 0, &y));
    mote_writer_op fc = {MOTE_OP_FULLY_CONNECTED, NULL, 0, 3, (int32_t[]){x, wt, b}, 1,
                         (int32_t[]){h}, 0, NULL, TFL_OPTIONS_FULLY_CONNECTED, 0, NULL, NULL, 0};
    mote_option_field relu = {0, MOTE_FIELD_INT8, 1, 0, NULL, 0, NULL};
    mote_writer_op add = {MOTE_OP_ADD, NULL, 0, 2, (int32_t[]){h, kt}, 1, (int32_t[]){y}, 0, NULL,
                          TFL_OPTIONS_ADD, 1, &relu, NULL, 0};
    CHECK_OK(mote_writer_add_op(w, &fc, NULL));
    CHECK_OK(mote_writer_add_op(w, &add, NULL));
    CHECK_OK(mote_writer_set_inputs(w, 1, &x));
    CHECK_OK(mote_writer_set_outputs(w, 1, &y));
}

static void test_fc_add_runs(void) {
    mote_writer *w;
    CHECK_OK(mote_writer_create(NULL, &w));
    build_fc_add(w);
    mote_model *m = load(w);
    mote_interpreter *it = NULL;
    if (m) {
        mote_status st = mote_interpreter_create(m, NULL, &it);
        if (st) fprintf(stderr, "create: %s\n", mote_interpreter_error(it));
        CHECK_OK(st);
        st = st ? st : mote_interpreter_allocate_tensors(it);
        if (st) fprintf(stderr, "allocate: %s\n", mote_interpreter_error(it));
        CHECK_OK(st);
        mote_tensor *in = NULL, *out = NULL;
        float x[4] = {2, 3, 4, 5}, y[3] = {0};
        if (!st) {
            CHECK_OK(mote_interpreter_input(it, 0, &in));
            CHECK_OK(mote_tensor_copy_from(in, x, sizeof x));
            CHECK_OK(mote_interpreter_invoke(it));
            CHECK_OK(mote_interpreter_output(it, 0, &out));
            CHECK_OK(mote_tensor_copy_to(out, y, sizeof y));
        }
        /* h = [2 + 0.5, 3 + 4 - 0.5, -14]; y = relu(h + [1, 2, -100]) */
        CHECK_NEAR(y[0], 3.5, 1e-6);
        CHECK_NEAR(y[1], 8.5, 1e-6);
        CHECK_NEAR(y[2], 0.0, 1e-6);
    }
    mote_interpreter_destroy(it);
    mote_model_destroy(m);
    mote_writer_destroy(w);
}

static void test_subgraphs_and_signatures(void) {
    mote_writer *w;
    CHECK_OK(mote_writer_create(NULL, &w));
    build_fc_add(w);
    int32_t sg = -1, d[1] = {2}, a, b, c;
    CHECK_OK(mote_writer_add_subgraph(w, "double", &sg));
    CHECK_EQ_INT(sg, 1);
    CHECK_OK(mote_writer_add_tensor(w, "a", MOTE_FLOAT32, 1, d, NULL, 0, &a));
    CHECK_OK(mote_writer_add_tensor(w, "b", MOTE_FLOAT32, 1, d, NULL, 0, &b));
    CHECK_EQ_INT(a, 0); /* indices count per subgraph */
    /* Back to subgraph 0 and forth: tensors go to the selected one. */
    CHECK_OK(mote_writer_select_subgraph(w, 0));
    CHECK_OK(mote_writer_add_tensor(w, "unused", MOTE_FLOAT32, 1, d, NULL, 0, NULL));
    CHECK_OK(mote_writer_select_subgraph(w, 1));
    CHECK_OK(mote_writer_add_tensor(w, "c", MOTE_FLOAT32, 1, d, NULL, 0, &c));
    mote_writer_op add = {MOTE_OP_ADD, NULL, 0, 2, (int32_t[]){a, a}, 1, (int32_t[]){b}, 0, NULL,
                          0, 0, NULL, NULL, 0};
    CHECK_OK(mote_writer_add_op(w, &add, NULL));
    add.inputs = (int32_t[]){b, b};
    add.outputs = (int32_t[]){c};
    CHECK_OK(mote_writer_add_op(w, &add, NULL));
    CHECK_OK(mote_writer_set_inputs(w, 1, &a));
    CHECK_OK(mote_writer_set_outputs(w, 1, &c));
    const char *in0[] = {"x"}, *out0[] = {"y"}, *in1[] = {"value"}, *out1[] = {"quadrupled"};
    CHECK_OK(mote_writer_add_signature(w, "serving_default", 0, 1, in0, (int32_t[]){0}, 1, out0,
                                       (int32_t[]){5}));
    CHECK_OK(mote_writer_add_signature(w, "quadruple", 1, 1, in1, &a, 1, out1, &c));

    mote_model *m = load(w);
    mote_interpreter *it = NULL;
    if (m) {
        CHECK_EQ_INT(m->subgraph_count, 2);
        CHECK(strcmp(m->subgraphs[0].name, "") == 0);
        CHECK(strcmp(m->subgraphs[1].name, "double") == 0);
        CHECK_EQ_INT(m->subgraphs[0].tensor_count, 7);
        CHECK_EQ_INT(find_tensor(m, 0, "unused"), 6);
        CHECK_EQ_INT(m->subgraphs[1].tensor_count, 3);
        CHECK_EQ_INT(m->subgraphs[1].op_count, 2);
        CHECK_EQ_INT(m->signature_count, 2);
        const model_signature *s = &m->signatures[1];
        CHECK(strcmp(s->key, "quadruple") == 0);
        CHECK_EQ_INT(s->subgraph, 1);
        CHECK(s->input_count == 1 && strcmp(s->inputs[0].name, "value") == 0);
        CHECK_EQ_INT(s->outputs[0].tensor, c);
        CHECK(strcmp(m->signatures[0].outputs[0].name, "y") == 0);

        mote_status st = mote_interpreter_create(m, NULL, &it);
        if (!st) st = mote_interpreter_allocate_tensors(it);
        if (st) fprintf(stderr, "interpreter: %s\n", mote_interpreter_error(it));
        CHECK_OK(st);
        mote_tensor *in = NULL, *out = NULL;
        float v[2] = {1.5f, -2}, r[2] = {0};
        if (!st) {
            CHECK_OK(mote_interpreter_signature_tensor(it, "quadruple", 0, "value", &in));
            CHECK_OK(mote_interpreter_signature_tensor(it, "quadruple", 1, "quadrupled", &out));
            if (in && out) {
                CHECK_OK(mote_tensor_copy_from(in, v, sizeof v));
                CHECK_OK(mote_interpreter_signature_invoke(it, "quadruple"));
                CHECK_OK(mote_tensor_copy_to(out, r, sizeof r));
            }
        }
        CHECK_NEAR(r[0], 6.0, 1e-6);
        CHECK_NEAR(r[1], -8.0, 1e-6);
    }
    mote_interpreter_destroy(it);
    mote_model_destroy(m);
    mote_writer_destroy(w);
}

/* A failed call returns status, leaves a message containing `words`, and changes nothing. */
#define CHECK_FAILS(w, call, status, words)                                              \
    do {                                                                                 \
        CHECK_EQ_INT((call), (status));                                                  \
        const char *msg_ = mote_writer_error(w);                                         \
        if (!strstr(msg_, (words))) {                                                    \
            fprintf(stderr, "%s:%d: message '%s' lacks '%s'\n", __FILE__, __LINE__, msg_, \
                    (words));                                                            \
            test_failures++;                                                             \
        }                                                                                \
    } while (0)

static void test_errors(void) {
    mote_writer *w = NULL;
    CHECK_EQ_INT(mote_writer_create(NULL, NULL), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_writer_add_tensor(NULL, "x", MOTE_FLOAT32, 0, NULL, NULL, 0, NULL),
                 MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_writer_finish(NULL, NULL, NULL), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK(strlen(mote_writer_error(NULL)) > 0);
    mote_writer_destroy(NULL);

    CHECK_OK(mote_writer_create(NULL, &w));
    build_fc_add(w);
    const mote_status BAD = MOTE_ERROR_INVALID_ARGUMENT;
    int32_t d2[2] = {2, 3}, neg[2] = {2, -1}, idx = 99;
    float f6[6] = {0};
    CHECK_FAILS(w, mote_writer_add_tensor(w, "t", (mote_type)99, 0, NULL, NULL, 0, NULL), BAD, "TensorType");
    CHECK_FAILS(w, mote_writer_add_tensor(w, "t", MOTE_FLOAT32, -1, NULL, NULL, 0, NULL), BAD, "rank -1");
    CHECK_FAILS(w, mote_writer_add_tensor(w, "t", MOTE_FLOAT32, 2, NULL, NULL, 0, NULL), BAD, "needs dims");
    CHECK_FAILS(w, mote_writer_add_tensor(w, "t", MOTE_FLOAT32, 2, neg, NULL, 0, NULL), BAD, "dimension 1 is -1");
    CHECK_FAILS(w, mote_writer_add_tensor(w, "t", MOTE_FLOAT32, 2, d2, f6, 20, &idx), BAD, "takes 24");
    CHECK_FAILS(w, mote_writer_add_tensor(w, "t", MOTE_FLOAT32, 2, d2, NULL, 24, NULL), BAD, "NULL");
    CHECK_EQ_INT(idx, 99); /* untouched on failure */
    CHECK_FAILS(w, mote_writer_set_quantization(w, 42, 1, f6, NULL, 0), BAD, "tensor 42 is out of range");
    CHECK_FAILS(w, mote_writer_set_quantization(w, 1, 2, f6, NULL, 0), BAD, "3 channels");
    CHECK_FAILS(w, mote_writer_set_quantization(w, 1, 4, f6, NULL, 2), BAD, "quantized_dimension 2");
    CHECK_FAILS(w, mote_writer_set_quantization(w, 1, 1, NULL, NULL, 0), BAD, "scales is NULL");
    CHECK_FAILS(w, mote_writer_set_shape_signature(w, 0, 1, (int32_t[]){-1}), BAD, "rank");
    CHECK_FAILS(w, mote_writer_set_shape_signature(w, 0, 2, (int32_t[]){-2, 4}), BAD, "dimension 0 is -2");
    CHECK_FAILS(w, mote_writer_set_shape_signature(w, 0, 2, (int32_t[]){1, 5}), BAD, "shape's 4");
    CHECK_FAILS(w, mote_writer_set_variable(w, -1, 1), BAD, "tensor -1");
    CHECK_FAILS(w, mote_writer_set_inputs(w, 1, (int32_t[]){6}), BAD, "input 0 is tensor 6");
    CHECK_FAILS(w, mote_writer_set_outputs(w, 1, (int32_t[]){-1}), BAD, "out of range");
    CHECK_FAILS(w, mote_writer_set_outputs(w, 2, NULL), BAD, "NULL");
    CHECK_FAILS(w, mote_writer_select_subgraph(w, 1), BAD, "subgraph 1");

    /* Operators. */
    CHECK_FAILS(w, mote_writer_add_op(w, NULL, NULL), BAD, "op is NULL");
    mote_writer_op op = {MOTE_OP_ADD, NULL, 0, 2, (int32_t[]){0, 17}, 1, (int32_t[]){5}, 0, NULL,
                         0, 0, NULL, NULL, 0};
    CHECK_FAILS(w, mote_writer_add_op(w, &op, NULL), BAD, "operator 2 ADD): input 1 is tensor 17");
    op.inputs = (int32_t[]){0, 3};
    op.outputs = (int32_t[]){-1};
    CHECK_FAILS(w, mote_writer_add_op(w, &op, NULL), BAD, "output 0 is tensor -1");
    op.outputs = (int32_t[]){5};
    op.intermediate_count = 1;
    op.intermediates = (int32_t[]){6};
    CHECK_FAILS(w, mote_writer_add_op(w, &op, NULL), BAD, "intermediate 0");
    op.intermediate_count = 0;
    op.builtin_code = MOTE_OP_CUSTOM;
    CHECK_FAILS(w, mote_writer_add_op(w, &op, NULL), BAD, "needs a custom_name");
    op.custom_name = "";
    CHECK_FAILS(w, mote_writer_add_op(w, &op, NULL), BAD, "needs a custom_name");
    op.builtin_code = MOTE_OP_ADD;
    op.custom_name = "Named";
    CHECK_FAILS(w, mote_writer_add_op(w, &op, NULL), BAD, "only for builtin_code 32");
    op.custom_name = NULL;
    op.builtin_code = -4;
    CHECK_FAILS(w, mote_writer_add_op(w, &op, NULL), BAD, "negative");
    op.builtin_code = MOTE_OP_ADD;
    op.version = -1;
    CHECK_FAILS(w, mote_writer_add_op(w, &op, NULL), BAD, "version -1");
    op.version = 0;
    op.options_type = 200;
    CHECK_FAILS(w, mote_writer_add_op(w, &op, NULL), BAD, "options_type 200");
    mote_option_field f[2] = {{0, MOTE_FIELD_INT8, 1, 0, NULL, 0, NULL},
                              {0, MOTE_FIELD_INT32, 1, 0, NULL, 0, NULL}};
    op.options_type = 0;
    op.field_count = 1;
    op.fields = f;
    CHECK_FAILS(w, mote_writer_add_op(w, &op, NULL), BAD, "options_type is 0");
    op.options_type = TFL_OPTIONS_ADD;
    op.field_count = 2;
    CHECK_FAILS(w, mote_writer_add_op(w, &op, NULL), BAD, "id 0 given twice");
    f[1].id = 1;
    f[1].kind = 42;
    CHECK_FAILS(w, mote_writer_add_op(w, &op, NULL), BAD, "kind 42");
    f[1].kind = MOTE_FIELD_INT8;
    f[1].i = 300;
    CHECK_FAILS(w, mote_writer_add_op(w, &op, NULL), BAD, "value 300");
    f[1].kind = MOTE_FIELD_STRING;
    CHECK_FAILS(w, mote_writer_add_op(w, &op, NULL), BAD, "str is NULL");
    f[1].kind = MOTE_FIELD_INT32_VECTOR;
    f[1].count = 2;
    CHECK_FAILS(w, mote_writer_add_op(w, &op, NULL), BAD, "ints is NULL");
    f[1].id = 1000;
    CHECK_FAILS(w, mote_writer_add_op(w, &op, NULL), BAD, "id 1000");
    /* Kinds must match the schema's declared fields. */
    f[1].id = 1;
    f[1].kind = MOTE_FIELD_INT32;
    CHECK_FAILS(w, mote_writer_add_op(w, &op, NULL), BAD, "AddOptions has a 1-byte scalar");
    op.options_type = TFL_OPTIONS_RESHAPE;
    op.field_count = 1;
    CHECK_FAILS(w, mote_writer_add_op(w, &op, NULL), BAD, "ReshapeOptions has a vector");
    op.options_type = TFL_OPTIONS_ADD;
    op.field_count = 0;
    op.custom_options_size = 3;
    CHECK_FAILS(w, mote_writer_add_op(w, &op, NULL), BAD, "custom_options is NULL");

    /* Signatures and metadata. */
    const char *names[2] = {"p", "p"};
    CHECK_FAILS(w, mote_writer_add_signature(w, NULL, 0, 0, NULL, NULL, 0, NULL, NULL), BAD, "key is NULL");
    CHECK_FAILS(w, mote_writer_add_signature(w, "k", 3, 0, NULL, NULL, 0, NULL, NULL), BAD, "subgraph 3");
    CHECK_FAILS(w, mote_writer_add_signature(w, "k", 0, 2, names, (int32_t[]){0, 1}, 0, NULL, NULL),
                BAD, "'p' appears twice");
    CHECK_FAILS(w, mote_writer_add_signature(w, "k", 0, 1, names, (int32_t[]){9}, 0, NULL, NULL), BAD,
                "tensor 9");
    CHECK_FAILS(w, mote_writer_add_signature(w, "k", 0, 1, NULL, (int32_t[]){0}, 0, NULL, NULL), BAD,
                "names are NULL");
    CHECK_OK(mote_writer_add_signature(w, "k", 0, 1, names, (int32_t[]){0}, 0, NULL, NULL));
    CHECK_FAILS(w, mote_writer_add_signature(w, "k", 0, 0, NULL, NULL, 0, NULL, NULL), BAD, "already used");
    CHECK_FAILS(w, mote_writer_add_metadata(w, NULL, "x", 1), BAD, "name is NULL");
    CHECK_FAILS(w, mote_writer_add_metadata(w, "m", NULL, 1), BAD, "data is NULL");
    CHECK_FAILS(w, mote_writer_finish(w, NULL, NULL), BAD, "must not be NULL");
    CHECK_FAILS(w, mote_writer_save(w, NULL), BAD, "path is NULL");
    CHECK_FAILS(w, mote_writer_save(w, "no-such-directory/x.tflite"), MOTE_ERROR_IO, "no-such-directory");

    /* None of the failures changed the model: it still loads with 2 operators. */
    CHECK_OK(mote_writer_add_tensor(w, "ok", MOTE_FLOAT32, 0, NULL, NULL, 0, NULL));
    CHECK(strcmp(mote_writer_error(w), "") == 0);
    mote_model *m = load(w);
    if (m) {
        CHECK_EQ_INT(m->subgraphs[0].op_count, 2);
        CHECK_EQ_INT(m->subgraphs[0].tensor_count, 7);
        CHECK_EQ_INT(m->signature_count, 1);
        CHECK_EQ_INT(m->metadata_count, 0);
    }
    mote_model_destroy(m);
    mote_writer_destroy(w);
}

static void test_finish_and_save(void) {
    mote_writer *w;
    CHECK_OK(mote_writer_create(NULL, &w));
    build_fc_add(w);
    const void *a, *b;
    size_t na, nb;
    CHECK_OK(mote_writer_finish(w, &a, &na));
    CHECK_OK(mote_writer_finish(w, &b, &nb));
    CHECK(a == b && na == nb); /* unchanged: the same bytes */
    CHECK_EQ_INT(na % 16, 0);
    /* Serializing is deterministic. */
    uint8_t *copy = malloc(na);
    if (copy) memcpy(copy, a, na);
    CHECK_OK(mote_writer_set_description(w, "changed"));
    CHECK_OK(mote_writer_set_description(w, NULL));
    CHECK_OK(mote_writer_finish(w, &b, &nb));
    CHECK(copy && nb == na && memcmp(copy, b, nb) == 0);
    free(copy);

    const char *path = "test_writer_out.tflite";
    CHECK_OK(mote_writer_save(w, path));
    mote_model *m = NULL;
    mote_status st = mote_model_load_file(path, NULL, &m);
    if (st) fprintf(stderr, "load_file: %s\n", mote_model_error(m));
    CHECK_OK(st);
    if (!st) CHECK_EQ_INT(m->subgraphs[0].op_count, 2);
    mote_model_destroy(m);
    remove(path);
    mote_writer_destroy(w);
}

/* ---- out of memory: every allocation may fail, and failing never leaks or crashes ---- */

typedef struct failing {
    long countdown; /* allocations left before one fails; < 0: never */
    long allocations;
} failing;

static void *failing_alloc(void *ud, void *ptr, size_t old_size, size_t new_size) {
    failing *f = ud;
    if (new_size == 0) {
        free(ptr);
        return NULL;
    }
    if (f->countdown == 0) return NULL;
    if (f->countdown > 0) f->countdown--;
    f->allocations++;
    void *p = aligned_alloc(64, (new_size + 63) & ~(size_t)63);
    if (p && ptr) {
        memcpy(p, ptr, old_size < new_size ? old_size : new_size);
        free(ptr);
    }
    return p;
}

/* Builds a model exercising every kind of copy; returns the first failure. */
static mote_status build_all(mote_writer *w) {
    static const float weights[4] = {1, 2, 3, 4};
    int32_t d[2] = {2, 2}, t;
    mote_status st;
    float scales[2] = {1, 2};
    mote_option_field fields[2] = {{0, MOTE_FIELD_INT32_VECTOR, 0, 0, (int32_t[]){1}, 1, NULL},
                                   {1, MOTE_FIELD_STRING, 0, 0, NULL, 0, "s"}};
    mote_writer_op op = {MOTE_OP_CUSTOM, "C", 0, 1, (int32_t[]){0}, 1, (int32_t[]){1}, 1,
                         (int32_t[]){0}, TFL_OPTIONS_RESHAPE, 2, fields, "opts", 4};
    const char *names[1] = {"in"};
    for (int i = 0; i < 12; i++) /* enough to grow the lists */
        if ((st = mote_writer_add_tensor(w, "w", MOTE_FLOAT32, 2, d, weights, sizeof weights, &t)))
            return st;
    if ((st = mote_writer_set_description(w, "d")) ||
        (st = mote_writer_set_quantization(w, 0, 2, scales, NULL, 0)) ||
        (st = mote_writer_set_shape_signature(w, 1, 2, (int32_t[]){-1, 2})) ||
        (st = mote_writer_set_inputs(w, 1, (int32_t[]){0})) ||
        (st = mote_writer_set_outputs(w, 1, (int32_t[]){1})) ||
        (st = mote_writer_add_op(w, &op, NULL)) || (st = mote_writer_add_subgraph(w, "two", NULL)) ||
        (st = mote_writer_add_tensor(w, "x", MOTE_FLOAT32, 2, d, NULL, 0, NULL)) ||
        (st = mote_writer_add_signature(w, "sig", 0, 1, names, (int32_t[]){0}, 1, names, (int32_t[]){1})) ||
        (st = mote_writer_add_metadata(w, "meta", "abc", 3)))
        return st;
    const void *data;
    size_t size;
    return mote_writer_finish(w, &data, &size);
}

static void test_out_of_memory(void) {
    failing f = {-1, 0};
    mote_allocator a = {failing_alloc, &f};
    mote_writer *w = NULL;
    CHECK_OK(mote_writer_create(&a, &w));
    CHECK_OK(build_all(w));
    mote_writer_destroy(w);
    long total = f.allocations;
    CHECK(total > 10);
    for (long n = 0; n < total; n++) {
        f.countdown = n;
        f.allocations = 0;
        w = NULL;
        mote_status st = mote_writer_create(&a, &w);
        if (st == MOTE_OK) {
            st = build_all(w);
            if (st != MOTE_OK && st != MOTE_ERROR_OUT_OF_MEMORY)
                fprintf(stderr, "allocation %ld: %s\n", n, mote_writer_error(w));
            if (st) CHECK(strlen(mote_writer_error(w)) > 0);
        } else {
            CHECK(w == NULL);
        }
        /* Losing vtable sharing is not a failure; anything else is out of memory. */
        CHECK(st == MOTE_ERROR_OUT_OF_MEMORY || st == MOTE_OK);
        mote_writer_destroy(w);
    }
}

TEST_MAIN(test_tensors_round_trip, test_operators_round_trip, test_fc_add_runs,
          test_subgraphs_and_signatures, test_errors, test_finish_and_save, test_out_of_memory)
