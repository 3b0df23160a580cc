/* resources.c — the interpreter's table of resource variables (see resources.h). */
#include "core/resources.h"

#include <string.h>

mote_status resource_find_or_add(mote_context *ctx, const mote_node *node, const char *container,
                                 const char *shared_name, int32_t *id) {
    if (!container) container = "";
    if (!shared_name) shared_name = "";
    for (int32_t i = 0; i < ctx->var_count; i++)
        if (strcmp(ctx->vars[i].container, container) == 0 && strcmp(ctx->vars[i].shared_name, shared_name) == 0) {
            *id = i;
            return MOTE_OK;
        }
    if (ctx->var_count == ctx->var_capacity) {
        int32_t cap = ctx->var_capacity ? ctx->var_capacity * 2 : 4;
        resource_var *vars = mote_realloc(&ctx->alloc, ctx->vars, (size_t)ctx->var_capacity * sizeof *vars,
                                          (size_t)cap * sizeof *vars);
        if (!vars) return mote_node_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
        ctx->vars = vars;
        ctx->var_capacity = cap;
    }
    resource_var *v = &ctx->vars[ctx->var_count];
    memset(v, 0, sizeof *v);
    v->container = container;
    v->shared_name = shared_name;
    *id = ctx->var_count++;
    return MOTE_OK;
}

resource_var *resource_get(mote_context *ctx, int64_t id) {
    return id >= 0 && id < ctx->var_count ? &ctx->vars[id] : NULL;
}

static mote_status reserve(mote_context *ctx, const mote_node *node, resource_var *v, size_t bytes) {
    if (bytes <= v->capacity && v->data) return MOTE_OK;
    size_t cap;
    if (mote_align_size(bytes < MOTE_ALIGN ? MOTE_ALIGN : bytes, &cap))
        return mote_node_fail(ctx, node, MOTE_ERROR_LIMIT, "variable '%s': %zu bytes is too large", v->shared_name,
                              bytes);
    uint8_t *p = mote_alloc(&ctx->alloc, cap);
    if (!p)
        return mote_node_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "cannot allocate %zu bytes for variable '%s'",
                              cap, v->shared_name);
    if (v->assigned && v->bytes) memcpy(p, v->data, v->bytes); /* keep the current value */
    mote_free(&ctx->alloc, v->data, v->capacity);
    v->data = p;
    v->capacity = cap;
    return MOTE_OK;
}

mote_status resource_declare(mote_context *ctx, const mote_node *node, resource_var *v, const mote_tensor *value) {
    if (!v->declared) {
        v->declared = 1;
        v->declared_type = value->type;
        v->declared_rank = value->rank;
        memcpy(v->declared_dims, value->dims, sizeof v->declared_dims);
    } else if (v->declared_type != value->type || v->declared_rank != value->rank ||
               memcmp(v->declared_dims, value->dims, (size_t)value->rank * sizeof value->dims[0]) != 0) {
        v->varies = 1;
    }
    return reserve(ctx, node, v, value->bytes);
}

mote_status resource_assign(mote_context *ctx, const mote_node *node, resource_var *v, const mote_tensor *value) {
    mote_status st = reserve(ctx, node, v, value->bytes);
    if (st) return st;
    if (value->bytes) {
        if (!value->data)
            return mote_node_fail(ctx, node, MOTE_ERROR_RUNTIME, "the value for variable '%s' has no data",
                                  v->shared_name);
        memcpy(v->data, value->data, value->bytes);
    }
    v->type = value->type;
    v->rank = value->rank;
    memcpy(v->dims, value->dims, sizeof v->dims);
    v->bytes = value->bytes;
    v->assigned = 1;
    return MOTE_OK;
}

void resources_begin_prepare(mote_context *ctx) {
    for (int32_t i = 0; i < ctx->var_count; i++) ctx->vars[i].declared = ctx->vars[i].varies = 0;
}

void resources_reset(mote_context *ctx) {
    for (int32_t i = 0; i < ctx->var_count; i++) ctx->vars[i].assigned = 0;
}

void resources_free(mote_context *ctx) {
    for (int32_t i = 0; i < ctx->var_count; i++) mote_free(&ctx->alloc, ctx->vars[i].data, ctx->vars[i].capacity);
    mote_free(&ctx->alloc, ctx->vars, (size_t)ctx->var_capacity * sizeof *ctx->vars);
    ctx->vars = NULL;
    ctx->var_count = ctx->var_capacity = 0;
}
