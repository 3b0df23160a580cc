/* registry.c — the list of builtin operator implementations. Each kernel file defines one
 * or more `const mote_op` objects; add them to the list below. */
#include "kernels/registry.h"

#include <string.h>

#include "format/builtin_ops.h"

#define OP(name) extern const mote_op name;
#include "kernels/op_list.h"
#undef OP

static const mote_op *const ops[] = {
#define OP(name) &name,
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

const mote_op *registry_at(int32_t i) {
    if (i < 0 || i >= registry_count()) return NULL;
    return ops[i];
}
