/* tflite_writer.c — the mote_writer API: validates every argument and keeps a copy of the
 * model being built (operators are added by tflite_writer_op.c); tflite_writer_emit.c
 * turns it into a .tflite FlatBuffer.
 *
 * The writer is fed by fuzzers and test generators, so nothing is trusted: every index is
 * checked against the current subgraph, every size against the type and shape, and a call
 * that fails changes nothing (the writer stays usable). */
#include "format/tflite_writer.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/model.h"

/* The loader rejects tensors of higher rank. */
#define WRITER_MAX_RANK 64

/* ---- owned memory ---- */

/* Keeps the 16-byte alignment of the blocks behind it. */
#define BLOCK_HEADER 16

void *writer_alloc(mote_writer *w, size_t size) {
    size_t total;
    if (size == 0 || mote_add_size(size, BLOCK_HEADER, &total)) return NULL;
    uint8_t *p = mote_alloc(&w->alloc, total);
    if (!p) return NULL;
    memcpy(p, &total, sizeof total);
    return p + BLOCK_HEADER;
}

void writer_free(mote_writer *w, void *p) {
    if (!p) return;
    uint8_t *block = (uint8_t *)p - BLOCK_HEADER;
    size_t total;
    memcpy(&total, block, sizeof total);
    mote_free(&w->alloc, block, total);
}

/* A copy of size bytes of src, or NULL for 0 bytes; sets *failed when out of memory. */
void *writer_dup(mote_writer *w, const void *src, size_t size, int *failed) {
    if (size == 0) return NULL;
    void *p = writer_alloc(w, size);
    if (!p) {
        *failed = 1;
        return NULL;
    }
    memcpy(p, src, size);
    return p;
}

char *writer_dup_str(mote_writer *w, const char *s, int *failed) {
    return s ? writer_dup(w, s, strlen(s) + 1, failed) : NULL;
}

int32_t *writer_dup_i32(mote_writer *w, const int32_t *v, int32_t n, int *failed) {
    return writer_dup(w, v, (size_t)n * sizeof(int32_t), failed);
}

/* Room for one more item in a growable list: returns the (possibly moved) items, or NULL. */
void *writer_grow(mote_writer *w, void *items, int32_t *cap, int32_t count, size_t elem) {
    if (count < *cap) return items;
    if (count >= WRITER_MAX_ITEMS) return NULL;
    int32_t new_cap = *cap ? (*cap > WRITER_MAX_ITEMS / 2 ? WRITER_MAX_ITEMS : *cap * 2) : 8;
    size_t bytes;
    if (mote_mul_size((size_t)new_cap, elem, &bytes)) return NULL;
    uint8_t *p = writer_alloc(w, bytes);
    if (!p) return NULL;
    if (count) memcpy(p, items, (size_t)count * elem);
    memset(p + (size_t)count * elem, 0, bytes - (size_t)count * elem);
    writer_free(w, items);
    *cap = new_cap;
    return p;
}

mote_status writer_fail(mote_writer *w, mote_status status, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->error, sizeof w->error, fmt, ap);
    va_end(ap);
    return status;
}

mote_status writer_oom(mote_writer *w, const char *place) {
    return writer_fail(w, MOTE_ERROR_OUT_OF_MEMORY, "%s: out of memory", place);
}

mote_status writer_grow_failed(mote_writer *w, int32_t count, const char *place) {
    if (count >= WRITER_MAX_ITEMS)
        return writer_fail(w, MOTE_ERROR_LIMIT, "%s: a list cannot hold more than %d entries",
                           place, WRITER_MAX_ITEMS);
    return writer_oom(w, place);
}

/* ---- freeing ---- */

static void free_tensor(mote_writer *w, w_tensor *t) {
    writer_free(w, t->name);
    writer_free(w, t->dims);
    writer_free(w, t->data);
    writer_free(w, t->sig_dims);
    writer_free(w, t->scales);
    writer_free(w, t->zero_points);
}

void writer_free_op(mote_writer *w, w_op *op) {
    writer_free(w, op->inputs);
    writer_free(w, op->outputs);
    writer_free(w, op->intermediates);
    for (int32_t i = 0; i < op->field_count; i++) {
        writer_free(w, op->fields[i].ints);
        writer_free(w, op->fields[i].str);
    }
    writer_free(w, op->fields);
    writer_free(w, op->custom_options);
}

