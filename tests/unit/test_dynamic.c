/* test_dynamic.c — shapes decided while preparing or while running: values computed in
 * prepare (SHAPE and what follows it) giving static shapes, nodes deferred to invoke when
 * a shape depends on input values (RESHAPE, PAD, STRIDED_SLICE, and operators after them
 * with a pack step), the heap they use (kept across invokes, under the arena limit), and
 * models with -1 dimensions resized through the public API. */
#include <math.h>
#include <stdatomic.h>
#include <sys/stat.h>

#include "core/interpreter.h"
#include "format/builtin_ops.h"
#include "format/tflite_schema.h"
#include "kernels/registry.h"
#include "model_builder.h"

/* ---- an allocator that counts calls ---- */

static atomic_long alloc_calls;

static void *counting_alloc(void *ud, void *ptr, size_t old_size, size_t new_size) {
    (void)ud;
    atomic_fetch_add(&alloc_calls, 1);
    if (new_size == 0) {
        free(ptr);
        return NULL;
    }
    void *p = aligned_alloc(64, (new_size + 63) / 64 * 64);
    if (p && ptr) {
        memcpy(p, ptr, old_size < new_size ? old_size : new_size);
        free(ptr);
    }
    return p;
}

static const mote_allocator counting = {counting_alloc, NULL};

static mote_tensor *input(mote_interpreter *it, int32_t i) {
    mote_tensor *t = NULL;
    CHECK_OK(mote_interpreter_input(it, i, &t));
    return t;
}

static mote_tensor_info info_of(const mote_tensor *t) {
    mote_tensor_info info;
    memset(&info, 0, sizeof info);
    CHECK_OK(mote_tensor_get_info(t, &info));
    return info;
}

static mote_tensor_info output_info(mote_interpreter *it, int32_t i) {
    mote_tensor *t = NULL;
    CHECK_OK(mote_interpreter_output(it, i, &t));
    return info_of(t);
}

static int shape_is(mote_tensor_info info, int32_t rank, const int32_t *dims) {
    if (info.rank != rank) return 0;
    for (int32_t i = 0; i < rank; i++)
        if (info.dims[i] != dims[i]) return 0;
    return 1;
}

static int all_registered(const mote_model *m) {
    for (int32_t s = 0; s < m->subgraph_count; s++)
        for (int32_t i = 0; i < m->subgraphs[s].op_count; i++)
            if (!registry_find(m->subgraphs[s].ops[i].builtin_code, m->subgraphs[s].ops[i].custom_name)) return 0;
    return 1;
}

static mote_model *load_shared(const char *name) {
    const char *shared = test_shared_dir();
    if (!shared) return NULL;
    char path[4096];
    snprintf(path, sizeof path, "%s/models/%s", shared, name);
    struct stat sb;
    if (stat(path, &sb) != 0) return NULL;
    mote_model *m = NULL;
    CHECK_OK(mote_model_load_file(path, NULL, &m));
    if (m && !all_registered(m)) {
        fprintf(stderr, "note: %s needs operators Mote lacks; skipped\n", name);
        mote_model_destroy(m);
        return NULL;
    }
    return m;
}

/* ---- values computed in prepare ---- */

