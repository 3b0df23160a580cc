/* prepared.c — nodes evaluated during prepare, their values kept in small interpreter-owned
 * heap blocks (see prepared.h). */
#include "core/prepared.h"

#include <string.h>

#include "core/dynamic.h"
#include "format/builtin_ops.h"
#include "kernels/registry.h"

/* One heap block per prepared tensor: this header, then the data at MOTE_ALIGN. */
struct prepared_block {
    struct prepared_block *next;
    size_t size; /* of the whole block */
};

#define HEADER_BYTES ((sizeof(struct prepared_block) + MOTE_ALIGN - 1) / MOTE_ALIGN * MOTE_ALIGN)

/* Builtins whose eval is a pure function of their inputs' values. */
static int pure_op(int32_t code) {
    switch (code) {
    case MOTE_OP_ADD: case MOTE_OP_SUB: case MOTE_OP_MUL: case MOTE_OP_DIV:
    case MOTE_OP_FLOOR_DIV: case MOTE_OP_FLOOR_MOD: case MOTE_OP_MAXIMUM: case MOTE_OP_MINIMUM:
    case MOTE_OP_SQUARED_DIFFERENCE: case MOTE_OP_NEG: case MOTE_OP_ABS: case MOTE_OP_SIGN:
    case MOTE_OP_CAST: case MOTE_OP_PACK: case MOTE_OP_UNPACK: case MOTE_OP_CONCATENATION:
    case MOTE_OP_RESHAPE: case MOTE_OP_SQUEEZE: case MOTE_OP_EXPAND_DIMS:
    case MOTE_OP_STRIDED_SLICE: case MOTE_OP_SLICE: case MOTE_OP_GATHER: case MOTE_OP_GATHER_ND:
    case MOTE_OP_TILE: case MOTE_OP_FILL: case MOTE_OP_RANGE: case MOTE_OP_BROADCAST_TO:
    case MOTE_OP_BROADCAST_ARGS: case MOTE_OP_TRANSPOSE: case MOTE_OP_ZEROS_LIKE:
    case MOTE_OP_REDUCE_PROD: case MOTE_OP_SUM: case MOTE_OP_REDUCE_MAX: case MOTE_OP_REDUCE_MIN:
    case MOTE_OP_EQUAL: case MOTE_OP_NOT_EQUAL: case MOTE_OP_LESS: case MOTE_OP_LESS_EQUAL:
    case MOTE_OP_GREATER: case MOTE_OP_GREATER_EQUAL: case MOTE_OP_LOGICAL_AND:
    case MOTE_OP_LOGICAL_OR: case MOTE_OP_LOGICAL_NOT: case MOTE_OP_SELECT: case MOTE_OP_SELECT_V2:
    case MOTE_OP_ARG_MAX: case MOTE_OP_ARG_MIN: case MOTE_OP_VAR_HANDLE:
        return 1;
    default:
        return 0;
    }
}

/* Ops that read only their inputs' shapes. */
static int shape_only_op(int32_t code) { return code == MOTE_OP_SHAPE || code == MOTE_OP_RANK; }

static int known(const mote_tensor *t, int shape_only) {
    if (shape_only) return !t->is_dynamic;
    return t->storage == STORAGE_CONSTANT || t->storage == STORAGE_PREPARED;
}

