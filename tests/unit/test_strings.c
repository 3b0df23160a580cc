/* test_strings.c — string tensors: the public calls that set and read them, the checks on
 * serialized buffers, and the kernels that move strings (RESHAPE, GATHER, WHILE). */
#include <sys/stat.h>

#include "core/interpreter.h"
#include "format/builtin_ops.h"
#include "format/tflite_schema.h"
#include "model_builder.h"

/* A serialized buffer of n strings (the layout in mote.h); returns its size. */
static size_t serialize(uint8_t *buf, int32_t n, const char *const *s) {
    size_t at = 4 * ((size_t)n + 2);
    memcpy(buf, &n, 4);
    for (int32_t i = 0; i <= n; i++) {
        int32_t off = (int32_t)at;
        memcpy(buf + 4 + 4 * (size_t)i, &off, 4);
        if (i < n) {
            memcpy(buf + at, s[i], strlen(s[i]));
            at += strlen(s[i]);
        }
    }
    return at;
}

/* Checks that output i holds exactly these strings. */
static void check_strings(mote_interpreter *it, int32_t output, int32_t n, const char *const *want) {
    mote_tensor *t;
    CHECK_OK(mote_interpreter_output(it, output, &t));
    int32_t count = -1;
    CHECK_OK(mote_tensor_get_string_count(t, &count));
    CHECK_EQ_INT(count, n);
    for (int32_t i = 0; i < n && i < count; i++) {
        const char *s = NULL;
        size_t len = 0;
        CHECK_OK(mote_tensor_get_string(t, i, &s, &len));
        CHECK(len == strlen(want[i]) && (len == 0 || memcmp(s, want[i], len) == 0));
    }
}

/* s[2,2] -> RESHAPE to [4] -> r; s[4 as reshaped] -> GATHER by a constant [3, 0, 3] -> g. */
static mote_model *build_reshape_gather(mb *b) {
    mb_begin(b);
    const int32_t shape[1] = {4}, idx[3] = {3, 0, 3};
    int32_t s = mb_tensor(b, "s", MOTE_STRING, 2, (int32_t[]){2, 2});
    int32_t sh = mb_const(b, "shape", MOTE_INT32, 1, (int32_t[]){1}, shape, sizeof shape);
    int32_t r = mb_tensor(b, "r", MOTE_STRING, 1, (int32_t[]){4});
    int32_t ix = mb_const(b, "idx", MOTE_INT32, 1, (int32_t[]){3}, idx, sizeof idx);
    int32_t g = mb_tensor(b, "g", MOTE_STRING, 1, (int32_t[]){3});
    mb_op(b, MOTE_OP_RESHAPE, 2, (int32_t[]){s, sh}, 1, &r, 0, 0, NULL);
    mb_op(b, MOTE_OP_GATHER, 2, (int32_t[]){r, ix}, 1, &g, 0, 0, NULL);
    mb_io(b, 1, &s, 2, (int32_t[]){r, g});
    return mb_finish(b);
}

