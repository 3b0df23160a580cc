/* fuzz_common.c — the model walk, the budgeted operator wrappers and the run pass the fuzz
 * targets share (see fuzz.h). */
#include "fuzz.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/interpreter.h"
#include "core/model.h"
#include "format/builtin_ops.h"
#include "kernels/registry.h"
#include "mote_signal.h"
#include "signal/signal_kernel.h"

/* ---- promises ---- */

void fuzz_assert(int ok, const char *what, const char *file, int line) {
    if (ok) return;
    fprintf(stderr, "%s:%d: broken promise: %s\n", file, line, what);
    abort();
}

void fuzz_check_status(mote_status st, const char *message, const char *call) {
    if (st == MOTE_OK) return;
    if ((int)st < 0 || st > MOTE_ERROR_RUNTIME) {
        fprintf(stderr, "%s returned %d, not a mote_status\n", call, (int)st);
        abort();
    }
    if (!message || !message[0]) {
        fprintf(stderr, "%s failed (%s) without a message\n", call, mote_status_string(st));
        abort();
    }
}

uint64_t fuzz_hash(const uint8_t *data, size_t size) {
    uint64_t h = 0xcbf29ce484222325u;
    for (size_t i = 0; i < size; i++) h = (h ^ data[i]) * 0x100000001b3u;
    return h;
}

/* ---- a counting allocator: invoke may allocate only for dynamic tensors ---- */

static long alloc_calls;

static void *counting_alloc(void *ud, void *ptr, size_t old_size, size_t new_size) {
    (void)ud;
    if (new_size == 0) {
        free(ptr);
        return NULL;
    }
    alloc_calls++;
    void *p = aligned_alloc(64, (new_size + 63) / 64 * 64);
    if (p && ptr) memcpy(p, ptr, old_size < new_size ? old_size : new_size);
    if (p) free(ptr);
    return p;
}

static const mote_allocator counting = {counting_alloc, NULL};

/* ---- reading everything ---- */

static volatile uint32_t sink; /* keeps the reads below from being optimized away */

static void touch(const void *p, size_t n) {
    const uint8_t *b = p;
    uint32_t acc = 0;
    for (size_t i = 0; i < n; i++) acc += b[i];
    sink += acc;
}

static void touch_string(const char *s) {
    FUZZ_ASSERT(s != NULL, "model strings are never NULL");
    sink += (uint32_t)strlen(s);
}

static void walk_tensor(const mote_model *m, const model_subgraph *sg, const model_tensor *t) {
    touch_string(t->name);
    FUZZ_ASSERT(t->rank >= 0 && t->rank <= 64, "tensor rank is bounded");
    touch(t->dims, (size_t)t->rank * sizeof *t->dims);
    if (t->signature_rank >= 0) touch(t->dims_signature, (size_t)t->signature_rank * sizeof(int32_t));
    FUZZ_ASSERT(t->buffer == 0 || t->buffer < (uint32_t)m->buffer_count, "buffer index in range");
    if (t->data) touch(t->data, t->data_size);
    if (t->quant_count > 0) {
        touch(t->scales, (size_t)t->quant_count * sizeof(float));
        touch(t->zero_points, (size_t)t->quant_count * sizeof(int64_t));
    }
    FUZZ_ASSERT(t->blockwise.scales_tensor < sg->tensor_count &&
                    t->blockwise.zero_points_tensor < sg->tensor_count,
                "blockwise tensors in range");
    size_t need;
    (void)mote_dense_bytes(t->type, t->rank, t->dims, &need);
    (void)mote_type_name((mote_type)t->type);
}

static void walk_indices(const int32_t *idx, int32_t n, int32_t limit, int optional) {
    for (int32_t i = 0; i < n; i++)
        FUZZ_ASSERT((idx[i] >= 0 || (optional && idx[i] == -1)) && idx[i] < limit,
                    "the loader range-checks tensor indices");
}

/* Reads every field an options table could hold, as the kernels' accessors would. */
static void walk_options(const mote_model *m, fb_table t) {
    if (!t) return;
    for (uint32_t id = 0; id < 48; id++) {
        sink += fb_u8(m->fb, t, id, 0) + fb_u16(m->fb, t, id, 0) + fb_u32(m->fb, t, id, 0);
        sink += (uint32_t)fb_u64(m->fb, t, id, 0);
    }
}

