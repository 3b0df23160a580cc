/* flexbuffer.c — the bounds-checked FlexBuffer map reader (see flexbuffer.h). */
#include "kernels/flexbuffer.h"

#include <math.h>
#include <string.h>

/* FlexBuffer value types this reader meets. */
enum {
    FLEX_NULL = 0,
    FLEX_INT = 1,
    FLEX_UINT = 2,
    FLEX_FLOAT = 3,
    FLEX_INDIRECT_INT = 6,
    FLEX_INDIRECT_UINT = 7,
    FLEX_INDIRECT_FLOAT = 8,
    FLEX_MAP = 9,
    FLEX_VECTOR_KEY = 14,
    FLEX_BOOL = 26
};

/* An unsigned little-endian integer of `width` bytes at pos; 0 when it leaves the buffer. */
static int read_uint(const uint8_t *b, size_t n, size_t pos, size_t width, uint64_t *v) {
    if (pos > n || width > n - pos) return 0;
    uint64_t x = 0;
    for (size_t i = 0; i < width; i++) x |= (uint64_t)b[pos + i] << (8 * i);
    *v = x;
    return 1;
}

static int valid_width(uint64_t w) { return w == 1 || w == 2 || w == 4 || w == 8; }

/* Follows the offset stored at pos (`width` bytes) back to the byte it points at. */
static int follow(const uint8_t *b, size_t n, size_t pos, size_t width, size_t *target) {
    uint64_t off;
    if (!read_uint(b, n, pos, width, &off) || off > pos) return 0;
    *target = pos - (size_t)off;
    return 1;
}

/* The two's-complement value of the low 8 * width bits of x. */
static int64_t sign_extend(uint64_t x, size_t width) {
    if (width < 8) {
        const uint64_t sign = (uint64_t)1 << (8 * width - 1);
        if (x & sign) x |= ~(((uint64_t)1 << (8 * width)) - 1);
    }
    /* Reinterpreted without an implementation-defined conversion. */
    int64_t v;
    memcpy(&v, &x, sizeof v);
    return v;
}

/* A float or double stored in `width` bytes at pos. */
static int read_float(const uint8_t *b, size_t n, size_t pos, size_t width, double *v) {
    uint64_t bits;
    if ((width != 4 && width != 8) || !read_uint(b, n, pos, width, &bits)) return 0;
    if (width == 4) {
        uint32_t u = (uint32_t)bits;
        float f;
        memcpy(&f, &u, sizeof f);
        *v = f;
    } else {
        memcpy(v, &bits, sizeof *v);
    }
    return 1;
}

flexbuffer_status flexbuffer_root_map(const void *data, size_t size, flexbuffer_map *map) {
    const uint8_t *b = data;
    memset(map, 0, sizeof *map);
    if (!b || size < 3) return FLEXBUFFER_MALFORMED;
    const size_t root_width = b[size - 1];
    const uint8_t packed = b[size - 2];
    if (!valid_width(root_width) || root_width > size - 2 || (packed >> 2) != FLEX_MAP)
        return FLEXBUFFER_MALFORMED;
    const size_t w = (size_t)1 << (packed & 3);
    size_t at, keys;
    uint64_t count, key_width;
    if (!follow(b, size, size - 2 - root_width, root_width, &at) || at < 3 * w ||
        !read_uint(b, size, at - w, w, &count) || !read_uint(b, size, at - 2 * w, w, &key_width) ||
        !valid_width(key_width) || !follow(b, size, at - 3 * w, w, &keys))
        return FLEXBUFFER_MALFORMED;
    /* Values, then one packed type per value, must lie inside the buffer; so must the keys. */
    if (count > size || count * (w + 1) > size - at) return FLEXBUFFER_MALFORMED;
    if (count * key_width > size || keys > size - count * key_width) return FLEXBUFFER_MALFORMED;
    map->buf = b;
    map->size = size;
    map->values = at;
    map->keys = keys;
    map->count = (size_t)count;
    map->width = (uint8_t)w;
    map->key_width = (uint8_t)key_width;
    return FLEXBUFFER_OK;
}

/* Whether the NUL-terminated string at pos equals key. */
static int key_equals(const flexbuffer_map *m, size_t pos, const char *key) {
    const size_t len = strlen(key);
    if (pos > m->size || len >= m->size - pos) return 0;
    return memcmp(m->buf + pos, key, len) == 0 && m->buf[pos + len] == 0;
}

flexbuffer_status flexbuffer_map_number(const flexbuffer_map *m, const char *key, flexbuffer_number *value) {
    value->i = 0;
    value->f = 0.0;
    if (!m->buf) return FLEXBUFFER_MALFORMED;
    size_t i = 0;
    for (; i < m->count; i++) {
        size_t key_at;
        if (!follow(m->buf, m->size, m->keys + i * m->key_width, m->key_width, &key_at))
            return FLEXBUFFER_MALFORMED;
        if (key_equals(m, key_at, key)) break;
    }
    if (i == m->count) return FLEXBUFFER_MISSING;
    const size_t w = m->width, slot = m->values + i * w;
    const uint8_t packed = m->buf[m->values + m->count * w + i];
    const size_t child_width = (size_t)1 << (packed & 3);
    const int type = packed >> 2;
    size_t pos = slot, width = w;
    if (type == FLEX_INDIRECT_INT || type == FLEX_INDIRECT_UINT || type == FLEX_INDIRECT_FLOAT) {
        if (!follow(m->buf, m->size, slot, w, &pos)) return FLEXBUFFER_MALFORMED;
        width = child_width;
    }
    uint64_t bits;
    switch (type) {
    case FLEX_NULL: return FLEXBUFFER_MISSING;
    case FLEX_INT:
    case FLEX_INDIRECT_INT:
        if (!read_uint(m->buf, m->size, pos, width, &bits)) return FLEXBUFFER_MALFORMED;
        value->i = sign_extend(bits, width);
        value->f = (double)value->i;
        return FLEXBUFFER_OK;
    case FLEX_UINT:
    case FLEX_INDIRECT_UINT:
    case FLEX_BOOL:
        if (!read_uint(m->buf, m->size, pos, width, &bits)) return FLEXBUFFER_MALFORMED;
        if (type == FLEX_BOOL) bits = bits != 0;
        value->i = bits > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)bits;
        value->f = (double)bits;
        return FLEXBUFFER_OK;
    case FLEX_FLOAT:
    case FLEX_INDIRECT_FLOAT:
        if (!read_float(m->buf, m->size, pos, width, &value->f)) return FLEXBUFFER_MALFORMED;
        /* Truncated toward zero; NaN reads as 0 and the ends saturate. */
        value->i = value->f != value->f                 ? 0
                   : value->f >= 9223372036854775807.0  ? INT64_MAX
                   : value->f <= -9223372036854775808.0 ? INT64_MIN
                                                        : (int64_t)value->f;
        return FLEXBUFFER_OK;
    default: return FLEXBUFFER_NOT_NUMBER;
    }
}
