/* allocate.c — allocate_tensors: prepare every node (shapes, buffer requests, values known
 * at prepare), plan one arena, place every tensor, pack weights, and evaluate constant nodes
 * once. Tensors whose shapes are only known while running stay off the arena (dynamic.h).
 *
 * Arena layout (one block, MOTE_ALIGN-aligned offsets):
 *   [persistent: variables, folded constants, persistent requests]
 *   [subgraph 0 activations and scratch, planned by lifetime]
 *   [subgraph 1 ...]
 * Subgraphs get separate regions because a control-flow node keeps its own subgraph's
 * tensors alive while another subgraph runs.
 */
#include <limits.h>
#include <string.h>

#include "core/dynamic.h"
#include "core/interpreter.h"
#include "core/planner.h"
#include "core/prepared.h"
#include "core/profile.h"
#include "core/resources.h"
#include "format/builtin_ops.h"

static mote_status add_request(mote_context *ctx, buffer_list *list, mote_node *node, size_t size,
                               int32_t *index) {
    if (list->count == list->capacity) {
        int32_t cap = list->capacity ? list->capacity * 2 : 16;
        buffer_request *items = mote_realloc(&ctx->alloc, list->items,
                                             (size_t)list->capacity * sizeof *items,
                                             (size_t)cap * sizeof *items);
        if (!items) return mote_node_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
        list->items = items;
        list->capacity = cap;
    }
    buffer_request *r = &list->items[list->count++];
    r->size = size;
    r->offset = 0;
    r->is_state = 0;
    r->subgraph = node->subgraph;
    r->node = node->index;
    *index = list->count - 1;
    return MOTE_OK;
}

mote_status mote_node_request_scratch(mote_context *ctx, mote_node *node, size_t size, int32_t *index) {
    if (!ctx || !node || !index) return MOTE_ERROR_INVALID_ARGUMENT;
    if (node->reprepare) return dynamic_request_scratch(ctx, node, size, index); /* at invoke */
    int32_t global = 0;
    mote_status st = add_request(ctx, &ctx->scratch, node, size, &global);
    if (st) return st;
    if (node->scratch_count == 0) node->scratch_first = global;
    *index = global - node->scratch_first;
    node->scratch_count++;
    return MOTE_OK;
}

mote_status mote_node_request_persistent(mote_context *ctx, mote_node *node, size_t size,
                                         int32_t *index) {
    if (!ctx || !node || !index) return MOTE_ERROR_INVALID_ARGUMENT;
    if (node->reprepare)
        return mote_node_fail(ctx, node, MOTE_ERROR_UNSUPPORTED,
                              "its shapes are only known while running, and it needs persistent memory");
    int32_t global = 0;
    mote_status st = add_request(ctx, &ctx->persistent, node, size, &global);
    if (st) return st;
    if (node->persistent_count == 0) node->persistent_first = global;
    *index = global - node->persistent_first;
    node->persistent_count++;
    return MOTE_OK;
}

mote_status node_request_state(mote_context *ctx, mote_node *node, size_t size, int32_t *index) {
    mote_status st = mote_node_request_persistent(ctx, node, size, index);
    if (st == MOTE_OK) ctx->persistent.items[node->persistent_first + *index].is_state = 1;
    return st;
}

mote_status mote_node_scratch(mote_context *ctx, const mote_node *node, int32_t index, void **data) {
    if (ctx && node && data && node->reprepare) {
        *data = dynamic_scratch(node, index);
        return *data ? MOTE_OK : MOTE_ERROR_INVALID_ARGUMENT;
    }
    if (!ctx || !node || !data || index < 0 || index >= node->scratch_count || !ctx->arena)
        return MOTE_ERROR_INVALID_ARGUMENT;
    *data = ctx->arena + ctx->scratch.items[node->scratch_first + index].offset;
    return MOTE_OK;
}

