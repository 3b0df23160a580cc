/* gemm_i8.h — optimized int8/uint8 matrix products for CONV_2D and FULLY_CONNECTED, bit-exact
 * with the reference kernels (conv2d_quant.c, fully_connected_quant.c).
 *
 * The product. A convolution is a matrix product C[m][n] = sum_k A[m][k] * B[k][n] with
 * rows m the output pixels (batch, oy, ox), columns n the output channels and depth k the
 * window taps times the input channels, k = (fy * kw + fx) * in_c + c, which is also the
 * order of a filter row [out_c][kh][kw][in_c] (and of a FULLY_CONNECTED weight row). Each task
 * gathers a block of rows of A into a per-thread panel (im2col: window taps outside the
 * input read the input zero point, so they contribute nothing, as in the reference), then
 * runs a microkernel over tiles of MR rows by NV groups of columns.
 *
 * Exactness. The reference sums (w - zw) * (x - zx) in int64 and wraps the sum to int32 before
 * adding the bias with int32 wrap-around. Every path here sums in int32 with wrap-around,
 * which gives the same low 32 bits in any order, then applies the same requantization:
 * MultiplyByQuantizedMultiplier (a left shift, a rounding doubling high multiply, a rounding
 * right shift), the output zero point and the activation clamp (conv_quant_output), or, for
 * FULLY_CONNECTED, that kernel's rescale in double (fc_output), done in C on the int32 sums.
 *
 * Two layouts, by instruction set:
 *
 *  VNNI (AVX-512 VNNI vpdpbusd: 4 products of an unsigned by a signed byte per int32 lane).
 *    Activations become the unsigned operand u = x XOR a_flip (0x80 for int8, so u = x + 128;
 *    uint8 unchanged); weights the signed one, v = w XOR 0x80 for uint8 weights (v = w - 128),
 *    int8 weights unchanged. With zu and zv the zero points of u and v,
 *      sum (w - zw)(x - zx) = sum (v - zv)(u - zu)
 *                           = sum u v - zu * colsum(v) - zv * rowsum(u) + K * zu * zv,
 *    so a column term (bias - zu * colsum(v) + K * zu * zv) is folded into the packed weights
 *    and a row term (-zv * rowsum(u)), needed only when zv != 0, is computed while packing the
 *    activations. Depth is padded to a multiple of 4 with u = v = 0.
 *    Packed group of 16 columns: [gemm_i8_rq16 params][kp / 4][16][4] int8.
 *    A 1x1 stride-1 convolution (and FULLY_CONNECTED) whose depth is a multiple of 4 needs no
 *    panel: the microkernel reads the input rows in place and applies a_flip to each 4 bytes
 *    it broadcasts (gemm_i8_tile.a_xor); the row terms, when needed, come from the input rows.
 *
 *  I16 (AVX2 vpmaddwd, and the portable C kernel). Both operands are widened to int16 with
 *    their zero points subtracted (|x - zx|, |w - zw| <= 255: vpmaddwd cannot saturate), so
 *    the column term is the bias alone. Depth is padded to a multiple of 2 with zeros.
 *    Packed group of 8 columns: [gemm_i8_rq8 params][kp / 2][8][2] int16.
 *
 *  On AArch64, NEON (SMLAL by element) uses the I16 layout, and the dot product extension
 *  (SDOT, signed bytes only) the VNNI layout with signed activations: a = x XOR 0x80 for
 *  uint8 (a = x - 128), int8 unchanged, za their zero point in place of zu (a_flip, a_pad
 *  and the column term change accordingly; see src/kernels/arm/gemm_i8_neondot.c).
 */
#ifndef MOTE_KERNELS_GEMM_I8_H
#define MOTE_KERNELS_GEMM_I8_H

#include "kernels/conv_quant.h"

