/* signal_fft.c — the fixed-point real FFT of SignalRfft (see signal_fft.h).
 *
 * The complex FFT runs iteratively: the input is first scattered into digit-reversed order
 * (what KISS FFT's recursion does at its leaves), then the stages combine sub-transforms
 * from the innermost radix outwards. Each butterfly does the library's 16-bit operations
 * in the library's order: sums and differences wrap to 16 bits, products are Q15 with
 * (x + 2^14) >> 15 rounding evaluated in 32 bits. */
#include "signal/signal_fft.h"

#include <math.h>
#include <string.h>

#define SIGNAL_PI 3.14159265358979323846

/* ---- 16-bit fixed-point complex arithmetic ---- */

static inline int16_t wrap16(int32_t v) { return (int16_t)(uint16_t)(uint32_t)v; }

/* Q15 rounding of a product sum as the library computes it: in int32, wrapping. */
static inline int16_t q15_round(int64_t x) {
    int32_t s = (int32_t)(uint32_t)((uint64_t)x + (1u << 14));
    return wrap16(s >> 15);
}

static inline int16_t q15_mul(int16_t a, int16_t b) { return q15_round((int32_t)a * b); }

static inline signal_cpx16 cpx(int32_t r, int32_t i) {
    signal_cpx16 c = {wrap16(r), wrap16(i)};
    return c;
}
static inline signal_cpx16 cadd(signal_cpx16 a, signal_cpx16 b) { return cpx(a.r + b.r, a.i + b.i); }
static inline signal_cpx16 csub(signal_cpx16 a, signal_cpx16 b) { return cpx(a.r - b.r, a.i - b.i); }
static inline signal_cpx16 cmul(signal_cpx16 a, signal_cpx16 b) {
    signal_cpx16 m;
    m.r = q15_round((int64_t)a.r * b.r - (int64_t)a.i * b.i);
    m.i = q15_round((int64_t)a.r * b.i + (int64_t)a.i * b.r);
    return m;
}
/* Division by a radix: multiplication by the Q15 constant 32767 / p (truncated). */
static inline signal_cpx16 cdiv(signal_cpx16 a, int16_t p) {
    const int16_t k = (int16_t)(32767 / p);
    signal_cpx16 c = {q15_mul(a.r, k), q15_mul(a.i, k)};
    return c;
}

/* round(32767 * cos, sin of phase), as floor(0.5 + x) in double precision. */
static signal_cpx16 unit_q15(double phase) {
    signal_cpx16 c;
    c.r = (int16_t)floor(0.5 + 32767.0 * cos(phase));
    c.i = (int16_t)floor(0.5 + 32767.0 * sin(phase));
    return c;
}

/* ---- plan and tables ---- */

signal_rfft_plan_result signal_rfft_plan_init(signal_rfft_plan *plan, int32_t n) {
    memset(plan, 0, sizeof *plan);
    if (n < 4 || n % 2) return SIGNAL_RFFT_PLAN_BAD_LENGTH;
    plan->length = n;
    plan->half = n / 2;
    /* KISS FFT's factoring: 4s while they divide, then 2, then 3, 5, 7, ...; past the square
     * root of the length the remainder is taken as one (prime) factor. */
    int32_t rest = plan->half, p = 4, root = 0;
    while ((int64_t)(root + 1) * (root + 1) <= rest) root++;
    while (rest > 1) {
        while (rest % p) {
            p = p == 4 ? 2 : p == 2 ? 3 : p + 2;
            if (p > root) p = rest;
        }
        rest /= p;
        plan->radix[plan->stage_count] = p;
        plan->span[plan->stage_count] = rest;
        plan->stage_count++;
        if (p > 5) return SIGNAL_RFFT_PLAN_BAD_RADIX;
    }
    return SIGNAL_RFFT_PLAN_OK;
}

/* Where a plan's tables sit in its memory. */
typedef struct rfft_layout {
    size_t split;  /* byte offset of the split twiddles [half / 2] */
    size_t order;  /* byte offset of the input order [half] */
} rfft_layout;

static rfft_layout layout_of(const signal_rfft_plan *plan) {
    rfft_layout l;
    l.split = (size_t)plan->half * sizeof(signal_cpx16);
    l.order = l.split + (size_t)(plan->half / 2) * sizeof(signal_cpx16);
    return l;
}

size_t signal_rfft_table_bytes(const signal_rfft_plan *plan) {
    size_t half = (size_t)plan->half;
    return (half + half / 2) * sizeof(signal_cpx16) + half * sizeof(int32_t);
}

