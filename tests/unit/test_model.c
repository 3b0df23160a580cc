/* test_model.c — the model loader: every shared model loads (file, memory, misaligned
 * memory) and matches MANIFEST.md; broken files fail cleanly; buffers stored after the
 * FlatBuffer work and are bounds-checked. */
#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/model.h"
#include "format/builtin_ops.h"
#include "format/tflite_schema.h"
#include "test.h"
#include "tiny_model.h"

/* ---- helpers ---- */

static char models_dir[4096];

/* Finds <shared>/models; 0 when the shared assets are absent. */
static int find_models(void) {
    const char *shared = test_shared_dir();
    if (!shared) return 0;
    snprintf(models_dir, sizeof models_dir, "%s/models", shared);
    struct stat sb;
    return stat(models_dir, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static char *model_path(const char *name) {
    static char path[4352];
    snprintf(path, sizeof path, "%s/%s", models_dir, name);
    return path;
}

/* The whole file in a heap block of exactly its size (so the sanitizer sees overreads). */
static uint8_t *read_all(const char *path, size_t *size) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *p = malloc(n > 0 ? (size_t)n : 1);
    if (p && fread(p, 1, (size_t)n, f) != (size_t)n) {
        free(p);
        p = NULL;
    }
    fclose(f);
    *size = (size_t)n;
    return p;
}

/* A new empty file in $TMPDIR (or /tmp); returns its descriptor, or -1. */
static int make_temp(char *path, size_t size) {
    const char *dir = getenv("TMPDIR");
    snprintf(path, size, "%s/mote_test_XXXXXX", dir && *dir ? dir : "/tmp");
    return mkstemp(path);
}

static int compare_names(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The sorted *.tflite names in the models directory (not its subdirectories). */
static int list_models(char ***out) {
    DIR *d = opendir(models_dir);
    int n = 0, cap = 64;
    char **names = malloc((size_t)cap * sizeof *names);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 8 || strcmp(e->d_name + len - 7, ".tflite") != 0) continue;
        if (n == cap) names = realloc(names, (size_t)(cap *= 2) * sizeof *names);
        names[n++] = strdup(e->d_name);
    }
    if (d) closedir(d);
    qsort(names, (size_t)n, sizeof *names, compare_names);
    *out = names;
    return n;
}

static void free_names(char **names, int n) {
    for (int i = 0; i < n; i++) free(names[i]);
    free(names);
}

static int32_t total_ops(const mote_model *m) {
    int32_t n = 0, sgs = 0, k;
    CHECK_OK(mote_model_subgraph_count(m, &sgs));
    for (int32_t s = 0; s < sgs; s++) {
        CHECK_OK(mote_model_operator_count(m, s, &k));
        n += k;
    }
    return n;
}

/* Every constant is aligned for its element type, wherever the file was. */
static void check_constants_aligned(const mote_model *m, const char *name) {
    for (int32_t s = 0; s < m->subgraph_count; s++)
        for (int32_t i = 0; i < m->subgraphs[s].tensor_count; i++) {
            const model_tensor *t = &m->subgraphs[s].tensors[i];
            size_t a = mote_type_bytes(t->type);
            if (a > 8) a = 8;
            if (t->data && a && (uintptr_t)t->data % a) {
                fprintf(stderr, "%s: subgraph %d tensor %d misaligned\n", name, s, i);
                test_failures++;
            }
        }
}

/* ---- every shared model ---- */