/* Which microkernels a plan uses (0: none, the reference kernel runs). */
typedef enum gemm_i8_isa {
    GEMM_I8_NONE = 0,
    GEMM_I8_SCALAR = 1,     /* portable C on the I16 layout */
    GEMM_I8_AVX2 = 2,       /* AVX2 vpmaddwd on the I16 layout */
    GEMM_I8_AVX512VNNI = 3, /* AVX-512 VNNI vpdpbusd on the VNNI layout */
    GEMM_I8_NEON = 4,       /* AArch64 NEON smlal on the I16 layout */
    GEMM_I8_NEONDOT = 5     /* AArch64 SDOT on the VNNI layout, signed activations */
} gemm_i8_isa;

/* The plan packs bytes (VNNI layout), not int16 (I16 layout). */
static inline int gemm_i8_byte_layout(int32_t isa) { return isa == GEMM_I8_AVX512VNNI || isa == GEMM_I8_NEONDOT; }

/* Requantization constants of 16 output channels (VNNI layout), 64-byte aligned. The rounding
 * multiply and the rounding shift are done together in 64-bit lanes: with p = (acc << left) * m
 * and r = max(-shift, 0), the reference's
 *   rdbpot(srdhm(acc << left, m), r) = (p + add - (p < -2^30 ? fix : 0)) >> (31 + r)
 * where add = 2^30 + (r > 0 ? 2^(30 + r) : 0) and fix = (r > 0 ? 2^31 : 0); see
 * gemm_i8_requant_ref for the derivation. Even channels sit in the 64-bit lanes' low halves,
 * odd channels in separate arrays. */
typedef struct gemm_i8_rq16 {
    int32_t colterm[16];               /* bias + zero-point corrections, added to every sum */
    int32_t left[16];                  /* max(shift, 0) */
    int32_t mult[16];                  /* Q31 multiplier (even channels used from here) */
    int64_t mult_odd[8];               /* multipliers of channels 1, 3, ..., 15 */
    int64_t add_even[8], add_odd[8];   /* rounding terms (above) */
    int64_t fix_even[8], fix_odd[8];   /* correction for negative intermediate results */
    int64_t shift_even[8], shift_odd[8]; /* 31 + r */
} gemm_i8_rq16;

/* Requantization constants of 8 output channels (I16 layout), 32-byte aligned. */
typedef struct gemm_i8_rq8 {
    int32_t colterm[8]; /* the bias (zero points are subtracted from the operands) */
    int32_t left[8];    /* max(shift, 0) */
    int32_t mult[8];    /* Q31 multiplier */
    int32_t right[8];   /* r = max(-shift, 0) */
    int32_t mask[8];    /* 2^r - 1 */
    int32_t half[8];    /* mask >> 1 */
    int32_t pad[16];
} gemm_i8_rq8;

/* Sets channel c (0 .. 15 / 0 .. 7) of a constants block: the column term, and the Q31
 * multiplier and exponent (QuantizeMultiplier's shift, > 0 shifts left). */
void gemm_i8_rq16_set(gemm_i8_rq16 *p, int32_t c, int32_t colterm, int32_t mult, int32_t shift);
void gemm_i8_rq8_set(gemm_i8_rq8 *p, int32_t c, int32_t colterm, int32_t mult, int32_t shift);

/* Output of a tile: requantized bytes, or the int32 sums (column term included) for kernels
 * that rescale in C (FULLY_CONNECTED). */
typedef struct gemm_i8_out {
    int32_t zero_point;       /* output zero point */
    int32_t act_min, act_max; /* clamp, in the output's quantized domain */
    int32_t out32;            /* 1: store int32 sums instead of bytes */
} gemm_i8_out;

/* One microkernel call: rows [0, mr) of a packed activation panel times nv packed column
 * groups (the last one holding nc - (nv - 1) * group columns). */
