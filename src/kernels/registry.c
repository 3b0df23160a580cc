/* registry.c — the list of builtin operator implementations. Each kernel file defines one
 * or more `const mote_op` objects; add them to the list below. */
#include "kernels/registry.h"

#include <string.h>

#include "format/builtin_ops.h"

#define OP(name, types) extern const mote_op name;
#include "kernels/op_list.h"
#undef OP

static const mote_op *const ops[] = {
#define OP(name, types) &name,
#include "kernels/op_list.h"
#undef OP
};

/* The type names op_list.h uses. */
#define F32 (UINT32_C(1) << MOTE_FLOAT32)
#define F16 (UINT32_C(1) << MOTE_FLOAT16)
#define F64 (UINT32_C(1) << MOTE_FLOAT64)
#define I8 (UINT32_C(1) << MOTE_INT8)
#define U8 (UINT32_C(1) << MOTE_UINT8)
#define I16 (UINT32_C(1) << MOTE_INT16)
#define U16 (UINT32_C(1) << MOTE_UINT16)
#define I32 (UINT32_C(1) << MOTE_INT32)
#define U32 (UINT32_C(1) << MOTE_UINT32)
#define I64 (UINT32_C(1) << MOTE_INT64)
#define BOOL (UINT32_C(1) << MOTE_BOOL)
#define STR (UINT32_C(1) << MOTE_STRING)
#define C64 (UINT32_C(1) << MOTE_COMPLEX64)
#define ANY REGISTRY_ANY_TYPE

static const uint32_t op_types[] = {
#define OP(name, types) (types),
#include "kernels/op_list.h"
#undef OP
};

const mote_op *registry_find(int32_t builtin_code, const char *custom_name) {
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        const mote_op *op = ops[i];
        if (builtin_code == MOTE_OP_CUSTOM) {
            if (op->custom_name && custom_name && strcmp(op->custom_name, custom_name) == 0) return op;
        } else if (!op->custom_name && op->builtin_code == builtin_code) {
            return op;
        }
    }
    return NULL;
}

int32_t registry_count(void) { return (int32_t)(sizeof ops / sizeof ops[0]); }

uint32_t registry_types_at(int32_t i) { return i < 0 || i >= registry_count() ? 0 : op_types[i]; }

const mote_op *registry_at(int32_t i) {
    if (i < 0 || i >= registry_count()) return NULL;
    return ops[i];
}
