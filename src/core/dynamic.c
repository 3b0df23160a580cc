/* dynamic.c — heap memory for tensors whose shapes are only known while running, deferred
 * nodes and dynamic subgraphs (see dynamic.h). */
#include "core/dynamic.h"

#include <string.h>

/* The arena, the other dynamic tensors and `bytes` more stay within MOTE_LIMIT_ARENA_BYTES. */
static int fits(const mote_context *ctx, size_t others, size_t bytes) {
    uint64_t limit = ctx->limits[MOTE_LIMIT_ARENA_BYTES];
    size_t total;
    if (!limit) return 1;
    if (mote_add_size(ctx->persistent_bytes, ctx->activation_bytes, &total) ||
        mote_add_size(total, others, &total) || mote_add_size(total, bytes, &total))
        return 0;
    return total <= limit;
}

mote_status dynamic_reserve(mote_context *ctx, const mote_node *node, mote_tensor *t, size_t bytes) {
    if (t->storage != STORAGE_DYNAMIC) {
        if (bytes == t->bytes) return MOTE_OK;
        return mote_node_fail(ctx, node, MOTE_ERROR_RUNTIME,
                              "tensor %d ('%s') was planned for %zu bytes, %zu are needed while running",
                              t->index, t->def->name, t->bytes, bytes);
    }
    if (t->data && bytes <= t->dynamic_capacity) {
        t->bytes = bytes;
        return MOTE_OK;
    }
    /* Grow by half again at least, so a tensor growing each loop iteration is not
     * reallocated each time; never less than one aligned block, so data is never NULL. */
    size_t want = bytes, grown = t->dynamic_capacity + t->dynamic_capacity / 2;
    if (t->dynamic_capacity && grown > want) want = grown;
    size_t cap, exact;
    if (mote_align_size(want < MOTE_ALIGN ? MOTE_ALIGN : want, &cap) ||
        mote_align_size(bytes < MOTE_ALIGN ? MOTE_ALIGN : bytes, &exact))
        return mote_node_fail(ctx, node, MOTE_ERROR_LIMIT, "tensor %d ('%s'): %zu bytes is too large", t->index,
                              t->def->name, bytes);
    size_t others = ctx->dynamic_bytes - t->dynamic_capacity;
    if (!fits(ctx, others, cap)) cap = exact; /* the growth margin would cross the limit */
    if (!fits(ctx, others, cap))
        return mote_node_fail(ctx, node, MOTE_ERROR_LIMIT,
                              "tensor %d ('%s') needs %zu bytes while running: with the arena and the other "
                              "dynamic tensors that is above the limit of %llu bytes",
                              t->index, t->def->name, bytes,
                              (unsigned long long)ctx->limits[MOTE_LIMIT_ARENA_BYTES]);
    uint8_t *p = mote_alloc(&ctx->alloc, cap);
    if (!p)
        return mote_node_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "cannot allocate %zu bytes for tensor %d ('%s')",
                              cap, t->index, t->def->name);
    dynamic_release(ctx, t);
    t->data = p;
    t->dynamic_capacity = cap;
    ctx->dynamic_bytes += cap;
    t->bytes = bytes;
    return MOTE_OK;
}

void dynamic_release(mote_context *ctx, mote_tensor *t) {
    if (t->data && t->dynamic_capacity) {
        mote_free(&ctx->alloc, t->data, t->dynamic_capacity);
        ctx->dynamic_bytes -= t->dynamic_capacity;
    }
    t->data = NULL;
    t->dynamic_capacity = 0;
}

void dynamic_defer_node(mote_context *ctx, mote_node *node) {
    subgraph *sg = &ctx->subgraphs[node->subgraph];
    node->reprepare = 1;
    node->is_folded = 0;
    node->is_prepared = 0;
    for (int32_t o = 0; o < node->output_count; o++) {
        mote_tensor *t = &sg->tensors[node->outputs[o]];
        t->is_dynamic = 1;
        t->is_folded = 0;
    }
    for (int32_t k = 0; k < node->call_count; k++) dynamic_mark_subgraph(ctx, node->calls[k]);
}

static void mark(mote_context *ctx, int32_t index, uint64_t depth) {
    /* Deeper calls cannot run (the nesting limit stops them): no need to go on, and the
     * recursion stays bounded. */
    if (index < 0 || index >= ctx->subgraph_count || depth > ctx_nesting_limit(ctx)) return;
    subgraph *sg = &ctx->subgraphs[index];
    if (sg->dynamic) return;
    sg->dynamic = 1;
    for (int32_t i = 0; i < sg->tensor_count; i++) {
        mote_tensor *t = &sg->tensors[i];
        if (t->storage == STORAGE_CONSTANT || t->is_variable) continue;
        if (t->storage == STORAGE_PREPARED) {
            t->storage = STORAGE_NONE; /* its memory is freed with the other prepared values */
            t->data = NULL;
        }
        t->is_dynamic = 1;
        t->is_folded = 0;
    }
    for (int32_t i = 0; i < sg->node_count; i++) {
        mote_node *n = &sg->nodes[i];
        n->reprepare = 1;
        n->is_folded = 0;
        n->is_prepared = 0;
    }
    for (int32_t i = 0; i < sg->node_count; i++)
        for (int32_t k = 0; k < sg->nodes[i].call_count; k++) mark(ctx, sg->nodes[i].calls[k], depth + 1);
}

