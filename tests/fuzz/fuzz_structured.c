/* fuzz_structured.c — structure-aware fuzz target: the input is a compact description that
 * is decoded into a model built with Mote's writer, then run as fuzz_run runs a file. Most
 * inputs therefore pass the verifier and the loader and reach the kernels' prepare and
 * eval: random operators from the registry (and the signal package) on random tensor
 * indices, types, shapes (including zero and huge dimensions), constant data, quantization,
 * options fields (following each options table's layout, or any table), custom options
 * (FlexBuffer maps with the keys the kernels read, or raw bytes), and subgraphs calling
 * each other.
 *
 * Description, read byte by byte (missing bytes read as 0, so every input decodes):
 *   flags                   bits 0-1 subgraphs - 1 (max 3), bit 2 signatures, bit 3 metadata
 *   per subgraph:
 *     tensor count - 1 (mod 10), then per tensor:
 *       type, rank, dims, kind (constant, variable, quantized, per-channel, shape
 *       signature, data pattern), then quantization and data bytes as the kind says
 *     operator count (mod 8), then per operator:
 *       operator (u16: the registry, or any code), version, inputs, outputs,
 *       intermediates, options type (usually the operator's own), a field mask and values,
 *       custom options
 *     io mode: inputs and outputs found from the graph, or masks
 */
#include <stdlib.h>
#include <string.h>

#include "format/builtin_ops.h"
#include "format/tflite_writer.h"
#include "fuzz.h"
#include "kernels/registry.h"
#include "signal/signal_kernel.h"
#include "unit/flexgen.h"

/* ---- the reader ---- */

typedef struct reader {
    const uint8_t *p;
    size_t n, at;
} reader;

static uint8_t u8(reader *r) { return r->at < r->n ? r->p[r->at++] : 0; }
static uint16_t u16(reader *r) {
    uint16_t lo = u8(r);
    return (uint16_t)(lo | u8(r) << 8);
}

/* ---- value tables ---- */

static const mote_type types[] = {
    MOTE_FLOAT32, MOTE_FLOAT32, MOTE_FLOAT32, MOTE_INT8,    MOTE_INT8,    MOTE_UINT8,   MOTE_INT16,
    MOTE_INT32,   MOTE_INT32,   MOTE_INT64,   MOTE_BOOL,    MOTE_FLOAT16, MOTE_STRING,  MOTE_RESOURCE,
    MOTE_COMPLEX64, MOTE_FLOAT64, MOTE_UINT32, MOTE_UINT16, MOTE_INT4,    MOTE_VARIANT, MOTE_BFLOAT16,
    MOTE_UINT64,  MOTE_UINT4,   MOTE_INT2,
};

static int32_t dim_value(uint8_t b) {
    static const int32_t special[] = {1, 2, 3, 5, 8, 16, 31, 64, 255, 256, 1000, 4096, 65535, 65536,
                                      1 << 20, 0x40000000, INT32_MAX};
    if (b < 224) return b % 5; /* 0..4: small, and zero-sized tensors */
    return special[(b - 224) % (sizeof special / sizeof special[0])];
}

static int64_t int_value(uint8_t b) {
    static const int64_t special[] = {-2, -3, 100, 1000, 65536, INT32_MAX, INT32_MIN, -129, 128, 255, 256,
                                      INT64_MAX, INT64_MIN, 0x7fff, -0x8000, 1 << 30};
    if (b < 224) return (int64_t)(b % 10) - 1; /* -1..8: axes, indices, strides, subgraphs */
    return special[(b - 224) % (sizeof special / sizeof special[0])];
}

static float float_value(uint8_t b) {
    static const float table[] = {0.0f,  1.0f,   0.5f,   2.0f,   -1.0f,  0.1f,    1e-6f,   1e-30f,
                                  1e30f, 3.4e38f, -0.0f, 0.25f, 1.0f / 255, 1.0f / 128, 100.0f, 4.0f};
    if (b >= 250) return b == 250 ? __builtin_nanf("") : b == 251 ? __builtin_inff() : -__builtin_inff();
    return table[b % (sizeof table / sizeof table[0])];
}

