/* model.c — loading a .tflite file: verify the FlatBuffer once, then describe its
 * subgraphs, tensors and operators with pointers into the file (weights are not copied
 * unless misaligned). Every index the file holds is range-checked here, so the interpreter
 * can trust the descriptions. */
#include "core/model.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "format/builtin_ops.h"
#include "format/tflite_schema.h"

/* A block of loader-owned memory; the model keeps them in a list. */
typedef struct model_block {
    struct model_block *next;
    size_t size; /* including this header */
} model_block;

#define BLOCK_HEADER (((sizeof(model_block) + MOTE_ALIGN - 1) / MOTE_ALIGN) * MOTE_ALIGN)

static mote_status load_fail(mote_model *m, mote_status st, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static mote_status load_fail(mote_model *m, mote_status st, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->error, sizeof m->error, fmt, ap);
    va_end(ap);
    m->failed = 1;
    return st;
}

/* Zeroed memory owned by the model; NULL on overflow or failure. */
static void *model_alloc(mote_model *m, size_t count, size_t size) {
    size_t bytes, total;
    if (mote_mul_size(count, size, &bytes) || mote_add_size(bytes, BLOCK_HEADER, &total)) return NULL;
    if (bytes == 0) total = BLOCK_HEADER + 1;
    uint8_t *p = mote_alloc(&m->alloc, total);
    if (!p) return NULL;
    memset(p, 0, total);
    model_block *b = (model_block *)p;
    b->size = total;
    b->next = m->blocks;
    m->blocks = b;
    return p + BLOCK_HEADER;
}

size_t mote_type_bytes(int32_t type) {
    switch (type) {
    case MOTE_FLOAT32: case MOTE_INT32: case MOTE_UINT32: return 4;
    case MOTE_FLOAT16: case MOTE_INT16: case MOTE_UINT16: case MOTE_BFLOAT16: return 2;
    case MOTE_UINT8: case MOTE_INT8: case MOTE_BOOL: case MOTE_FLOAT8_E4M3FN:
    case MOTE_FLOAT8_E5M2: return 1;
    case MOTE_INT64: case MOTE_UINT64: case MOTE_FLOAT64: case MOTE_COMPLEX64: return 8;
    case MOTE_COMPLEX128: return 16;
    default: return 0;
    }
}

int mote_dense_bytes(int32_t type, int32_t rank, const int32_t *dims, size_t *bytes) {
    size_t n = 1;
    for (int32_t i = 0; i < rank; i++) {
        if (dims[i] < 0 || mote_mul_size(n, (size_t)dims[i], &n)) return -1;
    }
    if (type == MOTE_INT4 || type == MOTE_UINT4) {
        *bytes = n / 2 + (n & 1);
        return 0;
    }
    if (type == MOTE_INT2) {
        *bytes = (n + 3) / 4;
        return 0;
    }
    return mote_mul_size(n, mote_type_bytes(type), bytes);
}

const char *model_op_name(const model_op *op) {
    if (op->builtin_code == MOTE_OP_CUSTOM) return op->custom_name ? op->custom_name : "CUSTOM";
    const char *n = mote_builtin_name(op->builtin_code);
    return n ? n : "UNKNOWN_BUILTIN";
}

/* Copies a vector of int32 out of the FlatBuffer (so it is aligned and host-ordered). */
static const int32_t *copy_i32_vec(mote_model *m, fb_vec v) {
    int32_t *out = model_alloc(m, v.len ? v.len : 1, sizeof(int32_t));
    if (!out) return NULL;
    for (uint32_t i = 0; i < v.len; i++) out[i] = fb_vec_i32(m->fb, v, i);
    return out;
}

static mote_status oom(mote_model *m, const char *what) {
    return load_fail(m, MOTE_ERROR_OUT_OF_MEMORY, "out of memory while loading %s", what);
}

