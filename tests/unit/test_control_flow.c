/* test_control_flow.c — WHILE, IF, CALL_ONCE and resource variables on models built here
 * (and the shared control-flow models): results, loops whose values change shape, no heap
 * use while invoking static loops, cancellation and the iteration limit on loops that never
 * end, nesting limits and subgraphs that call themselves. */
#include <pthread.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <time.h>

#include "core/interpreter.h"
#include "format/builtin_ops.h"
#include "format/tflite_schema.h"
#include "kernels/registry.h"
#include "model_builder.h"

/* ---- an allocator that counts calls ---- */

static atomic_long alloc_calls;

static void *counting_alloc(void *ud, void *ptr, size_t old_size, size_t new_size) {
    (void)ud;
    (void)old_size;
    atomic_fetch_add(&alloc_calls, 1);
    if (new_size == 0) {
        free(ptr);
        return NULL;
    }
    size_t rounded = (new_size + 63) / 64 * 64;
    void *p = aligned_alloc(64, rounded);
    if (p && ptr) {
        memcpy(p, ptr, old_size < new_size ? old_size : new_size);
        free(ptr);
    }
    return p;
}

static const mote_allocator counting = {counting_alloc, NULL};

static mote_options *options_with(mote_limit limit, uint64_t value) {
    mote_options *o = NULL;
    CHECK_OK(mote_options_create(&counting, &o));
    if (value) CHECK_OK(mote_options_set_limit(o, limit, value));
    return o;
}

static void set_f32(mote_interpreter *it, int32_t input, const float *v, size_t n) {
    mote_tensor *t;
    CHECK_OK(mote_interpreter_input(it, input, &t));
    CHECK_OK(mote_tensor_copy_from(t, v, n * sizeof *v));
}

static void set_i32(mote_interpreter *it, int32_t input, int32_t v) {
    mote_tensor *t;
    CHECK_OK(mote_interpreter_input(it, input, &t));
    CHECK_OK(mote_tensor_copy_from(t, &v, sizeof v));
}

static mote_tensor_info output_info(mote_interpreter *it, int32_t i) {
    mote_tensor *t;
    mote_tensor_info info;
    memset(&info, 0, sizeof info);
    CHECK_OK(mote_interpreter_output(it, i, &t));
    CHECK_OK(mote_tensor_get_info(t, &info));
    return info;
}

static float out_f32(mote_interpreter *it, int32_t i, size_t k) {
    mote_tensor_info info = output_info(it, i);
    float v = 0;
    if (info.data && (k + 1) * sizeof v <= info.bytes) memcpy(&v, (const char *)info.data + k * sizeof v, sizeof v);
    return v;
}

static int32_t out_i32(mote_interpreter *it, int32_t i) {
    mote_tensor_info info = output_info(it, i);
    int32_t v = -999;
    if (info.data && info.bytes == sizeof v) memcpy(&v, info.data, sizeof v);
    return v;
}

/* ---- WHILE: i counts up to a limit while acc doubles ---- */

/* Subgraph 0: (i, acc[2]) -> WHILE; cond (subgraph 1): i < limit; body (subgraph 2):
 * i + step, acc * 2. */
