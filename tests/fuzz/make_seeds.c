/* make_seeds.c — writes the fuzzers' seed corpora, all made here with Mote's writer (no
 * model from elsewhere):
 *
 *   fuzz_make_seeds DIR    DIR/structured/op-K-N  descriptions for fuzz_structured, up to
 *                                                 three per operator K, chosen so that the
 *                                                 model holds K and, if possible, invokes
 *                          DIR/models/op-K-N.tflite  the models they make, for fuzz_load and
 *                                                 fuzz_run
 *
 * Descriptions are encoded here in fuzz_structured.c's format from random but plausible
 * choices (small shapes, one element type per graph, some constant inputs, the operator's
 * own options with defaults), plus a WHILE loop over two subgraphs; the generator is
 * deterministic. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/model.h"
#include "format/builtin_ops.h"
#include "fuzz.h"

static uint64_t state = 0x5eed5eed5eed5eedu;

static uint32_t rnd(uint32_t n) {
    uint64_t z = (state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return (uint32_t)((z ^ (z >> 31)) % n);
}

/* ---- the encoder (mirrors fuzz_structured.c's decoder) ---- */

typedef struct desc {
    uint8_t b[512];
    size_t n;
} desc;

static void put(desc *d, uint32_t v) {
    if (d->n < sizeof d->b) d->b[d->n++] = (uint8_t)v;
}

/* Indices into the decoder's type table. */
enum { T_F32 = 0, T_I8 = 3, T_U8 = 5, T_I16 = 6, T_I32 = 7, T_I64 = 9, T_BOOL = 10, T_F16 = 11, T_STR = 12 };

static size_t type_bytes(int t) {
    switch (t) {
    case T_I8: case T_U8: case T_BOOL: return 1;
    case T_I16: case T_F16: return 2;
    case T_I64: return 8;
    case T_STR: return 0;
    default: return 4;
    }
}

/* pattern: -1 activation; 0 raw bytes, 1 small integers from a base, 2 ramp 0..4, 3 zeros. */
static void tensor_base(desc *d, int type, int rank, const int *dims, int pattern, int quantized, int base) {
    put(d, (uint32_t)type);
    put(d, (uint32_t)rank);
    size_t n = 1;
    for (int i = 0; i < rank; i++) {
        put(d, (uint32_t)dims[i]); /* 0..4 encode themselves */
        n *= (size_t)dims[i];
    }
    put(d, (pattern >= 0 ? 1u | (uint32_t)pattern << 6 : 0u) | (quantized ? 8u : 0u));
    if (pattern >= 0) {
        if (type == T_STR) {
            for (size_t i = 0; i < n && i < 8; i++) put(d, rnd(7));
            if (pattern == 3) put(d, 0);
        } else if (pattern == 0) {
            size_t bytes = n * type_bytes(type);
            for (size_t i = 0; i < bytes && i < 64; i++) put(d, rnd(256));
        } else if (pattern == 1) {
            put(d, base >= 0 ? 1u + (uint32_t)base : 1 + rnd(4)); /* base 0..3 (int_value(b) = b % 10 - 1) */
        }
    }
    if (quantized) {
        put(d, rnd(16)); /* scale (1 + s) / 256 */
        put(d, rnd(256));
    }
}

static void op(desc *d, int32_t k, int ni, const int *in, int no, const int *out, uint16_t mask,
               const uint8_t *fields, size_t field_bytes) {
    put(d, (uint32_t)k & 0xff);
    put(d, (uint32_t)k >> 8);
    put(d, 1); /* version 1 */
    put(d, ni < 5 ? (uint32_t)ni : 200u + (uint32_t)ni);
    put(d, (uint32_t)no - 1);
    for (int i = 0; i < ni; i++) put(d, (uint32_t)(in[i] + 1)); /* -1: omitted */
    for (int i = 0; i < no; i++) put(d, (uint32_t)out[i]);
    put(d, 1);           /* no intermediates */
    put(d, 0);           /* the operator's own options table */
    const char *layout = fuzz_structured_layout(k);
    if (!fields && layout) {
        /* Every field, with plausible values: flags and enums 0 or 1, integers 1 or 2
         * (strides, dilations, axes), vectors of one to two small integers. */
        mask = 0;
        for (int id = 0; layout[id] && id < 16; id++) mask |= (uint16_t)(rnd(4) ? 1u << id : 0u);
    }
    put(d, mask & 0xff); /* fields present */
    put(d, mask >> 8);
    if (fields) {
        for (size_t i = 0; i < field_bytes; i++) put(d, fields[i]);
    } else {
        for (int id = 0; layout && layout[id] && id < 16; id++) {
            if (!(mask >> id & 1)) continue;
            switch (layout[id]) {
            case '1': put(d, rnd(2)); break;
            case '2': case '8': put(d, 2 + rnd(2)); break;
            case '4': put(d, 0); put(d, 2 + rnd(2)); break;
            case 'v': {
                uint32_t n = 1 + rnd(2);
                put(d, n);
                for (uint32_t i = 0; i < n; i++) put(d, 1 + rnd(3));
                break;
            }
            default: put(d, rnd(7)); break;
            }
        }
    }
    /* Custom options: none for builtins (any byte not a multiple of 32); for custom
     * operators a FlexBuffer map: mode (want = 1 + mode % 6 entries), first key, then for
     * each entry an even kind byte (odd ones skip the key) and its value. */
    if (!fuzz_structured_op(k)->custom_name) {
        put(d, 1);
        return;
    }
    uint32_t mode = 4 * rnd(64) + rnd(3), want = 1 + mode % 6;
    put(d, mode);
    put(d, rnd((uint32_t)fuzz_structured_flex_keys() - want + 1));
    for (uint32_t i = 0; i < want; i++) {
        put(d, 2 * rnd(4));
        put(d, rnd(12));
    }
}

