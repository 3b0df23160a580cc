/* strings.h — TensorFlow Lite's layout of a string tensor's bytes, shared by the public
 * string calls (strings.c) and the kernels that move strings.
 *
 *   int32 count                 N, the number of strings (the tensor's element count)
 *   int32 offsets[N + 1]        byte offsets from the start of the buffer: string i is
 *                               bytes [offsets[i], offsets[i + 1]); offsets[0] = 4 * (N + 2)
 *   bytes                       the strings, back to back, no terminators
 *
 * All integers little-endian; the buffer ends at offsets[N]. A string tensor's byte size is
 * that of its contents, so its memory is on the heap (STORAGE_DYNAMIC).
 */
#ifndef MOTE_CORE_STRINGS_H
#define MOTE_CORE_STRINGS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mote.h"

/* Reads the little-endian int32 at p (any alignment). */
static inline int32_t strings_i32(const uint8_t *p) {
    return (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
}
static inline void strings_put_i32(uint8_t *p, int32_t v) {
    uint32_t u = (uint32_t)v;
    p[0] = (uint8_t)u;
    p[1] = (uint8_t)(u >> 8);
    p[2] = (uint8_t)(u >> 16);
    p[3] = (uint8_t)(u >> 24);
}

/* Checks a serialized buffer: well formed, exactly `size` bytes, and holding `expected`
 * strings (any count when expected < 0). Returns NULL when valid, else why not. */
const char *strings_check(const uint8_t *buf, size_t size, int64_t expected);

/* Header bytes for n strings; 0 when n is too large for the layout. */
static inline size_t strings_header_bytes(size_t n) {
    return n > (size_t)(INT32_MAX / 4 - 2) ? 0 : 4 * (n + 2);
}

/* String i of a buffer strings_check accepted. */
static inline const uint8_t *strings_at(const uint8_t *buf, int32_t i, size_t *length) {
    int32_t from = strings_i32(buf + 4 + 4 * (size_t)i), to = strings_i32(buf + 8 + 4 * (size_t)i);
    *length = (size_t)(to - from);
    return buf + from;
}

/* Writes a buffer of n strings given by (pointer, length) through `get`: the caller sized
 * buf as strings_header_bytes(n) + the sum of the lengths. */
typedef const uint8_t *(*strings_source)(const void *ctx, size_t i, size_t *length);
void strings_write(uint8_t *buf, size_t n, strings_source get, const void *ctx);

/* mote_tensor_copy_from for a string tensor: a serialized buffer, checked, of any size. */
mote_status strings_copy_from(mote_tensor *t, const void *data, size_t size);

#endif /* MOTE_CORE_STRINGS_H */
