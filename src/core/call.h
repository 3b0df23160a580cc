/* call.h — what control-flow operators (WHILE, IF, CALL_ONCE) need from the interpreter:
 * declaring the subgraphs a node runs, preparing them for a call, and moving values
 * between subgraphs.
 *
 * A called subgraph is prepared by the operator that calls it, after its inputs got the
 * caller's types and shapes, once per allocate. When a second caller passes other shapes,
 * or an argument is dynamic, the subgraph becomes dynamic (see dynamic.h) and prepares its
 * nodes while running. Values move by copy: each subgraph plans its own arena region, so a
 * caller's tensors stay intact while the callee runs.
 */
#ifndef MOTE_CORE_CALL_H
#define MOTE_CORE_CALL_H

#include "core/interpreter.h"

/* In init: the subgraphs node runs (at most NODE_MAX_CALLS), which must exist. */
mote_status call_declare(mote_context *ctx, mote_node *node, int32_t count, const int32_t *subgraphs);

/* In prepare: gives subgraph `index` the types and shapes of args (one per input of the
 * subgraph, in order) and prepares it. *is_static is set when its shapes are fixed: the
 * subgraph is not dynamic and none of its outputs is. Called while invoking (a node
 * prepared again), it only checks the arguments. */
mote_status call_prepare(mote_context *ctx, const mote_node *node, int32_t index, int32_t count,
                         mote_tensor *const *args, int *is_static);

/* In eval: copies src's value into dst, a tensor of another subgraph; dst takes src's shape
 * when it is dynamic, and must have it otherwise. */
mote_status call_copy(mote_context *ctx, const mote_node *node, mote_tensor *dst, const mote_tensor *src);

/* Inputs and outputs of a subgraph (index checked by the caller). */
static inline int32_t call_input_count(const mote_context *ctx, int32_t sg) {
    return ctx->subgraphs[sg].def->input_count;
}
static inline int32_t call_output_count(const mote_context *ctx, int32_t sg) {
    return ctx->subgraphs[sg].def->output_count;
}
static inline mote_tensor *call_input(mote_context *ctx, int32_t sg, int32_t i) {
    return &ctx->subgraphs[sg].tensors[ctx->subgraphs[sg].def->inputs[i]];
}
static inline mote_tensor *call_output(mote_context *ctx, int32_t sg, int32_t i) {
    return &ctx->subgraphs[sg].tensors[ctx->subgraphs[sg].def->outputs[i]];
}

#endif /* MOTE_CORE_CALL_H */