void fuzz_walk_model(const mote_model *m) {
    uint32_t version;
    const char *desc;
    int32_t count = 0;
    FUZZ_ASSERT(mote_model_schema_version(m, &version) == MOTE_OK, "a loaded model answers");
    FUZZ_ASSERT(mote_model_description(m, &desc) == MOTE_OK, "a loaded model answers");
    touch_string(desc);
    FUZZ_ASSERT(mote_model_subgraph_count(m, &count) == MOTE_OK && count == m->subgraph_count && count > 0,
                "subgraph count");
    for (int32_t s = 0; s < m->subgraph_count; s++) {
        const model_subgraph *sg = &m->subgraphs[s];
        int32_t ops = 0;
        FUZZ_ASSERT(mote_model_operator_count(m, s, &ops) == MOTE_OK && ops == sg->op_count, "operator count");
        touch_string(sg->name);
        walk_indices(sg->inputs, sg->input_count, sg->tensor_count, 0);
        walk_indices(sg->outputs, sg->output_count, sg->tensor_count, 0);
        for (int32_t i = 0; i < sg->tensor_count; i++) walk_tensor(m, sg, &sg->tensors[i]);
        for (int32_t i = 0; i < sg->op_count; i++) {
            const model_op *op = &sg->ops[i];
            const char *name = NULL;
            FUZZ_ASSERT(mote_model_operator_name(m, s, i, &name) == MOTE_OK, "operator name");
            touch_string(name);
            if (op->custom_name) touch_string(op->custom_name);
            walk_indices(op->inputs, op->input_count, sg->tensor_count, 1);
            walk_indices(op->outputs, op->output_count, sg->tensor_count, 0);
            walk_indices(op->intermediates, op->intermediate_count, sg->tensor_count, 1);
            walk_options(m, op->options);
            walk_options(m, op->options2);
            if (op->custom_options) touch(op->custom_options, op->custom_options_size);
            sink += registry_find(op->builtin_code, op->custom_name) != NULL;
            (void)mote_builtin_name(op->builtin_code);
        }
        FUZZ_ASSERT(mote_model_operator_name(m, s, sg->op_count, &desc) == MOTE_ERROR_INVALID_ARGUMENT,
                    "operator index past the end");
    }
    for (int32_t i = 0; i < m->signature_count; i++) {
        const model_signature *sig = &m->signatures[i];
        touch_string(sig->key);
        FUZZ_ASSERT(sig->subgraph >= 0 && sig->subgraph < m->subgraph_count, "signature subgraph in range");
        int32_t limit = m->subgraphs[sig->subgraph].tensor_count;
        for (int32_t k = 0; k < sig->input_count; k++) {
            touch_string(sig->inputs[k].name);
            FUZZ_ASSERT(sig->inputs[k].tensor >= 0 && sig->inputs[k].tensor < limit, "signature tensor");
        }
        for (int32_t k = 0; k < sig->output_count; k++) {
            touch_string(sig->outputs[k].name);
            FUZZ_ASSERT(sig->outputs[k].tensor >= 0 && sig->outputs[k].tensor < limit, "signature tensor");
        }
    }
    FUZZ_ASSERT(mote_model_metadata_count(m, &count) == MOTE_OK && count == m->metadata_count, "metadata count");
    for (int32_t i = 0; i < count; i++) {
        const char *name;
        const void *data;
        size_t size;
        FUZZ_ASSERT(mote_model_metadata(m, i, &name, &data, &size) == MOTE_OK, "metadata entry");
        touch_string(name);
        if (data) touch(data, size);
    }
    for (int32_t i = 0; i < m->opcode_count; i++)
        if (m->opcodes[i].custom_name) touch_string(m->opcodes[i].custom_name);
}

/* ---- budgeted operators ---- */

static uint64_t work_left;

static uint64_t sat_add(uint64_t a, uint64_t b) { return a + b < a ? UINT64_MAX : a + b; }
static uint64_t sat_mul(uint64_t a, uint64_t b) {
    uint64_t r;
    return __builtin_mul_overflow(a, b, &r) ? UINT64_MAX : r;
}