/* x[2,3], y[3,2]: out = reshape(x, shape(y)) + y; out2 = x + reshape(y, gather(shape(y), [1, 0])). */
static void test_values_known_in_prepare(void) {
    mb b;
    mb_begin(&b);
    const int32_t reverse[2] = {1, 0};
    int32_t x = mb_tensor(&b, "x", MOTE_FLOAT32, 2, (int32_t[]){2, 3});
    int32_t y = mb_tensor(&b, "y", MOTE_FLOAT32, 2, (int32_t[]){3, 2});
    int32_t sy = mb_tensor(&b, "shape_y", MOTE_INT32, 1, (int32_t[]){2});
    int32_t rx = mb_tensor(&b, "x_as_y", MOTE_FLOAT32, 2, (int32_t[]){3, 2});
    int32_t out = mb_tensor(&b, "out", MOTE_FLOAT32, 2, (int32_t[]){3, 2});
    int32_t rev = mb_const(&b, "reverse", MOTE_INT32, 1, (int32_t[]){2}, reverse, sizeof reverse);
    int32_t sy2 = mb_tensor(&b, "shape_y_reversed", MOTE_INT32, 1, (int32_t[]){2});
    int32_t ry = mb_tensor(&b, "y_as_x", MOTE_FLOAT32, 2, (int32_t[]){2, 3});
    int32_t out2 = mb_tensor(&b, "out2", MOTE_FLOAT32, 2, (int32_t[]){2, 3});
    mb_op(&b, MOTE_OP_SHAPE, 1, &y, 1, &sy, 0, 0, NULL);
    mb_op(&b, MOTE_OP_RESHAPE, 2, (int32_t[]){x, sy}, 1, &rx, 0, 0, NULL);
    mb_op(&b, MOTE_OP_ADD, 2, (int32_t[]){rx, y}, 1, &out, 0, 0, NULL);
    mb_op(&b, MOTE_OP_GATHER, 2, (int32_t[]){sy, rev}, 1, &sy2, 0, 0, NULL);
    mb_op(&b, MOTE_OP_RESHAPE, 2, (int32_t[]){y, sy2}, 1, &ry, 0, 0, NULL);
    mb_op(&b, MOTE_OP_ADD, 2, (int32_t[]){x, ry}, 1, &out2, 0, 0, NULL);
    mb_io(&b, 2, (int32_t[]){x, y}, 2, (int32_t[]){out, out2});
    mote_model *m = mb_finish(&b);

    mote_options *o = NULL;
    CHECK_OK(mote_options_create(&counting, &o));
    mote_interpreter *it = mb_interpreter(m, o);
    const subgraph *sg = &it->ctx.subgraphs[0];
    CHECK_EQ_INT(sg->tensors[sy].storage, STORAGE_PREPARED);
    CHECK_EQ_INT(sg->tensors[sy2].storage, STORAGE_PREPARED);
    CHECK_EQ_INT(sg->tensors[rx].storage, STORAGE_ARENA); /* a static shape: planned */
    CHECK(sg->nodes[0].is_prepared && sg->nodes[3].is_prepared && !sg->nodes[1].is_prepared);
    float xv[6], yv[6], got[6];
    for (int i = 0; i < 6; i++) {
        xv[i] = (float)i;
        yv[i] = 10.0f * (float)i;
    }
    CHECK_OK(mote_tensor_copy_from(input(it, 0), xv, sizeof xv));
    CHECK_OK(mote_tensor_copy_from(input(it, 1), yv, sizeof yv));
    long before = atomic_load(&alloc_calls);
    CHECK_OK(mote_interpreter_invoke(it));
    CHECK_EQ_INT(atomic_load(&alloc_calls) - before, 0);
    mote_tensor *t;
    CHECK_OK(mote_interpreter_output(it, 0, &t));
    CHECK_OK(mote_tensor_copy_to(t, got, sizeof got));
    for (int i = 0; i < 6; i++) CHECK_NEAR(got[i], 11.0f * (float)i, 0);
    CHECK_OK(mote_interpreter_output(it, 1, &t));
    CHECK_OK(mote_tensor_copy_to(t, got, sizeof got));
    for (int i = 0; i < 6; i++) CHECK_NEAR(got[i], 11.0f * (float)i, 0);
    /* The user cannot write a value computed in prepare. */
    mote_tensor *shape_t;
    CHECK_OK(mote_interpreter_tensor(it, sy, &shape_t));
    int32_t two[2] = {6, 1};
    CHECK_EQ_INT(mote_tensor_copy_from(shape_t, two, sizeof two), MOTE_ERROR_INVALID_ARGUMENT);

    /* New input shapes: prepare computes the values again. */
    CHECK_OK(mote_interpreter_resize_input(it, 0, 2, (int32_t[]){1, 6}));
    CHECK_OK(mote_interpreter_resize_input(it, 1, 2, (int32_t[]){6, 1}));
    CHECK_OK(mote_interpreter_allocate_tensors(it));
    CHECK(shape_is(output_info(it, 0), 2, (int32_t[]){6, 1}));
    CHECK(shape_is(output_info(it, 1), 2, (int32_t[]){1, 6}));
    CHECK_OK(mote_tensor_copy_from(input(it, 0), xv, sizeof xv));
    CHECK_OK(mote_tensor_copy_from(input(it, 1), yv, sizeof yv));
    CHECK_OK(mote_interpreter_invoke(it));
    CHECK_OK(mote_interpreter_output(it, 1, &t));
    CHECK_OK(mote_tensor_copy_to(t, got, sizeof got));
    for (int i = 0; i < 6; i++) CHECK_NEAR(got[i], 11.0f * (float)i, 0);
    mote_interpreter_destroy(it);
    mote_options_destroy(o);
    mb_free(&b);
}

