/* test_allocator.c — the allocator hook: failing the k-th allocation, for every k, while
 * loading a model and creating and allocating an interpreter ends in OUT_OF_MEMORY with a
 * message or in success, and frees everything; invoke allocates nothing. */
#include <sys/stat.h>

#include "core/interpreter.h"
#include "format/builtin_ops.h"
#include "kernels/registry.h"
#include "test.h"
#include "tiny_model.h"

/* ---- a checking allocator ----
 * Each block has a 64-byte header (keeping the 64-byte alignment Mote asks for) holding
 * its size, and 8 canary bytes after its end: frees with a wrong size, double frees and
 * overruns are counted as errors. */

#define HEADER 64
#define CANARY 8
#define MAGIC 0x6d6f7465u

typedef struct counting {
    size_t live_bytes;
    long live_blocks;
    long calls;   /* allocations and reallocations so far */
    long fail_at; /* the call that fails (1-based), 0: none */
    long failed;  /* calls refused */
    long errors;  /* bad frees, overruns */
} counting;

typedef struct block_header {
    size_t size;
    uint32_t magic;
} block_header;

static const uint8_t canary[CANARY] = {0xde, 0xad, 0xbe, 0xef, 0xfe, 0xed, 0xfa, 0xce};

static void release(counting *c, void *ptr, size_t size) {
    uint8_t *base = (uint8_t *)ptr - HEADER;
    block_header *h = (block_header *)(void *)base;
    if (h->magic != MAGIC || h->size != size) {
        fprintf(stderr, "allocator: freeing %zu bytes of a %zu-byte block (magic %x)\n", size, h->size,
                h->magic);
        c->errors++;
    }
    if (memcmp((uint8_t *)ptr + h->size, canary, CANARY) != 0) {
        fprintf(stderr, "allocator: a %zu-byte block was written past its end\n", h->size);
        c->errors++;
    }
    h->magic = 0;
    c->live_bytes -= h->size;
    c->live_blocks--;
    free(base);
}

static void *counting_fn(void *ud, void *ptr, size_t old_size, size_t new_size) {
    counting *c = ud;
    if (new_size == 0) {
        if (ptr) release(c, ptr, old_size);
        return NULL;
    }
    c->calls++;
    if (c->fail_at && c->calls == c->fail_at) {
        c->failed++;
        return NULL;
    }
    size_t total = (HEADER + new_size + CANARY + 63) / 64 * 64;
    uint8_t *base = aligned_alloc(64, total);
    if (!base) return NULL;
    block_header *h = (block_header *)(void *)base;
    h->size = new_size;
    h->magic = MAGIC;
    uint8_t *p = base + HEADER;
    memset(p, 0xa5, new_size); /* fresh memory is never zero: callers must not rely on it */
    memcpy(p + new_size, canary, CANARY);
    c->live_bytes += new_size;
    c->live_blocks++;
    if (ptr) {
        memcpy(p, ptr, old_size < new_size ? old_size : new_size);
        release(c, ptr, old_size);
    }
    return p;
}

static counting counter;
static const mote_allocator hook = {counting_fn, &counter};

static void reset_counter(long fail_at) {
    memset(&counter, 0, sizeof counter);
    counter.fail_at = fail_at;
}

/* ---- helpers ---- */

static char models_dir[4096];