mote_status mote_node_persistent(mote_context *ctx, const mote_node *node, int32_t index, void **data) {
    if (!ctx || !node || !data || index < 0 || index >= node->persistent_count || !ctx->arena)
        return MOTE_ERROR_INVALID_ARGUMENT;
    *data = ctx->arena + ctx->persistent.items[node->persistent_first + index].offset;
    return MOTE_OK;
}

/* Ops whose output, when every input is a constant, is itself a constant: evaluated once at
 * allocate time (float16 and sparse weights expanded once, as TensorFlow Lite does). */
static int foldable(const mote_node *n) {
    int32_t code = n->def->builtin_code;
    return code == MOTE_OP_DEQUANTIZE || code == MOTE_OP_DENSIFY;
}

static int all_inputs_constant(mote_context *ctx, const mote_node *n) {
    int any = 0;
    for (int32_t i = 0; i < n->input_count; i++) {
        if (n->inputs[i] < 0) continue;
        const mote_tensor *t = &ctx->subgraphs[n->subgraph].tensors[n->inputs[i]];
        if (t->storage != STORAGE_CONSTANT && !t->is_folded) return 0;
        any = 1;
    }
    return any;
}

static int has_dynamic_input(mote_context *ctx, const mote_node *n) {
    for (int32_t i = 0; i < n->input_count; i++)
        if (n->inputs[i] >= 0 && ctx->subgraphs[n->subgraph].tensors[n->inputs[i]].is_dynamic) return 1;
    return 0;
}

/* Prepares one node at allocate: deferred when an input is dynamic or its prepare needs
 * values only known while running; evaluated now when its inputs are known (prepared.h). */
static mote_status prepare_node(mote_context *ctx, subgraph *sg, mote_node *n) {
    n->scratch_count = n->persistent_count = 0;
    n->is_folded = 0;
    n->fused_into = n->extra_input = -1;
    for (int32_t o = 0; o < n->output_count; o++) sg->tensors[n->outputs[o]].is_folded = 0;
    if (has_dynamic_input(ctx, n)) {
        dynamic_defer_node(ctx, n);
        return MOTE_OK;
    }
    if (n->op->prepare) {
        const mote_node *saved = ctx->current;
        uint8_t saved_in_prepare = ctx->in_prepare;
        ctx->current = n;
        ctx->in_prepare = 1;
        mote_status st = n->op->prepare(ctx, n);
        ctx->current = saved;
        ctx->in_prepare = saved_in_prepare;
        if (st == STATUS_DEFERRED) {
            dynamic_defer_node(ctx, n);
            return MOTE_OK;
        }
        if (st) {
            if (!ctx->error[0]) mote_node_fail(ctx, n, st, "prepare failed");
            return st;
        }
    }
    if (foldable(n) && all_inputs_constant(ctx, n)) {
        n->is_folded = 1;
        for (int32_t o = 0; o < n->output_count; o++) sg->tensors[n->outputs[o]].is_folded = 1;
        return MOTE_OK;
    }
    return prepared_try(ctx, n);
}

mote_status interpreter_prepare_subgraph(mote_context *ctx, int32_t index) {
    if (index < 0 || index >= ctx->subgraph_count)
        return ctx_fail(ctx, MOTE_ERROR_INVALID_MODEL, "subgraph %d does not exist", index);
    subgraph *sg = &ctx->subgraphs[index];
    if (sg->running)
        return ctx_fail(ctx, MOTE_ERROR_INVALID_MODEL, "subgraph %d calls itself", index);
    sg->prepared = 1;
    if (sg->dynamic) return MOTE_OK; /* its nodes are prepared while it runs */
    if ((uint64_t)ctx->prepare_depth >= ctx_nesting_limit(ctx))
        return ctx_fail(ctx, MOTE_ERROR_LIMIT, "subgraph %d: calls nest deeper than %llu", index,
                        (unsigned long long)ctx_nesting_limit(ctx));
    sg->running = 1;
    ctx->prepare_depth++;
    mote_status st = MOTE_OK;
    /* A subgraph that calls itself may become dynamic half-way: the rest then waits. */
    for (int32_t i = 0; i < sg->node_count && st == MOTE_OK && !sg->dynamic; i++)
        st = prepare_node(ctx, sg, &sg->nodes[i]);
    ctx->prepare_depth--;
    sg->running = 0;
    return st;
}

