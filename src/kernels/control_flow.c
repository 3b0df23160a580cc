/* control_flow.c — WHILE, IF and CALL_ONCE: operators that run other subgraphs.
 *
 * Values move by copy between the caller's tensors and the callee's inputs and outputs
 * (core/call.h). A WHILE keeps its loop values in its own outputs: each iteration copies
 * them into the cond subgraph's inputs, runs cond, copies them into the body's inputs,
 * runs the body and copies its outputs back. When the body returns the shapes it was given
 * (the usual case) everything is planned at allocate and nothing allocates while running;
 * otherwise cond and body become dynamic subgraphs and the WHILE's outputs dynamic tensors.
 * Every iteration checks for cancellation and MOTE_LIMIT_WHILE_ITERATIONS. */
#include "core/call.h"
#include "kernels/kernel.h"

/* WhileOptions and IfOptions: two subgraph indices. CallOnceOptions: one. */
#define OPT_FIRST_SUBGRAPH 0
#define OPT_SECOND_SUBGRAPH 1

typedef struct flow_data {
    int32_t first, second;  /* WHILE: cond, body; IF: then, else; CALL_ONCE: init */
    int32_t arg_count;      /* values passed to the called subgraphs */
    mote_tensor **args;     /* [arg_count], set in prepare (follows this struct) */
} flow_data;

static mote_status flow_init(mote_context *ctx, mote_node *node, int options_type, int32_t calls) {
    int32_t args = node->input_count > 0 ? node->input_count : 1;
    flow_data *d = kernel_alloc_data(ctx, node, sizeof *d + (size_t)args * sizeof(mote_tensor *));
    if (!d) return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    d->args = (mote_tensor **)(void *)(d + 1);
    fb_table opt = kernel_options(ctx, node, options_type);
    if (!opt)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "its options (the subgraphs it runs) are missing");
    d->first = KOPT_I32(ctx, opt, OPT_FIRST_SUBGRAPH, -1);
    d->second = KOPT_I32(ctx, opt, OPT_SECOND_SUBGRAPH, -1);
    const int32_t list[2] = {d->first, d->second};
    return call_declare(ctx, node, calls, list);
}

/* Collects inputs [from, input_count) as the arguments of the call. */
static mote_status collect_args(mote_context *ctx, mote_node *node, flow_data *d, int32_t from) {
    d->arg_count = node->input_count - from;
    for (int32_t i = 0; i < d->arg_count; i++) {
        mote_status st = kernel_require_input(ctx, node, from + i, &d->args[i]);
        if (st) return st;
    }
    return MOTE_OK;
}

static int same_shape(const mote_tensor *a, const mote_tensor *b) {
    return a->rank == b->rank && memcmp(a->dims, b->dims, (size_t)a->rank * sizeof a->dims[0]) == 0;
}

/* Output i takes the type and shape of `from`; dynamic unless fixed. */
static mote_status set_output(mote_context *ctx, mote_node *node, int32_t i, const mote_tensor *from, int fixed) {
    mote_tensor *out = kernel_output(ctx, node, i);
    mote_status st = kernel_check_type(ctx, node, out, "output", i, from->type);
    if (st || (st = kernel_copy_shape(ctx, node, out, from))) return st;
    if (!fixed) kernel_mark_dynamic(out);
    return MOTE_OK;
}

/* The boolean that steers a WHILE or an IF. */
static mote_status read_condition(mote_context *ctx, const mote_node *node, const mote_tensor *t, const char *what,
                                  int *value) {
    if (t->type != MOTE_BOOL || kernel_count(t) != 1 || !t->data)
        return kernel_fail(ctx, node, MOTE_ERROR_RUNTIME, "%s (tensor %d '%s' of subgraph %d) must be one bool, not %s "
                           "with %zu elements",
                           what, t->index, t->def->name, t->subgraph, mote_type_name(t->type), kernel_count(t));
    *value = t->data[0] != 0;
    return MOTE_OK;
}

/* ---- WHILE ---- */

