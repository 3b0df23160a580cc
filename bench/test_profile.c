/* test_profile.c — the per-operator profiling hook (mote_options_set_profiling,
 * mote_interpreter_profile) on a shared model: off by default, zero after every allocate,
 * one count per operator and invoke, partial copies, argument checks. ctest: bench.profile. */
#include "mote.h"
#include "test.h"

static mote_model *load(const char *name) {
    const char *shared = test_shared_dir();
    char path[1024];
    snprintf(path, sizeof path, "%s/models/%s", shared ? shared : ".", name);
    mote_model *m = NULL;
    if (mote_model_load_file(path, NULL, &m) != MOTE_OK) {
        mote_model_destroy(m);
        return NULL;
    }
    return m;
}

static mote_interpreter *create(const mote_model *m, int profiling) {
    mote_options *o = NULL;
    mote_interpreter *it = NULL;
    CHECK_OK(mote_options_create(NULL, &o));
    CHECK_OK(mote_options_set_profiling(o, profiling));
    CHECK_OK(mote_interpreter_create(m, o, &it));
    mote_options_destroy(o);
    return it;
}

static mote_model *model;

static void test_off_by_default(void) {
    mote_interpreter *it = NULL;
    CHECK_OK(mote_interpreter_create(model, NULL, &it));
    CHECK_OK(mote_interpreter_allocate_tensors(it));
    int32_t count = -1;
    CHECK_EQ_INT(mote_interpreter_profile(it, 0, NULL, 0, &count), MOTE_ERROR_BAD_STATE);
    mote_interpreter_destroy(it);
    mote_interpreter_destroy(create(model, 0));
    CHECK_EQ_INT(mote_options_set_profiling(NULL, 1), MOTE_ERROR_INVALID_ARGUMENT);
}

static void test_counts(void) {
    mote_interpreter *it = create(model, 1);
    int32_t count = -1, ops = 0;
    CHECK_OK(mote_model_operator_count(model, 0, &ops));
    CHECK_EQ_INT(mote_interpreter_profile(it, 0, NULL, 0, &count), MOTE_ERROR_BAD_STATE); /* before allocate */
    CHECK_OK(mote_interpreter_allocate_tensors(it));
    CHECK_OK(mote_interpreter_profile(it, 0, NULL, 0, &count));
    CHECK_EQ_INT(count, ops);
    mote_op_profile p[256];
    CHECK(ops > 2 && ops <= 256);
    for (int k = 0; k < 3; k++) CHECK_OK(mote_interpreter_invoke(it));
    CHECK_OK(mote_interpreter_profile(it, 0, p, 256, &count));
    uint64_t total = 0;
    for (int32_t i = 0; i < count; i++) {
        CHECK(p[i].count == 3 || (p[i].count == 0 && p[i].total_ns == 0)); /* 0: computed at allocate */
        total += p[i].total_ns;
    }
    CHECK(total > 0);
    /* A partial copy leaves the rest alone. */
    mote_op_profile q[3] = {{7, 7}, {7, 7}, {7, 7}};
    CHECK_OK(mote_interpreter_profile(it, 0, q, 2, &count));
    CHECK_EQ_INT(count, ops);
    CHECK(q[0].count == p[0].count && q[1].count == p[1].count && q[2].count == 7);
    /* Arguments. */
    CHECK_EQ_INT(mote_interpreter_profile(it, -1, p, 256, &count), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_interpreter_profile(it, 1 << 20, p, 256, &count), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_interpreter_profile(it, 0, p, 256, NULL), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_interpreter_profile(it, 0, NULL, 4, &count), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_interpreter_profile(NULL, 0, p, 256, &count), MOTE_ERROR_INVALID_ARGUMENT);
    /* Every allocate starts from zero. */
    CHECK_OK(mote_interpreter_allocate_tensors(it));
    CHECK_OK(mote_interpreter_profile(it, 0, p, 256, &count));
    for (int32_t i = 0; i < count; i++) CHECK(p[i].count == 0 && p[i].total_ns == 0);
    CHECK_OK(mote_interpreter_invoke(it));
    CHECK_OK(mote_interpreter_profile(it, 0, p, 256, &count));
    for (int32_t i = 0; i < count; i++) CHECK(p[i].count <= 1);
    mote_interpreter_destroy(it);
}

static void test_threads(void) {
    mote_options *o = NULL;
    mote_interpreter *it = NULL;
    CHECK_OK(mote_options_create(NULL, &o));
    CHECK_OK(mote_options_set_profiling(o, 1));
    CHECK_OK(mote_options_set_threads(o, 2));
    CHECK_OK(mote_interpreter_create(model, o, &it));
    mote_options_destroy(o);
    CHECK_OK(mote_interpreter_allocate_tensors(it));
    CHECK_OK(mote_interpreter_invoke(it));
    mote_op_profile p[256];
    int32_t count = 0;
    CHECK_OK(mote_interpreter_profile(it, 0, p, 256, &count));
    CHECK(count > 0 && p[0].count == 1);
    mote_interpreter_destroy(it);
}

static void run_all(void);
TEST_MAIN(run_all)

static void run_all(void) {
    model = load("mobilenet_v1_0.25_224_1_default_1.tflite");
    if (!model) {
        fprintf(stderr, "skip: no shared models\n");
        exit(77);
    }
    test_off_by_default();
    test_counts();
    test_threads();
    mote_model_destroy(model);
}