static mote_status load_buffers(mote_model *m, fb_table root) {
    fb_vec v = fb_vec_field(m->fb, root, TFL_MODEL_BUFFERS);
    m->buffer_count = (int32_t)v.len;
    if (v.len > INT32_MAX) return load_fail(m, MOTE_ERROR_INVALID_MODEL, "too many buffers");
    m->buffers = model_alloc(m, v.len ? v.len : 1, sizeof(model_buffer));
    if (!m->buffers) return oom(m, "buffers");
    for (uint32_t i = 0; i < v.len; i++) {
        fb_table b = fb_vec_table(m->fb, v, i);
        uint64_t off = fb_u64(m->fb, b, TFL_BUFFER_OFFSET, 0);
        uint64_t size = fb_u64(m->fb, b, TFL_BUFFER_SIZE, 0);
        if (off > 1) {
            /* Stored after the FlatBuffer, at an offset from the start of the file. */
            if (size > m->size || off > m->size - size)
                return load_fail(m, MOTE_ERROR_INVALID_MODEL,
                                 "buffer %u: offset %llu + size %llu lies outside the %zu-byte file",
                                 i, (unsigned long long)off, (unsigned long long)size, m->size);
            m->buffers[i].data = size ? m->bytes + off : NULL;
            m->buffers[i].size = (size_t)size;
        } else {
            fb_vec d = fb_vec_field(m->fb, b, TFL_BUFFER_DATA);
            m->buffers[i].data = d.len ? fb_vec_data(m->fb, d) : NULL;
            m->buffers[i].size = d.len;
        }
    }
    return MOTE_OK;
}

static mote_status load_opcodes(mote_model *m, fb_table root) {
    fb_vec v = fb_vec_field(m->fb, root, TFL_MODEL_OPERATOR_CODES);
    if (v.len > INT32_MAX) return load_fail(m, MOTE_ERROR_INVALID_MODEL, "too many operator codes");
    m->opcode_count = (int32_t)v.len;
    m->opcodes = model_alloc(m, v.len ? v.len : 1, sizeof(model_opcode));
    if (!m->opcodes) return oom(m, "operator codes");
    for (uint32_t i = 0; i < v.len; i++) {
        fb_table c = fb_vec_table(m->fb, v, i);
        /* Old files only fill the byte-sized deprecated field; newer ones write 127
         * (PLACEHOLDER_FOR_GREATER_OP_CODES) there and the real code in builtin_code. */
        int32_t dep = fb_i8(m->fb, c, TFL_OPCODE_DEPRECATED_BUILTIN_CODE, 0);
        int32_t code = fb_i32(m->fb, c, TFL_OPCODE_BUILTIN_CODE, 0);
        m->opcodes[i].builtin_code = dep > code ? dep : code;
        m->opcodes[i].custom_name = fb_string_field(m->fb, c, TFL_OPCODE_CUSTOM_CODE, NULL);
        m->opcodes[i].version = fb_i32(m->fb, c, TFL_OPCODE_VERSION, 1);
        if (m->opcodes[i].builtin_code < 0)
            return load_fail(m, MOTE_ERROR_INVALID_MODEL, "operator code %u: negative builtin code %d",
                             i, m->opcodes[i].builtin_code);
    }
    return MOTE_OK;
}

/* The alignment a tensor's data needs to be read in place as its element type. */
static size_t data_alignment(int32_t type) {
    size_t b = mote_type_bytes(type);
    if (b > 8) b = 8;
    return b ? b : 1;
}

static mote_status load_quantization(mote_model *m, model_tensor *t, fb_table q, uint32_t sg,
                                     uint32_t ti) {
    fb_vec scales = fb_vec_field(m->fb, q, TFL_QUANT_SCALE);
    fb_vec zps = fb_vec_field(m->fb, q, TFL_QUANT_ZERO_POINT);
    t->quantized_dimension = fb_i32(m->fb, q, TFL_QUANT_QUANTIZED_DIMENSION, 0);
    t->quant_details_type = fb_u8(m->fb, q, TFL_QUANT_DETAILS_TYPE, 0);
    t->blockwise.scales_tensor = -1;
    t->blockwise.zero_points_tensor = -1;
    if (t->quant_details_type == TFL_QDETAILS_BLOCKWISE) {
        fb_table d = fb_table_field(m->fb, q, TFL_QUANT_DETAILS);
        t->blockwise.scales_tensor = fb_i32(m->fb, d, TFL_BLOCKWISE_SCALES, -1);
        t->blockwise.zero_points_tensor = fb_i32(m->fb, d, TFL_BLOCKWISE_ZERO_POINTS, -1);
        t->blockwise.block_size = fb_i32(m->fb, d, TFL_BLOCKWISE_BLOCK_SIZE, 0);
    }
    if (scales.len == 0) return MOTE_OK;
    if (zps.len != 0 && zps.len != scales.len)
        return load_fail(m, MOTE_ERROR_INVALID_MODEL,
                         "subgraph %u tensor %u ('%s'): %u scales but %u zero points", sg, ti,
                         t->name, scales.len, zps.len);
    if (scales.len > INT32_MAX) return load_fail(m, MOTE_ERROR_INVALID_MODEL, "too many scales");
    float *s = model_alloc(m, scales.len, sizeof(float));
    int64_t *z = model_alloc(m, scales.len, sizeof(int64_t));
    if (!s || !z) return oom(m, "quantization parameters");
    for (uint32_t i = 0; i < scales.len; i++) {
        s[i] = fb_vec_f32(m->fb, scales, i);
        z[i] = zps.len ? fb_vec_i64(m->fb, zps, i) : 0;
    }
    t->quant_count = (int32_t)scales.len;
    t->scales = s;
    t->zero_points = z;
    return MOTE_OK;
}

