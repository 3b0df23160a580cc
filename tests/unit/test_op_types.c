/* test_op_types.c — keeps the tensor types op_list.h claims for each operator (and `mote
 * ops` prints) honest: for every operator with a probe below and every probed type, a tiny
 * single-op model is written with mote_writer and allocated. A type the list claims must
 * be accepted; a probed type it does not claim must be refused. Operators without a probe
 * (control flow, recurrent cells, resource variables, custom operators) keep hand-written
 * entries.
 *
 * MOTE_OP_TYPES_PRINT=1 prints the types each probe finds, in op_list.h's notation.
 *
 * A probe is a string: input tensors, '>', output tensors, then optionally '@' and the
 * options table type followed by its fields.
 *   tensor:  TYPE[d0,d1,...]  with  =z (a zero constant) or =v0,v1,... (a constant),
 *            ~ for an omitted optional input, and an optional suffix !s !t !l !n for the
 *            fixed output quantization of sigmoid/softmax, tanh, log-softmax, L2 norm.
 *   TYPE:    T (the probed type), W (weights: int8 for int16 inputs, else T),
 *            B (bias: int32 for int8/uint8 inputs, int64 for int16, else T), or a fixed type:
 *            f32 f16 i8 u8 i16 i32 i64 bool c64.
 *   field:   ID KIND VALUE, KIND b (byte), o (bool), i (int32), f (float).
 * Every int8, uint8 and int16 tensor gets quantization (scale 0.1, zero point 0; 128 for
 * uint8), weights scale 0.05 and biases their product. */
#include <stdlib.h>

#include "core/interpreter.h"
#include "format/builtin_ops.h"
#include "kernels/registry.h"
#include "model_builder.h"

typedef struct probe {
    int32_t code;
    const char *spec;
} probe;