static int find_models(void) {
    const char *shared = test_shared_dir();
    if (!shared) return 0;
    snprintf(models_dir, sizeof models_dir, "%s/models", shared);
    struct stat sb;
    return stat(models_dir, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* The file in a 64-byte aligned block (so the loader reads it in place). */
static uint8_t *read_model(const char *name, size_t *size) {
    char path[4352];
    snprintf(path, sizeof path, "%s/%s", models_dir, name);
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *p = aligned_alloc(64, ((size_t)n + 63) / 64 * 64);
    if (p && fread(p, 1, (size_t)n, f) != (size_t)n) {
        free(p);
        p = NULL;
    }
    fclose(f);
    *size = (size_t)n;
    return p;
}

/* Whether every operator of the model has an implementation today. */
static int all_ops_registered(const mote_model *m) {
    for (int32_t s = 0; s < m->subgraph_count; s++)
        for (int32_t i = 0; i < m->subgraphs[s].op_count; i++) {
            const model_op *op = &m->subgraphs[s].ops[i];
            if (!registry_find(op->builtin_code, op->custom_name)) return 0;
        }
    return 1;
}

static void zero_inputs(mote_interpreter *it) {
    int32_t n = 0;
    CHECK_OK(mote_interpreter_input_count(it, &n));
    for (int32_t i = 0; i < n; i++) {
        mote_tensor *t;
        mote_tensor_info info;
        CHECK_OK(mote_interpreter_input(it, i, &t));
        CHECK_OK(mote_tensor_get_info(t, &info));
        void *zeros = calloc(1, info.bytes ? info.bytes : 1);
        if (info.bytes) CHECK_OK(mote_tensor_copy_from(t, zeros, info.bytes));
        free(zeros);
    }
}

/* How far a pass got without any failing allocation: the status of each step. */
typedef struct outcome {
    mote_status load, create, allocate;
} outcome;

/* A step's status with allocation k failing: what it is without failures, or
 * OUT_OF_MEMORY with a message. Returns 1 when the pass should go on. */
static int step_ok(mote_status st, mote_status expected, const char *message, const char *what,
                   const char *step, long k) {
    if (st == MOTE_ERROR_OUT_OF_MEMORY && message && message[0]) return 0;
    if (st != expected || (st && !(message && message[0]))) {
        fprintf(stderr, "%s: %s with allocation %ld failing returned %d ('%s'), expected %d or "
                        "out of memory\n", what, step, k, st, message ? message : "", expected);
        test_failures++;
    }
    return st == MOTE_OK;
}

/* One pass: load, create, allocate, invoke, with allocation k failing (0: none; then
 * *base is filled in). Returns 1 once the pass made fewer than k allocations. */
static int run_pass(const char *what, const uint8_t *bytes, size_t size, long k, outcome *base) {
    reset_counter(k);
    mote_model *m = NULL;
    mote_options *o = NULL;
    mote_interpreter *it = NULL;
    mote_status st = mote_model_load_memory(bytes, size, &hook, &m);
    if (k == 0) base->load = st;
    if (!m) {
        CHECK_EQ_INT(st, MOTE_ERROR_OUT_OF_MEMORY);
        goto done;
    }
    if (!step_ok(st, base->load, mote_model_error(m), what, "load", k)) goto done;
    if ((st = mote_options_create(&hook, &o))) {
        CHECK_EQ_INT(st, MOTE_ERROR_OUT_OF_MEMORY);
        CHECK(o == NULL);
        goto done;
    }
    st = mote_interpreter_create(m, o, &it);
    if (k == 0) base->create = st;
    if (!it) {
        CHECK_EQ_INT(st, MOTE_ERROR_OUT_OF_MEMORY);
        goto done;
    }
    if (!step_ok(st, base->create, mote_interpreter_error(it), what, "create", k)) goto done;
    st = mote_interpreter_allocate_tensors(it);
    if (k == 0) base->allocate = st;
    if (st == MOTE_ERROR_OUT_OF_MEMORY && k) {
        step_ok(st, base->allocate, mote_interpreter_error(it), what, "allocate", k);
        /* A failed allocate may be retried once memory is back. */
        counter.fail_at = 0;
        st = mote_interpreter_allocate_tensors(it);
    }
    if (!step_ok(st, base->allocate, mote_interpreter_error(it), what, "allocate", k)) goto done;
    zero_inputs(it);
    long before = counter.calls;
    mote_interpreter_invoke(it);
    CHECK_EQ_INT(counter.calls, before);
done:
    mote_interpreter_destroy(it);
    mote_options_destroy(o);
    mote_model_destroy(m);
    if (counter.live_blocks != 0 || counter.live_bytes != 0 || counter.errors) {
        fprintf(stderr, "%s: failing allocation %ld left %ld blocks, %zu bytes, %ld errors\n", what, k,
                counter.live_blocks, counter.live_bytes, counter.errors);
        test_failures++;
    }
    return counter.failed == 0;
}

/* Fails each allocation in turn until a pass completes without a failure. */
static void fault_inject(const char *what, const uint8_t *bytes, size_t size) {
    outcome base = {MOTE_OK, MOTE_OK, MOTE_OK};
    run_pass(what, bytes, size, 0, &base);
    long k = 1;
    int before = test_failures;
    for (; k < 100000 && test_failures - before < 5; k++)
        if (run_pass(what, bytes, size, k, &base)) break;
    CHECK(k > 1); /* something was allocated */
}

/* ---- tests ---- */

static void test_fault_injection_tiny_models(void) {
    /* ADD of an input and an external constant, and a variable: every path through the
     * loader and the persistent arena. */
    const float c[4] = {1, 2, 3, 4};
    tiny_tensor tensors[] = {
        {"x", MOTE_FLOAT32, 1, {4}, 0, 0},      {"c", MOTE_FLOAT32, 1, {4}, 1, 0},
        {"t", MOTE_FLOAT32, 1, {4}, 0, 0},      {"state", MOTE_FLOAT32, 1, {4}, 0, 1},
        {"y", MOTE_FLOAT32, 1, {4}, 0, 0},
    };
    tiny_op ops[] = {{MOTE_OP_ADD, NULL, 2, {0, 1}, 1, {2}}, {MOTE_OP_MUL, NULL, 2, {2, 3}, 1, {4}}};
    tiny_buffer buffers[] = {{NULL, 0, 0, 0}, {c, sizeof c, 1, 0}};
    int32_t in[] = {0}, out[] = {4};
    tiny_model tm = {"fault", 5, tensors, 2, ops, 2, buffers, 1, in, 1, out};
    fbgen g;
    tiny_model_build(&g, &tm);
    uint8_t *aligned = aligned_alloc(64, (g.n + 63) / 64 * 64);
    memcpy(aligned, g.p, g.n);
    fault_inject("tiny model", aligned, g.n);
    /* Misaligned: the loader's copy is one more allocation to fail. */
    uint8_t *odd = malloc(g.n + 1);
    memcpy(odd + 1, g.p, g.n);
    fault_inject("tiny model, misaligned", odd + 1, g.n);
    free(odd);
    free(aligned);
    fbg_free(&g);
}

static void test_fault_injection_real_models(void) {
    const char *names[] = {"add.tflite", "hello_world_float.tflite", "multi_signatures.tflite",
                           "hello_world_int8.tflite", "micro_speech_quantized.tflite",
                           "multi_subgraphs_while.tflite", "call_once_mul.tflite", "dilated_conv.tflite"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        size_t size;
        uint8_t *bytes = read_model(names[i], &size);
        CHECK(bytes != NULL);
        if (!bytes) continue;
        fault_inject(names[i], bytes, size);
        free(bytes);
    }
}

/* Models cheap to run even in a sanitizer build. */
static const char *const cheap_models[] = {
    "add.tflite",           "multi_add.tflite",          "multi_signatures.tflite",
    "hello_world_float.tflite", "hello_world_int8.tflite", "micro_speech_quantized.tflite",
    "split_concat.tflite",  "multi_subgraphs_while.tflite", "nested_while.tflite",
    "call_once_mul.tflite", "keyword_scrambled.tflite",  "trained_lstm.tflite",
    "trained_lstm_int8.tflite", "lstm.tflite",           "unidirectional_sequence_lstm.tflite",
    "rope.tflite",          "static_w8_a16_quantized_q_einsum.tflite", "person_detect.tflite",
};

/* Each of those whose operators all exist: invoke allocates nothing (unless a tensor's
 * shape is only known while running) and the allocator balances. */
static void test_invoke_allocates_nothing(void) {
    int checked = 0;
    for (size_t k = 0; k < sizeof cheap_models / sizeof cheap_models[0]; k++) {
        const char *name = cheap_models[k];
        size_t size;
        uint8_t *bytes = read_model(name, &size);
        CHECK(bytes != NULL);
        if (!bytes) continue;
        reset_counter(0);
        mote_model *m = NULL;
        mote_options *o = NULL;
        mote_interpreter *it = NULL;
        /* Zero inputs make nested_while loop forever (0 == 0 * 0): bound the loops, which
         * must not allocate either. */
        if (mote_model_load_memory(bytes, size, &hook, &m) || !all_ops_registered(m) ||
            mote_options_create(&hook, &o) || mote_options_set_limit(o, MOTE_LIMIT_WHILE_ITERATIONS, 1000) ||
            mote_interpreter_create(m, o, &it) || mote_interpreter_allocate_tensors(it))
            goto next;
        int dynamic = 0;
        for (int32_t s = 0; s < it->ctx.subgraph_count; s++)
            for (int32_t i = 0; i < it->ctx.subgraphs[s].tensor_count; i++)
                dynamic |= it->ctx.subgraphs[s].tensors[i].storage == STORAGE_DYNAMIC;
        zero_inputs(it);
        long before = counter.calls;
        mote_status st = mote_interpreter_invoke(it);
        if (st) fprintf(stderr, "%s: %s\n", name, mote_interpreter_error(it));
        if (!dynamic) {
            CHECK_EQ_INT(counter.calls - before, 0);
            checked++;
        }
        int32_t sigs = 0;
        CHECK_OK(mote_interpreter_signature_count(it, &sigs));
        for (int32_t s = 0; s < sigs && !dynamic; s++) {
            const char *key;
            CHECK_OK(mote_interpreter_signature_key(it, s, &key));
            before = counter.calls;
            mote_interpreter_signature_invoke(it, key);
            CHECK_EQ_INT(counter.calls - before, 0);
        }
    next:
        mote_interpreter_destroy(it);
        mote_options_destroy(o);
        mote_model_destroy(m);
        CHECK_EQ_INT(counter.live_blocks, 0);
        CHECK_EQ_INT(counter.live_bytes, 0);
        CHECK_EQ_INT(counter.errors, 0);
        free(bytes);
    }
    CHECK(checked >= 3); /* add, hello_world_float, multi_signatures at least */
}

/* The handle itself cannot be allocated: NULL and OUT_OF_MEMORY. */
static void test_first_allocation_fails(void) {
    static const uint8_t junk[64] = {0};
    reset_counter(1);
    mote_model *m = (mote_model *)1;
    CHECK_EQ_INT(mote_model_load_memory(junk, sizeof junk, &hook, &m), MOTE_ERROR_OUT_OF_MEMORY);
    CHECK(m == NULL);
    reset_counter(1);
    mote_options *o = (mote_options *)1;
    CHECK_EQ_INT(mote_options_create(&hook, &o), MOTE_ERROR_OUT_OF_MEMORY);
    CHECK(o == NULL);
    reset_counter(2); /* the options are call 1, the interpreter's handle call 2 */
    CHECK_OK(mote_options_create(&hook, &o));
    mote_interpreter *it = (mote_interpreter *)1;
    CHECK_EQ_INT(mote_interpreter_create(NULL, o, &it), MOTE_ERROR_OUT_OF_MEMORY);
    CHECK(it == NULL);
    mote_options_destroy(o);
    CHECK_EQ_INT(counter.live_blocks, 0);
}

int main(void) {
    static const test_fn always[] = {test_fault_injection_tiny_models, test_first_allocation_fails};
    static const char *const always_names[] = {"test_fault_injection_tiny_models",
                                               "test_first_allocation_fails"};
    static const test_fn shared[] = {test_fault_injection_real_models, test_invoke_allocates_nothing};
    static const char *const shared_names[] = {"test_fault_injection_real_models",
                                               "test_invoke_allocates_nothing"};
    int failed = test_run(always_names, always, 2);
    if (!find_models()) {
        fprintf(stderr, "skip: shared models not found (set MOTE_SHARED to the shared assets)\n");
        return failed ? 1 : 77;
    }
    return test_run(shared_names, shared, 2) || failed;
}