static mote_status load_tensor(mote_model *m, model_tensor *t, fb_table tt, uint32_t sg, uint32_t ti) {
    fb_buf fb = m->fb;
    const char *name = fb_string_field(fb, tt, TFL_TENSOR_NAME, NULL);
    t->name = name ? name : "";
    t->type = fb_i8(fb, tt, TFL_TENSOR_TYPE, 0);
    fb_vec shape = fb_vec_field(fb, tt, TFL_TENSOR_SHAPE);
    if (shape.len > 64)
        return load_fail(m, MOTE_ERROR_INVALID_MODEL, "subgraph %u tensor %u ('%s'): rank %u is absurd",
                         sg, ti, t->name, shape.len);
    t->rank = (int32_t)shape.len;
    if (!(t->dims = copy_i32_vec(m, shape))) return oom(m, "tensor shapes");
    for (int32_t d = 0; d < t->rank; d++)
        if (t->dims[d] < 0)
            return load_fail(m, MOTE_ERROR_INVALID_MODEL,
                             "subgraph %u tensor %u ('%s'): dimension %d is %d", sg, ti, t->name, d,
                             t->dims[d]);
    t->signature_rank = -1;
    if (fb_has_field(fb, tt, TFL_TENSOR_SHAPE_SIGNATURE)) {
        fb_vec sig = fb_vec_field(fb, tt, TFL_TENSOR_SHAPE_SIGNATURE);
        if (sig.len > 64)
            return load_fail(m, MOTE_ERROR_INVALID_MODEL, "subgraph %u tensor %u: shape_signature too long",
                             sg, ti);
        t->signature_rank = (int32_t)sig.len;
        if (!(t->dims_signature = copy_i32_vec(m, sig))) return oom(m, "tensor shapes");
    }
    t->is_variable = fb_bool(fb, tt, TFL_TENSOR_IS_VARIABLE, 0);
    t->sparsity = fb_table_field(fb, tt, TFL_TENSOR_SPARSITY);
    t->buffer = fb_u32(fb, tt, TFL_TENSOR_BUFFER, 0);
    if (t->buffer >= (uint32_t)m->buffer_count && !(t->buffer == 0 && m->buffer_count == 0))
        return load_fail(m, MOTE_ERROR_INVALID_MODEL,
                         "subgraph %u tensor %u ('%s'): buffer index %u out of range (%d buffers)",
                         sg, ti, t->name, t->buffer, m->buffer_count);
    if (t->buffer < (uint32_t)m->buffer_count && m->buffers[t->buffer].data) {
        const model_buffer *b = &m->buffers[t->buffer];
        t->data = b->data;
        t->data_size = b->size;
        if ((uintptr_t)t->data % data_alignment(t->type)) {
            uint8_t *copy = model_alloc(m, b->size, 1);
            if (!copy) return oom(m, "a misaligned constant");
            memcpy(copy, b->data, b->size);
            t->data = copy;
        }
    }
    fb_table q = fb_table_field(fb, tt, TFL_TENSOR_QUANTIZATION);
    if (q) return load_quantization(m, t, q, sg, ti);
    return MOTE_OK;
}