static mote_model *build_counter(mb *b, int32_t limit, int32_t step) {
    mb_begin(b);
    const int32_t two[1] = {2};
    int32_t i = mb_tensor(b, "i", MOTE_INT32, 0, NULL), acc = mb_tensor(b, "acc", MOTE_FLOAT32, 1, two);
    int32_t i_out = mb_tensor(b, "i_out", MOTE_INT32, 0, NULL), acc_out = mb_tensor(b, "acc_out", MOTE_FLOAT32, 1, two);
    const mote_option_field loop[] = {MB_INT(0, 1), MB_INT(1, 2)};
    mb_op(b, MOTE_OP_WHILE, 2, (int32_t[]){i, acc}, 2, (int32_t[]){i_out, acc_out}, TFL_OPTIONS_WHILE, 2, loop);
    mb_io(b, 2, (int32_t[]){i, acc}, 2, (int32_t[]){i_out, acc_out});

    mb_subgraph(b, "cond");
    int32_t ci = mb_tensor(b, "i", MOTE_INT32, 0, NULL), cacc = mb_tensor(b, "acc", MOTE_FLOAT32, 1, two);
    int32_t lim = mb_const(b, "limit", MOTE_INT32, 0, NULL, &limit, sizeof limit);
    int32_t go = mb_tensor(b, "go", MOTE_BOOL, 0, NULL);
    mb_op(b, MOTE_OP_LESS, 2, (int32_t[]){ci, lim}, 1, &go, 0, 0, NULL);
    mb_io(b, 2, (int32_t[]){ci, cacc}, 1, &go);

    mb_subgraph(b, "body");
    const float two_f = 2.0f;
    int32_t bi = mb_tensor(b, "i", MOTE_INT32, 0, NULL), bacc = mb_tensor(b, "acc", MOTE_FLOAT32, 1, two);
    int32_t s = mb_const(b, "step", MOTE_INT32, 0, NULL, &step, sizeof step);
    int32_t k = mb_const(b, "two", MOTE_FLOAT32, 0, NULL, &two_f, sizeof two_f);
    int32_t bi2 = mb_tensor(b, "i2", MOTE_INT32, 0, NULL), bacc2 = mb_tensor(b, "acc2", MOTE_FLOAT32, 1, two);
    mb_op(b, MOTE_OP_ADD, 2, (int32_t[]){bi, s}, 1, &bi2, 0, 0, NULL);
    mb_op(b, MOTE_OP_MUL, 2, (int32_t[]){bacc, k}, 1, &bacc2, 0, 0, NULL);
    mb_io(b, 2, (int32_t[]){bi, bacc}, 2, (int32_t[]){bi2, bacc2});
    return mb_finish(b);
}

static void test_while_counts(void) {
    mb b;
    mote_model *m = build_counter(&b, 5, 1);
    mote_options *o = options_with(MOTE_LIMIT_WHILE_ITERATIONS, 0);
    mote_interpreter *it = mb_interpreter(m, o);
    const float acc[2] = {1.0f, -3.0f};
    for (int round = 0; round < 2; round++) {
        set_i32(it, 0, 2);
        set_f32(it, 1, acc, 2);
        long before = atomic_load(&alloc_calls);
        CHECK_OK(mote_interpreter_invoke(it));
        CHECK_EQ_INT(atomic_load(&alloc_calls) - before, 0); /* a static loop stays in the arena */
        CHECK_EQ_INT(out_i32(it, 0), 5);
        CHECK_NEAR(out_f32(it, 1, 0), 8.0f, 0);
        CHECK_NEAR(out_f32(it, 1, 1), -24.0f, 0);
    }
    set_i32(it, 0, 7); /* the condition is false at once: values pass through */
    CHECK_OK(mote_interpreter_invoke(it));
    CHECK_EQ_INT(out_i32(it, 0), 7);
    CHECK_NEAR(out_f32(it, 1, 1), -3.0f, 0);
    mote_interpreter_destroy(it);
    mote_options_destroy(o);

    /* Five iterations fit a limit of five, not of four. */
    o = options_with(MOTE_LIMIT_WHILE_ITERATIONS, 5);
    it = mb_interpreter(m, o);
    set_i32(it, 0, 0);
    CHECK_OK(mote_interpreter_invoke(it));
    CHECK_EQ_INT(out_i32(it, 0), 5);
    mote_interpreter_destroy(it);
    mote_options_destroy(o);
    o = options_with(MOTE_LIMIT_WHILE_ITERATIONS, 4);
    it = mb_interpreter(m, o);
    set_i32(it, 0, 0);
    CHECK_EQ_INT(mote_interpreter_invoke(it), MOTE_ERROR_LIMIT);
    CHECK(mb_contains(mote_interpreter_error(it), "operator 0 (WHILE)"));
    CHECK(mb_contains(mote_interpreter_error(it), "more than 4 iterations"));
    mote_interpreter_destroy(it);
    mote_options_destroy(o);
    mb_free(&b);
}

/* ---- a loop that never ends ---- */

typedef struct invoke_job {
    mote_interpreter *it;
    mote_status status;
    atomic_int started;
} invoke_job;

static void *run_invoke(void *arg) {
    invoke_job *job = arg;
    atomic_store(&job->started, 1);
    job->status = mote_interpreter_invoke(job->it);
    return NULL;
}

