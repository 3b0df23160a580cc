/* tflite_writer_op.c — mote_writer_add_op: validates an operator (tensor indices, operator
 * code, options fields) and stores a copy, sharing operator codes between operators with
 * the same builtin code, custom name and version. */
#include <stdio.h>
#include <string.h>

#include "format/builtin_ops.h"
#include "format/tflite_schema.h"
#include "format/tflite_writer.h"

/* The layout character (see tflite_option_layouts.c) a field kind writes. */
static char kind_layout(uint16_t kind) {
    switch (kind) {
    case MOTE_FIELD_BOOL: case MOTE_FIELD_INT8: return '1';
    case MOTE_FIELD_INT16: return '2';
    case MOTE_FIELD_INT32: case MOTE_FIELD_UINT32: case MOTE_FIELD_FLOAT32: return '4';
    case MOTE_FIELD_INT64: return '8';
    case MOTE_FIELD_INT32_VECTOR: return 'v';
    default: return 's';
    }
}

static const char *layout_words(char c) {
    switch (c) {
    case '1': return "a 1-byte scalar (BOOL, INT8)";
    case '2': return "a 2-byte scalar (INT16)";
    case '4': return "a 4-byte scalar (INT32, UINT32, FLOAT32)";
    case '8': return "an 8-byte scalar (INT64)";
    case 'v': return "a vector of 4-byte elements (INT32_VECTOR)";
    default: return "a string (STRING)";
    }
}

/* A field the schema declares must be written with a matching kind: a 1-byte value where
 * an int belongs fails TensorFlow Lite's verifier (misaligned), and a scalar where a vector
 * belongs reads as an offset. Ids beyond the declared fields pass (newer schemas add
 * fields). */
static mote_status check_against_schema(mote_writer *w, int32_t options_type,
                                        const mote_option_field *f, const char *place) {
    const char *table = NULL;
    const char *layout = writer_option_layout(options_type, &table);
    if (!layout || f->id >= strlen(layout) || layout[f->id] == kind_layout(f->kind)) return MOTE_OK;
    return writer_fail(w, MOTE_ERROR_INVALID_ARGUMENT,
                       "%s: option field id %u: %s has %s there, not kind %u", place,
                       (unsigned)f->id, table, layout_words(layout[f->id]), (unsigned)f->kind);
}

/* Options fields: unique ids, known kinds, values that fit their kind and the schema. */
static mote_status check_fields(mote_writer *w, const mote_writer_op *op, const char *place) {
    if (op->field_count < 0 || (op->field_count > 0 && !op->fields))
        return writer_fail(w, MOTE_ERROR_INVALID_ARGUMENT, "%s: %d option fields%s", place,
                           op->field_count, op->field_count < 0 ? "" : " but fields is NULL");
    if (op->field_count > 0 && op->options_type == 0)
        return writer_fail(w, MOTE_ERROR_INVALID_ARGUMENT,
                           "%s: option fields given but options_type is 0 (none)", place);
    uint8_t seen[WRITER_MAX_FIELD_ID + 1] = {0};
    for (int32_t i = 0; i < op->field_count; i++) {
        const mote_option_field *f = &op->fields[i];
        if (f->id > WRITER_MAX_FIELD_ID || seen[f->id])
            return writer_fail(w, MOTE_ERROR_INVALID_ARGUMENT, "%s: option field %d: id %u %s",
                               place, i, (unsigned)f->id,
                               f->id > WRITER_MAX_FIELD_ID ? "is beyond any options table" : "given twice");
        seen[f->id] = 1;
        int64_t lo = 0, hi = 0;
        switch (f->kind) {
        case MOTE_FIELD_BOOL: case MOTE_FIELD_INT64: case MOTE_FIELD_FLOAT32: continue;
        case MOTE_FIELD_INT8: lo = INT8_MIN, hi = UINT8_MAX; break; /* byte or ubyte */
        case MOTE_FIELD_INT16: lo = INT16_MIN, hi = UINT16_MAX; break;
        case MOTE_FIELD_INT32: lo = INT32_MIN, hi = INT32_MAX; break;
        case MOTE_FIELD_UINT32: lo = 0, hi = UINT32_MAX; break;
        case MOTE_FIELD_INT32_VECTOR:
            if (f->count < 0 || (f->count > 0 && !f->ints))
                return writer_fail(w, MOTE_ERROR_INVALID_ARGUMENT,
                                   "%s: option field id %u: %d ints%s", place, (unsigned)f->id,
                                   f->count, f->count < 0 ? "" : " but ints is NULL");
            continue;
        case MOTE_FIELD_STRING:
            if (!f->str)
                return writer_fail(w, MOTE_ERROR_INVALID_ARGUMENT,
                                   "%s: option field id %u: str is NULL", place, (unsigned)f->id);
            continue;
        default:
            return writer_fail(w, MOTE_ERROR_INVALID_ARGUMENT,
                               "%s: option field id %u: kind %u is not a mote_field_kind", place,
                               (unsigned)f->id, (unsigned)f->kind);
        }
        if (f->i < lo || f->i > hi)
            return writer_fail(w, MOTE_ERROR_INVALID_ARGUMENT,
                               "%s: option field id %u: value %lld does not fit its kind (%lld..%lld)",
                               place, (unsigned)f->id, (long long)f->i, (long long)lo, (long long)hi);
    }
    for (int32_t i = 0; i < op->field_count; i++) {
        mote_status st = check_against_schema(w, op->options_type, &op->fields[i], place);
        if (st) return st;
    }
    return MOTE_OK;
}

