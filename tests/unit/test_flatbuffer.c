/* test_flatbuffer.c — the verifying FlatBuffer reader against hand-built buffers: valid
 * objects read back, and every kind of malformed buffer rejected with a message. */
#include <time.h>

#include "fbgen.h"
#include "format/flatbuffer.h"
#include "test.h"

/* ---- a small schema ----
 *   table Item  { value:uint32 (0); children:[Item] (1); child:Item (2); }
 *   table Other { name:string (0); }
 *   union Payload { Item = 1, Other = 2 }
 *   table Root  { a:uint32 (0); s:string (1); v:[uint16] (2); names:[string] (3);
 *                 items:[Item] (4); item:Item (5); payload:Payload (6 type, 7 value);
 *                 big:uint64 (8); }
 */
static const fb_table_spec item_spec;
static const fb_field_spec item_fields[] = {
    {0, FB_SCALAR, 4, NULL, NULL},
    {1, FB_VEC_TABLE, 4, &item_spec, NULL},
    {2, FB_TABLE, 4, &item_spec, NULL},
};
static const fb_table_spec item_spec = {"Item", 3, item_fields};
static const fb_field_spec other_fields[] = {{0, FB_STRING, 1, NULL, NULL}};
static const fb_table_spec other_spec = {"Other", 1, other_fields};
static const fb_table_spec *const payload_types[] = {NULL, &item_spec, &other_spec};
static const fb_union_spec payload_union = {3, payload_types};
static const fb_field_spec root_fields[] = {
    {0, FB_SCALAR, 4, NULL, NULL},       {1, FB_STRING, 1, NULL, NULL},
    {2, FB_VEC_SCALAR, 2, NULL, NULL},   {3, FB_VEC_STRING, 4, NULL, NULL},
    {4, FB_VEC_TABLE, 4, &item_spec, NULL}, {5, FB_TABLE, 4, &item_spec, NULL},
    {6, FB_SCALAR, 1, NULL, NULL},       {7, FB_UNION, 4, NULL, &payload_union},
    {8, FB_SCALAR, 8, NULL, NULL},
};
static const fb_table_spec root_spec = {"Root", 9, root_fields};

/* Where the interesting bytes of the valid buffer are, for the tests that break them. */
typedef struct layout {
    uint32_t root, vtable, string, vec_u16, names, items, item, union_type_at, union_at, payload;
    uint32_t field[9];
} layout;

static uint32_t item_table(fbgen *g, uint32_t value) {
    fbg_field f[] = {{0, 4, value}};
    return fbg_table(g, f, 1, NULL);
}

static void build_valid(fbgen *g, layout *l) {
    fbg_init(g);
    fbg_field f[] = {{0, 4, 7}, {1, 4, 0}, {2, 4, 0}, {3, 4, 0}, {4, 4, 0},
                     {5, 4, 0}, {6, 1, 1}, {7, 4, 0}, {8, 8, 0x1122334455667788ull}};
    l->root = fbg_table(g, f, 9, l->field);
    l->vtable = l->root - fb_read_u32(g->p + l->root);
    l->union_type_at = l->field[6];
    l->union_at = l->field[7];
    l->string = fbg_string(g, "hello");
    fbg_link(g, l->field[1], l->string);
    const uint16_t v[3] = {1, 2, 65535};
    l->vec_u16 = fbg_vec(g, 2, 3, v);
    fbg_link(g, l->field[2], l->vec_u16);
    l->names = fbg_vec(g, 4, 2, NULL);
    fbg_link(g, l->field[3], l->names);
    fbg_link(g, fbg_slot(l->names, 0), fbg_string(g, "a"));
    fbg_link(g, fbg_slot(l->names, 1), fbg_string(g, "bc"));
    l->items = fbg_vec(g, 4, 2, NULL);
    fbg_link(g, l->field[4], l->items);
    fbg_link(g, fbg_slot(l->items, 0), item_table(g, 10));
    fbg_link(g, fbg_slot(l->items, 1), item_table(g, 20));
    l->item = item_table(g, 30);
    fbg_link(g, l->field[5], l->item);
    l->payload = item_table(g, 40);
    fbg_link(g, l->union_at, l->payload);
    fbg_root(g, l->root, "TEST");
}