static void free_signature(mote_writer *w, w_signature *s) {
    writer_free(w, s->key);
    for (int32_t i = 0; i < s->input_count; i++) writer_free(w, s->inputs[i].name);
    for (int32_t i = 0; i < s->output_count; i++) writer_free(w, s->outputs[i].name);
    writer_free(w, s->inputs);
    writer_free(w, s->outputs);
}

void mote_writer_destroy(mote_writer *w) {
    if (!w) return;
    for (int32_t s = 0; s < w->subgraph_count; s++) {
        w_subgraph *g = &w->subgraphs[s];
        for (int32_t i = 0; i < g->tensor_count; i++) free_tensor(w, &g->tensors[i]);
        for (int32_t i = 0; i < g->op_count; i++) writer_free_op(w, &g->ops[i]);
        writer_free(w, g->tensors);
        writer_free(w, g->ops);
        writer_free(w, g->inputs);
        writer_free(w, g->outputs);
        writer_free(w, g->name);
    }
    writer_free(w, w->subgraphs);
    for (int32_t i = 0; i < w->opcode_count; i++) writer_free(w, w->opcodes[i].custom_name);
    writer_free(w, w->opcodes);
    for (int32_t i = 0; i < w->signature_count; i++) free_signature(w, &w->signatures[i]);
    writer_free(w, w->signatures);
    for (int32_t i = 0; i < w->metadata_count; i++) {
        writer_free(w, w->metadata[i].name);
        writer_free(w, w->metadata[i].data);
    }
    writer_free(w, w->metadata);
    writer_free(w, w->description);
    fbb_release(&w->fbb);
    mote_allocator a = w->alloc;
    mote_free(&a, w, sizeof *w);
}

/* ---- writer and subgraphs ---- */

static mote_status new_subgraph(mote_writer *w, const char *name, const char *call) {
    w_subgraph *s = writer_grow(w, w->subgraphs, &w->subgraph_cap, w->subgraph_count, sizeof *s);
    if (!s) return writer_grow_failed(w, w->subgraph_count, call);
    w->subgraphs = s;
    int failed = 0;
    char *copy = writer_dup_str(w, name, &failed);
    if (failed) return writer_oom(w, call);
    memset(&s[w->subgraph_count], 0, sizeof *s);
    s[w->subgraph_count].name = copy;
    w->current = w->subgraph_count++;
    w->serialized = 0;
    return MOTE_OK;
}

mote_status mote_writer_create(const mote_allocator *allocator, mote_writer **out) {
    if (!out) return MOTE_ERROR_INVALID_ARGUMENT;
    *out = NULL;
    mote_allocator a = mote_allocator_or_default(allocator);
    mote_writer *w = mote_alloc(&a, sizeof *w);
    if (!w) return MOTE_ERROR_OUT_OF_MEMORY;
    memset(w, 0, sizeof *w);
    w->alloc = a;
    fbb_init(&w->fbb, &a);
    if (new_subgraph(w, NULL, "mote_writer_create")) {
        mote_writer_destroy(w);
        return MOTE_ERROR_OUT_OF_MEMORY;
    }
    *out = w;
    return MOTE_OK;
}

const char *mote_writer_error(const mote_writer *w) { return w ? w->error : "writer is NULL"; }

mote_status mote_writer_set_description(mote_writer *w, const char *description) {
    WRITER_BEGIN(w);
    int failed = 0;
    char *copy = writer_dup_str(w, description, &failed);
    if (failed) return writer_oom(w, "set_description");
    writer_free(w, w->description);
    w->description = copy;
    w->serialized = 0;
    return MOTE_OK;
}

mote_status mote_writer_add_subgraph(mote_writer *w, const char *name, int32_t *index) {
    WRITER_BEGIN(w);
    mote_status st = new_subgraph(w, name, "add_subgraph");
    if (st == MOTE_OK && index) *index = w->current;
    return st;
}

mote_status mote_writer_select_subgraph(mote_writer *w, int32_t index) {
    WRITER_BEGIN(w);
    if (index < 0 || index >= w->subgraph_count)
        return writer_fail(w, MOTE_ERROR_INVALID_ARGUMENT,
                           "select_subgraph: subgraph %d is out of range (%d subgraphs)", index,
                           w->subgraph_count);
    w->current = index;
    return MOTE_OK;
}

/* ---- tensors ---- */

static const char *tensor_label(const w_tensor *t) { return t->name ? t->name : "(unnamed)"; }

