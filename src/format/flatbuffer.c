/* flatbuffer.c — FlatBuffer verification and accessors (see flatbuffer.h for the format). */
#include "format/flatbuffer.h"

#include <stdarg.h>
#include <stdio.h>

/* FlatBuffers positions are 32-bit; anything beyond 2 GiB is not FlatBuffer data (large
 * models keep weights after the FlatBuffer and point at them by file offset). */
#define FB_MAX_SIZE 0x7fffffffu

typedef struct verifier {
    const uint8_t *data;
    uint64_t size;
    uint32_t max_depth;
    uint64_t objects_left;
    char *err;
    size_t err_size;
    int failed;
} verifier;

static int fail(verifier *v, const char *fmt, ...) {
    if (!v->failed && v->err && v->err_size) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(v->err, v->err_size, fmt, ap);
        va_end(ap);
    }
    v->failed = 1;
    return -1;
}

static int count_objects(verifier *v, uint64_t n, const char *what) {
    if (v->objects_left < n)
        return fail(v, "too many objects in the FlatBuffer (at %s): shared sub-objects or "
                       "a hostile file", what);
    v->objects_left -= n;
    return 0;
}

static int count_object(verifier *v, const char *what) { return count_objects(v, 1, what); }

/* Checks that a uoffset stored at `at` points inside the buffer; sets *target. */
static int follow(verifier *v, uint64_t at, uint64_t *target, const char *what) {
    if (at + 4 > v->size) return fail(v, "%s: offset field out of bounds", what);
    uint64_t t = at + fb_read_u32(v->data + at);
    if (t + 4 > v->size) return fail(v, "%s: offset points outside the buffer", what);
    *target = t;
    return 0;
}

/* Checks a vector header at pos holding len elements of elem_size bytes each. */
static int check_vector(verifier *v, uint64_t pos, uint64_t elem_size, uint32_t *len,
                        const char *what) {
    if (count_object(v, what)) return -1;
    if (pos + 4 > v->size) return fail(v, "%s: vector out of bounds", what);
    uint32_t n = fb_read_u32(v->data + pos);
    if ((uint64_t)n * elem_size > v->size - pos - 4)
        return fail(v, "%s: vector of %u elements runs past the end of the buffer", what, n);
    *len = n;
    return 0;
}

static int check_string(verifier *v, uint64_t pos, const char *what) {
    uint32_t n = 0;
    if (check_vector(v, pos, 1, &n, what)) return -1;
    if (pos + 4 + n >= v->size) return fail(v, "%s: string has no terminator", what);
    if (v->data[pos + 4 + n] != 0) return fail(v, "%s: string is not NUL-terminated", what);
    return 0;
}

static int check_table(verifier *v, uint64_t pos, const fb_table_spec *spec, uint32_t depth,
                       const char *what);

/* The vtable slot of field id, or 0 when absent. */
static uint32_t vt_field(const uint8_t *data, uint64_t vt, uint32_t id) {
    uint32_t vt_bytes = fb_read_u16(data + vt);
    if (4u + 2u * id + 2u > vt_bytes) return 0;
    return fb_read_u16(data + vt + 4 + 2 * id);
}