typedef struct gemm_i8_tile {
    int32_t mr;              /* rows, 1 .. the kernel's MR */
    int32_t nv;              /* column groups, 1 .. the kernel's NV */
    int32_t nc;              /* valid columns in all: (nv - 1) * group < nc <= nv * group */
    int32_t kp;              /* padded depth in elements */
    const void *a;           /* row 0 of the panel (uint8 for VNNI, int16 for I16) */
    uint32_t a_xor;          /* VNNI: XOR applied to every 4 bytes of a read (0x80808080 when
                                int8 rows are read straight from the input, else 0) */
    size_t a_stride;         /* bytes between panel rows */
    const int32_t *row_corr; /* [mr] added to each row's sums, or NULL */
    const uint8_t *w;        /* first packed column group */
    size_t w_stride;         /* bytes between packed groups */
    void *c;                 /* output row 0, first column */
    size_t c_stride;         /* bytes between output rows */
    const gemm_i8_out *out;
} gemm_i8_tile;

typedef void (*gemm_i8_tile_fn)(const gemm_i8_tile *t);

/* Microkernels (src/kernels/x86/). MR and NV are the most rows and column groups a call
 * takes. */
#define GEMM_I8_VNNI_MR 6
#define GEMM_I8_VNNI_NV 4
#define GEMM_I8_AVX2_MR 4
#define GEMM_I8_AVX2_NV 2
void gemm_i8_tile__avx512vnni(const gemm_i8_tile *t);
void gemm_i8_tile__avx2(const gemm_i8_tile *t);
/* Packs activation rows for the VNNI layout: dst[i] = src[i] ^ flip for n bytes. */
void gemm_i8_xor_copy__avx512vnni(uint8_t *dst, const uint8_t *src, size_t n, uint8_t flip);
/* sum of (src[i] ^ flip) over n bytes (the row sums of the VNNI layout), wrapped. */
uint32_t gemm_i8_row_sum__avx512vnni(const uint8_t *src, size_t n, uint8_t flip);
/* Packs activation rows for the I16 layout: dst[i] = src[i] - zero (src int8 or uint8). */
void gemm_i8_widen__avx2(int16_t *dst, const uint8_t *src, size_t n, int is_unsigned, int32_t zero);
/* AArch64 microkernels (src/kernels/arm/): NEON on the I16 layout, SDOT on the byte layout. */
#define GEMM_I8_NEON_MR 4
#define GEMM_I8_NEON_NV 2
#define GEMM_I8_NEONDOT_MR 4
#define GEMM_I8_NEONDOT_NV 1
void gemm_i8_tile__neon(const gemm_i8_tile *t);
void gemm_i8_tile__neondot(const gemm_i8_tile *t);
void gemm_i8_widen__neon(int16_t *dst, const uint8_t *src, size_t n, int is_unsigned, int32_t zero);

/* The reference requantization of one sum (conv_quant_output's int32 path). */
static inline int32_t gemm_i8_requant_ref(int32_t acc, int32_t mult, int32_t shift, const gemm_i8_out *o) {
    int64_t v = (int64_t)quant_multiply_by_quantized_multiplier(acc, mult, shift) + o->zero_point;
    return v < o->act_min ? o->act_min : v > o->act_max ? o->act_max : (int32_t)v;
}

/* Called on blocks of int32 sums (out32 plans): rows [row0, row0 + rows), columns
 * [col0, col0 + cols) of the output, sums at acc (row stride acc_stride elements). */
typedef void (*gemm_i8_epilogue_fn)(const void *arg, int32_t row0, int32_t rows, int32_t col0, int32_t cols,
                                    const int32_t *acc, size_t acc_stride);

/* What prepare decided for one CONV_2D or FULLY_CONNECTED node. Geometry that may change with
 * every allocate (spatial sizes, padding) is read again at eval. */