static void test_endless_while(void) {
    mb b;
    mote_model *m = build_counter(&b, 5, 0); /* i never moves */
    mote_options *o = options_with(MOTE_LIMIT_WHILE_ITERATIONS, 1000);
    mote_interpreter *it = mb_interpreter(m, o);
    set_i32(it, 0, 0);
    CHECK_EQ_INT(mote_interpreter_invoke(it), MOTE_ERROR_LIMIT);
    CHECK(mb_contains(mote_interpreter_error(it), "1000"));
    mote_interpreter_destroy(it);
    mote_options_destroy(o);

    /* No limit: another thread cancels it. */
    it = mb_interpreter(m, NULL);
    set_i32(it, 0, 0);
    invoke_job job = {it, MOTE_OK, 0};
    pthread_t thread;
    CHECK_EQ_INT(pthread_create(&thread, NULL, run_invoke, &job), 0);
    while (!atomic_load(&job.started)) sched_yield();
    struct timespec ts = {0, 30 * 1000000L};
    nanosleep(&ts, NULL);
    CHECK_OK(mote_interpreter_cancel(it));
    pthread_join(thread, NULL);
    CHECK_EQ_INT(job.status, MOTE_ERROR_CANCELLED);
    CHECK(mb_contains(mote_interpreter_error(it), "cancelled"));
    /* The interpreter stays usable. */
    set_i32(it, 0, 9);
    CHECK_OK(mote_interpreter_invoke(it));
    mote_interpreter_destroy(it);
    mb_free(&b);
}

/* ---- a loop whose values grow: x doubles its length each iteration ---- */

static void test_while_changing_shape(void) {
    mb b;
    mb_begin(&b);
    const int32_t one[1] = {1};
    int32_t i = mb_tensor(&b, "i", MOTE_INT32, 0, NULL), x = mb_tensor(&b, "x", MOTE_FLOAT32, 1, one);
    int32_t i_out = mb_tensor(&b, "i_out", MOTE_INT32, 0, NULL), x_out = mb_tensor(&b, "x_out", MOTE_FLOAT32, 1, one);
    const mote_option_field loop[] = {MB_INT(0, 1), MB_INT(1, 2)};
    mb_op(&b, MOTE_OP_WHILE, 2, (int32_t[]){i, x}, 2, (int32_t[]){i_out, x_out}, TFL_OPTIONS_WHILE, 2, loop);
    mb_io(&b, 2, (int32_t[]){i, x}, 2, (int32_t[]){i_out, x_out});
    mb_subgraph(&b, "cond");
    const int32_t three = 3, step = 1;
    int32_t ci = mb_tensor(&b, "i", MOTE_INT32, 0, NULL), cx = mb_tensor(&b, "x", MOTE_FLOAT32, 1, one);
    int32_t lim = mb_const(&b, "three", MOTE_INT32, 0, NULL, &three, sizeof three);
    int32_t go = mb_tensor(&b, "go", MOTE_BOOL, 0, NULL);
    mb_op(&b, MOTE_OP_LESS, 2, (int32_t[]){ci, lim}, 1, &go, 0, 0, NULL);
    mb_io(&b, 2, (int32_t[]){ci, cx}, 1, &go);
    mb_subgraph(&b, "body");
    int32_t bi = mb_tensor(&b, "i", MOTE_INT32, 0, NULL), bx = mb_tensor(&b, "x", MOTE_FLOAT32, 1, one);
    int32_t s = mb_const(&b, "one", MOTE_INT32, 0, NULL, &step, sizeof step);
    int32_t bi2 = mb_tensor(&b, "i2", MOTE_INT32, 0, NULL);
    int32_t bx2 = mb_tensor(&b, "xx", MOTE_FLOAT32, 1, (int32_t[]){2});
    mb_op(&b, MOTE_OP_ADD, 2, (int32_t[]){bi, s}, 1, &bi2, 0, 0, NULL);
    const mote_option_field axis0[] = {MB_INT(0, 0)};
    mb_op(&b, MOTE_OP_CONCATENATION, 2, (int32_t[]){bx, bx}, 1, &bx2, TFL_OPTIONS_CONCATENATION, 1, axis0);
    mb_io(&b, 2, (int32_t[]){bi, bx}, 2, (int32_t[]){bi2, bx2});
    mote_model *m = mb_finish(&b);

    mote_options *o = options_with(MOTE_LIMIT_WHILE_ITERATIONS, 0);
    mote_interpreter *it = mb_interpreter(m, o);
    for (int round = 0; round < 3; round++) {
        set_i32(it, 0, 0);
        const float v = 1.5f + (float)round;
        set_f32(it, 1, &v, 1);
        long before = atomic_load(&alloc_calls);
        CHECK_OK(mote_interpreter_invoke(it));
        /* Heap memory is kept: only the first run allocates. */
        if (round > 0) CHECK_EQ_INT(atomic_load(&alloc_calls) - before, 0);
        mote_tensor_info info = output_info(it, 1);
        CHECK_EQ_INT(info.rank, 1);
        CHECK_EQ_INT(info.dims[0], 8);
        CHECK_EQ_INT(info.bytes, 32);
        for (int k = 0; k < 8; k++) CHECK_NEAR(out_f32(it, 1, (size_t)k), v, 0);
        CHECK_EQ_INT(out_i32(it, 0), 3);
    }
    /* One iteration: length 2. */
    set_i32(it, 0, 2);
    CHECK_OK(mote_interpreter_invoke(it));
    CHECK_EQ_INT(output_info(it, 1).dims[0], 2);
    mote_interpreter_destroy(it);
    mote_options_destroy(o);
    mb_free(&b);
}

