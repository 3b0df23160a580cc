/* depthwise_i8_opt.h — the optimized int8/uint8 DEPTHWISE_CONV_2D (channel multiplier 1),
 * bit-exact with the reference kernel of depthwise_conv2d_quant.c.
 *
 * Each task owns a band of output rows and a range of channels. The input rows its windows
 * read are widened once into a per-thread ring of int32 lanes holding x - zx (window taps
 * outside the input are zero lanes, contributing nothing, as in the reference), laid out
 * [ring row][padded pixel][channel]; a kernel row then needs no bounds checks: output pixel
 * ox, tap (fy, fx) reads ring row fy at pixel ox * stride_w + fx * dilation_w. The weights
 * are packed per group of G channels (16 for AVX-512, 8 for AVX2) as
 *   [gemm_i8_rq16 or gemm_i8_rq8 constants][kh * kw][G] int32 lanes holding w - zw,
 * so that one vpmaddwd of a ring lane (x - zx in its low 16 bits) by a weight lane (w - zw in
 * the low 16 bits, 0 in the high ones) is the exact product; the sums are int32 with
 * wrap-around, as the reference's, and the requantization is gemm_i8's. */
#ifndef MOTE_KERNELS_DEPTHWISE_I8_OPT_H
#define MOTE_KERNELS_DEPTHWISE_I8_OPT_H

#include "kernels/gemm_i8.h"

typedef enum dw_i8_isa {
    DW_I8_NONE = 0, /* the reference kernel */
    DW_I8_AVX2 = 1,
    DW_I8_AVX512 = 2,
    DW_I8_NEON = 3, /* AArch64 NEON, the AVX2 layout (groups of 8, gemm_i8_rq8) */
    DW_I8_AVX512VNNI = 4 /* AVX-512 VNNI, the quad layout (below) */
} dw_i8_isa;

/* The quad layout (AVX-512 VNNI; symmetric int8 weights, or uint8 weights with zero point
 * 128, and no dilation along the width). A ring lane holds 4 bytes u = x XOR flip (x + 128
 * for int8, x for uint8) of one channel at 4 consecutive padded pixels p .. p + 3; pixels
 * outside the input hold zu, the zero point of u. Weights are packed per group of 16 channels
 * as [gemm_i8_rq16][kh][ceil(kw / 4)][16] lanes of 4 signed bytes v (w, or w - 128 for uint8,
 * so v = w - zw), taps past kw zero; one vpdpbusd then sums 4 taps of a kernel row, and
 *   sum (x - zx)(w - zw) = sum u v - zu * sum v,
 * the second term folded into the column term with the bias (taps outside the input hold
 * zu, so they add nothing, as in the reference). */
typedef struct dw_i8_quads {
    int32_t in_w;          /* input pixels in the row */
    int32_t pad_left;      /* padded pixels before input pixel 0 */
    int32_t ring_width;    /* ring pixels to write */
    int32_t channels;      /* channels of the range */
    int32_t groups;        /* groups of 16 in the range (lanes = 16 * groups) */
    size_t src_stride;     /* bytes between input pixels */
    uint8_t flip, zu;
    uint8_t *tmp;          /* [groups][ring_width + 3][16] bytes of scratch */
} dw_i8_quads;

/* Writes one ring row of the quad layout at dst from the input row at src (first channel of
 * the range). */
void dw_i8_quads__avx512vnni(uint8_t *dst, const uint8_t *src, const dw_i8_quads *q);

/* One output row of one channel range, for the row kernels. */
typedef struct dw_i8_row {
    int32_t out_w;             /* output pixels in the row */
    int32_t stride_w, dilation_w;
    int32_t kh, kw;
    const int32_t *const *rows; /* [kh] ring rows: padded pixel 0 is input pixel -pad_w */
    size_t pixel_lanes;        /* int32 lanes between ring pixels (the range's padded channels) */
    const uint8_t *w;          /* the range's first packed group */
    size_t w_stride;           /* bytes between packed groups */
    int32_t channels;          /* channels in the range (the last group may be partial) */
    uint8_t *y;                /* output pixel 0, first channel of the range */
    size_t y_stride;           /* bytes between output pixels (all channels) */
    const gemm_i8_out *out;
} dw_i8_row;

void dw_i8_row__avx512(const dw_i8_row *r);
void dw_i8_row__avx2(const dw_i8_row *r);
void dw_i8_row__avx512vnni(const dw_i8_row *r);
/* dst[i] = src[i] - zero for n values, src int8 or uint8. */
void dw_i8_widen__avx512(int32_t *dst, const uint8_t *src, size_t n, int is_unsigned, int32_t zero);
void dw_i8_widen__avx2(int32_t *dst, const uint8_t *src, size_t n, int is_unsigned, int32_t zero);
void dw_i8_row__neon(const dw_i8_row *r);
void dw_i8_widen__neon(int32_t *dst, const uint8_t *src, size_t n, int is_unsigned, int32_t zero);

/* What prepare decided for one DEPTHWISE_CONV_2D node. */
typedef struct dw_i8_plan {
    int32_t isa;            /* dw_i8_isa */
    int32_t channels;       /* input = output channels */
    int32_t group;          /* channels per packed group (16 or 8) */
    int32_t groups;         /* ceil(channels / group) */
    int32_t range_groups;   /* groups per task's channel range */
    int32_t taps;           /* kh * kw */
    size_t group_bytes;     /* bytes per packed group */
    int32_t x_unsigned, x_zero, w_zero;
    int32_t ring_rows;      /* (kh - 1) * dilation_h + 1: rows one window spans */
    int32_t ring_width;     /* padded pixels per ring row */
    size_t thread_bytes;    /* scratch per thread: the ring and a zero row */
    gemm_i8_out out;
    int32_t persistent, scratch;
    int32_t fused;          /* reads a zero PAD's input itself (conv_fuse_pad) */
    int32_t fused_source;   /* that input tensor */
    int32_t pad_h, pad_w;   /* rows and columns padded before: the node's, plus the PAD's */
    int32_t quads;          /* quad layout: ceil(kw / 4) lanes per kernel row */
    uint8_t a_flip, zu;     /* quad layout: x XOR a_flip = u, zero point zu of u */
    size_t tmp_bytes;       /* quad layout: per-thread bytes of dw_i8_quads.tmp */
} dw_i8_plan;

#endif /* MOTE_KERNELS_DEPTHWISE_I8_OPT_H */
