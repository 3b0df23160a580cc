/* gemm_i8_neondot.c — int8/uint8 GEMM microkernels for AArch64 with the dot product extension
 * (SDOT: 4 products of signed bytes summed into each int32 lane): tiles of up to 4 rows by one
 * group of 16 columns on the byte layout of gemm_i8.h, with the reference requantization
 * (requant_i8_neon.h). Compiled with -march=armv8.2-a+dotprod, run only when the CPU has it.
 *
 * Operands. SDOT multiplies signed bytes, so the activations are packed as signed bytes
 * a = x XOR 0x80 for uint8 (a = x - 128), int8 unchanged, and the weights are the byte
 * layout's v (w XOR 0x80 for uint8 weights). With za and zv their zero points,
 *   sum (w - zw)(x - zx) = sum a v - za * colsum(v) - zv * rowsum(a) + K * za * zv,
 * the column term being in the packed constants and the row term (when zv != 0) in
 * row_corr, as for the VNNI kernels. Every product and sum is exact in int32 up to the
 * same wrap-around as the reference.
 *
 * A packed step of 4 depth values is [16 columns][4] bytes: four q registers of 4 columns
 * each. The depth loop takes 16 steps at a time: one 16-byte load per row, then each group
 * of 4 steps is SDOT by element (vd.4s, vn.16b, vm.4b[lane]) of the 4 weight registers. */
#include "kernels/arm/requant_i8_neon.h"

#define ALWAYS_INLINE static inline __attribute__((always_inline))

ALWAYS_INLINE void tile(const gemm_i8_tile *t, const int MR) {
    int32x4_t acc[GEMM_I8_NEONDOT_MR][4];
    const int8_t *a[GEMM_I8_NEONDOT_MR];
    const gemm_i8_rq16 *p = (const gemm_i8_rq16 *)(const void *)t->w;
    const int8_t *b = (const int8_t *)(const void *)(t->w + sizeof *p);
#pragma GCC unroll 4
    for (int r = 0; r < MR; r++) {
        a[r] = (const int8_t *)t->a + (size_t)r * t->a_stride;
        const int32x4_t rc = vdupq_n_s32(t->row_corr ? t->row_corr[r] : 0);
#pragma GCC unroll 4
        for (int v = 0; v < 4; v++) acc[r][v] = vaddq_s32(vld1q_s32(p->colterm + 4 * v), rc);
    }
    const int32_t kp = t->kp;
    int32_t k = 0;
    for (; k + 16 <= kp; k += 16) {
        int8x16_t av[GEMM_I8_NEONDOT_MR];
#pragma GCC unroll 4
        for (int r = 0; r < MR; r++) av[r] = vld1q_s8(a[r] + k);
        const int8_t *bk = b + (size_t)k * 16;
#define MOTE_DOT_STEP(LANE)                                                              \
    do {                                                                                 \
        const int8x16_t w0 = vld1q_s8(bk + 64 * (LANE)), w1 = vld1q_s8(bk + 64 * (LANE) + 16); \
        const int8x16_t w2 = vld1q_s8(bk + 64 * (LANE) + 32), w3 = vld1q_s8(bk + 64 * (LANE) + 48); \
        for (int r = 0; r < MR; r++) {                                                   \
            acc[r][0] = vdotq_laneq_s32(acc[r][0], w0, av[r], LANE);                     \
            acc[r][1] = vdotq_laneq_s32(acc[r][1], w1, av[r], LANE);                     \
            acc[r][2] = vdotq_laneq_s32(acc[r][2], w2, av[r], LANE);                     \
            acc[r][3] = vdotq_laneq_s32(acc[r][3], w3, av[r], LANE);                     \
        }                                                                                \
    } while (0)
        MOTE_DOT_STEP(0);
        MOTE_DOT_STEP(1);
        MOTE_DOT_STEP(2);
        MOTE_DOT_STEP(3);
#undef MOTE_DOT_STEP
    }
    for (; k < kp; k += 4) { /* the last steps, 4 depth values each (kp is a multiple of 4) */
        const int8_t *bk = b + (size_t)k * 16;
        const int8x16_t w0 = vld1q_s8(bk), w1 = vld1q_s8(bk + 16), w2 = vld1q_s8(bk + 32), w3 = vld1q_s8(bk + 48);
#pragma GCC unroll 4
        for (int r = 0; r < MR; r++) {
            uint32_t four;
            memcpy(&four, a[r] + k, sizeof four);
            const int8x16_t av = vreinterpretq_s8_u32(vdupq_n_u32(four));
            acc[r][0] = vdotq_s32(acc[r][0], w0, av);
            acc[r][1] = vdotq_s32(acc[r][1], w1, av);
            acc[r][2] = vdotq_s32(acc[r][2], w2, av);
            acc[r][3] = vdotq_s32(acc[r][3], w3, av);
        }
    }

    const gemm_i8_out *o = t->out;
    const int n = t->nc;
    if (o->out32) {
#pragma GCC unroll 4
        for (int r = 0; r < MR; r++) {
            int32_t *c = (int32_t *)(void *)((uint8_t *)t->c + (size_t)r * t->c_stride);
#pragma GCC unroll 4
            for (int v = 0; v < 4; v++) requant_i8_neon_store32(c + 4 * v, acc[r][v], n - 4 * v);
        }
        return;
    }
    const requant_i8_neon_out ro = requant_i8_neon_out_load(o);
    requant_i8_neon_c q[4];
#pragma GCC unroll 4
    for (int v = 0; v < 4; v++) q[v] = requant_i8_neon_rq16(p, 4 * v);
#pragma GCC unroll 4
    for (int r = 0; r < MR; r++) {
        uint8_t *c = (uint8_t *)t->c + (size_t)r * t->c_stride;
        requant_i8_neon_store(c, requant_i8_neon_bytes(requant_i8_neon(acc[r][0], &q[0], &ro),
                                                       requant_i8_neon(acc[r][1], &q[1], &ro)), n);
        requant_i8_neon_store(c + 8, requant_i8_neon_bytes(requant_i8_neon(acc[r][2], &q[2], &ro),
                                                           requant_i8_neon(acc[r][3], &q[3], &ro)), n - 8);
    }
}

static void tile_1(const gemm_i8_tile *t) { tile(t, 1); }
static void tile_2(const gemm_i8_tile *t) { tile(t, 2); }
static void tile_3(const gemm_i8_tile *t) { tile(t, 3); }
static void tile_4(const gemm_i8_tile *t) { tile(t, 4); }

void gemm_i8_tile__neondot(const gemm_i8_tile *t) {
    static void (*const fns[GEMM_I8_NEONDOT_MR])(const gemm_i8_tile *) = {tile_1, tile_2, tile_3, tile_4};
    fns[t->mr - 1](t);
}