/* ---- shapes that depend on input values ---- */

/* x[12], s[2] (input values) -> r = reshape(x, s) -> out = r + r. The declared shapes of r
 * and out are [3, 4]; with `declared_static` r's shape_signature says it is static. */
static mote_model *build_runtime_reshape(mb *b, int declared_static) {
    mb_begin(b);
    int32_t x = mb_tensor(b, "x", MOTE_FLOAT32, 1, (int32_t[]){12});
    int32_t s = mb_tensor(b, "s", MOTE_INT32, 1, (int32_t[]){2});
    int32_t r = mb_tensor(b, "r", MOTE_FLOAT32, 2, (int32_t[]){3, 4});
    int32_t out = mb_tensor(b, "out", MOTE_FLOAT32, 2, (int32_t[]){3, 4});
    if (declared_static) mb_check(b, mote_writer_set_shape_signature(b->w, r, 2, (int32_t[]){3, 4}));
    mb_op(b, MOTE_OP_RESHAPE, 2, (int32_t[]){x, s}, 1, &r, 0, 0, NULL);
    mb_op(b, MOTE_OP_ADD, 2, (int32_t[]){r, r}, 1, &out, 0, 0, NULL);
    mb_io(b, 2, (int32_t[]){x, s}, 1, &out);
    return mb_finish(b);
}

static void test_shape_from_input_values(void) {
    mb b;
    mote_model *m = build_runtime_reshape(&b, 0);
    mote_options *o = NULL;
    CHECK_OK(mote_options_create(&counting, &o));
    mote_interpreter *it = mb_interpreter(m, o);
    const subgraph *sg = &it->ctx.subgraphs[0];
    CHECK(sg->nodes[0].reprepare && sg->nodes[1].reprepare); /* deferred, and what reads it */
    CHECK_EQ_INT(sg->tensors[2].storage, STORAGE_DYNAMIC);
    float x[12], y[12];
    for (int i = 0; i < 12; i++) x[i] = (float)i - 5.5f;
    CHECK_OK(mote_tensor_copy_from(input(it, 0), x, sizeof x));
    const int32_t shapes[4][2] = {{3, 4}, {6, 2}, {6, 2}, {1, 12}};
    for (int k = 0; k < 4; k++) {
        CHECK_OK(mote_tensor_copy_from(input(it, 1), shapes[k], sizeof shapes[k]));
        long before = atomic_load(&alloc_calls);
        CHECK_OK(mote_interpreter_invoke(it));
        if (k > 0) CHECK_EQ_INT(atomic_load(&alloc_calls) - before, 0); /* same sizes: memory kept */
        mote_tensor_info oi = output_info(it, 0);
        CHECK(shape_is(oi, 2, shapes[k]));
        CHECK_EQ_INT(oi.bytes, 48);
        mote_tensor *t;
        CHECK_OK(mote_interpreter_output(it, 0, &t));
        CHECK_OK(mote_tensor_copy_to(t, y, sizeof y));
        for (int i = 0; i < 12; i++) CHECK_NEAR(y[i], 2 * x[i], 0);
    }
    const int32_t bad[2] = {5, 2};
    CHECK_OK(mote_tensor_copy_from(input(it, 1), bad, sizeof bad));
    CHECK_EQ_INT(mote_interpreter_invoke(it), MOTE_ERROR_INVALID_MODEL);
    CHECK(mb_contains(mote_interpreter_error(it), "operator 0 (RESHAPE)"));
    mote_interpreter_destroy(it);
    mote_options_destroy(o);
    mb_free(&b);

    /* A shape the model declares static: used as is, and checked while running. */
    m = build_runtime_reshape(&b, 1);
    it = mb_interpreter(m, NULL);
    CHECK_EQ_INT(it->ctx.subgraphs[0].tensors[2].storage, STORAGE_ARENA);
    CHECK_OK(mote_tensor_copy_from(input(it, 0), x, sizeof x));
    CHECK_OK(mote_tensor_copy_from(input(it, 1), shapes[0], sizeof shapes[0]));
    CHECK_OK(mote_interpreter_invoke(it));
    CHECK_OK(mote_tensor_copy_from(input(it, 1), shapes[1], sizeof shapes[1]));
    CHECK_EQ_INT(mote_interpreter_invoke(it), MOTE_ERROR_RUNTIME);
    CHECK(mb_contains(mote_interpreter_error(it), "declared"));
    mote_interpreter_destroy(it);
    mb_free(&b);
}