static void test_all_models_load(void) {
    char **names;
    int n = list_models(&names);
    CHECK_EQ_INT(n, 38);
    for (int i = 0; i < n; i++) {
        const char *path = model_path(names[i]);
        mote_model *from_file = NULL, *from_memory = NULL, *misaligned = NULL;
        mote_status st = mote_model_load_file(path, NULL, &from_file);
        if (st) fprintf(stderr, "%s: %s\n", names[i], mote_model_error(from_file));
        CHECK_EQ_INT(st, MOTE_OK);
        CHECK_EQ_INT(mote_model_error(from_file)[0], 0);
        size_t size;
        uint8_t *bytes = read_all(path, &size);
        CHECK(bytes != NULL);
        /* 64-byte aligned, read in place. */
        uint8_t *aligned = aligned_alloc(64, (size + 63) / 64 * 64);
        memcpy(aligned, bytes, size);
        CHECK_OK(mote_model_load_memory(aligned, size, NULL, &from_memory));
        /* Off by one byte: Mote must copy it rather than read misaligned weights. */
        uint8_t *odd = malloc(size + 1);
        memcpy(odd + 1, bytes, size);
        CHECK_OK(mote_model_load_memory(odd + 1, size, NULL, &misaligned));
        if (misaligned && !misaligned->failed) {
            CHECK(misaligned->bytes != odd + 1);
            check_constants_aligned(misaligned, names[i]);
        }
        if (from_memory && !from_memory->failed) CHECK(from_memory->bytes == aligned);
        if (!from_file->failed && !from_memory->failed && !misaligned->failed) {
            int32_t a, b, c;
            CHECK_OK(mote_model_subgraph_count(from_file, &a));
            CHECK_OK(mote_model_subgraph_count(from_memory, &b));
            CHECK_OK(mote_model_subgraph_count(misaligned, &c));
            CHECK(a >= 1 && a == b && a == c);
            CHECK_EQ_INT(total_ops(from_file), total_ops(misaligned));
            uint32_t version = 0;
            CHECK_OK(mote_model_schema_version(misaligned, &version));
            CHECK_EQ_INT(version, 3);
        }
        mote_model_destroy(misaligned);
        /* The caller's buffer may go once a misaligned copy was made; the aligned one must
         * stay until the model is destroyed. */
        free(odd);
        mote_model_destroy(from_memory);
        free(aligned);
        mote_model_destroy(from_file);
        free(bytes);
    }
    free_names(names, n);
}

/* ---- MANIFEST.md facts, for every model it lists ---- */

/* Splits a Markdown table row into trimmed cells; returns the count. */
static int split_row(char *line, char **cells, int max) {
    int n = 0;
    char *p = strchr(line, '|');
    while (p && n < max) {
        char *start = p + 1, *end = strchr(start, '|');
        if (!end) break;
        *end = 0;
        while (*start == ' ') start++;
        char *e = end;
        while (e > start && e[-1] == ' ') *--e = 0;
        cells[n++] = start;
        p = end;
    }
    return n;
}

/* How many operators named `want` the model runs, over all subgraphs ("CUSTOM:X" for a
 * custom op X). */
static int32_t count_ops_named(const mote_model *m, const char *want) {
    int32_t n = 0;
    for (int32_t s = 0; s < m->subgraph_count; s++)
        for (int32_t i = 0; i < m->subgraphs[s].op_count; i++) {
            const model_op *op = &m->subgraphs[s].ops[i];
            char name[256];
            if (op->builtin_code == MOTE_OP_CUSTOM)
                snprintf(name, sizeof name, "CUSTOM:%s", op->custom_name ? op->custom_name : "");
            else
                snprintf(name, sizeof name, "%s", model_op_name(op));
            n += strcmp(name, want) == 0;
        }
    return n;
}

/* Checks the "Operators used" cell ("ADD×10, CONV_2D×35, CUSTOM:X") against the model. */
static void check_ops_cell(const mote_model *m, const char *file, char *cell) {
    int32_t listed = 0;
    for (char *tok = strtok(cell, ","); tok; tok = strtok(NULL, ",")) {
        while (*tok == ' ') tok++;
        int32_t count = 1;
        char *times = strstr(tok, "\xc3\x97"); /* U+00D7 MULTIPLICATION SIGN */
        if (times) {
            *times = 0;
            count = atoi(times + 2);
        }
        listed += count;
        int32_t got = count_ops_named(m, tok);
        if (got != count) {
            fprintf(stderr, "%s: %d x %s, MANIFEST.md says %d\n", file, got, tok, count);
            test_failures++;
        }
    }
    CHECK_EQ_INT(total_ops(m), listed);
}

