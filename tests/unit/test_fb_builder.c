/* test_fb_builder.c — the FlatBuffer builder: what it builds passes Mote's verifier and
 * reads back, vtables are shared, alignment holds, and misuse or overflow is refused. */
#include "format/fb_builder.h"
#include "format/flatbuffer.h"
#include "test.h"

/* A root table with every kind of field, and a child table. */
static const fb_field_spec child_fields[] = {{0, FB_SCALAR, 4, NULL, NULL}};
static const fb_table_spec child_spec = {"Child", 1, child_fields};
static const fb_field_spec root_fields[] = {
    {0, FB_SCALAR, 1, NULL, NULL},         {1, FB_SCALAR, 2, NULL, NULL},
    {2, FB_SCALAR, 4, NULL, NULL},         {3, FB_SCALAR, 8, NULL, NULL},
    {4, FB_SCALAR, 4, NULL, NULL},         {5, FB_STRING, 1, NULL, NULL},
    {6, FB_VEC_SCALAR, 4, NULL, NULL},     {7, FB_VEC_TABLE, 4, &child_spec, NULL},
    {8, FB_TABLE, 4, &child_spec, NULL},   {9, FB_VEC_SCALAR, 1, NULL, NULL},
    {10, FB_VEC_SCALAR, 8, NULL, NULL},    {11, FB_VEC_STRING, 4, NULL, NULL}};
static const fb_table_spec root_spec = {"Root", 12, root_fields};

static fb_ref child(fb_builder *b, int32_t v) {
    fbb_table_start(b);
    fbb_add_i32(b, 0, v);
    return fbb_table_end(b);
}

/* Position of a table's vtable. */
static uint32_t vtable_of(fb_buf buf, fb_table t) {
    return (uint32_t)((int64_t)t - (int32_t)fb_read_u32(buf.data + t));
}

