/* cpu.c — run-time CPU feature detection (cpuid/xgetbv on x86-64, HWCAP on aarch64). */
#include "core/cpu.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__)
#include <cpuid.h>

static uint64_t read_xcr0(void) {
    uint32_t lo, hi;
    __asm__ __volatile__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((uint64_t)hi << 32) | lo;
}

static uint32_t detect(void) {
    uint32_t a, b, c, d, f = 0;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    int osxsave = (c >> 27) & 1, avx = (c >> 28) & 1, fma = (c >> 12) & 1, f16c = (c >> 29) & 1;
    if (!osxsave || !avx) return 0;
    uint64_t xcr0 = read_xcr0();
    if ((xcr0 & 0x6) != 0x6) return 0; /* the OS does not save ymm state */
    if (__get_cpuid_max(0, NULL) < 7) return 0;
    __cpuid_count(7, 0, a, b, c, d);
    int avx2 = (b >> 5) & 1;
    if (avx2 && fma && f16c) f |= CPU_X86_AVX2;
    int avx512f = (b >> 16) & 1, avx512dq = (b >> 17) & 1, avx512bw = (b >> 30) & 1,
        avx512vl = (b >> 31) & 1, vnni = (c >> 11) & 1;
    if ((f & CPU_X86_AVX2) && avx512f && avx512dq && avx512bw && avx512vl && (xcr0 & 0xe0) == 0xe0) {
        f |= CPU_X86_AVX512;
        if (vnni) f |= CPU_X86_AVX512_VNNI;
    }
    __cpuid_count(7, 1, a, b, c, d);
    if ((f & CPU_X86_AVX2) && ((a >> 4) & 1)) f |= CPU_X86_AVX_VNNI;
    return f;
}
#elif defined(__aarch64__) && defined(__linux__)
#include <sys/auxv.h>
#ifndef HWCAP_ASIMDDP
#define HWCAP_ASIMDDP (1 << 20)
#endif
#ifndef HWCAP2_I8MM
#define HWCAP2_I8MM (1 << 13)
#endif
static uint32_t detect(void) {
    uint32_t f = CPU_ARM_NEON;
    unsigned long hw = getauxval(AT_HWCAP), hw2 = getauxval(AT_HWCAP2);
    if (hw & HWCAP_ASIMDDP) f |= CPU_ARM_DOTPROD;
    if (hw2 & HWCAP2_I8MM) f |= CPU_ARM_I8MM;
    return f;
}
#elif defined(__aarch64__)
static uint32_t detect(void) { return CPU_ARM_NEON; }
#else
static uint32_t detect(void) { return 0; }
#endif

uint32_t cpu_features(void) {
    static atomic_uint cached = 0xffffffffu;
    uint32_t f = atomic_load_explicit(&cached, memory_order_relaxed);
    if (f != 0xffffffffu) return f;
    f = detect();
    const char *mask = getenv("MOTE_CPU_MASK");
    if (mask && *mask) f &= (uint32_t)strtoul(mask, NULL, 0);
    atomic_store_explicit(&cached, f, memory_order_relaxed);
    return f;
}

const char *cpu_feature_names(uint32_t mask, char *buf, unsigned size) {
    static const struct {
        uint32_t bit;
        const char *name;
    } names[] = {{CPU_X86_AVX2, "avx2-fma"}, {CPU_X86_AVX512, "avx512"}, {CPU_X86_AVX512_VNNI, "avx512-vnni"},
                 {CPU_X86_AVX_VNNI, "avx-vnni"}, {CPU_ARM_NEON, "neon"}, {CPU_ARM_DOTPROD, "dotprod"},
                 {CPU_ARM_I8MM, "i8mm"}};
    size_t len = 0;
    if (size) buf[0] = 0;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if ((mask & names[i].bit) && len < size) {
            int n = snprintf(buf + len, size - len, "%s%s", len ? " " : "", names[i].name);
            if (n > 0) len += (size_t)n;
        }
    if (size && len == 0) snprintf(buf, size, "none");
    return buf;
}
