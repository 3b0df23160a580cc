/* fbgen.h — a tiny front-to-back FlatBuffer writer for tests, able to write malformed buffers.
 *
 * Mote's own builder (src/format/fb_builder.c) only makes valid buffers; tests of the
 * verifier need to place every byte themselves. This writer appends objects in order and
 * links a uoffset field to a later object by patching it (uoffsets point forward, so a
 * parent is written before its children). Every function is static inline so a test that
 * uses a few of them compiles without unused-function warnings.
 *
 *   fbgen g; fbg_init(&g);                       reserves the root offset and identifier
 *   fbg_field f[] = {{0, 4, 42}, {1, 4, 0}};     field 0: u32 42; field 1: an offset slot
 *   uint32_t pos[2], t = fbg_table(&g, f, 2, pos);
 *   fbg_link(&g, pos[1], fbg_string(&g, "hi"));
 *   fbg_root(&g, t, "TEST");
 */
#ifndef MOTE_TEST_FBGEN_H
#define MOTE_TEST_FBGEN_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct fbgen {
    uint8_t *p;
    uint32_t n, cap;
} fbgen;

/* A table field: id, inline size (1, 2, 4 or 8 bytes) and scalar value. An offset field is
 * a 4-byte field whose value is patched later with fbg_link. */
typedef struct fbg_field {
    uint16_t id;
    uint8_t size;
    uint64_t value;
} fbg_field;

static inline uint32_t fbg_reserve(fbgen *g, uint32_t bytes, uint32_t align) {
    uint32_t at = (g->n + align - 1) / align * align;
    uint32_t end = at + bytes;
    if (end > g->cap) {
        uint32_t cap = g->cap ? g->cap : 256;
        while (cap < end) cap *= 2;
        uint8_t *p = realloc(g->p, cap);
        if (!p) {
            fprintf(stderr, "fbgen: out of memory\n");
            abort();
        }
        memset(p + g->cap, 0, cap - g->cap);
        g->p = p;
        g->cap = cap;
    }
    g->n = end;
    return at;
}

static inline void fbg_w8(fbgen *g, uint32_t at, uint8_t v) { g->p[at] = v; }
static inline void fbg_w16(fbgen *g, uint32_t at, uint16_t v) {
    g->p[at] = (uint8_t)v;
    g->p[at + 1] = (uint8_t)(v >> 8);
}
static inline void fbg_w32(fbgen *g, uint32_t at, uint32_t v) {
    for (int i = 0; i < 4; i++) g->p[at + i] = (uint8_t)(v >> (8 * i));
}
static inline void fbg_w64(fbgen *g, uint32_t at, uint64_t v) {
    for (int i = 0; i < 8; i++) g->p[at + i] = (uint8_t)(v >> (8 * i));
}

/* Starts a buffer: 4 bytes of root offset and 4 of file identifier. */
static inline void fbg_init(fbgen *g) {
    memset(g, 0, sizeof *g);
    fbg_reserve(g, 8, 1);
}

static inline void fbg_free(fbgen *g) {
    free(g->p);
    memset(g, 0, sizeof *g);
}

static inline void fbg_root(fbgen *g, uint32_t table, const char *identifier) {
    fbg_w32(g, 0, table);
    if (identifier) memcpy(g->p + 4, identifier, 4);
}

/* Makes the uoffset at `at` point to `target` (which must lie after it). */
static inline void fbg_link(fbgen *g, uint32_t at, uint32_t target) { fbg_w32(g, at, target - at); }

/* Writes a vtable and then its table; returns the table's position, and each field's
 * position in pos[] (if not NULL). */
static inline uint32_t fbg_table(fbgen *g, const fbg_field *f, int n, uint32_t *pos) {
    uint32_t max_id = 0, off[64];
    uint32_t end = 4;
    for (int i = 0; i < n; i++) {
        if (f[i].id > max_id) max_id = f[i].id;
        end = (end + f[i].size - 1) / f[i].size * f[i].size;
        off[i] = end;
        end += f[i].size;
    }
    uint32_t vt_bytes = 4 + 2 * (n ? max_id + 1 : 0);
    uint32_t vt = fbg_reserve(g, vt_bytes, 2);
    fbg_w16(g, vt, (uint16_t)vt_bytes);
    fbg_w16(g, vt + 2, (uint16_t)end);
    uint32_t t = fbg_reserve(g, end, 8);
    fbg_w32(g, t, t - vt);
    for (int i = 0; i < n; i++) {
        fbg_w16(g, vt + 4 + 2 * f[i].id, (uint16_t)off[i]);
        uint32_t at = t + off[i];
        switch (f[i].size) {
        case 1: fbg_w8(g, at, (uint8_t)f[i].value); break;
        case 2: fbg_w16(g, at, (uint16_t)f[i].value); break;
        case 4: fbg_w32(g, at, (uint32_t)f[i].value); break;
        default: fbg_w64(g, at, f[i].value); break;
        }
        if (pos) pos[i] = at;
    }
    return t;
}

/* A vector of n elements of elem bytes each (copied from data, or zeros); the elements
 * are aligned to max(elem, 4) bytes, or to `align` when larger. Returns the position of
 * its length field, where offsets to it point. */
static inline uint32_t fbg_vec_aligned(fbgen *g, uint32_t elem, uint32_t n, const void *data,
                                       uint32_t align) {
    uint32_t a = elem > 4 ? elem : 4;
    if (align > a) a = align;
    while ((g->n + 4) % a) fbg_reserve(g, 1, 1);
    uint32_t at = fbg_reserve(g, 4 + elem * n, 4);
    fbg_w32(g, at, n);
    if (data && n) memcpy(g->p + at + 4, data, (size_t)elem * n);
    return at;
}

static inline uint32_t fbg_vec(fbgen *g, uint32_t elem, uint32_t n, const void *data) {
    return fbg_vec_aligned(g, elem, n, data, 4);
}

static inline uint32_t fbg_vec_i32(fbgen *g, uint32_t n, const int32_t *v) {
    uint32_t at = fbg_vec(g, 4, n, NULL);
    for (uint32_t i = 0; i < n; i++) fbg_w32(g, at + 4 + 4 * i, (uint32_t)v[i]);
    return at;
}

/* Position of element i of a vector of offsets (to link it). */
static inline uint32_t fbg_slot(uint32_t vec, uint32_t i) { return vec + 4 + 4 * i; }

static inline uint32_t fbg_string(fbgen *g, const char *s) {
    uint32_t len = (uint32_t)strlen(s);
    uint32_t at = fbg_reserve(g, 4 + len + 1, 4);
    fbg_w32(g, at, len);
    memcpy(g->p + at + 4, s, len + 1);
    return at;
}

#endif /* MOTE_TEST_FBGEN_H */