static void test_build_and_read(void) {
    fb_builder b;
    fbb_init(&b, NULL);
    uint8_t bytes[5] = {1, 2, 3, 4, 5};
    int32_t ints[3] = {-1, 0, 1};
    int64_t longs[2] = {INT64_MIN, 42};
    fb_ref kids[3] = {child(&b, 10), child(&b, 20), child(&b, 30)};
    fb_ref kid_vec = fbb_vec_refs(&b, kids, 3);
    fb_ref name = fbb_cstring(&b, "name");
    fb_ref odd = fbb_string(&b, "abc", 3); /* leaves the front unaligned */
    fb_ref data = fbb_vec_bytes(&b, bytes, sizeof bytes, 16);
    fb_ref iv = fbb_vec_i32(&b, ints, 3);
    fb_ref lv = fbb_vec_i64(&b, longs, 2);
    fb_ref strs[2] = {name, odd};
    fb_ref sv = fbb_vec_refs(&b, strs, 2);
    fb_ref single = child(&b, 7);
    fbb_table_start(&b);
    fbb_add_u8(&b, 0, 0xab);
    fbb_add_i16(&b, 1, -2);
    fbb_add_u32(&b, 2, 0xdeadbeef);
    fbb_add_i64(&b, 3, -((int64_t)1 << 40));
    fbb_add_f32(&b, 4, 1.25f);
    fbb_add_ref(&b, 5, name);
    fbb_add_ref(&b, 6, iv);
    fbb_add_ref(&b, 7, kid_vec);
    fbb_add_ref(&b, 8, single);
    fbb_add_ref(&b, 9, data);
    fbb_add_ref(&b, 10, lv);
    fbb_add_ref(&b, 11, sv);
    fbb_add_ref(&b, 12, 0); /* ref 0: nothing is added */
    fb_ref root = fbb_table_end(&b);
    fbb_finish(&b, root, "TEST", 16);
    CHECK_EQ_INT(fbb_error_of(&b), FBB_OK);
    size_t size = 0;
    const uint8_t *p = fbb_data(&b, &size);
    CHECK(p != NULL);
    if (!p) {
        fbb_release(&b);
        return;
    }
    CHECK_EQ_INT(size % 16, 0);
    CHECK_EQ_INT((uintptr_t)p % 16, 0);
    fb_buf buf = {p, size};
    char err[128];
    CHECK_EQ_INT(fb_verify(buf, &root_spec, "TEST", NULL, err, sizeof err), 0);
    fb_table t = fb_root(buf);
    CHECK_EQ_INT(fb_u8(buf, t, 0, 0), 0xab);
    CHECK_EQ_INT(fb_i16(buf, t, 1, 0), -2);
    CHECK_EQ_INT(fb_u32(buf, t, 2, 0), 0xdeadbeefu);
    CHECK_EQ_INT(fb_i64(buf, t, 3, 0), -((int64_t)1 << 40));
    CHECK(fb_f32(buf, t, 4, 0) == 1.25f);
    CHECK(!fb_has_field(buf, t, 12));
    uint32_t len = 0;
    const char *s = fb_string_field(buf, t, 5, &len);
    CHECK(s && len == 4 && strcmp(s, "name") == 0);
    fb_vec v = fb_vec_field(buf, t, 6);
    CHECK(v.len == 3 && fb_vec_i32(buf, v, 0) == -1 && fb_vec_i32(buf, v, 2) == 1);
    v = fb_vec_field(buf, t, 7);
    CHECK_EQ_INT(v.len, 3);
    for (uint32_t i = 0; i < v.len && i < 3; i++)
        CHECK_EQ_INT(fb_i32(buf, fb_vec_table(buf, v, i), 0, 0), 10 * (int)(i + 1));
    CHECK_EQ_INT(fb_i32(buf, fb_table_field(buf, t, 8), 0, 0), 7);
    v = fb_vec_field(buf, t, 9);
    CHECK(v.len == 5 && memcmp(fb_vec_data(buf, v), bytes, 5) == 0);
    CHECK_EQ_INT(v.pos % 16, 0);
    v = fb_vec_field(buf, t, 10);
    CHECK(v.len == 2 && fb_vec_i64(buf, v, 0) == INT64_MIN && fb_vec_i64(buf, v, 1) == 42);
    CHECK_EQ_INT(v.pos % 8, 0);
    v = fb_vec_field(buf, t, 11);
    CHECK(v.len == 2 && strcmp(fb_vec_string(buf, v, 1, &len), "abc") == 0 && len == 3);

    /* The four Child tables have one layout: they share the first one's vtable. */
    fb_vec kv = fb_vec_field(buf, t, 7);
    uint32_t vt0 = vtable_of(buf, fb_vec_table(buf, kv, 0));
    CHECK_EQ_INT(vtable_of(buf, fb_vec_table(buf, kv, 2)), vt0);
    CHECK_EQ_INT(vtable_of(buf, fb_table_field(buf, t, 8)), vt0);
    CHECK(vtable_of(buf, t) != vt0);
    fbb_release(&b);
}

static void test_empty_table_and_reset(void) {
    fb_builder b;
    fbb_init(&b, NULL);
    for (int round = 0; round < 2; round++) {
        fbb_table_start(&b);
        fb_ref t = fbb_table_end(&b);
        fbb_finish(&b, t, NULL, 1);
        size_t size;
        const uint8_t *p = fbb_data(&b, &size);
        CHECK(p != NULL);
        if (!p) break;
        fb_buf buf = {p, size};
        CHECK_EQ_INT(fb_verify(buf, NULL, NULL, NULL, NULL, 0), 0);
        CHECK(!fb_has_field(buf, fb_root(buf), 0));
        CHECK_EQ_INT(size % 4, 0);
        fbb_reset(&b);
    }
    fbb_release(&b);
}