static int check_field(verifier *v, uint64_t table, uint64_t vt, uint32_t obj_bytes,
                       const fb_field_spec *f, const fb_table_spec *spec, uint32_t depth) {
    uint32_t off = vt_field(v->data, vt, f->id);
    if (!off) return 0;
    char what[96];
    snprintf(what, sizeof what, "%s.field%u", spec->name, (unsigned)f->id);
    uint32_t inline_bytes = f->kind == FB_SCALAR ? f->elem_size : 4;
    if ((uint64_t)off + inline_bytes > obj_bytes)
        return fail(v, "%s: field lies outside its table", what);
    uint64_t at = table + off, target = 0;
    uint32_t n = 0;
    switch (f->kind) {
    case FB_SCALAR:
        return 0;
    case FB_STRING:
        if (follow(v, at, &target, what)) return -1;
        return check_string(v, target, what);
    case FB_VEC_SCALAR:
        if (follow(v, at, &target, what)) return -1;
        return check_vector(v, target, f->elem_size, &n, what);
    case FB_VEC_STRING:
        if (follow(v, at, &target, what)) return -1;
        if (check_vector(v, target, 4, &n, what)) return -1;
        for (uint32_t i = 0; i < n; i++) {
            uint64_t s = 0;
            if (follow(v, target + 4 + 4ull * i, &s, what) || check_string(v, s, what)) return -1;
        }
        return 0;
    case FB_VEC_TABLE:
        if (follow(v, at, &target, what)) return -1;
        if (check_vector(v, target, 4, &n, what)) return -1;
        if (depth + 1 > v->max_depth) return fail(v, "%s: nesting deeper than %u", what, v->max_depth);
        for (uint32_t i = 0; i < n; i++) {
            uint64_t t = 0;
            if (follow(v, target + 4 + 4ull * i, &t, what) ||
                check_table(v, t, f->table, depth + 1, what))
                return -1;
        }
        return 0;
    case FB_TABLE:
        if (follow(v, at, &target, what)) return -1;
        return check_table(v, target, f->table, depth + 1, what);
    case FB_UNION: {
        uint32_t type_off = f->id > 0 ? vt_field(v->data, vt, f->id - 1) : 0;
        uint8_t type = 0;
        if (type_off) {
            if ((uint64_t)type_off + 1 > obj_bytes)
                return fail(v, "%s: union type lies outside its table", what);
            type = v->data[table + type_off];
        }
        if (type == 0) return 0; /* NONE: the value is ignored */
        if (follow(v, at, &target, what)) return -1;
        const fb_table_spec *ts = NULL;
        if (f->union_spec && type < f->union_spec->count) ts = f->union_spec->types[type];
        return check_table(v, target, ts, depth + 1, what);
    }
    default:
        return fail(v, "%s: bad field kind in schema description", what);
    }
}

static int check_table(verifier *v, uint64_t pos, const fb_table_spec *spec, uint32_t depth,
                       const char *what) {
    if (depth > v->max_depth) return fail(v, "%s: nesting deeper than %u", what, v->max_depth);
    if (count_object(v, what)) return -1;
    if (pos + 4 > v->size) return fail(v, "%s: table out of bounds", what);
    int64_t vt = (int64_t)pos - (int32_t)fb_read_u32(v->data + pos);
    if (vt < 0 || (uint64_t)vt + 4 > v->size) return fail(v, "%s: vtable out of bounds", what);
    uint32_t vt_bytes = fb_read_u16(v->data + vt);
    uint32_t obj_bytes = fb_read_u16(v->data + vt + 2);
    if (vt_bytes < 4 || (vt_bytes & 1) || (uint64_t)vt + vt_bytes > v->size)
        return fail(v, "%s: malformed vtable", what);
    if (obj_bytes < 4 || pos + obj_bytes > v->size) return fail(v, "%s: table runs past the end", what);
    /* The scan below takes time in proportion to the vtable: charge big vtables to the
     * budget, or a table with a 64 KiB vtable shared through a DAG costs 32k steps per
     * counted visit (seconds for a 66 KiB file). Real vtables have < 64 entries: free. */
    if (count_objects(v, (vt_bytes - 4) / 2 / 64, what)) return -1;
    /* Every present field must start inside the table, described or not. */
    for (uint32_t i = 0; 4 + 2 * i + 2 <= vt_bytes; i++) {
        uint32_t off = fb_read_u16(v->data + vt + 4 + 2 * i);
        if (off && off >= obj_bytes) return fail(v, "%s: field %u lies outside its table", what, i);
    }
    if (!spec) return 0;
    for (uint32_t i = 0; i < spec->field_count; i++)
        if (check_field(v, pos, (uint64_t)vt, obj_bytes, &spec->fields[i], spec, depth)) return -1;
    return 0;
}

int fb_verify(fb_buf buf, const fb_table_spec *root, const char *identifier,
              const fb_verify_limits *limits, char *err, size_t err_size) {
    verifier v = {0};
    v.data = buf.data;
    v.size = buf.size > FB_MAX_SIZE ? FB_MAX_SIZE : buf.size;
    v.max_depth = limits && limits->max_depth ? limits->max_depth : 64;
    v.objects_left = limits && limits->max_objects ? limits->max_objects : v.size + 65536;
    v.err = err;
    v.err_size = err_size;
    if (err && err_size) err[0] = 0;
    if (!buf.data || v.size < 8) return fail(&v, "buffer too small to be a FlatBuffer (%zu bytes)", buf.size);
    if (identifier && memcmp(buf.data + 4, identifier, 4) != 0) {
        char got[5];
        for (int i = 0; i < 4; i++) {
            uint8_t c = buf.data[4 + i];
            got[i] = (c >= 32 && c < 127) ? (char)c : '?';
        }
        got[4] = 0;
        return fail(&v, "file identifier is '%s', expected '%s'", got, identifier);
    }
    uint64_t root_pos = fb_read_u32(buf.data);
    if (root_pos < 4 || root_pos + 4 > v.size) return fail(&v, "root offset out of bounds");
    return check_table(&v, root_pos, root, 0, root ? root->name : "root");
}

