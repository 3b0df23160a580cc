/* cli.c — helpers shared by the `mote` subcommands (see cli.h). */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

int cli_error(const char *fmt, ...) {
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* One line: scripts show the first line of stderr. */
    for (char *p = msg; *p; p++)
        if (*p == '\n' || *p == '\r') *p = ' ';
    fflush(stdout);
    fprintf(stderr, "mote: %s\n", msg);
    return CLI_EXIT_FAIL;
}

int cli_model_error(const char *path, const mote_model *model) {
    const char *msg = model ? mote_model_error(model) : "out of memory";
    if (strstr(msg, path)) return cli_error("%s", msg);
    return cli_error("%s: %s", path, msg);
}

int cli_exit_code(mote_status status) {
    return status == MOTE_ERROR_UNSUPPORTED ? CLI_EXIT_UNSUPPORTED : CLI_EXIT_FAIL;
}

int cli_read_file(const char *path, size_t max_bytes, unsigned char **data, size_t *size, char *err,
                  size_t err_size) {
    *data = NULL;
    *size = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, err_size, "cannot open '%s': %s", path, strerror(errno));
        return -1;
    }
    size_t cap = 0, n = 0;
    unsigned char *buf = NULL;
    for (;;) {
        if (n == cap) {
            if (cap >= max_bytes) {
                snprintf(err, err_size, "'%s' is larger than %zu bytes", path, max_bytes);
                goto fail;
            }
            size_t next = cap ? cap * 2 : 65536;
            if (next > max_bytes) next = max_bytes;
            unsigned char *p = realloc(buf, next + 1);
            if (!p) {
                snprintf(err, err_size, "out of memory reading '%s'", path);
                goto fail;
            }
            buf = p;
            cap = next;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) break;
    }
    if (ferror(f)) {
        snprintf(err, err_size, "cannot read '%s': %s", path, strerror(errno));
        goto fail;
    }
    fclose(f);
    if (!buf) {
        buf = malloc(1);
        if (!buf) {
            snprintf(err, err_size, "out of memory reading '%s'", path);
            return -1;
        }
    }
    buf[n] = 0;
    *data = buf;
    *size = n;
    return 0;
fail:
    free(buf);
    fclose(f);
    return -1;
}

int cli_write_file(const char *path, const void *data, size_t size) {
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    size_t put = size ? fwrite(data, 1, size, f) : 0;
    int bad = put != size || ferror(f);
    int saved = errno;
    if (fclose(f) != 0) bad = 1;
    else if (bad) errno = saved ? saved : EIO;
    return bad ? -1 : 0;
}

int cli_mkdir_p(const char *path) {
    char buf[4096];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof buf) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(buf, path, n + 1);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/') continue;
        *p = 0;
        if (mkdir(buf, 0777) != 0 && errno != EEXIST) return -1;
        *p = '/';
    }
    if (mkdir(buf, 0777) != 0 && errno != EEXIST) return -1;
    struct stat st;
    if (stat(buf, &st) != 0) return -1;
    if (!S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        return -1;
    }
    return 0;
}

char *cli_path_join(const char *dir, const char *name) {
    size_t a = strlen(dir), b = strlen(name);
    char *s = malloc(a + b + 2);
    if (!s) return NULL;
    memcpy(s, dir, a);
    size_t n = a;
    if (a && dir[a - 1] != '/') s[n++] = '/';
    memcpy(s + n, name, b + 1);
    return s;
}

int cli_parse_int(const char *s, long long min, long long max, long long *out) {
    if (!s || !*s) return -1;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v < min || v > max) return -1;
    *out = v;
    return 0;
}

const char *cli_format_shape(int32_t rank, const int32_t *dims, char *buf, size_t size) {
    size_t n = 0;
    buf[0] = 0;
    n += (size_t)snprintf(buf + n, size - n, "[");
    for (int32_t i = 0; i < rank && n < size; i++)
        n += (size_t)snprintf(buf + n, size - n, "%s%d", i ? ", " : "", dims[i]);
    if (n < size) snprintf(buf + n, size - n, "]");
    return buf;
}

int cli_type_from_name(const char *name, mote_type *type) {
    if (!name) return -1;
    for (int t = 0; t <= MOTE_FLOAT8_E5M2; t++)
        if (strcmp(mote_type_name((mote_type)t), name) == 0) {
            *type = (mote_type)t;
            return 0;
        }
    return -1;
}

double cli_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
