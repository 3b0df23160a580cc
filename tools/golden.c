/* golden.c — reading and writing meta.json in the golden format (see golden.h). */
#include "golden.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char *opt_string(const json_value *obj, const char *key) {
    const char *s = json_string(json_get(obj, key));
    return s ? s : "";
}

/* A file name from meta.json must stay inside the folder. */
static int plain_file_name(const char *s) {
    return s[0] && strcmp(s, ".") != 0 && strcmp(s, "..") != 0 && !strchr(s, '/') && !strchr(s, '\\');
}

static int read_entry(const json_value *v, const char *what, size_t i, golden_entry *e, char *err,
                      size_t err_size) {
    if (!v || v->type != JSON_OBJECT) {
        snprintf(err, err_size, "%s[%zu] is not an object", what, i);
        return -1;
    }
    e->file = opt_string(v, "file");
    if (!plain_file_name(e->file)) {
        snprintf(err, err_size, "%s[%zu]: \"file\" must be a file name in the folder", what, i);
        return -1;
    }
    e->name = opt_string(v, "name");
    e->tensor_name = opt_string(v, "tensor_name");
    e->dtype = opt_string(v, "dtype");
    int64_t n;
    const json_value *ti = json_get(v, "tensor_index");
    e->tensor_index = -1;
    if (ti && ti->type != JSON_NULL) {
        if (json_int(ti, 0, INT32_MAX, &n)) {
            snprintf(err, err_size, "%s[%zu]: \"tensor_index\" is not a tensor index", what, i);
            return -1;
        }
        e->tensor_index = (int32_t)n;
    }
    const json_value *b = json_get(v, "bytes");
    e->bytes = -1;
    if (b && b->type != JSON_NULL) {
        if (json_int(b, 0, INT64_MAX / 2, &n)) {
            snprintf(err, err_size, "%s[%zu]: \"bytes\" is not a byte count", what, i);
            return -1;
        }
        e->bytes = n;
    }
    const json_value *shape = json_get(v, "shape");
    e->rank = -1;
    if (shape && shape->type != JSON_NULL) {
        if (shape->type != JSON_ARRAY || shape->count > MOTE_MAX_DIMS) {
            snprintf(err, err_size, "%s[%zu]: \"shape\" is not a shape of rank <= %d", what, i,
                     MOTE_MAX_DIMS);
            return -1;
        }
        for (size_t d = 0; d < shape->count; d++) {
            if (json_int(json_at(shape, d), 0, INT32_MAX, &n)) {
                snprintf(err, err_size, "%s[%zu]: shape dimension %zu is not a size", what, i, d);
                return -1;
            }
            e->dims[d] = (int32_t)n;
        }
        e->rank = (int32_t)shape->count;
    }
    return 0;
}

static int read_list(golden_meta *meta, const char *key, golden_entry **out, int32_t *count, char *err,
                     size_t err_size) {
    const json_value *list = json_get(meta->doc.root, key);
    *out = NULL;
    *count = 0;
    if (!list) return 0;
    if (list->type != JSON_ARRAY || list->count > 65536) {
        snprintf(err, err_size, "\"%s\" is not a list of tensors", key);
        return -1;
    }
    if (list->count == 0) return 0;
    *out = calloc(list->count, sizeof **out);
    if (!*out) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    *count = (int32_t)list->count;
    for (size_t i = 0; i < list->count; i++)
        if (read_entry(json_at(list, i), key, i, &(*out)[i], err, err_size)) return -1;
    return 0;
}

int golden_read(const char *dir, golden_meta *meta, char *err, size_t err_size) {
    memset(meta, 0, sizeof *meta);
    char *path = cli_path_join(dir, "meta.json");
    if (!path) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    unsigned char *text;
    size_t size;
    char why[512];
    int rc = -1;
    if (cli_read_file(path, GOLDEN_META_MAX_BYTES, &text, &size, why, sizeof why)) {
        snprintf(err, err_size, "%s", why);
        free(path);
        return -1;
    }
    if (json_parse((const char *)text, size, &meta->doc, why, sizeof why)) {
        snprintf(err, err_size, "%s: %s", path, why);
    } else if (meta->doc.root->type != JSON_OBJECT) {
        snprintf(err, err_size, "%s: not a JSON object", path);
    } else {
        meta->signature = json_string(json_get(meta->doc.root, "signature"));
        if (read_list(meta, "inputs", &meta->inputs, &meta->input_count, why, sizeof why) ||
            read_list(meta, "outputs", &meta->outputs, &meta->output_count, why, sizeof why))
            snprintf(err, err_size, "%s: %s", path, why);
        else
            rc = 0;
    }
    free(text);
    free(path);
    if (rc) golden_free(meta);
    return rc;
}