static const probe probes[] = {
    {MOTE_OP_ADD, "T[2,3] T[2,3] > T[2,3]"},
    {MOTE_OP_SUB, "T[2,3] T[2,3] > T[2,3]"},
    {MOTE_OP_MUL, "T[2,3] T[2,3] > T[2,3]"},
    {MOTE_OP_DIV, "T[2,3] T[2,3] > T[2,3]"},
    {MOTE_OP_SQUARED_DIFFERENCE, "T[2,3] T[2,3] > T[2,3]"},
    {MOTE_OP_MAXIMUM, "T[2,3] T[2,3] > T[2,3]"},
    {MOTE_OP_MINIMUM, "T[2,3] T[2,3] > T[2,3]"},
    {MOTE_OP_FLOOR_DIV, "T[2,3] T[2,3] > T[2,3]"},
    {MOTE_OP_FLOOR_MOD, "T[2,3] T[2,3] > T[2,3]"},
    {MOTE_OP_POW, "T[2,3] T[2,3] > T[2,3]"},
    {MOTE_OP_FULLY_CONNECTED, "T[2,4] W[3,4]=z B[3]=z > T[2,3]"},
    {MOTE_OP_CONV_2D, "T[1,5,5,2] W[3,3,3,2]=z B[3]=z > T[1,3,3,3] @1 0b1 1i1 2i1 4i1 5i1"},
    {MOTE_OP_DEPTHWISE_CONV_2D, "T[1,5,5,2] W[1,3,3,2]=z B[2]=z > T[1,3,3,2] @2 0b1 1i1 2i1 3i1 5i1 6i1"},
    {MOTE_OP_TRANSPOSE_CONV, "i32[4]=1,5,5,3 W[3,3,3,2]=z T[1,3,3,2] B[3]=z > T[1,5,5,3] @49 0b1 1i1 2i1"},
    {MOTE_OP_AVERAGE_POOL_2D, "T[1,4,4,2] > T[1,2,2,2] @5 0b1 1i2 2i2 3i2 4i2"},
    {MOTE_OP_MAX_POOL_2D, "T[1,4,4,2] > T[1,2,2,2] @5 0b1 1i2 2i2 3i2 4i2"},
    {MOTE_OP_L2_POOL_2D, "T[1,4,4,2] > T[1,2,2,2] @5 0b1 1i2 2i2 3i2 4i2"},
    {MOTE_OP_RELU, "T[2,3] > T[2,3]"},
    {MOTE_OP_RELU6, "T[2,3] > T[2,3]"},
    {MOTE_OP_RELU_N1_TO_1, "T[2,3] > T[2,3]"},
    {MOTE_OP_RELU_0_TO_1, "T[2,3] > T[2,3]"},
    {MOTE_OP_LOGISTIC, "T[2,3] > T[2,3]!s"},
    {MOTE_OP_TANH, "T[2,3] > T[2,3]!t"},
    {MOTE_OP_HARD_SWISH, "T[2,3] > T[2,3]"},
    {MOTE_OP_ELU, "T[2,3] > T[2,3]"},
    {MOTE_OP_LEAKY_RELU, "T[2,3] > T[2,3] @75 0f0.2"},
    {MOTE_OP_GELU, "T[2,3] > T[2,3]"},
    {MOTE_OP_PRELU, "T[2,3] T[3]=z > T[2,3]"},
    {MOTE_OP_SOFTMAX, "T[2,3] > T[2,3]!s @9 0f1"},
    {MOTE_OP_LOG_SOFTMAX, "T[2,3] > T[2,3]!l"},
    {MOTE_OP_RESHAPE, "T[2,3] i32[2]=3,2 > T[3,2]"},
    {MOTE_OP_SQUEEZE, "T[1,3] > T[3]"},
    {MOTE_OP_EXPAND_DIMS, "T[3] i32[1]=0 > T[1,3]"},
    {MOTE_OP_CONCATENATION, "T[2,3] T[2,3] > T[4,3] @10 0i0"},
    {MOTE_OP_PAD, "T[2,3] i32[2,2]=1,1,1,1 > T[4,5]"},
    {MOTE_OP_PADV2, "T[2,3] i32[2,2]=1,1,1,1 T[] > T[4,5]"},
    {MOTE_OP_MIRROR_PAD, "T[3,3] i32[2,2]=1,1,1,1 > T[5,5]"},
    {MOTE_OP_MEAN, "T[2,3] i32[1]=1 > T[2]"},
    {MOTE_OP_SUM, "T[2,3] i32[1]=1 > T[2]"},
    {MOTE_OP_REDUCE_PROD, "T[2,3] i32[1]=1 > T[2]"},
    {MOTE_OP_REDUCE_MAX, "T[2,3] i32[1]=1 > T[2]"},
    {MOTE_OP_REDUCE_MIN, "T[2,3] i32[1]=1 > T[2]"},
    {MOTE_OP_REDUCE_ANY, "T[2,3] i32[1]=1 > T[2]"},
    {MOTE_OP_REDUCE_ALL, "T[2,3] i32[1]=1 > T[2]"},
    {MOTE_OP_GATHER, "T[4,3] i32[2]=0,1 > T[2,3]"},
    {MOTE_OP_RESIZE_BILINEAR, "T[1,2,2,1] i32[2]=4,4 > T[1,4,4,1]"},
    {MOTE_OP_RESIZE_NEAREST_NEIGHBOR, "T[1,2,2,1] i32[2]=4,4 > T[1,4,4,1]"},
    {MOTE_OP_DEQUANTIZE, "T[4] > f32[4]"},
    {MOTE_OP_DEPTH_TO_SPACE, "T[1,1,1,4] > T[1,2,2,1] @94 0i2"},
    {MOTE_OP_SPACE_TO_DEPTH, "T[1,2,2,1] > T[1,1,1,4] @19 0i2"},
    {MOTE_OP_QUANTIZE, "T[4] > i8[4]"},
    {MOTE_OP_SPLIT, "i32[]=0 T[4,3] > T[2,3] T[2,3] @35 0i2"},
    {MOTE_OP_SPLIT_V, "T[4,3] i32[2]=1,3 i32[]=0 > T[1,3] T[3,3] @79 0i2"},
    {MOTE_OP_TRANSPOSE, "T[2,3] i32[2]=1,0 > T[3,2]"},
    {MOTE_OP_BATCH_MATMUL, "T[2,3] T[3,4] > T[2,4]"},
    {MOTE_OP_SLICE, "T[3,4] i32[2]=0,1 i32[2]=2,2 > T[2,2]"},
    {MOTE_OP_STRIDED_SLICE, "T[3,4] i32[2]=0,0 i32[2]=2,2 i32[2]=1,1 > T[2,2]"},
    {MOTE_OP_ABS, "T[2,3] > T[2,3]"},
    {MOTE_OP_NEG, "T[2,3] > T[2,3]"},
    {MOTE_OP_SQUARE, "T[2,3] > T[2,3]"},
    {MOTE_OP_SQRT, "T[2,3] > T[2,3]"},
    {MOTE_OP_RSQRT, "T[2,3] > T[2,3]"},
    {MOTE_OP_EXP, "T[2,3] > T[2,3]"},
    {MOTE_OP_LOG, "T[2,3] > T[2,3]"},
    {MOTE_OP_SIN, "T[2,3] > T[2,3]"},
    {MOTE_OP_COS, "T[2,3] > T[2,3]"},
    {MOTE_OP_FLOOR, "T[2,3] > T[2,3]"},
    {MOTE_OP_CEIL, "T[2,3] > T[2,3]"},
    {MOTE_OP_ROUND, "T[2,3] > T[2,3]"},
    {MOTE_OP_SIGN, "T[2,3] > T[2,3]"},
    {MOTE_OP_COMPLEX_ABS, "T[4] > f32[4]"},
    {MOTE_OP_REAL, "T[4] > f32[4]"},
    {MOTE_OP_IMAG, "T[4] > f32[4]"},
    {MOTE_OP_SHAPE, "T[2,3] > i32[2]"},
    {MOTE_OP_RANK, "T[2,3] > i32[]"},
    {MOTE_OP_EQUAL, "T[3] T[3] > bool[3]"},
    {MOTE_OP_NOT_EQUAL, "T[3] T[3] > bool[3]"},
    {MOTE_OP_GREATER, "T[3] T[3] > bool[3]"},
    {MOTE_OP_GREATER_EQUAL, "T[3] T[3] > bool[3]"},
    {MOTE_OP_LESS, "T[3] T[3] > bool[3]"},
    {MOTE_OP_LESS_EQUAL, "T[3] T[3] > bool[3]"},
    {MOTE_OP_LOGICAL_AND, "T[3] T[3] > T[3]"},
    {MOTE_OP_LOGICAL_OR, "T[3] T[3] > T[3]"},
    {MOTE_OP_LOGICAL_NOT, "T[3] > T[3]"},
    {MOTE_OP_SELECT, "bool[3] T[3] T[3] > T[3]"},
    {MOTE_OP_SELECT_V2, "bool[3] T[3] T[3] > T[3]"},
    {MOTE_OP_CAST, "T[3] > f32[3]"},
    {MOTE_OP_PACK, "T[3] T[3] > T[2,3] @59 0i2 1i0"},
    {MOTE_OP_UNPACK, "T[2,3] > T[3] T[3] @64 0i2 1i0"},
    {MOTE_OP_TILE, "T[2,3] i32[2]=2,1 > T[4,3]"},
    {MOTE_OP_BROADCAST_TO, "T[3] i32[2]=2,3 > T[2,3]"},
    {MOTE_OP_BROADCAST_ARGS, "T[2]=2,3 T[1]=1 > T[2]"},
    {MOTE_OP_SPACE_TO_BATCH_ND, "T[1,4,4,1] i32[2]=2,2 i32[2,2]=0,0,0,0 > T[4,2,2,1]"},
    {MOTE_OP_BATCH_TO_SPACE_ND, "T[4,2,2,1] i32[2]=2,2 i32[2,2]=0,0,0,0 > T[1,4,4,1]"},
    {MOTE_OP_ARG_MAX, "T[2,3] i32[]=1 > i32[2] @40 0b2"},
    {MOTE_OP_ARG_MIN, "T[2,3] i32[]=1 > i32[2] @57 0b2"},
    {MOTE_OP_GATHER_ND, "T[3,3] i32[2,1]=0,1 > T[2,3]"},
    {MOTE_OP_SCATTER_ND, "i32[2,1]=0,1 T[2,3] i32[2]=4,3 > T[4,3]"},
    {MOTE_OP_TOPK_V2, "T[2,5] i32[]=2 > T[2,2] i32[2,2]"},
    {MOTE_OP_L2_NORMALIZATION, "T[2,4] > T[2,4]!n"},
    {MOTE_OP_LOCAL_RESPONSE_NORMALIZATION, "T[1,2,2,4] > T[1,2,2,4] @13 0i2 1f1 2f1 3f0.5"},
    {MOTE_OP_FILL, "i32[2]=2,3 T[] > T[2,3]"},
    {MOTE_OP_ZEROS_LIKE, "T[2,3] > T[2,3]"},
    {MOTE_OP_RANGE, "T[]=0 T[]=4 T[]=1 > T[4]"},
    {MOTE_OP_ONE_HOT, "i32[3]=0,1,2 i32[]=3 T[] T[] > T[3,3] @61 0i-1"},
    {MOTE_OP_CUMSUM, "T[2,3] i32[]=1 > T[2,3]"},
    {MOTE_OP_ADD_N, "T[3] T[3] > T[3]"},
    {MOTE_OP_REVERSE_V2, "T[2,3] i32[1]=1 > T[2,3]"},
    {MOTE_OP_REVERSE_SEQUENCE, "T[2,3] i32[2]=1,2 > T[2,3] @87 0i1 1i0"},
    {MOTE_OP_EMBEDDING_LOOKUP, "i32[2]=0,1 T[3,4]=z > T[2,4]"},
    {MOTE_OP_SEGMENT_SUM, "T[3,2] i32[3]=0,0,1 > T[2,2]"},
    {MOTE_OP_UNSORTED_SEGMENT_SUM, "T[3,2] i32[3]=0,0,1 i32[]=2 > T[2,2]"},
    {MOTE_OP_UNSORTED_SEGMENT_PROD, "T[3,2] i32[3]=0,0,1 i32[]=2 > T[2,2]"},
    {MOTE_OP_UNSORTED_SEGMENT_MAX, "T[3,2] i32[3]=0,0,1 i32[]=2 > T[2,2]"},
    {MOTE_OP_UNSORTED_SEGMENT_MIN, "T[3,2] i32[3]=0,0,1 i32[]=2 > T[2,2]"},
    {MOTE_OP_MATRIX_DIAG, "T[2,3] > T[2,3,3]"},
    {MOTE_OP_MATRIX_SET_DIAG, "T[2,3,3] T[2,3] > T[2,3,3]"},
    {MOTE_OP_BUCKETIZE, "T[4] > i32[4]"},
    {MOTE_OP_WHERE, "T[2,3] > i64[6,2]"},
    {MOTE_OP_DYNAMIC_UPDATE_SLICE, "T[4,3] T[2,3] i32[2]=1,0 > T[4,3]"},
    {MOTE_OP_SPARSE_TO_DENSE, "i32[2,1]=0,2 i32[1]=4 T[2] T[] > T[4]"},
    {MOTE_OP_BITWISE_XOR, "T[3] T[3] > T[3]"},
    {MOTE_OP_RIGHT_SHIFT, "T[3] T[3] > T[3]"},
    {MOTE_OP_ATAN2, "T[3] T[3] > T[3]"},
    {MOTE_OP_BITCAST, "T[4] > T[4]"},
    {MOTE_OP_HASHTABLE_LOOKUP, "i32[2] i32[3]=1,2,3 T[3,2] > T[2,2] u8[2]"},
    {MOTE_OP_FAKE_QUANT, "T[4] > T[4] @58 0f-1 1f1 2i8"},
    {MOTE_OP_UNIQUE, "T[4] > T[4] i32[4] @80 0b2"},
};