/* PAD with paddings from an input: deferred through kernel_check_int_arg; the arena limit
 * also bounds the heap such outputs take. */
static void test_runtime_paddings_and_limit(void) {
    mb b;
    mb_begin(&b);
    int32_t x = mb_tensor(&b, "x", MOTE_FLOAT32, 1, (int32_t[]){2});
    int32_t p = mb_tensor(&b, "p", MOTE_INT32, 2, (int32_t[]){1, 2});
    int32_t y = mb_tensor(&b, "y", MOTE_FLOAT32, 1, (int32_t[]){2});
    mb_op(&b, MOTE_OP_PAD, 2, (int32_t[]){x, p}, 1, &y, 0, 0, NULL);
    mb_io(&b, 2, (int32_t[]){x, p}, 1, &y);
    mote_model *m = mb_finish(&b);
    mote_options *o = NULL;
    CHECK_OK(mote_options_create(NULL, &o));
    CHECK_OK(mote_options_set_limit(o, MOTE_LIMIT_ARENA_BYTES, 64 << 10));
    mote_interpreter *it = mb_interpreter(m, o);
    const float xv[2] = {1.0f, 2.0f};
    const int32_t pads[2] = {1, 2};
    CHECK_OK(mote_tensor_copy_from(input(it, 0), xv, sizeof xv));
    CHECK_OK(mote_tensor_copy_from(input(it, 1), pads, sizeof pads));
    CHECK_OK(mote_interpreter_invoke(it));
    mote_tensor_info yi = output_info(it, 0);
    CHECK(shape_is(yi, 1, (int32_t[]){5}));
    const float want[5] = {0, 1, 2, 0, 0};
    for (int i = 0; i < 5 && yi.data; i++) CHECK_NEAR(((const float *)yi.data)[i], want[i], 0);
    const int32_t huge[2] = {0, 1 << 20}; /* 4 MiB: over the limit */
    CHECK_OK(mote_tensor_copy_from(input(it, 1), huge, sizeof huge));
    CHECK_EQ_INT(mote_interpreter_invoke(it), MOTE_ERROR_LIMIT);
    CHECK(mb_contains(mote_interpreter_error(it), "operator 0 (PAD)"));
    CHECK(mb_contains(mote_interpreter_error(it), "limit"));
    CHECK_OK(mote_tensor_copy_from(input(it, 1), pads, sizeof pads));
    CHECK_OK(mote_interpreter_invoke(it));
    mote_interpreter_destroy(it);
    mote_options_destroy(o);
    mb_free(&b);
}

/* x[2, 6] -> y = x[:, b:e] with b, e from an input, the output declared [2, -1]: the slice
 * is deferred and its output sized while running, the ADD after it too; the memory is kept
 * while the size does not grow, and an empty slice is fine. */