/* The tensor of the current subgraph, or NULL with the error recorded. */
static w_tensor *get_tensor(mote_writer *w, int32_t index, const char *call) {
    w_subgraph *s = &w->subgraphs[w->current];
    if (index < 0 || index >= s->tensor_count) {
        writer_fail(w, MOTE_ERROR_INVALID_ARGUMENT,
                    "%s: tensor %d is out of range (subgraph %d has %d tensors)", call, index,
                    w->current, s->tensor_count);
        return NULL;
    }
    return &s->tensors[index];
}

mote_status mote_writer_add_tensor(mote_writer *w, const char *name, mote_type type, int32_t rank,
                                   const int32_t *dims, const void *data, size_t data_size,
                                   int32_t *index) {
    WRITER_BEGIN(w);
    const char *label = name ? name : "(unnamed)";
    int32_t sg = w->current;
    if ((int)type < 0 || type > MOTE_FLOAT8_E5M2)
        return writer_fail(w, MOTE_ERROR_INVALID_ARGUMENT,
                           "add_tensor '%s' (subgraph %d): type %d is not a TensorType (0..%d)",
                           label, sg, (int)type, (int)MOTE_FLOAT8_E5M2);
    if (rank < 0 || rank > WRITER_MAX_RANK)
        return writer_fail(w, MOTE_ERROR_INVALID_ARGUMENT,
                           "add_tensor '%s' (subgraph %d): rank %d is outside 0..%d", label, sg,
                           rank, WRITER_MAX_RANK);
    if (rank > 0 && !dims)
        return writer_fail(w, MOTE_ERROR_INVALID_ARGUMENT,
                           "add_tensor '%s' (subgraph %d): rank %d needs dims", label, sg, rank);
    for (int32_t i = 0; i < rank; i++)
        if (dims[i] < 0)
            return writer_fail(w, MOTE_ERROR_INVALID_ARGUMENT,
                               "add_tensor '%s' (subgraph %d): dimension %d is %d; shapes hold "
                               "sizes >= 0 (-1 belongs in the shape signature)",
                               label, sg, i, dims[i]);
    if (!data && data_size)
        return writer_fail(w, MOTE_ERROR_INVALID_ARGUMENT,
                           "add_tensor '%s' (subgraph %d): data is NULL but data_size is %zu", label,
                           sg, data_size);
    if (data && data_size > FBB_MAX_SIZE)
        return writer_fail(w, MOTE_ERROR_LIMIT,
                           "add_tensor '%s' (subgraph %d): %zu bytes do not fit in a FlatBuffer",
                           label, sg, data_size);
    /* Fixed-size and packed sub-byte types must match the shape exactly; strings and
     * resources have no size the shape implies. */
    size_t expected;
    int sized = mote_type_bytes(type) != 0 || type == MOTE_INT4 || type == MOTE_UINT4 ||
                type == MOTE_INT2;
    if (data && sized) {
        if (mote_dense_bytes(type, rank, dims, &expected))
            return writer_fail(w, MOTE_ERROR_LIMIT,
                               "add_tensor '%s' (subgraph %d): the shape's byte size overflows",
                               label, sg);
        if (expected != data_size)
            return writer_fail(w, MOTE_ERROR_INVALID_ARGUMENT,
                               "add_tensor '%s' (subgraph %d): %zu bytes of data, but a %s tensor "
                               "of this shape takes %zu",
                               label, sg, data_size, mote_type_name(type), expected);
    }
    w_subgraph *s = &w->subgraphs[sg];
    w_tensor *list = writer_grow(w, s->tensors, &s->tensor_cap, s->tensor_count, sizeof *list);
    if (!list) return writer_grow_failed(w, s->tensor_count, "add_tensor");
    s->tensors = list;
    w_tensor t;
    memset(&t, 0, sizeof t);
    t.type = type;
    t.rank = rank;
    t.is_constant = data != NULL;
    t.data_size = data ? data_size : 0;
    t.sig_rank = -1;
    int failed = 0;
    t.name = writer_dup_str(w, name, &failed);
    t.dims = writer_dup_i32(w, dims, rank, &failed);
    t.data = writer_dup(w, data, t.data_size, &failed);
    if (failed) {
        free_tensor(w, &t);
        return writer_oom(w, "add_tensor");
    }
    list[s->tensor_count] = t;
    if (index) *index = s->tensor_count;
    s->tensor_count++;
    w->serialized = 0;
    return MOTE_OK;
}