/* The types probed, in the order `mote ops` prints them. */
static const mote_type probed[] = {MOTE_FLOAT32, MOTE_FLOAT16, MOTE_FLOAT64, MOTE_INT8,  MOTE_UINT8,
                                   MOTE_INT16,   MOTE_UINT16,  MOTE_INT32,   MOTE_UINT32, MOTE_INT64,
                                   MOTE_BOOL,    MOTE_STRING,  MOTE_COMPLEX64};
#define PROBED_COUNT ((int)(sizeof probed / sizeof probed[0]))

static int is_quantized(mote_type t) { return t == MOTE_INT8 || t == MOTE_UINT8 || t == MOTE_INT16; }

/* Parses a type name at *p; returns 0 when it is not one. */
static int parse_type(const char **p, mote_type t, mote_type *out, int *role) {
    static const struct {
        const char *name;
        mote_type type;
    } names[] = {{"f32", MOTE_FLOAT32}, {"f16", MOTE_FLOAT16}, {"i8", MOTE_INT8},     {"u8", MOTE_UINT8},
                 {"i16", MOTE_INT16},   {"i32", MOTE_INT32},   {"i64", MOTE_INT64},   {"bool", MOTE_BOOL},
                 {"c64", MOTE_COMPLEX64}};
    *role = 0;
    if (**p == 'T' || **p == 'W' || **p == 'B') {
        *role = **p;
        (*p)++;
        *out = t;
        if (*role == 'W' && t == MOTE_INT16) *out = MOTE_INT8;
        if (*role == 'B' && (t == MOTE_INT8 || t == MOTE_UINT8)) *out = MOTE_INT32;
        if (*role == 'B' && t == MOTE_INT16) *out = MOTE_INT64;
        return 1;
    }
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        size_t n = strlen(names[i].name);
        if (strncmp(*p, names[i].name, n) == 0 && (*p)[n] == '[') {
            *out = names[i].type;
            *p += n;
            return 1;
        }
    }
    return 0;
}