/* Verifies the first size bytes of g from an exact-size heap copy, so that the sanitizer
 * catches any read past the end. Returns fb_verify's result; err receives the message. */
static int verify_n(const fbgen *g, size_t size, const fb_verify_limits *limits, char *err,
                    size_t err_size) {
    uint8_t *copy = malloc(size ? size : 1);
    if (size) memcpy(copy, g->p, size);
    fb_buf b = {copy, size};
    int r = fb_verify(b, &root_spec, "TEST", limits, err, err_size);
    free(copy);
    return r;
}

static int verify(const fbgen *g, char *err, size_t err_size) {
    return verify_n(g, g->n, NULL, err, err_size);
}

/* The buffer must be rejected with a message containing `expect`. */
#define CHECK_REJECTS(g, expect)                                                         \
    do {                                                                                 \
        char err_[256] = "";                                                             \
        CHECK(verify((g), err_, sizeof err_) != 0);                                      \
        CHECK(err_[0] != 0);                                                             \
        if (!strstr(err_, (expect))) {                                                   \
            fprintf(stderr, "%s:%d: message '%s' lacks '%s'\n", __FILE__, __LINE__, err_, \
                    (expect));                                                           \
            test_failures++;                                                             \
        }                                                                                \
    } while (0)

static void test_valid_buffer_reads_back(void) {
    fbgen g;
    layout l;
    build_valid(&g, &l);
    char err[256] = "x";
    CHECK_EQ_INT(verify(&g, err, sizeof err), 0);
    CHECK_EQ_INT(err[0], 0);
    fb_buf b = {g.p, g.n};
    fb_table root = fb_root(b);
    CHECK_EQ_INT(root, l.root);
    CHECK_EQ_INT(fb_u32(b, root, 0, 99), 7);
    CHECK_EQ_INT(fb_u64(b, root, 8, 0), 0x1122334455667788ull);
    CHECK_EQ_INT(fb_u32(b, root, 20, 99), 99); /* beyond the vtable: the default */
    CHECK(!fb_has_field(b, root, 20));
    CHECK(fb_has_field(b, root, 1));
    /* A read wider than the field's room in its table finds nothing. */
    CHECK_EQ_INT(fb_field_pos(b, root, 8, 8), l.field[8]);
    CHECK_EQ_INT(fb_field_pos(b, root, 8, 16), 0);
    uint32_t len = 0;
    const char *s = fb_string_field(b, root, 1, &len);
    CHECK(s && strcmp(s, "hello") == 0);
    CHECK_EQ_INT(len, 5);
    fb_vec v = fb_vec_field(b, root, 2);
    CHECK_EQ_INT(v.len, 3);
    CHECK_EQ_INT(fb_read_u16(fb_vec_data(b, v) + 4), 65535);
    fb_vec names = fb_vec_field(b, root, 3);
    CHECK_EQ_INT(names.len, 2);
    CHECK(strcmp(fb_vec_string(b, names, 1, &len), "bc") == 0);
    CHECK_EQ_INT(len, 2);
    fb_vec items = fb_vec_field(b, root, 4);
    CHECK_EQ_INT(items.len, 2);
    CHECK_EQ_INT(fb_u32(b, fb_vec_table(b, items, 0), 0, 0), 10);
    CHECK_EQ_INT(fb_u32(b, fb_vec_table(b, items, 1), 0, 0), 20);
    CHECK_EQ_INT(fb_u32(b, fb_table_field(b, root, 5), 0, 0), 30);
    CHECK_EQ_INT(fb_u8(b, root, 6, 0), 1);
    CHECK_EQ_INT(fb_u32(b, fb_table_field(b, root, 7), 0, 0), 40);
    /* Absent sub-objects read as empty. */
    fb_table item = fb_table_field(b, root, 5);
    CHECK_EQ_INT(fb_table_field(b, item, 2), 0);
    CHECK_EQ_INT(fb_vec_field(b, item, 1).len, 0);
    CHECK(fb_string_field(b, item, 1, &len) == NULL && len == 0);
    /* No identifier check when none is expected. */
    fb_buf nb = {g.p, g.n};
    CHECK_EQ_INT(fb_verify(nb, &root_spec, NULL, NULL, NULL, 0), 0);
    fbg_free(&g);
}