static const char *const strings[] = {"", "a", "x", "shared", "serving_default", "in", "out"};

/* Keys the custom operators read from their FlexBuffer options. */
static const char *const flex_keys[] = {
    "alternate_one_minus_smoothing", "alternate_smoothing", "clamping", "detections_per_class",
    "end_index", "fft_length", "h_scale", "input_correction_bits", "max_classes_per_detection",
    "max_detections", "min_signal_remaining", "nms_iou_threshold", "nms_score_threshold", "num_channels",
    "num_classes", "one_minus_smoothing", "output_scale", "shift", "smoothing", "smoothing_bits",
    "snr_shift", "spectral_subtraction_bits", "start_index", "use_regular_nms", "w_scale", "x_scale",
    "y_scale", "strength", "offset", "gain_bits", "input_size", "output_size"};
#define FLEX_KEY_COUNT ((int)(sizeof flex_keys / sizeof flex_keys[0]))

/* ---- operators ---- */

static const mote_op *const signal_ops[] = {
    &signal_op_window,     &signal_op_fft_auto_scale, &signal_op_rfft,
    &signal_op_energy,     &signal_op_filter_bank,    &signal_op_filter_bank_square_root,
    &signal_op_filter_bank_spectral_subtraction, &signal_op_filter_bank_log, &signal_op_pcan,
};
#define SIGNAL_COUNT ((int32_t)(sizeof signal_ops / sizeof signal_ops[0]))

static const mote_op *op_at(int32_t i) {
    return i < registry_count() ? registry_at(i) : signal_ops[i - registry_count()];
}

/* builtin code -> its BuiltinOptions type, matched by name ("CONV_2D" ~ "Conv2DOptions") with
 * the schema's exceptions. */
static int32_t options_for_code[MOTE_OP_COUNT_];

static void normalize(const char *in, char *out, size_t n) {
    size_t k = 0;
    for (; *in && k + 1 < n; in++)
        if (*in != '_') out[k++] = (char)((*in >= 'A' && *in <= 'Z') ? *in - 'A' + 'a' : *in);
    out[k] = 0;
}

static void build_options_table(void) {
    static int built;
    if (built) return;
    built = 1;
    for (int32_t t = 1; t < 256; t++) {
        const char *name;
        if (!writer_option_layout(t, &name)) continue;
        char opt[96];
        normalize(name, opt, sizeof opt);
        size_t len = strlen(opt);
        if (len > 7 && strcmp(opt + len - 7, "options") == 0) opt[len - 7] = 0;
        for (int32_t c = 0; c < MOTE_OP_COUNT_; c++) {
            const char *bn = mote_builtin_name(c);
            char b[96];
            if (!bn) continue;
            normalize(bn, b, sizeof b);
            if (strcmp(b, opt) == 0) options_for_code[c] = t;
        }
    }
    static const int32_t reducers[] = {MOTE_OP_MEAN, MOTE_OP_SUM, MOTE_OP_REDUCE_PROD, MOTE_OP_REDUCE_MAX,
                                       MOTE_OP_REDUCE_MIN, MOTE_OP_REDUCE_ANY, MOTE_OP_REDUCE_ALL};
    for (size_t i = 0; i < sizeof reducers / sizeof reducers[0]; i++) options_for_code[reducers[i]] = TFL_OPTIONS_REDUCER;
    options_for_code[MOTE_OP_AVERAGE_POOL_2D] = options_for_code[MOTE_OP_MAX_POOL_2D] =
        options_for_code[MOTE_OP_L2_POOL_2D] = TFL_OPTIONS_POOL2D;
    options_for_code[MOTE_OP_MAXIMUM] = options_for_code[MOTE_OP_MINIMUM] = TFL_OPTIONS_MAXIMUM_MINIMUM;
    options_for_code[MOTE_OP_L2_NORMALIZATION] = TFL_OPTIONS_L2NORM;
    options_for_code[MOTE_OP_UNIDIRECTIONAL_SEQUENCE_RNN] = TFL_OPTIONS_SEQUENCE_RNN;
    options_for_code[MOTE_OP_CONV_3D_TRANSPOSE] = options_for_code[MOTE_OP_CONV_3D];
    options_for_code[MOTE_OP_LOCAL_RESPONSE_NORMALIZATION] = TFL_OPTIONS_LRN;
}

