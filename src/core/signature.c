/* signature.c — SignatureDefs: named entry points that run one subgraph each, with named
 * inputs and outputs. */
#include <string.h>

#include "core/interpreter.h"

static const model_signature *find(const mote_interpreter *it, const char *key) {
    const mote_model *m = it->ctx.model;
    for (int32_t i = 0; i < m->signature_count; i++)
        if (strcmp(m->signatures[i].key, key) == 0) return &m->signatures[i];
    return NULL;
}

static mote_status lookup(mote_interpreter *it, const char *key, const model_signature **sig) {
    if (!it || !key) return MOTE_ERROR_INVALID_ARGUMENT;
    if (it->ctx.state == STATE_FAILED) return MOTE_ERROR_BAD_STATE;
    *sig = find(it, key);
    if (!*sig) return ctx_fail(&it->ctx, MOTE_ERROR_INVALID_ARGUMENT, "no signature '%s' in the model", key);
    return MOTE_OK;
}

mote_status mote_interpreter_signature_count(const mote_interpreter *it, int32_t *count) {
    if (!it || !count) return MOTE_ERROR_INVALID_ARGUMENT;
    if (it->ctx.state == STATE_FAILED) return MOTE_ERROR_BAD_STATE;
    *count = it->ctx.model->signature_count;
    return MOTE_OK;
}

mote_status mote_interpreter_signature_key(const mote_interpreter *it, int32_t index, const char **key) {
    if (!it || !key) return MOTE_ERROR_INVALID_ARGUMENT;
    if (it->ctx.state == STATE_FAILED) return MOTE_ERROR_BAD_STATE;
    if (index < 0 || index >= it->ctx.model->signature_count) return MOTE_ERROR_INVALID_ARGUMENT;
    *key = it->ctx.model->signatures[index].key;
    return MOTE_OK;
}

mote_status mote_interpreter_signature_io_count(const mote_interpreter *it, const char *key, int outputs,
                                                int32_t *count) {
    const model_signature *sig = NULL;
    if (!count) return MOTE_ERROR_INVALID_ARGUMENT;
    mote_status st = lookup((mote_interpreter *)it, key, &sig);
    if (st) return st;
    *count = outputs ? sig->output_count : sig->input_count;
    return MOTE_OK;
}

mote_status mote_interpreter_signature_io_name(const mote_interpreter *it, const char *key, int outputs,
                                               int32_t i, const char **name) {
    const model_signature *sig = NULL;
    if (!name) return MOTE_ERROR_INVALID_ARGUMENT;
    mote_status st = lookup((mote_interpreter *)it, key, &sig);
    if (st) return st;
    int32_t n = outputs ? sig->output_count : sig->input_count;
    if (i < 0 || i >= n) return MOTE_ERROR_INVALID_ARGUMENT;
    *name = (outputs ? sig->outputs : sig->inputs)[i].name;
    return MOTE_OK;
}

mote_status mote_interpreter_signature_tensor(mote_interpreter *it, const char *key, int outputs,
                                              const char *name, mote_tensor **tensor) {
    const model_signature *sig = NULL;
    if (!name || !tensor) return MOTE_ERROR_INVALID_ARGUMENT;
    mote_status st = lookup(it, key, &sig);
    if (st) return st;
    int32_t n = outputs ? sig->output_count : sig->input_count;
    const model_signature_io *io = outputs ? sig->outputs : sig->inputs;
    for (int32_t i = 0; i < n; i++)
        if (strcmp(io[i].name, name) == 0) {
            *tensor = &it->ctx.subgraphs[sig->subgraph].tensors[io[i].tensor];
            return MOTE_OK;
        }
    return ctx_fail(&it->ctx, MOTE_ERROR_INVALID_ARGUMENT, "signature '%s' has no %s named '%s'", key,
                    outputs ? "output" : "input", name);
}

mote_status mote_interpreter_signature_resize_input(mote_interpreter *it, const char *key, const char *name,
                                                    int32_t rank, const int32_t *dims) {
    mote_tensor *t = NULL;
    mote_status st = mote_interpreter_signature_tensor(it, key, 0, name, &t);
    if (st) return st;
    it->ctx.error[0] = 0;
    return interpreter_resize_tensor(&it->ctx, t, rank, dims);
}

mote_status mote_interpreter_signature_invoke(mote_interpreter *it, const char *key) {
    const model_signature *sig = NULL;
    mote_status st = lookup(it, key, &sig);
    if (st) return st;
    mote_context *ctx = &it->ctx;
    ctx->error[0] = 0;
    if (ctx->state != STATE_ALLOCATED)
        return ctx_fail(ctx, MOTE_ERROR_BAD_STATE, "invoke before allocate_tensors");
    atomic_store(&ctx->cancel, 0);
    ctx->invoking = 1;
    st = interpreter_run_subgraph(ctx, sig->subgraph);
    ctx->invoking = 0;
    return st;
}