static void test_large_field_id(void) {
    fb_builder b;
    fbb_init(&b, NULL);
    fbb_table_start(&b);
    fbb_add_u16(&b, 1000, 77);
    fb_ref t = fbb_table_end(&b);
    fbb_finish(&b, t, NULL, 8);
    size_t size;
    const uint8_t *p = fbb_data(&b, &size);
    CHECK(p != NULL);
    if (p) {
        fb_buf buf = {p, size};
        CHECK_EQ_INT(fb_verify(buf, NULL, NULL, NULL, NULL, 0), 0);
        CHECK_EQ_INT(fb_u16(buf, fb_root(buf), 1000, 0), 77);
        CHECK_EQ_INT(fb_u16(buf, fb_root(buf), 999, 5), 5);
    }
    fbb_release(&b);
}

/* Each misuse is caught, sticks, and leaves no data. */
static void test_misuse(void) {
    fb_builder b;
    fbb_init(&b, NULL);
    fb_ref s = fbb_cstring(&b, "x");
    fbb_table_start(&b);
    CHECK_EQ_INT(fbb_cstring(&b, "inside"), 0); /* objects cannot nest in a table */
    CHECK_EQ_INT(fbb_error_of(&b), FBB_MISUSE);
    CHECK_EQ_INT(fbb_table_end(&b), 0);
    CHECK(fbb_data(&b, NULL) == NULL);

    fbb_reset(&b);
    s = fbb_cstring(&b, "x");
    fbb_table_start(&b);
    fbb_add_i32(&b, 3, 1);
    fbb_add_ref(&b, 3, s); /* the same id twice */
    CHECK_EQ_INT(fbb_table_end(&b), 0);
    CHECK_EQ_INT(fbb_error_of(&b), FBB_MISUSE);

    fbb_reset(&b);
    CHECK_EQ_INT(fbb_table_end(&b), 0); /* no table started */
    CHECK_EQ_INT(fbb_error_of(&b), FBB_MISUSE);

    fbb_reset(&b);
    fbb_add_u8(&b, 0, 1); /* a field outside a table */
    CHECK_EQ_INT(fbb_error_of(&b), FBB_MISUSE);

    fbb_reset(&b);
    fbb_table_start(&b);
    fbb_add_u8(&b, FBB_MAX_FIELD_ID + 1, 1);
    CHECK_EQ_INT(fbb_error_of(&b), FBB_MISUSE);

    fbb_reset(&b);
    fb_ref bogus[1] = {12345}; /* not an object that exists */
    CHECK_EQ_INT(fbb_vec_refs(&b, bogus, 1), 0);
    CHECK_EQ_INT(fbb_error_of(&b), FBB_MISUSE);

    fbb_reset(&b);
    CHECK_EQ_INT(fbb_vector(&b, 1, 1, 3, NULL), 0); /* alignment not a power of two */
    CHECK_EQ_INT(fbb_error_of(&b), FBB_MISUSE);
    fbb_release(&b);
}

static void test_too_large(void) {
    fb_builder b;
    fbb_init(&b, NULL);
    uint8_t *elems = (uint8_t *)&b;
    CHECK_EQ_INT(fbb_vector(&b, SIZE_MAX / 2, 4, 4, &elems), 0);
    CHECK(elems == NULL);
    CHECK_EQ_INT(fbb_error_of(&b), FBB_TOO_LARGE);
    fbb_reset(&b);
    CHECK_EQ_INT(fbb_vector(&b, FBB_MAX_SIZE, 1, 16, NULL), 0); /* no room for the header */
    CHECK_EQ_INT(fbb_error_of(&b), FBB_TOO_LARGE);
    fbb_reset(&b);
    /* Inline fields past 64 KiB cannot be described by a vtable. */
    fbb_table_start(&b);
    for (uint32_t id = 0; id < 8200; id++) fbb_add_u64(&b, id, id);
    CHECK_EQ_INT(fbb_table_end(&b), 0);
    CHECK_EQ_INT(fbb_error_of(&b), FBB_TOO_LARGE);
    fbb_release(&b);
}

TEST_MAIN(test_build_and_read, test_empty_table_and_reset, test_large_field_id, test_misuse,
          test_too_large)