/* Writes value v as one element of type t; returns 0 when t cannot hold constants here. */
static int put_value(mote_type t, uint8_t *dst, double v) {
    static const uint16_t halves[5] = {0x0000, 0x3c00, 0x4000, 0x4200, 0x4400}; /* float16 0..4 */
    float f[2] = {(float)v, 0.0f};
    int16_t i16 = (int16_t)v;
    int32_t i32 = (int32_t)v;
    int64_t i64 = (int64_t)v;
    switch (t) {
    case MOTE_FLOAT32: memcpy(dst, f, 4); return 1;
    case MOTE_FLOAT64: memcpy(dst, &v, 8); return 1;
    case MOTE_COMPLEX64: memcpy(dst, f, 8); return 1;
    case MOTE_FLOAT16:
        if (v < 0 || v > 4 || v != (int)v) return 0;
        memcpy(dst, &halves[(int)v], 2);
        return 1;
    case MOTE_INT8:
    case MOTE_UINT8:
    case MOTE_BOOL: dst[0] = (uint8_t)(int)v; return 1;
    case MOTE_INT16:
    case MOTE_UINT16: memcpy(dst, &i16, 2); return 1;
    case MOTE_INT32:
    case MOTE_UINT32: memcpy(dst, &i32, 4); return 1;
    case MOTE_INT64: memcpy(dst, &i64, 8); return 1;
    default: return 0;
    }
}