/* Storage for every tensor, decided after prepare. */
static void classify_tensors(mote_context *ctx) {
    for (int32_t s = 0; s < ctx->subgraph_count; s++) {
        subgraph *sg = &ctx->subgraphs[s];
        for (int32_t i = 0; i < sg->tensor_count; i++) {
            mote_tensor *t = &sg->tensors[i];
            if (t->storage == STORAGE_CONSTANT || t->storage == STORAGE_PREPARED) continue;
            if (t->is_dynamic || t->type == MOTE_STRING) {
                if (t->storage != STORAGE_DYNAMIC) {
                    t->storage = STORAGE_DYNAMIC;
                    t->data = NULL;
                    t->dynamic_capacity = 0;
                }
                continue;
            }
            if (t->storage == STORAGE_DYNAMIC) dynamic_release(ctx, t); /* static again */
            t->storage = (t->is_variable || t->is_folded) ? STORAGE_PERSISTENT : STORAGE_ARENA;
        }
        /* The outputs of an operator another one does the work of (a fused PAD, a fused 1x1
         * expansion) are never written, and their only reader reads around them: no bytes. */
        for (int32_t i = 0; i < sg->node_count; i++) {
            const mote_node *n = &sg->nodes[i];
            if (n->fused_into < 0 || sg->nodes[n->fused_into].reprepare) continue;
            for (int32_t o = 0; o < n->output_count; o++) {
                mote_tensor *t = n->outputs[o] >= 0 ? &sg->tensors[n->outputs[o]] : NULL;
                if (t && t->storage == STORAGE_ARENA) {
                    t->storage = STORAGE_NONE;
                    t->data = NULL;
                }
            }
        }
    }
}

/* Places persistent tensors and requests from offset 0; returns the bytes used. */
static mote_status plan_persistent(mote_context *ctx, size_t *bytes) {
    size_t at = 0, size = 0;
    for (int32_t s = 0; s < ctx->subgraph_count; s++) {
        subgraph *sg = &ctx->subgraphs[s];
        for (int32_t i = 0; i < sg->tensor_count; i++) {
            mote_tensor *t = &sg->tensors[i];
            if (t->storage != STORAGE_PERSISTENT) continue;
            t->offset = at;
            if (mote_align_size(t->bytes, &size) || mote_add_size(at, size, &at)) goto overflow;
        }
    }
    for (int32_t r = 0; r < ctx->persistent.count; r++) {
        buffer_request *q = &ctx->persistent.items[r];
        q->offset = at;
        if (mote_align_size(q->size, &size) || mote_add_size(at, size, &at)) goto overflow;
    }
    *bytes = at;
    return MOTE_OK;
overflow:
    return ctx_fail(ctx, MOTE_ERROR_LIMIT, "persistent memory size overflows");
}

/* Plans one subgraph's activations and scratch; offsets relative to its region. */
/* Whether tensor t is one of subgraph sg's inputs. */
static int is_subgraph_input(const subgraph *sg, int32_t t) {
    for (int32_t i = 0; i < sg->def->input_count; i++)
        if (sg->def->inputs[i] == t) return 1;
    return 0;
}

/* share[t]: the tensor whose buffer t uses (itself, or what a reshape's input uses). The
 * input of a reshape is never written after its producer ran, and the output only by the
 * reshape (a copy onto itself when shared), so both can be one buffer that lives as long as
 * either. A subgraph input is left alone: the caller may point it at its own memory. */
