/* registry.h — the builtin operator implementations Mote ships. */
#ifndef MOTE_KERNELS_REGISTRY_H
#define MOTE_KERNELS_REGISTRY_H

#include "mote.h"

/* The implementation of a builtin code, or of a custom op Mote ships (by custom name);
 * NULL when there is none. */
const mote_op *registry_find(int32_t builtin_code, const char *custom_name);

/* All shipped implementations, for `mote ops`. */
int32_t registry_count(void);
const mote_op *registry_at(int32_t i);
/* The element types implementation i accepts for its main input (op_list.h): bit
 * (1 << type) per mote_type, REGISTRY_ANY_TYPE for operators that take any type. */
#define REGISTRY_ANY_TYPE UINT32_C(0xffffffff)
uint32_t registry_types_at(int32_t i);

#endif /* MOTE_KERNELS_REGISTRY_H */
