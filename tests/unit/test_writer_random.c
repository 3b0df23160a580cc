/* test_writer_random.c — drives the writer with random, often invalid, calls, as a fuzzer
 * would: every call either succeeds or fails with a message, and every model it finishes
 * loads back through Mote's reader. */
#include <stdint.h>

#include "core/model.h"
#include "format/builtin_ops.h"
#include "mote_writer.h"
#include "test.h"

static uint64_t rng = 0x9e3779b97f4a7c15u;

/* 0 .. n-1 (splitmix64). */
static int32_t rnd(int32_t n) {
    uint64_t z = (rng += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    z ^= z >> 31;
    return (int32_t)(z % (uint64_t)n);
}

/* A tensor index that is usually valid, else in -2 .. count + 1. */
static int32_t pick(int32_t count) {
    return count > 0 && rnd(8) ? rnd(count) : rnd(count + 4) - 2;
}

/* Usually `good`, sometimes anything in lo .. lo + span - 1. */
static int32_t mostly(int32_t good, int32_t lo, int32_t span) {
    return rnd(8) ? good : lo + rnd(span);
}

static const char *const names[] = {"a", "b", "c", "serving_default", ""};
static int32_t ints[8];
static float floats[8];
static int64_t longs[8];
static uint8_t bytes[4096];

static void fill_lists(int32_t limit) {
    for (int i = 0; i < 8; i++) {
        ints[i] = pick(limit);
        floats[i] = (float)rnd(100) / 10.0f;
        longs[i] = rnd(500) - 250;
    }
}

static mote_status random_tensor(mote_writer *w) {
    int32_t rank = rnd(6) - 1, dims[5] = {0};
    for (int i = 0; i < 5; i++) dims[i] = rnd(10) == 0 ? -1 : rnd(4);
    mote_type type = (mote_type)(rnd(26) - 1);
    size_t size = 0;
    if (rank >= 0 && mote_dense_bytes(type, rank, dims, &size)) size = 0;
    if (size > sizeof bytes || rnd(5) == 0) size = (size_t)rnd(64); /* often wrong */
    int constant = rnd(2);
    return mote_writer_add_tensor(w, rnd(4) ? names[rnd(5)] : NULL, type, rank, dims,
                                  constant ? bytes : NULL, constant ? size : 0, NULL);
}

static mote_status random_op(mote_writer *w) {
    static const int32_t codes[] = {MOTE_OP_ADD, MOTE_OP_FULLY_CONNECTED, MOTE_OP_CUSTOM,
                                    MOTE_OP_GELU, -1, 200};
    mote_option_field fields[4];
    for (int i = 0; i < 4; i++) {
        uint16_t kind = (uint16_t)mostly(rnd(9), 0, 12);
        fields[i] = (mote_option_field){(uint16_t)mostly(2 * i, 0, 300), kind,
                                        mostly(rnd(100), -400, 800), floats[i],
                                        rnd(8) ? ints : NULL, mostly(rnd(4), -1, 6),
                                        rnd(8) ? names[rnd(5)] : NULL};
    }
    int32_t code = codes[mostly(rnd(4), 0, 6)];
    const char *custom = code == MOTE_OP_CUSTOM ? "Custom" : NULL;
    if (!rnd(8)) custom = names[rnd(5)];
    int32_t options = mostly(rnd(3) ? 0 : 1 + rnd(20), -2, 140);
    mote_writer_op op = {code, custom, mostly(rnd(3), -2, 5), rnd(4), ints, mostly(1, 0, 3),
                         ints + 4, mostly(0, 0, 3), ints + 2, options,
                         options ? mostly(rnd(5), -1, 6) : 0, fields, rnd(2) ? bytes : NULL,
                         (size_t)mostly(0, 0, 6)};
    return mote_writer_add_op(w, &op, NULL);
}

static void check_loads(mote_writer *w) {
    const void *data;
    size_t size;
    mote_status st = mote_writer_finish(w, &data, &size);
    if (st) fprintf(stderr, "finish: %s\n", mote_writer_error(w));
    CHECK_OK(st);
    if (st) return;
    mote_model *m = NULL;
    st = mote_model_load_memory(data, size, NULL, &m);
    if (st) fprintf(stderr, "load: %s\n", mote_model_error(m));
    CHECK_OK(st);
    mote_model_destroy(m);
}

static void test_random_calls(void) {
    for (int round = 0; round < 20; round++) {
        mote_writer *w;
        CHECK_OK(mote_writer_create(NULL, &w));
        /* Tensors per subgraph, counted here so that indices are mostly valid. */
        int32_t counts[8] = {0}, subgraphs = 1, current = 0, ok = 0;
        for (int step = 0; step < 400; step++) {
            int32_t n = counts[current];
            fill_lists(n);
            mote_status st;
            switch (rnd(12)) {
            case 0: case 1: case 2:
                st = random_tensor(w);
                if (!st) counts[current]++;
                break;
            case 3:
                st = mote_writer_set_quantization(w, pick(n), rnd(5) - 1, rnd(8) ? floats : NULL,
                                                  rnd(2) ? longs : NULL, rnd(4) - 1);
                break;
            case 4:
                st = mote_writer_set_shape_signature(w, pick(n), rnd(5), rnd(8) ? ints : NULL);
                break;
            case 5: st = mote_writer_set_variable(w, pick(n), rnd(2)); break;
            case 6:
                st = rnd(2) ? mote_writer_set_inputs(w, rnd(4) - 1, ints)
                            : mote_writer_set_outputs(w, rnd(4) - 1, ints + 1);
                break;
            case 7: case 8: st = random_op(w); break;
            case 9:
                if (subgraphs < 8 && rnd(2)) {
                    st = mote_writer_add_subgraph(w, rnd(2) ? names[rnd(5)] : NULL, &current);
                    if (!st) subgraphs++;
                } else {
                    int32_t sg = rnd(subgraphs + 2) - 1;
                    st = mote_writer_select_subgraph(w, sg);
                    if (!st) current = sg;
                }
                break;
            case 10: {
                int32_t sg = rnd(subgraphs + 1);
                fill_lists(sg < subgraphs ? counts[sg] : 0);
                st = mote_writer_add_signature(w, rnd(6) ? names[rnd(5)] : NULL, sg, rnd(3),
                                               names + rnd(3), ints, rnd(3), names + 2, ints + 3);
                break;
            }
            default:
                st = mote_writer_add_metadata(w, rnd(6) ? names[rnd(5)] : NULL,
                                              rnd(6) ? bytes : NULL, (size_t)rnd(40));
                break;
            }
            if (st) CHECK(strlen(mote_writer_error(w)) > 0);
            else ok++;
            if (step % 50 == 49) check_loads(w);
        }
        CHECK(ok > 50);
        check_loads(w);
        mote_writer_destroy(w);
    }
}

TEST_MAIN(test_random_calls)