/* Checks "- Description string: "..."; metadata entries: a, b; signature keys: k." */
static void check_details_line(const mote_model *m, const char *file, char *line) {
    char *q = strchr(line, '"'), *q2 = q ? strstr(q + 1, "\";") : NULL;
    CHECK(q && q2);
    if (!q || !q2) return;
    *q2 = 0;
    const char *desc = NULL;
    CHECK_OK(mote_model_description(m, &desc));
    if (desc && strcmp(desc, q + 1) != 0) {
        fprintf(stderr, "%s: description '%s', MANIFEST.md says '%s'\n", file, desc, q + 1);
        test_failures++;
    }
    char *rest = q2 + 2;
    int32_t meta_count = -1;
    CHECK_OK(mote_model_metadata_count(m, &meta_count));
    char *meta = strstr(rest, "metadata entries: ");
    char *sig = strstr(rest, "signature keys: ");
    if (sig) {
        sig += strlen("signature keys: ");
        size_t len = strlen(sig);
        while (len && (sig[len - 1] == '.' || sig[len - 1] == '\n' || sig[len - 1] == '\r')) sig[--len] = 0;
    }
    if (strstr(rest, "no metadata entries")) {
        CHECK_EQ_INT(meta_count, 0);
    } else if (meta) {
        meta += strlen("metadata entries: ");
        char *end = strpbrk(meta, ";\n");
        if (end) *end = 0;
        size_t len = strlen(meta);
        if (len && meta[len - 1] == '.') meta[len - 1] = 0;
        int32_t i = 0;
        for (char *tok = strtok(meta, ","); tok; tok = strtok(NULL, ","), i++) {
            while (*tok == ' ') tok++;
            const char *name = NULL;
            if (i < meta_count) CHECK_OK(mote_model_metadata(m, i, &name, NULL, NULL));
            if (!name || strcmp(name, tok) != 0) {
                fprintf(stderr, "%s: metadata %d is '%s', MANIFEST.md says '%s'\n", file, i,
                        name ? name : "(none)", tok);
                test_failures++;
            }
        }
        CHECK_EQ_INT(meta_count, i);
    }
    int32_t keys = 0;
    if (sig) {
        for (char *tok = strtok(sig, ","); tok; tok = strtok(NULL, ","), keys++) {
            while (*tok == ' ') tok++;
            if (keys >= m->signature_count || strcmp(m->signatures[keys].key, tok) != 0) {
                fprintf(stderr, "%s: signature %d is not '%s'\n", file, keys, tok);
                test_failures++;
            }
        }
    }
    CHECK_EQ_INT(m->signature_count, keys);
}

static void test_manifest_facts(void) {
    size_t size;
    char *text = (char *)read_all(model_path("MANIFEST.md"), &size);
    CHECK(text != NULL);
    if (!text) return;
    text = realloc(text, size + 1);
    text[size] = 0;
    /* Lines first, so the checks may tokenize a line in place. */
    int line_count = 0;
    char **lines = malloc((size + 1) * sizeof *lines);
    for (char *p = text; *p;) {
        lines[line_count++] = p;
        char *nl = strchr(p, '\n');
        if (!nl) break;
        *nl = 0;
        p = nl + 1;
    }
    int rows = 0, details = 0;
    mote_model *current = NULL; /* the model of the "### `x.tflite`" section being read */
    char current_name[256] = "";
    for (int l = 0; l < line_count; l++) {
        char *line = lines[l];
        if (strncmp(line, "| `", 3) == 0 && strstr(line, ".tflite` |")) {
            char *cells[16];
            int n = split_row(line, cells, 16);
            CHECK(n >= 12);
            char file[256];
            snprintf(file, sizeof file, "%s", cells[0] + 1);
            char *tick = strchr(file, '`');
            if (tick) *tick = 0;
            mote_model *m = NULL;
            if (n >= 12 && mote_model_load_file(model_path(file), NULL, &m) == MOTE_OK) {
                rows++;
                int32_t sgs = 0;
                CHECK_OK(mote_model_subgraph_count(m, &sgs));
                CHECK_EQ_INT(sgs, atoi(cells[8]));
                check_ops_cell(m, file, cells[11]);
            } else {
                fprintf(stderr, "%s: %s\n", file, mote_model_error(m));
                test_failures++;
            }
            mote_model_destroy(m);
        } else if (strncmp(line, "### `", 5) == 0) {
            mote_model_destroy(current);
            current = NULL;
            snprintf(current_name, sizeof current_name, "%s", line + 5);
            char *tick = strchr(current_name, '`');
            if (tick) *tick = 0;
            if (mote_model_load_file(model_path(current_name), NULL, &current) != MOTE_OK) {
                fprintf(stderr, "%s: %s\n", current_name, mote_model_error(current));
                test_failures++;
                mote_model_destroy(current);
                current = NULL;
            }
        } else if (current && strncmp(line, "- Description string: ", 22) == 0) {
            details++;
            check_details_line(current, current_name, line);
        }
    }
    mote_model_destroy(current);
    CHECK_EQ_INT(rows, 38);
    CHECK_EQ_INT(details, 38);
    free(lines);
    free(text);
}