static void test_set_and_move_strings(void) {
    mb b;
    mote_model *m = build_reshape_gather(&b);
    mote_interpreter *it = NULL;
    CHECK_OK(mote_interpreter_create(m, NULL, &it));
    mote_tensor *in;
    CHECK_OK(mote_interpreter_input(it, 0, &in));
    const char *words[4] = {"a", "bb", "", "dddd"};
    CHECK_EQ_INT(mote_tensor_set_strings(in, 4, words, NULL), MOTE_ERROR_BAD_STATE); /* before allocate */
    CHECK_OK(mote_interpreter_allocate_tensors(it));
    int32_t count;
    CHECK_EQ_INT(mote_tensor_get_string_count(in, &count), MOTE_ERROR_BAD_STATE); /* nothing set yet */
    CHECK_EQ_INT(mote_tensor_set_strings(in, 3, words, NULL), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK(mb_contains(mote_interpreter_error(it), "holds 4 strings, 3 given"));
    CHECK_OK(mote_tensor_set_strings(in, 4, words, NULL));
    mote_tensor_info info;
    CHECK_OK(mote_tensor_get_info(in, &info));
    CHECK_EQ_INT(info.bytes, 4 * 6 + 7);
    for (int round = 0; round < 2; round++) {
        CHECK_OK(mote_interpreter_invoke(it));
        check_strings(it, 0, 4, words);
        const char *gathered[3] = {"dddd", "a", "dddd"};
        check_strings(it, 1, 3, gathered);
    }
    /* Explicit lengths (embedded NULs are fine), and other contents. */
    const char *other[4] = {"x\0y", "", "longer string", "z"};
    const size_t lengths[4] = {3, 0, 13, 1};
    CHECK_OK(mote_tensor_set_strings(in, 4, other, lengths));
    CHECK_OK(mote_interpreter_invoke(it));
    mote_tensor *g;
    CHECK_OK(mote_interpreter_output(it, 1, &g));
    const char *s;
    size_t len;
    CHECK_OK(mote_tensor_get_string(g, 1, &s, &len));
    CHECK(len == 3 && memcmp(s, "x\0y", 3) == 0);
    CHECK_OK(mote_tensor_get_string(g, 0, &s, &len));
    CHECK(len == 1 && s[0] == 'z');
    CHECK_EQ_INT(mote_tensor_get_string(g, 3, &s, &len), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_tensor_get_string(g, -1, &s, &len), MOTE_ERROR_INVALID_ARGUMENT);
    /* The serialized output round-trips through copy_to. */
    CHECK_OK(mote_tensor_get_info(g, &info));
    uint8_t out[256];
    CHECK_EQ_INT(mote_tensor_copy_to(g, out, info.bytes + 1), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_OK(mote_tensor_copy_to(g, out, info.bytes));
    int32_t n;
    memcpy(&n, out, 4);
    CHECK_EQ_INT(n, 3);
    mote_interpreter_destroy(it);
    mb_free(&b);
}

static void test_serialized_buffers(void) {
    mb b;
    mote_model *m = build_reshape_gather(&b);
    mote_interpreter *it = mb_interpreter(m, NULL);
    mote_tensor *in;
    CHECK_OK(mote_interpreter_input(it, 0, &in));
    uint8_t buf[128];
    const char *words[4] = {"one", "two", "three", "four"};
    size_t size = serialize(buf, 4, words);
    CHECK_OK(mote_tensor_copy_from(in, buf, size));
    CHECK_OK(mote_interpreter_invoke(it));
    check_strings(it, 0, 4, words);

    /* Malformed buffers are refused and leave the tensor as it was. */
    uint8_t bad[128];
    struct {
        const char *what;
        size_t offset;  /* byte to change, or (size_t)-1 for none */
        int32_t value;
        long size_delta;
    } cases[] = {
        {"wrong count", 0, 3, 0},          {"negative count", 0, -1, 0},
        {"first offset", 4, 20, 0},        {"decreasing offsets", 12, 22, 0},
        {"last offset", 20, 40, 0},        {"one byte short", (size_t)-1, 0, -1},
        {"one byte long", (size_t)-1, 0, 1}, {"only a count", (size_t)-1, 0, -(long)size + 4},
        {"empty", (size_t)-1, 0, -(long)size},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        memcpy(bad, buf, sizeof bad);
        if (cases[k].offset != (size_t)-1) memcpy(bad + cases[k].offset, &cases[k].value, 4);
        size_t n = (size_t)((long)size + cases[k].size_delta);
        mote_status st = mote_tensor_copy_from(in, bad, n);
        if (st != MOTE_ERROR_INVALID_ARGUMENT) fprintf(stderr, "case '%s' returned %d\n", cases[k].what, st);
        CHECK_EQ_INT(st, MOTE_ERROR_INVALID_ARGUMENT);
    }
    CHECK(mb_contains(mote_interpreter_error(it), "not a string buffer"));
    CHECK_OK(mote_interpreter_invoke(it));
    check_strings(it, 0, 4, words);

    /* String calls on a tensor of another type. */
    mote_tensor *shape;
    CHECK_OK(mote_interpreter_tensor(it, 1, &shape));
    int32_t count;
    CHECK_EQ_INT(mote_tensor_set_strings(shape, 1, words, NULL), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_tensor_get_string_count(shape, &count), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_tensor_set_strings(NULL, 1, words, NULL), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_tensor_get_string_count(in, NULL), MOTE_ERROR_INVALID_ARGUMENT);
    mote_interpreter_destroy(it);
    mb_free(&b);
}

/* GATHER from a constant string tensor of the model, with indices from the caller. */
static void test_gather_constant_strings(void) {
    mb b;
    mb_begin(&b);
    uint8_t table[64];
    const char *words[3] = {"x", "yy", "zzz"};
    size_t size = serialize(table, 3, words);
    int32_t t = mb_const(&b, "table", MOTE_STRING, 1, (int32_t[]){3}, table, size);
    int32_t ix = mb_tensor(&b, "idx", MOTE_INT32, 2, (int32_t[]){2, 2});
    int32_t g = mb_tensor(&b, "g", MOTE_STRING, 2, (int32_t[]){2, 2});
    mb_op(&b, MOTE_OP_GATHER, 2, (int32_t[]){t, ix}, 1, &g, 0, 0, NULL);
    mb_io(&b, 1, &ix, 1, &g);
    mote_model *m = mb_finish(&b);
    mote_interpreter *it = mb_interpreter(m, NULL);
    mote_tensor *in;
    CHECK_OK(mote_interpreter_input(it, 0, &in));
    const int32_t idx[4] = {2, 1, 0, 2};
    CHECK_OK(mote_tensor_copy_from(in, idx, sizeof idx));
    CHECK_OK(mote_interpreter_invoke(it));
    const char *want[4] = {"zzz", "yy", "x", "zzz"};
    check_strings(it, 0, 4, want);
    const int32_t bad[4] = {0, 3, 0, 0};
    CHECK_OK(mote_tensor_copy_from(in, bad, sizeof bad));
    CHECK_EQ_INT(mote_interpreter_invoke(it), MOTE_ERROR_RUNTIME);
    CHECK(mb_contains(mote_interpreter_error(it), "index 3"));
    mote_interpreter_destroy(it);
    mb_free(&b);
}

/* A WHILE that forwards a string input unchanged (the shared model). */
static void test_string_through_while(void) {
    const char *shared = test_shared_dir();
    if (!shared) return;
    char path[4096];
    snprintf(path, sizeof path, "%s/models/while_op_with_forwarding_input.tflite", shared);
    struct stat sb;
    if (stat(path, &sb) != 0) return;
    mote_model *m = NULL;
    CHECK_OK(mote_model_load_file(path, NULL, &m));
    mote_interpreter *it = mb_interpreter(m, NULL);
    mote_tensor *n, *s;
    CHECK_OK(mote_interpreter_input(it, 0, &n));
    CHECK_OK(mote_interpreter_input(it, 1, &s));
    const int32_t iterations = 3;
    const char *word[1] = {"hello, loop"};
    CHECK_OK(mote_tensor_copy_from(n, &iterations, sizeof iterations));
    CHECK_OK(mote_tensor_set_strings(s, 1, word, NULL));
    CHECK_OK(mote_interpreter_invoke(it));
    mote_tensor *o0, *o1;
    CHECK_OK(mote_interpreter_output(it, 0, &o0));
    CHECK_OK(mote_interpreter_output(it, 1, &o1));
    int32_t v0 = 0, v1 = 0;
    CHECK_OK(mote_tensor_copy_to(o0, &v0, sizeof v0));
    CHECK_OK(mote_tensor_copy_to(o1, &v1, sizeof v1));
    CHECK_EQ_INT(v0, 3);
    CHECK_EQ_INT(v1, 4);
    check_strings(it, 2, 1, word);
    mote_interpreter_destroy(it);
    mote_model_destroy(m);
}

TEST_MAIN(test_set_and_move_strings, test_serialized_buffers, test_gather_constant_strings, test_string_through_while)