static void find_shared(const subgraph *sg, int32_t *share) {
    for (int32_t i = 0; i < sg->tensor_count; i++) share[i] = i;
    for (int32_t i = 0; i < sg->node_count; i++) {
        const mote_node *n = &sg->nodes[i];
        if (!n->output_shares_input || n->fused_into >= 0 || n->reprepare || n->input_count < 1 ||
            n->output_count < 1)
            continue;
        const int32_t in = n->inputs[0], out = n->outputs[0];
        if (in < 0 || out < 0 || in >= sg->tensor_count || out >= sg->tensor_count || in == out) continue;
        const mote_tensor *ti = &sg->tensors[in], *to = &sg->tensors[out];
        if (ti->storage != STORAGE_ARENA || to->storage != STORAGE_ARENA || ti->bytes != to->bytes ||
            share[out] != out || is_subgraph_input(sg, in))
            continue;
        share[out] = share[in];
    }
    /* A model may read a tensor before the node that writes it: follow every chain to its
     * end (each step joins two roots, so chains are finite). */
    for (int32_t i = 0; i < sg->tensor_count; i++) {
        int32_t r = i;
        for (int32_t steps = 0; share[r] != r && steps < sg->tensor_count; steps++) r = share[r];
        share[i] = r;
    }
}

static mote_status plan_subgraph(mote_context *ctx, subgraph *sg, size_t *bytes) {
    *bytes = 0;
    int32_t *share = mote_alloc_array(&ctx->alloc, sg->tensor_count ? (size_t)sg->tensor_count : 1, sizeof *share);
    if (!share) return ctx_fail(ctx, MOTE_ERROR_OUT_OF_MEMORY, "out of memory planning the arena");
    find_shared(sg, share);
    int32_t n = 0;
    for (int32_t i = 0; i < sg->tensor_count; i++) n += sg->tensors[i].storage == STORAGE_ARENA && share[i] == i;
    for (int32_t r = 0; r < ctx->scratch.count; r++) n += ctx->scratch.items[r].subgraph == sg->index;
    if (n == 0) {
        mote_free(&ctx->alloc, share, (size_t)(sg->tensor_count ? sg->tensor_count : 1) * sizeof *share);
        return MOTE_OK;
    }
    plan_buffer *b = mote_alloc_array(&ctx->alloc, (size_t)n, sizeof *b);
    int32_t *slot = mote_alloc_array(&ctx->alloc, (size_t)sg->tensor_count, sizeof *slot);
    if (!b || !slot) {
        mote_free(&ctx->alloc, b, (size_t)n * sizeof *b);
        mote_free(&ctx->alloc, slot, (size_t)sg->tensor_count * sizeof *slot);
        mote_free(&ctx->alloc, share, (size_t)(sg->tensor_count ? sg->tensor_count : 1) * sizeof *share);
        return ctx_fail(ctx, MOTE_ERROR_OUT_OF_MEMORY, "out of memory planning the arena");
    }
    int32_t k = 0;
    for (int32_t i = 0; i < sg->tensor_count; i++) {
        slot[i] = -1;
        if (sg->tensors[i].storage != STORAGE_ARENA || share[i] != i) continue;
        slot[i] = k;
        b[k].size = sg->tensors[i].bytes;
        b[k].first = INT32_MAX;
        b[k].last = -1;
        k++;
    }
    for (int32_t i = 0; i < sg->tensor_count; i++)
        if (share[i] != i) slot[i] = slot[share[i]]; /* a reshape's output: its input's buffer */
    mote_free(&ctx->alloc, share, (size_t)(sg->tensor_count ? sg->tensor_count : 1) * sizeof *share);
    const model_subgraph *d = sg->def;
    const int32_t end = sg->node_count; /* "after the last node" */
#define TOUCH(ti, at)                                              \
    do {                                                           \
        int32_t s_ = slot[(ti)];                                   \
        if (s_ >= 0) {                                             \
            if ((at) < b[s_].first) b[s_].first = (at);            \
            if ((at) > b[s_].last) b[s_].last = (at);              \
        }                                                          \
    } while (0)
    /* Inputs live through the whole run, as in TensorFlow Lite: callers set them once and
     * invoke repeatedly, or read them back after invoke. */
    for (int32_t i = 0; i < d->input_count; i++) {
        TOUCH(d->inputs[i], 0);
        TOUCH(d->inputs[i], end);
    }
    for (int32_t i = 0; i < sg->node_count; i++) {
        const mote_node *nd = &sg->nodes[i];
        for (int32_t j = 0; j < nd->input_count; j++)
            if (nd->inputs[j] >= 0) TOUCH(nd->inputs[j], i);
        for (int32_t j = 0; j < nd->output_count; j++) TOUCH(nd->outputs[j], i);
        for (int32_t j = 0; j < nd->def->intermediate_count; j++)
            if (nd->def->intermediates[j] >= 0) TOUCH(nd->def->intermediates[j], i);
        if (nd->extra_input >= 0 && nd->extra_input < sg->tensor_count) TOUCH(nd->extra_input, i);
    }
    for (int32_t i = 0; i < d->output_count; i++) TOUCH(d->outputs[i], end);
#undef TOUCH
    for (int32_t j = 0; j < k; j++)
        if (b[j].first == INT32_MAX) { /* used by no node: keep it for the whole run */
            b[j].first = 0;
            b[j].last = end;
        }
    for (int32_t r = 0; r < ctx->scratch.count; r++) {
        const buffer_request *q = &ctx->scratch.items[r];
        if (q->subgraph != sg->index) continue;
        b[k].size = q->size;
        b[k].first = b[k].last = q->node;
        k++;
    }
    mote_status st = plan_greedy(b, n, &ctx->alloc, bytes);
    if (st == MOTE_OK) {
        for (int32_t i = 0; i < sg->tensor_count; i++)
            if (slot[i] >= 0) sg->tensors[i].offset = b[slot[i]].offset;
        int32_t j = k - 1;
        for (int32_t r = ctx->scratch.count - 1; r >= 0; r--)
            if (ctx->scratch.items[r].subgraph == sg->index) ctx->scratch.items[r].offset = b[j--].offset;
    } else {
        ctx_fail(ctx, st, "cannot plan subgraph %d's arena", sg->index);
    }
    mote_free(&ctx->alloc, b, (size_t)n * sizeof *b);
    mote_free(&ctx->alloc, slot, (size_t)sg->tensor_count * sizeof *slot);
    return st;
}

