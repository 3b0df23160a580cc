/* interpreter.c — creating and destroying an interpreter: runtime tensors from the model's
 * descriptions, operator implementations resolved, each node's init run. */
#include "core/interpreter.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/dynamic.h"
#include "core/options.h"
#include "core/threadpool.h"
#include "core/prepared.h"
#include "core/profile.h"
#include "core/resources.h"
#include "format/builtin_ops.h"
#include "kernels/registry.h"

#define DEFAULT_TENSOR_LIMIT (1u << 20)

mote_status ctx_fail(mote_context *ctx, mote_status status, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx->error, sizeof ctx->error, fmt, ap);
    va_end(ap);
    return status;
}

mote_status mote_node_fail(mote_context *ctx, const mote_node *node, mote_status status,
                           const char *format, ...) {
    if (!ctx) return status;
    char msg[900];
    va_list ap;
    va_start(ap, format);
    vsnprintf(msg, sizeof msg, format, ap);
    va_end(ap);
    if (!node) return ctx_fail(ctx, status, "%s", msg);
    const char *name = node->def ? model_op_name(node->def) : "?";
    if (node->subgraph)
        return ctx_fail(ctx, status, "subgraph %d operator %d (%s): %s", node->subgraph, node->index,
                        name, msg);
    return ctx_fail(ctx, status, "operator %d (%s): %s", node->index, name, msg);
}

mote_status tensor_update_bytes(mote_context *ctx, mote_tensor *t) {
    if (t->type == MOTE_RESOURCE) { /* one int32 variable id per element (resources.h) */
        size_t n = 1;
        for (int32_t i = 0; i < t->rank; i++)
            if (mote_mul_size(n, (size_t)(t->dims[i] < 0 ? 0 : t->dims[i]), &n))
                return ctx_fail(ctx, MOTE_ERROR_LIMIT, "tensor %d ('%s'): its byte size overflows", t->index,
                                t->def->name);
        if (mote_mul_size(n, sizeof(int32_t), &t->bytes))
            return ctx_fail(ctx, MOTE_ERROR_LIMIT, "tensor %d ('%s'): its byte size overflows", t->index,
                            t->def->name);
        return MOTE_OK;
    }
    if (t->type == MOTE_STRING || mote_type_bytes(t->type) == 0) {
        /* Strings are sized by their content; resources and variants hold no data here. */
        if (t->type != MOTE_INT4 && t->type != MOTE_UINT4 && t->type != MOTE_INT2) {
            if (t->storage != STORAGE_CONSTANT) t->bytes = 0;
            return MOTE_OK;
        }
    }
    size_t bytes;
    if (mote_dense_bytes(t->type, t->rank, t->dims, &bytes))
        return ctx_fail(ctx, MOTE_ERROR_LIMIT, "tensor %d ('%s'): its byte size overflows", t->index,
                        t->def->name);
    t->bytes = bytes;
    return MOTE_OK;
}

/* Sets up a runtime tensor from its description. */
static mote_status init_tensor(mote_context *ctx, subgraph *sg, int32_t i) {
    const model_tensor *d = &sg->def->tensors[i];
    mote_tensor *t = &sg->tensors[i];
    t->index = i;
    t->subgraph = sg->index;
    t->def = d;
    t->owner = ctx;
    if (d->type < 0 || d->type > MOTE_FLOAT8_E5M2)
        return ctx_fail(ctx, MOTE_ERROR_INVALID_MODEL, "subgraph %d tensor %d ('%s'): unknown type %d",
                        sg->index, i, d->name, d->type);
    t->type = (mote_type)d->type;
    if (d->rank > MOTE_MAX_DIMS)
        return ctx_fail(ctx, MOTE_ERROR_UNSUPPORTED,
                        "subgraph %d tensor %d ('%s'): rank %d is above Mote's limit of %d", sg->index,
                        i, d->name, d->rank, MOTE_MAX_DIMS);
    t->rank = d->rank;
    memcpy(t->dims, d->dims, (size_t)d->rank * sizeof(int32_t));
    t->is_variable = (uint8_t)d->is_variable;
    if (d->quant_count > 0) {
        t->scale = d->scales[0];
        int64_t zp = d->zero_points[0];
        if (zp < INT32_MIN || zp > INT32_MAX)
            return ctx_fail(ctx, MOTE_ERROR_INVALID_MODEL,
                            "subgraph %d tensor %d ('%s'): zero point %lld out of range", sg->index, i,
                            d->name, (long long)zp);
        t->zero_point = (int32_t)zp;
    }
    mote_status st = tensor_update_bytes(ctx, t);
    if (st) return st;
    if (d->data && !d->is_variable) {
        /* Weights are read in place; dense ones must hold every element (sparse and string
         * tensors are decoded by their kernels). */
        if (!d->sparsity && t->type != MOTE_STRING && d->data_size < t->bytes)
            return ctx_fail(ctx, MOTE_ERROR_INVALID_MODEL,
                            "subgraph %d tensor %d ('%s'): buffer has %zu bytes, shape needs %zu",
                            sg->index, i, d->name, d->data_size, t->bytes);
        t->storage = STORAGE_CONSTANT;
        t->data = (uint8_t *)d->data; /* never written: constant storage is read-only */
        if (t->type == MOTE_STRING || d->sparsity) t->bytes = d->data_size;
    }
    return MOTE_OK;
}

