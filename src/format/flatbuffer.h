/* flatbuffer.h — a verifying, zero-copy FlatBuffer reader driven by schema tables.
 *
 * Wire format (little-endian), as the FlatBuffers specification defines it:
 *
 *   buffer:  [uoffset root][4-byte file identifier]...
 *   table:   [soffset to vtable (int32)][inline fields...]      vtable = table - soffset
 *   vtable:  [u16 vtable bytes][u16 table inline bytes][u16 field offset]*  (0 = absent)
 *   field:   scalar stored inline, or a uoffset (u32) relative to the field's own position
 *            pointing at a table, vector or string
 *   vector:  [u32 length][elements...]     string: a vector of bytes followed by a NUL
 *   union:   two fields, a u8 type (field id k) and a uoffset to the table (field id k+1)
 *
 * fb_verify() walks the whole buffer once against a schema description (fb_table_spec) and
 * checks every offset, length, string terminator, union type and nested table, with a
 * depth limit and a budget on visited objects (shared sub-objects could otherwise make a
 * small file take exponential time). After that, the accessors below read without bounds
 * checks of their own, except that scalar reads check the field fits in its table, so
 * fields a spec does not describe are still read safely.
 */
#ifndef MOTE_FORMAT_FLATBUFFER_H
#define MOTE_FORMAT_FLATBUFFER_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The buffer being read: its bytes and size. */
typedef struct fb_buf {
    const uint8_t *data;
    size_t size;
} fb_buf;

/* A table: its position in the buffer (0 = absent; position 0 is always the root offset,
 * never a table). */
typedef uint32_t fb_table;

/* A vector: position of its first element and its length. */
typedef struct fb_vec {
    uint32_t pos;
    uint32_t len;
} fb_vec;

/* ---- schema description for the verifier ---- */

typedef enum fb_kind {
    FB_SCALAR,      /* inline scalar of elem_size bytes */
    FB_STRING,      /* string */
    FB_VEC_SCALAR,  /* vector of scalars of elem_size bytes */
    FB_VEC_STRING,  /* vector of strings */
    FB_VEC_TABLE,   /* vector of tables of type `table` */
    FB_TABLE,       /* table of type `table` */
    FB_UNION        /* union value; its type byte is field id - 1 */
} fb_kind;

struct fb_table_spec;

typedef struct fb_union_spec {
    uint32_t count;                           /* number of type values (index 0 = NONE) */
    const struct fb_table_spec *const *types; /* [count]; NULL: a table we do not describe */
} fb_union_spec;

typedef struct fb_field_spec {
    uint16_t id;
    uint8_t kind;      /* fb_kind */
    uint8_t elem_size; /* FB_SCALAR, FB_VEC_SCALAR */
    const struct fb_table_spec *table;
    const fb_union_spec *union_spec;
} fb_field_spec;

typedef struct fb_table_spec {
    const char *name;
    uint32_t field_count;
    const fb_field_spec *fields;
} fb_table_spec;

typedef struct fb_verify_limits {
    uint32_t max_depth;   /* nesting of tables and vectors */
    uint64_t max_objects; /* tables, vectors and strings visited in all */
} fb_verify_limits;

/* Verifies the buffer against the root table's spec and identifier (NULL: not checked).
 * Returns 0 on success, or -1 and writes a message naming the failing table and field. */
int fb_verify(fb_buf buf, const fb_table_spec *root, const char *identifier,
              const fb_verify_limits *limits, char *err, size_t err_size);

/* ---- accessors (valid after fb_verify) ---- */

static inline uint16_t fb_read_u16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static inline uint32_t fb_read_u32(const uint8_t *p) {
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}
static inline uint64_t fb_read_u64(const uint8_t *p) {
    return (uint64_t)fb_read_u32(p) | ((uint64_t)fb_read_u32(p + 4) << 32);
}

fb_table fb_root(fb_buf buf);

/* Position of field `id` of table t when present and at least `size` bytes of it lie in
 * the table, else 0. */
uint32_t fb_field_pos(fb_buf buf, fb_table t, uint32_t id, uint32_t size);

int fb_has_field(fb_buf buf, fb_table t, uint32_t id);

uint8_t fb_u8(fb_buf buf, fb_table t, uint32_t id, uint8_t def);
int8_t fb_i8(fb_buf buf, fb_table t, uint32_t id, int8_t def);
uint16_t fb_u16(fb_buf buf, fb_table t, uint32_t id, uint16_t def);
int16_t fb_i16(fb_buf buf, fb_table t, uint32_t id, int16_t def);
uint32_t fb_u32(fb_buf buf, fb_table t, uint32_t id, uint32_t def);
int32_t fb_i32(fb_buf buf, fb_table t, uint32_t id, int32_t def);
uint64_t fb_u64(fb_buf buf, fb_table t, uint32_t id, uint64_t def);
int64_t fb_i64(fb_buf buf, fb_table t, uint32_t id, int64_t def);
float fb_f32(fb_buf buf, fb_table t, uint32_t id, float def);
int fb_bool(fb_buf buf, fb_table t, uint32_t id, int def);

/* Sub-objects: 0 / empty when absent. */
fb_table fb_table_field(fb_buf buf, fb_table t, uint32_t id);
fb_vec fb_vec_field(fb_buf buf, fb_table t, uint32_t id);
/* NUL-terminated string in the buffer (verified), or NULL when absent; *len if non-NULL. */
const char *fb_string_field(fb_buf buf, fb_table t, uint32_t id, uint32_t *len);

/* Elements of a vector (i < v.len). */
static inline const uint8_t *fb_vec_data(fb_buf buf, fb_vec v) { return buf.data + v.pos; }
static inline int32_t fb_vec_i32(fb_buf buf, fb_vec v, uint32_t i) {
    return (int32_t)fb_read_u32(buf.data + v.pos + 4u * i);
}
static inline uint32_t fb_vec_u32(fb_buf buf, fb_vec v, uint32_t i) {
    return fb_read_u32(buf.data + v.pos + 4u * i);
}
static inline int64_t fb_vec_i64(fb_buf buf, fb_vec v, uint32_t i) {
    return (int64_t)fb_read_u64(buf.data + v.pos + 8u * i);
}
static inline float fb_vec_f32(fb_buf buf, fb_vec v, uint32_t i) {
    uint32_t u = fb_read_u32(buf.data + v.pos + 4u * i);
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}
static inline fb_table fb_vec_table(fb_buf buf, fb_vec v, uint32_t i) {
    uint32_t at = v.pos + 4u * i;
    return at + fb_read_u32(buf.data + at);
}
const char *fb_vec_string(fb_buf buf, fb_vec v, uint32_t i, uint32_t *len);

#endif /* MOTE_FORMAT_FLATBUFFER_H */