static void test_runtime_strided_slice(void) {
    mb b;
    mb_begin(&b);
    int32_t x = mb_tensor(&b, "x", MOTE_FLOAT32, 2, (int32_t[]){2, 6});
    int32_t be = mb_tensor(&b, "begin_end", MOTE_INT32, 1, (int32_t[]){2});
    int32_t zero = mb_const(&b, "zero", MOTE_INT32, 1, (int32_t[]){1}, (int32_t[]){0}, 4);
    int32_t one = mb_const(&b, "one", MOTE_INT32, 1, (int32_t[]){1}, (int32_t[]){1}, 4);
    int32_t b1 = mb_tensor(&b, "b1", MOTE_INT32, 1, (int32_t[]){1});
    int32_t e1 = mb_tensor(&b, "e1", MOTE_INT32, 1, (int32_t[]){1});
    int32_t bz = mb_const(&b, "bz", MOTE_INT32, 1, (int32_t[]){1}, (int32_t[]){0}, 4);
    int32_t bv = mb_tensor(&b, "bv", MOTE_INT32, 1, (int32_t[]){2});
    int32_t ev = mb_tensor(&b, "ev", MOTE_INT32, 1, (int32_t[]){2});
    int32_t st = mb_const(&b, "strides", MOTE_INT32, 1, (int32_t[]){2}, (int32_t[]){1, 1}, 8);
    int32_t y = mb_tensor(&b, "y", MOTE_FLOAT32, 2, (int32_t[]){2, 1});
    int32_t out = mb_tensor(&b, "out", MOTE_FLOAT32, 2, (int32_t[]){2, 1});
    mb_check(&b, mote_writer_set_shape_signature(b.w, y, 2, (int32_t[]){2, -1}));
    mb_check(&b, mote_writer_set_shape_signature(b.w, out, 2, (int32_t[]){2, -1}));
    /* b1 = begin_end[0:1], e1 = begin_end[1:2]; begin = [0, b1], end = [0, e1] with the
     * first dimension taken whole (begin and end mask bit 0). */
    mote_option_field none[1] = {MB_INT(0, 0)};
    mb_op(&b, MOTE_OP_SLICE, 3, (int32_t[]){be, zero, one}, 1, &b1, 0, 0, NULL);
    mb_op(&b, MOTE_OP_SLICE, 3, (int32_t[]){be, one, one}, 1, &e1, 0, 0, NULL);
    mb_op(&b, MOTE_OP_CONCATENATION, 2, (int32_t[]){bz, b1}, 1, &bv, TFL_OPTIONS_CONCATENATION, 1, none);
    mb_op(&b, MOTE_OP_CONCATENATION, 2, (int32_t[]){bz, e1}, 1, &ev, TFL_OPTIONS_CONCATENATION, 1, none);
    mote_option_field masks[2] = {MB_INT(0, 1), MB_INT(1, 1)};
    mb_op(&b, MOTE_OP_STRIDED_SLICE, 4, (int32_t[]){x, bv, ev, st}, 1, &y, TFL_OPTIONS_STRIDED_SLICE, 2, masks);
    mb_op(&b, MOTE_OP_ADD, 2, (int32_t[]){y, y}, 1, &out, 0, 0, NULL);
    mb_io(&b, 2, (int32_t[]){x, be}, 1, &out);
    mote_model *m = mb_finish(&b);
    mote_options *o = NULL;
    CHECK_OK(mote_options_create(&counting, &o));
    mote_interpreter *it = mb_interpreter(m, o);
    const subgraph *sg = &it->ctx.subgraphs[0];
    CHECK(sg->nodes[4].reprepare && sg->nodes[5].reprepare);
    CHECK(!sg->nodes[0].reprepare);
    CHECK_EQ_INT(sg->tensors[y].storage, STORAGE_DYNAMIC);
    CHECK_EQ_INT(sg->tensors[out].storage, STORAGE_DYNAMIC);
    float xv[12];
    for (int i = 0; i < 12; i++) xv[i] = (float)i;
    CHECK_OK(mote_tensor_copy_from(input(it, 0), xv, sizeof xv));
    const int32_t cases[5][2] = {{1, 5}, {2, 4}, {0, 6}, {3, 3}, {-2, 6}};
    for (int k = 0; k < 5; k++) {
        CHECK_OK(mote_tensor_copy_from(input(it, 1), cases[k], sizeof cases[k]));
        long before = atomic_load(&alloc_calls);
        mote_status s_ = mote_interpreter_invoke(it);
        if (s_) fprintf(stderr, "runtime strided slice: %s\n", mote_interpreter_error(it));
        CHECK_OK(s_);
        if (k == 1 || k == 3) CHECK_EQ_INT(atomic_load(&alloc_calls) - before, 0); /* smaller: kept */
        int32_t lo = cases[k][0] < 0 ? cases[k][0] + 6 : cases[k][0], n = cases[k][1] - lo;
        mote_tensor_info oi = output_info(it, 0);
        CHECK(shape_is(oi, 2, (int32_t[]){2, n}));
        CHECK_EQ_INT(oi.bytes, (size_t)(2 * n) * sizeof(float));
        for (int32_t r = 0; r < 2 && oi.data; r++)
            for (int32_t c = 0; c < n; c++)
                CHECK_NEAR(((const float *)oi.data)[r * n + c], 2.0f * xv[r * 6 + lo + c], 0);
    }
    mote_interpreter_destroy(it);
    mote_options_destroy(o);
    mb_free(&b);
}

