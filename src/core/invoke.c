/* invoke.c — running subgraphs: each node's eval in order (deferred nodes prepared again
 * first), with cancellation and a bound on how deeply subgraphs call each other. Nothing
 * here allocates, except the heap memory of dynamic tensors (dynamic.h). */
#include <string.h>

#include "core/dynamic.h"
#include "core/interpreter.h"
#include "core/profile.h"
#include "core/resources.h"

/* A node with nothing to compute: every output has no elements (a zero dimension), is sized
 * before eval, and holds plain values. Its eval is skipped, because kernels loop over the
 * other dimensions of an empty tensor, which a hostile model can make 2^31 each. Nodes
 * without outputs or that call subgraphs act through state and always run. */
static int nothing_to_compute(const subgraph *sg, const mote_node *n) {
    if (n->output_count == 0 || n->call_count) return 0;
    for (int32_t o = 0; o < n->output_count; o++) {
        const mote_tensor *t = &sg->tensors[n->outputs[o]];
        if (t->storage == STORAGE_DYNAMIC || t->type == MOTE_STRING || t->type == MOTE_RESOURCE ||
            t->type == MOTE_VARIANT)
            return 0;
        int empty = 0;
        for (int32_t d = 0; d < t->rank; d++) empty |= t->dims[d] == 0;
        if (!empty) return 0;
    }
    return 1;
}

mote_status interpreter_run_subgraph(mote_context *ctx, int32_t index) {
    if (index < 0 || index >= ctx->subgraph_count)
        return ctx_fail(ctx, MOTE_ERROR_INVALID_MODEL, "subgraph %d does not exist", index);
    subgraph *sg = &ctx->subgraphs[index];
    uint64_t max_depth = ctx_nesting_limit(ctx);
    if ((uint64_t)ctx->call_depth >= max_depth)
        return ctx_fail(ctx, MOTE_ERROR_LIMIT, "subgraph %d: calls nest deeper than %llu", index,
                        (unsigned long long)max_depth);
    if (sg->running) return ctx_fail(ctx, MOTE_ERROR_INVALID_MODEL, "subgraph %d calls itself", index);
    sg->running = 1;
    ctx->call_depth++;
    mote_status st = MOTE_OK;
    for (int32_t i = 0; i < sg->node_count; i++) {
        mote_node *n = &sg->nodes[i];
        if (n->is_folded || n->is_prepared) continue;
        if (n->fused_into >= 0 && !sg->nodes[n->fused_into].reprepare) continue; /* done by that node */
        if (atomic_load_explicit(&ctx->cancel, memory_order_relaxed)) {
            st = ctx_fail(ctx, MOTE_ERROR_CANCELLED, "invoke cancelled before operator %d", i);
            break;
        }
        const mote_node *saved = ctx->current;
        ctx->current = n;
        /* With profiling off (sg->profile NULL) this reads no clock. */
        uint64_t t0 = sg->profile ? profile_now_ns() : 0;
        if (n->reprepare) st = dynamic_prepare_node(ctx, n);
        if (st == MOTE_OK && !nothing_to_compute(sg, n)) st = n->op->eval(ctx, n);
        if (sg->profile) {
            sg->profile[i].total_ns += profile_now_ns() - t0;
            sg->profile[i].count++;
        }
        ctx->current = saved;
        if (st) {
            if (!ctx->error[0]) mote_node_fail(ctx, n, st, "failed (%s)", mote_status_string(st));
            break;
        }
    }
    ctx->call_depth--;
    sg->running = 0;
    return st;
}

mote_status mote_interpreter_invoke(mote_interpreter *it) {
    if (!it) return MOTE_ERROR_INVALID_ARGUMENT;
    mote_context *ctx = &it->ctx;
    if (ctx->state == STATE_FAILED) return MOTE_ERROR_BAD_STATE;
    ctx->error[0] = 0;
    if (ctx->state != STATE_ALLOCATED)
        return ctx_fail(ctx, MOTE_ERROR_BAD_STATE,
                        "invoke before allocate_tensors (call it first, and again after a resize)");
    atomic_store(&ctx->cancel, 0);
    ctx->invoking = 1;
    mote_status st = interpreter_run_subgraph(ctx, 0);
    ctx->invoking = 0;
    return st;
}

mote_status mote_interpreter_cancel(mote_interpreter *it) {
    if (!it) return MOTE_ERROR_INVALID_ARGUMENT;
    atomic_store(&it->ctx.cancel, 1);
    return MOTE_OK;
}

mote_status mote_interpreter_reset_variables(mote_interpreter *it) {
    if (!it) return MOTE_ERROR_INVALID_ARGUMENT;
    if (it->ctx.state == STATE_FAILED) return MOTE_ERROR_BAD_STATE; /* keep the creation error */
    if (it->ctx.state != STATE_ALLOCATED)
        return ctx_fail(&it->ctx, MOTE_ERROR_BAD_STATE, "reset_variables before allocate_tensors");
    interpreter_reset_variables(&it->ctx);
    resources_reset(&it->ctx);
    for (int32_t s = 0; s < it->ctx.subgraph_count; s++) it->ctx.subgraphs[s].init_done = 0;
    return MOTE_OK;
}