/* ---- building ---- */

#define MAX_TENSORS 10
#define MAX_DATA 4096

typedef struct graph {
    int32_t tensor_count;
    uint8_t constant[MAX_TENSORS];
    uint8_t produced[MAX_TENSORS];
    uint8_t consumed[MAX_TENSORS];
} graph;

static size_t element_count(int32_t rank, const int32_t *dims) {
    size_t n = 1;
    for (int32_t i = 0; i < rank; i++) {
        if (dims[i] && n > SIZE_MAX / (size_t)dims[i]) return SIZE_MAX;
        n *= (size_t)dims[i];
    }
    return n;
}

/* Constant bytes of a type and shape in one of four patterns. */
static size_t make_data(reader *r, mote_type type, int32_t rank, const int32_t *dims, int pattern,
                        uint8_t *out) {
    size_t n = element_count(rank, dims);
    if (type == MOTE_STRING) {
        if (n > 8) n = 8;
        size_t head = 4 * (n + 2), at = head;
        uint32_t count = (uint32_t)n;
        memcpy(out, &count, 4);
        for (size_t i = 0; i <= n; i++) {
            uint32_t off = (uint32_t)at;
            memcpy(out + 4 + 4 * i, &off, 4);
            if (i < n) {
                const char *s = strings[u8(r) % (sizeof strings / sizeof strings[0])];
                memcpy(out + at, s, strlen(s));
                at += strlen(s);
            }
        }
        if (pattern == 3) out[4] ^= (uint8_t)u8(r); /* a broken offset table */
        return at;
    }
    if (type == MOTE_RESOURCE || type == MOTE_VARIANT) {
        size_t k = u8(r) % 16;
        for (size_t i = 0; i < k; i++) out[i] = u8(r);
        return k;
    }
    size_t bytes;
    if (mote_dense_bytes(type, rank, dims, &bytes) || bytes > MAX_DATA) return SIZE_MAX;
    size_t esize = mote_type_bytes(type);
    for (size_t i = 0; i < bytes; i++) out[i] = 0;
    switch (pattern) {
    case 0: /* raw bytes from the description */
        for (size_t i = 0; i < bytes && i < 64; i++) out[i] = u8(r);
        for (size_t i = 64; i < bytes; i++) out[i] = out[i % 64];
        break;
    case 1: /* small integers (indices, shapes, axes), as the type stores them */
    case 2: {
        int64_t base = pattern == 1 ? int_value(u8(r)) : 0;
        for (size_t i = 0; esize && i < n; i++) {
            int64_t v = pattern == 1 ? (int64_t)((uint64_t)base + i % 4) : (int64_t)(i % 5);
            if (type == MOTE_FLOAT32) {
                float f = (float)v;
                memcpy(out + i * 4, &f, 4);
            } else if (type == MOTE_FLOAT64) {
                double d = (double)v;
                memcpy(out + i * 8, &d, 8);
            } else {
                memcpy(out + i * esize, &v, esize); /* little-endian: the low bytes */
            }
        }
        break;
    }
    default: /* zeros */
        break;
    }
    return bytes;
}