static void tensor(desc *d, int type, int rank, const int *dims, int pattern, int quantized) {
    tensor_base(d, type, rank, dims, pattern, quantized, -1);
}

/* One subgraph running operator k on random small tensors of one element type. */
static void random_graph(desc *d, int32_t k) {
    static const int types[] = {T_F32, T_F32, T_F32, T_F32, T_I8, T_U8, T_I32, T_I16, T_I64, T_BOOL, T_F16, T_STR};
    int main_type = types[rnd(sizeof types / sizeof types[0])];
    int quantized = (main_type == T_I8 || main_type == T_U8 || main_type == T_I16) && rnd(4) != 0;
    int ni = rnd(8) == 0 ? 1 + (int)rnd(24) : 1 + (int)rnd(4);
    int nt = ni + 1 > 10 ? 10 : ni + 1;
    int shape[4], rank = (int)rnd(5);
    for (int i = 0; i < rank; i++) shape[i] = 1 + (int)rnd(4);
    put(d, (uint32_t)nt - 1);
    int in[24];
    for (int t = 0; t < nt - 1; t++) {
        int r = rank, dims[4];
        memcpy(dims, shape, sizeof dims);
        int type = main_type;
        if (t > 0 && rnd(3) == 0) { /* an argument: a small int32 vector (axes, shape, sizes) */
            type = T_I32;
            r = 1;
            dims[0] = 1 + (int)rnd(4);
        } else if (t > 0 && rnd(4) == 0) {
            r = rnd(2) ? 0 : 1;
            dims[0] = 1 + (int)rnd(4);
        }
        int constant = t > 0 && rnd(2);
        tensor(d, type, r, dims, constant ? (int)rnd(4) : -1, quantized && type == main_type);
    }
    tensor(d, rnd(4) ? main_type : types[rnd(sizeof types / sizeof types[0])], rank, shape, -1, quantized);
    for (int i = 0; i < ni; i++) in[i] = i < nt - 1 ? i : (rnd(3) ? -1 : (int)rnd((uint32_t)nt - 1));
    int out[1] = {nt - 1};
    put(d, 1); /* one operator */
    op(d, k, ni, in, 1, out, 0, NULL, 0);
    put(d, 0); /* inputs and outputs from the graph */
}

/* WHILE (operator k) counting x up to 3: subgraph 1 the condition (x < 3), 2 the body
 * (x + 1, or x + 0: a loop that never ends when x < 3). */
static void while_loop(desc *d, int32_t k, int32_t less, int32_t add, int infinite) {
    int one[1] = {1};
    put(d, 2); /* three subgraphs */
    put(d, 1); /* subgraph 0: x, y */
    tensor(d, T_F32, 1, one, -1, 0);
    tensor(d, T_F32, 1, one, -1, 0);
    put(d, 1);
    const uint8_t fields[] = {0, 2, 0, 3}; /* cond_subgraph_index 1, body_subgraph_index 2 */
    int in0[1] = {0}, out1[1] = {1};
    op(d, k, 1, in0, 1, out1, 3, fields, sizeof fields);
    put(d, 0);
    put(d, 2); /* subgraph 1: x, c, x < c */
    tensor(d, T_F32, 1, one, -1, 0);
    tensor_base(d, T_F32, 1, one, 1, 0, 3);
    tensor(d, T_BOOL, 1, one, -1, 0);
    put(d, 1);
    int in01[2] = {0, 1}, out2[1] = {2};
    op(d, less, 2, in01, 1, out2, 0, NULL, 0);
    put(d, 0);
    put(d, 2); /* subgraph 2: x, 1, x + 1 */
    tensor(d, T_F32, 1, one, -1, 0);
    tensor_base(d, T_F32, 1, one, 1, 0, infinite ? 0 : 1);
    tensor(d, T_F32, 1, one, -1, 0);
    put(d, 1);
    op(d, add, 2, in01, 1, out2, 0, NULL, 0);
    put(d, 0);
}