/* x[6, 4] -> rows b:e (from an input) -> FULLY_CONNECTED with constant weights [3, 4]: the
 * slice and the FULLY_CONNECTED after it are deferred; the latter has a pack step, which
 * runs again at each invoke. */
static void test_deferred_node_with_pack(void) {
    mb b;
    mb_begin(&b);
    static const float wv[12] = {1, 0, 0, 0, 0, 1, 0, 0, 0.5f, 0.5f, -1, 2};
    int32_t x = mb_tensor(&b, "x", MOTE_FLOAT32, 2, (int32_t[]){6, 4});
    int32_t bv = mb_tensor(&b, "begin", MOTE_INT32, 1, (int32_t[]){2});
    int32_t ev = mb_tensor(&b, "end", MOTE_INT32, 1, (int32_t[]){2});
    int32_t st = mb_const(&b, "strides", MOTE_INT32, 1, (int32_t[]){2}, (int32_t[]){1, 1}, 8);
    int32_t w = mb_const(&b, "w", MOTE_FLOAT32, 2, (int32_t[]){3, 4}, wv, sizeof wv);
    int32_t y = mb_tensor(&b, "y", MOTE_FLOAT32, 2, (int32_t[]){1, 4});
    int32_t out = mb_tensor(&b, "out", MOTE_FLOAT32, 2, (int32_t[]){1, 3});
    mb_check(&b, mote_writer_set_shape_signature(b.w, y, 2, (int32_t[]){-1, 4}));
    mb_check(&b, mote_writer_set_shape_signature(b.w, out, 2, (int32_t[]){-1, 3}));
    mb_op(&b, MOTE_OP_STRIDED_SLICE, 4, (int32_t[]){x, bv, ev, st}, 1, &y, 0, 0, NULL);
    mb_op(&b, MOTE_OP_FULLY_CONNECTED, 3, (int32_t[]){y, w, -1}, 1, &out, 0, 0, NULL);
    mb_io(&b, 3, (int32_t[]){x, bv, ev}, 1, &out);
    mote_model *m = mb_finish(&b);
    mote_interpreter *it = mb_interpreter(m, NULL);
    CHECK(it->ctx.subgraphs[0].nodes[1].reprepare);
    float xv[24];
    for (int i = 0; i < 24; i++) xv[i] = (float)(i % 7) - 3.0f;
    CHECK_OK(mote_tensor_copy_from(input(it, 0), xv, sizeof xv));
    const int32_t rows[3][2] = {{1, 4}, {0, 6}, {5, 6}};
    for (int k = 0; k < 3; k++) {
        CHECK_OK(mote_tensor_copy_from(input(it, 1), (int32_t[]){rows[k][0], 0}, 8));
        CHECK_OK(mote_tensor_copy_from(input(it, 2), (int32_t[]){rows[k][1], 4}, 8));
        mote_status s_ = mote_interpreter_invoke(it);
        if (s_) fprintf(stderr, "deferred FULLY_CONNECTED: %s\n", mote_interpreter_error(it));
        CHECK_OK(s_);
        int32_t n = rows[k][1] - rows[k][0];
        mote_tensor_info oi = output_info(it, 0);
        CHECK(shape_is(oi, 2, (int32_t[]){n, 3}));
        for (int32_t r = 0; r < n && oi.data; r++)
            for (int32_t o = 0; o < 3; o++) {
                float want = 0;
                for (int32_t c = 0; c < 4; c++) want += xv[(rows[k][0] + r) * 4 + c] * wv[o * 4 + c];
                CHECK_NEAR(((const float *)oi.data)[r * 3 + o], want, 1e-5);
            }
    }
    mote_interpreter_destroy(it);
    mb_free(&b);
}