static mote_status ensure_arena(mote_context *ctx, size_t total) {
    uint64_t limit = ctx->limits[MOTE_LIMIT_ARENA_BYTES];
    if (limit && total > limit)
        return ctx_fail(ctx, MOTE_ERROR_LIMIT, "the arena needs %zu bytes, above the limit of %llu", total,
                        (unsigned long long)limit);
    if (total == 0) total = MOTE_ALIGN; /* so every tensor gets a non-NULL pointer */
    if (ctx->arena && !ctx->arena_owned) {
        /* Caller-owned: align its start, then it must fit. */
        size_t skip = (MOTE_ALIGN - (uintptr_t)ctx->arena % MOTE_ALIGN) % MOTE_ALIGN;
        if (ctx->arena_capacity < skip || ctx->arena_capacity - skip < total)
            return ctx_fail(ctx, MOTE_ERROR_LIMIT, "the caller's arena has %zu bytes, %zu are needed",
                            ctx->arena_capacity, total + skip);
        return MOTE_OK;
    }
    if (ctx->arena && ctx->arena_capacity >= total) return MOTE_OK;
    if (ctx->arena) mote_free(&ctx->alloc, ctx->arena, ctx->arena_capacity);
    ctx->arena = NULL;
    ctx->arena_capacity = 0;
    ctx->arena_owned = 0;
    uint8_t *p = mote_alloc(&ctx->alloc, total);
    if (!p) return ctx_fail(ctx, MOTE_ERROR_OUT_OF_MEMORY, "cannot allocate a %zu-byte arena", total);
    ctx->arena = p;
    ctx->arena_capacity = total;
    ctx->arena_owned = 1;
    return MOTE_OK;
}