static void test_union_of_other_type(void) {
    fbgen g;
    fbg_init(&g);
    fbg_field f[] = {{6, 1, 2}, {7, 4, 0}};
    uint32_t pos[2];
    uint32_t root = fbg_table(&g, f, 2, pos);
    fbg_field of[] = {{0, 4, 0}};
    uint32_t opos;
    uint32_t other = fbg_table(&g, of, 1, &opos);
    fbg_link(&g, pos[1], other);
    uint32_t str = fbg_string(&g, "other");
    fbg_link(&g, opos, str);
    fbg_root(&g, root, "TEST");
    char err[256];
    CHECK_EQ_INT(verify(&g, err, sizeof err), 0);
    /* Other's string is checked as a string: one byte longer, it has no terminator (it
     * is the last object in the buffer). */
    fbg_w32(&g, str, 6);
    CHECK_REJECTS(&g, "Other.field0");
    fbg_free(&g);
}

static void test_truncated_buffers(void) {
    fbgen g;
    layout l;
    build_valid(&g, &l);
    char err[256];
    for (size_t n = 0; n < g.n; n++) {
        err[0] = 0;
        int r = verify_n(&g, n, NULL, err, sizeof err);
        /* The last byte written is the payload table's value: every cut loses something. */
        CHECK(r != 0);
        CHECK(err[0] != 0);
        if (n < 8) CHECK(strstr(err, "too small") != NULL);
    }
    fb_buf null_buf = {NULL, 100};
    CHECK(fb_verify(null_buf, &root_spec, "TEST", NULL, err, sizeof err) != 0);
    fbg_free(&g);
}

static void test_root_offset_out_of_range(void) {
    fbgen g;
    layout l;
    build_valid(&g, &l);
    fbg_w32(&g, 0, g.n);
    CHECK_REJECTS(&g, "root offset");
    fbg_w32(&g, 0, 0xFFFFFFFFu);
    CHECK_REJECTS(&g, "root offset");
    fbg_w32(&g, 0, 2); /* inside the header */
    CHECK_REJECTS(&g, "root offset");
    fbg_w32(&g, 0, g.n - 3); /* the table's soffset would not fit */
    CHECK_REJECTS(&g, "root offset");
    fbg_free(&g);
}

static void test_bad_vtables(void) {
    fbgen g;
    layout l;
    build_valid(&g, &l);
    uint32_t soff = fb_read_u32(g.p + l.root);
    /* Before the start of the buffer. */
    fbg_w32(&g, l.root, l.root + 4);
    CHECK_REJECTS(&g, "vtable out of bounds");
    /* After the end (a negative soffset). */
    fbg_w32(&g, l.root, (uint32_t)-(int32_t)(g.n - l.root));
    CHECK_REJECTS(&g, "vtable out of bounds");
    fbg_w32(&g, l.root, soff);
    /* Odd size, too small, running past the end. */
    uint16_t vt_bytes = fb_read_u16(g.p + l.vtable);
    fbg_w16(&g, l.vtable, (uint16_t)(vt_bytes - 1));
    CHECK_REJECTS(&g, "malformed vtable");
    fbg_w16(&g, l.vtable, 2);
    CHECK_REJECTS(&g, "malformed vtable");
    fbg_w16(&g, l.vtable, 0xFFFE);
    CHECK_REJECTS(&g, "malformed vtable");
    fbg_w16(&g, l.vtable, vt_bytes);
    /* The table's own size running past the end, or too small for its soffset. */
    uint16_t obj = fb_read_u16(g.p + l.vtable + 2);
    fbg_w16(&g, l.vtable + 2, 0xFFFF);
    CHECK_REJECTS(&g, "runs past the end");
    fbg_w16(&g, l.vtable + 2, 2);
    CHECK(verify(&g, NULL, 0) != 0);
    fbg_w16(&g, l.vtable + 2, obj);
    char err[256];
    CHECK_EQ_INT(verify(&g, err, sizeof err), 0);
    fbg_free(&g);
}

