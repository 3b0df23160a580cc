/* test_signal_options.c — the signal operators' custom options through the FlexBuffer
 * reader: the options audio_preprocessor_int8 really carries, the test builder's encoding,
 * and damaged buffers (every truncation and bit flip must fail cleanly, never read
 * outside). */
#include <stdint.h>

#include "kernels/flexbuffer.h"
#include "signal_test.h"
#include "test.h"

static size_t from_hex(const char *hex, uint8_t *out) {
    size_t n = 0;
    for (; hex[0] && hex[1]; hex += 2) {
        unsigned v;
        sscanf(hex, "%2x", &v);
        out[n++] = (uint8_t)v;
    }
    return n;
}

/* Reads key from a root map as an integer; a flexbuffer_status. */
static int read_int(const uint8_t *b, size_t n, const char *key, int64_t *v) {
    flexbuffer_map m;
    flexbuffer_number x;
    int st = flexbuffer_root_map(b, n, &m);
    if (st == FLEXBUFFER_OK) st = flexbuffer_map_number(&m, key, &x);
    if (st == FLEXBUFFER_OK) *v = x.i;
    return st;
}

/* SignalWindow's options: {shift: 12}, 1-byte widths. */
static const char window_hex[] = "73686966740001070101010c04022401";
/* SignalFilterBankSpectralSubtraction's: nine keys, 2-byte slots, a bool. */
static const char subtraction_hex[] =
    "616c7465726e6174655f6f6e655f6d696e75735f736d6f6f7468696e6700616c7465726e6174655f736d6f6f7468696e6700636c"
    "616d70696e67006d696e5f7369676e616c5f72656d61696e696e67006e756d5f6368616e6e656c73006f6e655f6d696e75735f73"
    "6d6f6f7468696e6700736d6f6f7468696e6700736d6f6f7468696e675f6269747300737065637472616c5f737562747261637469"
    "6f6e5f626974730009a588756d594d3a3123090001000900293cd703000033032800673e99010a000e000505690505050505051b"
    "2501";
/* SignalFftAutoScale's: an empty map. */
static const char empty_hex[] = "00000100002401";

static void test_model_options(void) {
    uint8_t b[512];
    int64_t v = -1;
    size_t n = from_hex(window_hex, b);
    CHECK_EQ_INT(read_int(b, n, "shift", &v), FLEXBUFFER_OK);
    CHECK_EQ_INT(v, 12);
    CHECK_EQ_INT(read_int(b, n, "shif", &v), FLEXBUFFER_MISSING);
    CHECK_EQ_INT(read_int(b, n, "shifts", &v), FLEXBUFFER_MISSING);

    n = from_hex(subtraction_hex, b);
    static const struct {
        const char *key;
        int64_t value;
    } expect[] = {{"alternate_one_minus_smoothing", 15401},
                  {"alternate_smoothing", 983},
                  {"clamping", 0},
                  {"min_signal_remaining", 819},
                  {"num_channels", 40},
                  {"one_minus_smoothing", 15975},
                  {"smoothing", 409},
                  {"smoothing_bits", 10},
                  {"spectral_subtraction_bits", 14}};
    for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++) {
        CHECK_EQ_INT(read_int(b, n, expect[i].key, &v), FLEXBUFFER_OK);
        CHECK_EQ_INT(v, expect[i].value);
    }

    n = from_hex(empty_hex, b);
    CHECK_EQ_INT(read_int(b, n, "shift", &v), FLEXBUFFER_MISSING);
}

static void test_wide_and_negative(void) {
    uint8_t b[SIG_FLEX_MAX];
    const sig_option o[] = {{"a", -5}, {"b", INT64_MIN}, {"c", INT64_MAX}};
    size_t n = sig_flex_map(o, 3, b);
    int64_t v = 0;
    CHECK_EQ_INT(read_int(b, n, "a", &v), FLEXBUFFER_OK);
    CHECK_EQ_INT(v, -5);
    CHECK_EQ_INT(read_int(b, n, "b", &v), FLEXBUFFER_OK);
    CHECK(v == INT64_MIN);
    CHECK_EQ_INT(read_int(b, n, "c", &v), FLEXBUFFER_OK);
    CHECK(v == INT64_MAX);
}

static void test_not_a_map(void) {
    int64_t v;
    uint8_t b[4] = {0x05, 0x04, 0x01}; /* root INT 5, width 1 */
    CHECK_EQ_INT(read_int(b, 3, "x", &v), FLEXBUFFER_MALFORMED);
    CHECK_EQ_INT(read_int(NULL, 0, "x", &v), FLEXBUFFER_MALFORMED);
    CHECK_EQ_INT(read_int(b, 2, "x", &v), FLEXBUFFER_MALFORMED);
    /* A string value where an integer belongs: the key "s" maps to a STRING. */
    uint8_t s[SIG_FLEX_MAX];
    const sig_option o[] = {{"s", 0}};
    size_t n = sig_flex_map(o, 1, s);
    s[n - 11] = (5 << 2) | 3; /* the value's type byte (before the 10-byte root): STRING */
    CHECK_EQ_INT(read_int(s, n, "s", &v), FLEXBUFFER_NOT_NUMBER);
}

/* Damaged buffers: any answer is fine as long as nothing is read outside (ASan watches). */
static void test_damage(void) {
    uint8_t good[512], b[512];
    size_t n = from_hex(subtraction_hex, good);
    int64_t v;
    for (size_t len = 0; len < n; len++) {
        uint8_t *copy = malloc(len ? len : 1);
        memcpy(copy, good, len);
        read_int(copy, len, "smoothing", &v);
        free(copy);
    }
    int ok = 0;
    for (size_t i = 0; i < n; i++)
        for (int bit = 0; bit < 8; bit++) {
            memcpy(b, good, n);
            b[i] ^= (uint8_t)(1 << bit);
            ok += read_int(b, n, "spectral_subtraction_bits", &v) == FLEXBUFFER_OK;
        }
    CHECK(ok > 0); /* flips in unrelated keys' bytes leave the lookup working */
}

TEST_MAIN(test_model_options, test_wide_and_negative, test_not_a_map, test_damage)