static void set_quant(mb *b, int32_t tensor, mote_type type, int role, char fixed) {
    float scale = role == 'W' ? 0.05f : role == 'B' ? 0.005f : 0.1f;
    int64_t zp = type == MOTE_UINT8 && role != 'B' ? 128 : 0;
    if (fixed == 's') { /* sigmoid, softmax */
        scale = type == MOTE_INT16 ? 1.0f / 32768 : 1.0f / 256;
        zp = type == MOTE_INT8 ? -128 : 0;
    } else if (fixed == 't' || fixed == 'n') { /* tanh, L2 normalization */
        scale = type == MOTE_INT16 ? 1.0f / 32768 : 1.0f / 128;
        zp = type == MOTE_UINT8 ? 128 : 0;
    } else if (fixed == 'l') { /* log-softmax */
        scale = 16.0f / 256;
        zp = type == MOTE_INT8 ? 127 : type == MOTE_UINT8 ? 255 : 0;
    }
    mb_check(b, mote_writer_set_quantization(b->w, tensor, 1, &scale, &zp, 0));
}

/* Writes the single-op model for probe p at type t. Returns the model, or NULL when the
 * probe cannot be written for t (a constant of a type without constants here). */
static mote_model *build(mb *b, const probe *p, mote_type t) {
    int32_t ins[8], outs[8], n_in = 0, n_out = 0, *list = ins, *count = &n_in;
    int32_t graph_in[8], n_graph_in = 0;
    mote_option_field fields[8];
    int32_t n_fields = 0, options = 0;
    mb_begin(b);
    const char *s = p->spec;
    for (;;) {
        while (*s == ' ') s++;
        if (!*s) break;
        if (*s == '>') {
            list = outs;
            count = &n_out;
            s++;
            continue;
        }
        if (*s == '~') {
            list[(*count)++] = -1;
            s++;
            continue;
        }
        if (*s == '@') {
            options = (int32_t)strtol(s + 1, (char **)&s, 10);
            while (*s == ' ') {
                while (*s == ' ') s++;
                if (!*s) break;
                mote_option_field f = {0, 0, 0, 0.0f, NULL, 0, NULL};
                f.id = (uint16_t)strtol(s, (char **)&s, 10);
                char kind = *s++;
                if (kind == 'f') {
                    f.kind = MOTE_FIELD_FLOAT32;
                    f.f = strtof(s, (char **)&s);
                } else {
                    f.kind = kind == 'b' ? MOTE_FIELD_INT8 : kind == 'o' ? MOTE_FIELD_BOOL : MOTE_FIELD_INT32;
                    f.i = strtol(s, (char **)&s, 10);
                }
                fields[n_fields++] = f;
            }
            break;
        }
        mote_type type;
        int role;
        if (!parse_type(&s, t, &type, &role)) {
            fprintf(stderr, "bad probe for %s: %s\n", mote_builtin_name(p->code), s);
            test_failures++;
            return NULL;
        }
        int32_t dims[MOTE_MAX_DIMS], rank = 0;
        s++; /* '[' */
        while (*s != ']') {
            dims[rank++] = (int32_t)strtol(s, (char **)&s, 10);
            if (*s == ',') s++;
        }
        s++;
        size_t elems = 1;
        for (int32_t i = 0; i < rank; i++) elems *= (size_t)dims[i];
        int32_t tensor;
        char fixed = 0;
        if (*s == '=') {
            s++;
            size_t size = mote_type_bytes(type);
            if (size == 0) { /* no constants of this type (strings) */
                mb_free(b);
                return NULL;
            }
            uint8_t *data = calloc(elems ? elems : 1, size);
            if (*s == 'z') {
                s++;
            } else {
                for (size_t i = 0; i < elems; i++) {
                    double v = strtod(s, (char **)&s);
                    if (!put_value(type, data + i * size, v)) {
                        free(data);
                        mb_free(b);
                        return NULL;
                    }
                    if (*s == ',') s++;
                }
            }
            tensor = mb_const(b, "c", type, rank, dims, data, elems * size);
            free(data);
        } else {
            tensor = mb_tensor(b, "x", type, rank, dims);
            if (list == ins) graph_in[n_graph_in++] = tensor;
        }
        if (*s == '!') {
            fixed = s[1];
            s += 2;
        }
        if (is_quantized(type) || (role == 'B' && is_quantized(t))) set_quant(b, tensor, type, role, fixed);
        list[(*count)++] = tensor;
    }
    mb_op(b, p->code, n_in, ins, n_out, outs, options, n_fields, n_fields ? fields : NULL);
    mb_io(b, n_graph_in, graph_in, n_out, outs);
    return mb_finish(b);
}

