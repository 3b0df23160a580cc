/* test_interpreter.c — the interpreter's public API on real and hand-built models: results
 * computed here, call order (BAD_STATE), resizing, signatures, caller-owned arenas and
 * limits, custom operators, cancellation from another thread, variables, NULL handles. */
#include <pthread.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <time.h>

#include "core/interpreter.h"
#include "format/builtin_ops.h"
#include "format/tflite_schema.h"
#include "kernels/registry.h"
#include "test.h"
#include "tiny_model.h"

/* ---- helpers ---- */

static char models_dir[4096];

static int find_models(void) {
    const char *shared = test_shared_dir();
    if (!shared) return 0;
    snprintf(models_dir, sizeof models_dir, "%s/models", shared);
    struct stat sb;
    return stat(models_dir, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static mote_model *load(const char *name) {
    char path[4352];
    snprintf(path, sizeof path, "%s/%s", models_dir, name);
    mote_model *m = NULL;
    mote_status st = mote_model_load_file(path, NULL, &m);
    if (st) fprintf(stderr, "%s: %s\n", name, mote_model_error(m));
    CHECK_EQ_INT(st, MOTE_OK);
    return m;
}

static int contains(const char *text, const char *part) {
    if (text && strstr(text, part)) return 1;
    fprintf(stderr, "message '%s' lacks '%s'\n", text ? text : "(null)", part);
    return 0;
}

static mote_tensor_info info_of(const mote_tensor *t) {
    mote_tensor_info info;
    memset(&info, 0, sizeof info);
    CHECK_OK(mote_tensor_get_info(t, &info));
    return info;
}

/* A tiny model from tensors and ops, held in g until fbg_free. */
static mote_model *build(fbgen *g, int32_t tensor_count, const tiny_tensor *tensors, int32_t op_count,
                         const tiny_op *ops, int32_t input_count, const int32_t *inputs,
                         int32_t output_count, const int32_t *outputs) {
    tiny_buffer buffers[] = {{NULL, 0, 0, 0}};
    tiny_model tm = {"test", tensor_count, tensors, op_count, ops, 1, buffers,
                     input_count, inputs, output_count, outputs};
    tiny_model_build(g, &tm);
    mote_model *m = NULL;
    CHECK_OK(mote_model_load_memory(g->p, g->n, NULL, &m));
    return m;
}

/* ---- add.tflite: output = (input + input) + input ---- */

static void test_add_model(void) {
    mote_model *m = load("add.tflite");
    mote_interpreter *it = NULL;
    CHECK_OK(mote_interpreter_create(m, NULL, &it));
    CHECK_EQ_INT(mote_interpreter_error(it)[0], 0);
    size_t act = 0, pers = 0;
    CHECK_EQ_INT(mote_interpreter_arena_bytes(it, &act, &pers), MOTE_ERROR_BAD_STATE);
    CHECK_EQ_INT(mote_interpreter_invoke(it), MOTE_ERROR_BAD_STATE);
    CHECK(contains(mote_interpreter_error(it), "allocate"));

    int32_t n = 0;
    CHECK_OK(mote_interpreter_input_count(it, &n));
    CHECK_EQ_INT(n, 1);
    CHECK_OK(mote_interpreter_output_count(it, &n));
    CHECK_EQ_INT(n, 1);
    CHECK_OK(mote_interpreter_tensor_count(it, &n));
    CHECK_EQ_INT(n, 3);
    mote_tensor *in = NULL, *out = NULL, *t = NULL;
    CHECK_OK(mote_interpreter_input(it, 0, &in));
    CHECK_OK(mote_interpreter_output(it, 0, &out));
    CHECK_EQ_INT(mote_interpreter_input(it, 1, &t), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK(contains(mote_interpreter_error(it), "input 1"));
    CHECK_EQ_INT(mote_interpreter_output(it, -1, &t), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_interpreter_tensor(it, 3, &t), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_OK(mote_interpreter_tensor(it, 1, &t));
    CHECK(t == in);

    mote_tensor_info ii = info_of(in);
    CHECK(strcmp(ii.name, "input") == 0);
    CHECK_EQ_INT(ii.type, MOTE_FLOAT32);
    CHECK_EQ_INT(ii.rank, 4);
    CHECK_EQ_INT(ii.dims[1] * ii.dims[2] * ii.dims[3], 192);
    CHECK_EQ_INT(ii.bytes, 768);
    CHECK(ii.data == NULL); /* before allocate_tensors */
    CHECK(!ii.is_constant && !ii.is_variable);
    float x[192], y[192];
    for (int i = 0; i < 192; i++) x[i] = (float)i * 0.37f - 20.0f;
    CHECK_EQ_INT(mote_tensor_copy_from(in, x, sizeof x), MOTE_ERROR_BAD_STATE);

    CHECK_OK(mote_interpreter_allocate_tensors(it));
    CHECK_OK(mote_interpreter_arena_bytes(it, &act, &pers));
    CHECK(act >= 2 * 768); /* input and output alive together */
    CHECK(info_of(in).data != NULL);
    CHECK_EQ_INT(mote_tensor_copy_from(in, x, sizeof x - 4), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_tensor_copy_from(in, x, sizeof x + 4), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_tensor_copy_to(out, y, sizeof y - 4), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_OK(mote_tensor_copy_from(in, x, sizeof x));
    for (int round = 0; round < 2; round++) {
        memset(y, 0, sizeof y);
        CHECK_OK(mote_interpreter_invoke(it));
        CHECK_OK(mote_tensor_copy_to(out, y, sizeof y));
        for (int i = 0; i < 192; i++) {
            float twice = x[i] + x[i];
            CHECK_NEAR(y[i], twice + x[i], 0);
        }
    }
    mote_interpreter_destroy(it);
    mote_model_destroy(m);
}

/* ---- hello_world_float.tflite: three FULLY_CONNECTED layers, checked by a reference
 * computed here from the model's own weights ---- */

/* out[b][o] = act(sum_i in[b][i] * w[o][i] + bias[o]) for each operator in turn. */
static void hello_world_reference(mote_interpreter *it, const float *x, int batch, double *y) {
    const mote_context *ctx = &it->ctx;
    const subgraph *sg = &ctx->subgraphs[0];
    double cur[64 * 16], next[64 * 16];
    int width = 1;
    for (int b = 0; b < batch; b++) cur[b] = x[b];
    for (int32_t k = 0; k < sg->node_count; k++) {
        const model_op *op = sg->nodes[k].def;
        CHECK_EQ_INT(op->builtin_code, MOTE_OP_FULLY_CONNECTED);
        const mote_tensor *w = &sg->tensors[op->inputs[1]], *bias = &sg->tensors[op->inputs[2]];
        const float *wd = (const float *)(const void *)w->data, *bd = (const float *)(const void *)bias->data;
        int outs = w->dims[0];
        CHECK_EQ_INT(w->dims[1], width);
        int act = op->options_type == TFL_OPTIONS_FULLY_CONNECTED ? fb_i8(ctx->model->fb, op->options, 0, 0) : 0;
        for (int b = 0; b < batch; b++)
            for (int o = 0; o < outs; o++) {
                double s = bd[o];
                for (int i = 0; i < width; i++) s += cur[b * width + i] * wd[o * width + i];
                if (act == 1 && s < 0) s = 0; /* RELU */
                next[b * outs + o] = s;
            }
        width = outs;
        memcpy(cur, next, sizeof(double) * (size_t)(batch * width));
    }
    CHECK_EQ_INT(width, 1);
    for (int b = 0; b < batch; b++) y[b] = cur[b];
}

static void test_hello_world_and_resize(void) {
    mote_model *m = load("hello_world_float.tflite");
    mote_interpreter *it = NULL;
    CHECK_OK(mote_interpreter_create(m, NULL, &it));
    CHECK_OK(mote_interpreter_allocate_tensors(it));
    mote_tensor *in, *out;
    CHECK_OK(mote_interpreter_input(it, 0, &in));
    CHECK_OK(mote_interpreter_output(it, 0, &out));
    mote_tensor_info ii = info_of(in);
    CHECK_EQ_INT(ii.signature_rank, 2);
    CHECK_EQ_INT(ii.dims_signature[0], -1); /* the batch is dynamic */

    float x1 = 1.5707964f, y1 = 0;
    double ref[4];
    double wrong[2] = {0, 0}; /* a wrong input size is refused, the tensor left alone */
    CHECK_EQ_INT(mote_tensor_copy_from(in, wrong, sizeof wrong), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_tensor_copy_from(in, wrong, 1), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_OK(mote_tensor_copy_from(in, &x1, sizeof x1));
    CHECK_OK(mote_interpreter_invoke(it));
    CHECK_EQ_INT(mote_tensor_copy_to(out, wrong, sizeof wrong), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_OK(mote_tensor_copy_to(out, &y1, sizeof y1));
    hello_world_reference(it, &x1, 1, ref);
    CHECK_NEAR(y1, ref[0], 1e-5);
    CHECK_NEAR(y1, 1.0, 0.15); /* it approximates sin(pi/2) */

    /* Batch 1 -> 4: invoking needs a new allocate first. */
    const int32_t dims[2] = {4, 1};
    CHECK_OK(mote_interpreter_resize_input(it, 0, 2, dims));
    CHECK_EQ_INT(info_of(in).bytes, 16);
    float x4[4] = {0.0f, 0.5f, 3.14159265f, 4.7123890f}, y4[4] = {0};
    /* The old plan had room for one row: no copy until allocate. */
    CHECK_EQ_INT(mote_tensor_copy_from(in, x4, sizeof x4), MOTE_ERROR_BAD_STATE);
    CHECK_EQ_INT(mote_interpreter_invoke(it), MOTE_ERROR_BAD_STATE);
    CHECK(mote_interpreter_error(it)[0] != 0);
    size_t act;
    CHECK_EQ_INT(mote_interpreter_arena_bytes(it, &act, NULL), MOTE_ERROR_BAD_STATE);
    CHECK_OK(mote_interpreter_allocate_tensors(it));
    mote_tensor_info oi = info_of(out);
    CHECK_EQ_INT(oi.rank, 2);
    CHECK_EQ_INT(oi.dims[0], 4);
    CHECK_EQ_INT(oi.bytes, 16);
    CHECK_OK(mote_tensor_copy_from(in, x4, sizeof x4));
    CHECK_OK(mote_interpreter_invoke(it));
    CHECK_OK(mote_tensor_copy_to(out, y4, sizeof y4));
    hello_world_reference(it, x4, 4, ref);
    for (int b = 0; b < 4; b++) CHECK_NEAR(y4[b], ref[b], 1e-5);
    /* Resizing to the same shape keeps the allocation. */
    CHECK_OK(mote_interpreter_resize_input(it, 0, 2, dims));
    CHECK_OK(mote_interpreter_invoke(it));
    /* Bad shapes are refused and change nothing. */
    const int32_t neg[2] = {-1, 1};
    CHECK_EQ_INT(mote_interpreter_resize_input(it, 0, 2, neg), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_interpreter_resize_input(it, 0, MOTE_MAX_DIMS + 1, dims), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_interpreter_resize_input(it, 0, 2, NULL), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_interpreter_resize_input(it, 1, 2, dims), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_OK(mote_interpreter_invoke(it));
    /* Constants cannot be resized or written. */
    mote_tensor *w;
    CHECK_OK(mote_interpreter_tensor(it, m->subgraphs[0].ops[0].inputs[1], &w));
    mote_tensor_info wi = info_of(w);
    CHECK(wi.is_constant);
    CHECK(wi.data != NULL);
    CHECK_EQ_INT(mote_tensor_copy_from(w, wi.data, wi.bytes), MOTE_ERROR_INVALID_ARGUMENT);
    mote_interpreter_destroy(it);
    mote_model_destroy(m);
}

/* A failed allocate leaves no tensor pointing into memory planned for other shapes. */
static void test_failed_allocate_leaves_no_stale_data(void) {
    mote_model *m = load("hello_world_float.tflite");
    static uint8_t arena[64 * 1024];
    mote_options *o;
    CHECK_OK(mote_options_create(NULL, &o));
    CHECK_OK(mote_options_set_arena(o, arena, sizeof arena));
    mote_interpreter *it = NULL;
    CHECK_OK(mote_interpreter_create(m, o, &it));
    CHECK_OK(mote_interpreter_allocate_tensors(it));
    const int32_t big[2] = {100000, 1}; /* needs megabytes: the caller's arena is too small */
    CHECK_OK(mote_interpreter_resize_input(it, 0, 2, big));
    CHECK_EQ_INT(mote_interpreter_allocate_tensors(it), MOTE_ERROR_LIMIT);
    mote_tensor *out;
    CHECK_OK(mote_interpreter_output(it, 0, &out));
    mote_tensor_info oi = info_of(out);
    CHECK_EQ_INT(oi.bytes, 400000);
    CHECK(oi.data == NULL);
    float *y = malloc(oi.bytes);
    CHECK_EQ_INT(mote_tensor_copy_to(out, y, oi.bytes), MOTE_ERROR_BAD_STATE);
    CHECK_EQ_INT(mote_tensor_copy_from(out, y, oi.bytes), MOTE_ERROR_BAD_STATE);
    free(y);
    CHECK_EQ_INT(mote_interpreter_invoke(it), MOTE_ERROR_BAD_STATE);
    /* Back to a size that fits. */
    const int32_t one[2] = {1, 1};
    CHECK_OK(mote_interpreter_resize_input(it, 0, 2, one));
    CHECK_OK(mote_interpreter_allocate_tensors(it));
    CHECK_OK(mote_interpreter_invoke(it));
    mote_interpreter_destroy(it);
    mote_options_destroy(o);
    mote_model_destroy(m);
}

/* ---- multi_signatures.tflite: "add" is x + 2 (subgraph 0), "sub" is x - 3 ---- */

static void test_signatures(void) {
    mote_model *m = load("multi_signatures.tflite");
    mote_interpreter *it = NULL;
    CHECK_OK(mote_interpreter_create(m, NULL, &it));
    int32_t n = 0;
    CHECK_OK(mote_interpreter_signature_count(it, &n));
    CHECK_EQ_INT(n, 2);
    const char *key = NULL, *name = NULL;
    CHECK_OK(mote_interpreter_signature_key(it, 0, &key));
    CHECK(key && strcmp(key, "add") == 0);
    CHECK_OK(mote_interpreter_signature_key(it, 1, &key));
    CHECK(key && strcmp(key, "sub") == 0);
    CHECK_EQ_INT(mote_interpreter_signature_key(it, 2, &key), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_interpreter_signature_key(it, -1, &key), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_OK(mote_interpreter_signature_io_count(it, "sub", 0, &n));
    CHECK_EQ_INT(n, 1);
    CHECK_OK(mote_interpreter_signature_io_count(it, "sub", 1, &n));
    CHECK_EQ_INT(n, 1);
    CHECK_OK(mote_interpreter_signature_io_name(it, "sub", 0, 0, &name));
    CHECK(name && strcmp(name, "x") == 0);
    CHECK_OK(mote_interpreter_signature_io_name(it, "sub", 1, 0, &name));
    CHECK(name && strcmp(name, "output_0") == 0);
    CHECK_EQ_INT(mote_interpreter_signature_io_name(it, "sub", 1, 1, &name), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_interpreter_signature_io_count(it, "mul", 0, &n), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK(contains(mote_interpreter_error(it), "no signature 'mul'"));
    mote_tensor *t;
    CHECK_EQ_INT(mote_interpreter_signature_tensor(it, "add", 0, "y", &t), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK(contains(mote_interpreter_error(it), "no input named 'y'"));
    CHECK_EQ_INT(mote_interpreter_signature_invoke(it, "add"), MOTE_ERROR_BAD_STATE);

    CHECK_OK(mote_interpreter_allocate_tensors(it));
    mote_tensor *add_x, *add_y, *sub_x, *sub_y;
    CHECK_OK(mote_interpreter_signature_tensor(it, "add", 0, "x", &add_x));
    CHECK_OK(mote_interpreter_signature_tensor(it, "add", 1, "output_0", &add_y));
    CHECK_OK(mote_interpreter_signature_tensor(it, "sub", 0, "x", &sub_x));
    CHECK_OK(mote_interpreter_signature_tensor(it, "sub", 1, "output_0", &sub_y));
    CHECK(add_x != sub_x);
    float x = 5, y = 0;
    CHECK_OK(mote_tensor_copy_from(add_x, &x, sizeof x));
    CHECK_OK(mote_interpreter_signature_invoke(it, "add"));
    CHECK_OK(mote_tensor_copy_to(add_y, &y, sizeof y));
    CHECK_NEAR(y, 7, 0);
    x = 10;
    CHECK_OK(mote_tensor_copy_from(sub_x, &x, sizeof x));
    CHECK_OK(mote_interpreter_signature_invoke(it, "sub"));
    CHECK_OK(mote_tensor_copy_to(sub_y, &y, sizeof y));
    CHECK_NEAR(y, 7, 0);
    /* Plain invoke runs subgraph 0, the "add" signature. */
    mote_tensor *in0;
    CHECK_OK(mote_interpreter_input(it, 0, &in0));
    CHECK(in0 == add_x);
    CHECK_OK(mote_interpreter_invoke(it));
    CHECK_OK(mote_tensor_copy_to(add_y, &y, sizeof y));
    CHECK_NEAR(y, 7, 0); /* add_x still holds 5 */
    CHECK_EQ_INT(mote_interpreter_signature_invoke(it, "mul"), MOTE_ERROR_INVALID_ARGUMENT);

    /* Resizing a signature input: allocate again, then four values at once. */
    const int32_t four[1] = {4};
    CHECK_OK(mote_interpreter_signature_resize_input(it, "sub", "x", 1, four));
    CHECK_EQ_INT(mote_interpreter_signature_invoke(it, "sub"), MOTE_ERROR_BAD_STATE);
    CHECK_EQ_INT(mote_interpreter_signature_resize_input(it, "sub", "nope", 1, four),
                 MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_OK(mote_interpreter_allocate_tensors(it));
    float x4[4] = {0, 1, -2, 3.5f}, y4[4];
    CHECK_OK(mote_tensor_copy_from(sub_x, x4, sizeof x4));
    CHECK_OK(mote_interpreter_signature_invoke(it, "sub"));
    CHECK_OK(mote_tensor_copy_to(sub_y, y4, sizeof y4));
    for (int i = 0; i < 4; i++) CHECK_NEAR(y4[i], x4[i] - 3, 0);
    mote_interpreter_destroy(it);
    mote_model_destroy(m);
}

/* ---- arenas and limits ---- */

static void test_caller_arena_and_limits(void) {
    mote_model *m = load("hello_world_float.tflite");
    mote_interpreter *it = NULL;
    CHECK_OK(mote_interpreter_create(m, NULL, &it));
    CHECK_OK(mote_interpreter_allocate_tensors(it));
    size_t act = 0, pers = 0;
    CHECK_OK(mote_interpreter_arena_bytes(it, &act, &pers));
    CHECK(act > 0);
    size_t need = act + pers;
    mote_interpreter_destroy(it);

    /* Too small: LIMIT with a message; the interpreter stays usable. */
    static uint8_t arena[64 * 1024 + 64];
    mote_options *o;
    CHECK_OK(mote_options_create(NULL, &o));
    CHECK_OK(mote_options_set_arena(o, arena + 1, 16));
    CHECK_OK(mote_interpreter_create(m, o, &it));
    CHECK_EQ_INT(mote_interpreter_allocate_tensors(it), MOTE_ERROR_LIMIT);
    CHECK(contains(mote_interpreter_error(it), "arena"));
    CHECK_EQ_INT(mote_interpreter_invoke(it), MOTE_ERROR_BAD_STATE);
    mote_interpreter_destroy(it);

    /* Big enough, even from a misaligned start: every tensor lives inside it. */
    uint8_t *base = arena + 1;
    size_t cap = need + MOTE_ALIGN - 1;
    CHECK(cap <= sizeof arena - 1);
    CHECK_OK(mote_options_set_arena(o, base, cap));
    CHECK_OK(mote_interpreter_create(m, o, &it));
    CHECK_OK(mote_interpreter_allocate_tensors(it));
    int32_t count = 0;
    CHECK_OK(mote_interpreter_tensor_count(it, &count));
    for (int32_t i = 0; i < count; i++) {
        mote_tensor *t;
        CHECK_OK(mote_interpreter_tensor(it, i, &t));
        mote_tensor_info ti = info_of(t);
        if (ti.is_constant) continue;
        CHECK((uint8_t *)ti.data >= base && (uint8_t *)ti.data + ti.bytes <= base + cap);
        CHECK_EQ_INT((uintptr_t)ti.data % MOTE_ALIGN, 0);
    }
    mote_tensor *in, *out;
    CHECK_OK(mote_interpreter_input(it, 0, &in));
    CHECK_OK(mote_interpreter_output(it, 0, &out));
    float x = 1.0f, y = 0;
    double ref;
    CHECK_OK(mote_tensor_copy_from(in, &x, sizeof x));
    CHECK_OK(mote_interpreter_invoke(it));
    CHECK_OK(mote_tensor_copy_to(out, &y, sizeof y));
    hello_world_reference(it, &x, 1, &ref);
    CHECK_NEAR(y, ref, 1e-5);
    mote_interpreter_destroy(it);
    mote_options_destroy(o);

    /* The arena limit. */
    CHECK_OK(mote_options_create(NULL, &o));
    CHECK_OK(mote_options_set_limit(o, MOTE_LIMIT_ARENA_BYTES, 64));
    CHECK_OK(mote_interpreter_create(m, o, &it));
    CHECK_EQ_INT(mote_interpreter_allocate_tensors(it), MOTE_ERROR_LIMIT);
    CHECK(contains(mote_interpreter_error(it), "limit"));
    mote_interpreter_destroy(it);
    CHECK_OK(mote_options_set_limit(o, MOTE_LIMIT_ARENA_BYTES, need));
    CHECK_OK(mote_interpreter_create(m, o, &it));
    CHECK_OK(mote_interpreter_allocate_tensors(it));
    mote_interpreter_destroy(it);
    CHECK_EQ_INT(mote_options_set_limit(o, (mote_limit)99, 1), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_options_set_arena(o, NULL, 10), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_options_set_threads(o, 0), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_OK(mote_options_set_threads(o, 2));
    CHECK_OK(mote_options_set_reference_kernels(o, 1));
    /* A tensor-count limit below the model's. */
    CHECK_OK(mote_options_set_limit(o, MOTE_LIMIT_TENSOR_COUNT, 3));
    CHECK_EQ_INT(mote_interpreter_create(m, o, &it), MOTE_ERROR_LIMIT);
    CHECK(contains(mote_interpreter_error(it), "limit"));
    mote_interpreter_destroy(it);
    mote_options_destroy(o);
    mote_model_destroy(m);
}

/* ---- unsupported operators ---- */

/* Everything but error and destroy refuses a handle whose creation failed. */
static void check_failed_handle(mote_interpreter *it) {
    char before[1024];
    snprintf(before, sizeof before, "%s", mote_interpreter_error(it));
    int32_t n;
    mote_tensor *t;
    const int32_t dims[1] = {1};
    CHECK_EQ_INT(mote_interpreter_allocate_tensors(it), MOTE_ERROR_BAD_STATE);
    CHECK_EQ_INT(mote_interpreter_invoke(it), MOTE_ERROR_BAD_STATE);
    CHECK_EQ_INT(mote_interpreter_reset_variables(it), MOTE_ERROR_BAD_STATE);
    CHECK_EQ_INT(mote_interpreter_input_count(it, &n), MOTE_ERROR_BAD_STATE);
    CHECK_EQ_INT(mote_interpreter_tensor_count(it, &n), MOTE_ERROR_BAD_STATE);
    CHECK_EQ_INT(mote_interpreter_input(it, 0, &t), MOTE_ERROR_BAD_STATE);
    CHECK_EQ_INT(mote_interpreter_tensor(it, 0, &t), MOTE_ERROR_BAD_STATE);
    CHECK_EQ_INT(mote_interpreter_resize_input(it, 0, 1, dims), MOTE_ERROR_BAD_STATE);
    CHECK_EQ_INT(mote_interpreter_signature_count(it, &n), MOTE_ERROR_BAD_STATE);
    CHECK_EQ_INT(mote_interpreter_signature_invoke(it, "x"), MOTE_ERROR_BAD_STATE);
    size_t a;
    CHECK_EQ_INT(mote_interpreter_arena_bytes(it, &a, NULL), MOTE_ERROR_BAD_STATE);
    CHECK(strcmp(mote_interpreter_error(it), before) == 0); /* the reason is kept */
}

static const tiny_tensor chain_tensors[] = {
    {"x", MOTE_FLOAT32, 1, {256}, 0, 0},
    {"y", MOTE_FLOAT32, 1, {256}, 0, 0},
    {"z", MOTE_FLOAT32, 1, {256}, 0, 0},
};
static const int32_t chain_in[] = {0}, chain_out[] = {2};

static void test_unsupported_custom_op(void) {
    fbgen g;
    tiny_op ops[] = {{MOTE_OP_CUSTOM, "MoteTestNoSuchOp", 1, {0}, 1, {1}},
                     {MOTE_OP_ADD, NULL, 2, {1, 1}, 1, {2}}};
    mote_model *m = build(&g, 3, chain_tensors, 2, ops, 1, chain_in, 1, chain_out);
    mote_interpreter *it = NULL;
    CHECK_EQ_INT(mote_interpreter_create(m, NULL, &it), MOTE_ERROR_UNSUPPORTED);
    CHECK(it != NULL);
    CHECK(contains(mote_interpreter_error(it), "MoteTestNoSuchOp (custom)"));
    if (it) check_failed_handle(it);
    mote_interpreter_destroy(it);
    mote_model_destroy(m);
    fbg_free(&g);
}

/* Every shared model whose operators are not all implemented fails to create, naming
 * each missing one; the others create. (Follows the registry as kernels are added.) */
static void test_unsupported_real_models(void) {
    const char *names[] = {"lstm.tflite",          "unidirectional_sequence_lstm.tflite",
                           "audio_preprocessor_int8.tflite", "selfie_segmentation.tflite",
                           "coco_ssd_mobilenet_v1_1.0_quant_2018_06_29.tflite", "rope.tflite",
                           "add.tflite"};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        mote_model *m = load(names[k]);
        if (!m || m->failed) {
            mote_model_destroy(m);
            continue;
        }
        char missing[16][128];
        int n_missing = 0;
        for (int32_t s = 0; s < m->subgraph_count; s++)
            for (int32_t i = 0; i < m->subgraphs[s].op_count; i++) {
                const model_op *op = &m->subgraphs[s].ops[i];
                if (registry_find(op->builtin_code, op->custom_name) || n_missing == 16) continue;
                snprintf(missing[n_missing], sizeof missing[0], "%s", model_op_name(op));
                n_missing++;
            }
        mote_interpreter *it = NULL;
        mote_status st = mote_interpreter_create(m, NULL, &it);
        if (n_missing) {
            CHECK_EQ_INT(st, MOTE_ERROR_UNSUPPORTED);
            const char *msg = mote_interpreter_error(it);
            CHECK(contains(msg, "unsupported operators"));
            if (strlen(msg) < 800)
                for (int i = 0; i < n_missing; i++) CHECK(contains(msg, missing[i]));
            check_failed_handle(it);
        } else if (st != MOTE_OK) {
            fprintf(stderr, "%s: every operator is registered, yet: %s\n", names[k],
                    mote_interpreter_error(it));
            CHECK(st != MOTE_ERROR_UNSUPPORTED || !strstr(mote_interpreter_error(it), "unsupported operators"));
        }
        mote_interpreter_destroy(it);
        mote_model_destroy(m);
    }
}

/* ---- custom operators, cancellation ---- */

static atomic_int wait_started, cancel_sent, waits_enabled;

static mote_status copy_prepare(mote_context *ctx, mote_node *node) {
    mote_tensor *in, *out;
    mote_status st;
    if ((st = mote_node_input(ctx, node, 0, &in)) || (st = mote_node_output(ctx, node, 0, &out))) return st;
    mote_tensor_info ii = info_of(in);
    if (ii.type != MOTE_FLOAT32) return mote_node_fail(ctx, node, MOTE_ERROR_UNSUPPORTED, "float32 only");
    return mote_tensor_set_shape(ctx, out, ii.rank, ii.dims);
}

static void sleep_ms(int ms) {
    struct timespec ts = {0, (long)ms * 1000000L};
    nanosleep(&ts, NULL);
}

/* Copies its input; the first node, when waits are enabled, then waits until the test
 * has called cancel, so the cancellation lands at a known operator boundary. */
static mote_status copy_eval(mote_context *ctx, mote_node *node) {
    mote_tensor *in, *out;
    mote_node_input(ctx, node, 0, &in);
    mote_node_output(ctx, node, 0, &out);
    mote_tensor_info ii = info_of(in), oi = info_of(out);
    memcpy(oi.data, ii.data, ii.bytes);
    if (atomic_load(&waits_enabled) && node->index == 0) {
        atomic_store(&wait_started, 1);
        for (int i = 0; i < 10000 && !atomic_load(&cancel_sent); i++) sleep_ms(1);
    }
    return MOTE_OK;
}

/* Multiplies instead of adding: replaces the builtin ADD. */
static mote_status mul_eval(mote_context *ctx, mote_node *node) {
    mote_tensor *a, *b, *out;
    mote_node_input(ctx, node, 0, &a);
    mote_node_input(ctx, node, 1, &b);
    mote_node_output(ctx, node, 0, &out);
    mote_tensor_info ai = info_of(a), bi = info_of(b), oi = info_of(out);
    for (size_t i = 0; i < oi.bytes / 4; i++)
        ((float *)oi.data)[i] = ((const float *)ai.data)[i] * ((const float *)bi.data)[i];
    return MOTE_OK;
}

static const mote_op copy_op = {"MoteTestCopy", -1, NULL, copy_prepare, NULL, copy_eval, NULL};
static const mote_op add_as_mul = {NULL, MOTE_OP_ADD, NULL, copy_prepare, NULL, mul_eval, NULL};

static void test_custom_ops(void) {
    fbgen g;
    tiny_op ops[] = {{MOTE_OP_CUSTOM, "MoteTestCopy", 1, {0}, 1, {1}},
                     {MOTE_OP_ADD, NULL, 2, {1, 1}, 1, {2}}};
    mote_model *m = build(&g, 3, chain_tensors, 2, ops, 1, chain_in, 1, chain_out);
    mote_options *o;
    CHECK_OK(mote_options_create(NULL, &o));
    CHECK_EQ_INT(mote_options_add_op(o, NULL), MOTE_ERROR_INVALID_ARGUMENT);
    const mote_op nameless = {NULL, -1, NULL, NULL, NULL, copy_eval, NULL};
    CHECK_EQ_INT(mote_options_add_op(o, &nameless), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_OK(mote_options_add_op(o, &copy_op));
    mote_interpreter *it = NULL;
    CHECK_OK(mote_interpreter_create(m, o, &it));
    CHECK_OK(mote_interpreter_allocate_tensors(it));
    mote_tensor *in, *out;
    CHECK_OK(mote_interpreter_input(it, 0, &in));
    CHECK_OK(mote_interpreter_output(it, 0, &out));
    float x[256], y[256];
    for (int i = 0; i < 256; i++) x[i] = (float)i - 100.5f;
    CHECK_OK(mote_tensor_copy_from(in, x, sizeof x));
    CHECK_OK(mote_interpreter_invoke(it));
    CHECK_OK(mote_tensor_copy_to(out, y, sizeof y));
    for (int i = 0; i < 256; i++) CHECK_NEAR(y[i], x[i] + x[i], 0);
    mote_interpreter_destroy(it);

    /* A registered op replaces the builtin with the same code. */
    CHECK_OK(mote_options_add_op(o, &add_as_mul));
    CHECK_OK(mote_interpreter_create(m, o, &it));
    CHECK_OK(mote_interpreter_allocate_tensors(it));
    CHECK_OK(mote_interpreter_input(it, 0, &in));
    CHECK_OK(mote_interpreter_output(it, 0, &out));
    CHECK_OK(mote_tensor_copy_from(in, x, sizeof x));
    CHECK_OK(mote_interpreter_invoke(it));
    CHECK_OK(mote_tensor_copy_to(out, y, sizeof y));
    for (int i = 0; i < 256; i++) CHECK_NEAR(y[i], x[i] * x[i], 0);
    mote_interpreter_destroy(it);
    mote_options_destroy(o);
    mote_model_destroy(m);
    fbg_free(&g);
}

typedef struct invoke_job {
    mote_interpreter *it;
    mote_status status;
} invoke_job;

static void *run_invoke(void *arg) {
    invoke_job *job = arg;
    job->status = mote_interpreter_invoke(job->it);
    return NULL;
}

static void test_cancel_from_another_thread(void) {
    fbgen g;
    tiny_op ops[] = {{MOTE_OP_CUSTOM, "MoteTestCopy", 1, {0}, 1, {1}},
                     {MOTE_OP_CUSTOM, "MoteTestCopy", 1, {1}, 1, {2}}};
    mote_model *m = build(&g, 3, chain_tensors, 2, ops, 1, chain_in, 1, chain_out);
    mote_options *o;
    CHECK_OK(mote_options_create(NULL, &o));
    CHECK_OK(mote_options_add_op(o, &copy_op));
    mote_interpreter *it = NULL;
    CHECK_OK(mote_interpreter_create(m, o, &it));
    CHECK_OK(mote_interpreter_allocate_tensors(it));

    /* A cancel before invoke is forgotten: invoke starts by clearing it. */
    CHECK_OK(mote_interpreter_cancel(it));
    CHECK_OK(mote_interpreter_invoke(it));

    atomic_store(&wait_started, 0);
    atomic_store(&cancel_sent, 0);
    atomic_store(&waits_enabled, 1);
    invoke_job job = {it, MOTE_OK};
    pthread_t thread;
    CHECK_EQ_INT(pthread_create(&thread, NULL, run_invoke, &job), 0);
    for (int i = 0; i < 10000 && !atomic_load(&wait_started); i++) sleep_ms(1);
    CHECK(atomic_load(&wait_started));
    CHECK_OK(mote_interpreter_cancel(it));
    atomic_store(&cancel_sent, 1);
    pthread_join(thread, NULL);
    atomic_store(&waits_enabled, 0);
    CHECK_EQ_INT(job.status, MOTE_ERROR_CANCELLED);
    CHECK(contains(mote_interpreter_error(it), "cancelled before operator 1"));
    /* The next invoke runs to the end. */
    CHECK_OK(mote_interpreter_invoke(it));
    CHECK_EQ_INT(mote_interpreter_error(it)[0], 0);
    mote_interpreter_destroy(it);
    mote_options_destroy(o);
    mote_model_destroy(m);
    fbg_free(&g);
}

/* ---- variables ---- */

static void test_reset_variables(void) {
    fbgen g;
    const tiny_tensor tensors[] = {
        {"x", MOTE_FLOAT32, 1, {4}, 0, 0},
        {"state", MOTE_FLOAT32, 1, {4}, 0, 1},
        {"y", MOTE_FLOAT32, 1, {4}, 0, 0},
    };
    tiny_op ops[] = {{MOTE_OP_ADD, NULL, 2, {0, 1}, 1, {2}}};
    const int32_t in[] = {0}, out[] = {2};
    mote_model *m = build(&g, 3, tensors, 1, ops, 1, in, 1, out);
    mote_interpreter *it = NULL;
    CHECK_OK(mote_interpreter_create(m, NULL, &it));
    CHECK_EQ_INT(mote_interpreter_reset_variables(it), MOTE_ERROR_BAD_STATE);
    CHECK(mote_interpreter_error(it)[0] != 0);
    CHECK_OK(mote_interpreter_allocate_tensors(it));
    mote_tensor *x, *state, *y;
    CHECK_OK(mote_interpreter_input(it, 0, &x));
    CHECK_OK(mote_interpreter_tensor(it, 1, &state));
    CHECK_OK(mote_interpreter_output(it, 0, &y));
    CHECK(info_of(state).is_variable);
    size_t pers = 0;
    CHECK_OK(mote_interpreter_arena_bytes(it, NULL, &pers));
    CHECK(pers >= 16); /* variables live in the persistent part */
    const float ones[4] = {1, 1, 1, 1}, sevens[4] = {7, 7, 7, 7};
    float v[4];
    CHECK_OK(mote_tensor_copy_to(state, v, sizeof v));
    for (int i = 0; i < 4; i++) CHECK_NEAR(v[i], 0, 0); /* allocate starts them at zero */
    CHECK_OK(mote_tensor_copy_from(x, ones, sizeof ones));
    CHECK_OK(mote_tensor_copy_from(state, sevens, sizeof sevens));
    CHECK_OK(mote_interpreter_invoke(it));
    CHECK_OK(mote_tensor_copy_to(y, v, sizeof v));
    for (int i = 0; i < 4; i++) CHECK_NEAR(v[i], 8, 0);
    CHECK_OK(mote_interpreter_reset_variables(it));
    CHECK_OK(mote_tensor_copy_to(state, v, sizeof v));
    for (int i = 0; i < 4; i++) CHECK_NEAR(v[i], 0, 0);
    CHECK_OK(mote_interpreter_invoke(it));
    CHECK_OK(mote_tensor_copy_to(y, v, sizeof v));
    for (int i = 0; i < 4; i++) CHECK_NEAR(v[i], 1, 0);
    mote_interpreter_destroy(it);
    mote_model_destroy(m);
    fbg_free(&g);
}

/* ---- NULL everywhere ---- */

static void test_null_arguments(void) {
    mote_interpreter *it = (mote_interpreter *)1;
    CHECK_EQ_INT(mote_interpreter_create(NULL, NULL, &it), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK(it != NULL);
    if (it) {
        CHECK(mote_interpreter_error(it)[0] != 0);
        check_failed_handle(it);
    }
    mote_interpreter_destroy(it);
    CHECK_EQ_INT(mote_interpreter_create(NULL, NULL, NULL), MOTE_ERROR_INVALID_ARGUMENT);
    mote_interpreter_destroy(NULL);
    CHECK(mote_interpreter_error(NULL)[0] != 0);

    int32_t n;
    size_t a;
    const char *s;
    mote_tensor *t;
    const int32_t dims[1] = {1};
    CHECK_EQ_INT(mote_interpreter_allocate_tensors(NULL), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_interpreter_invoke(NULL), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_interpreter_cancel(NULL), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_interpreter_reset_variables(NULL), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_interpreter_arena_bytes(NULL, &a, &a), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_interpreter_input_count(NULL, &n), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_interpreter_output_count(NULL, &n), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_interpreter_tensor_count(NULL, &n), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_interpreter_input(NULL, 0, &t), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_interpreter_output(NULL, 0, &t), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_interpreter_tensor(NULL, 0, &t), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_interpreter_resize_input(NULL, 0, 1, dims), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_interpreter_signature_count(NULL, &n), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_interpreter_signature_key(NULL, 0, &s), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_interpreter_signature_io_count(NULL, "k", 0, &n), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_interpreter_signature_io_name(NULL, "k", 0, 0, &s), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_interpreter_signature_tensor(NULL, "k", 0, "x", &t), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_interpreter_signature_resize_input(NULL, "k", "x", 1, dims), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_interpreter_signature_invoke(NULL, "k"), MOTE_ERROR_INVALID_ARGUMENT);

    mote_tensor_info info;
    char buf[4];
    CHECK_EQ_INT(mote_tensor_get_info(NULL, &info), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_tensor_copy_from(NULL, buf, 4), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_tensor_copy_to(NULL, buf, 4), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_tensor_set_shape(NULL, NULL, 1, dims), MOTE_ERROR_INVALID_ARGUMENT);

    CHECK_EQ_INT(mote_options_create(NULL, NULL), MOTE_ERROR_INVALID_ARGUMENT);
    mote_options_destroy(NULL);
    CHECK_EQ_INT(mote_options_set_threads(NULL, 1), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_options_add_op(NULL, &copy_op), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_options_set_limit(NULL, MOTE_LIMIT_ARENA_BYTES, 1), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_options_set_arena(NULL, buf, 4), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_options_set_reference_kernels(NULL, 1), MOTE_ERROR_INVALID_ARGUMENT);

    void *p;
    const void *cp;
    CHECK_EQ_INT(mote_node_input_count(NULL, &n), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_node_output_count(NULL, &n), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_node_input(NULL, NULL, 0, &t), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_node_output(NULL, NULL, 0, &t), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_node_custom_options(NULL, &cp, &a), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_node_set_data(NULL, NULL), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_node_data(NULL, &p), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_node_fail(NULL, NULL, MOTE_ERROR_RUNTIME, "x %d", 1), MOTE_ERROR_RUNTIME);
    CHECK_EQ_INT(mote_node_request_scratch(NULL, NULL, 4, &n), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_node_scratch(NULL, NULL, 0, &p), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_node_request_persistent(NULL, NULL, 4, &n), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_node_persistent(NULL, NULL, 0, &p), MOTE_ERROR_INVALID_ARGUMENT);

    CHECK_EQ_INT(mote_type_size(MOTE_FLOAT32, NULL), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_type_size((mote_type)99, &a), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_OK(mote_type_size(MOTE_INT16, &a));
    CHECK_EQ_INT(a, 2);
    CHECK(strcmp(mote_type_name((mote_type)-1), "unknown") == 0);
    CHECK(strcmp(mote_type_name(MOTE_INT8), "int8") == 0);
    for (int st = 0; st <= MOTE_ERROR_RUNTIME; st++) CHECK(mote_status_string((mote_status)st)[0] != 0);
    CHECK(mote_builtin_name(-1) == NULL);
    CHECK(strcmp(mote_builtin_name(MOTE_OP_FULLY_CONNECTED), "FULLY_CONNECTED") == 0);
}

/* NULL output parameters on a good interpreter. */
static void test_null_outputs(void) {
    fbgen g;
    tiny_op ops[] = {{MOTE_OP_ADD, NULL, 2, {0, 0}, 1, {2}}};
    mote_model *m = build(&g, 3, chain_tensors, 1, ops, 1, chain_in, 1, chain_out);
    mote_interpreter *it = NULL;
    CHECK_OK(mote_interpreter_create(m, NULL, &it));
    CHECK_OK(mote_interpreter_allocate_tensors(it));
    mote_tensor *t;
    CHECK_OK(mote_interpreter_input(it, 0, &t));
    CHECK_EQ_INT(mote_interpreter_input_count(it, NULL), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_interpreter_output_count(it, NULL), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_interpreter_tensor_count(it, NULL), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_interpreter_input(it, 0, NULL), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_interpreter_output(it, 0, NULL), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_interpreter_tensor(it, 0, NULL), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_interpreter_signature_count(it, NULL), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_interpreter_signature_key(it, 0, NULL), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_interpreter_signature_invoke(it, NULL), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_tensor_get_info(t, NULL), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_tensor_copy_from(t, NULL, 1024), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_tensor_copy_to(t, NULL, 1024), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_OK(mote_interpreter_arena_bytes(it, NULL, NULL));
    CHECK_OK(mote_interpreter_invoke(it));
    mote_interpreter_destroy(it);
    mote_model_destroy(m);
    fbg_free(&g);
}

static const test_fn always_tests[] = {test_unsupported_custom_op, test_custom_ops,
                                       test_cancel_from_another_thread, test_reset_variables,
                                       test_null_arguments, test_null_outputs};
static const char *const always_names[] = {"test_unsupported_custom_op", "test_custom_ops",
                                           "test_cancel_from_another_thread", "test_reset_variables",
                                           "test_null_arguments", "test_null_outputs"};
static const test_fn shared_tests[] = {test_add_model, test_hello_world_and_resize,
                                       test_failed_allocate_leaves_no_stale_data, test_signatures,
                                       test_caller_arena_and_limits, test_unsupported_real_models};
static const char *const shared_names[] = {"test_add_model", "test_hello_world_and_resize",
                                           "test_failed_allocate_leaves_no_stale_data",
                                           "test_signatures", "test_caller_arena_and_limits",
                                           "test_unsupported_real_models"};

int main(void) {
    int failed = test_run(always_names, always_tests, 6);
    if (!find_models()) {
        fprintf(stderr, "skip: shared models not found (set MOTE_SHARED to the shared assets)\n");
        return failed ? 1 : 77;
    }
    return test_run(shared_names, shared_tests, 6) || failed;
}