/* ---- specific facts ---- */

/* micro_speech_quantized stores some operator codes only in the byte-sized
 * deprecated_builtin_code, with builtin_code 0 (ADD). */
static void test_old_style_opcodes(void) {
    mote_model *m;
    CHECK_OK(mote_model_load_file(model_path("micro_speech_quantized.tflite"), NULL, &m));
    if (m->failed) {
        mote_model_destroy(m);
        return;
    }
    fb_table root = fb_root(m->fb);
    fb_vec codes = fb_vec_field(m->fb, root, TFL_MODEL_OPERATOR_CODES);
    int old_style = 0;
    for (uint32_t i = 0; i < codes.len; i++) {
        fb_table c = fb_vec_table(m->fb, codes, i);
        int32_t dep = fb_i8(m->fb, c, TFL_OPCODE_DEPRECATED_BUILTIN_CODE, 0);
        int32_t code = fb_i32(m->fb, c, TFL_OPCODE_BUILTIN_CODE, 0);
        old_style += code == 0 && dep > 0;
    }
    CHECK(old_style > 0); /* the file really is old-style */
    const char *expect[] = {"RESHAPE", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "SOFTMAX"};
    int32_t n = 0;
    CHECK_OK(mote_model_operator_count(m, 0, &n));
    CHECK_EQ_INT(n, 4);
    for (int32_t i = 0; i < n && i < 4; i++) {
        const char *name = NULL;
        CHECK_OK(mote_model_operator_name(m, 0, i, &name));
        CHECK(name && strcmp(name, expect[i]) == 0);
    }
    CHECK_EQ_INT(m->subgraphs[0].ops[1].builtin_code, MOTE_OP_DEPTHWISE_CONV_2D);
    CHECK_EQ_INT(count_ops_named(m, "ADD"), 0);
    mote_model_destroy(m);
}