mote_status mote_writer_set_quantization(mote_writer *w, int32_t tensor, int32_t count,
                                         const float *scales, const int64_t *zero_points,
                                         int32_t quantized_dimension) {
    WRITER_BEGIN(w);
    w_tensor *t = get_tensor(w, tensor, "set_quantization");
    if (!t) return MOTE_ERROR_INVALID_ARGUMENT;
    const char *label = tensor_label(t);
    if (count < 0 || (count > 0 && !scales))
        return writer_fail(w, MOTE_ERROR_INVALID_ARGUMENT,
                           "set_quantization: tensor %d '%s': %d scales%s", tensor, label, count,
                           count < 0 ? " (must be >= 0)" : " but scales is NULL");
    if (count > 0) {
        int bad_dim = t->rank > 0 ? (quantized_dimension < 0 || quantized_dimension >= t->rank)
                                  : quantized_dimension != 0;
        if (bad_dim)
            return writer_fail(w, MOTE_ERROR_INVALID_ARGUMENT,
                               "set_quantization: tensor %d '%s': quantized_dimension %d is outside "
                               "its rank %d",
                               tensor, label, quantized_dimension, t->rank);
        if (count > 1 && (t->rank == 0 || t->dims[quantized_dimension] != count))
            return writer_fail(w, MOTE_ERROR_INVALID_ARGUMENT,
                               "set_quantization: tensor %d '%s': %d scales, but dimension %d has "
                               "%d channels (per-channel needs one per channel, per-tensor one)",
                               tensor, label, count, quantized_dimension,
                               t->rank ? t->dims[quantized_dimension] : 0);
    }
    float *s = NULL;
    int64_t *z = NULL;
    if (count > 0) {
        s = writer_alloc(w, (size_t)count * sizeof *s);
        z = writer_alloc(w, (size_t)count * sizeof *z);
        if (!s || !z) {
            writer_free(w, s);
            writer_free(w, z);
            return writer_oom(w, "set_quantization");
        }
        memcpy(s, scales, (size_t)count * sizeof *s);
        for (int32_t i = 0; i < count; i++) z[i] = zero_points ? zero_points[i] : 0;
    }
    writer_free(w, t->scales);
    writer_free(w, t->zero_points);
    t->scales = s;
    t->zero_points = z;
    t->quant_count = count;
    t->quantized_dimension = count > 0 ? quantized_dimension : 0;
    w->serialized = 0;
    return MOTE_OK;
}

mote_status mote_writer_set_shape_signature(mote_writer *w, int32_t tensor, int32_t rank,
                                            const int32_t *dims) {
    WRITER_BEGIN(w);
    w_tensor *t = get_tensor(w, tensor, "set_shape_signature");
    if (!t) return MOTE_ERROR_INVALID_ARGUMENT;
    const char *label = tensor_label(t);
    if (rank != t->rank || (rank > 0 && !dims))
        return writer_fail(w, MOTE_ERROR_INVALID_ARGUMENT,
                           "set_shape_signature: tensor %d '%s': rank %d %s", tensor, label, rank,
                           rank != t->rank ? "differs from the tensor's rank" : "needs dims");
    /* A static dimension of the signature is the shape's; only -1 may differ. */
    for (int32_t i = 0; i < rank; i++)
        if (dims[i] != -1 && dims[i] != t->dims[i])
            return writer_fail(w, MOTE_ERROR_INVALID_ARGUMENT,
                               "set_shape_signature: tensor %d '%s': dimension %d is %d; expected "
                               "-1 (dynamic) or the shape's %d",
                               tensor, label, i, dims[i], t->dims[i]);
    int failed = 0;
    int32_t *copy = writer_dup_i32(w, dims, rank, &failed);
    if (failed) return writer_oom(w, "set_shape_signature");
    writer_free(w, t->sig_dims);
    t->sig_dims = copy;
    t->sig_rank = rank;
    w->serialized = 0;
    return MOTE_OK;
}

mote_status mote_writer_set_variable(mote_writer *w, int32_t tensor, int is_variable) {
    WRITER_BEGIN(w);
    w_tensor *t = get_tensor(w, tensor, "set_variable");
    if (!t) return MOTE_ERROR_INVALID_ARGUMENT;
    t->is_variable = is_variable != 0;
    w->serialized = 0;
    return MOTE_OK;
}

