/* test_flexbuffer.c — the FlexBuffer map reader: every scalar encoding (inline and indirect,
 * 1 to 8 bytes wide, int, uint, float, double, bool, null), missing keys and non-scalars, and
 * malformed buffers: every truncation and many random corruptions of a valid map must be
 * refused or read without leaving the buffer (run it under AddressSanitizer). */
#include <stdint.h>

#include "flexgen.h"
#include "kernels/flexbuffer.h"
#include "test.h"

static const flexgen_entry sample[8] = {{"a_int", FG_INT, (uint64_t)-7 & 0xFFFFFFFFu, 0},
                                        {"b_uint", FG_UINT, 300, 0},
                                        {"c_float", FG_FLOAT, 0, 0} /* bits set per width below */,
                                        {"d_bool", FG_BOOL, 1, 0},
                                        {"e_ind_int", FG_IND_INT, (uint64_t)-3, 8},
                                        {"f_ind_double", FG_IND_FLOAT, 0, 8},
                                        {"g_null", FG_NULL, 0, 0},
                                        {"h_string", FG_STRING, 0, 0}};

static size_t build_sample(uint8_t *b, int w) {
    flexgen_entry e[8];
    memcpy(e, sample, sizeof e);
    e[0].bits = w == 8 ? (uint64_t)-7 : ((uint64_t)-7 & ((1ull << (8 * w)) - 1));
    e[1].bits = w == 1 ? 200 : 300;
    e[2].bits = w == 8 ? flexgen_double_bits(0.25) : flexgen_float_bits(0.25f);
    e[5].bits = flexgen_double_bits(-1.5);
    return flexgen_map(b, e, 8, w);
}

static void test_scalars_every_width(void) {
    const int widths[4] = {1, 2, 4, 8};
    for (int k = 0; k < 4; k++) {
        uint8_t b[512];
        int w = widths[k];
        size_t n = build_sample(b, w);
        flexbuffer_map m;
        flexbuffer_number v;
        CHECK_EQ_INT(flexbuffer_root_map(b, n, &m), FLEXBUFFER_OK);
        CHECK_EQ_INT(flexbuffer_map_number(&m, "a_int", &v), FLEXBUFFER_OK);
        CHECK_EQ_INT(v.i, -7);
        CHECK_NEAR(v.f, -7.0, 0);
        CHECK_EQ_INT(flexbuffer_map_number(&m, "b_uint", &v), FLEXBUFFER_OK);
        CHECK_EQ_INT(v.i, w == 1 ? 200 : 300);
        CHECK_EQ_INT(flexbuffer_map_number(&m, "d_bool", &v), FLEXBUFFER_OK);
        CHECK_EQ_INT(v.i, 1);
        CHECK_EQ_INT(flexbuffer_map_number(&m, "e_ind_int", &v), FLEXBUFFER_OK);
        CHECK_EQ_INT(v.i, -3);
        CHECK_EQ_INT(flexbuffer_map_number(&m, "f_ind_double", &v), FLEXBUFFER_OK);
        CHECK_NEAR(v.f, -1.5, 0);
        CHECK_EQ_INT(v.i, -1); /* truncated toward zero */
        CHECK_EQ_INT(flexbuffer_map_number(&m, "g_null", &v), FLEXBUFFER_MISSING);
        CHECK_EQ_INT(flexbuffer_map_number(&m, "zzz", &v), FLEXBUFFER_MISSING);
        CHECK_EQ_INT(flexbuffer_map_number(&m, "a_in", &v), FLEXBUFFER_MISSING);
        CHECK_EQ_INT(flexbuffer_map_number(&m, "h_string", &v), FLEXBUFFER_NOT_NUMBER);
        if (w >= 4) {
            CHECK_EQ_INT(flexbuffer_map_number(&m, "c_float", &v), FLEXBUFFER_OK);
            CHECK_NEAR(v.f, 0.25, 0);
        } else { /* floats are 4 or 8 bytes */
            CHECK_EQ_INT(flexbuffer_map_number(&m, "c_float", &v), FLEXBUFFER_MALFORMED);
        }
    }
}

static void test_not_a_map(void) {
    uint8_t b[512];
    flexbuffer_map m;
    CHECK_EQ_INT(flexbuffer_root_map(NULL, 0, &m), FLEXBUFFER_MALFORMED);
    CHECK_EQ_INT(flexbuffer_root_map(b, 2, &m), FLEXBUFFER_MALFORMED);
    size_t n = build_sample(b, 4);
    b[n - 2] = (uint8_t)(FG_INT << 2); /* the root is an int, not a map */
    CHECK_EQ_INT(flexbuffer_root_map(b, n, &m), FLEXBUFFER_MALFORMED);
    b[n - 2] = (uint8_t)(FG_MAP << 2 | 2);
    b[n - 1] = 3; /* no such width */
    CHECK_EQ_INT(flexbuffer_root_map(b, n, &m), FLEXBUFFER_MALFORMED);
}

/* Reads every key of a (possibly corrupt) buffer; only bounds matter here. */
static void read_all(const uint8_t *b, size_t n) {
    flexbuffer_map m;
    flexbuffer_number v;
    if (flexbuffer_root_map(b, n, &m) != FLEXBUFFER_OK) return;
    for (int i = 0; i < 8; i++) (void)flexbuffer_map_number(&m, sample[i].key, &v);
}

static void test_truncated_and_corrupt(void) {
    uint8_t b[512], copy[512];
    size_t n = build_sample(b, 4);
    for (size_t len = 0; len < n; len++) { /* a prefix cut into a fresh heap block */
        uint8_t *p = malloc(len ? len : 1);
        memcpy(p, b, len);
        read_all(p, len);
        free(p);
    }
    uint32_t seed = 12345;
    for (int round = 0; round < 20000; round++) {
        memcpy(copy, b, n);
        for (int k = 0; k < 3; k++) {
            seed = seed * 1664525u + 1013904223u;
            copy[(seed >> 8) % n] = (uint8_t)(seed >> 24);
        }
        uint8_t *p = malloc(n);
        memcpy(p, copy, n);
        read_all(p, n);
        free(p);
    }
    CHECK(1); /* the sanitizers are the judges */
}

TEST_MAIN(test_scalars_every_width, test_not_a_map, test_truncated_and_corrupt)
