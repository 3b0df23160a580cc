/* prepared.h — evaluating nodes during prepare, as TensorFlow Lite does for its "persistent
 * read-only" tensors.
 *
 * Shape arithmetic (SHAPE of a tensor with a known shape, then STRIDED_SLICE, PACK, CAST,
 * ADD, ... on such values) can be computed while preparing. Right after a node's prepare at
 * allocate, if its operator is a pure function of its inputs (a fixed list of builtins, not
 * overridden by a registered op, with no scratch, persistent or pack step) and every input
 * is *known* (a constant of the model or itself prepared; for SHAPE and RANK only the shape
 * must be static), its eval runs at once. Its outputs become STORAGE_PREPARED: small heap
 * blocks owned by the interpreter, read-only, freed at the next allocate and at destroy.
 * The node is skipped while invoking, and later prepares read those values like constants
 * (kernel_is_constant), so a RESHAPE or SPACE_TO_BATCH_ND fed by them gets a static shape.
 *
 * Limits keep this cheap: a tensor of at most PREPARED_MAX_TENSOR_BYTES, and at most
 * PREPARED_MAX_TOTAL_BYTES in all; larger values are computed while invoking as usual.
 */
#ifndef MOTE_CORE_PREPARED_H
#define MOTE_CORE_PREPARED_H

#include "core/interpreter.h"

#define PREPARED_MAX_TENSOR_BYTES ((size_t)16 << 10)
#define PREPARED_MAX_TOTAL_BYTES ((size_t)1 << 20)

/* After node's prepare at allocate: evaluates it now when it qualifies (see above). A
 * failed evaluation is forgotten (the node then runs while invoking, and fails there if it
 * must). Returns MOTE_OK or MOTE_ERROR_OUT_OF_MEMORY. */
mote_status prepared_try(mote_context *ctx, mote_node *node);

/* Frees every prepared value and turns those tensors back into unplaced ones. */
void prepared_free(mote_context *ctx);

#endif /* MOTE_CORE_PREPARED_H */
