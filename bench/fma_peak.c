/* fma_peak.c — this machine's single-thread float32 FMA peak, the ceiling that bench/compare
 * holds the big convolutions against: tight loops of independent fused multiply-adds with
 * AVX-512 (16 lanes) and AVX2 (8 lanes), and a chain of dependent integer adds (one per
 * cycle) to estimate the clock. Prints one JSON object.
 *
 *   cc -O2 -std=c11 -o fma_peak bench/fma_peak.c && ./fma_peak [seconds per measurement]
 *
 * The loops keep 16 (AVX-512) and 12 (AVX2) independent accumulators: FMA latency (4
 * cycles) times 2 FMA ports needs 8 in flight. A variant the CPU (or the OS) lacks is reported as null. The best
 * of several timed repetitions (in thread CPU time) is kept, so that other processes on the
 * machine lower the result as little as possible. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define HAVE_X86 1
#endif

/* This thread's CPU time, not wall time: on a busy machine the time slices other processes
 * take are not counted against the loop. */
static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Keeps results alive so that the loops are not optimized away. */
static volatile float sink;

#ifdef HAVE_X86
#define STEP(op, k) acc##k = op(acc##k, a, b)
#define STEP16(op)                                                                                     \
    STEP(op, 0); STEP(op, 1); STEP(op, 2); STEP(op, 3); STEP(op, 4); STEP(op, 5); STEP(op, 6);         \
    STEP(op, 7); STEP(op, 8); STEP(op, 9); STEP(op, 10); STEP(op, 11); STEP(op, 12); STEP(op, 13);     \
    STEP(op, 14); STEP(op, 15)

/* Runs iterations x 16 FMAs on 16-lane vectors; returns the flops done. */
__attribute__((target("avx512f"), noinline)) static double fma_avx512(uint64_t iterations) {
    __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-7f);
    __m512 acc0 = _mm512_set1_ps((float)sink), acc1 = acc0, acc2 = acc0, acc3 = acc0, acc4 = acc0,
           acc5 = acc0, acc6 = acc0, acc7 = acc0, acc8 = acc0, acc9 = acc0, acc10 = acc0, acc11 = acc0,
           acc12 = acc0, acc13 = acc0, acc14 = acc0, acc15 = acc0;
    for (uint64_t i = 0; i < iterations; i++) {
        STEP16(_mm512_fmadd_ps);
        /* Opaque to the compiler: equal accumulators cannot be merged, nor the loop folded. */
        __asm__ __volatile__("" : "+v"(acc0), "+v"(acc1), "+v"(acc2), "+v"(acc3), "+v"(acc4), "+v"(acc5),
                             "+v"(acc6), "+v"(acc7));
        __asm__ __volatile__("" : "+v"(acc8), "+v"(acc9), "+v"(acc10), "+v"(acc11), "+v"(acc12),
                             "+v"(acc13), "+v"(acc14), "+v"(acc15));
    }
    __m512 s = _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(acc0, acc1), _mm512_add_ps(acc2, acc3)),
                             _mm512_add_ps(_mm512_add_ps(acc4, acc5), _mm512_add_ps(acc6, acc7)));
    s = _mm512_add_ps(s, _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(acc8, acc9), _mm512_add_ps(acc10, acc11)),
                                       _mm512_add_ps(_mm512_add_ps(acc12, acc13), _mm512_add_ps(acc14, acc15))));
    sink = _mm512_reduce_add_ps(s);
    return (double)iterations * 16 * 16 * 2;
}

/* Runs iterations x 12 FMAs on 8-lane vectors (16 ymm registers hold 12 accumulators and
 * the two operands); returns the flops done. */
