/* fb_builder.c — building FlatBuffers back to front (see fb_builder.h for the design). */
#include "format/fb_builder.h"

#include <string.h>

/* The first block; later ones double. A multiple of 64 like every capacity, so the end of
 * the storage, and with it every alignment measured from the end, is 64-byte aligned. */
#define FBB_INITIAL_CAP 1024u

/* Deduplication compares a new vtable with at most this many earlier distinct ones, which
 * keeps a pathological input (every table different) linear. */
#define FBB_MAX_SHARED_VTABLES 256u

static void put_u16(uint8_t *p, uint16_t v) {
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}
static void put_u32(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}
static void put_u64(uint8_t *p, uint64_t v) {
    for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static void set_error(fb_builder *b, fbb_error e) {
    if (b->error == FBB_OK) b->error = e;
}

const char *fbb_error_string(fbb_error e) {
    switch (e) {
    case FBB_OK: return "ok";
    case FBB_OUT_OF_MEMORY: return "out of memory";
    case FBB_TOO_LARGE: return "the FlatBuffer would exceed 2 GiB (or a table 64 KiB)";
    case FBB_MISUSE: return "FlatBuffer builder misuse";
    }
    return "unknown error";
}

void fbb_init(fb_builder *b, const mote_allocator *allocator) {
    memset(b, 0, sizeof *b);
    b->alloc = mote_allocator_or_default(allocator);
    b->max_align = 1;
}

void fbb_reset(fb_builder *b) {
    b->size = 0;
    b->max_align = 1;
    b->error = FBB_OK;
    b->in_table = 0;
    b->field_count = 0;
    b->vtable_count = 0;
    b->finished = 0;
}

void fbb_release(fb_builder *b) {
    mote_free(&b->alloc, b->buf, b->cap);
    mote_free(&b->alloc, b->fields, b->field_cap * sizeof *b->fields);
    mote_free(&b->alloc, b->vtables, b->vtable_cap * sizeof *b->vtables);
    mote_allocator a = b->alloc; /* fbb_init clears b first */
    fbb_init(b, &a);
}

/* Makes room for `need` more bytes at the front; -1 (with the error set) when impossible. */
static int reserve(fb_builder *b, size_t need) {
    if (b->error) return -1;
    if (need > FBB_MAX_SIZE - b->size) {
        set_error(b, FBB_TOO_LARGE);
        return -1;
    }
    if (b->cap - b->size >= need) return 0;
    size_t want = b->size + need;
    size_t cap = b->cap < FBB_MAX_SIZE / 2 ? b->cap * 2 : want;
    if (cap < want) cap = want;
    if (cap < FBB_INITIAL_CAP) cap = FBB_INITIAL_CAP;
    cap = (cap + 63u) & ~(size_t)63u; /* at most 2^31: no overflow */
    uint8_t *p = mote_alloc(&b->alloc, cap);
    if (!p) {
        set_error(b, FBB_OUT_OF_MEMORY);
        return -1;
    }
    /* The data lives at the end of the block. */
    if (b->size) memcpy(p + cap - b->size, b->buf + b->cap - b->size, b->size);
    mote_free(&b->alloc, b->buf, b->cap);
    b->buf = p;
    b->cap = cap;
    return 0;
}

/* Pushes n zero bytes (room must have been reserved) and returns where they start. */
static uint8_t *push(fb_builder *b, size_t n) {
    b->size += n;
    uint8_t *p = b->buf + b->cap - b->size;
    memset(p, 0, n);
    return p;
}

/* Pads so that `extra` bytes pushed next end up aligned to align (a power of two), and
 * reserves room for them. */
static int prep(fb_builder *b, size_t align, size_t extra) {
    if (b->error) return -1;
    if (align > b->max_align) b->max_align = align;
    size_t pad = (align - ((b->size + extra) & (align - 1))) & (align - 1);
    if (extra > FBB_MAX_SIZE || reserve(b, pad + extra)) {
        set_error(b, FBB_TOO_LARGE);
        return -1;
    }
    push(b, pad);
    return 0;
}

static int is_pow2(size_t x) { return x && !(x & (x - 1)); }

/* A vector header plus `bytes` bytes of elements whose length field says len. */
static fb_ref vector_raw(fb_builder *b, size_t bytes, uint32_t len, size_t align, uint8_t **elems) {
    if (elems) *elems = NULL;
    if (b->error) return 0;
    if (b->in_table || b->finished || !is_pow2(align)) {
        set_error(b, FBB_MISUSE);
        return 0;
    }
    if (align < 4) align = 4; /* the length field */
    if (prep(b, align, bytes)) return 0;
    push(b, bytes);
    if (prep(b, 4, 4)) return 0; /* already aligned: only reserves */
    put_u32(push(b, 4), len);
    if (elems) *elems = b->buf + b->cap - b->size + 4;
    return (fb_ref)b->size;
}

fb_ref fbb_vector(fb_builder *b, size_t count, size_t elem_size, size_t align, uint8_t **elems) {
    size_t bytes;
    if (mote_mul_size(count, elem_size, &bytes) || bytes > FBB_MAX_SIZE) {
        if (elems) *elems = NULL;
        set_error(b, FBB_TOO_LARGE);
        return 0;
    }
    return vector_raw(b, bytes, (uint32_t)count, align, elems);
}

fb_ref fbb_vec_bytes(fb_builder *b, const void *data, size_t size, size_t align) {
    uint8_t *p;
    fb_ref r = fbb_vector(b, size, 1, align, &p);
    if (r && size) memcpy(p, data, size);
    return r;
}

fb_ref fbb_vec_i32(fb_builder *b, const int32_t *v, size_t count) {
    uint8_t *p;
    fb_ref r = fbb_vector(b, count, 4, 4, &p);
    if (r)
        for (size_t i = 0; i < count; i++) put_u32(p + 4 * i, (uint32_t)v[i]);
    return r;
}

fb_ref fbb_vec_i64(fb_builder *b, const int64_t *v, size_t count) {
    uint8_t *p;
    fb_ref r = fbb_vector(b, count, 8, 8, &p);
    if (r)
        for (size_t i = 0; i < count; i++) put_u64(p + 8 * i, (uint64_t)v[i]);
    return r;
}

fb_ref fbb_vec_f32(fb_builder *b, const float *v, size_t count) {
    uint8_t *p;
    fb_ref r = fbb_vector(b, count, 4, 4, &p);
    if (r)
        for (size_t i = 0; i < count; i++) {
            uint32_t u;
            memcpy(&u, &v[i], sizeof u);
            put_u32(p + 4 * i, u);
        }
    return r;
}

fb_ref fbb_vec_refs(fb_builder *b, const fb_ref *refs, size_t count) {
    if (b->error) return 0;
    /* Offsets must point forward, at objects that already exist. */
    for (size_t i = 0; i < count; i++)
        if (refs[i] == 0 || refs[i] > b->size) {
            set_error(b, FBB_MISUSE);
            return 0;
        }
    uint8_t *p;
    fb_ref r = fbb_vector(b, count, 4, 4, &p);
    if (!r) return 0;
    for (size_t i = 0; i < count; i++) {
        size_t at = (size_t)r - 4 - 4 * i; /* element i, as a distance from the end */
        put_u32(p + 4 * i, (uint32_t)(at - refs[i]));
    }
    return r;
}

fb_ref fbb_string(fb_builder *b, const char *s, size_t len) {
    if (len >= FBB_MAX_SIZE) {
        set_error(b, FBB_TOO_LARGE);
        return 0;
    }
    uint8_t *p;
    fb_ref r = vector_raw(b, len + 1, (uint32_t)len, 4, &p);
    if (r && len) memcpy(p, s, len); /* the NUL is already there: pushes are zeroed */
    return r;
}

fb_ref fbb_cstring(fb_builder *b, const char *s) { return fbb_string(b, s, strlen(s)); }

/* ---- tables ---- */

void fbb_table_start(fb_builder *b) {
    if (b->error) return;
    if (b->in_table || b->finished) {
        set_error(b, FBB_MISUSE);
        return;
    }
    b->in_table = 1;
    b->table_start = b->size;
    b->field_count = 0;
}

/* Records that field id's value, of size bytes, starts at the current front. */
static void track_field(fb_builder *b, uint32_t id, size_t size) {
    if (b->field_count == b->field_cap) {
        size_t cap = b->field_cap ? b->field_cap * 2 : 16, bytes;
        if (mote_mul_size(cap, sizeof *b->fields, &bytes)) {
            set_error(b, FBB_OUT_OF_MEMORY);
            return;
        }
        fbb_field *f = mote_realloc(&b->alloc, b->fields, b->field_cap * sizeof *b->fields, bytes);
        if (!f) {
            set_error(b, FBB_OUT_OF_MEMORY);
            return;
        }
        b->fields = f;
        b->field_cap = cap;
    }
    b->fields[b->field_count].id = (uint16_t)id;
    b->fields[b->field_count].size = (uint16_t)size;
    b->fields[b->field_count].ref = (uint32_t)b->size;
    b->field_count++;
}

/* Pushes an n-byte scalar field, aligned to n; returns where to write it, or NULL. */
static uint8_t *scalar_field(fb_builder *b, uint32_t id, size_t n) {
    if (b->error) return NULL;
    if (!b->in_table || id > FBB_MAX_FIELD_ID) {
        set_error(b, FBB_MISUSE);
        return NULL;
    }
    if (prep(b, n, n)) return NULL;
    uint8_t *p = push(b, n);
    track_field(b, id, n);
    return b->error ? NULL : p;
}

void fbb_add_u8(fb_builder *b, uint32_t id, uint8_t v) {
    uint8_t *p = scalar_field(b, id, 1);
    if (p) p[0] = v;
}
void fbb_add_u16(fb_builder *b, uint32_t id, uint16_t v) {
    uint8_t *p = scalar_field(b, id, 2);
    if (p) put_u16(p, v);
}
void fbb_add_u32(fb_builder *b, uint32_t id, uint32_t v) {
    uint8_t *p = scalar_field(b, id, 4);
    if (p) put_u32(p, v);
}
void fbb_add_u64(fb_builder *b, uint32_t id, uint64_t v) {
    uint8_t *p = scalar_field(b, id, 8);
    if (p) put_u64(p, v);
}
void fbb_add_f32(fb_builder *b, uint32_t id, float v) {
    uint32_t u;
    memcpy(&u, &v, sizeof u);
    fbb_add_u32(b, id, u);
}

void fbb_add_ref(fb_builder *b, uint32_t id, fb_ref ref) {
    if (b->error || ref == 0) return;
    /* The target must have been finished before this table started. */
    if (ref > b->table_start) {
        set_error(b, FBB_MISUSE);
        return;
    }
    uint8_t *p = scalar_field(b, id, 4);
    if (p) put_u32(p, (uint32_t)(b->size - ref));
}

/* An earlier vtable equal to the one just pushed at the front, or 0. */
static fb_ref find_vtable(const fb_builder *b, const uint8_t *vt, size_t vt_bytes) {
    for (size_t i = 0; i < b->vtable_count; i++) {
        const uint8_t *q = b->buf + b->cap - b->vtables[i];
        if ((size_t)(q[0] | (q[1] << 8)) == vt_bytes && memcmp(q, vt, vt_bytes) == 0)
            return b->vtables[i];
    }
    return 0;
}

static void remember_vtable(fb_builder *b, fb_ref vt) {
    if (b->vtable_count == FBB_MAX_SHARED_VTABLES) return;
    if (b->vtable_count == b->vtable_cap) {
        size_t cap = b->vtable_cap ? b->vtable_cap * 2 : 16;
        fb_ref *v = mote_realloc(&b->alloc, b->vtables, b->vtable_cap * sizeof *v, cap * sizeof *v);
        if (!v) return; /* deduplication is an optimization: go on without it */
        b->vtables = v;
        b->vtable_cap = cap;
    }
    b->vtables[b->vtable_count++] = vt;
}

fb_ref fbb_table_end(fb_builder *b) {
    if (b->error) return 0;
    if (!b->in_table) {
        set_error(b, FBB_MISUSE);
        return 0;
    }
    b->in_table = 0;
    if (prep(b, 4, 4)) return 0;
    push(b, 4); /* the soffset to the vtable, written below */
    size_t table = b->size;
    /* The inline part ends with its farthest field; padding before the first field is not
     * counted, so tables of one layout get equal vtables wherever they fall. */
    size_t obj_bytes = 4;
    uint32_t max_id = 0;
    for (size_t i = 0; i < b->field_count; i++) {
        size_t end = table - b->fields[i].ref + b->fields[i].size;
        if (end > obj_bytes) obj_bytes = end;
        if (b->fields[i].id > max_id) max_id = b->fields[i].id;
    }
    size_t vt_bytes = 4 + (b->field_count ? 2 * ((size_t)max_id + 1) : 0);
    if (obj_bytes > 0xffffu) {
        set_error(b, FBB_TOO_LARGE);
        return 0;
    }
    if (prep(b, 2, vt_bytes)) return 0; /* the front is 4-aligned: no padding */
    uint8_t *vt = push(b, vt_bytes);
    put_u16(vt, (uint16_t)vt_bytes);
    put_u16(vt + 2, (uint16_t)obj_bytes);
    for (size_t i = 0; i < b->field_count; i++) {
        uint8_t *slot = vt + 4 + 2 * (size_t)b->fields[i].id;
        if (slot[0] | slot[1]) { /* the same id twice */
            set_error(b, FBB_MISUSE);
            return 0;
        }
        put_u16(slot, (uint16_t)(table - b->fields[i].ref));
    }
    fb_ref vt_ref = find_vtable(b, vt, vt_bytes);
    if (vt_ref) {
        b->size -= vt_bytes; /* share the earlier copy */
    } else {
        vt_ref = (fb_ref)b->size;
        remember_vtable(b, vt_ref);
    }
    /* vtable = table - soffset, in final positions (the end distances reversed). */
    int64_t soffset = (int64_t)vt_ref - (int64_t)table;
    put_u32(b->buf + b->cap - table, (uint32_t)(int32_t)soffset);
    return (fb_ref)table;
}

/* ---- finishing ---- */

void fbb_finish(fb_builder *b, fb_ref root, const char *identifier, size_t align) {
    if (b->error) return;
    if (b->in_table || b->finished || root == 0 || root > b->size || !is_pow2(align)) {
        set_error(b, FBB_MISUSE);
        return;
    }
    if (align < b->max_align) align = b->max_align;
    if (align < 4) align = 4;
    if (prep(b, align, identifier ? 8 : 4)) return;
    if (identifier) memcpy(push(b, 4), identifier, 4);
    uint8_t *p = push(b, 4);
    put_u32(p, (uint32_t)(b->size - root));
    b->finished = 1;
}

const uint8_t *fbb_data(const fb_builder *b, size_t *size) {
    if (b->error || !b->finished) {
        if (size) *size = 0;
        return NULL;
    }
    if (size) *size = b->size;
    return b->buf + b->cap - b->size;
}