static uint64_t elements(const mote_tensor *t) {
    uint64_t n = 1;
    for (int32_t i = 0; i < t->rank; i++) n = sat_mul(n, (uint64_t)(t->dims[i] < 0 ? 0 : t->dims[i]));
    return n;
}

/* How an operator's work grows with its tensors. */
enum cost_kind { COST_LINEAR, COST_CONTRACTION, COST_RECURRENT, COST_WINDOW, COST_ROWS, COST_QUADRATIC };

/* Builtins whose eval the interpreter may run during prepare (core/prepared.c lists them):
 * left unwrapped, or that path would be skipped. Their work is linear in tensors the arena
 * limit bounds. */
static int pure_op(int32_t code) {
    switch (code) {
    case MOTE_OP_ADD: case MOTE_OP_SUB: case MOTE_OP_MUL: case MOTE_OP_DIV:
    case MOTE_OP_FLOOR_DIV: case MOTE_OP_FLOOR_MOD: case MOTE_OP_MAXIMUM: case MOTE_OP_MINIMUM:
    case MOTE_OP_SQUARED_DIFFERENCE: case MOTE_OP_NEG: case MOTE_OP_ABS: case MOTE_OP_SIGN:
    case MOTE_OP_CAST: case MOTE_OP_PACK: case MOTE_OP_UNPACK: case MOTE_OP_CONCATENATION:
    case MOTE_OP_RESHAPE: case MOTE_OP_SQUEEZE: case MOTE_OP_EXPAND_DIMS:
    case MOTE_OP_STRIDED_SLICE: case MOTE_OP_SLICE: case MOTE_OP_GATHER: case MOTE_OP_GATHER_ND:
    case MOTE_OP_TILE: case MOTE_OP_FILL: case MOTE_OP_RANGE: case MOTE_OP_BROADCAST_TO:
    case MOTE_OP_BROADCAST_ARGS: case MOTE_OP_TRANSPOSE: case MOTE_OP_ZEROS_LIKE:
    case MOTE_OP_REDUCE_PROD: case MOTE_OP_SUM: case MOTE_OP_REDUCE_MAX: case MOTE_OP_REDUCE_MIN:
    case MOTE_OP_EQUAL: case MOTE_OP_NOT_EQUAL: case MOTE_OP_LESS: case MOTE_OP_LESS_EQUAL:
    case MOTE_OP_GREATER: case MOTE_OP_GREATER_EQUAL: case MOTE_OP_LOGICAL_AND:
    case MOTE_OP_LOGICAL_OR: case MOTE_OP_LOGICAL_NOT: case MOTE_OP_SELECT: case MOTE_OP_SELECT_V2:
    case MOTE_OP_ARG_MAX: case MOTE_OP_ARG_MIN: case MOTE_OP_VAR_HANDLE: case MOTE_OP_SHAPE:
    case MOTE_OP_RANK:
        return 1;
    default:
        return 0;
    }
}

static int cost_kind(int32_t code) {
    switch (code) {
    case MOTE_OP_CONV_2D: case MOTE_OP_DEPTHWISE_CONV_2D: case MOTE_OP_FULLY_CONNECTED:
    case MOTE_OP_TRANSPOSE_CONV: case MOTE_OP_CONV_3D: case MOTE_OP_CONV_3D_TRANSPOSE:
    case MOTE_OP_BATCH_MATMUL: case MOTE_OP_EMBEDDING_LOOKUP_SPARSE:
        return COST_CONTRACTION;
    case MOTE_OP_SVDF: case MOTE_OP_LSTM: case MOTE_OP_UNIDIRECTIONAL_SEQUENCE_LSTM:
    case MOTE_OP_BIDIRECTIONAL_SEQUENCE_LSTM: case MOTE_OP_RNN: case MOTE_OP_UNIDIRECTIONAL_SEQUENCE_RNN:
    case MOTE_OP_BIDIRECTIONAL_SEQUENCE_RNN:
        return COST_RECURRENT;
    case MOTE_OP_AVERAGE_POOL_2D: case MOTE_OP_MAX_POOL_2D: case MOTE_OP_L2_POOL_2D:
        return COST_WINDOW;
    case MOTE_OP_LOCAL_RESPONSE_NORMALIZATION: case MOTE_OP_RFFT2D:
        return COST_ROWS;
    case MOTE_OP_TOPK_V2: case MOTE_OP_NON_MAX_SUPPRESSION_V4: case MOTE_OP_NON_MAX_SUPPRESSION_V5:
    case MOTE_OP_UNIQUE: case MOTE_OP_CUSTOM:
        return COST_QUADRATIC;
    default:
        return COST_LINEAR;
    }
}

