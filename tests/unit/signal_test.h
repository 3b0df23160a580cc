/* signal_test.h — for the signal operator tests: a small FlexBuffer map builder (integer
 * values) and a one-operator model built with mote_writer, run with the signal operators
 * registered.
 *
 *   sig_spec s = {"SignalWindow", 1, {{"shift", 12}}, 2, {in, weights}, 1, {out}};
 *   sig_run r;
 *   if (sig_open(&r, &s)) { sig_set_input(&r, 0, x, sizeof x); sig_invoke(&r);
 *                           const int16_t *y = sig_output(&r, 0); ... }
 *   sig_close(&r);
 */
#ifndef MOTE_TEST_SIGNAL_TEST_H
#define MOTE_TEST_SIGNAL_TEST_H

#include <stdint.h>
#include <string.h>

#include "mote.h"
#include "mote_signal.h"
#include "mote_writer.h"
#include "test.h"

/* ---- FlexBuffer map of integers, every slot 8 bytes wide ---- */

typedef struct sig_option {
    const char *key;
    int64_t value;
} sig_option;

#define SIG_FLEX_MAX 1024

static inline void sig_put64(uint8_t *p, uint64_t v) {
    for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}

/* Writes the map into buf (SIG_FLEX_MAX bytes) and returns its size. Keys must come sorted,
 * as FlexBuffers require. */
static inline size_t sig_flex_map(const sig_option *options, int count, uint8_t *buf) {
    size_t pos = 0, key_pos[16];
    for (int i = 0; i < count; i++) {
        size_t n = strlen(options[i].key) + 1;
        key_pos[i] = pos;
        memcpy(buf + pos, options[i].key, n);
        pos += n;
    }
    pos = (pos + 7) & ~(size_t)7;
    sig_put64(buf + pos, (uint64_t)count); /* keys vector: count, then offsets */
    pos += 8;
    const size_t keys = pos;
    for (int i = 0; i < count; i++, pos += 8) sig_put64(buf + pos, pos - key_pos[i]);
    sig_put64(buf + pos, pos - keys); /* map: keys offset, keys width, count */
    sig_put64(buf + pos + 8, 8);
    sig_put64(buf + pos + 16, (uint64_t)count);
    pos += 24;
    const size_t map = pos;
    for (int i = 0; i < count; i++, pos += 8) sig_put64(buf + pos, (uint64_t)options[i].value);
    for (int i = 0; i < count; i++) buf[pos++] = (1 << 2) | 3; /* INT, 8 bytes */
    sig_put64(buf + pos, pos - map); /* root: offset, packed type MAP/8 bytes, width 8 */
    pos += 8;
    buf[pos++] = (9 << 2) | 3;
    buf[pos++] = 8;
    return pos;
}

/* ---- one-operator models ---- */

typedef struct sig_tensor {
    mote_type type;
    int32_t rank;
    int32_t dims[4];
    const void *constant; /* constant data (its dense size); NULL: a model input or output */
} sig_tensor;

typedef struct sig_spec {
    const char *op;
    int option_count;
    sig_option options[12];
    int input_count;
    sig_tensor inputs[6];
    int output_count;
    sig_tensor outputs[2];
} sig_spec;

typedef struct sig_run {
    mote_writer *writer;
    mote_model *model;
    mote_interpreter *it;
    int32_t model_inputs;
} sig_run;

static inline size_t sig_bytes(const sig_tensor *t) {
    size_t n = 1, size = 0;
    for (int32_t i = 0; i < t->rank; i++) n *= (size_t)t->dims[i];
    mote_type_size(t->type, &size);
    return n * size;
}

/* Builds the model and an allocated interpreter. Returns 1, or 0 after printing why (the
 * interpreter's message is also left in *status_out when it is not NULL). */