static mote_status check_op(mote_writer *w, const mote_writer_op *op, const char *place) {
    int custom = op->builtin_code == MOTE_OP_CUSTOM;
    if (op->builtin_code < 0)
        return writer_fail(w, MOTE_ERROR_INVALID_ARGUMENT, "%s: builtin_code %d is negative", place,
                           op->builtin_code);
    if (custom != (op->custom_name != NULL) || (custom && !op->custom_name[0]))
        return writer_fail(w, MOTE_ERROR_INVALID_ARGUMENT,
                           "%s: %s", place,
                           custom ? "a custom operator (builtin_code 32) needs a custom_name"
                                  : "custom_name is only for builtin_code 32 (CUSTOM)");
    if (op->version < 0)
        return writer_fail(w, MOTE_ERROR_INVALID_ARGUMENT, "%s: version %d is negative", place,
                           op->version);
    if (op->options_type < 0 || op->options_type >= TFL_OPTIONS_COUNT_)
        return writer_fail(w, MOTE_ERROR_INVALID_ARGUMENT,
                           "%s: options_type %d is not a BuiltinOptions value (0..%d)", place,
                           op->options_type, TFL_OPTIONS_COUNT_ - 1);
    if (!op->custom_options && op->custom_options_size)
        return writer_fail(w, MOTE_ERROR_INVALID_ARGUMENT,
                           "%s: custom_options is NULL but custom_options_size is %zu", place,
                           op->custom_options_size);
    if (op->custom_options_size > FBB_MAX_SIZE)
        return writer_fail(w, MOTE_ERROR_LIMIT, "%s: %zu bytes of custom options do not fit", place,
                           op->custom_options_size);
    mote_status st;
    int32_t sg = w->current;
    if ((st = writer_check_indices(w, sg, op->inputs, op->input_count, 1, place, "input")) ||
        (st = writer_check_indices(w, sg, op->outputs, op->output_count, 0, place, "output")) ||
        (st = writer_check_indices(w, sg, op->intermediates, op->intermediate_count, 0, place,
                                   "intermediate")))
        return st;
    /* The reader refuses an operator that writes a tensor it reads or writes one twice. */
    for (int32_t o = 0; o < op->output_count; o++) {
        for (int32_t p = 0; p < o; p++)
            if (op->outputs[p] == op->outputs[o])
                return writer_fail(w, MOTE_ERROR_INVALID_ARGUMENT, "%s: output %d repeats tensor %d",
                                   place, o, op->outputs[o]);
        for (int32_t i = 0; i < op->input_count; i++)
            if (op->inputs[i] == op->outputs[o])
                return writer_fail(w, MOTE_ERROR_INVALID_ARGUMENT,
                                   "%s: tensor %d is both input %d and output %d", place,
                                   op->outputs[o], i, o);
    }
    return check_fields(w, op, place);
}

