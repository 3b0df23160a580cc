/* run_inputs.c — where `mote run` gets its inputs: the entry point's ports, raw files, a
 * golden-format folder (with resizing), or a seeded random generator. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "core/model.h"
#include "golden.h"
#include "kernels/kernel.h"
#include "run.h"

static int port_error(const run_state *rs, const char *what) {
    return cli_error("%s: %s: %s", rs->model_path, what, mote_interpreter_error(rs->interpreter));
}

static int bind_subgraph0(run_state *rs) {
    mote_interpreter *it = rs->interpreter;
    for (int32_t i = 0; i < rs->input_count; i++) {
        run_port *p = &rs->inputs[i];
        mote_tensor_info info;
        if (mote_interpreter_input(it, i, &p->tensor) || mote_tensor_get_info(p->tensor, &info))
            return port_error(rs, "reading the inputs");
        p->name = info.name;
        p->position = i;
    }
    for (int32_t i = 0; i < rs->output_count; i++) {
        run_port *p = &rs->outputs[i];
        mote_tensor_info info;
        if (mote_interpreter_output(it, i, &p->tensor) || mote_tensor_get_info(p->tensor, &info))
            return port_error(rs, "reading the outputs");
        p->name = info.name;
        p->position = i;
    }
    return CLI_EXIT_OK;
}

static int bind_signature(run_state *rs) {
    mote_interpreter *it = rs->interpreter;
    for (int side = 0; side < 2; side++) {
        int32_t n = side ? rs->output_count : rs->input_count;
        run_port *ports = side ? rs->outputs : rs->inputs;
        for (int32_t i = 0; i < n; i++) {
            run_port *p = &ports[i];
            if (mote_interpreter_signature_io_name(it, rs->signature, side, i, &p->name) ||
                mote_interpreter_signature_tensor(it, rs->signature, side, p->name, &p->tensor))
                return port_error(rs, "reading the signature");
            p->position = i;
        }
    }
    return CLI_EXIT_OK;
}

int run_bind_ports(run_state *rs) {
    mote_interpreter *it = rs->interpreter;
    const mote_model *m = rs->model;
    rs->subgraph = 0;
    if (rs->signature) {
        int32_t s = 0;
        while (s < m->signature_count && strcmp(m->signatures[s].key, rs->signature) != 0) s++;
        if (s == m->signature_count) {
            char keys[512] = "";
            size_t n = 0;
            for (int32_t k = 0; k < m->signature_count && n < sizeof keys; k++)
                n += (size_t)snprintf(keys + n, sizeof keys - n, "%s'%s'", k ? ", " : "",
                                      m->signatures[k].key);
            return cli_error("%s: no signature '%s' (the model has %s)", rs->model_path, rs->signature,
                             m->signature_count ? keys : "none");
        }
        rs->subgraph = m->signatures[s].subgraph;
        if (mote_interpreter_signature_io_count(it, rs->signature, 0, &rs->input_count) ||
            mote_interpreter_signature_io_count(it, rs->signature, 1, &rs->output_count))
            return port_error(rs, "reading the signature");
    } else if (mote_interpreter_input_count(it, &rs->input_count) ||
               mote_interpreter_output_count(it, &rs->output_count)) {
        return port_error(rs, "reading the inputs");
    }
    rs->inputs = calloc((size_t)rs->input_count + 1, sizeof *rs->inputs);
    rs->outputs = calloc((size_t)rs->output_count + 1, sizeof *rs->outputs);
    if (!rs->inputs || !rs->outputs) return cli_error("out of memory");
    return rs->signature ? bind_signature(rs) : bind_subgraph0(rs);
}

void run_free_ports(run_state *rs) {
    for (int32_t i = 0; rs->inputs && i < rs->input_count; i++) free(rs->inputs[i].data);
    free(rs->inputs);
    free(rs->outputs);
    rs->inputs = rs->outputs = NULL;
}

mote_status run_resize_input(run_state *rs, int32_t i, int32_t rank, const int32_t *dims) {
    if (rs->signature)
        return mote_interpreter_signature_resize_input(rs->interpreter, rs->signature, rs->inputs[i].name,
                                                       rank, dims);
    return mote_interpreter_resize_input(rs->interpreter, rs->inputs[i].position, rank, dims);
}

static int load_file(run_port *p, const char *path) {
    char err[512];
    if (cli_read_file(path, RUN_MAX_INPUT_BYTES, &p->data, &p->size, err, sizeof err))
        return cli_error("input %d ('%s'): %s", p->position, p->name, err);
    snprintf(p->source, sizeof p->source, "%s", path);
    return CLI_EXIT_OK;
}

int run_inputs_from_files(run_state *rs, char **files, int count) {
    if (count != rs->input_count)
        return cli_error("%s: %d input file%s given, the %s has %d input%s", rs->model_path, count,
                         count == 1 ? "" : "s", rs->signature ? "signature" : "model", rs->input_count,
                         rs->input_count == 1 ? "" : "s");
    for (int32_t i = 0; i < rs->input_count; i++) {
        int rc = load_file(&rs->inputs[i], files[i]);
        if (rc) return rc;
    }
    return CLI_EXIT_OK;
}

/* tensor_index in meta.json is an index in the subgraph the reference ran; it says which
 * of our tensors a file is for only when that subgraph is the one we run. */
