/* profile.c — per-operator timing: the option, the counters (one array for the nodes of
 * every subgraph, sized at allocate so that invoke never allocates) and their reader. The
 * timing itself is two clock reads around each eval in invoke.c. */
#include "core/profile.h"

#include <string.h>

#include "core/alloc.h"
#include "core/options.h"

mote_status mote_options_set_profiling(mote_options *o, int enabled) {
    if (!o) return MOTE_ERROR_INVALID_ARGUMENT;
    o->profiling = enabled != 0;
    return MOTE_OK;
}

mote_status profile_allocate(mote_context *ctx) {
    if (!ctx->profiling) return MOTE_OK;
    if (!ctx->profile) {
        int32_t total = 0;
        for (int32_t s = 0; s < ctx->subgraph_count; s++) total += ctx->subgraphs[s].node_count;
        ctx->profile = mote_alloc_array(&ctx->alloc, total ? (size_t)total : 1, sizeof *ctx->profile);
        if (!ctx->profile) return ctx_fail(ctx, MOTE_ERROR_OUT_OF_MEMORY, "out of memory for the profile");
        ctx->profile_count = total;
        mote_op_profile *p = ctx->profile;
        for (int32_t s = 0; s < ctx->subgraph_count; s++) {
            ctx->subgraphs[s].profile = p;
            p += ctx->subgraphs[s].node_count;
        }
    }
    memset(ctx->profile, 0, (size_t)(ctx->profile_count ? ctx->profile_count : 1) * sizeof *ctx->profile);
    return MOTE_OK;
}

void profile_free(mote_context *ctx) {
    if (!ctx->profile) return;
    mote_free(&ctx->alloc, ctx->profile,
              (size_t)(ctx->profile_count ? ctx->profile_count : 1) * sizeof *ctx->profile);
    ctx->profile = NULL;
    for (int32_t s = 0; s < ctx->subgraph_count; s++) ctx->subgraphs[s].profile = NULL;
}

mote_status mote_interpreter_profile(const mote_interpreter *it, int32_t subgraph_index,
                                     mote_op_profile *entries, int32_t capacity, int32_t *count) {
    if (!it || !count || capacity < 0 || (capacity > 0 && !entries)) return MOTE_ERROR_INVALID_ARGUMENT;
    const mote_context *ctx = &it->ctx;
    if (subgraph_index < 0 || subgraph_index >= ctx->subgraph_count) return MOTE_ERROR_INVALID_ARGUMENT;
    if (!ctx->profiling || ctx->state != STATE_ALLOCATED || !ctx->profile) return MOTE_ERROR_BAD_STATE;
    const subgraph *sg = &ctx->subgraphs[subgraph_index];
    *count = sg->node_count;
    int32_t n = capacity < sg->node_count ? capacity : sg->node_count;
    if (n > 0) memcpy(entries, sg->profile, (size_t)n * sizeof *entries);
    return MOTE_OK;
}
