/* resources.h — resource variables: named values that live in the interpreter across
 * invokes (TensorFlow's ResourceVariable, reached through VAR_HANDLE, READ_VARIABLE and
 * ASSIGN_VARIABLE).
 *
 * A VAR_HANDLE names a variable by (container, shared_name); every handle with the same
 * names, in any subgraph, reaches the same variable. A RESOURCE tensor holds the variable's
 * id as one int32 per element. A variable starts unassigned; reading it then is an error.
 *
 * Memory: the value lives in a heap block owned by the interpreter, outside the arena, so it
 * survives allocate_tensors. When prepare sees an ASSIGN_VARIABLE whose handle and value
 * shape are known (the usual case), the block is reserved then and invoke does not allocate;
 * otherwise it is allocated when the value is first assigned (and grown if a later value is
 * larger). mote_interpreter_reset_variables makes every variable unassigned again.
 */
#ifndef MOTE_CORE_RESOURCES_H
#define MOTE_CORE_RESOURCES_H

#include "core/interpreter.h"

typedef struct resource_var {
    const char *container;     /* in the model's bytes; "" when absent */
    const char *shared_name;
    mote_type type;            /* of the current value (valid when assigned) */
    int32_t rank;
    int32_t dims[MOTE_MAX_DIMS];
    size_t bytes;
    uint8_t *data;             /* heap, capacity bytes */
    size_t capacity;
    uint8_t assigned;          /* holds a value */
    /* What prepare learned from the ASSIGN_VARIABLE nodes of this allocate: */
    uint8_t declared;          /* some assignment's type and shape are known */
    uint8_t varies;            /* assignments disagree: readers get dynamic outputs */
    mote_type declared_type;
    int32_t declared_rank;
    int32_t declared_dims[MOTE_MAX_DIMS];
} resource_var;

/* In init: the id of the variable (container, shared_name), created if new. */
mote_status resource_find_or_add(mote_context *ctx, const mote_node *node, const char *container,
                                 const char *shared_name, int32_t *id);

/* The variable with this id, or NULL. */
resource_var *resource_get(mote_context *ctx, int64_t id);

/* In prepare: an assignment of a value of this type and shape; reserves its memory. */
mote_status resource_declare(mote_context *ctx, const mote_node *node, resource_var *v, const mote_tensor *value);

/* In eval: stores value (allocating only when prepare could not reserve enough). */
mote_status resource_assign(mote_context *ctx, const mote_node *node, resource_var *v, const mote_tensor *value);

/* At allocate: forgets what the last prepare declared (values stay). */
void resources_begin_prepare(mote_context *ctx);
/* mote_interpreter_reset_variables: every variable unassigned. */
void resources_reset(mote_context *ctx);
/* At destroy. */
void resources_free(mote_context *ctx);

#endif /* MOTE_CORE_RESOURCES_H */
