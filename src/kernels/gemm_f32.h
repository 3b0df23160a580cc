/* gemm_f32.h — optimized float32 building blocks: register-blocked microkernels (packed
 * GEMM, indirect GEMM for convolutions, depthwise convolution), the per-CPU configuration
 * that picks them, weight packing, and the threaded drivers the operators call.
 *
 * The design follows XNNPACK's (google/XNNPACK), written anew for Mote:
 *
 * - Weights are packed once (in the operator's pack callback, into persistent arena
 *   memory) into panels of NR output channels. A panel holds NR biases, then for every
 *   depth index k the NR weights of that k (zeros past the last channel):
 *       [bias 0..NR) [w(k=0) 0..NR) [w(k=1) 0..NR) ... [w(k=K-1) 0..NR)
 *   so the microkernel streams one panel linearly while broadcasting activations.
 * - A GEMM microkernel computes an MR x NR tile at a time: C[mr, nc] = clamp(A[mr, kc] x
 *   W + bias), looping over nc in NR steps with the same MR rows of A (they stay in L1).
 *   Rows past mr alias row mr - 1 (computed twice, stored to the same place), columns past
 *   nc are computed on zero weights and not stored.
 * - An indirect GEMM (IGEMM) microkernel takes, instead of A, an indirection buffer of row
 *   pointers: for each of ks taps, MR pointers to kc contiguous input channels (or to a zero
 *   buffer for padding). That is convolution without im2col: K = ks * kc, and the packed
 *   weights' depth order is the filter's [kh][kw][in_c].
 * - A depthwise microkernel computes a row of output pixels, channels vectorized, from an
 *   indirection buffer of `taps` input pointers per output pixel, over weights packed per
 *   block of CB channels: [bias 0..CB) [tap 0: 0..CB) ... [tap taps-1: 0..CB).
 * - gemm_f32_config_for(features) picks the microkernels for a CPU (run-time detection in
 *   core/cpu.h); a portable C set is the fallback on every architecture.
 *
 * Every microkernel fuses the bias and the clamp of the fused activation; results differ
 * from the reference kernels only by the order of the float additions.
 */
#ifndef MOTE_KERNELS_GEMM_F32_H
#define MOTE_KERNELS_GEMM_F32_H

#include <stddef.h>
#include <stdint.h>

#include "kernels/kernel.h"

/* Output clamp of a fused activation. */
typedef struct mote_f32_minmax {
    float min, max;
} mote_f32_minmax;

/* C[i][j] = clamp(bias[j] + sum_k A[i][k] W[k][j]) for i < mr (<= MR), j < nc (any).
 * a: row i at a + i * a_stride (floats); w: packed panels; c: row i at c + i * c_stride. */
typedef void (*mote_f32_gemm_fn)(size_t mr, size_t nc, size_t kc, const float *a, size_t a_stride,
                                 const float *w, float *c, size_t c_stride, const mote_f32_minmax *params);

/* Indirect GEMM: the depth is ks taps of kc channels; a[t * MR + i] points at row i's kc
 * channels for tap t (all MR entries valid; rows past mr repeat row mr - 1). A pointer equal
 * to `zero` is used as is, any other is moved by a_offset floats (one indirection buffer
 * serves every image of a batch). */
typedef void (*mote_f32_igemm_fn)(size_t mr, size_t nc, size_t kc, size_t ks, const float *const *a,
                                  const float *w, float *c, size_t c_stride, size_t a_offset,
                                  const float *zero, const mote_f32_minmax *params);

/* Depthwise convolution of `width` output pixels: pixel p reads its taps from
 * input[p * input_step + t] (moved by input_offset floats unless equal to zero), channel c
 * of each; out[p * channels + c] = clamp(bias[c] + sum_t in_t[c] * w_t[c]). Weights packed
 * per block of CB channels (see above). Specialized kernels handle one tap count only. */
typedef void (*mote_f32_dwconv_fn)(size_t channels, size_t width, size_t taps, const float *const *input,
                                   size_t input_step, size_t input_offset, const float *zero,
                                   const float *weights, float *output, const mote_f32_minmax *params);

/* Most taps of the generic depthwise microkernels (larger filters use the reference). */
#define MOTE_DW_MAX_TAPS 64

/* One GEMM/IGEMM microkernel pair and its tile. */
typedef struct gemm_f32_ukernel {
    uint8_t mr, nr;
    mote_f32_gemm_fn gemm;
    mote_f32_igemm_fn igemm;
    const char *name; /* e.g. "6x16__avx2_fma", for tools and tests */
    /* A tile of fewer rows and the same NR (same packed weights), or NULL: the GEMM driver
     * computes a last tile of few rows with the smallest one that covers them. */
    const struct gemm_f32_ukernel *tail;
} gemm_f32_ukernel;