static mote_status while_init(mote_context *ctx, mote_node *node) {
    return flow_init(ctx, node, TFL_OPTIONS_WHILE, 2);
}

static mote_status while_prepare(mote_context *ctx, mote_node *node) {
    flow_data *d = node->data;
    mote_status st;
    if ((st = collect_args(ctx, node, d, 0))) return st;
    int32_t n = d->arg_count;
    if (node->output_count != n)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "has %d inputs but %d outputs", n, node->output_count);
    if (call_output_count(ctx, d->first) != 1)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "cond subgraph %d has %d outputs, expected 1", d->first,
                           call_output_count(ctx, d->first));
    if (call_output_count(ctx, d->second) != n)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "body subgraph %d has %d outputs, expected %d",
                           d->second, call_output_count(ctx, d->second), n);
    int cond_static, body_static;
    if ((st = call_prepare(ctx, node, d->first, n, d->args, &cond_static)) ||
        (st = call_prepare(ctx, node, d->second, n, d->args, &body_static)))
        return st;
    if (call_output(ctx, d->first, 0)->type != MOTE_BOOL)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "cond subgraph %d returns %s, expected bool", d->first,
                           mote_type_name(call_output(ctx, d->first, 0)->type));
    int fixed = cond_static && body_static;
    for (int32_t i = 0; i < n; i++) {
        const mote_tensor *out = call_output(ctx, d->second, i);
        if (out->type != d->args[i]->type)
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                               "body subgraph %d returns %s for loop value %d, which is %s", d->second,
                               mote_type_name(out->type), i, mote_type_name(d->args[i]->type));
        if (fixed && !same_shape(out, d->args[i])) fixed = 0;
    }
    if (!fixed && !node->reprepare) {
        /* The loop values change shape: cond and body prepare again at each iteration. */
        dynamic_mark_subgraph(ctx, d->first);
        dynamic_mark_subgraph(ctx, d->second);
    }
    for (int32_t i = 0; i < n; i++)
        if ((st = set_output(ctx, node, i, d->args[i], fixed))) return st;
    return MOTE_OK;
}

static mote_status while_eval(mote_context *ctx, mote_node *node) {
    flow_data *d = node->data;
    int32_t n = d->arg_count;
    mote_status st;
    /* The loop values live in this node's outputs. */
    for (int32_t i = 0; i < n; i++)
        if ((st = call_copy(ctx, node, kernel_output(ctx, node, i), d->args[i]))) return st;
    uint64_t limit = ctx->limits[MOTE_LIMIT_WHILE_ITERATIONS];
    for (uint64_t iteration = 0;; iteration++) {
        if (atomic_load_explicit(&ctx->cancel, memory_order_relaxed))
            return kernel_fail(ctx, node, MOTE_ERROR_CANCELLED, "cancelled after %llu iterations",
                               (unsigned long long)iteration);
        for (int32_t i = 0; i < n; i++)
            if ((st = call_copy(ctx, node, call_input(ctx, d->first, i), kernel_output(ctx, node, i)))) return st;
        if ((st = interpreter_run_subgraph(ctx, d->first))) return st;
        int go = 0;
        if ((st = read_condition(ctx, node, call_output(ctx, d->first, 0), "the cond subgraph's output", &go)))
            return st;
        if (!go) return MOTE_OK;
        if (limit && iteration >= limit)
            return kernel_fail(ctx, node, MOTE_ERROR_LIMIT,
                               "the loop ran more than %llu iterations, the limit set for WHILE loops",
                               (unsigned long long)limit);
        for (int32_t i = 0; i < n; i++)
            if ((st = call_copy(ctx, node, call_input(ctx, d->second, i), kernel_output(ctx, node, i)))) return st;
        if ((st = interpreter_run_subgraph(ctx, d->second))) return st;
        for (int32_t i = 0; i < n; i++)
            if ((st = call_copy(ctx, node, kernel_output(ctx, node, i), call_output(ctx, d->second, i)))) return st;
    }
}

/* ---- IF ---- */