static const mote_op *find_op(const mote_context *ctx, const model_op *d) {
    for (int32_t i = ctx->custom_op_count - 1; i >= 0; i--) {
        const mote_op *op = ctx->custom_ops[i];
        if (d->builtin_code == MOTE_OP_CUSTOM) {
            if (op->custom_name && d->custom_name && strcmp(op->custom_name, d->custom_name) == 0)
                return op;
        } else if (op->builtin_code == d->builtin_code && !op->custom_name) {
            return op;
        }
    }
    return registry_find(d->builtin_code, d->custom_name);
}

/* Appends name to a comma-separated list unless it is already there. */
static void add_unique(char *list, size_t size, const char *name) {
    size_t n = strlen(name), len = strlen(list);
    for (const char *p = list; (p = strstr(p, name)) != NULL; p += n)
        if ((p == list || (p - list >= 2 && p[-2] == ',')) && (p[n] == ',' || p[n] == 0)) return;
    snprintf(list + len, size - len, "%s%s", len ? ", " : "", name);
}

static mote_status init_subgraph(mote_context *ctx, int32_t index, char *missing, size_t missing_size) {
    subgraph *sg = &ctx->subgraphs[index];
    sg->index = index;
    sg->def = &ctx->model->subgraphs[index];
    uint64_t tensor_limit = ctx->limits[MOTE_LIMIT_TENSOR_COUNT] ? ctx->limits[MOTE_LIMIT_TENSOR_COUNT]
                                                                 : DEFAULT_TENSOR_LIMIT;
    if ((uint64_t)sg->def->tensor_count > tensor_limit)
        return ctx_fail(ctx, MOTE_ERROR_LIMIT, "subgraph %d has %d tensors, above the limit of %llu",
                        index, sg->def->tensor_count, (unsigned long long)tensor_limit);
    sg->tensor_count = sg->def->tensor_count;
    sg->node_count = sg->def->op_count;
    sg->tensors = mote_alloc_array(&ctx->alloc, sg->tensor_count ? (size_t)sg->tensor_count : 1,
                                   sizeof(mote_tensor));
    sg->nodes = mote_alloc_array(&ctx->alloc, sg->node_count ? (size_t)sg->node_count : 1,
                                 sizeof(mote_node));
    if (!sg->tensors || !sg->nodes) return ctx_fail(ctx, MOTE_ERROR_OUT_OF_MEMORY, "out of memory creating tensors");
    mote_status st;
    for (int32_t i = 0; i < sg->tensor_count; i++)
        if ((st = init_tensor(ctx, sg, i))) return st;
    for (int32_t i = 0; i < sg->node_count; i++) {
        mote_node *n = &sg->nodes[i];
        const model_op *d = &sg->def->ops[i];
        n->index = i;
        n->subgraph = index;
        n->fused_into = n->extra_input = -1;
        n->def = d;
        n->input_count = d->input_count;
        n->output_count = d->output_count;
        n->inputs = d->inputs;
        n->outputs = d->outputs;
        for (int32_t o = 0; o < n->output_count; o++)
            if (sg->tensors[n->outputs[o]].storage == STORAGE_CONSTANT)
                return ctx_fail(ctx, MOTE_ERROR_INVALID_MODEL,
                                "subgraph %d operator %d (%s): output %d is tensor %d, a constant", index,
                                i, model_op_name(d), o, n->outputs[o]);
        /* Sparse constants keep their encoded bytes: only DENSIFY may read them. */
        for (int32_t k = 0; k < n->input_count; k++) {
            const mote_tensor *t = n->inputs[k] >= 0 ? &sg->tensors[n->inputs[k]] : NULL;
            if (t && t->storage == STORAGE_CONSTANT && t->def->sparsity && d->builtin_code != MOTE_OP_DENSIFY)
                return ctx_fail(ctx, MOTE_ERROR_UNSUPPORTED,
                                "subgraph %d operator %d (%s): input %d (tensor %d) is sparse; only "
                                "DENSIFY reads sparse tensors", index, i, model_op_name(d), k, n->inputs[k]);
        }
        n->op = find_op(ctx, d);
        if (!n->op) {
            char name[160];
            if (d->builtin_code == MOTE_OP_CUSTOM)
                snprintf(name, sizeof name, "%s (custom)", model_op_name(d));
            else
                snprintf(name, sizeof name, "%s", model_op_name(d));
            add_unique(missing, missing_size, name);
        }
    }
    return MOTE_OK;
}