size_t signal_rfft_scratch_bytes(const signal_rfft_plan *plan) {
    return (size_t)plan->half * sizeof(signal_cpx16);
}

void signal_rfft_fill_tables(const signal_rfft_plan *plan, void *mem) {
    const rfft_layout l = layout_of(plan);
    signal_cpx16 *twiddle = mem; /* [half]: exp(-2 pi i k / half) */
    signal_cpx16 *split = (signal_cpx16 *)(void *)((uint8_t *)mem + l.split); /* [half / 2] */
    int32_t *order = (int32_t *)(void *)((uint8_t *)mem + l.order);             /* [half] */
    const int32_t half = plan->half;
    for (int32_t k = 0; k < half; k++) twiddle[k] = unit_q15((-2.0 * SIGNAL_PI * (double)k) / (double)half);
    /* exp(-i pi ((k + 1) / half + 1/2)) */
    for (int32_t k = 0; k < half / 2; k++)
        split[k] = unit_q15(-SIGNAL_PI * ((double)(k + 1) / (double)half + 0.5));
    /* Output position sum(d_s * span_s) takes input sum(d_s * stride_s), where stride_s is
     * the product of the radices before stage s. */
    for (int32_t pos = 0; pos < half; pos++) {
        int32_t rest = pos, index = 0, stride = 1;
        for (int32_t s = 0; s < plan->stage_count; s++) {
            index += (rest / plan->span[s]) * stride;
            rest %= plan->span[s];
            stride *= plan->radix[s];
        }
        order[pos] = index;
    }
}

/* ---- butterflies: combine p sub-transforms of length m at f (twiddle step `step`) ---- */

static void radix2(signal_cpx16 *f, const signal_cpx16 *tw, size_t step, size_t m) {
    for (size_t k = 0; k < m; k++) {
        signal_cpx16 a = cdiv(f[k], 2), b = cdiv(f[k + m], 2);
        signal_cpx16 t = cmul(b, tw[k * step]);
        f[k + m] = csub(a, t);
        f[k] = cadd(a, t);
    }
}

static void radix3(signal_cpx16 *f, const signal_cpx16 *tw, size_t step, size_t m) {
    const int16_t sin120 = tw[step * m].i;
    for (size_t k = 0; k < m; k++) {
        signal_cpx16 a = cdiv(f[k], 3), b = cdiv(f[k + m], 3), c = cdiv(f[k + 2 * m], 3);
        signal_cpx16 b1 = cmul(b, tw[k * step]), c2 = cmul(c, tw[2 * k * step]);
        signal_cpx16 sum = cadd(b1, c2), diff = csub(b1, c2);
        signal_cpx16 mid = cpx(a.r - (sum.r >> 1), a.i - (sum.i >> 1));
        diff.r = q15_mul(diff.r, sin120);
        diff.i = q15_mul(diff.i, sin120);
        f[k] = cadd(a, sum);
        f[k + 2 * m] = cpx(mid.r + diff.i, mid.i - diff.r);
        f[k + m] = cpx(mid.r - diff.i, mid.i + diff.r);
    }
}

static void radix4(signal_cpx16 *f, const signal_cpx16 *tw, size_t step, size_t m) {
    for (size_t k = 0; k < m; k++) {
        signal_cpx16 a = cdiv(f[k], 4), b = cdiv(f[k + m], 4), c = cdiv(f[k + 2 * m], 4),
                     d = cdiv(f[k + 3 * m], 4);
        signal_cpx16 b1 = cmul(b, tw[k * step]), c2 = cmul(c, tw[2 * k * step]),
                     d3 = cmul(d, tw[3 * k * step]);
        signal_cpx16 a_minus_c = csub(a, c2);
        a = cadd(a, c2);
        signal_cpx16 bd_sum = cadd(b1, d3), bd_diff = csub(b1, d3);
        f[k + 2 * m] = csub(a, bd_sum);
        f[k] = cadd(a, bd_sum);
        /* Forward transform: multiply bd_diff by -i. */
        f[k + m] = cpx(a_minus_c.r + bd_diff.i, a_minus_c.i - bd_diff.r);
        f[k + 3 * m] = cpx(a_minus_c.r - bd_diff.i, a_minus_c.i + bd_diff.r);
    }
}

