/* call.c — control-flow support: subgraphs prepared for their callers, values copied
 * between subgraphs (see call.h). */
#include "core/call.h"

#include <stdio.h>
#include <string.h>

#include "core/dynamic.h"

mote_status call_declare(mote_context *ctx, mote_node *node, int32_t count, const int32_t *subgraphs) {
    if (count < 0 || count > NODE_MAX_CALLS)
        return mote_node_fail(ctx, node, MOTE_ERROR_INVALID_ARGUMENT, "too many called subgraphs");
    for (int32_t k = 0; k < count; k++) {
        if (subgraphs[k] < 0 || subgraphs[k] >= ctx->subgraph_count)
            return mote_node_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                                  "calls subgraph %d, which does not exist (the model has %d)", subgraphs[k],
                                  ctx->subgraph_count);
        node->calls[k] = subgraphs[k];
    }
    node->call_count = count;
    return MOTE_OK;
}

static int same_shape(const mote_tensor *a, const mote_tensor *b) {
    return a->rank == b->rank && memcmp(a->dims, b->dims, (size_t)a->rank * sizeof a->dims[0]) == 0;
}

static const char *shape_text(const mote_tensor *t, char *buf, size_t n) {
    size_t at = (size_t)snprintf(buf, n, "[");
    for (int32_t i = 0; i < t->rank && at < n; i++)
        at += (size_t)snprintf(buf + at, n - at, "%s%d", i ? "," : "", t->dims[i]);
    if (at < n) snprintf(buf + at, n - at, "]");
    return buf;
}

mote_status call_prepare(mote_context *ctx, const mote_node *node, int32_t index, int32_t count,
                         mote_tensor *const *args, int *is_static) {
    *is_static = 0;
    if (index < 0 || index >= ctx->subgraph_count)
        return mote_node_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "subgraph %d does not exist", index);
    subgraph *sg = &ctx->subgraphs[index];
    const model_subgraph *d = sg->def;
    if (count != d->input_count)
        return mote_node_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "subgraph %d takes %d inputs, %d are passed",
                              index, d->input_count, count);
    if (sg->running)
        return mote_node_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "subgraph %d calls itself", index);
    for (int32_t i = 0; i < count; i++) {
        const mote_tensor *in = &sg->tensors[d->inputs[i]], *a = args[i];
        if (in->storage == STORAGE_CONSTANT)
            return mote_node_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                                  "input %d of subgraph %d (tensor %d '%s') is a constant", i, index, in->index,
                                  in->def->name);
        if (in->type != a->type)
            return mote_node_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                                  "passes %s (tensor %d '%s') to input %d of subgraph %d (tensor %d '%s'), which "
                                  "is %s",
                                  mote_type_name(a->type), a->index, a->def->name, i, index, in->index,
                                  in->def->name, mote_type_name(in->type));
    }
    if (sg->dynamic) {
        sg->prepared = 1; /* its nodes are prepared while it runs */
        return MOTE_OK;
    }
    if (ctx->invoking) /* cannot happen: callers prepared while running call dynamic subgraphs */
        return mote_node_fail(ctx, node, MOTE_ERROR_BAD_STATE, "subgraph %d was not prepared", index);
    int dynamic_args = 0, same = 1;
    for (int32_t i = 0; i < count; i++) {
        dynamic_args |= args[i]->is_dynamic;
        same &= same_shape(&sg->tensors[d->inputs[i]], args[i]);
    }
    if (dynamic_args || (sg->prepared && !same)) {
        dynamic_mark_subgraph(ctx, index);
        sg->prepared = 1;
        return MOTE_OK;
    }
    if (!sg->prepared) {
        for (int32_t i = 0; i < count; i++) {
            mote_tensor *in = &sg->tensors[d->inputs[i]];
            in->rank = args[i]->rank;
            memcpy(in->dims, args[i]->dims, sizeof in->dims);
            mote_status st = tensor_update_bytes(ctx, in);
            if (st) return st;
        }
        mote_status st = interpreter_prepare_subgraph(ctx, index);
        if (st) return st;
    }
    if (sg->dynamic) return MOTE_OK;
    for (int32_t i = 0; i < d->output_count; i++)
        if (sg->tensors[d->outputs[i]].is_dynamic) return MOTE_OK;
    *is_static = 1;
    return MOTE_OK;
}

mote_status call_copy(mote_context *ctx, const mote_node *node, mote_tensor *dst, const mote_tensor *src) {
    if (dst == src) return MOTE_OK;
    if (dst->type != src->type)
        return mote_node_fail(ctx, node, MOTE_ERROR_RUNTIME,
                              "cannot copy %s tensor %d ('%s') of subgraph %d into %s tensor %d ('%s') of "
                              "subgraph %d",
                              mote_type_name(src->type), src->index, src->def->name, src->subgraph,
                              mote_type_name(dst->type), dst->index, dst->def->name, dst->subgraph);
    if (dst->storage == STORAGE_CONSTANT || dst->storage == STORAGE_PREPARED)
        return mote_node_fail(ctx, node, MOTE_ERROR_RUNTIME, "tensor %d ('%s') of subgraph %d is read-only",
                              dst->index, dst->def->name, dst->subgraph);
    if (dst->storage == STORAGE_DYNAMIC) {
        dst->rank = src->rank;
        memcpy(dst->dims, src->dims, sizeof dst->dims);
        mote_status st = dynamic_reserve(ctx, node, dst, src->bytes);
        if (st) return st;
    } else if (!same_shape(dst, src) || dst->bytes != src->bytes) {
        char a[96], b[96];
        return mote_node_fail(ctx, node, MOTE_ERROR_RUNTIME,
                              "tensor %d ('%s') of subgraph %d has shape %s, the value from tensor %d ('%s') of "
                              "subgraph %d has shape %s",
                              dst->index, dst->def->name, dst->subgraph, shape_text(dst, a, sizeof a), src->index,
                              src->def->name, src->subgraph, shape_text(src, b, sizeof b));
    }
    if (src->bytes == 0) return MOTE_OK;
    if (!src->data || !dst->data)
        return mote_node_fail(ctx, node, MOTE_ERROR_RUNTIME, "tensor %d ('%s') of subgraph %d has no data",
                              src->data ? dst->index : src->index, src->data ? dst->def->name : src->def->name,
                              src->data ? dst->subgraph : src->subgraph);
    memmove(dst->data, src->data, src->bytes);
    return MOTE_OK;
}