static void add_tensor(mote_writer *w, reader *r, graph *g) {
    mote_type type = types[u8(r) % (sizeof types / sizeof types[0])];
    uint8_t rb = u8(r);
    int32_t rank = rb < 240 ? rb % 5 : 5 + rb % 5; /* 0..4, sometimes up to 9 (above Mote's 8) */
    int32_t dims[10];
    for (int32_t i = 0; i < rank; i++) dims[i] = dim_value(u8(r));
    uint8_t kind = u8(r);
    int constant = (kind & 3) == 1 || (kind & 3) == 2;
    static uint8_t data[MAX_DATA + 64];
    size_t size = 0;
    if (constant) {
        size = make_data(r, type, rank, dims, (kind >> 6) & 3, data);
        if (size == SIZE_MAX) constant = 0;
    }
    int32_t index;
    if (mote_writer_add_tensor(w, (kind & 4) ? strings[kind % 7] : NULL, type, rank, dims,
                               constant ? data : NULL, constant ? size : 0, &index))
        return;
    g->constant[g->tensor_count++] = (uint8_t)constant;
    if (kind & 8) { /* quantized: per tensor, or per channel along an axis */
        float scales[16];
        int64_t zps[16];
        int32_t count = 1, axis = 0;
        if ((kind & 16) && rank > 0) {
            axis = u8(r) % rank;
            count = dims[axis] >= 1 && dims[axis] <= 16 ? dims[axis] : 1 + u8(r) % 3;
        }
        for (int32_t i = 0; i < count; i++) {
            uint8_t s = u8(r);
            scales[i] = s < 200 ? (float)(1 + s % 16) / 256.0f : float_value(s);
            zps[i] = (int8_t)u8(r) / 8;
        }
        mote_writer_set_quantization(w, index, count, scales, zps, axis);
    }
    if (kind & 32) {
        int32_t sig[10];
        for (int32_t i = 0; i < rank; i++) sig[i] = (u8(r) & 1) ? -1 : dims[i];
        mote_writer_set_shape_signature(w, index, rank, sig);
    }
    if ((kind & 0x84) == 0x84) mote_writer_set_variable(w, index, 1);
}

/* A FlexBuffer map of up to 6 of the keys, or raw bytes. */
static size_t make_custom_options(reader *r, uint8_t *out) {
    uint8_t mode = u8(r);
    if (mode % 4 == 3) {
        size_t n = u8(r) % 48;
        for (size_t i = 0; i < n; i++) out[i] = u8(r);
        return n;
    }
    flexgen_entry e[8];
    int n = 0, start = u8(r) % FLEX_KEY_COUNT;
    int want = 1 + mode % 6;
    /* Keys in sorted order: take a window of the sorted table, skipping some. */
    static const char *sorted[FLEX_KEY_COUNT];
    static int sorted_done;
    if (!sorted_done) {
        memcpy(sorted, flex_keys, sizeof sorted);
        for (int i = 1; i < FLEX_KEY_COUNT; i++)
            for (int j = i; j > 0 && strcmp(sorted[j - 1], sorted[j]) > 0; j--) {
                const char *t = sorted[j];
                sorted[j] = sorted[j - 1];
                sorted[j - 1] = t;
            }
        sorted_done = 1;
    }
    for (int k = start; k < FLEX_KEY_COUNT && n < want; k++) {
        uint8_t v = u8(r);
        if (v & 1) continue;
        e[n].key = sorted[k];
        e[n].width = 8;
        switch ((v >> 1) % 4) {
        case 0: e[n].type = FG_INT; e[n].bits = (uint64_t)int_value(u8(r)); break;
        case 1: e[n].type = FG_FLOAT; e[n].bits = flexgen_float_bits(float_value(u8(r))); break;
        case 2: e[n].type = FG_BOOL; e[n].bits = u8(r) & 1; break;
        default: e[n].type = FG_IND_INT; e[n].bits = (uint64_t)int_value(u8(r)); break;
        }
        n++;
    }
    static const int widths[] = {1, 2, 4, 8};
    int width = widths[(mode >> 4) & 3];
    /* Narrow slots cannot hold every value: keep them when they fit, else use 8 bytes. */
    for (int i = 0; i < n; i++)
        if (e[i].type == FG_FLOAT || (width < 8 && e[i].bits >> (8 * width - 1))) width = 8;
    if (width < 4 && n > 0) width = 4; /* key offsets need room */
    return flexgen_map(out, e, n, width);
}

/* Where the first operator's selector was read (for the seed generator, which rewrites it
 * to pick each operator in turn). */
static size_t first_op_at = SIZE_MAX;

