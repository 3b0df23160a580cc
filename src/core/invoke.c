/* invoke.c — running subgraphs: each node's eval in order, with cancellation and a bound
 * on how deeply subgraphs call each other. Nothing here allocates. */
#include <string.h>

#include "core/interpreter.h"

#define DEFAULT_NESTING_LIMIT 16

mote_status interpreter_run_subgraph(mote_context *ctx, int32_t index) {
    if (index < 0 || index >= ctx->subgraph_count)
        return ctx_fail(ctx, MOTE_ERROR_INVALID_MODEL, "subgraph %d does not exist", index);
    subgraph *sg = &ctx->subgraphs[index];
    uint64_t max_depth = ctx->limits[MOTE_LIMIT_NESTING_DEPTH] ? ctx->limits[MOTE_LIMIT_NESTING_DEPTH]
                                                               : DEFAULT_NESTING_LIMIT;
    if ((uint64_t)ctx->call_depth >= max_depth)
        return ctx_fail(ctx, MOTE_ERROR_LIMIT, "subgraph %d: calls nest deeper than %llu", index,
                        (unsigned long long)max_depth);
    if (sg->running) return ctx_fail(ctx, MOTE_ERROR_INVALID_MODEL, "subgraph %d calls itself", index);
    sg->running = 1;
    ctx->call_depth++;
    mote_status st = MOTE_OK;
    for (int32_t i = 0; i < sg->node_count; i++) {
        mote_node *n = &sg->nodes[i];
        if (n->is_folded) continue;
        if (atomic_load_explicit(&ctx->cancel, memory_order_relaxed)) {
            st = ctx_fail(ctx, MOTE_ERROR_CANCELLED, "invoke cancelled before operator %d", i);
            break;
        }
        const mote_node *saved = ctx->current;
        ctx->current = n;
        if (n->reprepare && n->op->prepare) st = n->op->prepare(ctx, n);
        if (st == MOTE_OK) st = n->op->eval(ctx, n);
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
    return interpreter_run_subgraph(ctx, 0);
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
    return MOTE_OK;
}