/* Checks a list of tensor indices of subgraph sg; -1 passes when optional is set. */
mote_status writer_check_indices(mote_writer *w, int32_t sg, const int32_t *idx, int32_t count,
                                 int optional, const char *place, const char *what) {
    int32_t limit = w->subgraphs[sg].tensor_count;
    if (count < 0 || (count > 0 && !idx))
        return writer_fail(w, MOTE_ERROR_INVALID_ARGUMENT, "%s: %d %ss%s", place, count, what,
                           count < 0 ? " (must be >= 0)" : " but the list is NULL");
    for (int32_t i = 0; i < count; i++) {
        if (idx[i] == -1 && optional) continue;
        if (idx[i] < 0 || idx[i] >= limit)
            return writer_fail(w, MOTE_ERROR_INVALID_ARGUMENT,
                               "%s: %s %d is tensor %d, out of range (subgraph %d has %d tensors)%s",
                               place, what, i, idx[i], sg, limit,
                               optional ? "; -1 marks an omitted input" : "");
    }
    return MOTE_OK;
}

static mote_status set_io(mote_writer *w, int32_t count, const int32_t *tensors, int outputs) {
    const char *call = outputs ? "set_outputs" : "set_inputs";
    mote_status st =
        writer_check_indices(w, w->current, tensors, count, 0, call, outputs ? "output" : "input");
    if (st) return st;
    int failed = 0;
    int32_t *copy = writer_dup_i32(w, tensors, count, &failed);
    if (failed) return writer_oom(w, call);
    w_subgraph *s = &w->subgraphs[w->current];
    writer_free(w, outputs ? s->outputs : s->inputs);
    if (outputs) {
        s->outputs = copy;
        s->output_count = count;
    } else {
        s->inputs = copy;
        s->input_count = count;
    }
    w->serialized = 0;
    return MOTE_OK;
}

mote_status mote_writer_set_inputs(mote_writer *w, int32_t count, const int32_t *tensors) {
    WRITER_BEGIN(w);
    return set_io(w, count, tensors, 0);
}

mote_status mote_writer_set_outputs(mote_writer *w, int32_t count, const int32_t *tensors) {
    WRITER_BEGIN(w);
    return set_io(w, count, tensors, 1);
}

/* ---- signatures and metadata ---- */

/* Validates and copies one side of a signature. */
static mote_status copy_signature_io(mote_writer *w, int32_t sg, int32_t count,
                                     const char *const *names, const int32_t *tensors,
                                     w_signature_io **out, const char *place, const char *what) {
    *out = NULL;
    if (count > 0 && !names)
        return writer_fail(w, MOTE_ERROR_INVALID_ARGUMENT, "%s: %d %ss but the names are NULL",
                           place, count, what);
    mote_status st = writer_check_indices(w, sg, tensors, count, 0, place, what);
    if (st) return st;
    for (int32_t i = 0; i < count; i++) {
        if (!names[i])
            return writer_fail(w, MOTE_ERROR_INVALID_ARGUMENT, "%s: %s %d has no name", place, what, i);
        for (int32_t j = 0; j < i; j++)
            if (strcmp(names[i], names[j]) == 0)
                return writer_fail(w, MOTE_ERROR_INVALID_ARGUMENT, "%s: %s name '%s' appears twice",
                                   place, what, names[i]);
    }
    if (count <= 0) return MOTE_OK; /* negative counts were refused above */
    w_signature_io *io = writer_alloc(w, (size_t)count * sizeof *io);
    if (!io) return writer_oom(w, place);
    memset(io, 0, (size_t)count * sizeof *io);
    int failed = 0;
    for (int32_t i = 0; i < count; i++) {
        io[i].tensor = tensors[i];
        io[i].name = writer_dup_str(w, names[i], &failed);
    }
    if (failed) {
        for (int32_t i = 0; i < count; i++) writer_free(w, io[i].name);
        writer_free(w, io);
        return writer_oom(w, place);
    }
    *out = io;
    return MOTE_OK;
}