/* ---- IF ---- */

/* (c, x[2]) -> IF: then (subgraph 1) x + x; else (subgraph 2) x * x, or concat(x, x) when
 * grow is set (another shape than the then branch). */
static mote_model *build_if(mb *b, int grow) {
    mb_begin(b);
    const int32_t two[1] = {2};
    int32_t c = mb_tensor(b, "c", MOTE_BOOL, 0, NULL), x = mb_tensor(b, "x", MOTE_FLOAT32, 1, two);
    int32_t y = mb_tensor(b, "y", MOTE_FLOAT32, 1, two);
    const mote_option_field branches[] = {MB_INT(0, 1), MB_INT(1, 2)};
    mb_op(b, MOTE_OP_IF, 2, (int32_t[]){c, x}, 1, &y, TFL_OPTIONS_IF, 2, branches);
    mb_io(b, 2, (int32_t[]){c, x}, 1, &y);
    for (int k = 0; k < 2; k++) {
        mb_subgraph(b, k ? "else" : "then");
        int32_t bx = mb_tensor(b, "x", MOTE_FLOAT32, 1, two);
        int32_t by = mb_tensor(b, "y", MOTE_FLOAT32, 1, k && grow ? (int32_t[]){4} : two);
        if (k && grow) {
            const mote_option_field axis0[] = {MB_INT(0, 0)};
            mb_op(b, MOTE_OP_CONCATENATION, 2, (int32_t[]){bx, bx}, 1, &by, TFL_OPTIONS_CONCATENATION, 1, axis0);
        } else {
            mb_op(b, k ? MOTE_OP_MUL : MOTE_OP_ADD, 2, (int32_t[]){bx, bx}, 1, &by, 0, 0, NULL);
        }
        mb_io(b, 1, &bx, 1, &by);
    }
    return mb_finish(b);
}

static void set_bool(mote_interpreter *it, int32_t input, int v) {
    mote_tensor *t;
    uint8_t b = (uint8_t)(v != 0);
    CHECK_OK(mote_interpreter_input(it, input, &t));
    CHECK_OK(mote_tensor_copy_from(t, &b, 1));
}

static void test_if(void) {
    mb b;
    mote_model *m = build_if(&b, 0);
    mote_options *o = options_with(MOTE_LIMIT_WHILE_ITERATIONS, 0);
    mote_interpreter *it = mb_interpreter(m, o);
    const float x[2] = {3.0f, -0.5f};
    set_f32(it, 1, x, 2);
    set_bool(it, 0, 1);
    long before = atomic_load(&alloc_calls);
    CHECK_OK(mote_interpreter_invoke(it));
    CHECK_NEAR(out_f32(it, 0, 0), 6.0f, 0);
    CHECK_NEAR(out_f32(it, 0, 1), -1.0f, 0);
    set_bool(it, 0, 0);
    CHECK_OK(mote_interpreter_invoke(it));
    CHECK_EQ_INT(atomic_load(&alloc_calls) - before, 0);
    CHECK_NEAR(out_f32(it, 0, 0), 9.0f, 0);
    CHECK_NEAR(out_f32(it, 0, 1), 0.25f, 0);
    mote_interpreter_destroy(it);
    mote_options_destroy(o);
    mb_free(&b);

    /* Branches of different shapes: the output's shape is the branch's that ran. */
    m = build_if(&b, 1);
    it = mb_interpreter(m, NULL);
    set_f32(it, 1, x, 2);
    set_bool(it, 0, 0);
    CHECK_OK(mote_interpreter_invoke(it));
    CHECK_EQ_INT(output_info(it, 0).dims[0], 4);
    CHECK_NEAR(out_f32(it, 0, 3), -0.5f, 0);
    set_bool(it, 0, 1);
    CHECK_OK(mote_interpreter_invoke(it));
    CHECK_EQ_INT(output_info(it, 0).dims[0], 2);
    CHECK_NEAR(out_f32(it, 0, 0), 6.0f, 0);
    mote_interpreter_destroy(it);
    mb_free(&b);
}