void golden_free(golden_meta *meta) {
    if (!meta) return;
    free(meta->inputs);
    free(meta->outputs);
    json_free(&meta->doc);
    memset(meta, 0, sizeof *meta);
}

/* ---- writing ---- */

static void write_quantization(json_writer *w, const mote_quantization *q) {
    if (q->count <= 0) {
        jw_null(w);
        return;
    }
    jw_object_begin(w);
    jw_key(w, "scale");
    jw_array_begin(w, 1);
    for (int32_t i = 0; i < q->count; i++) jw_float(w, q->scales[i]);
    jw_array_end(w);
    jw_key(w, "zero_point");
    jw_array_begin(w, 1);
    for (int32_t i = 0; i < q->count; i++) jw_int(w, q->zero_points[i]);
    jw_array_end(w);
    jw_key(w, "quantized_dimension");
    jw_int(w, q->quantized_dimension);
    jw_object_end(w);
}

static void write_ports(json_writer *w, const char *prefix, const golden_port *ports, int32_t count) {
    jw_array_begin(w, 0);
    for (int32_t i = 0; i < count; i++) {
        const mote_tensor_info *t = &ports[i].info;
        char file[32];
        snprintf(file, sizeof file, "%s%d.bin", prefix, i);
        jw_object_begin(w);
        jw_key(w, "index");
        jw_int(w, i);
        jw_key(w, "file");
        jw_string(w, file);
        jw_key(w, "name");
        jw_string(w, ports[i].name);
        jw_key(w, "tensor_index");
        jw_int(w, t->index);
        jw_key(w, "tensor_name");
        jw_string(w, t->name);
        jw_key(w, "dtype");
        jw_string(w, mote_type_name(t->type));
        jw_key(w, "shape");
        jw_array_begin(w, 1);
        for (int32_t d = 0; d < t->rank; d++) jw_int(w, t->dims[d]);
        jw_array_end(w);
        jw_key(w, "bytes");
        jw_int(w, (int64_t)t->bytes);
        jw_key(w, "quantization");
        write_quantization(w, &t->quantization);
        jw_object_end(w);
    }
    jw_array_end(w);
}

int golden_write_meta(const char *dir, const golden_run *run, const golden_port *inputs,
                      int32_t input_count, const golden_port *outputs, int32_t output_count) {
    char *path = cli_path_join(dir, "meta.json");
    if (!path) {
        errno = ENOMEM;
        return -1;
    }
    FILE *f = fopen(path, "w");
    free(path);
    if (!f) return -1;
    json_writer w;
    jw_init(&w, f);
    jw_object_begin(&w);
    jw_key(&w, "model");
    jw_string(&w, run->model);
    jw_key(&w, "model_bytes");
    jw_int(&w, (int64_t)run->model_bytes);
    jw_key(&w, "runtime");
    jw_object_begin(&w);
    jw_key(&w, "name");
    jw_string(&w, "mote");
    jw_key(&w, "version");
    jw_string(&w, MOTE_VERSION_STRING);
    jw_key(&w, "variant");
    jw_string(&w, run->reference_kernels ? "reference-kernels" : "default");
    jw_key(&w, "threads");
    jw_int(&w, run->threads);
    jw_object_end(&w);
    jw_key(&w, "signature");
    if (run->signature) jw_string(&w, run->signature);
    else jw_null(&w);
    jw_key(&w, "input_source");
    jw_object_begin(&w);
    jw_key(&w, "kind");
    jw_string(&w, run->input_source);
    if (run->random_seed >= 0) {
        jw_key(&w, "random_seed");
        jw_int(&w, run->random_seed);
    }
    jw_object_end(&w);
    jw_key(&w, "inputs");
    write_ports(&w, "in", inputs, input_count);
    jw_key(&w, "outputs");
    write_ports(&w, "out", outputs, output_count);
    jw_key(&w, "invoke_ms");
    jw_double(&w, round(run->invoke_ms * 1e3) / 1e3); /* microseconds are enough */
    jw_object_end(&w);
    int rc = jw_finish(&w);
    int saved = errno;
    if (fclose(f) != 0) rc = -1;
    else if (rc) errno = saved ? saved : EIO;
    return rc;
}