static mote_status check_index_list(mote_model *m, const int32_t *idx, int32_t n, int32_t limit,
                                    int allow_optional, uint32_t sg, const char *what, int32_t op) {
    for (int32_t i = 0; i < n; i++) {
        if (idx[i] == -1 && allow_optional) continue;
        if (idx[i] < 0 || idx[i] >= limit) {
            if (op >= 0)
                return load_fail(m, MOTE_ERROR_INVALID_MODEL,
                                 "subgraph %u operator %d: %s %d is tensor %d, out of range (%d tensors)",
                                 sg, op, what, i, idx[i], limit);
            return load_fail(m, MOTE_ERROR_INVALID_MODEL,
                             "subgraph %u: %s %d is tensor %d, out of range (%d tensors)", sg, what,
                             i, idx[i], limit);
        }
    }
    return MOTE_OK;
}

/* An operator must not write a tensor it reads, nor write one tensor twice: kernels set an
 * output's shape in prepare and read their inputs' shapes after (TensorFlow Lite refuses
 * the overlap too). seen[t] == stamp marks op's outputs; O(inputs + outputs). */
static mote_status check_overlap(mote_model *m, const model_op *op, uint32_t *seen, uint32_t stamp,
                                 uint32_t sg, int32_t oi) {
    for (int32_t o = 0; o < op->output_count; o++) {
        if (seen[op->outputs[o]] == stamp)
            return load_fail(m, MOTE_ERROR_INVALID_MODEL, "subgraph %u operator %d: tensor %d is written twice",
                             sg, oi, op->outputs[o]);
        seen[op->outputs[o]] = stamp;
    }
    for (int32_t i = 0; i < op->input_count; i++)
        if (op->inputs[i] >= 0 && seen[op->inputs[i]] == stamp)
            return load_fail(m, MOTE_ERROR_INVALID_MODEL,
                             "subgraph %u operator %d: tensor %d is both its input %d and an output", sg, oi,
                             op->inputs[i], i);
    return MOTE_OK;
}

static mote_status load_op(mote_model *m, model_subgraph *s, model_op *op, fb_table ot, uint32_t sg,
                           int32_t oi) {
    fb_buf fb = m->fb;
    uint32_t code = fb_u32(fb, ot, TFL_OP_OPCODE_INDEX, 0);
    if (code >= (uint32_t)m->opcode_count)
        return load_fail(m, MOTE_ERROR_INVALID_MODEL,
                         "subgraph %u operator %d: opcode index %u out of range (%d operator codes)",
                         sg, oi, code, m->opcode_count);
    op->builtin_code = m->opcodes[code].builtin_code;
    op->custom_name = m->opcodes[code].custom_name;
    op->version = m->opcodes[code].version;
    if (op->builtin_code != MOTE_OP_CUSTOM) op->custom_name = NULL;
    fb_vec in = fb_vec_field(fb, ot, TFL_OP_INPUTS), out = fb_vec_field(fb, ot, TFL_OP_OUTPUTS),
           mid = fb_vec_field(fb, ot, TFL_OP_INTERMEDIATES);
    if (in.len > 1u << 20 || out.len > 1u << 20 || mid.len > 1u << 20)
        return load_fail(m, MOTE_ERROR_INVALID_MODEL, "subgraph %u operator %d: too many inputs or outputs",
                         sg, oi);
    op->input_count = (int32_t)in.len;
    op->output_count = (int32_t)out.len;
    op->intermediate_count = (int32_t)mid.len;
    if (!(op->inputs = copy_i32_vec(m, in)) || !(op->outputs = copy_i32_vec(m, out)) ||
        !(op->intermediates = copy_i32_vec(m, mid)))
        return oom(m, "operators");
    mote_status st;
    if ((st = check_index_list(m, op->inputs, op->input_count, s->tensor_count, 1, sg, "input", oi)) ||
        (st = check_index_list(m, op->outputs, op->output_count, s->tensor_count, 0, sg, "output", oi)) ||
        (st = check_index_list(m, op->intermediates, op->intermediate_count, s->tensor_count, 1, sg,
                               "intermediate", oi)))
        return st;
    op->options_type = fb_u8(fb, ot, TFL_OP_BUILTIN_OPTIONS_TYPE, 0);
    op->options = op->options_type ? fb_table_field(fb, ot, TFL_OP_BUILTIN_OPTIONS) : 0;
    op->options2_type = fb_u8(fb, ot, TFL_OP_BUILTIN_OPTIONS_2_TYPE, 0);
    op->options2 = op->options2_type ? fb_table_field(fb, ot, TFL_OP_BUILTIN_OPTIONS_2) : 0;
    fb_vec co = fb_vec_field(fb, ot, TFL_OP_CUSTOM_OPTIONS);
    if (co.len) {
        op->custom_options = fb_vec_data(fb, co);
        op->custom_options_size = co.len;
    } else {
        uint64_t off = fb_u64(fb, ot, TFL_OP_LARGE_CUSTOM_OPTIONS_OFFSET, 0);
        uint64_t size = fb_u64(fb, ot, TFL_OP_LARGE_CUSTOM_OPTIONS_SIZE, 0);
        if (off > 1 && size) {
            if (size > m->size || off > m->size - size)
                return load_fail(m, MOTE_ERROR_INVALID_MODEL,
                                 "subgraph %u operator %d: custom options lie outside the file", sg, oi);
            op->custom_options = m->bytes + off;
            op->custom_options_size = (size_t)size;
        }
    }
    return MOTE_OK;
}