/* ---- the shared control-flow models ---- */

static mote_model *load_shared(const char *name) {
    const char *shared = test_shared_dir();
    if (!shared) return NULL;
    char path[4096];
    snprintf(path, sizeof path, "%s/models/%s", shared, name);
    struct stat sb;
    if (stat(path, &sb) != 0) return NULL;
    mote_model *m = NULL;
    CHECK_OK(mote_model_load_file(path, NULL, &m));
    return m;
}

static void test_nested_while(void) {
    /* Outer loop while x == x * x; inner loop doubles x while x == x * x. */
    mote_model *m = load_shared("nested_while.tflite");
    if (!m) return;
    mote_interpreter *it = mb_interpreter(m, NULL);
    const float cases[3][2] = {{1.0f, 2.0f}, {0.5f, 0.5f}, {-3.0f, -3.0f}};
    for (int k = 0; k < 3; k++) {
        set_f32(it, 0, &cases[k][0], 1);
        CHECK_OK(mote_interpreter_invoke(it));
        CHECK_NEAR(out_f32(it, 0, 0), cases[k][1], 0);
    }
    mote_interpreter_destroy(it);
    mote_model_destroy(m);
}

static void test_call_once_and_variables(void) {
    /* CALL_ONCE sets the variable to 2; each invoke returns variable * x, then stores x. */
    mote_model *m = load_shared("call_once_mul.tflite");
    if (!m) return;
    mote_options *o = options_with(MOTE_LIMIT_WHILE_ITERATIONS, 0);
    mote_interpreter *it = mb_interpreter(m, o);
    const float xs[3] = {3.0f, 4.0f, 5.0f}, want[3] = {6.0f, 12.0f, 20.0f};
    for (int k = 0; k < 3; k++) {
        set_f32(it, 0, &xs[k], 1);
        long before = atomic_load(&alloc_calls);
        CHECK_OK(mote_interpreter_invoke(it));
        CHECK_EQ_INT(atomic_load(&alloc_calls) - before, 0); /* the variable was reserved in prepare */
        CHECK_NEAR(out_f32(it, 0, 0), want[k], 0);
    }
    /* Variables survive a new allocate. */
    CHECK_OK(mote_interpreter_allocate_tensors(it));
    const float two = 2.0f;
    set_f32(it, 0, &two, 1);
    CHECK_OK(mote_interpreter_invoke(it));
    CHECK_NEAR(out_f32(it, 0, 0), 10.0f, 0);
    /* reset_variables: the init subgraph runs again. */
    CHECK_OK(mote_interpreter_reset_variables(it));
    set_f32(it, 0, &xs[2], 1);
    CHECK_OK(mote_interpreter_invoke(it));
    CHECK_NEAR(out_f32(it, 0, 0), 10.0f, 0);
    mote_interpreter_destroy(it);
    mote_options_destroy(o);
    mote_model_destroy(m);
}

/* VAR_HANDLE "v", then assign x and read, or read first (an error: nothing assigned). */
static mote_model *build_variable(mb *b, int read_first) {
    mb_begin(b);
    const int32_t two[1] = {2};
    int32_t x = mb_tensor(b, "x", MOTE_FLOAT32, 1, two), h = mb_tensor(b, "h", MOTE_RESOURCE, 0, NULL);
    int32_t r = mb_tensor(b, "r", MOTE_FLOAT32, 1, two), y = mb_tensor(b, "y", MOTE_FLOAT32, 1, two);
    const mote_option_field names[] = {MB_STR(0, "c"), MB_STR(1, "v")};
    mb_op(b, MOTE_OP_VAR_HANDLE, 0, NULL, 1, &h, TFL_OPTIONS_VAR_HANDLE, 2, names);
    if (!read_first) mb_op(b, MOTE_OP_ASSIGN_VARIABLE, 2, (int32_t[]){h, x}, 0, NULL, 0, 0, NULL);
    mb_op(b, MOTE_OP_READ_VARIABLE, 1, &h, 1, &r, 0, 0, NULL);
    if (read_first) mb_op(b, MOTE_OP_ASSIGN_VARIABLE, 2, (int32_t[]){h, x}, 0, NULL, 0, 0, NULL);
    mb_op(b, MOTE_OP_ADD, 2, (int32_t[]){r, x}, 1, &y, 0, 0, NULL);
    mb_io(b, 1, &x, 1, &y);
    return mb_finish(b);
}