/* The microkernels chosen for one CPU. */
typedef struct gemm_f32_config {
    const char *isa;          /* "avx512f", "avx2_fma", "scalar" */
    gemm_f32_ukernel gemm;    /* main tile */
    gemm_f32_ukernel gemm_alt; /* another main tile, for row counts it divides and the main MR does not */
    gemm_f32_ukernel shallow; /* for short depths (k <= 32), where the tile's loads and stores dominate */
    gemm_f32_ukernel narrow;  /* narrower NR: for layers with few output channels */
    gemm_f32_ukernel gemv;    /* MR 1 (matrix-vector products) */
    uint8_t dw_cb;            /* depthwise channel block of the packed weights */
    mote_f32_dwconv_fn dw_3x3, dw_5x5; /* 9 and 25 taps */
    mote_f32_dwconv_fn dw_any;         /* any tap count */
} gemm_f32_config;

/* Declares a GEMM/IGEMM pair by tile and instruction set. */
#define MOTE_DECLARE_F32_GEMM(MR, NR, ISA)                                                                  \
    void mote_f32_gemm_minmax_##MR##x##NR##__##ISA(size_t mr, size_t nc, size_t kc, const float *a,         \
                                                   size_t a_stride, const float *w, float *c,               \
                                                   size_t c_stride, const mote_f32_minmax *params);         \
    void mote_f32_igemm_minmax_##MR##x##NR##__##ISA(size_t mr, size_t nc, size_t kc, size_t ks,             \
                                                    const float *const *a, const float *w, float *c,        \
                                                    size_t c_stride, size_t a_offset, const float *zero,    \
                                                    const mote_f32_minmax *params);
#define MOTE_DECLARE_F32_DWCONV(NAME)                                                                       \
    void NAME(size_t channels, size_t width, size_t taps, const float *const *input, size_t input_step,     \
              size_t input_offset, const float *zero, const float *weights, float *output,                  \
              const mote_f32_minmax *params);

/* The portable microkernels (gemm_f32.c). */
MOTE_DECLARE_F32_GEMM(4, 8, scalar)
MOTE_DECLARE_F32_GEMM(1, 8, scalar)
MOTE_DECLARE_F32_DWCONV(mote_f32_dwconv_minmax_up4c__scalar)

/* The configuration for a set of cpu_feature bits (tests ask for each instruction set). */
const gemm_f32_config *gemm_f32_config_for(uint32_t features);
/* The configuration for this machine (cpu_features(), which honors MOTE_CPU_MASK). */
const gemm_f32_config *gemm_f32_config_get(void);

/* The tile for an m x n product of depth k (k: all taps) with a configuration. */
const gemm_f32_ukernel *gemm_f32_choose(const gemm_f32_config *cfg, size_t m, size_t n, size_t k);

/* ---- packing ---- */

/* Floats of packed weights for n output channels of depth k in panels of nr. */
size_t gemm_f32_packed_floats(size_t n, size_t k, size_t nr);
/* Packs W (element (k, j) at w[j * n_step + k * k_step]) and bias[n] (NULL: zeros). */
void gemm_f32_pack(size_t n, size_t k, size_t nr, const float *w, size_t n_step, size_t k_step,
                   const float *bias, float *packed);

/* Floats of packed depthwise weights: channels in blocks of cb, each with a bias row. */
size_t dwconv_f32_packed_floats(size_t channels, size_t taps, size_t cb);
/* Packs w [taps][channels] (DEPTHWISE_CONV_2D's [1, kh, kw, c]) and bias[channels]. */
void dwconv_f32_pack(size_t channels, size_t taps, size_t cb, const float *w, const float *bias,
                     float *packed);

/* ---- drivers (split the work over the interpreter's threads) ---- */

/* C [m, n] (row stride c_stride) = clamp(A [m, k] (row stride a_stride) x packed + bias). */
void gemm_f32_run(mote_context *ctx, const gemm_f32_ukernel *uk, size_t m, size_t n, size_t k,
                  const float *a, size_t a_stride, const float *packed, float *c, size_t c_stride,
                  mote_f32_minmax clamp);

/* The same over `batches` matrices: A, packed and C of batch b start at a + b * a_batch,
 * packed + b * packed_batch (0 for shared weights), c + b * c_batch. */
