/* fb_builder.h — a FlatBuffer builder: tables with vtables, vectors, strings, alignment.
 *
 * The buffer is built back to front, as the FlatBuffers library does: every object is
 * pushed in front of the ones made before it, so an object's children exist before it and
 * every uoffset points forward (to a higher address), which is what the format requires.
 * An object is named by an fb_ref, its distance from the end of the buffer when it was
 * finished; that distance never changes as the buffer grows at the front, and 0 is never
 * a valid ref, so it means "none".
 *
 * Alignment is kept relative to the end of the buffer. fbb_finish pads the front so the
 * total size is a multiple of the largest alignment used, which makes every alignment
 * hold relative to the start too; the finished bytes themselves start at an address
 * aligned to that (the storage is 64-byte aligned with a capacity that is a multiple of
 * 64).
 *
 * Errors are sticky: after an allocation failure, an oversized buffer (FlatBuffers stop at
 * 2 GiB) or a misuse (a vector made inside a table, a field id used twice), every call
 * returns 0 and does nothing, and fbb_error says what happened. Callers build everything
 * and check once.
 *
 * Usage:
 *   fb_ref name = fbb_string(b, "x", 1);
 *   fbb_table_start(b);
 *   fbb_add_i32(b, 0, 42);                  field 0: a scalar, stored inline
 *   fbb_add_ref(b, 1, name);                field 1: a uoffset to the string
 *   fb_ref t = fbb_table_end(b);
 *   fbb_finish(b, t, "TFL3", 16);
 *   fbb_data(b, &size);
 */
#ifndef MOTE_FORMAT_FB_BUILDER_H
#define MOTE_FORMAT_FB_BUILDER_H

#include <stddef.h>
#include <stdint.h>

#include "core/alloc.h"

/* Largest FlatBuffer: positions are 32-bit and readers treat offsets as signed. */
#define FBB_MAX_SIZE 0x7fffffffu

/* Highest field id a table may use (its vtable entry must fit the 16-bit vtable size). */
#define FBB_MAX_FIELD_ID 32000u

typedef uint32_t fb_ref;

typedef enum fbb_error {
    FBB_OK = 0,
    FBB_OUT_OF_MEMORY,
    FBB_TOO_LARGE,   /* past FBB_MAX_SIZE, or a table past 64 KiB of inline fields */
    FBB_MISUSE       /* a call out of order or a repeated field id: a bug in the caller */
} fbb_error;

/* A field of the table being built: its id, where its value was pushed and its size. */
typedef struct fbb_field {
    uint16_t id;
    uint16_t size;
    uint32_t ref;
} fbb_field;

typedef struct fb_builder {
    mote_allocator alloc;
    uint8_t *buf;        /* [cap]; the data occupies the last `size` bytes */
    size_t cap;
    size_t size;
    size_t max_align;    /* largest alignment used so far */
    fbb_error error;
    /* Table in progress. */
    int in_table;
    size_t table_start;  /* size when the table started */
    fbb_field *fields;
    size_t field_count, field_cap;
    /* Vtables written so far, for deduplication (identical vtables are shared). */
    fb_ref *vtables;
    size_t vtable_count, vtable_cap;
    int finished;
} fb_builder;

/* allocator NULL means the default one. */
void fbb_init(fb_builder *b, const mote_allocator *allocator);
/* Empties the builder, keeping its memory, and clears the error. */
void fbb_reset(fb_builder *b);
void fbb_release(fb_builder *b);
static inline fbb_error fbb_error_of(const fb_builder *b) { return b->error; }
const char *fbb_error_string(fbb_error e);

/* ---- vectors and strings (not inside a table) ---- */

/* A vector of count elements of elem_size bytes whose first element is aligned to align
 * (a power of two, at least 4 is used). Returns its ref and sets *elems to its element
 * bytes for the caller to fill in little-endian order; *elems is valid until the next
 * builder call. */
fb_ref fbb_vector(fb_builder *b, size_t count, size_t elem_size, size_t align, uint8_t **elems);

/* Vectors copied from host arrays, stored little-endian. */
fb_ref fbb_vec_bytes(fb_builder *b, const void *data, size_t size, size_t align);
fb_ref fbb_vec_i32(fb_builder *b, const int32_t *v, size_t count);
fb_ref fbb_vec_i64(fb_builder *b, const int64_t *v, size_t count);
fb_ref fbb_vec_f32(fb_builder *b, const float *v, size_t count);
/* A vector of uoffsets to objects made earlier (tables, strings, vectors). */
fb_ref fbb_vec_refs(fb_builder *b, const fb_ref *refs, size_t count);

/* A string of len bytes (a NUL is appended). */
fb_ref fbb_string(fb_builder *b, const char *s, size_t len);
/* Same, of a C string. */
fb_ref fbb_cstring(fb_builder *b, const char *s);

/* ---- tables ---- */

void fbb_table_start(fb_builder *b);
void fbb_add_u8(fb_builder *b, uint32_t id, uint8_t v);
void fbb_add_u16(fb_builder *b, uint32_t id, uint16_t v);
void fbb_add_u32(fb_builder *b, uint32_t id, uint32_t v);
void fbb_add_u64(fb_builder *b, uint32_t id, uint64_t v);
void fbb_add_f32(fb_builder *b, uint32_t id, float v);
static inline void fbb_add_i8(fb_builder *b, uint32_t id, int8_t v) { fbb_add_u8(b, id, (uint8_t)v); }
static inline void fbb_add_bool(fb_builder *b, uint32_t id, int v) { fbb_add_u8(b, id, v ? 1 : 0); }
static inline void fbb_add_i16(fb_builder *b, uint32_t id, int16_t v) { fbb_add_u16(b, id, (uint16_t)v); }
static inline void fbb_add_i32(fb_builder *b, uint32_t id, int32_t v) { fbb_add_u32(b, id, (uint32_t)v); }
static inline void fbb_add_i64(fb_builder *b, uint32_t id, int64_t v) { fbb_add_u64(b, id, (uint64_t)v); }
/* A uoffset field to an object made before the table started; ref 0 adds nothing. */
void fbb_add_ref(fb_builder *b, uint32_t id, fb_ref ref);
/* Writes the table (and its vtable, unless an identical one exists) and returns it. */
fb_ref fbb_table_end(fb_builder *b);

/* ---- finishing ---- */

/* Writes the root offset and the 4-character file identifier (NULL: none), padding so the
 * buffer size is a multiple of align (a power of two) and of every alignment used. */
void fbb_finish(fb_builder *b, fb_ref root, const char *identifier, size_t align);
/* The finished bytes, or NULL when the build failed or is not finished. */
const uint8_t *fbb_data(const fb_builder *b, size_t *size);

#endif /* MOTE_FORMAT_FB_BUILDER_H */