static void test_model_facts_api(void) {
    mote_model *m;
    CHECK_OK(mote_model_load_file(model_path("multi_subgraphs_while.tflite"), NULL, &m));
    int32_t sgs = 0;
    CHECK_OK(mote_model_subgraph_count(m, &sgs));
    CHECK_EQ_INT(sgs, 3);
    if (sgs == 3) {
        CHECK(strcmp(m->subgraphs[0].name, "main") == 0);
        CHECK(strcmp(m->subgraphs[1].name, "while_cond") == 0);
        CHECK(strcmp(m->subgraphs[2].name, "while_body") == 0);
    }
    int32_t count;
    const char *name;
    CHECK_EQ_INT(mote_model_operator_count(m, 3, &count), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_model_operator_count(m, -1, &count), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_model_operator_name(m, 0, 1000, &name), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_model_operator_tensors(m, 0, 1000, NULL, NULL, NULL, NULL), MOTE_ERROR_INVALID_ARGUMENT);
    const int32_t *ins = NULL, *outs = NULL;
    int32_t n_in = -1, n_out = -1;
    CHECK_OK(mote_model_operator_tensors(m, 0, 0, &ins, &n_in, &outs, &n_out));
    CHECK_EQ_INT(n_in, m->subgraphs[0].ops[0].input_count);
    CHECK_EQ_INT(n_out, m->subgraphs[0].ops[0].output_count);
    CHECK(ins == m->subgraphs[0].ops[0].inputs && outs == m->subgraphs[0].ops[0].outputs);
    CHECK_EQ_INT(mote_model_metadata(m, 5, &name, NULL, NULL), MOTE_ERROR_INVALID_ARGUMENT);
    const void *data = NULL;
    size_t size = 0;
    CHECK_OK(mote_model_metadata(m, 0, &name, &data, &size));
    CHECK(strcmp(name, "min_runtime_version") == 0);
    CHECK(data != NULL && size > 0);
    CHECK_EQ_INT(mote_model_subgraph_count(m, NULL), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_model_subgraph_count(NULL, &count), MOTE_ERROR_INVALID_ARGUMENT);
    mote_model_destroy(m);

    /* A custom operator is named by its custom code. */
    CHECK_OK(mote_model_load_file(model_path("coco_ssd_mobilenet_v1_1.0_quant_2018_06_29.tflite"), NULL, &m));
    CHECK_EQ_INT(count_ops_named(m, "CUSTOM:TFLite_Detection_PostProcess"), 1);
    int found = 0;
    CHECK_OK(mote_model_operator_count(m, 0, &count));
    for (int32_t i = 0; i < count; i++)
        if (mote_model_operator_name(m, 0, i, &name) == MOTE_OK)
            found += strcmp(name, "TFLite_Detection_PostProcess") == 0;
    CHECK_EQ_INT(found, 1);
    mote_model_destroy(m);
}

/* Bytes after the FlatBuffer (zipped label files, as tflite-support appends) are ignored. */
static void test_appended_bytes_ignored(void) {
    size_t size;
    uint8_t *bytes = read_all(model_path("hello_world_float.tflite"), &size);
    CHECK(bytes != NULL);
    if (!bytes) return;
    size_t extra = 4099;
    uint8_t *big = aligned_alloc(64, (size + extra + 63) / 64 * 64);
    memcpy(big, bytes, size);
    memcpy(big + size, "PK\x03\x04", 4);
    for (size_t i = 4; i < extra; i++) big[size + i] = (uint8_t)(i * 7 + 1);
    mote_model *a, *b;
    CHECK_OK(mote_model_load_memory(bytes, size, NULL, &a));
    CHECK_OK(mote_model_load_memory(big, size + extra, NULL, &b));
    CHECK_EQ_INT(total_ops(a), total_ops(b));
    CHECK_EQ_INT(a->subgraphs[0].tensor_count, b->subgraphs[0].tensor_count);
    mote_model_destroy(a);
    mote_model_destroy(b);
    free(big);
    free(bytes);
    /* A model that really has such a trailer. */
    mote_model *m;
    CHECK_OK(mote_model_load_file(model_path("mobilenet_v1_0.25_224_quant.tflite"), NULL, &m));
    mote_model_destroy(m);
}

/* Either it loads, or it fails as a bad model with a message; never anything else. */
static void check_load_outcome(mote_status st, const mote_model *m, const char *what, size_t at) {
    if (st == MOTE_OK) return;
    int expected = st == MOTE_ERROR_INVALID_MODEL ||
                   (st == MOTE_ERROR_UNSUPPORTED && strstr(mote_model_error(m), "schema version"));
    if (!expected || !m || !mote_model_error(m)[0]) {
        fprintf(stderr, "%s (at %zu): status %d, message '%s'\n", what, at, st,
                m ? mote_model_error(m) : "(no model)");
        test_failures++;
    }
}

