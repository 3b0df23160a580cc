/* flexgen.h — writes small FlexBuffer maps of scalars for tests (custom operator options),
 * in any slot width, with inline and indirect values, so readers can be checked against
 * known bytes. Offsets are relative to the byte holding them and point backwards, as in
 * every FlexBuffer. */
#ifndef MOTE_TEST_FLEXGEN_H
#define MOTE_TEST_FLEXGEN_H

#include <stdint.h>
#include <string.h>

enum {
    FG_NULL = 0,
    FG_INT = 1,
    FG_UINT = 2,
    FG_FLOAT = 3,
    FG_IND_INT = 6,
    FG_IND_UINT = 7,
    FG_IND_FLOAT = 8,
    FG_MAP = 9,
    FG_STRING = 5,
    FG_BOOL = 26
};

/* Entries per map this writer takes. */
#define FLEXGEN_MAX_ENTRIES 16

typedef struct flexgen_entry {
    const char *key; /* entries in sorted key order */
    int type;
    uint64_t bits; /* the value's bytes, little-endian */
    int width;     /* indirect values: their own byte width */
} flexgen_entry;

static inline size_t flexgen_put(uint8_t *b, size_t at, uint64_t v, int width) {
    for (int i = 0; i < width; i++) b[at + (size_t)i] = (uint8_t)(v >> (8 * i));
    return at + (size_t)width;
}

static inline int flexgen_log2(int w) { return w == 1 ? 0 : w == 2 ? 1 : w == 4 ? 2 : 3; }

/* Writes a FlexBuffer whose root is a map of n <= FLEXGEN_MAX_ENTRIES entries (sorted by
 * key, as FlexBuffers keep them), value slots `w` bytes wide; returns its size. */
static inline size_t flexgen_map(uint8_t *b, const flexgen_entry *e, int n, int w) {
    size_t at = 0, key_at[FLEXGEN_MAX_ENTRIES], ind_at[FLEXGEN_MAX_ENTRIES] = {0};
    for (int i = 0; i < n; i++) { /* key strings, then indirect values */
        key_at[i] = at;
        size_t len = strlen(e[i].key) + 1;
        memcpy(b + at, e[i].key, len);
        at += len;
    }
    for (int i = 0; i < n; i++) {
        if (e[i].type != FG_IND_INT && e[i].type != FG_IND_UINT && e[i].type != FG_IND_FLOAT) continue;
        at = (at + 7) / 8 * 8;
        ind_at[i] = at;
        at = flexgen_put(b, at, e[i].bits, e[i].width);
    }
    at = (at + 7) / 8 * 8;
    at = flexgen_put(b, at, (uint64_t)n, w); /* keys vector: count, then offsets */
    const size_t keys = at;
    for (int i = 0; i < n; i++) at = flexgen_put(b, at, at - key_at[i], w);
    const size_t header = at; /* map: keys offset, keys width, count */
    at = flexgen_put(b, at, header - keys, w);
    at = flexgen_put(b, at, (uint64_t)w, w);
    at = flexgen_put(b, at, (uint64_t)n, w);
    const size_t values = at;
    for (int i = 0; i < n; i++) {
        int indirect = e[i].type == FG_IND_INT || e[i].type == FG_IND_UINT || e[i].type == FG_IND_FLOAT;
        at = flexgen_put(b, at, indirect ? at - ind_at[i] : e[i].bits, w);
    }
    for (int i = 0; i < n; i++) {
        int indirect = e[i].type == FG_IND_INT || e[i].type == FG_IND_UINT || e[i].type == FG_IND_FLOAT;
        b[at++] = (uint8_t)(e[i].type << 2 | (indirect ? flexgen_log2(e[i].width) : 0));
    }
    at = flexgen_put(b, at, at - values, 4); /* root: offset to the map, its type, the root width */
    b[at++] = (uint8_t)(FG_MAP << 2 | flexgen_log2(w));
    b[at++] = 4;
    return at;
}

static inline uint64_t flexgen_float_bits(float f) {
    uint32_t u;
    memcpy(&u, &f, 4);
    return u;
}
static inline uint64_t flexgen_double_bits(double d) {
    uint64_t u;
    memcpy(&u, &d, 8);
    return u;
}

#endif /* MOTE_TEST_FLEXGEN_H */