mote_status mote_writer_add_signature(mote_writer *w, const char *key, int32_t subgraph,
                                      int32_t input_count, const char *const *input_names,
                                      const int32_t *input_tensors, int32_t output_count,
                                      const char *const *output_names,
                                      const int32_t *output_tensors) {
    WRITER_BEGIN(w);
    char place[160];
    snprintf(place, sizeof place, "add_signature '%.100s'", key ? key : "(NULL)");
    if (!key) return writer_fail(w, MOTE_ERROR_INVALID_ARGUMENT, "%s: the key is NULL", place);
    for (int32_t i = 0; i < w->signature_count; i++)
        if (strcmp(w->signatures[i].key, key) == 0)
            return writer_fail(w, MOTE_ERROR_INVALID_ARGUMENT, "%s: the key is already used", place);
    if (subgraph < 0 || subgraph >= w->subgraph_count)
        return writer_fail(w, MOTE_ERROR_INVALID_ARGUMENT,
                           "%s: subgraph %d is out of range (%d subgraphs)", place, subgraph,
                           w->subgraph_count);
    w_signature *list = writer_grow(w, w->signatures, &w->signature_cap, w->signature_count, sizeof *list);
    if (!list) return writer_grow_failed(w, w->signature_count, place);
    w->signatures = list;
    w_signature sig;
    memset(&sig, 0, sizeof sig);
    sig.subgraph = subgraph;
    mote_status st = copy_signature_io(w, subgraph, input_count, input_names, input_tensors,
                                       &sig.inputs, place, "input");
    if (st) return st;
    sig.input_count = input_count;
    st = copy_signature_io(w, subgraph, output_count, output_names, output_tensors, &sig.outputs,
                           place, "output");
    if (st == MOTE_OK) {
        sig.output_count = output_count;
        int failed = 0;
        sig.key = writer_dup_str(w, key, &failed);
        if (failed) st = writer_oom(w, place);
    }
    if (st) {
        free_signature(w, &sig);
        return st;
    }
    list[w->signature_count++] = sig;
    w->serialized = 0;
    return MOTE_OK;
}

mote_status mote_writer_add_metadata(mote_writer *w, const char *name, const void *data, size_t size) {
    WRITER_BEGIN(w);
    if (!name || (!data && size))
        return writer_fail(w, MOTE_ERROR_INVALID_ARGUMENT, "add_metadata: %s",
                           !name ? "the name is NULL" : "data is NULL but size is not 0");
    if (size > FBB_MAX_SIZE)
        return writer_fail(w, MOTE_ERROR_LIMIT, "add_metadata '%s': %zu bytes do not fit", name, size);
    w_metadata *list = writer_grow(w, w->metadata, &w->metadata_cap, w->metadata_count, sizeof *list);
    if (!list) return writer_grow_failed(w, w->metadata_count, "add_metadata");
    w->metadata = list;
    int failed = 0;
    w_metadata m = {NULL, NULL, size};
    m.name = writer_dup_str(w, name, &failed);
    m.data = writer_dup(w, data, size, &failed);
    if (failed) {
        writer_free(w, m.name);
        writer_free(w, m.data);
        return writer_oom(w, "add_metadata");
    }
    list[w->metadata_count++] = m;
    w->serialized = 0;
    return MOTE_OK;
}

/* ---- output ---- */

mote_status mote_writer_finish(mote_writer *w, const void **data, size_t *size) {
    WRITER_BEGIN(w);
    if (!data || !size)
        return writer_fail(w, MOTE_ERROR_INVALID_ARGUMENT, "finish: data and size must not be NULL");
    if (!w->serialized) {
        fbb_reset(&w->fbb);
        mote_status st = writer_emit(w);
        if (st) return st;
        w->serialized = 1;
    }
    *data = fbb_data(&w->fbb, size);
    return MOTE_OK;
}

mote_status mote_writer_save(mote_writer *w, const char *path) {
    WRITER_BEGIN(w);
    if (!path) return writer_fail(w, MOTE_ERROR_INVALID_ARGUMENT, "save: path is NULL");
    const void *data;
    size_t size;
    mote_status st = mote_writer_finish(w, &data, &size);
    if (st) return st;
    FILE *f = fopen(path, "wb");
    if (!f) return writer_fail(w, MOTE_ERROR_IO, "save: cannot create '%s': %s", path, strerror(errno));
    size_t n = fwrite(data, 1, size, f);
    int err = n == size ? 0 : errno;
    if (fclose(f) != 0 && !err) err = errno;
    if (n != size || err)
        return writer_fail(w, MOTE_ERROR_IO, "save: cannot write '%s': %s", path,
                           err ? strerror(err) : "short write");
    return MOTE_OK;
}