static void radix5(signal_cpx16 *f, const signal_cpx16 *tw, size_t step, size_t m) {
    const signal_cpx16 w1 = tw[step * m], w2 = tw[2 * step * m]; /* exp(-2 pi i / 5), its square */
    for (size_t u = 0; u < m; u++) {
        signal_cpx16 x0 = cdiv(f[u], 5), x1 = cdiv(f[u + m], 5), x2 = cdiv(f[u + 2 * m], 5),
                     x3 = cdiv(f[u + 3 * m], 5), x4 = cdiv(f[u + 4 * m], 5);
        x1 = cmul(x1, tw[u * step]);
        x2 = cmul(x2, tw[2 * u * step]);
        x3 = cmul(x3, tw[3 * u * step]);
        x4 = cmul(x4, tw[4 * u * step]);
        signal_cpx16 s14 = cadd(x1, x4), d14 = csub(x1, x4), s23 = cadd(x2, x3), d23 = csub(x2, x3);
        f[u] = cpx(x0.r + (s14.r + s23.r), x0.i + (s14.i + s23.i));

        signal_cpx16 p = cpx(x0.r + q15_mul(s14.r, w1.r) + q15_mul(s23.r, w2.r),
                             x0.i + q15_mul(s14.i, w1.r) + q15_mul(s23.i, w2.r));
        signal_cpx16 q = cpx(q15_mul(d14.i, w1.i) + q15_mul(d23.i, w2.i),
                             -q15_mul(d14.r, w1.i) - q15_mul(d23.r, w2.i));
        f[u + m] = csub(p, q);
        f[u + 4 * m] = cadd(p, q);

        p = cpx(x0.r + q15_mul(s14.r, w2.r) + q15_mul(s23.r, w1.r),
                x0.i + q15_mul(s14.i, w2.r) + q15_mul(s23.i, w1.r));
        q = cpx(-q15_mul(d14.i, w2.i) + q15_mul(d23.i, w1.i), q15_mul(d14.r, w2.i) - q15_mul(d23.r, w1.i));
        f[u + 2 * m] = cadd(p, q);
        f[u + 3 * m] = csub(p, q);
    }
}

/* ---- the transform ---- */

void signal_rfft_int16(const signal_rfft_plan *plan, const void *mem, const int16_t *input, int16_t *output,
                       void *scratch) {
    const rfft_layout l = layout_of(plan);
    const signal_cpx16 *twiddle = mem;
    const signal_cpx16 *split = (const signal_cpx16 *)(const void *)((const uint8_t *)mem + l.split);
    const int32_t *order = (const int32_t *)(const void *)((const uint8_t *)mem + l.order);
    const int32_t half = plan->half;
    signal_cpx16 *z = scratch; /* [half] */

    for (int32_t pos = 0; pos < half; pos++) {
        const int32_t j = order[pos];
        z[pos].r = input[2 * j];
        z[pos].i = input[2 * j + 1];
    }
    /* Stage s combines blocks of radix * span values; there are `stride` of them, where
     * stride is the product of the radices before s (also the twiddle step). */
    for (int32_t s = plan->stage_count - 1; s >= 0; s--) {
        size_t stride = 1;
        for (int32_t e = 0; e < s; e++) stride *= (size_t)plan->radix[e];
        const size_t m = (size_t)plan->span[s], block = (size_t)plan->radix[s] * m;
        for (size_t b = 0; b < stride; b++) {
            signal_cpx16 *f = z + b * block;
            switch (plan->radix[s]) {
            case 2: radix2(f, twiddle, stride, m); break;
            case 3: radix3(f, twiddle, stride, m); break;
            case 4: radix4(f, twiddle, stride, m); break;
            default: radix5(f, twiddle, stride, m); break;
            }
        }
    }

    /* Split the packed transform of (even, odd) samples into the real spectrum. */
    signal_cpx16 dc = cdiv(z[0], 2);
    output[0] = wrap16(dc.r + dc.i);
    output[1] = 0;
    output[2 * half] = wrap16(dc.r - dc.i);
    output[2 * half + 1] = 0;
    for (int32_t k = 1; k <= half / 2; k++) {
        signal_cpx16 a = cdiv(z[k], 2);
        signal_cpx16 b = cdiv(cpx(z[half - k].r, -z[half - k].i), 2);
        signal_cpx16 sum = cadd(a, b);
        signal_cpx16 w = cmul(csub(a, b), split[k - 1]);
        output[2 * k] = wrap16((sum.r + w.r) >> 1);
        output[2 * k + 1] = wrap16((sum.i + w.i) >> 1);
        output[2 * (half - k)] = wrap16((sum.r - w.r) >> 1);
        output[2 * (half - k) + 1] = wrap16((w.i - sum.i) >> 1);
    }
}