void gemm_f32_run_batched(mote_context *ctx, const gemm_f32_ukernel *uk, size_t batches, size_t m, size_t n,
                          size_t k, const float *a, size_t a_stride, size_t a_batch, const float *packed,
                          size_t packed_batch, float *c, size_t c_stride, size_t c_batch,
                          mote_f32_minmax clamp);

/* The same on the calling thread only (for callers that split the work themselves). */
void gemm_f32_rows(const gemm_f32_ukernel *uk, size_t m, size_t n, size_t k, const float *a, size_t a_stride,
                   const float *packed, float *c, size_t c_stride, const mote_f32_minmax *clamp);

/* Convolution by IGEMM: for each of `batches` images, m output pixels (row stride
 * c_stride), indirection [ceil(m / MR)][ks][MR], image b read at a_offset b * a_batch. */
void igemm_f32_run(mote_context *ctx, const gemm_f32_ukernel *uk, size_t batches, size_t m, size_t n,
                   size_t kc, size_t ks, const float *const *indirection, size_t a_batch, const float *zero,
                   const float *packed, float *c, size_t c_stride, size_t c_batch, mote_f32_minmax clamp);

/* ---- convolution plans (conv2d_f32_opt.c, depthwise_f32_opt.c) ---- */

/* How an optimized float convolution runs, decided in prepare. */
typedef enum conv_f32_path {
    CONV_F32_REFERENCE = 0, /* the reference loop (optimized kernels off or not applicable) */
    CONV_F32_GEMM,          /* 1x1, stride 1, no padding: a GEMM on the NHWC input */
    CONV_F32_IGEMM,         /* any other: indirect GEMM */
    CONV_F32_DWCONV,        /* depthwise, multiplier 1 */
    CONV_F32_DWCONV_EXPAND  /* depthwise that computes its input's rows itself: a fused 1x1
                               CONV_2D (depthwise_f32_expand.c) */
} conv_f32_path;

/* Per-node state of an optimized float convolution (CONV_2D or DEPTHWISE_CONV_2D). */
typedef struct conv_f32_plan {
    int32_t path;            /* conv_f32_path */
    const gemm_f32_ukernel *uk; /* GEMM/IGEMM tile (CONV_2D) */
    mote_f32_dwconv_fn dw;      /* depthwise microkernel */
    int32_t dw_cb;              /* its channel block */
    int32_t input_tensor;    /* tensor read: the node's input, or a fused PAD's input */
    int32_t pad_top, pad_left; /* padding before the first row/column of that tensor */
    int32_t in_h, in_w, in_c;  /* its shape (batch from the output) */
    int32_t taps;            /* kh * kw */
    size_t m_tiles;          /* IGEMM: output pixel tiles of MR per image */
    /* IGEMM by kernel rows (few input channels): each tap is a kernel row, kw pixels of
     * in_c channels contiguous in the input, kc = kw * in_c floats; columns whose row runs
     * past the input's left or right edge read it from chunks copied to scratch with the
     * padding zeroed. Else ks = taps and kc = in_c. */
    int32_t ks, kc;
    int32_t edge_left, edge_right; /* output columns of copied chunks, at each side */
    int32_t chunk_scratch;   /* scratch: [edge columns][in_h][kc] */
    const float *chunk_base; /* the scratch the indirection was built for */
    int32_t packed_index;    /* persistent: packed weights */
    int32_t indirection_index; /* persistent: indirection pointers */
    int32_t zero_index;      /* persistent: zeros (padding reads) */
    size_t indirection_count; /* pointers in the indirection buffer */
    const float *indirection_base; /* input data the indirection was built for */
    /* CONV_F32_DWCONV_EXPAND: */
    int32_t expand_node;     /* the fused 1x1 CONV_2D (its packed weights, activation) */
    int32_t expand_depth;    /* its input channels */
    int32_t ring_rows;       /* rows of its output a thread keeps: windows of `burst` output rows */
    int32_t burst;           /* output rows whose new expansion rows are computed together */
    int32_t expand_scratch;  /* scratch: per thread a ring of rows, an indirection row, times */
    size_t ring_bytes;       /* where a thread's indirection row starts in its scratch */
    size_t times_at;         /* where its two phase times start */
    size_t thread_bytes;     /* scratch bytes per thread */
} conv_f32_plan;

/* Builds a convolution's indirection buffer (see igemm_f32_run / the dwconv kernels). */
void conv_f32_build_indirection(const conv_f32_plan *p, const float *input, const float *zero, int32_t out_h,
                                int32_t out_w, int32_t kh, int32_t kw, int32_t stride_h, int32_t stride_w,
                                int32_t dilation_h, int32_t dilation_w, size_t mr, const float **ind);