/* The probed types whose models allocate. */
static uint32_t probe_types(const probe *p, int verbose) {
    uint32_t mask = 0;
    for (int k = 0; k < PROBED_COUNT; k++) {
        mb b;
        mote_model *m = build(&b, p, probed[k]);
        if (!m) continue;
        mote_interpreter *it = NULL;
        mote_status st = mote_interpreter_create(m, NULL, &it);
        if (st == MOTE_OK) st = mote_interpreter_allocate_tensors(it);
        if (st == MOTE_OK)
            mask |= UINT32_C(1) << probed[k];
        else if (verbose)
            fprintf(stderr, "  %s %s: %s\n", mote_builtin_name(p->code), mote_type_name(probed[k]),
                    it ? mote_interpreter_error(it) : "create failed");
        mote_interpreter_destroy(it);
        mb_free(&b);
    }
    return mask;
}

static const probe *find_probe(int32_t code) {
    for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++)
        if (probes[i].code == code) return &probes[i];
    return NULL;
}

static void print_mask(int32_t code, uint32_t mask) {
    static const char *const names[] = {"F32", "F16", "I32", "U8",  "I64", "STR", "BOOL", "I16", "C64", "I8",
                                        "F64", "C128", "U64", "RES", "VAR", "U32", "U16"};
    printf("%-32s", mote_builtin_name(code));
    const char *sep = "";
    for (int k = 0; k < PROBED_COUNT; k++)
        if (mask & (UINT32_C(1) << probed[k])) {
            printf("%s%s", sep, names[probed[k]]);
            sep = " | ";
        }
    printf("\n");
}