static void test_truncated_models(void) {
    const char *names[] = {"add.tflite", "hello_world_float.tflite", "multi_signatures.tflite",
                           "multi_subgraphs_while.tflite", "micro_speech_quantized.tflite",
                           "call_once_mul.tflite"};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        size_t size;
        uint8_t *bytes = read_all(model_path(names[k]), &size);
        CHECK(bytes != NULL);
        if (!bytes) continue;
        size_t step = size > 4000 ? 7 : 1;
        for (size_t n = 0; n < size; n += step) {
            uint8_t *copy = malloc(n ? n : 1); /* exactly n bytes: overreads are caught */
            memcpy(copy, bytes, n);
            mote_model *m = NULL;
            mote_status st = mote_model_load_memory(copy, n, NULL, &m);
            check_load_outcome(st, m, names[k], n);
            mote_model_destroy(m);
            free(copy);
        }
        free(bytes);
    }
}

static uint32_t next_random(uint32_t *state) {
    *state ^= *state << 13;
    *state ^= *state >> 17;
    *state ^= *state << 5;
    return *state;
}

/* A damaged model that still loads is run too: any status, with a message, but no crash
 * (the arena is capped: flipped shapes can ask for terabytes). Inputs are left as they
 * are: only robustness matters here. */
static void run_damaged(const mote_model *m, const char *name, int iter) {
    mote_options *o = NULL;
    mote_interpreter *it = NULL;
    CHECK_OK(mote_options_create(NULL, &o));
    CHECK_OK(mote_options_set_limit(o, MOTE_LIMIT_ARENA_BYTES, 64u << 20));
    CHECK_OK(mote_options_set_limit(o, MOTE_LIMIT_WHILE_ITERATIONS, 10000)); /* no endless loops */
    mote_status st = mote_interpreter_create(m, o, &it);
    if (st == MOTE_OK) st = mote_interpreter_allocate_tensors(it);
    if (st == MOTE_OK) st = mote_interpreter_invoke(it);
    if (st != MOTE_OK && !(it && mote_interpreter_error(it)[0])) {
        fprintf(stderr, "%s (mutation %d): status %d without a message\n", name, iter, st);
        test_failures++;
    }
    mote_interpreter_destroy(it);
    mote_options_destroy(o);
}

static void test_random_byte_flips(void) {
    const char *names[] = {"add.tflite", "hello_world_float.tflite", "multi_signatures.tflite",
                           "nested_while.tflite", "micro_speech_quantized.tflite",
                           "while_op_with_forwarding_input.tflite"};
    uint32_t seed = 0x2545F491u;
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        size_t size;
        uint8_t *bytes = read_all(model_path(names[k]), &size);
        CHECK(bytes != NULL);
        if (!bytes) continue;
        int loaded = 0;
        for (int iter = 0; iter < 1500; iter++) {
            uint8_t *copy = malloc(size);
            memcpy(copy, bytes, size);
            int flips = 1 + iter % 8;
            for (int f = 0; f < flips; f++) {
                uint32_t r = next_random(&seed);
                size_t at = r % size;
                /* Half the time a single bit, else a whole random byte. */
                if (iter & 1)
                    copy[at] ^= (uint8_t)(1u << ((r >> 24) & 7));
                else
                    copy[at] = (uint8_t)(r >> 24);
            }
            mote_model *m = NULL;
            mote_status st = mote_model_load_memory(copy, size, NULL, &m);
            check_load_outcome(st, m, names[k], (size_t)iter);
            loaded += st == MOTE_OK;
            if (st == MOTE_OK) run_damaged(m, names[k], iter);
            mote_model_destroy(m);
            free(copy);
        }
        CHECK(loaded > 0); /* flips in weights and names leave loadable files */
        free(bytes);
    }
}

/* ---- buffers stored outside the FlatBuffer ---- */

static const float ext_values[4] = {1.5f, -2.0f, 3.25f, 100.0f};

/* input[4] + constant[4] -> output[4]; the constant's bytes in buffer 1. */
static void build_external_model(fbgen *g, int external, uint64_t offset_override, uint32_t size) {
    tiny_tensor tensors[] = {
        {"input", MOTE_FLOAT32, 1, {4}, 0, 0},
        {"constant", MOTE_FLOAT32, 1, {4}, 1, 0},
        {"output", MOTE_FLOAT32, 1, {4}, 0, 0},
    };
    tiny_op ops[] = {{MOTE_OP_ADD, NULL, 2, {0, 1}, 1, {2}}};
    tiny_buffer buffers[] = {{NULL, 0, 0, 0}, {ext_values, size, external, offset_override}};
    int32_t in[] = {0}, out[] = {2};
    tiny_model m = {"external", 3, tensors, 1, ops, 2, buffers, 1, in, 1, out};
    tiny_model_build(g, &m);
}