static mote_status init_nodes(mote_context *ctx) {
    for (int32_t s = 0; s < ctx->subgraph_count; s++) {
        subgraph *sg = &ctx->subgraphs[s];
        for (int32_t i = 0; i < sg->node_count; i++) {
            mote_node *n = &sg->nodes[i];
            if (!n->op->init) continue;
            ctx->current = n;
            ctx->error[0] = 0;
            mote_status st = n->op->init(ctx, n);
            ctx->current = NULL;
            if (st) {
                if (!ctx->error[0]) mote_node_fail(ctx, n, st, "init failed");
                return st;
            }
        }
    }
    return MOTE_OK;
}

mote_status mote_interpreter_create(const mote_model *model, const mote_options *options,
                                    mote_interpreter **out) {
    if (!out) return MOTE_ERROR_INVALID_ARGUMENT;
    *out = NULL;
    mote_allocator a = mote_allocator_or_default(options ? &options->alloc : NULL);
    mote_interpreter *it = mote_alloc_array(&a, 1, sizeof *it);
    if (!it) return MOTE_ERROR_OUT_OF_MEMORY;
    *out = it;
    mote_context *ctx = &it->ctx;
    ctx->alloc = a;
    ctx->state = STATE_FAILED;
    ctx->threads = 1;
    atomic_init(&ctx->cancel, 0);
    if (!model) return ctx_fail(ctx, MOTE_ERROR_INVALID_ARGUMENT, "model is NULL");
    if (model->failed)
        return ctx_fail(ctx, MOTE_ERROR_BAD_STATE, "the model failed to load: %s", model->error);
    ctx->model = model;
    if (options) {
        ctx->threads = options->threads;
        ctx->reference_only = options->reference_only;
        ctx->profiling = options->profiling;
        memcpy(ctx->limits, options->limits, sizeof ctx->limits);
        if (options->arena) {
            ctx->arena = options->arena;
            ctx->arena_capacity = options->arena_bytes;
        }
        if (options->op_count) {
            ctx->custom_ops = mote_alloc_array(&a, (size_t)options->op_count, sizeof *ctx->custom_ops);
            if (!ctx->custom_ops) return ctx_fail(ctx, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
            memcpy(ctx->custom_ops, options->ops, (size_t)options->op_count * sizeof *ctx->custom_ops);
            ctx->custom_op_count = options->op_count;
        }
    }
    ctx->subgraph_count = model->subgraph_count;
    ctx->subgraphs = mote_alloc_array(&a, (size_t)model->subgraph_count, sizeof(subgraph));
    if (!ctx->subgraphs) {
        ctx->subgraph_count = 0;
        return ctx_fail(ctx, MOTE_ERROR_OUT_OF_MEMORY, "out of memory creating subgraphs");
    }
    char missing[900] = "";
    mote_status st;
    for (int32_t s = 0; s < ctx->subgraph_count; s++)
        if ((st = init_subgraph(ctx, s, missing, sizeof missing))) return st;
    if (missing[0])
        return ctx_fail(ctx, MOTE_ERROR_UNSUPPORTED, "unsupported operators: %s", missing);
    if ((st = init_nodes(ctx))) return st;
    if (ctx->threads > 1 && (st = threadpool_create(&ctx->alloc, ctx->threads, &ctx->pool)))
        return ctx_fail(ctx, st, "cannot start %d threads", ctx->threads);
    ctx->state = STATE_CREATED;
    ctx->error[0] = 0;
    return MOTE_OK;
}

void mote_interpreter_destroy(mote_interpreter *it) {
    if (!it) return;
    mote_context *ctx = &it->ctx;
    mote_allocator a = ctx->alloc;
    threadpool_destroy(ctx->pool);
    dynamic_free_all(ctx);
    prepared_free(ctx);
    resources_free(ctx);
    profile_free(ctx);
    for (int32_t s = 0; s < ctx->subgraph_count; s++) {
        subgraph *sg = &ctx->subgraphs[s];
        for (int32_t i = 0; sg->nodes && i < sg->node_count; i++) {
            mote_node *n = &sg->nodes[i];
            if (n->op && n->op->release) n->op->release(ctx, n);
            if (n->data_size) mote_free(&a, n->data, n->data_size);
        }
        mote_free(&a, sg->tensors, (size_t)(sg->tensor_count ? sg->tensor_count : 1) * sizeof(mote_tensor));
        mote_free(&a, sg->nodes, (size_t)(sg->node_count ? sg->node_count : 1) * sizeof(mote_node));
    }
    mote_free(&a, ctx->subgraphs, (size_t)ctx->subgraph_count * sizeof(subgraph));
    mote_free(&a, (void *)ctx->custom_ops, (size_t)ctx->custom_op_count * sizeof *ctx->custom_ops);
    mote_free(&a, ctx->scratch.items, (size_t)ctx->scratch.capacity * sizeof(buffer_request));
    mote_free(&a, ctx->persistent.items, (size_t)ctx->persistent.capacity * sizeof(buffer_request));
    if (ctx->arena_owned) mote_free(&a, ctx->arena, ctx->arena_capacity);
    mote_free(&a, it, sizeof *it);
}

const char *mote_interpreter_error(const mote_interpreter *it) {
    if (!it) return "interpreter is NULL";
    return it->ctx.error;
}
