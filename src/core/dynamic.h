/* dynamic.h — tensors whose shape is only known while running, and the nodes that make them.
 *
 * At allocate, a node is *deferred* when one of its inputs is dynamic, or when its prepare
 * needs input values that are only computed while running (it returns STATUS_DEFERRED).
 * A deferred node's outputs become dynamic; its prepare runs again right before each eval,
 * and its outputs then get heap memory of the size that prepare set (STORAGE_DYNAMIC),
 * reused across invokes and grown when needed. A kernel may instead mark an output dynamic
 * itself (kernel_mark_dynamic) and size it in eval (kernel_resize_output).
 *
 * A *dynamic subgraph* is one whose shapes change while running: the body of a WHILE whose
 * loop values change shape, or a subgraph called with dynamic arguments. Each of its nodes
 * is deferred and each tensor that is not a constant or a variable is dynamic; the
 * subgraphs it calls are dynamic too.
 *
 * Models without dynamic tensors never reach the heap while invoking.
 */
#ifndef MOTE_CORE_DYNAMIC_H
#define MOTE_CORE_DYNAMIC_H

#include "core/interpreter.h"

/* Makes room for `bytes` bytes in a STORAGE_DYNAMIC tensor (its old contents are not kept)
 * and sets t->bytes. Fails with LIMIT when the heap used by dynamic tensors and the arena
 * together exceed MOTE_LIMIT_ARENA_BYTES. */
mote_status dynamic_reserve(mote_context *ctx, const mote_node *node, mote_tensor *t, size_t bytes);

/* Frees a dynamic tensor's heap memory. */
void dynamic_release(mote_context *ctx, mote_tensor *t);

/* Defers a node (see above): prepared again before each eval, outputs dynamic, the
 * subgraphs it calls dynamic. */
void dynamic_defer_node(mote_context *ctx, mote_node *node);

/* Makes a subgraph (and what it calls) dynamic; entry subgraphs too, which only happens in
 * models that call themselves (refused when they run). */
void dynamic_mark_subgraph(mote_context *ctx, int32_t index);

/* At invoke, before a deferred node's eval: runs its prepare again, gives its dynamic
 * outputs and its scratch requests heap memory, then runs its pack (if any). */
mote_status dynamic_prepare_node(mote_context *ctx, mote_node *node);

/* Scratch requested by a node while it is prepared again at invoke. */
mote_status dynamic_request_scratch(mote_context *ctx, mote_node *node, size_t size, int32_t *index);
void *dynamic_scratch(const mote_node *node, int32_t index);

/* Frees what nodes and tensors hold on the heap (at destroy). */
void dynamic_free_all(mote_context *ctx);

#endif /* MOTE_CORE_DYNAMIC_H */