static mote_status load_subgraph(mote_model *m, model_subgraph *s, fb_table st, uint32_t sg) {
    fb_buf fb = m->fb;
    const char *name = fb_string_field(fb, st, TFL_SUBGRAPH_NAME, NULL);
    s->name = name ? name : "";
    fb_vec tensors = fb_vec_field(fb, st, TFL_SUBGRAPH_TENSORS);
    fb_vec ops = fb_vec_field(fb, st, TFL_SUBGRAPH_OPERATORS);
    fb_vec ins = fb_vec_field(fb, st, TFL_SUBGRAPH_INPUTS), outs = fb_vec_field(fb, st, TFL_SUBGRAPH_OUTPUTS);
    if (tensors.len > INT32_MAX || ops.len > INT32_MAX || ins.len > INT32_MAX || outs.len > INT32_MAX)
        return load_fail(m, MOTE_ERROR_INVALID_MODEL, "subgraph %u: too many entries", sg);
    s->tensor_count = (int32_t)tensors.len;
    s->op_count = (int32_t)ops.len;
    s->input_count = (int32_t)ins.len;
    s->output_count = (int32_t)outs.len;
    s->tensors = model_alloc(m, tensors.len ? tensors.len : 1, sizeof(model_tensor));
    s->ops = model_alloc(m, ops.len ? ops.len : 1, sizeof(model_op));
    if (!s->tensors || !s->ops || !(s->inputs = copy_i32_vec(m, ins)) ||
        !(s->outputs = copy_i32_vec(m, outs)))
        return oom(m, "subgraphs");
    mote_status r;
    for (uint32_t i = 0; i < tensors.len; i++)
        if ((r = load_tensor(m, &s->tensors[i], fb_vec_table(fb, tensors, i), sg, i))) return r;
    if ((r = check_index_list(m, s->inputs, s->input_count, s->tensor_count, 0, sg, "input", -1)) ||
        (r = check_index_list(m, s->outputs, s->output_count, s->tensor_count, 0, sg, "output", -1)))
        return r;
    uint32_t *seen = mote_alloc_array(&m->alloc, tensors.len ? tensors.len : 1, sizeof *seen);
    if (!seen) return oom(m, "operators");
    for (uint32_t i = 0; i < ops.len && r == MOTE_OK; i++)
        if ((r = load_op(m, s, &s->ops[i], fb_vec_table(fb, ops, i), sg, (int32_t)i)) == MOTE_OK)
            r = check_overlap(m, &s->ops[i], seen, i + 1, sg, (int32_t)i);
    mote_free(&m->alloc, seen, (size_t)(tensors.len ? tensors.len : 1) * sizeof *seen);
    if (r) return r;
    /* Blockwise quantization names other tensors; check them here. */
    for (int32_t i = 0; i < s->tensor_count; i++) {
        const model_blockwise *b = &s->tensors[i].blockwise;
        if (b->scales_tensor >= s->tensor_count || b->zero_points_tensor >= s->tensor_count)
            return load_fail(m, MOTE_ERROR_INVALID_MODEL,
                             "subgraph %u tensor %d: blockwise quantization names a tensor out of range",
                             sg, i);
    }
    return MOTE_OK;
}

