/* signal_fft.h — the 16-bit fixed-point real FFT of TensorFlow Lite Micro's SignalRfft:
 * KISS FFT (v1.3.0) in its FIXED_POINT=16 configuration, reproduced bit for bit.
 *
 * A real input of n samples (n even) is read as n/2 complex values (even samples real, odd
 * imaginary), transformed by a mixed-radix (4, 2, 3, 5) decimation-in-time complex FFT of
 * n/2 points, then split into the n/2 + 1 bins of the real spectrum. Every butterfly stage
 * divides by its radix first (Q15 multiply with round-half-up), so the output is the DFT
 * scaled by 1/n. Twiddles are round(32767 * cos/sin) computed in double precision, as the
 * library does at init time. */
#ifndef MOTE_SIGNAL_SIGNAL_FFT_H
#define MOTE_SIGNAL_SIGNAL_FFT_H

#include <stddef.h>
#include <stdint.h>

typedef struct signal_cpx16 {
    int16_t r, i;
} signal_cpx16;

/* Enough stages for any complex length below 2^31 (each radix is at least 2). */
#define SIGNAL_FFT_MAX_STAGES 32

typedef struct signal_rfft_plan {
    int32_t length;      /* n: real samples in, n/2 + 1 complex bins out */
    int32_t half;        /* n/2: the complex FFT's length */
    int32_t stage_count;
    int32_t radix[SIGNAL_FFT_MAX_STAGES]; /* per stage, outermost first, as KISS FFT factors */
    int32_t span[SIGNAL_FFT_MAX_STAGES];  /* length of the sub-transforms each stage combines */
} signal_rfft_plan;

typedef enum signal_rfft_plan_result {
    SIGNAL_RFFT_PLAN_OK = 0,
    SIGNAL_RFFT_PLAN_BAD_LENGTH = 1, /* n odd or below 4 */
    SIGNAL_RFFT_PLAN_BAD_RADIX = 2   /* n/2 has a prime factor above 5, which the library's
                                        fixed-point build cannot transform */
} signal_rfft_plan_result;

/* Factors n/2 in KISS FFT's order (4s first, then 2, then odd primes). */
signal_rfft_plan_result signal_rfft_plan_init(signal_rfft_plan *plan, int32_t n);

/* Constant tables of a plan: twiddles [n/2], split twiddles [n/4], input order [n/2]. */
size_t signal_rfft_table_bytes(const signal_rfft_plan *plan);
void signal_rfft_fill_tables(const signal_rfft_plan *plan, void *tables);

/* Working memory of one transform: [n/2] complex values. */
size_t signal_rfft_scratch_bytes(const signal_rfft_plan *plan);

/* input [n] -> output [n + 2] (n/2 + 1 interleaved real, imaginary pairs). */
void signal_rfft_int16(const signal_rfft_plan *plan, const void *tables, const int16_t *input,
                       int16_t *output, void *scratch);

#endif /* MOTE_SIGNAL_SIGNAL_FFT_H */