static void test_variables(void) {
    mb b;
    mote_model *m = build_variable(&b, 0);
    mote_interpreter *it = mb_interpreter(m, NULL);
    const float x[2] = {1.5f, -2.0f};
    set_f32(it, 0, x, 2);
    CHECK_OK(mote_interpreter_invoke(it));
    CHECK_NEAR(out_f32(it, 0, 1), -4.0f, 0);
    mote_interpreter_destroy(it);
    mb_free(&b);

    m = build_variable(&b, 1);
    it = mb_interpreter(m, NULL);
    set_f32(it, 0, x, 2);
    CHECK_EQ_INT(mote_interpreter_invoke(it), MOTE_ERROR_RUNTIME);
    CHECK(mb_contains(mote_interpreter_error(it), "READ_VARIABLE"));
    CHECK(mb_contains(mote_interpreter_error(it), "'v'"));
    /* The read comes before the assignment in every invoke: it keeps failing. */
    CHECK_EQ_INT(mote_interpreter_invoke(it), MOTE_ERROR_RUNTIME);
    mote_interpreter_destroy(it);
    mb_free(&b);
}

/* ---- models that call themselves, and nesting limits ---- */

/* Subgraph 0: WHILE(x) with cond 1 and the given body; subgraph 1: x < 1; subgraph 2: a
 * WHILE with cond 1 and body `inner_body`. */
static mote_model *build_recursive(mb *b, int32_t body, int32_t inner_body) {
    mb_begin(b);
    int32_t x = mb_tensor(b, "x", MOTE_FLOAT32, 0, NULL), y = mb_tensor(b, "y", MOTE_FLOAT32, 0, NULL);
    const mote_option_field outer[] = {MB_INT(0, 1), MB_INT(1, body)};
    mb_op(b, MOTE_OP_WHILE, 1, &x, 1, &y, TFL_OPTIONS_WHILE, 2, outer);
    mb_io(b, 1, &x, 1, &y);
    mb_subgraph(b, "cond");
    const float one = 1.0f;
    int32_t cx = mb_tensor(b, "x", MOTE_FLOAT32, 0, NULL), c1 = mb_const(b, "one", MOTE_FLOAT32, 0, NULL, &one, 4);
    int32_t go = mb_tensor(b, "go", MOTE_BOOL, 0, NULL);
    mb_op(b, MOTE_OP_LESS, 2, (int32_t[]){cx, c1}, 1, &go, 0, 0, NULL);
    mb_io(b, 1, &cx, 1, &go);
    mb_subgraph(b, "body");
    int32_t bx = mb_tensor(b, "x", MOTE_FLOAT32, 0, NULL), by = mb_tensor(b, "y", MOTE_FLOAT32, 0, NULL);
    const mote_option_field inner[] = {MB_INT(0, 1), MB_INT(1, inner_body)};
    mb_op(b, MOTE_OP_WHILE, 1, &bx, 1, &by, TFL_OPTIONS_WHILE, 2, inner);
    mb_io(b, 1, &bx, 1, &by);
    return mb_finish(b);
}

static void test_recursion_is_refused(void) {
    const int32_t cases[2][2] = {{2, 2}, {0, 1}}; /* body calls itself; main is its own body */
    for (int k = 0; k < 2; k++) {
        mb b;
        mote_model *m = build_recursive(&b, cases[k][0], cases[k][1]);
        mote_interpreter *it = NULL;
        CHECK_OK(mote_interpreter_create(m, NULL, &it));
        CHECK_EQ_INT(mote_interpreter_allocate_tensors(it), MOTE_ERROR_INVALID_MODEL);
        CHECK(mb_contains(mote_interpreter_error(it), "calls itself"));
        CHECK_EQ_INT(mote_interpreter_invoke(it), MOTE_ERROR_BAD_STATE);
        mote_interpreter_destroy(it);
        mb_free(&b);
    }
}