static void test_field_outside_table(void) {
    fbgen g;
    layout l;
    build_valid(&g, &l);
    uint16_t obj = fb_read_u16(g.p + l.vtable + 2);
    uint32_t slot0 = l.vtable + 4; /* field 0 (a u32) */
    uint16_t off0 = fb_read_u16(g.p + slot0);
    fbg_w16(&g, slot0, obj);
    CHECK_REJECTS(&g, "outside its table");
    fbg_w16(&g, slot0, (uint16_t)(obj + 100));
    CHECK_REJECTS(&g, "outside its table");
    /* Starting inside but 4 bytes do not fit. */
    fbg_w16(&g, slot0, (uint16_t)(obj - 2));
    CHECK_REJECTS(&g, "outside its table");
    fbg_w16(&g, slot0, off0);
    /* The union's type byte. */
    uint32_t slot6 = l.vtable + 4 + 2 * 6;
    uint16_t off6 = fb_read_u16(g.p + slot6);
    fbg_w16(&g, slot6, (uint16_t)(obj + 1));
    CHECK_REJECTS(&g, "outside its table");
    fbg_w16(&g, slot6, off6);
    char err[256];
    CHECK_EQ_INT(verify(&g, err, sizeof err), 0);
    fbg_free(&g);

    /* A field the spec does not describe (id 12) must still lie in its table. */
    fbg_init(&g);
    fbg_field f[] = {{0, 4, 1}, {12, 4, 2}};
    uint32_t root = fbg_table(&g, f, 2, NULL);
    fbg_root(&g, root, "TEST");
    CHECK_EQ_INT(verify(&g, err, sizeof err), 0);
    uint32_t vt = root - fb_read_u32(g.p + root);
    fbg_w16(&g, vt + 4 + 2 * 12, 200);
    CHECK_REJECTS(&g, "outside its table");
    fbg_free(&g);
}

static void test_vector_lengths(void) {
    const uint32_t lengths[] = {0xFFFFFFFFu, 0x80000000u, 0x7FFFFFFFu, 0x40000000u, 1000};
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
        fbgen g;
        layout l;
        build_valid(&g, &l);
        fbg_w32(&g, l.vec_u16, lengths[i]); /* [uint16]: 2-byte elements */
        CHECK_REJECTS(&g, "past the end");
        fbg_w32(&g, l.vec_u16, 3);
        fbg_w32(&g, l.names, lengths[i]); /* [string] */
        CHECK_REJECTS(&g, "past the end");
        fbg_w32(&g, l.names, 2);
        fbg_w32(&g, l.items, lengths[i]); /* [Item] */
        CHECK_REJECTS(&g, "past the end");
        fbg_w32(&g, l.items, 2);
        fbg_w32(&g, l.string, lengths[i]); /* a string is a byte vector */
        CHECK_REJECTS(&g, "Root.field1");
        fbg_free(&g);
    }
    /* A vector offset pointing outside the buffer. */
    fbgen g;
    layout l;
    build_valid(&g, &l);
    fbg_w32(&g, l.field[2], 0x7FFFFFF0u);
    CHECK_REJECTS(&g, "outside the buffer");
    fbg_free(&g);
}

