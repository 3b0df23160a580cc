/* math_f32_impl.h — the loops of math_f32_opt.c, compiled once per instruction set: the
 * portable build in math_f32_opt.c, and x86/math_f32_avx2.c, x86/math_f32_avx512.c, where the
 * same C vectorizes 8 and 16 lanes wide. The includer defines MATH_F32_NAME(f) to name
 * the exported functions (see math_f32_opt.h for what they compute). */
#ifndef MATH_F32_NAME
#error "define MATH_F32_NAME before including math_f32_impl.h"
#endif

#include <math.h>
#include <stdint.h>
#include <string.h>

/* The clamps and selects below are branch-free only when the compiler may evaluate both
 * sides of a float comparison without regard to floating-point exception flags (nothing in
 * Mote reads them). Clang assumes so by default; GCC needs to be told. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-trapping-math")
#endif

static inline float bits_to_float(int32_t b) {
    float f;
    memcpy(&f, &b, sizeof f);
    return f;
}

/* exp(x) for x in [-87.3, 88.7] (the caller clamps): x = n ln 2 + r with |r| <= ln 2 / 2,
 * e^r by its Taylor polynomial of degree 6 (error below 2e-7 relative), 2^n from the
 * exponent bits. Branch-free, so loops over it vectorize. */
static inline float exp_poly(float x) {
    const float log2e = 1.44269504088896341f, round = 12582912.0f; /* 1.5 * 2^23 */
    const float ln2_hi = 0.693145751953125f, ln2_lo = 1.428606765330187e-06f;
    const float n = (x * log2e + round) - round; /* nearest integer */
    const float r = (x - n * ln2_hi) - n * ln2_lo;
    float p = 1.0f / 720.0f;
    p = p * r + 1.0f / 120.0f;
    p = p * r + 1.0f / 24.0f;
    p = p * r + 1.0f / 6.0f;
    p = p * r + 0.5f;
    p = p * r + 1.0f;
    p = p * r + 1.0f;
    return p * bits_to_float(((int32_t)n + 127) * (1 << 23));
}

/* exp with the clamp: below -87.3 the result is 0 (the true value is at most 1.2e-38). NaN
 * is clamped too (exp_poly's integer conversion of NaN would be undefined) and returned. */
static inline float exp_f32(float x) {
    const float lo = -87.3f, hi = 88.7f;
    const float c = x > lo ? (x < hi ? x : hi) : lo;
    const float e = exp_poly(c);
    return x < lo ? 0.0f : (x == x ? e : x);
}

/* erf(x) = x P(x^2) / Q(x^2) on |x| <= 3.9 (a rational fit made for Mote, error below 1.5e-7
 * in exact arithmetic, 4e-7 in float), +-1 beyond (1 - erf(3.9) = 3.5e-8). */
static inline float erf_f32(float x) {
    const float c = x < -3.9f ? -3.9f : (x > 3.9f ? 3.9f : x);
    const float t = c * c;
    float p = 2.0702099617908587e-08f;
    p = p * t - 1.997879976768646e-06f;
    p = p * t + 0.00014163133802717626f;
    p = p * t + 0.0036161531971300558f;
    p = p * t + 0.0502473030915975f;
    p = p * t + 0.19740777499647863f;
    p = p * t + 1.128378902407012f;
    float q = 0.0009415228658051423f;
    q = q * t + 0.014153547427524931f;
    q = q * t + 0.11396920475405048f;
    q = q * t + 0.5082782010633353f;
    q = q * t + 1.0f;
    const float e = c * p / q;
    return e > 1.0f ? 1.0f : (e < -1.0f ? -1.0f : e);
}


/* Lanes of the partial maxima and sums (independent, so the loops vectorize without
 * reassociating float additions). */
#define LANES 16

void MATH_F32_NAME(gelu)(const float *x, float *y, size_t n, int approximate) {
    if (approximate) {
        /* 0.5 x (1 + tanh(u)) = x (1 - 1 / (exp(2u) + 1)) */
        for (size_t i = 0; i < n; i++) {
            const float v = x[i];
            const float u = 0.7978845608028654f * (v + 0.044715f * v * v * v);
            y[i] = v - v / (exp_f32(2.0f * u) + 1.0f);
        }
    } else {
        for (size_t i = 0; i < n; i++) {
            const float v = x[i];
            y[i] = 0.5f * v * (1.0f + erf_f32(v * 0.7071067811865476f));
        }
    }
}

static float row_sum(const float *x, size_t n) {
    float s[LANES] = {0};
    size_t i = 0;
    for (; i + LANES <= n; i += LANES)
        for (size_t l = 0; l < LANES; l++) s[l] += x[i + l];
    float sum = 0.0f;
    for (size_t l = 0; l < LANES; l++) sum += s[l];
    for (; i < n; i++) sum += x[i];
    return sum;
}

void MATH_F32_NAME(softmax_row)(const float *x, float *y, size_t n, float beta) {
    float m[LANES];
    for (size_t l = 0; l < LANES; l++) m[l] = -INFINITY;
    size_t i = 0;
    for (; i + LANES <= n; i += LANES)
        for (size_t l = 0; l < LANES; l++) m[l] = x[i + l] > m[l] ? x[i + l] : m[l];
    float max = -INFINITY;
    for (size_t l = 0; l < LANES; l++) max = m[l] > max ? m[l] : max;
    for (; i < n; i++) max = x[i] > max ? x[i] : max;
    for (i = 0; i < n; i++) y[i] = exp_f32((x[i] - max) * beta);
    const float sum = row_sum(y, n);
    const float inv = 1.0f / sum;
    for (i = 0; i < n; i++) y[i] *= inv;
}