static int same_subgraph(const run_state *rs, const golden_meta *meta) {
    int32_t ref = 0; /* no signature, or one the model lacks: subgraph 0 */
    if (meta->signature)
        for (int32_t s = 0; s < rs->model->signature_count; s++)
            if (strcmp(rs->model->signatures[s].key, meta->signature) == 0)
                ref = rs->model->signatures[s].subgraph;
    return ref == rs->subgraph;
}

/* The entry for a port: by tensor_index, or by name when indices do not apply (or an
 * entry has none). */
static const golden_entry *match(const golden_meta *meta, const run_port *p, int by_index) {
    mote_tensor_info info;
    mote_tensor_get_info(p->tensor, &info);
    for (int32_t k = 0; k < meta->input_count; k++) {
        const golden_entry *e = &meta->inputs[k];
        int same_name = strcmp(e->name, p->name) == 0 ||
                        (e->tensor_name[0] && strcmp(e->tensor_name, info.name) == 0);
        if (by_index && e->tensor_index >= 0 ? e->tensor_index == info.index : same_name) return e;
    }
    return NULL;
}

/* Checks the entry's dtype and resizes the input to the entry's shape when they differ. */
static int prepare_port(run_state *rs, run_port *p, const golden_entry *e, const char *dir) {
    mote_tensor_info info;
    mote_tensor_get_info(p->tensor, &info);
    if (e->dtype[0] && strcmp(e->dtype, mote_type_name(info.type)) != 0)
        return cli_error("%s/meta.json: input '%s' is %s, the model's input %d ('%s') is %s", dir, e->name,
                         e->dtype, p->position, p->name, mote_type_name(info.type));
    if (e->rank >= 0 &&
        (e->rank != info.rank || memcmp(e->dims, info.dims, (size_t)e->rank * sizeof(int32_t)) != 0)) {
        mote_status st = run_resize_input(rs, p->position, e->rank, e->dims);
        if (st) {
            char shape[128];
            cli_error("%s: resizing input %d ('%s') to %s: %s", rs->model_path, p->position, p->name,
                      cli_format_shape(e->rank, e->dims, shape, sizeof shape),
                      mote_interpreter_error(rs->interpreter));
            return cli_exit_code(st);
        }
    }
    return CLI_EXIT_OK;
}

int run_inputs_from_golden(run_state *rs, const char *dir) {
    golden_meta meta;
    char err[1024];
    if (golden_read(dir, &meta, err, sizeof err)) return cli_error("%s", err);
    int by_index = same_subgraph(rs, &meta);
    int rc = CLI_EXIT_OK;
    int32_t used = 0;
    for (int32_t i = 0; i < rs->input_count && rc == CLI_EXIT_OK; i++) {
        run_port *p = &rs->inputs[i];
        const golden_entry *e = match(&meta, p, by_index);
        if (!e) {
            rc = cli_error("%s/meta.json lists no file for input %d ('%s') (matched by %s)", dir, p->position,
                           p->name, by_index ? "tensor_index" : "name");
            break;
        }
        used++;
        if ((rc = prepare_port(rs, p, e, dir))) break;
        char *path = cli_path_join(dir, e->file);
        if (!path) {
            rc = cli_error("out of memory");
            break;
        }
        rc = load_file(p, path);
        free(path);
        if (rc) break;
        if (e->bytes >= 0 && (uint64_t)e->bytes != p->size)
            rc = cli_error("%s/%s has %zu bytes, meta.json says %lld", dir, e->file, p->size,
                           (long long)e->bytes);
    }
    if (rc == CLI_EXIT_OK && used != meta.input_count)
        rc = cli_error("%s/meta.json lists %d inputs, the %s has %d", dir, meta.input_count,
                       rs->signature ? "signature" : "model", rs->input_count);
    golden_free(&meta);
    return rc;
}

/* ---- random inputs: splitmix64, one stream per input so inputs do not depend on order
 * of generation of the others ---- */