/* Every probe names a shipped operator, and every shipped builtin whose probe is missing
 * is one of the hand-written entries. */
static void test_probes_cover_registry(void) {
    static const int32_t hand_written[] = {
        MOTE_OP_CUSTOM, MOTE_OP_RFFT2D, MOTE_OP_LSTM, MOTE_OP_UNIDIRECTIONAL_SEQUENCE_LSTM, MOTE_OP_SVDF,
        MOTE_OP_WHILE, MOTE_OP_IF, MOTE_OP_CALL_ONCE, MOTE_OP_VAR_HANDLE, MOTE_OP_READ_VARIABLE,
        MOTE_OP_ASSIGN_VARIABLE, MOTE_OP_DENSIFY, MOTE_OP_RNN, MOTE_OP_UNIDIRECTIONAL_SEQUENCE_RNN};
    for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++)
        CHECK(registry_find(probes[i].code, NULL) != NULL);
    for (int32_t i = 0; i < registry_count(); i++) {
        int32_t code = registry_at(i)->custom_name ? MOTE_OP_CUSTOM : registry_at(i)->builtin_code;
        int known = find_probe(code) != NULL;
        for (size_t k = 0; k < sizeof hand_written / sizeof hand_written[0]; k++) known |= hand_written[k] == code;
        if (!known) fprintf(stderr, "no probe for %s\n", mote_builtin_name(code));
        CHECK(known);
        CHECK(registry_types_at(i) != 0);
    }
}

/* The claimed types (restricted to the probed ones) are exactly those that allocate. */
static void test_claimed_types_allocate(void) {
    int print = getenv("MOTE_OP_TYPES_PRINT") != NULL;
    uint32_t probed_mask = 0;
    for (int k = 0; k < PROBED_COUNT; k++) probed_mask |= UINT32_C(1) << probed[k];
    for (int32_t i = 0; i < registry_count(); i++) {
        const mote_op *op = registry_at(i);
        const probe *p = op->custom_name ? NULL : find_probe(op->builtin_code);
        if (!p) continue;
        uint32_t found = probe_types(p, print), claimed = registry_types_at(i) & probed_mask;
        if (print) print_mask(p->code, found);
        if (found != claimed) {
            fprintf(stderr, "%s: op_list.h claims types 0x%x, the probes accept 0x%x\n",
                    mote_builtin_name(p->code), (unsigned)claimed, (unsigned)found);
            if (!print) probe_types(p, 1);
        }
        CHECK_EQ_INT(found, claimed);
    }
}

TEST_MAIN(test_probes_cover_registry, test_claimed_types_allocate)