/* A chain of CALL_ONCE: subgraph k calls subgraph k + 1, `depth` subgraphs deep. */
static mote_model *build_chain(mb *b, int32_t depth) {
    mb_begin(b);
    for (int32_t k = 0; k < depth; k++) {
        if (k) mb_subgraph(b, "link");
        const mote_option_field next[] = {MB_INT(0, k + 1)};
        mb_op(b, MOTE_OP_CALL_ONCE, 0, NULL, 0, NULL, TFL_OPTIONS_CALL_ONCE, 1, next);
        mb_io(b, 0, NULL, 0, NULL);
    }
    mb_subgraph(b, "end");
    mb_io(b, 0, NULL, 0, NULL);
    return mb_finish(b);
}

static void test_nesting_limit(void) {
    mb b;
    mote_model *m = build_chain(&b, 40);
    mote_interpreter *it = NULL;
    CHECK_OK(mote_interpreter_create(m, NULL, &it));
    CHECK_EQ_INT(mote_interpreter_allocate_tensors(it), MOTE_ERROR_LIMIT); /* default depth 16 */
    CHECK(mb_contains(mote_interpreter_error(it), "nest deeper"));
    mote_interpreter_destroy(it);
    mote_options *o = options_with(MOTE_LIMIT_NESTING_DEPTH, 64);
    it = mb_interpreter(m, o);
    CHECK_OK(mote_interpreter_invoke(it));
    CHECK_OK(mote_interpreter_invoke(it)); /* every CALL_ONCE has run: nothing happens */
    mote_interpreter_destroy(it);
    mote_options_destroy(o);
    mb_free(&b);
}

/* Calls that do not fit what they call fail naming the operator. */
static void test_bad_calls(void) {
    mb b;
    mb_begin(&b);
    int32_t x = mb_tensor(&b, "x", MOTE_FLOAT32, 0, NULL), y = mb_tensor(&b, "y", MOTE_FLOAT32, 0, NULL);
    const mote_option_field loop[] = {MB_INT(0, 1), MB_INT(1, 7)};
    mb_op(&b, MOTE_OP_WHILE, 1, &x, 1, &y, TFL_OPTIONS_WHILE, 2, loop);
    mb_io(&b, 1, &x, 1, &y);
    mb_subgraph(&b, "cond");
    int32_t cx = mb_tensor(&b, "x", MOTE_INT32, 0, NULL);
    mb_io(&b, 1, &cx, 1, &cx);
    mote_model *m = mb_finish(&b);
    mote_interpreter *it = NULL;
    CHECK_EQ_INT(mote_interpreter_create(m, NULL, &it), MOTE_ERROR_INVALID_MODEL); /* subgraph 7 */
    CHECK(mb_contains(mote_interpreter_error(it), "operator 0 (WHILE)"));
    CHECK(mb_contains(mote_interpreter_error(it), "subgraph 7"));
    mote_interpreter_destroy(it);
    mb_free(&b);

    /* A cond subgraph whose input type differs from the loop value. */
    mb_begin(&b);
    x = mb_tensor(&b, "x", MOTE_FLOAT32, 0, NULL);
    y = mb_tensor(&b, "y", MOTE_FLOAT32, 0, NULL);
    const mote_option_field loop2[] = {MB_INT(0, 1), MB_INT(1, 1)};
    mb_op(&b, MOTE_OP_WHILE, 1, &x, 1, &y, TFL_OPTIONS_WHILE, 2, loop2);
    mb_io(&b, 1, &x, 1, &y);
    mb_subgraph(&b, "cond");
    cx = mb_tensor(&b, "x", MOTE_INT32, 0, NULL);
    mb_io(&b, 1, &cx, 1, &cx);
    m = mb_finish(&b);
    CHECK_OK(mote_interpreter_create(m, NULL, &it));
    CHECK_EQ_INT(mote_interpreter_allocate_tensors(it), MOTE_ERROR_INVALID_MODEL);
    CHECK(mb_contains(mote_interpreter_error(it), "operator 0 (WHILE)"));
    CHECK(mb_contains(mote_interpreter_error(it), "input 0 of subgraph 1"));
    mote_interpreter_destroy(it);
    mb_free(&b);
}

TEST_MAIN(test_while_counts, test_endless_while, test_while_changing_shape, test_if, test_nested_while,
          test_call_once_and_variables, test_variables, test_recursion_is_refused, test_nesting_limit, test_bad_calls)