static void add_op(mote_writer *w, reader *r, graph *g) {
    if (first_op_at == SIZE_MAX) first_op_at = r->at;
    uint16_t sel = u16(r);
    int32_t code, total = registry_count() + SIGNAL_COUNT;
    const char *custom = NULL;
    if (sel < 0xF000) {
        const mote_op *op = op_at(sel % total);
        code = op->custom_name ? MOTE_OP_CUSTOM : op->builtin_code;
        custom = op->custom_name;
    } else {
        code = sel % (MOTE_OP_COUNT_ + 2); /* anything, including codes nobody implements */
        if (code == MOTE_OP_CUSTOM) custom = strings[sel % 7][0] ? strings[sel % 7] : "Custom";
    }
    int32_t version = 1 + (u8(r) % 8 == 0 ? u8(r) % 4 : 0);
    int32_t inputs[32], outputs[4], mids[4];
    uint8_t nb = u8(r);
    int32_t ni = nb < 200 ? nb % 5 : nb % 25;
    int32_t no = 1 + u8(r) % 3, nm = 0;
    for (int32_t i = 0; i < ni; i++) {
        uint8_t b = u8(r);
        inputs[i] = b < 240 ? (int32_t)(b % (g->tensor_count + 1)) - 1 : (int32_t)b - 250;
    }
    for (int32_t i = 0; i < no; i++) outputs[i] = g->tensor_count ? u8(r) % g->tensor_count : 0;
    if (u8(r) % 16 == 0) {
        nm = 1 + u8(r) % 3;
        for (int32_t i = 0; i < nm; i++) mids[i] = g->tensor_count ? u8(r) % g->tensor_count : 0;
    }
    int32_t options = code >= 0 && code < MOTE_OP_COUNT_ ? options_for_code[code] : 0;
    uint8_t ob = u8(r);
    if (ob >= 240) options = ob % 128;
    mote_option_field fields[16];
    int32_t field_count = 0;
    static int32_t vec_values[4][6];
    const char *layout = writer_option_layout(options, NULL);
    uint16_t mask = u16(r);
    if (layout) {
        for (int32_t id = 0; layout[id] && id < 16; id++) {
            if (!(mask >> id & 1)) continue;
            mote_option_field *f = &fields[field_count];
            memset(f, 0, sizeof *f);
            f->id = (uint16_t)id;
            uint8_t v = u8(r);
            switch (layout[id]) {
            case '1': f->kind = MOTE_FIELD_INT8; f->i = v < 240 ? v % 6 : (v & 1 ? -1 : 255); break;
            case '2': f->kind = MOTE_FIELD_INT16; f->i = int_value(v) > 32767 || int_value(v) < -32768 ? 7 : int_value(v); break;
            case '4':
                if (v & 0x80) {
                    f->kind = MOTE_FIELD_FLOAT32;
                    f->f = float_value(u8(r));
                } else {
                    f->kind = MOTE_FIELD_INT32;
                    int64_t x = int_value(u8(r));
                    f->i = x > INT32_MAX || x < INT32_MIN ? -1 : x;
                }
                break;
            case '8': f->kind = MOTE_FIELD_INT64; f->i = int_value(v); break;
            case 'v': {
                int32_t *vals = vec_values[field_count % 4];
                f->kind = MOTE_FIELD_INT32_VECTOR;
                f->count = v % 6;
                for (int32_t k = 0; k < f->count; k++) {
                    int64_t x = int_value(u8(r));
                    vals[k] = x > INT32_MAX || x < INT32_MIN ? -1 : (int32_t)x;
                }
                f->ints = vals;
                break;
            }
            default: f->kind = MOTE_FIELD_STRING; f->str = strings[v % 7]; break;
            }
            field_count++;
        }
    }
    static uint8_t custom_options[512];
    size_t custom_size = 0;
    if (code == MOTE_OP_CUSTOM || u8(r) % 32 == 0) custom_size = make_custom_options(r, custom_options);
    mote_writer_op op = {code, custom, version, ni, inputs, no, outputs, nm, mids, options, field_count,
                         fields, custom_size ? custom_options : NULL, custom_size};
    if (mote_writer_add_op(w, &op, NULL)) return;
    for (int32_t i = 0; i < ni; i++)
        if (inputs[i] >= 0 && inputs[i] < g->tensor_count) g->consumed[inputs[i]] = 1;
    for (int32_t i = 0; i < no; i++) g->produced[outputs[i]] = 1;
}

