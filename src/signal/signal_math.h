/* signal_math.h — the integer arithmetic of TensorFlow Lite Micro's signal library: bit
 * scans, square roots, the fixed-point logarithm and PCAN's gain curve. Every function
 * gives the same bits as the library's portable C path (as built by GCC or Clang). */
#ifndef MOTE_SIGNAL_SIGNAL_MATH_H
#define MOTE_SIGNAL_SIGNAL_MATH_H

#include <stdint.h>

/* 1-based index of the highest set bit (1 for x == 1, 32 for bit 31). For x == 0 this is 32,
 * not 0: the library's GCC/Clang path answers 32 - clz with clz(0) taken as 0, and
 * SignalFftAutoScale's shift for all-zero audio depends on it. */
uint32_t signal_msb32(uint32_t x);
/* The same for 64 bits (64 for x == 0). */
uint32_t signal_msb64(uint64_t x);

/* Integer square root rounded to nearest (bit-by-bit; the result saturates at 0xFFFF). */
uint16_t signal_sqrt32(uint32_t x);
/* 64-bit square root: values below 2^32 take the 32-bit path (so results near 2^32 can be
 * one lower than exact, as in the library); saturates at 0xFFFFFFFF. */
uint32_t signal_sqrt64(uint64_t x);

/* Natural logarithm of x > 0 scaled by out_scale: round(ln(x) * out_scale) up to the
 * interpolation error of a 128-segment table (log2 with 16 fractional bits, then times
 * ln 2 in Q16). */
uint32_t signal_log32(uint32_t x, uint32_t out_scale);

/* The table signal_log32 interpolates: entry i is round(65536 * (log2(1 + i/128) - i/128)),
 * i = 0..128, plus one zero of padding. */
extern const uint16_t signal_log_table[130];

/* PCAN: fractional bits of the signal-to-noise ratio and of the output. */
#define SIGNAL_PCAN_SNR_BITS 12
#define SIGNAL_PCAN_OUTPUT_BITS 6
/* Smallest gain table PCAN accepts: x up to 2^32-1 reads entries up to 4*32 - 6 + 2. */
#define SIGNAL_PCAN_LUT_MIN 125

/* PCAN's gain for a noise estimate x: a piecewise quadratic read from lut (3 coefficients per
 * octave of x; lut[x] directly for x <= 2). lut must hold SIGNAL_PCAN_LUT_MIN entries. */
int16_t signal_pcan_gain(uint32_t x, const int16_t *lut);
/* PCAN's compression: x^2/4 below 2, x - 1 above (x has SIGNAL_PCAN_SNR_BITS fractional
 * bits, the result SIGNAL_PCAN_OUTPUT_BITS). */
uint32_t signal_pcan_shrink(uint32_t x);

#endif /* MOTE_SIGNAL_SIGNAL_MATH_H */
