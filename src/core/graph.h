/* graph.h — questions about a subgraph's dataflow, for kernels that fuse operators in
 * prepare (e.g. a convolution absorbing the PAD before it): who writes a tensor, how many
 * read it. Linear scans of the subgraph's operators; meant for prepare, not eval. */
#ifndef MOTE_CORE_GRAPH_H
#define MOTE_CORE_GRAPH_H

#include "core/interpreter.h"

/* The index of the node of subgraph sg whose outputs include tensor, or -1 (a subgraph
 * input, a constant, or a tensor no operator writes). */
int32_t graph_producer(const subgraph *sg, int32_t tensor);

/* How many times tensor is read: every operator input slot and intermediate naming it, the
 * subgraph's outputs and its signatures' outputs (a value returned to the caller counts as
 * a reader). */
int32_t graph_reader_count(const mote_context *ctx, const subgraph *sg, int32_t tensor);

#endif /* MOTE_CORE_GRAPH_H */