static void set_io(mote_writer *w, reader *r, const graph *g, int32_t *ins, int32_t *ni, int32_t *outs,
                   int32_t *no) {
    uint8_t mode = u8(r);
    uint16_t in_mask = mode & 1 ? u16(r) : 0xffff, out_mask = mode & 1 ? u16(r) : 0xffff;
    *ni = *no = 0;
    for (int32_t i = 0; i < g->tensor_count; i++) {
        int natural_in = !g->constant[i] && !g->produced[i];
        int natural_out = g->produced[i] && (!g->consumed[i] || (mode & 2));
        if ((mode & 1) ? (in_mask >> i & 1) : natural_in) ins[(*ni)++] = i;
        if ((mode & 1) ? (out_mask >> i & 1) : natural_out) outs[(*no)++] = i;
    }
    mote_writer_set_inputs(w, *ni, ins);
    mote_writer_set_outputs(w, *no, outs);
}

static mote_writer *writer;

/* Decodes a description into writer's model; returns its bytes or NULL. */
static const uint8_t *build(const uint8_t *data, size_t size, size_t *model_size) {
    build_options_table();
    mote_writer_destroy(writer);
    writer = NULL;
    if (mote_writer_create(NULL, &writer)) return NULL;
    reader r = {data, size, 0};
    first_op_at = SIZE_MAX;
    uint8_t flags = u8(&r);
    int32_t subgraphs = 1 + (flags & 3) % 3;
    for (int32_t s = 0; s < subgraphs; s++) {
        if (s > 0 && mote_writer_add_subgraph(writer, NULL, NULL)) break;
        graph g;
        memset(&g, 0, sizeof g);
        int32_t nt = 1 + u8(&r) % MAX_TENSORS;
        for (int32_t i = 0; i < nt; i++) add_tensor(writer, &r, &g);
        int32_t nops = u8(&r) % 8;
        for (int32_t i = 0; i < nops; i++) add_op(writer, &r, &g);
        int32_t ins[MAX_TENSORS], outs[MAX_TENSORS], ni, no;
        set_io(writer, &r, &g, ins, &ni, outs, &no);
        if (flags & 4) {
            static const char *const in_names[] = {"in0", "in1", "in2", "in3", "in4",
                                                   "in5", "in6", "in7", "in8", "in9"};
            static const char *const out_names[] = {"out0", "out1", "out2", "out3", "out4",
                                                    "out5", "out6", "out7", "out8", "out9"};
            mote_writer_add_signature(writer, strings[(s + 3) % 7], s, ni, in_names, ins, no, out_names,
                                      outs);
        }
    }
    if (flags & 8) mote_writer_add_metadata(writer, "min_runtime_version", "1.5.0", 6);
    const void *bytes;
    if (mote_writer_finish(writer, &bytes, model_size)) return NULL;
    return bytes;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    size_t model_size = 0;
    const uint8_t *model = build(data, size, &model_size);
    if (model) fuzz_run_model(model, model_size, fuzz_hash(data, size));
    mote_writer_destroy(writer);
    writer = NULL;
    return 0;
}

size_t fuzz_structured_first_op(void) { return first_op_at; }

int32_t fuzz_structured_op_count(void) { return registry_count() + SIGNAL_COUNT; }

const mote_op *fuzz_structured_op(int32_t k) { return op_at(k); }

int fuzz_structured_flex_keys(void) { return FLEX_KEY_COUNT; }

const char *fuzz_structured_layout(int32_t k) {
    build_options_table();
    const mote_op *op = op_at(k);
    int32_t code = op->custom_name ? MOTE_OP_CUSTOM : op->builtin_code;
    return code >= 0 && code < MOTE_OP_COUNT_ ? writer_option_layout(options_for_code[code], NULL) : NULL;
}

int fuzz_target_model(const uint8_t *data, size_t size, const uint8_t **model, size_t *model_size) {
    *model = build(data, size, model_size);
    return *model ? 0 : -1; /* the writer keeps the bytes until the next call */
}