/* ---- shared models with -1 dimensions ---- */

/* dilated_conv: a 3x3 convolution with dilation 6 and SAME padding, written as
 * SPACE_TO_BATCH_ND, CONV_2D, BATCH_TO_SPACE_ND with paddings computed from SHAPE(input).
 * Resized, it still plans statically (the paddings are computed in prepare) and matches a
 * direct computation from its weights. */
static void test_dilated_conv_resized(void) {
    mote_model *m = load_shared("dilated_conv.tflite");
    if (!m) return;
    mote_options *o = NULL;
    CHECK_OK(mote_options_create(&counting, &o));
    mote_interpreter *it = NULL;
    CHECK_OK(mote_interpreter_create(m, o, &it));
    const int32_t h = 9, w = 7, dims[4] = {1, 9, 7, 3};
    CHECK_OK(mote_interpreter_resize_input(it, 0, 4, dims));
    mote_status st = mote_interpreter_allocate_tensors(it);
    if (st) fprintf(stderr, "dilated_conv: %s\n", mote_interpreter_error(it));
    CHECK_OK(st);
    const subgraph *sg = &it->ctx.subgraphs[0];
    for (int32_t i = 0; i < sg->tensor_count; i++) CHECK(sg->tensors[i].storage != STORAGE_DYNAMIC);
    float x[9 * 7 * 3];
    for (int i = 0; i < h * w * 3; i++) x[i] = sinf((float)i * 0.7f);
    CHECK_OK(mote_tensor_copy_from(input(it, 0), x, sizeof x));
    long before = atomic_load(&alloc_calls);
    CHECK_OK(mote_interpreter_invoke(it));
    CHECK_EQ_INT(atomic_load(&alloc_calls) - before, 0);
    mote_tensor_info yi = output_info(it, 0);
    CHECK(shape_is(yi, 4, (int32_t[]){1, 9, 7, 16}));
    /* The reference: weights [16, 3, 3, 3] (tensor 3), bias 0 (tensor 2) then + tensor 9. */
    const float *wt = (const float *)(const void *)sg->tensors[3].data;
    const float *bias = (const float *)(const void *)sg->tensors[9].data;
    const float *y = yi.data;
    double worst = 0;
    for (int32_t r = 0; r < h && y; r++)
        for (int32_t c = 0; c < w; c++)
            for (int32_t oc = 0; oc < 16; oc++) {
                double acc = bias[oc];
                for (int32_t ky = 0; ky < 3; ky++)
                    for (int32_t kx = 0; kx < 3; kx++) {
                        int32_t ir = r + (ky - 1) * 6, ic = c + (kx - 1) * 6;
                        if (ir < 0 || ir >= h || ic < 0 || ic >= w) continue;
                        for (int32_t ch = 0; ch < 3; ch++)
                            acc += (double)x[(ir * w + ic) * 3 + ch] * wt[((oc * 3 + ky) * 3 + kx) * 3 + ch];
                    }
                double err = fabs(acc - y[(r * w + c) * 16 + oc]);
                if (err > worst) worst = err;
            }
    CHECK(worst < 1e-4);
    mote_interpreter_destroy(it);
    mote_options_destroy(o);
    mote_model_destroy(m);
}