static mote_status load_signature_io(mote_model *m, fb_vec v, model_signature_io **out, int32_t *count,
                                     int32_t tensor_limit, const char *key) {
    if (v.len > INT32_MAX) return load_fail(m, MOTE_ERROR_INVALID_MODEL, "signature too large");
    *count = (int32_t)v.len;
    *out = model_alloc(m, v.len ? v.len : 1, sizeof(model_signature_io));
    if (!*out) return oom(m, "signatures");
    for (uint32_t i = 0; i < v.len; i++) {
        fb_table t = fb_vec_table(m->fb, v, i);
        const char *name = fb_string_field(m->fb, t, TFL_TENSORMAP_NAME, NULL);
        uint32_t idx = fb_u32(m->fb, t, TFL_TENSORMAP_TENSOR_INDEX, 0);
        if (idx >= (uint32_t)tensor_limit)
            return load_fail(m, MOTE_ERROR_INVALID_MODEL,
                             "signature '%s': tensor index %u out of range", key, idx);
        (*out)[i].name = name ? name : "";
        (*out)[i].tensor = (int32_t)idx;
    }
    return MOTE_OK;
}

static mote_status load_signatures(mote_model *m, fb_table root) {
    fb_vec v = fb_vec_field(m->fb, root, TFL_MODEL_SIGNATURE_DEFS);
    if (v.len > INT32_MAX) return load_fail(m, MOTE_ERROR_INVALID_MODEL, "too many signatures");
    m->signature_count = (int32_t)v.len;
    m->signatures = model_alloc(m, v.len ? v.len : 1, sizeof(model_signature));
    if (!m->signatures) return oom(m, "signatures");
    for (uint32_t i = 0; i < v.len; i++) {
        fb_table t = fb_vec_table(m->fb, v, i);
        model_signature *s = &m->signatures[i];
        const char *key = fb_string_field(m->fb, t, TFL_SIGNATURE_KEY, NULL);
        s->key = key ? key : "";
        uint32_t sg = fb_u32(m->fb, t, TFL_SIGNATURE_SUBGRAPH_INDEX, 0);
        if (sg >= (uint32_t)m->subgraph_count)
            return load_fail(m, MOTE_ERROR_INVALID_MODEL, "signature '%s': subgraph %u out of range",
                             s->key, sg);
        s->subgraph = (int32_t)sg;
        int32_t limit = m->subgraphs[sg].tensor_count;
        mote_status r;
        if ((r = load_signature_io(m, fb_vec_field(m->fb, t, TFL_SIGNATURE_INPUTS), &s->inputs,
                                   &s->input_count, limit, s->key)) ||
            (r = load_signature_io(m, fb_vec_field(m->fb, t, TFL_SIGNATURE_OUTPUTS), &s->outputs,
                                   &s->output_count, limit, s->key)))
            return r;
    }
    return MOTE_OK;
}

static mote_status load_metadata(mote_model *m, fb_table root) {
    fb_vec v = fb_vec_field(m->fb, root, TFL_MODEL_METADATA);
    if (v.len > INT32_MAX) return load_fail(m, MOTE_ERROR_INVALID_MODEL, "too many metadata entries");
    m->metadata_count = (int32_t)v.len;
    m->metadata = model_alloc(m, v.len ? v.len : 1, sizeof(model_metadata));
    if (!m->metadata) return oom(m, "metadata");
    for (uint32_t i = 0; i < v.len; i++) {
        fb_table t = fb_vec_table(m->fb, v, i);
        const char *name = fb_string_field(m->fb, t, TFL_METADATA_NAME, NULL);
        uint32_t b = fb_u32(m->fb, t, TFL_METADATA_BUFFER, 0);
        if (b >= (uint32_t)m->buffer_count)
            return load_fail(m, MOTE_ERROR_INVALID_MODEL, "metadata %u: buffer %u out of range", i, b);
        m->metadata[i].name = name ? name : "";
        m->metadata[i].data = m->buffers[b];
    }
    return MOTE_OK;
}