static void test_external_buffers(void) {
    fbgen g;
    build_external_model(&g, 1, 0, sizeof ext_values);
    mote_model *m;
    CHECK_OK(mote_model_load_memory(g.p, g.n, NULL, &m));
    if (!m->failed) {
        const model_tensor *t = &m->subgraphs[0].tensors[1];
        CHECK(t->data != NULL);
        CHECK_EQ_INT(t->data_size, sizeof ext_values);
        /* Read in place, from after the FlatBuffer. */
        CHECK(t->data >= g.p && t->data + t->data_size <= g.p + g.n);
        CHECK(t->data && memcmp(t->data, ext_values, sizeof ext_values) == 0);
        CHECK_EQ_INT(m->buffers[1].size, sizeof ext_values);
    }
    mote_model_destroy(m);
    /* The same through a file. */
    char path[4096];
    int fd = make_temp(path, sizeof path);
    CHECK(fd >= 0);
    if (fd >= 0) {
        CHECK(write(fd, g.p, g.n) == (ssize_t)g.n);
        close(fd);
        CHECK_OK(mote_model_load_file(path, NULL, &m));
        if (!m->failed)
            CHECK(memcmp(m->subgraphs[0].tensors[1].data, ext_values, sizeof ext_values) == 0);
        mote_model_destroy(m);
        unlink(path);
    }
    /* The interpreter computes with it. */
    CHECK_OK(mote_model_load_memory(g.p, g.n, NULL, &m));
    mote_interpreter *it = NULL;
    CHECK_OK(mote_interpreter_create(m, NULL, &it));
    CHECK_OK(mote_interpreter_allocate_tensors(it));
    mote_tensor *in, *out;
    CHECK_OK(mote_interpreter_input(it, 0, &in));
    CHECK_OK(mote_interpreter_output(it, 0, &out));
    const float x[4] = {1, 2, 3, 4};
    float y[4] = {0};
    CHECK_OK(mote_tensor_copy_from(in, x, sizeof x));
    CHECK_OK(mote_interpreter_invoke(it));
    CHECK_OK(mote_tensor_copy_to(out, y, sizeof y));
    for (int i = 0; i < 4; i++) CHECK_NEAR(y[i], x[i] + ext_values[i], 0);
    mote_interpreter_destroy(it);
    mote_model_destroy(m);
    size_t good_size = g.n;
    fbg_free(&g);

    /* Offsets or sizes reaching outside the file are refused. */
    const uint64_t bad_offsets[] = {good_size, good_size - 8, 0xFFFFFFFFFFFFFFF0ull, 1ull << 40};
    for (size_t i = 0; i < sizeof bad_offsets / sizeof bad_offsets[0]; i++) {
        build_external_model(&g, 1, bad_offsets[i], sizeof ext_values);
        mote_model *bad = NULL;
        CHECK_EQ_INT(mote_model_load_memory(g.p, g.n, NULL, &bad), MOTE_ERROR_INVALID_MODEL);
        CHECK(strstr(mote_model_error(bad), "outside") != NULL);
        mote_model_destroy(bad);
        fbg_free(&g);
    }
    /* The stored data is shorter than the tensor: the interpreter refuses it. */
    build_external_model(&g, 1, 0, 8);
    CHECK_OK(mote_model_load_memory(g.p, g.n, NULL, &m));
    CHECK_EQ_INT(mote_interpreter_create(m, NULL, &it), MOTE_ERROR_INVALID_MODEL);
    CHECK(strstr(mote_interpreter_error(it), "constant") != NULL);
    mote_interpreter_destroy(it);
    mote_model_destroy(m);
    fbg_free(&g);
    /* Inline data (the usual case) built by the same helper, as a control. */
    build_external_model(&g, 0, 0, sizeof ext_values);
    CHECK_OK(mote_model_load_memory(g.p, g.n, NULL, &m));
    if (!m->failed) CHECK(memcmp(m->subgraphs[0].tensors[1].data, ext_values, sizeof ext_values) == 0);
    mote_model_destroy(m);
    fbg_free(&g);
}