typedef struct gemm_i8_plan {
    int32_t isa;          /* gemm_i8_isa; GEMM_I8_NONE: use the reference kernel */
    int32_t n, k;         /* output channels, depth (kh * kw * in_c) */
    int32_t kp;           /* depth padded to the kernel's step (4 or 2) */
    int32_t group;        /* columns per packed group (16 or 8) */
    int32_t groups;       /* ceil(n / group) */
    size_t group_bytes;   /* bytes per packed group (params and weights) */
    int32_t x_unsigned;   /* activations are uint8 */
    int32_t w_unsigned;   /* weights are uint8 */
    int32_t x_zero;       /* input zero point zx */
    int32_t w_zero;       /* weight zero point zw (per tensor; 0 for per-channel) */
    uint8_t a_flip;       /* VNNI: XOR taking activations to the unsigned operand */
    uint8_t a_pad;        /* VNNI: panel byte of a window tap outside the input (zu) */
    int32_t zv;           /* VNNI: zero point of the signed operand; rows need -zv * rowsum */
    int32_t mr, nv;       /* microkernel tile: most rows and column groups per call */
    int32_t mc;           /* rows per task (a multiple of mr) */
    size_t a_stride;      /* bytes per panel row */
    size_t thread_bytes;  /* scratch per thread: panel, row sums, int32 sums (out32) */
    gemm_i8_out out;      /* output zero point, clamp, out32 */
    int32_t persistent;   /* index of the packed weights (mote_node_persistent) */
    int32_t scratch;      /* index of the per-thread scratch (mote_node_scratch) */
    int32_t fused;        /* CONV_2D reads a zero PAD's input itself (conv_fuse_pad) */
    int32_t fused_source; /* that input tensor */
    int32_t fused_top, fused_left; /* the PAD's rows and columns added before */
} gemm_i8_plan;

/* Convolution geometry of one eval (FULLY_CONNECTED: batches rows of a 1x1 "image"). */
typedef struct gemm_i8_geometry {
    int32_t batches, in_h, in_w, in_c;
    int32_t out_h, out_w;
    int32_t kh, kw;
    int32_t stride_h, stride_w, dilation_h, dilation_w;
    int32_t pad_h, pad_w;
} gemm_i8_geometry;

/* The instruction set the int8 GEMM would use on this CPU (cpu_features, so MOTE_CPU_MASK
 * applies). */
gemm_i8_isa gemm_i8_pick_isa(void);

/* In prepare: plans a product of `channels` output columns over depth k, for activations of
 * type x_type with zero point x_zero and weights of type w_type with zero point w_zero,
 * requests the persistent (packed weights) and scratch (per-thread panels) buffers and sets
 * plan->isa. Leaves plan->isa at GEMM_I8_NONE, requesting nothing, when optimized kernels
 * are off or the node cannot use them (shapes known only while running). out32: the caller
 * rescales the int32 sums itself (epilogue at eval). max_rows: an upper bound on the rows
 * of one eval, to size tasks. */
mote_status gemm_i8_plan_prepare(mote_context *ctx, mote_node *node, gemm_i8_plan *plan, int32_t channels,
                                 int32_t k, mote_type x_type, int32_t x_zero, mote_type w_type, int32_t w_zero,
                                 const conv_quant *q, int out32, int64_t max_rows);

/* In pack: packs weights w ([channels][k], row-major) and the bias (int32, or NULL) with the
 * requantization constants of q into the persistent buffer. */
mote_status gemm_i8_plan_pack(mote_context *ctx, const mote_node *node, const gemm_i8_plan *plan,
                              const uint8_t *w, const int32_t *bias, const conv_quant *q);

/* In eval: y[rows][n] (bytes) from x (the input image or matrix, bytes) on the interpreter's
 * threads. For out32 plans, epilogue(arg, ...) turns each block of sums into outputs. */
mote_status gemm_i8_plan_run(mote_context *ctx, const mote_node *node, const gemm_i8_plan *plan,
                             const gemm_i8_geometry *g, const uint8_t *x, uint8_t *y,
                             gemm_i8_epilogue_fn epilogue, const void *arg);


/* ---- the operators' optimized paths (prepare-time choice, see conv2d_i8_opt.c and
 * fully_connected_i8_opt.c) ---- */

#endif /* MOTE_KERNELS_GEMM_I8_H */