/* An upper bound on the element operations of one eval, from the shapes it runs with. */
static uint64_t node_cost(mote_context *ctx, const mote_node *node) {
    const subgraph *sg = &ctx->subgraphs[node->subgraph];
    uint64_t in_sum = 0, out_sum = 0, rest_max = 0, in0 = 0, row = 1, plane = 1;
    for (int32_t i = 0; i < node->input_count; i++) {
        if (node->inputs[i] < 0) continue;
        const mote_tensor *t = &sg->tensors[node->inputs[i]];
        uint64_t n = elements(t);
        in_sum = sat_add(in_sum, n);
        if (i == 0) {
            in0 = n;
            if (t->rank >= 1) row = (uint64_t)(t->dims[t->rank - 1] > 0 ? t->dims[t->rank - 1] : 1);
            if (t->rank == 4) plane = sat_mul((uint64_t)t->dims[1], (uint64_t)t->dims[2]);
        } else if (n > rest_max) {
            rest_max = n;
        }
    }
    uint64_t out_last = 1;
    for (int32_t i = 0; i < node->output_count; i++) {
        const mote_tensor *t = &sg->tensors[node->outputs[i]];
        out_sum = sat_add(out_sum, elements(t));
        if (i == 0 && t->rank >= 1 && t->dims[t->rank - 1] > 0) out_last = (uint64_t)t->dims[t->rank - 1];
    }
    uint64_t base = sat_add(sat_add(in_sum, out_sum), 1);
    switch (cost_kind(node->def->builtin_code)) {
    case COST_CONTRACTION: return sat_add(base, sat_mul(out_sum, rest_max / out_last + 1));
    case COST_RECURRENT: return sat_add(base, sat_mul(8, sat_mul(sat_add(out_sum, in0), rest_max / out_last + 1)));
    case COST_WINDOW: return sat_add(base, sat_mul(out_sum, plane));
    case COST_ROWS: return sat_add(base, sat_mul(sat_add(in0, out_sum), sat_mul(row, 4)));
    case COST_QUADRATIC: return sat_mul(base, base);
    default: return base;
    }
}

#define MAX_WRAPPED 256
static mote_op wrapped[MAX_WRAPPED];
static const mote_op *wrapped_real[MAX_WRAPPED];
static int wrapped_count = -1;

static mote_status budget_eval(mote_context *ctx, mote_node *node) {
    ptrdiff_t k = node->op - wrapped;
    FUZZ_ASSERT(k >= 0 && k < wrapped_count, "a wrapped operator");
    uint64_t cost = node_cost(ctx, node);
    if (cost > work_left)
        return mote_node_fail(ctx, node, MOTE_ERROR_LIMIT, "the fuzz work budget is spent (%llu more needed)",
                              (unsigned long long)cost);
    work_left -= cost;
    return wrapped_real[k]->eval(ctx, node);
}

static void wrap(const mote_op *op) {
    if (wrapped_count >= MAX_WRAPPED || !op->eval) return;
    wrapped[wrapped_count] = *op;
    wrapped[wrapped_count].eval = budget_eval;
    wrapped_real[wrapped_count] = op;
    wrapped_count++;
}

static const mote_op *const signal_ops[] = {
    &signal_op_window,     &signal_op_fft_auto_scale, &signal_op_rfft,
    &signal_op_energy,     &signal_op_filter_bank,    &signal_op_filter_bank_square_root,
    &signal_op_filter_bank_spectral_subtraction, &signal_op_filter_bank_log, &signal_op_pcan,
};

static void build_wrappers(void) {
    if (wrapped_count >= 0) return;
    wrapped_count = 0;
    for (int32_t i = 0; i < registry_count(); i++) {
        const mote_op *op = registry_at(i);
        if (op->custom_name || !pure_op(op->builtin_code)) wrap(op);
    }
    for (size_t i = 0; i < sizeof signal_ops / sizeof signal_ops[0]; i++) wrap(signal_ops[i]);
}