static mote_status if_init(mote_context *ctx, mote_node *node) { return flow_init(ctx, node, TFL_OPTIONS_IF, 2); }

static mote_status if_prepare(mote_context *ctx, mote_node *node) {
    flow_data *d = node->data;
    mote_tensor *cond;
    mote_status st;
    if ((st = kernel_check_counts(ctx, node, 1, INT32_MAX, -1)) || (st = kernel_require_input(ctx, node, 0, &cond)) ||
        (st = kernel_check_type(ctx, node, cond, "input", 0, MOTE_BOOL)) || (st = collect_args(ctx, node, d, 1)))
        return st;
    if (!cond->is_dynamic && kernel_count(cond) != 1)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "the condition has %zu elements, expected 1",
                           kernel_count(cond));
    int32_t branches[2] = {d->first, d->second};
    int fixed = 1;
    for (int b = 0; b < 2; b++) {
        if (call_output_count(ctx, branches[b]) != node->output_count)
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "has %d outputs, subgraph %d returns %d",
                               node->output_count, branches[b], call_output_count(ctx, branches[b]));
        int is_static;
        if ((st = call_prepare(ctx, node, branches[b], d->arg_count, d->args, &is_static))) return st;
        fixed &= is_static;
    }
    for (int32_t i = 0; i < node->output_count; i++) {
        const mote_tensor *a = call_output(ctx, d->first, i), *b = call_output(ctx, d->second, i);
        if (a->type != b->type)
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "output %d is %s in subgraph %d, %s in subgraph %d",
                               i, mote_type_name(a->type), d->first, mote_type_name(b->type), d->second);
        if (!same_shape(a, b)) fixed = 0;
    }
    for (int32_t i = 0; i < node->output_count; i++)
        if ((st = set_output(ctx, node, i, call_output(ctx, d->first, i), fixed))) return st;
    return MOTE_OK;
}

static mote_status if_eval(mote_context *ctx, mote_node *node) {
    flow_data *d = node->data;
    int go = 0;
    mote_status st = read_condition(ctx, node, kernel_input(ctx, node, 0), "the condition", &go);
    if (st) return st;
    int32_t branch = go ? d->first : d->second;
    for (int32_t i = 0; i < d->arg_count; i++)
        if ((st = call_copy(ctx, node, call_input(ctx, branch, i), d->args[i]))) return st;
    if ((st = interpreter_run_subgraph(ctx, branch))) return st;
    for (int32_t i = 0; i < node->output_count; i++)
        if ((st = call_copy(ctx, node, kernel_output(ctx, node, i), call_output(ctx, branch, i)))) return st;
    return MOTE_OK;
}

/* ---- CALL_ONCE ---- */

static mote_status call_once_init(mote_context *ctx, mote_node *node) {
    return flow_init(ctx, node, TFL_OPTIONS_CALL_ONCE, 1);
}

static mote_status call_once_prepare(mote_context *ctx, mote_node *node) {
    flow_data *d = node->data;
    mote_status st = kernel_check_counts(ctx, node, 0, 0, 0);
    if (st) return st;
    d->arg_count = 0;
    int is_static;
    return call_prepare(ctx, node, d->first, 0, d->args, &is_static);
}

/* Runs the init subgraph once per interpreter (again after reset_variables). */
static mote_status call_once_eval(mote_context *ctx, mote_node *node) {
    const flow_data *d = node->data;
    subgraph *sg = &ctx->subgraphs[d->first];
    if (sg->init_done) return MOTE_OK;
    mote_status st = interpreter_run_subgraph(ctx, d->first);
    if (st == MOTE_OK) sg->init_done = 1;
    return st;
}

const mote_op mote_op_while = {NULL, MOTE_OP_WHILE, while_init, while_prepare, NULL, while_eval, NULL};
const mote_op mote_op_if = {NULL, MOTE_OP_IF, if_init, if_prepare, NULL, if_eval, NULL};
const mote_op mote_op_call_once = {NULL, MOTE_OP_CALL_ONCE, call_once_init, call_once_prepare, NULL, call_once_eval,
                                   NULL};
