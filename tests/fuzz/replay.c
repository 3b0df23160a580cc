/* replay.c — the main() of a fuzz target built without libFuzzer: runs each file given, or
 * each file in each folder given, through LLVMFuzzerTestOneInput once, so the corpus and
 * the regression files are replayed on any machine (a crash or sanitizer report fails it).
 *
 *   fuzz_run_replay FILE|DIR...             replay
 *   fuzz_structured_replay --emit DIR FILE  also write the model each input makes to
 *                                           DIR/<input name>.tflite (for regressions)
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *emit_dir;
static long replayed;

static uint8_t *read_file(const char *path, size_t *size) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    uint8_t *p = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 65536;
            uint8_t *q = realloc(p, cap);
            if (!q) {
                free(p);
                fclose(f);
                return NULL;
            }
            p = q;
        }
        size_t got = fread(p + n, 1, cap - n, f);
        n += got;
        if (got == 0) break;
    }
    fclose(f);
    /* An exact-size copy, so that the sanitizer sees any read past the end. */
    uint8_t *exact = malloc(n ? n : 1);
    if (exact) memcpy(exact, p, n);
    free(p);
    *size = n;
    return exact;
}

static void emit(const char *path, const uint8_t *data, size_t size) {
    const uint8_t *model;
    size_t model_size;
    if (fuzz_target_model(data, size, &model, &model_size)) return;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    char out[4096];
    snprintf(out, sizeof out, "%s/%s.tflite", emit_dir, base);
    FILE *f = fopen(out, "wb");
    if (!f || fwrite(model, 1, model_size, f) != model_size) fprintf(stderr, "cannot write %s\n", out);
    if (f) fclose(f);
}

static int replay_file(const char *path) {
    size_t size = 0;
    uint8_t *data = read_file(path, &size);
    if (!data) {
        fprintf(stderr, "cannot read %s\n", path);
        return 1;
    }
    LLVMFuzzerTestOneInput(data, size);
    if (emit_dir) emit(path, data, size);
    free(data);
    replayed++;
    return 0;
}

static int compare(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int replay_dir(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return 1;
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **q = realloc(names, cap * sizeof *names);
            if (!q) break;
            names = q;
        }
        size_t len = strlen(dir) + strlen(e->d_name) + 2;
        names[n] = malloc(len);
        if (!names[n]) break;
        snprintf(names[n], len, "%s/%s", dir, e->d_name);
        n++;
    }
    closedir(d);
    qsort(names, n, sizeof *names, compare);
    int failed = 0;
    for (size_t i = 0; i < n; i++) {
        struct stat sb;
        if (stat(names[i], &sb) == 0 && S_ISREG(sb.st_mode)) failed |= replay_file(names[i]);
        free(names[i]);
    }
    free(names);
    return failed;
}

int main(int argc, char **argv) {
    int failed = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--emit") == 0 && i + 1 < argc) {
            emit_dir = argv[++i];
            continue;
        }
        struct stat sb;
        if (stat(argv[i], &sb) != 0) {
            fprintf(stderr, "%s: no such file or folder\n", argv[i]);
            failed = 1;
        } else if (S_ISDIR(sb.st_mode)) {
            failed |= replay_dir(argv[i]);
        } else {
            failed |= replay_file(argv[i]);
        }
    }
    fprintf(stderr, "replayed %ld input(s)\n", replayed);
    return failed;
}
