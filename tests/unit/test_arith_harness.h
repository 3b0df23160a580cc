/* test_arith_harness.h — runs one operator on hand-made (quantized) tensors for the kernel
 * unit tests: the model is built with the writer, loaded, allocated and invoked; a failure
 * at any stage returns its status and leaves the interpreter's message in op_error. */
#ifndef MOTE_TEST_ARITH_HARNESS_H
#define MOTE_TEST_ARITH_HARNESS_H

#include <stdint.h>

#include "format/builtin_ops.h"
#include "format/tflite_schema.h"
#include "mote.h"
#include "mote_writer.h"
#include "test.h"

/* One tensor of the test model. Constant when data is given (weights, axes, alpha). */
typedef struct op_tensor {
    mote_type type;
    int32_t rank;
    int32_t dims[4];
    float scale;           /* 0: not quantized */
    int64_t zero_point;
    const void *data;      /* constant contents, or NULL for a graph input/output */
    size_t bytes;          /* size of data */
} op_tensor;

/* An operator call: tensors[0..input_count) are inputs, the rest outputs. */
typedef struct op_call {
    int32_t code;                    /* BuiltinOperator */
    int32_t options_type;            /* BuiltinOptions union value, 0 for none */
    int32_t field_count;
    const mote_option_field *fields;
    int32_t input_count, output_count;
    const op_tensor *tensors;
} op_call;

static char op_error[1024];

/* Builds and runs the call: non-constant inputs are filled from in_data (in order), outputs
 * copied to out_data (each as many bytes as out_bytes[i]). */
static inline mote_status op_run(const op_call *call, const void *const *in_data, void *const *out_data,
                                 const size_t *out_bytes) {
    mote_writer *w = NULL;
    mote_model *model = NULL;
    mote_interpreter *it = NULL;
    int32_t ids[8], graph_inputs[8], graph_outputs[8], n_graph_in = 0;
    const int32_t n = call->input_count + call->output_count;
    mote_status st;
    op_error[0] = 0;
    if ((st = mote_writer_create(NULL, &w))) return st;
    for (int32_t i = 0; i < n; i++) {
        const op_tensor *t = &call->tensors[i];
        char name[16];
        snprintf(name, sizeof name, "t%d", i);
        if ((st = mote_writer_add_tensor(w, name, t->type, t->rank, t->dims, t->data, t->data ? t->bytes : 0, &ids[i])))
            goto done;
        if (t->scale != 0.0f) {
            int64_t zp = t->zero_point;
            if ((st = mote_writer_set_quantization(w, ids[i], 1, &t->scale, &zp, 0))) goto done;
        }
        if (i < call->input_count && !t->data) graph_inputs[n_graph_in++] = ids[i];
    }
    for (int32_t i = 0; i < call->output_count; i++) graph_outputs[i] = ids[call->input_count + i];
    mote_writer_op op = {call->code, NULL, 0, call->input_count, ids, call->output_count, ids + call->input_count,
                         0, NULL, call->options_type, call->field_count, call->fields, NULL, 0};
    if ((st = mote_writer_add_op(w, &op, NULL)) || (st = mote_writer_set_inputs(w, n_graph_in, graph_inputs)) ||
        (st = mote_writer_set_outputs(w, call->output_count, graph_outputs)))
        goto done;
    const void *bytes;
    size_t size;
    if ((st = mote_writer_finish(w, &bytes, &size))) goto done;
    if ((st = mote_model_load_memory(bytes, size, NULL, &model))) {
        snprintf(op_error, sizeof op_error, "%s", mote_model_error(model));
        goto done;
    }
    if ((st = mote_interpreter_create(model, NULL, &it)) || (st = mote_interpreter_allocate_tensors(it))) {
        snprintf(op_error, sizeof op_error, "%s", it ? mote_interpreter_error(it) : "");
        goto done;
    }
    for (int32_t i = 0; i < n_graph_in; i++) {
        mote_tensor *t;
        mote_tensor_info info;
        if ((st = mote_interpreter_input(it, i, &t)) || (st = mote_tensor_get_info(t, &info)) ||
            (st = mote_tensor_copy_from(t, in_data[i], info.bytes)))
            goto done;
    }
    if ((st = mote_interpreter_invoke(it))) {
        snprintf(op_error, sizeof op_error, "%s", mote_interpreter_error(it));
        goto done;
    }
    for (int32_t i = 0; i < call->output_count; i++) {
        mote_tensor *t;
        if ((st = mote_interpreter_output(it, i, &t)) || (st = mote_tensor_copy_to(t, out_data[i], out_bytes[i])))
            goto done;
    }
done:
    mote_interpreter_destroy(it);
    mote_model_destroy(model);
    mote_writer_destroy(w);
    return st;
}

/* A one-field options table: the fused activation (field 0, a byte enum). */
static inline mote_option_field opt_activation(int32_t activation) {
    mote_option_field f = {0, MOTE_FIELD_INT8, activation, 0.0f, NULL, 0, NULL};
    return f;
}

/* Elementwise binary op on two same-shape (or broadcast) inputs, one output. */
static inline mote_status op_binary(int32_t code, int32_t options_type, const mote_option_field *fields,
                                    int32_t field_count, const op_tensor *a, const op_tensor *b,
                                    const op_tensor *out, const void *a_data, const void *b_data, void *out_data,
                                    size_t out_bytes) {
    op_tensor t[3] = {*a, *b, *out};
    op_call call = {code, options_type, field_count, fields, 2, 1, t};
    const void *ins[2];
    int k = 0;
    if (!a->data) ins[k++] = a_data;
    if (!b->data) ins[k++] = b_data;
    void *outs[1] = {out_data};
    return op_run(&call, ins, outs, &out_bytes);
}

/* Unary op: one input, one output. */
static inline mote_status op_unary(int32_t code, int32_t options_type, const mote_option_field *fields,
                                   int32_t field_count, const op_tensor *in, const op_tensor *out, const void *in_data,
                                   void *out_data, size_t out_bytes) {
    op_tensor t[2] = {*in, *out};
    op_call call = {code, options_type, field_count, fields, 1, 1, t};
    const void *ins[1] = {in_data};
    void *outs[1] = {out_data};
    return op_run(&call, ins, outs, &out_bytes);
}

#endif /* MOTE_TEST_ARITH_HARNESS_H */