mote_options *fuzz_options(void) {
    build_wrappers();
    mote_options *o = NULL;
    if (mote_options_create(&counting, &o)) return NULL;
    mote_options_set_limit(o, MOTE_LIMIT_ARENA_BYTES, FUZZ_ARENA_LIMIT);
    mote_options_set_limit(o, MOTE_LIMIT_TENSOR_COUNT, FUZZ_TENSOR_LIMIT);
    mote_options_set_limit(o, MOTE_LIMIT_WHILE_ITERATIONS, FUZZ_WHILE_LIMIT);
    mote_options_set_limit(o, MOTE_LIMIT_NESTING_DEPTH, FUZZ_NESTING_LIMIT);
    if (mote_signal_register(o)) {
        mote_options_destroy(o);
        return NULL;
    }
    for (int i = 0; i < wrapped_count; i++) {
        if (mote_options_add_op(o, &wrapped[i])) {
            mote_options_destroy(o);
            return NULL;
        }
    }
    return o;
}

/* ---- the watchdog ---- */

static pthread_mutex_t watch_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t watch_once = PTHREAD_ONCE_INIT;
static mote_interpreter *watched; /* under watch_lock */
static struct timespec watched_since;

static void *watchdog(void *unused) {
    (void)unused;
    const struct timespec tick = {0, 100 * 1000 * 1000};
    for (;;) {
        nanosleep(&tick, NULL);
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        pthread_mutex_lock(&watch_lock);
        if (watched && now.tv_sec - watched_since.tv_sec >= FUZZ_INVOKE_SECONDS) mote_interpreter_cancel(watched);
        pthread_mutex_unlock(&watch_lock);
    }
    return NULL;
}

static void start_watchdog(void) {
    pthread_t t;
    if (pthread_create(&t, NULL, watchdog, NULL) == 0) pthread_detach(t);
}

/* Cancels it once it has run FUZZ_INVOKE_SECONDS; NULL stops watching (before destroy). */
static void watch(mote_interpreter *it) {
    pthread_once(&watch_once, start_watchdog);
    pthread_mutex_lock(&watch_lock);
    watched = it;
    clock_gettime(CLOCK_MONOTONIC, &watched_since);
    pthread_mutex_unlock(&watch_lock);
}

/* ---- inputs ---- */

static uint64_t rng_state;