/* dynamic_shapes: input z sets the length of the output's middle dimension, only known
 * while running. */
static void test_dynamic_shapes_model(void) {
    mote_model *m = load_shared("dynamic_shapes.tflite");
    if (!m) return;
    mote_interpreter *it = NULL;
    CHECK_OK(mote_interpreter_create(m, NULL, &it));
    mote_status st = mote_interpreter_allocate_tensors(it);
    if (st) fprintf(stderr, "dynamic_shapes: %s\n", mote_interpreter_error(it));
    CHECK_OK(st);
    if (st == MOTE_OK) {
        size_t xs = 8 * 42 * 1024, ys = 90 * 1024;
        float *x = calloc(xs, sizeof *x), *yv = calloc(ys, sizeof *yv);
        for (size_t i = 0; x && i < xs; i++) x[i] = (float)(i % 13) * 0.01f;
        for (size_t i = 0; yv && i < ys; i++) yv[i] = (float)(i % 7) * 0.02f;
        CHECK_OK(mote_tensor_copy_from(input(it, 0), x, xs * sizeof *x));
        CHECK_OK(mote_tensor_copy_from(input(it, 1), yv, ys * sizeof *yv));
        const float zs[4] = {5.0f, 2.0f, 0.0f, 7.0f};
        for (int k = 0; k < 4; k++) {
            CHECK_OK(mote_tensor_copy_from(input(it, 2), &zs[k], sizeof zs[k]));
            st = mote_interpreter_invoke(it);
            if (st) fprintf(stderr, "dynamic_shapes: %s\n", mote_interpreter_error(it));
            CHECK_OK(st);
            CHECK(shape_is(output_info(it, 0), 3, (int32_t[]){8, (int32_t)zs[k], 1024}));
        }
        free(x);
        free(yv);
    }
    mote_interpreter_destroy(it);
    mote_model_destroy(m);
}

/* The embedder's batch is -1: two equal images give two equal rows. */
static void test_batch_resize(void) {
    mote_model *m = load_shared("mobilenet_v2_035_96_embedder_with_metadata.tflite");
    if (!m) return;
    mote_interpreter *it = NULL;
    CHECK_OK(mote_interpreter_create(m, NULL, &it));
    mote_tensor_info ii = info_of(input(it, 0));
    CHECK(ii.signature_rank == 4 && ii.dims_signature[0] == -1);
    CHECK_OK(mote_interpreter_resize_input(it, 0, 4, (int32_t[]){2, 96, 96, 3}));
    CHECK_OK(mote_interpreter_allocate_tensors(it));
    size_t n = 96 * 96 * 3;
    float *x = malloc(2 * n * sizeof *x);
    for (size_t i = 0; x && i < n; i++) x[i] = x[n + i] = (float)((i * 37) % 255) / 127.5f - 1.0f;
    CHECK_OK(mote_tensor_copy_from(input(it, 0), x, 2 * n * sizeof *x));
    CHECK_OK(mote_interpreter_invoke(it));
    mote_tensor_info yi = output_info(it, 0);
    CHECK(shape_is(yi, 2, (int32_t[]){2, 1280}));
    const float *y = yi.data;
    for (int i = 0; i < 1280 && y; i++) CHECK_NEAR(y[i], y[1280 + i], 1e-6);
    free(x);
    mote_interpreter_destroy(it);
    mote_model_destroy(m);
}

TEST_MAIN(test_values_known_in_prepare, test_shape_from_input_values, test_runtime_paddings_and_limit,
          test_runtime_strided_slice, test_deferred_node_with_pack,
          test_dilated_conv_resized, test_dynamic_shapes_model, test_batch_resize)