/* Copies a validated op's lists, options and custom options into out. */
static int copy_op(mote_writer *w, const mote_writer_op *op, w_op *out) {
    memset(out, 0, sizeof *out);
    out->input_count = op->input_count;
    out->output_count = op->output_count;
    out->intermediate_count = op->intermediate_count;
    out->options_type = (uint8_t)op->options_type;
    out->custom_options_size = op->custom_options_size;
    int failed = 0;
    out->inputs = writer_dup_i32(w, op->inputs, op->input_count, &failed);
    out->outputs = writer_dup_i32(w, op->outputs, op->output_count, &failed);
    out->intermediates = writer_dup_i32(w, op->intermediates, op->intermediate_count, &failed);
    out->custom_options = writer_dup(w, op->custom_options, op->custom_options_size, &failed);
    if (failed) return -1;
    if (op->field_count <= 0) return 0;
    out->fields = writer_alloc(w, (size_t)op->field_count * sizeof *out->fields);
    if (!out->fields) return -1;
    memset(out->fields, 0, (size_t)op->field_count * sizeof *out->fields);
    out->field_count = op->field_count;
    for (int32_t i = 0; i < op->field_count; i++) {
        const mote_option_field *f = &op->fields[i];
        w_field *g = &out->fields[i];
        g->id = f->id;
        g->kind = f->kind;
        g->i = f->i;
        g->f = f->f;
        if (f->kind == MOTE_FIELD_INT32_VECTOR) {
            g->count = f->count;
            g->ints = writer_dup_i32(w, f->ints, f->count, &failed);
        } else if (f->kind == MOTE_FIELD_STRING) {
            g->str = writer_dup_str(w, f->str, &failed);
        }
    }
    return failed ? -1 : 0;
}

static int32_t find_opcode(const mote_writer *w, int32_t code, const char *name, int32_t version) {
    for (int32_t i = 0; i < w->opcode_count; i++) {
        const w_opcode *c = &w->opcodes[i];
        if (c->builtin_code == code && c->version == version &&
            (c->custom_name && name ? strcmp(c->custom_name, name) == 0 : c->custom_name == name))
            return i;
    }
    return -1;
}

mote_status mote_writer_add_op(mote_writer *w, const mote_writer_op *op, int32_t *index) {
    WRITER_BEGIN(w);
    w_subgraph *s = &w->subgraphs[w->current];
    char place[160];
    if (!op) {
        snprintf(place, sizeof place, "add_op (subgraph %d, operator %d)", w->current, s->op_count);
        return writer_fail(w, MOTE_ERROR_INVALID_ARGUMENT, "%s: op is NULL", place);
    }
    const char *name = op->builtin_code == MOTE_OP_CUSTOM && op->custom_name ? op->custom_name
                       : mote_builtin_name(op->builtin_code) ? mote_builtin_name(op->builtin_code)
                                                             : "unknown builtin";
    snprintf(place, sizeof place, "add_op (subgraph %d, operator %d %s)", w->current, s->op_count,
             name);
    mote_status st = check_op(w, op, place);
    if (st) return st;
    w_op *ops = writer_grow(w, s->ops, &s->op_cap, s->op_count, sizeof *ops);
    if (!ops) return writer_grow_failed(w, s->op_count, place);
    s->ops = ops;
    int32_t version = op->version ? op->version : 1;
    int32_t code = find_opcode(w, op->builtin_code, op->custom_name, version);
    w_opcode new_code = {op->builtin_code, NULL, version};
    if (code < 0) {
        w_opcode *codes = writer_grow(w, w->opcodes, &w->opcode_cap, w->opcode_count, sizeof *codes);
        if (!codes) return writer_grow_failed(w, w->opcode_count, place);
        w->opcodes = codes;
        int failed = 0;
        new_code.custom_name = writer_dup_str(w, op->custom_name, &failed);
        if (failed) return writer_oom(w, place);
    }
    w_op o;
    if (copy_op(w, op, &o)) {
        writer_free_op(w, &o);
        writer_free(w, new_code.custom_name);
        return writer_oom(w, place);
    }
    if (code < 0) {
        code = w->opcode_count++;
        w->opcodes[code] = new_code;
    }
    o.opcode = code;
    ops[s->op_count] = o;
    if (index) *index = s->op_count;
    s->op_count++;
    w->serialized = 0;
    return MOTE_OK;
}