static void test_strings(void) {
    fbgen g;
    layout l;
    build_valid(&g, &l);
    /* "hello" is followed by its NUL at string + 4 + 5. */
    g.p[l.string + 9] = 'x';
    CHECK_REJECTS(&g, "NUL");
    g.p[l.string + 9] = 0;
    /* A length that ends exactly at the end of the buffer leaves no room for the NUL. */
    fbg_w32(&g, l.string, g.n - l.string - 4);
    CHECK_REJECTS(&g, "terminator");
    fbg_free(&g);
}

static void test_unions(void) {
    char err[256];
    fbgen g;
    layout l;
    build_valid(&g, &l);
    /* An unknown type is accepted as an opaque table (the header is still checked). */
    g.p[l.union_type_at] = 99;
    CHECK_EQ_INT(verify(&g, err, sizeof err), 0);
    /* ... but its offset must still be good. */
    fbg_w32(&g, l.union_at, 0x7FFFFF00u);
    CHECK_REJECTS(&g, "outside the buffer");
    g.p[l.union_type_at] = 1;
    CHECK_REJECTS(&g, "outside the buffer");
    /* Type NONE: the value is ignored. */
    g.p[l.union_type_at] = 0;
    CHECK_EQ_INT(verify(&g, err, sizeof err), 0);
    /* An opaque table with a broken vtable is rejected. */
    g.p[l.union_type_at] = 99;
    fbg_link(&g, l.union_at, l.payload);
    fbg_w32(&g, l.payload, 0x7FFFFFF0u);
    CHECK_REJECTS(&g, "vtable out of bounds");
    fbg_free(&g);
}

/* A uoffset of 0 points at itself: read as a table, its vtable is itself. */
static void test_self_pointing_offset(void) {
    fbgen g;
    layout l;
    build_valid(&g, &l);
    fbg_w32(&g, l.field[5], 0);
    CHECK(verify(&g, NULL, 0) != 0);
    fbg_free(&g);
}

/* A chain root -> item -> item ... of `depth` Items. */
static void build_chain(fbgen *g, int depth, int through_vectors) {
    fbg_init(g);
    fbg_field f[] = {{through_vectors ? 4 : 5, 4, 0}};
    uint32_t slot;
    uint32_t root = fbg_table(g, f, 1, &slot);
    for (int i = 0; i < depth; i++) {
        if (through_vectors) {
            uint32_t v = fbg_vec(g, 4, 1, NULL);
            fbg_link(g, slot, v);
            slot = fbg_slot(v, 0);
        }
        fbg_field itf[] = {{0, 4, (uint64_t)i}, {through_vectors ? 1 : 2, 4, 0}};
        uint32_t pos[2];
        uint32_t t = fbg_table(g, itf, i + 1 < depth ? 2 : 1, pos);
        fbg_link(g, slot, t);
        slot = pos[1];
    }
    fbg_root(g, root, "TEST");
}

static void test_nesting_limit(void) {
    for (int vec = 0; vec <= 1; vec++) {
        fb_verify_limits limits = {8, 0};
        char err[256];
        fbgen g;
        build_chain(&g, 8, vec);
        CHECK_EQ_INT(verify_n(&g, g.n, &limits, err, sizeof err), 0);
        fbg_free(&g);
        build_chain(&g, 9, vec);
        CHECK(verify_n(&g, g.n, &limits, err, sizeof err) != 0);
        CHECK(strstr(err, "nesting deeper than 8") != NULL);
        fbg_free(&g);
        /* The default limit (64) also holds, without recursing without end. */
        build_chain(&g, 200, vec);
        CHECK(verify_n(&g, g.n, NULL, err, sizeof err) != 0);
        CHECK(strstr(err, "nesting deeper") != NULL);
        fbg_free(&g);
    }
}

static double seconds_since(const struct timespec *t0) {
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0->tv_nsec);
}

/* root.items is a vector of `fan` offsets all naming one Item, whose children vector again
 * names one Item `fan` times, `levels` deep: fan^levels visits for a tiny file. */
