/* signal_math.c — integer arithmetic of the signal operators (see signal_math.h).
 *
 * Where the library's C code leans on int32 wrap-around (or would overflow in corner cases
 * a model can reach), the same value is computed in wider or unsigned arithmetic and then
 * narrowed, so results match bit for bit without undefined behaviour. */
#include "signal/signal_math.h"

/* The low 32 or 16 bits of v as a two's-complement value. */
static int32_t wrap32(int64_t v) { return (int32_t)(uint32_t)(uint64_t)v; }
static int16_t wrap16(int32_t v) { return (int16_t)(uint16_t)(uint32_t)v; }

uint32_t signal_msb32(uint32_t x) {
    if (x == 0) return 32;
#if defined(__GNUC__)
    return 32 - (uint32_t)__builtin_clz(x);
#else
    uint32_t n = 0;
    while (x) { x >>= 1; n++; }
    return n;
#endif
}

uint32_t signal_msb64(uint64_t x) {
    if (x == 0) return 64;
#if defined(__GNUC__)
    return 64 - (uint32_t)__builtin_clzll(x);
#else
    uint32_t n = 0;
    while (x) { x >>= 1; n++; }
    return n;
#endif
}

uint16_t signal_sqrt32(uint32_t x) {
    if (x == 0) return 0;
    /* The trial bit starts at an even position at or just below x's top bit; each step
     * decides one bit of the root. */
    uint32_t lead = (32 - signal_msb32(x)) | 1;
    uint32_t bit = (uint32_t)1 << (31 - lead);
    uint32_t root = 0, rest = x;
    for (uint32_t step = 0; step < (31 - lead) / 2 + 1; step++) {
        if (rest >= root + bit) {
            rest -= root + bit;
            root = (root >> 1) + bit;
        } else {
            root >>= 1;
        }
        bit >>= 2;
    }
    /* Round to nearest when the remainder exceeds the root. */
    if (rest > root && root != 0xFFFF) root++;
    return (uint16_t)root;
}

uint32_t signal_sqrt64(uint64_t x) {
    if ((x >> 32) == 0) return signal_sqrt32((uint32_t)x);
    uint32_t lead = (64 - signal_msb64(x)) | 1;
    uint64_t bit = (uint64_t)1 << (63 - lead);
    uint64_t root = 0, rest = x;
    for (uint32_t step = 0; step < (63 - lead) / 2 + 1; step++) {
        if (rest >= root + bit) {
            rest -= root + bit;
            root = (root >> 1) + bit;
        } else {
            root >>= 1;
        }
        bit >>= 2;
    }
    if (rest > root && root != 0xFFFFFFFFu) root++;
    return (uint32_t)root;
}

const uint16_t signal_log_table[130] = {
       0,  224,  442,  654,  861, 1063, 1259, 1450, 1636, 1817, 1992, 2163, 2329,
    2490, 2646, 2797, 2944, 3087, 3224, 3358, 3487, 3611, 3732, 3848, 3960, 4068,
    4172, 4272, 4368, 4460, 4549, 4633, 4714, 4791, 4864, 4934, 5001, 5063, 5123,
    5178, 5231, 5280, 5326, 5368, 5408, 5444, 5477, 5507, 5533, 5557, 5578, 5595,
    5610, 5622, 5631, 5637, 5640, 5641, 5638, 5633, 5626, 5615, 5602, 5586, 5568,
    5547, 5524, 5498, 5470, 5439, 5406, 5370, 5332, 5291, 5249, 5203, 5156, 5106,
    5054, 5000, 4944, 4885, 4825, 4762, 4697, 4630, 4561, 4490, 4416, 4341, 4264,
    4184, 4103, 4020, 3935, 3848, 3759, 3668, 3575, 3481, 3384, 3286, 3186, 3084,
    2981, 2875, 2768, 2659, 2549, 2437, 2323, 2207, 2090, 1971, 1851, 1729, 1605,
    1480, 1353, 1224, 1094,  963,  830,  695,  559,  421,  282,  142,    0,    0,
};

#define LOG_FRAC_BITS 16   /* log2 results carry 16 fractional bits */
#define LOG_SEGMENT_BITS 7 /* 128 table segments */
#define LOG_LN2_Q16 45426  /* ln(2) * 65536, rounded */

/* The fractional part of log2(x), in Q16, for x with its top bit at position top (0-based):
 * the mantissa m = x / 2^top - 1 in Q16, plus the table's correction log2(1 + m) - m,
 * interpolated linearly within the segment. */
static uint32_t log2_fraction(uint32_t x, uint32_t top) {
    int32_t m = (int32_t)((int64_t)x - ((int64_t)1 << top)); /* 0 <= m < 2^top */
    if (top < LOG_FRAC_BITS)
        m = (int32_t)((uint32_t)m << (LOG_FRAC_BITS - top));
    else
        m >>= top - LOG_FRAC_BITS;
    const uint32_t segment = (uint32_t)m >> (LOG_FRAC_BITS - LOG_SEGMENT_BITS);
    const int32_t segment_width = 1 << (LOG_FRAC_BITS - LOG_SEGMENT_BITS);
    const int32_t lo = signal_log_table[segment], hi = signal_log_table[segment + 1];
    const int32_t within = m - segment_width * (int32_t)segment;
    const int32_t correction = ((hi - lo) * within) >> LOG_FRAC_BITS;
    return (uint32_t)(m + lo + correction);
}

uint32_t signal_log32(uint32_t x, uint32_t out_scale) {
    if (x == 0) return 0; /* callers pass x >= 1; keep the table reads in bounds anyway */
    const uint32_t top = signal_msb32(x) - 1;
    const uint32_t log2_q16 = (top << LOG_FRAC_BITS) + log2_fraction(x, top);
    const uint32_t half = 1u << (LOG_FRAC_BITS - 1);
    const uint32_t ln_q16 = (uint32_t)(((uint64_t)LOG_LN2_Q16 * log2_q16 + half) >> LOG_FRAC_BITS);
    /* 32-bit unsigned on purpose: the library scales in uint32 and so wraps the same way. */
    return (out_scale * ln_q16 + half) >> LOG_FRAC_BITS;
}

int16_t signal_pcan_gain(uint32_t x, const int16_t *lut) {
    if (x <= 2) return lut[x];
    /* Octave k = msb(x) (2..32) owns coefficients lut[4k-6 .. 4k-4]; the 10 bits below the
     * top bit are the position inside the octave. */
    const int32_t octave = (int32_t)signal_msb32(x);
    const int16_t *c = lut + 4 * octave - 6;
    const uint32_t shifted = octave < 11 ? x << (11 - octave) : x >> (octave - 11);
    const int32_t t = (int32_t)(shifted & 0x3FF);
    int32_t r = ((int32_t)c[2] * t) >> 5;
    r = wrap32((int64_t)r + (int64_t)c[1] * 32);
    r = wrap32((int64_t)r * t);
    r = wrap32((int64_t)r + (1 << 14)) >> 15;
    r = wrap32((int64_t)r + c[0]);
    return wrap16(r);
}

uint32_t signal_pcan_shrink(uint32_t x) {
    if (x < (2u << SIGNAL_PCAN_SNR_BITS))
        return (x * x) >> (2 + 2 * SIGNAL_PCAN_SNR_BITS - SIGNAL_PCAN_OUTPUT_BITS);
    return (x >> (SIGNAL_PCAN_SNR_BITS - SIGNAL_PCAN_OUTPUT_BITS)) - (1u << SIGNAL_PCAN_OUTPUT_BITS);
}