static mote_status load_model(mote_model *m) {
    m->fb.data = m->bytes;
    m->fb.size = m->size;
    fb_verify_limits limits = {64, 0};
    char err[256];
    if (fb_verify(m->fb, &tfl_model_spec, TFL_IDENTIFIER, &limits, err, sizeof err))
        return load_fail(m, MOTE_ERROR_INVALID_MODEL, "not a valid TensorFlow Lite model: %s", err);
    fb_table root = fb_root(m->fb);
    m->version = fb_u32(m->fb, root, TFL_MODEL_VERSION, 0);
    if (m->version != 3)
        return load_fail(m, MOTE_ERROR_UNSUPPORTED, "schema version %u is not supported (expected 3)",
                         m->version);
    const char *desc = fb_string_field(m->fb, root, TFL_MODEL_DESCRIPTION, NULL);
    m->description = desc ? desc : "";
    mote_status r;
    if ((r = load_buffers(m, root)) || (r = load_opcodes(m, root))) return r;
    fb_vec sgs = fb_vec_field(m->fb, root, TFL_MODEL_SUBGRAPHS);
    if (sgs.len == 0) return load_fail(m, MOTE_ERROR_INVALID_MODEL, "the model has no subgraphs");
    if (sgs.len > INT32_MAX) return load_fail(m, MOTE_ERROR_INVALID_MODEL, "too many subgraphs");
    m->subgraph_count = (int32_t)sgs.len;
    if (!(m->subgraphs = model_alloc(m, sgs.len, sizeof(model_subgraph)))) return oom(m, "subgraphs");
    for (uint32_t i = 0; i < sgs.len; i++)
        if ((r = load_subgraph(m, &m->subgraphs[i], fb_vec_table(m->fb, sgs, i), i))) return r;
    if ((r = load_signatures(m, root)) || (r = load_metadata(m, root))) return r;
    return MOTE_OK;
}

static mote_status new_model(const mote_allocator *allocator, mote_model **out) {
    mote_allocator a = mote_allocator_or_default(allocator);
    mote_model *m = mote_alloc(&a, sizeof *m);
    if (!m) return MOTE_ERROR_OUT_OF_MEMORY;
    memset(m, 0, sizeof *m);
    m->alloc = a;
    *out = m;
    return MOTE_OK;
}

mote_status mote_model_load_memory(const void *data, size_t size, const mote_allocator *allocator,
                                   mote_model **out_model) {
    if (!out_model) return MOTE_ERROR_INVALID_ARGUMENT;
    *out_model = NULL;
    mote_model *m;
    if (new_model(allocator, &m)) return MOTE_ERROR_OUT_OF_MEMORY;
    *out_model = m;
    if (!data) return load_fail(m, MOTE_ERROR_INVALID_ARGUMENT, "model data is NULL");
    if ((uintptr_t)data % 16) {
        /* FlatBuffers align weights to 16 bytes relative to the buffer start. */
        m->owned = mote_alloc(&m->alloc, size ? size : 1);
        if (!m->owned) return oom(m, "a copy of the misaligned model buffer");
        m->owned_size = size ? size : 1;
        memcpy(m->owned, data, size);
        data = m->owned;
    }
    m->bytes = data;
    m->size = size;
    return load_model(m);
}

mote_status mote_model_load_file(const char *path, const mote_allocator *allocator,
                                 mote_model **out_model) {
    if (!out_model) return MOTE_ERROR_INVALID_ARGUMENT;
    *out_model = NULL;
    mote_model *m;
    if (new_model(allocator, &m)) return MOTE_ERROR_OUT_OF_MEMORY;
    *out_model = m;
    if (!path) return load_fail(m, MOTE_ERROR_INVALID_ARGUMENT, "model path is NULL");
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return load_fail(m, MOTE_ERROR_IO, "cannot open '%s': %s", path, strerror(errno));
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        return load_fail(m, MOTE_ERROR_IO, "'%s' is not a regular file", path);
    }
    if (sb.st_size <= 0) {
        close(fd);
        return load_fail(m, MOTE_ERROR_INVALID_MODEL, "'%s' is empty", path);
    }
    if ((uint64_t)sb.st_size > SIZE_MAX) {
        close(fd);
        return load_fail(m, MOTE_ERROR_LIMIT, "'%s' is too large to map", path);
    }
    size_t size = (size_t)sb.st_size;
    void *p = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (p == MAP_FAILED) return load_fail(m, MOTE_ERROR_IO, "cannot map '%s': %s", path, strerror(errno));
    m->owned = p;
    m->owned_size = size;
    m->mapped = 1;
    m->bytes = p;
    m->size = size;
    return load_model(m);
}