static void build_dag_bomb(fbgen *g, uint32_t fan, int levels) {
    fbg_init(g);
    fbg_field f[] = {{4, 4, 0}};
    uint32_t slot;
    uint32_t root = fbg_table(g, f, 1, &slot);
    for (int lv = 0; lv < levels; lv++) {
        uint32_t v = fbg_vec(g, 4, fan, NULL);
        fbg_link(g, slot, v);
        fbg_field itf[] = {{0, 4, (uint64_t)lv}, {1, 4, 0}};
        uint32_t pos[2];
        uint32_t t = fbg_table(g, itf, lv + 1 < levels ? 2 : 1, pos);
        for (uint32_t i = 0; i < fan; i++) fbg_link(g, fbg_slot(v, i), t);
        slot = pos[1];
    }
    fbg_root(g, root, "TEST");
}

static void test_dag_bomb(void) {
    char err[256];
    fbgen g;
    /* Small sharing is legal FlatBuffers and passes: 3 + 9 + 27 visits. */
    build_dag_bomb(&g, 3, 3);
    CHECK_EQ_INT(verify(&g, err, sizeof err), 0);
    fbg_free(&g);
    /* 64^8 visits from a 2 KiB file: the object budget stops it at once. */
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    build_dag_bomb(&g, 64, 8);
    CHECK(g.n < 4096);
    CHECK(verify(&g, err, sizeof err) != 0);
    CHECK(strstr(err, "too many objects") != NULL);
    double s = seconds_since(&t0);
    CHECK(s < 5.0); /* generous for loaded machines; unbounded work takes minutes */
    /* A caller-set budget applies. */
    fb_verify_limits limits = {0, 100};
    fbg_free(&g);
    build_dag_bomb(&g, 4, 4); /* 4 + 16 + 64 + 256 Items */
    CHECK(verify_n(&g, g.n, &limits, err, sizeof err) != 0);
    CHECK(strstr(err, "too many objects") != NULL);
    limits.max_objects = 1000;
    CHECK_EQ_INT(verify_n(&g, g.n, &limits, err, sizeof err), 0);
    fbg_free(&g);
}

/* The same bomb, but every Item shares one vtable of 32k entries: a verifier that walks
 * the whole vtable on every visit does 32k steps per counted object. */
static void test_dag_bomb_with_huge_vtable(void) {
    fbgen g;
    fbg_init(&g);
    fbg_field f[] = {{4, 4, 0}};
    uint32_t slot;
    uint32_t root = fbg_table(&g, f, 1, &slot);
    const uint32_t vt_bytes = 0xFFFE, fan = 200;
    uint32_t vt = fbg_reserve(&g, vt_bytes, 2);
    fbg_w16(&g, vt, (uint16_t)vt_bytes);
    fbg_w16(&g, vt + 2, 8);
    fbg_w16(&g, vt + 4 + 2 * 1, 4); /* field 1 (children) at offset 4 */
    for (int lv = 0; lv < 3; lv++) {
        uint32_t v = fbg_vec(&g, 4, fan, NULL);
        fbg_link(&g, slot, v);
        uint32_t t = fbg_reserve(&g, 8, 4);
        fbg_w32(&g, t, t - vt);
        for (uint32_t i = 0; i < fan; i++) fbg_link(&g, fbg_slot(v, i), t);
        slot = t + 4;
    }
    uint32_t empty = fbg_vec(&g, 4, 0, NULL);
    fbg_link(&g, slot, empty);
    fbg_root(&g, root, "TEST");
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    char err[256];
    CHECK(verify(&g, err, sizeof err) != 0);
    CHECK(strstr(err, "too many objects") != NULL);
    double s = seconds_since(&t0);
    if (s >= 5.0) fprintf(stderr, "huge-vtable bomb took %.1f s\n", s);
    CHECK(s < 5.0); /* before the vtable scan was charged to the budget: 24 s */
    fbg_free(&g);
}