/* ---- grading ---- */

/* Whether the model's first subgraph holds operator op. */
static int holds(const mote_model *m, const mote_op *op) {
    for (int32_t i = 0; i < m->subgraphs[0].op_count; i++) {
        const model_op *d = &m->subgraphs[0].ops[i];
        if (op->custom_name ? d->custom_name && strcmp(d->custom_name, op->custom_name) == 0
                            : d->builtin_code == op->builtin_code)
            return 1;
    }
    return 0;
}

/* 3: holds op, allocates and invokes, 2: allocates, 1: holds op, 0: not even that. */
static int grade(const uint8_t *model, size_t size, const mote_op *op) {
    mote_model *m = NULL;
    mote_options *o = fuzz_options();
    mote_interpreter *it = NULL;
    int g = 0;
    if (o && mote_model_load_memory(model, size, NULL, &m) == MOTE_OK && holds(m, op)) {
        g = 1;
        if (mote_interpreter_create(m, o, &it) == MOTE_OK && mote_interpreter_allocate_tensors(it) == MOTE_OK)
            g = mote_interpreter_invoke(it) == MOTE_OK ? 3 : 2;
    }
    mote_interpreter_destroy(it);
    mote_options_destroy(o);
    mote_model_destroy(m);
    return g;
}

static int write_file(const char *path, const void *data, size_t size) {
    FILE *f = fopen(path, "wb");
    int ok = f && fwrite(data, 1, size, f) == size;
    if (f) fclose(f);
    if (!ok) fprintf(stderr, "cannot write %s\n", path);
    return ok ? 0 : 1;
}

static int32_t find_op(int32_t code) {
    for (int32_t k = 0; k < fuzz_structured_op_count(); k++)
        if (!fuzz_structured_op(k)->custom_name && fuzz_structured_op(k)->builtin_code == code) return k;
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: fuzz_make_seeds DIR\n");
        return 2;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/structured", argv[1]);
    mkdir(argv[1], 0777);
    mkdir(path, 0777);
    snprintf(path, sizeof path, "%s/models", argv[1]);
    mkdir(path, 0777);
    int32_t ops = fuzz_structured_op_count();
    int32_t less = find_op(MOTE_OP_LESS), add = find_op(MOTE_OP_ADD), loop = find_op(MOTE_OP_WHILE);
    int written = 0, invoked = 0, failed = 0;
    for (int32_t k = 0; k < ops; k++) {
        const mote_op *target = fuzz_structured_op(k);
        int kept = 0, best = 0;
        for (int attempt = 0; attempt < 600 && kept < 3; attempt++) {
            desc d = {{0}, 0};
            if (k == loop && attempt < 2) {
                while_loop(&d, k, less, add, attempt == 1);
            } else {
                put(&d, rnd(8) == 0 ? 4 : 0); /* one subgraph, sometimes a signature */
                random_graph(&d, k);
            }
            const uint8_t *model;
            size_t model_size;
            if (fuzz_target_model(d.b, d.n, &model, &model_size)) continue;
            int g = grade(model, model_size, target);
            /* Keep what invokes; failing that, late, one that allocates or at least holds k. */
            if (!(g == 3 || (g == 2 && attempt >= 400 && best < 2) || (g == 1 && attempt >= 500 && best < 1)))
                continue;
            if (g > best) best = g;
            snprintf(path, sizeof path, "%s/structured/op-%03d-%d", argv[1], (int)k, kept);
            failed |= write_file(path, d.b, d.n);
            snprintf(path, sizeof path, "%s/models/op-%03d-%d.tflite", argv[1], (int)k, kept);
            failed |= write_file(path, model, model_size);
            kept++;
            written++;
            invoked += g == 3;
        }
        if (best < 3)
            fprintf(stderr, "operator %d (%s): %s\n", (int)k,
                    target->custom_name ? target->custom_name : mote_builtin_name(target->builtin_code),
                    best == 2 ? "allocates, no invoke" : best == 1 ? "in the model, no allocate" : "no seed");
    }
    fprintf(stderr, "wrote %d seeds for %d operators (%d invoke)\n", written, (int)ops, invoked);
    return failed;
}
