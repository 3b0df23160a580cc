/* status.c — names of statuses and types. */
#include "core/model.h"

const char *mote_status_string(mote_status status) {
    switch (status) {
    case MOTE_OK: return "ok";
    case MOTE_ERROR_INVALID_ARGUMENT: return "invalid argument";
    case MOTE_ERROR_INVALID_MODEL: return "invalid model";
    case MOTE_ERROR_UNSUPPORTED: return "unsupported";
    case MOTE_ERROR_OUT_OF_MEMORY: return "out of memory";
    case MOTE_ERROR_IO: return "I/O error";
    case MOTE_ERROR_BAD_STATE: return "bad state";
    case MOTE_ERROR_LIMIT: return "limit exceeded";
    case MOTE_ERROR_CANCELLED: return "cancelled";
    case MOTE_ERROR_RUNTIME: return "runtime error";
    }
    return "unknown status";
}

static const char *const type_names[] = {
    "float32", "float16", "int32", "uint8", "int64", "string", "bool", "int16",
    "complex64", "int8", "float64", "complex128", "uint64", "resource", "variant", "uint32",
    "uint16", "int4", "bfloat16", "int2", "uint4", "float8_e4m3fn", "float8_e5m2"};

const char *mote_type_name(mote_type type) {
    if ((int)type < 0 || (size_t)type >= sizeof type_names / sizeof type_names[0]) return "unknown";
    return type_names[type];
}

mote_status mote_type_size(mote_type type, size_t *bytes) {
    if (!bytes) return MOTE_ERROR_INVALID_ARGUMENT;
    if ((int)type < 0 || type > MOTE_FLOAT8_E5M2) return MOTE_ERROR_INVALID_ARGUMENT;
    *bytes = mote_type_bytes(type);
    return MOTE_OK;
}