/* ---- bad arguments and files ---- */

static void test_bad_arguments_and_files(void) {
    mote_model *m = (mote_model *)1;
    CHECK_EQ_INT(mote_model_load_file(NULL, NULL, &m), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK(m && mote_model_error(m)[0]);
    mote_model_destroy(m);
    CHECK_EQ_INT(mote_model_load_file("x", NULL, NULL), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(mote_model_load_memory(NULL, 10, NULL, &m), MOTE_ERROR_INVALID_ARGUMENT);
    mote_model_destroy(m);
    CHECK_EQ_INT(mote_model_load_memory("x", 1, NULL, NULL), MOTE_ERROR_INVALID_ARGUMENT);
    CHECK(strcmp(mote_model_error(NULL), "") != 0);
    mote_model_destroy(NULL);

    CHECK_EQ_INT(mote_model_load_file("/nonexistent/dir/model.tflite", NULL, &m), MOTE_ERROR_IO);
    CHECK(strstr(mote_model_error(m), "/nonexistent/dir/model.tflite") != NULL);
    /* A failed model supports only error and destroy. */
    int32_t count;
    CHECK_EQ_INT(mote_model_subgraph_count(m, &count), MOTE_ERROR_BAD_STATE);
    mote_interpreter *it = NULL;
    CHECK(mote_interpreter_create(m, NULL, &it) != MOTE_OK);
    CHECK(mote_interpreter_error(it)[0] != 0);
    mote_interpreter_destroy(it);
    mote_model_destroy(m);

    CHECK_EQ_INT(mote_model_load_file(".", NULL, &m), MOTE_ERROR_IO); /* a directory */
    mote_model_destroy(m);

    char path[4096];
    int fd = make_temp(path, sizeof path);
    CHECK(fd >= 0);
    if (fd >= 0) {
        close(fd);
        CHECK_EQ_INT(mote_model_load_file(path, NULL, &m), MOTE_ERROR_INVALID_MODEL);
        CHECK(mote_model_error(m)[0] != 0);
        mote_model_destroy(m);
        unlink(path);
    }
    CHECK_EQ_INT(mote_model_load_memory("TFL3", 0, NULL, &m), MOTE_ERROR_INVALID_MODEL);
    mote_model_destroy(m);
    static const uint8_t not_tflite[16] = {8, 0, 0, 0, 'N', 'O', 'P', 'E'};
    CHECK_EQ_INT(mote_model_load_memory(not_tflite, sizeof not_tflite, NULL, &m), MOTE_ERROR_INVALID_MODEL);
    CHECK(strstr(mote_model_error(m), "identifier") != NULL);
    mote_model_destroy(m);
}

/* Hand-built models need no shared assets; the real ones do. */
static const test_fn always_tests[] = {test_external_buffers, test_bad_arguments_and_files};
static const char *const always_names[] = {"test_external_buffers", "test_bad_arguments_and_files"};
static const test_fn shared_tests[] = {test_all_models_load,       test_manifest_facts,
                                       test_old_style_opcodes,     test_model_facts_api,
                                       test_appended_bytes_ignored, test_truncated_models,
                                       test_random_byte_flips};
static const char *const shared_names[] = {"test_all_models_load",       "test_manifest_facts",
                                           "test_old_style_opcodes",     "test_model_facts_api",
                                           "test_appended_bytes_ignored", "test_truncated_models",
                                           "test_random_byte_flips"};

int main(void) {
    int failed = test_run(always_names, always_tests, 2);
    if (!find_models()) {
        fprintf(stderr, "skip: shared models not found (set MOTE_SHARED to the shared assets)\n");
        return failed ? 1 : 77;
    }
    return test_run(shared_names, shared_tests, 7) || failed;
}
