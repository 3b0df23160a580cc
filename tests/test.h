/* test.h — a minimal test harness: CHECK macros that report file:line and keep going, and
 * a main() that runs the TESTS list and exits non-zero on any failure.
 *
 *   static void test_something(void) { CHECK(1 + 1 == 2); CHECK_EQ_INT(x, 3); }
 *   TEST_MAIN(test_something, test_other)
 */
#ifndef MOTE_TEST_H
#define MOTE_TEST_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int test_failures;

#define CHECK(cond)                                                                     \
    do {                                                                                \
        if (!(cond)) {                                                                  \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);    \
            test_failures++;                                                            \
        }                                                                               \
    } while (0)

#define CHECK_EQ_INT(a, b)                                                              \
    do {                                                                                \
        long long a_ = (long long)(a), b_ = (long long)(b);                             \
        if (a_ != b_) {                                                                 \
            fprintf(stderr, "%s:%d: %s == %lld, expected %s == %lld\n", __FILE__,       \
                    __LINE__, #a, a_, #b, b_);                                          \
            test_failures++;                                                            \
        }                                                                               \
    } while (0)

#define CHECK_NEAR(a, b, tol)                                                           \
    do {                                                                                \
        double a_ = (double)(a), b_ = (double)(b);                                      \
        if (!(fabs(a_ - b_) <= (tol))) {                                                \
            fprintf(stderr, "%s:%d: %s == %.9g, expected %.9g (tolerance %g)\n",        \
                    __FILE__, __LINE__, #a, a_, b_, (double)(tol));                     \
            test_failures++;                                                            \
        }                                                                               \
    } while (0)

/* A mote_status call that must succeed. */
#define CHECK_OK(call)                                                                  \
    do {                                                                                \
        int st_ = (int)(call);                                                          \
        if (st_ != 0) {                                                                 \
            fprintf(stderr, "%s:%d: %s returned %d\n", __FILE__, __LINE__, #call, st_); \
            test_failures++;                                                            \
        }                                                                               \
    } while (0)

typedef void (*test_fn)(void);

static int test_run(const char *const *names, const test_fn *fns, int n) {
    for (int i = 0; i < n; i++) {
        int before = test_failures;
        fns[i]();
        fprintf(stderr, "%s %s\n", test_failures == before ? "ok  " : "FAIL", names[i]);
    }
    if (test_failures) fprintf(stderr, "%d check(s) failed\n", test_failures);
    return test_failures ? 1 : 0;
}

#define TEST_STR_(...) #__VA_ARGS__
#define TEST_MAIN(...)                                                                  \
    int main(void) {                                                                    \
        static const test_fn fns[] = {__VA_ARGS__};                                     \
        static char names_buf[] = TEST_STR_(__VA_ARGS__);                               \
        const char *names[sizeof fns / sizeof fns[0]];                                  \
        char *p = names_buf;                                                            \
        for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {                       \
            while (*p == ' ' || *p == ',') p++;                                         \
            names[i] = p;                                                               \
            while (*p && *p != ',') p++;                                                \
            if (*p) *p++ = 0;                                                           \
        }                                                                               \
        return test_run(names, fns, (int)(sizeof fns / sizeof fns[0]));                 \
    }

/* Directory holding the shared models and goldens (MOTE_SHARED_DIR at build time, or the
 * MOTE_SHARED environment variable), or NULL when absent. */
static inline const char *test_shared_dir(void) {
    const char *env = getenv("MOTE_SHARED");
    if (env && *env) return env;
#ifdef MOTE_SHARED_DIR
    return MOTE_SHARED_DIR;
#else
    return NULL;
#endif
}

#endif /* MOTE_TEST_H */