__attribute__((target("avx2,fma"), noinline)) static double fma_avx2(uint64_t iterations) {
    __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-7f);
    __m256 acc0 = _mm256_set1_ps((float)sink), acc1 = acc0, acc2 = acc0, acc3 = acc0, acc4 = acc0,
           acc5 = acc0, acc6 = acc0, acc7 = acc0, acc8 = acc0, acc9 = acc0, acc10 = acc0, acc11 = acc0;
    for (uint64_t i = 0; i < iterations; i++) {
        STEP(_mm256_fmadd_ps, 0); STEP(_mm256_fmadd_ps, 1); STEP(_mm256_fmadd_ps, 2);
        STEP(_mm256_fmadd_ps, 3); STEP(_mm256_fmadd_ps, 4); STEP(_mm256_fmadd_ps, 5);
        STEP(_mm256_fmadd_ps, 6); STEP(_mm256_fmadd_ps, 7); STEP(_mm256_fmadd_ps, 8);
        STEP(_mm256_fmadd_ps, 9); STEP(_mm256_fmadd_ps, 10); STEP(_mm256_fmadd_ps, 11);
        __asm__ __volatile__("" : "+x"(acc0), "+x"(acc1), "+x"(acc2), "+x"(acc3), "+x"(acc4), "+x"(acc5));
        __asm__ __volatile__("" : "+x"(acc6), "+x"(acc7), "+x"(acc8), "+x"(acc9), "+x"(acc10), "+x"(acc11));
    }
    __m256 s = _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(acc0, acc1), _mm256_add_ps(acc2, acc3)),
                             _mm256_add_ps(_mm256_add_ps(acc4, acc5), _mm256_add_ps(acc6, acc7)));
    s = _mm256_add_ps(s, _mm256_add_ps(_mm256_add_ps(acc8, acc9), _mm256_add_ps(acc10, acc11)));
    float lanes[8];
    _mm256_storeu_ps(lanes, s);
    sink = lanes[0] + lanes[7];
    return (double)iterations * 12 * 8 * 2;
}

/* iterations x 16 dependent one-cycle adds; returns the adds done (cycles). */
__attribute__((noinline)) static double add_chain(uint64_t iterations) {
    uint64_t x = (uint64_t)sink;
    for (uint64_t i = 0; i < iterations; i++) {
        __asm__ __volatile__("add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\t"
                             "add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\t"
                             "add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\t"
                             "add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0"
                             : "+r"(x));
    }
    sink = (float)x;
    return (double)iterations * 16;
}
#endif

/* Best rate (units per second) of kernel over repeats of about `seconds` each. */
static double best_rate(double (*kernel)(uint64_t), double seconds, int repeats) {
    uint64_t n = 1000;
    for (;;) { /* calibrate: about a tenth of the target time */
        double t0 = now(), work = kernel(n), t = now() - t0;
        (void)work;
        if (t > seconds / 10 || n > ((uint64_t)1 << 40)) break;
        n *= 2;
    }
    n *= 10;
    double best = 0;
    for (int r = 0; r < repeats; r++) {
        double t0 = now(), work = kernel(n), t = now() - t0;
        if (t > 0 && work / t > best) best = work / t;
    }
    return best;
}

int main(int argc, char **argv) {
    double seconds = argc > 1 ? atof(argv[1]) : 0.2;
    if (!(seconds > 0) || seconds > 60) {
        fprintf(stderr, "usage: fma_peak [seconds per measurement, default 0.2]\n");
        return 2;
    }
    int repeats = 5;
    printf("{");
#ifdef HAVE_X86
    __builtin_cpu_init();
    double ghz = best_rate(add_chain, seconds, repeats) / 1e9;
    printf("\"clock_ghz_estimate\": %.3f", ghz);
    if (__builtin_cpu_supports("avx512f")) {
        double g = best_rate(fma_avx512, seconds, repeats) / 1e9;
        printf(", \"avx512_gflops\": %.2f, \"avx512_flops_per_cycle\": %.2f", g, g / ghz);
    } else {
        printf(", \"avx512_gflops\": null");
    }
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
        double g = best_rate(fma_avx2, seconds, repeats) / 1e9;
        printf(", \"avx2_gflops\": %.2f, \"avx2_flops_per_cycle\": %.2f", g, g / ghz);
    } else {
        printf(", \"avx2_gflops\": null");
    }
#else
    (void)best_rate;
    printf("\"clock_ghz_estimate\": null, \"avx512_gflops\": null, \"avx2_gflops\": null");
#endif
    printf(", \"seconds_per_measurement\": %g, \"repeats\": %d}\n", seconds, repeats);
    return 0;
}