/* The arena start every offset is relative to (aligned, also for a caller's arena). */
static uint8_t *arena_base(const mote_context *ctx) {
    size_t skip = (MOTE_ALIGN - (uintptr_t)ctx->arena % MOTE_ALIGN) % MOTE_ALIGN;
    return ctx->arena + skip;
}

static void place_tensors(mote_context *ctx) {
    uint8_t *base = arena_base(ctx);
    for (int32_t s = 0; s < ctx->subgraph_count; s++) {
        subgraph *sg = &ctx->subgraphs[s];
        for (int32_t i = 0; i < sg->tensor_count; i++) {
            mote_tensor *t = &sg->tensors[i];
            if (t->storage == STORAGE_PERSISTENT)
                t->data = base + t->offset;
            else if (t->storage == STORAGE_ARENA)
                t->data = base + sg->arena_offset + t->offset;
        }
    }
}

void interpreter_reset_variables(mote_context *ctx) {
    for (int32_t s = 0; s < ctx->subgraph_count; s++) {
        subgraph *sg = &ctx->subgraphs[s];
        for (int32_t i = 0; i < sg->tensor_count; i++) {
            mote_tensor *t = &sg->tensors[i];
            if (!t->is_variable || t->storage != STORAGE_PERSISTENT || !t->data) continue;
            /* Quantized state starts at its zero point (the real value 0). */
            if (t->type == MOTE_INT8)
                memset(t->data, (int8_t)t->zero_point, t->bytes);
            else if (t->type == MOTE_UINT8)
                memset(t->data, (uint8_t)t->zero_point, t->bytes);
            else if (t->type == MOTE_INT16 && t->zero_point) {
                int16_t *p = (int16_t *)(void *)t->data;
                for (size_t k = 0; k < t->bytes / 2; k++) p[k] = (int16_t)t->zero_point;
            } else
                memset(t->data, 0, t->bytes);
        }
    }
    /* Operator state kept in persistent buffers (e.g. a running noise estimate). */
    for (int32_t r = 0; r < ctx->persistent.count; r++) {
        const buffer_request *q = &ctx->persistent.items[r];
        if (q->is_state && ctx->arena) memset(ctx->arena + q->offset, 0, q->size);
    }
}

static mote_status run_pack_and_fold(mote_context *ctx) {
    for (int32_t s = 0; s < ctx->subgraph_count; s++) {
        subgraph *sg = &ctx->subgraphs[s];
        for (int32_t i = 0; i < sg->node_count; i++) {
            mote_node *n = &sg->nodes[i];
            mote_status st = MOTE_OK;
            if (n->reprepare) continue; /* not prepared yet: runs entirely while invoking */
            ctx->current = n;
            if (n->op->pack) st = n->op->pack(ctx, n);
            if (st == MOTE_OK && n->is_folded) st = n->op->eval(ctx, n);
            ctx->current = NULL;
            if (st) {
                if (!ctx->error[0]) mote_node_fail(ctx, n, st, "failed while packing constants");
                return st;
            }
        }
    }
    return MOTE_OK;
}

/* Forgets the last plan's decisions: planned tensors have no data until placed again
 * (prepare may change their shapes, and if this allocate fails no pointer may stay sized
 * for the old plan); prepared values, deferrals and dynamic subgraphs are decided anew.
 * Dynamic tensors keep their heap memory until classify_tensors finds them static. */
