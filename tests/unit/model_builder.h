/* model_builder.h — small models for the interpreter's tests, written with mote_writer:
 * tensors, operators with option fields, several subgraphs, then loaded with Mote.
 *
 *   mb b; mb_begin(&b);
 *   int32_t x = mb_tensor(&b, "x", MOTE_FLOAT32, 1, (int32_t[]){4});
 *   mb_op(&b, MOTE_OP_ADD, 2, (int32_t[]){x, x}, 1, &y, 0, 0, NULL);
 *   mb_io(&b, 1, &x, 1, &y);
 *   mote_model *m = mb_finish(&b);   ...   mb_free(&b);
 */
#ifndef MOTE_TESTS_MODEL_BUILDER_H
#define MOTE_TESTS_MODEL_BUILDER_H

#include "mote_writer.h"
#include "test.h"

typedef struct mb {
    mote_writer *w;
    mote_model *m;
} mb;

/* One int32 option field. */
#define MB_INT(field_id, value) {(uint16_t)(field_id), MOTE_FIELD_INT32, (value), 0.0f, NULL, 0, NULL}
#define MB_STR(field_id, text) {(uint16_t)(field_id), MOTE_FIELD_STRING, 0, 0.0f, NULL, 0, (text)}

static inline void mb_begin(mb *b) {
    b->m = NULL;
    CHECK_OK(mote_writer_create(NULL, &b->w));
}

static inline void mb_check(mb *b, mote_status st) {
    if (st) fprintf(stderr, "writer: %s\n", mote_writer_error(b->w));
    CHECK_OK(st);
}

/* An activation tensor of the current subgraph. */
static inline int32_t mb_tensor(mb *b, const char *name, mote_type type, int32_t rank, const int32_t *dims) {
    int32_t i = -1;
    mb_check(b, mote_writer_add_tensor(b->w, name, type, rank, dims, NULL, 0, &i));
    return i;
}

/* A constant tensor holding size bytes of data. */
static inline int32_t mb_const(mb *b, const char *name, mote_type type, int32_t rank, const int32_t *dims,
                               const void *data, size_t size) {
    int32_t i = -1;
    mb_check(b, mote_writer_add_tensor(b->w, name, type, rank, dims, data, size, &i));
    return i;
}

static inline void mb_op(mb *b, int32_t code, int32_t n_in, const int32_t *in, int32_t n_out, const int32_t *out,
                  int32_t options_type, int32_t field_count, const mote_option_field *fields) {
    mote_writer_op op = {code, NULL, 0, n_in, in, n_out, out, 0, NULL, options_type, field_count, fields, NULL, 0};
    mb_check(b, mote_writer_add_op(b->w, &op, NULL));
}

/* Adds a subgraph and makes it current. */
static inline int32_t mb_subgraph(mb *b, const char *name) {
    int32_t i = -1;
    mb_check(b, mote_writer_add_subgraph(b->w, name, &i));
    return i;
}

static inline void mb_select(mb *b, int32_t subgraph) { mb_check(b, mote_writer_select_subgraph(b->w, subgraph)); }

static inline void mb_io(mb *b, int32_t n_in, const int32_t *in, int32_t n_out, const int32_t *out) {
    mb_check(b, mote_writer_set_inputs(b->w, n_in, in));
    mb_check(b, mote_writer_set_outputs(b->w, n_out, out));
}

static inline mote_model *mb_finish(mb *b) {
    const void *data = NULL;
    size_t size = 0;
    mb_check(b, mote_writer_finish(b->w, &data, &size));
    mote_status st = mote_model_load_memory(data, size, NULL, &b->m);
    if (st) fprintf(stderr, "load: %s\n", mote_model_error(b->m));
    CHECK_OK(st);
    return b->m;
}

static inline void mb_free(mb *b) {
    mote_model_destroy(b->m);
    mote_writer_destroy(b->w);
    b->m = NULL;
    b->w = NULL;
}

/* An interpreter on the model, allocated (options may be NULL). */
static inline mote_interpreter *mb_interpreter(const mote_model *m, const mote_options *o) {
    mote_interpreter *it = NULL;
    mote_status st = mote_interpreter_create(m, o, &it);
    if (st) fprintf(stderr, "create: %s\n", mote_interpreter_error(it));
    CHECK_OK(st);
    if (st == MOTE_OK && (st = mote_interpreter_allocate_tensors(it)))
        fprintf(stderr, "allocate: %s\n", mote_interpreter_error(it));
    CHECK_OK(st);
    return it;
}

/* A message check that says what it missed. */
static inline int mb_contains(const char *text, const char *part) {
    if (text && strstr(text, part)) return 1;
    fprintf(stderr, "message '%s' lacks '%s'\n", text ? text : "(null)", part);
    return 0;
}

#endif /* MOTE_TESTS_MODEL_BUILDER_H */