static void test_file_identifier(void) {
    fbgen g;
    layout l;
    build_valid(&g, &l);
    memcpy(g.p + 4, "TFL3", 4);
    CHECK_REJECTS(&g, "file identifier is 'TFL3', expected 'TEST'");
    memcpy(g.p + 4, "\x01\xff\x7f ", 4); /* unprintable bytes are shown as '?' */
    CHECK_REJECTS(&g, "'??? '");
    fbg_free(&g);
}

/* Reads everything the spec describes, as a loader would after verification. */
static uint64_t walk_item(fb_buf b, fb_table t, int depth) {
    if (!t || depth > 70) return 0;
    uint64_t sum = fb_u32(b, t, 0, 0);
    fb_vec v = fb_vec_field(b, t, 1);
    for (uint32_t i = 0; i < v.len && i < 16; i++) sum += walk_item(b, fb_vec_table(b, v, i), depth + 1);
    return sum + walk_item(b, fb_table_field(b, t, 2), depth + 1);
}

static uint64_t walk_root(fb_buf b) {
    fb_table r = fb_root(b);
    uint64_t sum = fb_u32(b, r, 0, 0) + fb_u64(b, r, 8, 0);
    uint32_t len;
    const char *s = fb_string_field(b, r, 1, &len);
    if (s) sum += strlen(s) + len;
    fb_vec v = fb_vec_field(b, r, 2);
    for (uint32_t i = 0; i < v.len; i++) sum += fb_read_u16(fb_vec_data(b, v) + 2 * i);
    fb_vec n = fb_vec_field(b, r, 3);
    for (uint32_t i = 0; i < n.len; i++) sum += strlen(fb_vec_string(b, n, i, &len)) + len;
    fb_vec it = fb_vec_field(b, r, 4);
    for (uint32_t i = 0; i < it.len && i < 16; i++) sum += walk_item(b, fb_vec_table(b, it, i), 1);
    sum += walk_item(b, fb_table_field(b, r, 5), 1);
    if (fb_u8(b, r, 6, 0) == 1) sum += walk_item(b, fb_table_field(b, r, 7), 1);
    if (fb_u8(b, r, 6, 0) == 2) {
        s = fb_string_field(b, fb_table_field(b, r, 7), 0, &len);
        if (s) sum += strlen(s);
    }
    return sum;
}

/* Random byte changes: the verifier never reads out of bounds, and what it accepts can
 * be read in full without going out of bounds either (the sanitizer build checks both). */
static void test_random_mutations(void) {
    fbgen g;
    layout l;
    build_valid(&g, &l);
    uint8_t *orig = malloc(g.n);
    memcpy(orig, g.p, g.n);
    uint32_t seed = 12345;
    int accepted = 0;
    for (int iter = 0; iter < 20000; iter++) {
        memcpy(g.p, orig, g.n);
        int flips = 1 + iter % 4;
        for (int k = 0; k < flips; k++) {
            seed = seed * 1103515245u + 12345u;
            uint32_t at = (seed >> 8) % g.n;
            seed = seed * 1103515245u + 12345u;
            g.p[at] = (iter & 1) ? (uint8_t)(seed >> 16) : (uint8_t)(g.p[at] ^ (1u << ((seed >> 16) & 7)));
        }
        uint8_t *copy = malloc(g.n);
        memcpy(copy, g.p, g.n);
        fb_buf b = {copy, g.n};
        char err[256];
        if (fb_verify(b, &root_spec, "TEST", NULL, err, sizeof err) == 0) {
            accepted++;
            volatile uint64_t sink = walk_root(b);
            (void)sink;
        } else {
            CHECK(err[0] != 0);
        }
        free(copy);
    }
    CHECK(accepted > 0);
    free(orig);
    fbg_free(&g);
}

TEST_MAIN(test_valid_buffer_reads_back, test_union_of_other_type, test_truncated_buffers,
          test_root_offset_out_of_range, test_bad_vtables, test_field_outside_table,
          test_vector_lengths, test_strings, test_unions, test_self_pointing_offset,
          test_nesting_limit, test_dag_bomb, test_dag_bomb_with_huge_vtable,
          test_file_identifier, test_random_mutations)