/* ---- fully connected and batch matmul (matmul_f32_opt.c) ---- */

/* FULLY_CONNECTED float32 with constant weights: the weights [out, in] (and the bias)
 * packed once into GEMM panels; eval is one GEMM of the input rows. */
typedef struct fc_f32_plan {
    int32_t enabled;
    const gemm_f32_ukernel *uk;
    int32_t packed_index; /* persistent: packed weights and bias */
    /* Input rows copied to scratch with a padded stride (a_stride floats) when their own
     * stride is a multiple of 2 KiB: MR rows that far apart share a few L1 sets and evict
     * each other (128 x 1024 inputs ran at 3/4 of the speed of padded ones). -1: not. */
    int32_t rows_scratch;
    size_t a_stride;
} fc_f32_plan;

/* In prepare (shapes known): enables the plan when optimized kernels are on and the
 * weights (and bias) are constant; requests the packed weights. rows x in -> out. */
mote_status fc_f32_opt_prepare(mote_context *ctx, mote_node *node, fc_f32_plan *p, const mote_tensor *w,
                               const mote_tensor *bias, size_t rows, size_t in, size_t out);
/* In pack: packs the weights [out, in] and the bias. */
mote_status fc_f32_opt_pack(mote_context *ctx, mote_node *node, const fc_f32_plan *p, const mote_tensor *w,
                            const mote_tensor *bias, size_t in, size_t out);
/* In eval: y [rows, out] = clamp(x [rows, in] x W^T + bias). */
mote_status fc_f32_opt_eval(mote_context *ctx, mote_node *node, const fc_f32_plan *p, const float *x, float *y,
                            size_t rows, size_t in, size_t out, mote_f32_minmax clamp);

/* BATCH_MATMUL float32: every output matrix [m, n] is a GEMM of its lhs rows (contiguous
 * in depth: no adj_x) by its rhs matrix, packed into panels: all rhs matrices once in pack
 * when the rhs is constant, else each one into scratch when its turn comes. */
typedef struct bmm_f32_plan {
    int32_t enabled;
    int32_t rhs_constant;        /* rhs packed once (persistent) */
    const gemm_f32_ukernel *uk;
    size_t m, n, k;
    size_t rhs_k_step, rhs_n_step; /* element (k, j) of an rhs matrix at k * k_step + j * n_step */
    size_t rhs_matrix;           /* elements per rhs matrix */
    size_t rhs_matrices;         /* rhs matrices (distinct batch entries) */
    size_t packed_floats;        /* floats per packed rhs matrix */
    int32_t packed_index;        /* persistent (constant rhs) or scratch index */
    const float *packed_rhs;     /* rhs data the scratch holds packed (NULL: none) */
    /* Batches without broadcasting (lhs and rhs matrices one after the other): all of
     * them packed at once (in parallel) and multiplied by one threaded batched GEMM, not
     * one matrix after another. 0: one at a time. */
    size_t all_batches;
} bmm_f32_plan;

/* In prepare: enables the plan (no adj_x, optimized kernels on, rhs matrices contiguous
 * from rhs's data) and requests the packed rhs. batches: the number of matrix products when
 * neither side is broadcast (both sides' matrices contiguous), else 0. */
mote_status bmm_f32_opt_prepare(mote_context *ctx, mote_node *node, bmm_f32_plan *p, const mote_tensor *rhs,
                                int adj_x, size_t m, size_t n, size_t k, size_t rhs_k_step, size_t rhs_n_step,
                                size_t batches);
/* In pack: a constant rhs's matrices packed. */
mote_status bmm_f32_opt_pack(mote_context *ctx, mote_node *node, bmm_f32_plan *p, const mote_tensor *rhs);
/* In eval: out [m, n] = lhs [m, k] (row stride lhs_stride) x rhs matrix at element offset
 * rhs_at of the rhs tensor data. */
mote_status bmm_f32_opt_run(mote_context *ctx, mote_node *node, bmm_f32_plan *p, const float *lhs,
                            size_t lhs_stride, const float *rhs_data, size_t rhs_at, float *out);
/* In eval, when p->all_batches: every product at once (lhs matrices m x k one after the
 * other, rows lhs_stride apart). */
mote_status bmm_f32_opt_run_all(mote_context *ctx, mote_node *node, bmm_f32_plan *p, const float *lhs,
                                size_t lhs_stride, const float *rhs_data, float *out);

#endif /* MOTE_KERNELS_GEMM_F32_H */