static int qualifies(mote_context *ctx, const mote_node *n) {
    const subgraph *sg = &ctx->subgraphs[n->subgraph];
    int32_t code = n->def->builtin_code;
    int shape_only = shape_only_op(code);
    if (sg->dynamic || n->reprepare || n->is_folded) return 0;
    if (!shape_only && !pure_op(code)) return 0;
    if (n->op != registry_find(code, NULL)) return 0; /* a registered op may not be pure */
    if (n->op->pack || n->scratch_count || n->persistent_count || n->call_count) return 0;
    for (int32_t i = 0; i < n->input_count; i++) {
        if (n->inputs[i] < 0) continue;
        const mote_tensor *t = &sg->tensors[n->inputs[i]];
        if (!known(t, shape_only) || (t->storage == STORAGE_CONSTANT && t->def->sparsity)) return 0;
    }
    size_t total = ctx->prepared_bytes;
    for (int32_t o = 0; o < n->output_count; o++) {
        const mote_tensor *t = &sg->tensors[n->outputs[o]];
        if (t->is_dynamic || t->is_variable || t->storage == STORAGE_CONSTANT) return 0;
        if (t->type == MOTE_STRING || (mote_type_bytes(t->type) == 0 && t->type != MOTE_RESOURCE)) return 0;
        if (t->bytes > PREPARED_MAX_TENSOR_BYTES) return 0;
        total += HEADER_BYTES + t->bytes;
        if (total > PREPARED_MAX_TOTAL_BYTES) return 0;
    }
    return 1;
}

static uint8_t *take_block(mote_context *ctx, size_t bytes) {
    size_t size = HEADER_BYTES + bytes;
    struct prepared_block *b = mote_alloc_array(&ctx->alloc, 1, size);
    if (!b) return NULL;
    b->next = ctx->prepared;
    b->size = size;
    ctx->prepared = b;
    ctx->prepared_bytes += size;
    return (uint8_t *)b + HEADER_BYTES;
}

/* Outputs back to unplaced tensors (their blocks stay until prepared_free). */
static void forget(mote_context *ctx, const mote_node *n) {
    subgraph *sg = &ctx->subgraphs[n->subgraph];
    for (int32_t o = 0; o < n->output_count; o++) {
        mote_tensor *t = &sg->tensors[n->outputs[o]];
        if (t->storage != STORAGE_PREPARED) continue;
        t->storage = STORAGE_NONE;
        t->data = NULL;
    }
}

mote_status prepared_try(mote_context *ctx, mote_node *n) {
    if (!qualifies(ctx, n)) return MOTE_OK;
    subgraph *sg = &ctx->subgraphs[n->subgraph];
    for (int32_t o = 0; o < n->output_count; o++) {
        mote_tensor *t = &sg->tensors[n->outputs[o]];
        if (t->storage == STORAGE_DYNAMIC) dynamic_release(ctx, t); /* dynamic in the last plan */
        uint8_t *p = take_block(ctx, t->bytes);
        if (!p) {
            forget(ctx, n);
            return mote_node_fail(ctx, n, MOTE_ERROR_OUT_OF_MEMORY, "out of memory for a value computed in prepare");
        }
        t->data = p;
        t->storage = STORAGE_PREPARED;
    }
    char saved[sizeof ctx->error];
    memcpy(saved, ctx->error, sizeof saved);
    const mote_node *saved_current = ctx->current;
    ctx->current = n;
    mote_status st = n->op->eval(ctx, n);
    ctx->current = saved_current;
    if (st) {
        /* Left for invoke, which reports the failure if that branch of the model runs. */
        forget(ctx, n);
        memcpy(ctx->error, saved, sizeof saved);
        return MOTE_OK;
    }
    n->is_prepared = 1;
    return MOTE_OK;
}

void prepared_free(mote_context *ctx) {
    for (int32_t s = 0; s < ctx->subgraph_count; s++) {
        subgraph *sg = &ctx->subgraphs[s];
        for (int32_t i = 0; sg->tensors && i < sg->tensor_count; i++) {
            mote_tensor *t = &sg->tensors[i];
            if (t->storage != STORAGE_PREPARED) continue;
            t->storage = STORAGE_NONE;
            t->data = NULL;
        }
        for (int32_t i = 0; sg->nodes && i < sg->node_count; i++) sg->nodes[i].is_prepared = 0;
    }
    while (ctx->prepared) {
        struct prepared_block *b = ctx->prepared;
        ctx->prepared = b->next;
        mote_free(&ctx->alloc, b, b->size);
    }
    ctx->prepared_bytes = 0;
}