static void begin_pass(mote_context *ctx) {
    prepared_free(ctx);
    resources_begin_prepare(ctx);
    ctx->scratch.count = ctx->persistent.count = 0;
    for (int32_t s = 0; s < ctx->subgraph_count; s++) {
        subgraph *sg = &ctx->subgraphs[s];
        sg->prepared = sg->dynamic = 0;
        for (int32_t i = 0; i < sg->node_count; i++) {
            sg->nodes[i].reprepare = 0;
            sg->nodes[i].fused_into = sg->nodes[i].extra_input = -1;
            sg->nodes[i].output_shares_input = 0;
        }
        for (int32_t i = 0; i < sg->tensor_count; i++) {
            mote_tensor *t = &sg->tensors[i];
            if (t->storage == STORAGE_CONSTANT) continue;
            t->is_dynamic = 0;
            if (t->storage == STORAGE_ARENA || t->storage == STORAGE_PERSISTENT) t->data = NULL;
        }
    }
}

mote_status mote_interpreter_allocate_tensors(mote_interpreter *it) {
    if (!it) return MOTE_ERROR_INVALID_ARGUMENT;
    mote_context *ctx = &it->ctx;
    if (ctx->state == STATE_FAILED)
        return MOTE_ERROR_BAD_STATE; /* keep the creation error message */
    ctx->error[0] = 0;
    ctx->state = STATE_CREATED;
    begin_pass(ctx);
    mote_status st;
    /* Entry points first (subgraph 0 and the signatures' subgraphs): they prepare what they
     * call with the shapes they pass. Then any subgraph nothing reached, as declared. */
    const mote_model *m = ctx->model;
    for (int32_t k = -1; k < m->signature_count; k++) {
        int32_t s = k < 0 ? 0 : m->signatures[k].subgraph;
        if (s < ctx->subgraph_count && !ctx->subgraphs[s].prepared && (st = interpreter_prepare_subgraph(ctx, s)))
            return st;
    }
    for (int32_t s = 0; s < ctx->subgraph_count; s++)
        if (!ctx->subgraphs[s].prepared && (st = interpreter_prepare_subgraph(ctx, s))) return st;
    classify_tensors(ctx);
    size_t persistent = 0, total = 0;
    if ((st = plan_persistent(ctx, &persistent))) return st;
    total = persistent;
    for (int32_t s = 0; s < ctx->subgraph_count; s++) {
        subgraph *sg = &ctx->subgraphs[s];
        if ((st = plan_subgraph(ctx, sg, &sg->arena_bytes))) return st;
        sg->arena_offset = total;
        if (mote_add_size(total, sg->arena_bytes, &total))
            return ctx_fail(ctx, MOTE_ERROR_LIMIT, "the arena size overflows");
    }
    if ((st = ensure_arena(ctx, total))) return st;
    ctx->persistent_bytes = persistent;
    ctx->activation_bytes = total - persistent;
    /* Persistent request offsets become absolute; scratch ones gain their region. */
    uint8_t *base = arena_base(ctx);
    size_t shift = (size_t)(base - ctx->arena);
    for (int32_t r = 0; r < ctx->persistent.count; r++) ctx->persistent.items[r].offset += shift;
    for (int32_t r = 0; r < ctx->scratch.count; r++) {
        buffer_request *q = &ctx->scratch.items[r];
        q->offset += shift + ctx->subgraphs[q->subgraph].arena_offset;
    }
    place_tensors(ctx);
    interpreter_reset_variables(ctx);
    if ((st = run_pack_and_fold(ctx)) || (st = profile_allocate(ctx))) return st;
    ctx->state = STATE_ALLOCATED;
    return MOTE_OK;
}

mote_status mote_interpreter_arena_bytes(const mote_interpreter *it, size_t *activation_bytes,
                                         size_t *persistent_bytes) {
    if (!it) return MOTE_ERROR_INVALID_ARGUMENT;
    if (it->ctx.state != STATE_ALLOCATED) return MOTE_ERROR_BAD_STATE;
    if (activation_bytes) *activation_bytes = it->ctx.activation_bytes;
    if (persistent_bytes) *persistent_bytes = it->ctx.persistent_bytes;
    return MOTE_OK;
}