static uint64_t rnd(void) {
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* Mostly ordinary values, sometimes the edges kernels get wrong. */
static float rnd_float(void) {
    static const float special[] = {0.0f, -0.0f, 1.0f, -1.0f, 1e-40f, 3.4e38f, -3.4e38f, 1e30f,
                                    __builtin_inff(), -__builtin_inff(), __builtin_nanf("")};
    uint64_t r = rnd();
    if (r % 16 == 0) return special[(r >> 8) % (sizeof special / sizeof special[0])];
    return (float)((int64_t)(r >> 11) % 4001 - 2000) / 500.0f;
}

static int64_t rnd_int(void) {
    static const int64_t special[] = {0, 1, -1, 2, 127, -128, 255, 32767, -32768, INT32_MAX, INT32_MIN,
                                      INT64_MAX, INT64_MIN};
    uint64_t r = rnd();
    if (r % 8 == 0) return special[(r >> 8) % (sizeof special / sizeof special[0])];
    return (int64_t)((r >> 8) % 12) - 2; /* indices, axes and sizes live here */
}

static void fill_tensor(mote_tensor *t) {
    mote_tensor_info info;
    if (mote_tensor_get_info(t, &info) || info.is_constant) return;
    if (info.type == MOTE_STRING) {
        static const char *const words[] = {"", "a", "hello", "\xff\xfe", "mote"};
        size_t n = 1;
        for (int32_t i = 0; i < info.rank; i++) n *= (size_t)info.dims[i];
        if (n > 64) return;
        const char *strs[64];
        for (size_t i = 0; i < n; i++) strs[i] = words[rnd() % 5];
        (void)mote_tensor_set_strings(t, (int32_t)n, strs, NULL);
        return;
    }
    if (!info.bytes || !info.data) return;
    uint8_t *p = info.data;
    size_t esize = 1;
    (void)mote_type_size(info.type, &esize);
    /* The first elements random, the rest copies of them: large inputs cost little. */
    size_t total = info.bytes, head = total < 4096 ? total : 4096;
    size_t n = esize ? head / esize : 0;
    info.bytes = head;
    switch (info.type) {
    case MOTE_FLOAT32:
        for (size_t i = 0; i < n; i++) {
            float f = rnd_float();
            memcpy(p + 4 * i, &f, 4);
        }
        break;
    case MOTE_FLOAT64:
        for (size_t i = 0; i < n; i++) {
            double d = rnd_float();
            memcpy(p + 8 * i, &d, 8);
        }
        break;
    case MOTE_INT32: case MOTE_UINT32:
        for (size_t i = 0; i < n; i++) {
            int32_t v = (int32_t)rnd_int();
            memcpy(p + 4 * i, &v, 4);
        }
        break;
    case MOTE_INT64: case MOTE_UINT64:
        for (size_t i = 0; i < n; i++) {
            int64_t v = rnd_int();
            memcpy(p + 8 * i, &v, 8);
        }
        break;
    case MOTE_BOOL:
        for (size_t i = 0; i < n; i++) p[i] = (uint8_t)(rnd() & 1);
        break;
    default:
        for (size_t i = 0; i < info.bytes; i++) p[i] = (uint8_t)rnd();
        break;
    }
    for (size_t at = head; at < total;) {
        size_t k = at < total - at ? at : total - at;
        memcpy(p + at, p, k);
        at += k;
    }
}

static void read_tensor(const mote_tensor *t) {
    mote_tensor_info info;
    if (mote_tensor_get_info(t, &info)) return;
    FUZZ_ASSERT(info.rank >= 0 && info.rank <= MOTE_MAX_DIMS, "tensor rank");
    touch(info.dims, (size_t)info.rank * sizeof(int32_t));
    touch_string(info.name);
    if (info.type == MOTE_STRING) {
        int32_t n = 0;
        if (mote_tensor_get_string_count(t, &n) == MOTE_OK)
            for (int32_t i = 0; i < n; i++) {
                const char *s;
                size_t len;
                if (mote_tensor_get_string(t, i, &s, &len) == MOTE_OK) touch(s, len);
            }
        return;
    }
    if (info.data && info.bytes) touch(info.data, info.bytes);
}

/* Whether invoke may allocate: some tensor gets its size while running. */
static int has_dynamic(const mote_interpreter *it) {
    const mote_context *ctx = &it->ctx;
    for (int32_t s = 0; s < ctx->subgraph_count; s++) {
        const subgraph *sg = &ctx->subgraphs[s];
        if (sg->dynamic) return 1;
        for (int32_t i = 0; i < sg->tensor_count; i++) {
            const mote_tensor *t = &sg->tensors[i];
            if (t->storage == STORAGE_DYNAMIC || t->is_dynamic || t->type == MOTE_RESOURCE ||
                t->type == MOTE_VARIANT)
                return 1;
        }
        for (int32_t i = 0; i < sg->node_count; i++)
            if (sg->nodes[i].reprepare) return 1;
    }
    return 0;
}

static mote_status invoke_checked(mote_interpreter *it, const char *key) {
    int dynamic = has_dynamic(it);
    long before = alloc_calls;
    mote_status st = key ? mote_interpreter_signature_invoke(it, key) : mote_interpreter_invoke(it);
    fuzz_check_status(st, mote_interpreter_error(it), key ? "signature_invoke" : "invoke");
    if (!dynamic) FUZZ_ASSERT(alloc_calls == before, "invoke allocates nothing when no tensor is dynamic");
    return st;
}

static void fill_inputs(mote_interpreter *it) {
    int32_t n = 0;
    if (mote_interpreter_input_count(it, &n)) return;
    for (int32_t i = 0; i < n; i++) {
        mote_tensor *t;
        if (mote_interpreter_input(it, i, &t) == MOTE_OK) fill_tensor(t);
    }
}

static void read_outputs(mote_interpreter *it) {
    int32_t n = 0;
    if (mote_interpreter_output_count(it, &n)) return;
    for (int32_t i = 0; i < n; i++) {
        mote_tensor *t;
        if (mote_interpreter_output(it, i, &t) == MOTE_OK) read_tensor(t);
    }
}

static void run_signatures(mote_interpreter *it) {
    int32_t count = 0;
    if (mote_interpreter_signature_count(it, &count)) return;
    for (int32_t s = 0; s < count && s < 4; s++) {
        const char *key;
        int32_t ins = 0, outs = 0;
        if (mote_interpreter_signature_key(it, s, &key)) continue;
        if (mote_interpreter_signature_io_count(it, key, 0, &ins) ||
            mote_interpreter_signature_io_count(it, key, 1, &outs))
            continue;
        for (int32_t i = 0; i < ins; i++) {
            const char *name;
            mote_tensor *t;
            if (mote_interpreter_signature_io_name(it, key, 0, i, &name) == MOTE_OK &&
                mote_interpreter_signature_tensor(it, key, 0, name, &t) == MOTE_OK)
                fill_tensor(t);
        }
        if (invoke_checked(it, key) != MOTE_OK) continue;
        for (int32_t i = 0; i < outs; i++) {
            const char *name;
            mote_tensor *t;
            if (mote_interpreter_signature_io_name(it, key, 1, i, &name) == MOTE_OK &&
                mote_interpreter_signature_tensor(it, key, 1, name, &t) == MOTE_OK)
                read_tensor(t);
        }
    }
}

/* Resizes input 0 to a shape near its own and allocates again. */
static void resize_and_rerun(mote_interpreter *it) {
    mote_tensor *t;
    mote_tensor_info info;
    if (mote_interpreter_input(it, 0, &t) || mote_tensor_get_info(t, &info) || info.is_constant) return;
    int32_t dims[MOTE_MAX_DIMS];
    int32_t rank = info.rank;
    for (int32_t i = 0; i < rank; i++) {
        uint64_t r = rnd() % 4;
        dims[i] = r == 0 ? 0 : r == 1 ? info.dims[i] + 1 : info.dims[i] > 1 ? info.dims[i] / 2 : 1;
    }
    mote_status st = mote_interpreter_resize_input(it, 0, rank, dims);
    fuzz_check_status(st, mote_interpreter_error(it), "resize_input");
    if (st) return;
    st = mote_interpreter_allocate_tensors(it);
    fuzz_check_status(st, mote_interpreter_error(it), "allocate_tensors after a resize");
    if (st) return;
    fill_inputs(it);
    if (invoke_checked(it, NULL) == MOTE_OK) read_outputs(it);
}

void fuzz_run_model(const uint8_t *bytes, size_t size, uint64_t seed) {
    mote_model *m = NULL;
    mote_options *o = NULL;
    mote_interpreter *it = NULL;
    rng_state = seed;
    work_left = FUZZ_WORK_BUDGET;
    mote_status st = mote_model_load_memory(bytes, size, &counting, &m);
    fuzz_check_status(st, mote_model_error(m), "load_memory");
    if (st) goto done;
    if (!(o = fuzz_options())) goto done;
    st = mote_interpreter_create(m, o, &it);
    fuzz_check_status(st, mote_interpreter_error(it), "interpreter_create");
    if (st) goto done;
    watch(it);
    st = mote_interpreter_allocate_tensors(it);
    fuzz_check_status(st, mote_interpreter_error(it), "allocate_tensors");
    if (st) goto done;
    fill_inputs(it);
    if (invoke_checked(it, NULL) == MOTE_OK) read_outputs(it);
    run_signatures(it);
    switch (seed >> 60) {
    case 0: case 1: /* state kept across invokes */
        if (invoke_checked(it, NULL) == MOTE_OK) read_outputs(it);
        break;
    case 2:
        st = mote_interpreter_reset_variables(it);
        fuzz_check_status(st, mote_interpreter_error(it), "reset_variables");
        if (invoke_checked(it, NULL) == MOTE_OK) read_outputs(it);
        break;
    case 3: case 4:
        resize_and_rerun(it);
        break;
    default:
        break;
    }
done:
    watch(NULL);
    mote_interpreter_destroy(it);
    mote_options_destroy(o);
    mote_model_destroy(m);
}