const char *mote_model_error(const mote_model *model) {
    if (!model) return "model is NULL";
    return model->error;
}

void mote_model_destroy(mote_model *m) {
    if (!m) return;
    mote_allocator a = m->alloc;
    for (model_block *b = m->blocks; b;) {
        model_block *next = b->next;
        mote_free(&a, b, b->size);
        b = next;
    }
    if (m->owned) {
        if (m->mapped)
            munmap(m->owned, m->owned_size);
        else
            mote_free(&a, m->owned, m->owned_size);
    }
    mote_free(&a, m, sizeof *m);
}

/* ---- model facts ---- */

#define CHECK_MODEL(m)                                                 \
    do {                                                               \
        if (!(m)) return MOTE_ERROR_INVALID_ARGUMENT;                  \
        if ((m)->failed) return MOTE_ERROR_BAD_STATE;                  \
    } while (0)

mote_status mote_model_schema_version(const mote_model *m, uint32_t *version) {
    CHECK_MODEL(m);
    if (!version) return MOTE_ERROR_INVALID_ARGUMENT;
    *version = m->version;
    return MOTE_OK;
}

mote_status mote_model_description(const mote_model *m, const char **description) {
    CHECK_MODEL(m);
    if (!description) return MOTE_ERROR_INVALID_ARGUMENT;
    *description = m->description;
    return MOTE_OK;
}

mote_status mote_model_subgraph_count(const mote_model *m, int32_t *count) {
    CHECK_MODEL(m);
    if (!count) return MOTE_ERROR_INVALID_ARGUMENT;
    *count = m->subgraph_count;
    return MOTE_OK;
}

mote_status mote_model_operator_count(const mote_model *m, int32_t subgraph, int32_t *count) {
    CHECK_MODEL(m);
    if (!count || subgraph < 0 || subgraph >= m->subgraph_count) return MOTE_ERROR_INVALID_ARGUMENT;
    *count = m->subgraphs[subgraph].op_count;
    return MOTE_OK;
}

mote_status mote_model_operator_name(const mote_model *m, int32_t subgraph, int32_t op_index,
                                     const char **name) {
    CHECK_MODEL(m);
    if (!name || subgraph < 0 || subgraph >= m->subgraph_count || op_index < 0 ||
        op_index >= m->subgraphs[subgraph].op_count)
        return MOTE_ERROR_INVALID_ARGUMENT;
    *name = model_op_name(&m->subgraphs[subgraph].ops[op_index]);
    return MOTE_OK;
}

mote_status mote_model_operator_tensors(const mote_model *m, int32_t subgraph, int32_t op_index,
                                        const int32_t **inputs, int32_t *input_count,
                                        const int32_t **outputs, int32_t *output_count) {
    CHECK_MODEL(m);
    if (subgraph < 0 || subgraph >= m->subgraph_count || op_index < 0 ||
        op_index >= m->subgraphs[subgraph].op_count)
        return MOTE_ERROR_INVALID_ARGUMENT;
    const model_op *op = &m->subgraphs[subgraph].ops[op_index];
    if (inputs) *inputs = op->inputs;
    if (input_count) *input_count = op->input_count;
    if (outputs) *outputs = op->outputs;
    if (output_count) *output_count = op->output_count;
    return MOTE_OK;
}

mote_status mote_model_metadata_count(const mote_model *m, int32_t *count) {
    CHECK_MODEL(m);
    if (!count) return MOTE_ERROR_INVALID_ARGUMENT;
    *count = m->metadata_count;
    return MOTE_OK;
}

mote_status mote_model_metadata(const mote_model *m, int32_t index, const char **name,
                                const void **data, size_t *size) {
    CHECK_MODEL(m);
    if (index < 0 || index >= m->metadata_count) return MOTE_ERROR_INVALID_ARGUMENT;
    if (name) *name = m->metadata[index].name;
    if (data) *data = m->metadata[index].data.data;
    if (size) *size = m->metadata[index].data.size;
    return MOTE_OK;
}
