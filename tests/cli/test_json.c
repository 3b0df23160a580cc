/* test_json.c — the CLI's JSON reader and writer: valid documents, every kind of malformed
 * input, and a seeded mutation run (under the sanitizers this finds out-of-bounds reads). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "test.h"

static int parses(const char *text) {
    json_doc doc;
    char err[256];
    int ok = json_parse(text, strlen(text), &doc, err, sizeof err) == 0;
    json_free(&doc);
    return ok;
}

static void test_valid(void) {
    const char *text = "{\"a\": [1, -2.5e3, true, false, null], \"s\": \"x\\u00e9\\ud83d\\ude00\\n\","
                       " \"o\": {}, \"e\": [], \"a\": 2}";
    json_doc doc;
    char err[256];
    CHECK(json_parse(text, strlen(text), &doc, err, sizeof err) == 0);
    const json_value *a = json_get(doc.root, "a");
    CHECK(a && a->type == JSON_ARRAY && a->count == 5);
    int64_t v = 0;
    CHECK(json_int(json_at(a, 0), 0, 10, &v) == 0 && v == 1);
    CHECK(json_int(json_at(a, 1), INT32_MIN, INT32_MAX, &v) == 0 && v == -2500);
    CHECK(json_int(json_at(a, 1), 0, INT32_MAX, &v) != 0); /* out of range */
    CHECK(json_at(a, 2)->type == JSON_BOOL && json_at(a, 2)->boolean);
    CHECK(json_at(a, 4)->type == JSON_NULL);
    CHECK(json_at(a, 5) == NULL);
    CHECK(strcmp(json_string(json_get(doc.root, "s")), "x\xc3\xa9\xf0\x9f\x98\x80\n") == 0);
    CHECK(json_get(doc.root, "o")->type == JSON_OBJECT && json_get(doc.root, "o")->count == 0);
    CHECK(json_get(doc.root, "missing") == NULL);
    CHECK(json_get(json_get(doc.root, "a"), "x") == NULL); /* not an object */
    json_free(&doc);
    CHECK(parses("  0  "));
    CHECK(parses("\"\""));
}

static void test_malformed(void) {
    static const char *const bad[] = {
        "", " ", "{", "}", "[1,]", "[,1]", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{1:2}", "[1 2]",
        "01", "1.", ".5", "-", "1e", "1e+", "tru", "nul", "\"abc", "\"\\x\"", "\"\\u12\"",
        "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "\"\\u0000\"", "\"a\x01\"", "[1] 2",
        "\"\\", "[\"\\\"]"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (parses(bad[i])) {
            fprintf(stderr, "accepted malformed JSON #%zu: %s\n", i, bad[i]);
            test_failures++;
        }
    /* Nesting beyond the limit is refused, not a stack overflow. */
    size_t n = 200000;
    char *deep = malloc(2 * n + 1);
    memset(deep, '[', n);
    memset(deep + n, ']', n);
    deep[2 * n] = 0;
    CHECK(!parses(deep));
    json_doc doc;
    char err[256];
    /* A length shorter than the text: nothing past it is read. */
    CHECK(json_parse("[1, 2]", 3, &doc, err, sizeof err) != 0);
    CHECK(strstr(err, "line 1") != NULL);
    free(deep);
}

static void test_writer(void) {
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    json_writer w;
    jw_init(&w, f);
    jw_object_begin(&w);
    jw_key(&w, "shape");
    jw_array_begin(&w, 1);
    jw_int(&w, 1);
    jw_int(&w, 8);
    jw_array_end(&w);
    jw_key(&w, "s\"\n");
    jw_string(&w, "a\\b\x01");
    jw_key(&w, "u");
    jw_string(&w, "\xff\xc3\xa9\xe2\x82");
    jw_key(&w, "f");
    jw_float(&w, 0.1f);
    jw_key(&w, "x");
    jw_float(&w, INFINITY);
    jw_object_end(&w);
    CHECK(jw_finish(&w) == 0);
    fclose(f);
    CHECK(strstr(buf, "\"shape\": [1, 8]") != NULL);
    CHECK(strstr(buf, "\"s\\\"\\n\": \"a\\\\b\\u0001\"") != NULL);
    CHECK(strstr(buf, "\"f\": 0.1,") != NULL);
    /* Invalid UTF-8 becomes U+FFFD; valid sequences pass through. */
    CHECK(strstr(buf, "\"u\": \"\\ufffd\xc3\xa9\\ufffd\\ufffd\"") != NULL);
    CHECK(strstr(buf, "\"x\": null") != NULL);
    /* What the writer makes, the reader reads. */
    CHECK(parses(buf));
    free(buf);
}

/* Seeded byte mutations of a meta.json-like document: every outcome is fine except a crash
 * or an out-of-bounds access, which the sanitizers report. */
static void test_mutations(void) {
    const char *base = "{\"signature\": \"serving_default\", \"inputs\": [{\"file\": \"in0.bin\", "
                       "\"tensor_index\": 1, \"shape\": [1, 8, 8, 3], \"name\": \"a\\u00e9\"}], "
                       "\"outputs\": [], \"x\": [true, false, null, -1.5e-3]}";
    size_t n = strlen(base);
    uint64_t s = 12345;
    for (int round = 0; round < 20000; round++) {
        char *buf = malloc(n); /* not NUL-terminated: the parser must respect the length */
        memcpy(buf, base, n);
        int edits = 1 + round % 4;
        for (int e = 0; e < edits; e++) {
            s = s * 6364136223846793005ull + 1442695040888963407ull;
            size_t pos = (size_t)(s >> 33) % n;
            static const char chars[] = "{}[]\",:\\u0123456789eE+-.tfn \x01\xff";
            buf[pos] = chars[(s >> 20) % (sizeof chars - 1)];
        }
        size_t len = (round % 7 == 0) ? (size_t)(s >> 40) % n : n;
        json_doc doc;
        char err[128];
        if (json_parse(buf, len, &doc, err, sizeof err) == 0) json_free(&doc);
        free(buf);
    }
}

TEST_MAIN(test_valid, test_malformed, test_writer, test_mutations)