void dynamic_mark_subgraph(mote_context *ctx, int32_t index) { mark(ctx, index, 0); }

static mote_status reserve_outputs(mote_context *ctx, mote_node *node, int32_t count, const int32_t *indices) {
    subgraph *sg = &ctx->subgraphs[node->subgraph];
    for (int32_t k = 0; k < count; k++) {
        if (indices[k] < 0) continue;
        mote_tensor *t = &sg->tensors[indices[k]];
        /* Strings are sized by their content: the kernel reserves them in eval. */
        if (t->storage != STORAGE_DYNAMIC || t->type == MOTE_STRING) continue;
        mote_status st = dynamic_reserve(ctx, node, t, t->bytes);
        if (st) return st;
    }
    return MOTE_OK;
}

mote_status dynamic_prepare_node(mote_context *ctx, mote_node *node) {
    node->dyn_scratch_count = 0;
    node->dyn_scratch_used = 0;
    if (node->op->prepare) {
        mote_status st = node->op->prepare(ctx, node);
        if (st == STATUS_DEFERRED)
            return mote_node_fail(ctx, node, MOTE_ERROR_RUNTIME,
                                  "cannot compute its output shapes: an input it reads is not available");
        if (st) {
            if (!ctx->error[0]) mote_node_fail(ctx, node, st, "prepare failed (%s)", mote_status_string(st));
            return st;
        }
    }
    mote_status st = reserve_outputs(ctx, node, node->output_count, node->outputs);
    if (st == MOTE_OK)
        st = reserve_outputs(ctx, node, node->def->intermediate_count, node->def->intermediates);
    if (st) return st;
    if (node->dyn_scratch_used > node->dyn_scratch_capacity) {
        uint8_t *p = mote_alloc(&ctx->alloc, node->dyn_scratch_used);
        if (!p)
            return mote_node_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "cannot allocate %zu bytes of scratch",
                                  node->dyn_scratch_used);
        mote_free(&ctx->alloc, node->dyn_scratch, node->dyn_scratch_capacity);
        node->dyn_scratch = p;
        node->dyn_scratch_capacity = node->dyn_scratch_used;
    }
    /* Packing runs again too: with node->reprepare set a kernel keeps what it packs in
     * scratch (persistent requests are refused here), or leaves its constants unpacked. */
    if (node->op->pack && (st = node->op->pack(ctx, node))) {
        if (!ctx->error[0]) mote_node_fail(ctx, node, st, "failed while packing constants");
        return st;
    }
    return MOTE_OK;
}

mote_status dynamic_request_scratch(mote_context *ctx, mote_node *node, size_t size, int32_t *index) {
    if (node->dyn_scratch_count >= NODE_MAX_DYNAMIC_SCRATCH)
        return mote_node_fail(ctx, node, MOTE_ERROR_UNSUPPORTED,
                              "more than %d scratch buffers requested while running", NODE_MAX_DYNAMIC_SCRATCH);
    size_t aligned, end;
    if (mote_align_size(size ? size : 1, &aligned) || mote_add_size(node->dyn_scratch_used, aligned, &end))
        return mote_node_fail(ctx, node, MOTE_ERROR_LIMIT, "scratch size overflows");
    node->dyn_scratch_at[node->dyn_scratch_count] = node->dyn_scratch_used;
    node->dyn_scratch_used = end;
    *index = node->dyn_scratch_count++;
    return MOTE_OK;
}

void *dynamic_scratch(const mote_node *node, int32_t index) {
    if (index < 0 || index >= node->dyn_scratch_count || !node->dyn_scratch) return NULL;
    return node->dyn_scratch + node->dyn_scratch_at[index];
}

void dynamic_free_all(mote_context *ctx) {
    for (int32_t s = 0; s < ctx->subgraph_count; s++) {
        subgraph *sg = &ctx->subgraphs[s];
        for (int32_t i = 0; sg->nodes && i < sg->node_count; i++) {
            mote_node *n = &sg->nodes[i];
            mote_free(&ctx->alloc, n->dyn_scratch, n->dyn_scratch_capacity);
            n->dyn_scratch = NULL;
            n->dyn_scratch_capacity = 0;
        }
        for (int32_t i = 0; sg->tensors && i < sg->tensor_count; i++)
            if (sg->tensors[i].storage == STORAGE_DYNAMIC) dynamic_release(ctx, &sg->tensors[i]);
    }
}