static uint64_t next_u64(uint64_t *s) {
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Uniform in [-1, 1) with 24 random bits: exact in float32. */
static float next_unit(uint64_t *s) {
    return (float)((int32_t)(next_u64(s) >> 40) - (1 << 23)) / (float)(1 << 23);
}

static void fill_random(unsigned char *dst, size_t bytes, mote_type type, uint64_t *s) {
    size_t i = 0;
    switch (type) {
    case MOTE_FLOAT32:
    case MOTE_COMPLEX64:
        for (; i + 4 <= bytes; i += 4) {
            float v = next_unit(s);
            memcpy(dst + i, &v, 4);
        }
        return;
    case MOTE_FLOAT64:
    case MOTE_COMPLEX128:
        for (; i + 8 <= bytes; i += 8) {
            double v = (double)((int64_t)(next_u64(s) >> 11) - (1ll << 52)) / (double)(1ll << 52);
            memcpy(dst + i, &v, 8);
        }
        return;
    case MOTE_FLOAT16:
        for (; i + 2 <= bytes; i += 2) {
            uint16_t h = kernel_f32_to_f16(next_unit(s));
            memcpy(dst + i, &h, 2);
        }
        return;
    case MOTE_BFLOAT16:
        for (; i + 2 <= bytes; i += 2) {
            float v = next_unit(s);
            uint32_t u;
            memcpy(&u, &v, 4);
            uint16_t b = (uint16_t)(u >> 16); /* truncation: v has few enough bits to matter little */
            memcpy(dst + i, &b, 2);
        }
        return;
    case MOTE_BOOL:
        for (; i < bytes; i++) dst[i] = (unsigned char)(next_u64(s) >> 63);
        return;
    default: /* integers (and packed sub-byte integers): every bit pattern is a value */
        for (; i < bytes; i++) dst[i] = (unsigned char)(next_u64(s) >> 56);
        return;
    }
}

/* One random word of 1 to 8 lowercase letters per element, in the serialized string layout
 * (mote.h). */
static int random_strings(run_port *p, const mote_tensor_info *info, uint64_t *s) {
    size_t n = 1;
    for (int32_t d = 0; d < info->rank; d++) n *= (size_t)info->dims[d];
    if (n > (size_t)1 << 24) return -1;
    size_t header = 4 * (n + 2), size = header + 8 * n;
    unsigned char *buf = malloc(size);
    if (!buf) return -1;
    size_t at = header;
    for (size_t k = 0; k <= n; k++) {
        uint32_t offset = (uint32_t)at, count = (uint32_t)n;
        if (k == 0) memcpy(buf, &count, 4); /* little-endian hosts, as the rest of the tool */
        memcpy(buf + 4 + 4 * k, &offset, 4);
        if (k == n) break;
        size_t len = 1 + (size_t)(next_u64(s) % 8);
        for (size_t c = 0; c < len; c++) buf[at++] = (unsigned char)('a' + next_u64(s) % 26);
    }
    p->data = buf;
    p->size = at;
    snprintf(p->source, sizeof p->source, "random strings");
    return 0;
}

int run_inputs_random(run_state *rs, uint64_t seed) {
    for (int32_t i = 0; i < rs->input_count; i++) {
        run_port *p = &rs->inputs[i];
        if (p->data) continue;
        mote_tensor_info info;
        mote_tensor_get_info(p->tensor, &info);
        uint64_t s = seed * 0x2545F4914F6CDD1Dull + (uint64_t)i;
        if (info.type == MOTE_STRING) {
            if (random_strings(p, &info, &s)) return cli_error("out of memory for input %d", i);
            continue;
        }
        p->data = malloc(info.bytes ? info.bytes : 1);
        if (!p->data) return cli_error("out of memory for input %d (%zu bytes)", i, info.bytes);
        p->size = info.bytes;
        fill_random(p->data, p->size, info.type, &s);
        snprintf(p->source, sizeof p->source, "random data");
    }
    return CLI_EXIT_OK;
}

int run_copy_inputs(run_state *rs) {
    for (int32_t i = 0; i < rs->input_count; i++) {
        run_port *p = &rs->inputs[i];
        mote_tensor_info info;
        mote_tensor_get_info(p->tensor, &info);
        if (p->size != info.bytes && info.type != MOTE_STRING) { /* strings: sized by content */
            char shape[128];
            return cli_error("input %d ('%s'): %s has %zu bytes, the tensor (%s %s) needs %zu", i, p->name,
                             p->source, p->size, mote_type_name(info.type),
                             cli_format_shape(info.rank, info.dims, shape, sizeof shape), info.bytes);
        }
        mote_status st = mote_tensor_copy_from(p->tensor, p->data, p->size);
        if (st) {
            const char *why = mote_interpreter_error(rs->interpreter);
            return cli_error("input %d ('%s'): cannot set its data from %s (%s)%s%s", i, p->name, p->source,
                             mote_status_string(st), why[0] ? ": " : "", why);
        }
    }
    return CLI_EXIT_OK;
}