static inline int sig_open_status(sig_run *r, const sig_spec *s, mote_status *status_out) {
    memset(r, 0, sizeof *r);
    mote_status st = mote_writer_create(NULL, &r->writer);
    int32_t in[6], out[2], model_inputs[6];
    for (int i = 0; st == MOTE_OK && i < s->input_count; i++) {
        const sig_tensor *t = &s->inputs[i];
        char name[16];
        snprintf(name, sizeof name, "in%d", i);
        st = mote_writer_add_tensor(r->writer, name, t->type, t->rank, t->dims, t->constant,
                                    t->constant ? sig_bytes(t) : 0, &in[i]);
        if (!t->constant) model_inputs[r->model_inputs++] = in[i];
    }
    for (int i = 0; st == MOTE_OK && i < s->output_count; i++) {
        const sig_tensor *t = &s->outputs[i];
        char name[16];
        snprintf(name, sizeof name, "out%d", i);
        st = mote_writer_add_tensor(r->writer, name, t->type, t->rank, t->dims, NULL, 0, &out[i]);
    }
    uint8_t flex[SIG_FLEX_MAX];
    mote_writer_op op;
    memset(&op, 0, sizeof op);
    op.builtin_code = 32;
    op.custom_name = s->op;
    op.input_count = s->input_count;
    op.inputs = in;
    op.output_count = s->output_count;
    op.outputs = out;
    op.custom_options = flex;
    op.custom_options_size = sig_flex_map(s->options, s->option_count, flex);
    const void *bytes = NULL;
    size_t size = 0;
    if (st == MOTE_OK) st = mote_writer_add_op(r->writer, &op, NULL);
    if (st == MOTE_OK) st = mote_writer_set_inputs(r->writer, r->model_inputs, model_inputs);
    if (st == MOTE_OK) st = mote_writer_set_outputs(r->writer, s->output_count, out);
    if (st == MOTE_OK) st = mote_writer_finish(r->writer, &bytes, &size);
    if (st) {
        fprintf(stderr, "writer: %s\n", r->writer ? mote_writer_error(r->writer) : "out of memory");
        if (status_out) *status_out = st;
        return 0;
    }
    mote_options *options = NULL;
    if ((st = mote_model_load_memory(bytes, size, NULL, &r->model)) == MOTE_OK &&
        (st = mote_options_create(NULL, &options)) == MOTE_OK && (st = mote_signal_register(options)) == MOTE_OK)
        st = mote_interpreter_create(r->model, options, &r->it);
    mote_options_destroy(options);
    if (st == MOTE_OK) st = mote_interpreter_allocate_tensors(r->it);
    if (status_out) *status_out = st;
    return st == MOTE_OK;
}

static inline int sig_open(sig_run *r, const sig_spec *s) {
    mote_status st;
    if (sig_open_status(r, s, &st)) return 1;
    fprintf(stderr, "%s: status %d: %s\n", s->op, (int)st,
            r->it ? mote_interpreter_error(r->it) : r->model ? mote_model_error(r->model) : "");
    test_failures++;
    return 0;
}

/* The interpreter's message after a failed sig_open_status or invoke. */
static inline const char *sig_error(const sig_run *r) { return r->it ? mote_interpreter_error(r->it) : ""; }

/* Copies data into the i-th model input (the i-th input without constant data). */
static inline void sig_set_input(sig_run *r, int32_t i, const void *data, size_t size) {
    mote_tensor *t;
    CHECK_OK(mote_interpreter_input(r->it, i, &t));
    CHECK_OK(mote_tensor_copy_from(t, data, size));
}

static inline mote_status sig_invoke(sig_run *r) { return mote_interpreter_invoke(r->it); }

/* The i-th output's data (valid until sig_close); its element count in *count if not NULL. */
static inline const void *sig_output(sig_run *r, int32_t i, size_t *count) {
    mote_tensor *t;
    mote_tensor_info info;
    if (mote_interpreter_output(r->it, i, &t) || mote_tensor_get_info(t, &info)) return NULL;
    if (count) {
        size_t size = 1;
        mote_type_size(info.type, &size);
        *count = size ? info.bytes / size : 0;
    }
    return info.data;
}

static inline void sig_close(sig_run *r) {
    mote_interpreter_destroy(r->it);
    mote_model_destroy(r->model);
    mote_writer_destroy(r->writer);
    memset(r, 0, sizeof *r);
}

#endif /* MOTE_TEST_SIGNAL_TEST_H */