fb_table fb_root(fb_buf buf) { return fb_read_u32(buf.data); }

uint32_t fb_field_pos(fb_buf buf, fb_table t, uint32_t id, uint32_t size) {
    if (!t) return 0;
    uint32_t vt = (uint32_t)((int64_t)t - (int32_t)fb_read_u32(buf.data + t));
    uint32_t off = vt_field(buf.data, vt, id);
    if (!off) return 0;
    if ((uint64_t)off + size > fb_read_u16(buf.data + vt + 2)) return 0;
    return t + off;
}

int fb_has_field(fb_buf buf, fb_table t, uint32_t id) { return fb_field_pos(buf, t, id, 1) != 0; }

uint8_t fb_u8(fb_buf buf, fb_table t, uint32_t id, uint8_t def) {
    uint32_t p = fb_field_pos(buf, t, id, 1);
    return p ? buf.data[p] : def;
}
int8_t fb_i8(fb_buf buf, fb_table t, uint32_t id, int8_t def) {
    uint32_t p = fb_field_pos(buf, t, id, 1);
    return p ? (int8_t)buf.data[p] : def;
}
uint16_t fb_u16(fb_buf buf, fb_table t, uint32_t id, uint16_t def) {
    uint32_t p = fb_field_pos(buf, t, id, 2);
    return p ? fb_read_u16(buf.data + p) : def;
}
int16_t fb_i16(fb_buf buf, fb_table t, uint32_t id, int16_t def) {
    uint32_t p = fb_field_pos(buf, t, id, 2);
    return p ? (int16_t)fb_read_u16(buf.data + p) : def;
}
uint32_t fb_u32(fb_buf buf, fb_table t, uint32_t id, uint32_t def) {
    uint32_t p = fb_field_pos(buf, t, id, 4);
    return p ? fb_read_u32(buf.data + p) : def;
}
int32_t fb_i32(fb_buf buf, fb_table t, uint32_t id, int32_t def) {
    uint32_t p = fb_field_pos(buf, t, id, 4);
    return p ? (int32_t)fb_read_u32(buf.data + p) : def;
}
uint64_t fb_u64(fb_buf buf, fb_table t, uint32_t id, uint64_t def) {
    uint32_t p = fb_field_pos(buf, t, id, 8);
    return p ? fb_read_u64(buf.data + p) : def;
}
int64_t fb_i64(fb_buf buf, fb_table t, uint32_t id, int64_t def) {
    uint32_t p = fb_field_pos(buf, t, id, 8);
    return p ? (int64_t)fb_read_u64(buf.data + p) : def;
}
float fb_f32(fb_buf buf, fb_table t, uint32_t id, float def) {
    uint32_t p = fb_field_pos(buf, t, id, 4);
    if (!p) return def;
    uint32_t u = fb_read_u32(buf.data + p);
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}
int fb_bool(fb_buf buf, fb_table t, uint32_t id, int def) {
    uint32_t p = fb_field_pos(buf, t, id, 1);
    return p ? buf.data[p] != 0 : def;
}

fb_table fb_table_field(fb_buf buf, fb_table t, uint32_t id) {
    uint32_t p = fb_field_pos(buf, t, id, 4);
    return p ? p + fb_read_u32(buf.data + p) : 0;
}

fb_vec fb_vec_field(fb_buf buf, fb_table t, uint32_t id) {
    fb_vec v = {0, 0};
    uint32_t p = fb_field_pos(buf, t, id, 4);
    if (!p) return v;
    uint32_t at = p + fb_read_u32(buf.data + p);
    v.len = fb_read_u32(buf.data + at);
    v.pos = at + 4;
    return v;
}

const char *fb_string_field(fb_buf buf, fb_table t, uint32_t id, uint32_t *len) {
    fb_vec v = fb_vec_field(buf, t, id);
    if (!v.pos) {
        if (len) *len = 0;
        return NULL;
    }
    if (len) *len = v.len;
    return (const char *)buf.data + v.pos;
}

const char *fb_vec_string(fb_buf buf, fb_vec v, uint32_t i, uint32_t *len) {
    uint32_t at = v.pos + 4u * i;
    uint32_t s = at + fb_read_u32(buf.data + at);
    if (len) *len = fb_read_u32(buf.data + s);
    return (const char *)buf.data + s + 4;
}
