/* json.c — the JSON reader and writer of json.h. */
#include "json.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- allocation: values and strings come from blocks owned by the document ---- */

struct json_block {
    struct json_block *next;
    size_t used, size;
    max_align_t data[]; /* aligned for json_value and pointers */
};

#define BLOCK_BYTES 16384

static void *doc_alloc(json_doc *doc, size_t n) {
    n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
    struct json_block *b = doc->blocks;
    if (!b || b->size - b->used < n) {
        size_t size = n > BLOCK_BYTES ? n : BLOCK_BYTES;
        b = malloc(sizeof *b + size);
        if (!b) return NULL;
        b->used = 0;
        b->size = size;
        b->next = doc->blocks;
        doc->blocks = b;
    }
    void *p = (char *)b->data + b->used;
    b->used += n;
    return p;
}

void json_free(json_doc *doc) {
    if (!doc) return;
    struct json_block *b = doc->blocks;
    while (b) {
        struct json_block *next = b->next;
        free(b);
        b = next;
    }
    doc->blocks = NULL;
    doc->root = NULL;
}

/* ---- parser ---- */

typedef struct parser {
    const char *p, *end, *start;
    json_doc *doc;
    char *err;
    size_t err_size;
    int failed;
} parser;

static int line_of(const parser *ps) {
    int line = 1;
    for (const char *q = ps->start; q < ps->p && q < ps->end; q++) line += *q == '\n';
    return line;
}

static int fail(parser *ps, const char *fmt, ...) {
    if (ps->failed) return -1;
    ps->failed = 1;
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(ps->err, ps->err_size, "line %d: %s", line_of(ps), msg);
    return -1;
}

static void skip_space(parser *ps) {
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
        ps->p++;
}

static int expect_word(parser *ps, const char *word) {
    size_t n = strlen(word);
    if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0)
        return fail(ps, "invalid literal (expected '%s')", word);
    ps->p += n;
    return 0;
}

static int hex4(parser *ps, uint32_t *out) {
    if (ps->end - ps->p < 4) return fail(ps, "truncated \\u escape");
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        char c = ps->p[i];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= (uint32_t)(c - '0');
        else if (c >= 'a' && c <= 'f') v |= (uint32_t)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= (uint32_t)(c - 'A' + 10);
        else return fail(ps, "bad hex digit in \\u escape");
    }
    ps->p += 4;
    *out = v;
    return 0;
}

static size_t put_utf8(char *dst, uint32_t cp) {
    if (cp < 0x80) { dst[0] = (char)cp; return 1; }
    if (cp < 0x800) {
        dst[0] = (char)(0xC0 | (cp >> 6));
        dst[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        dst[0] = (char)(0xE0 | (cp >> 12));
        dst[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        dst[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    dst[0] = (char)(0xF0 | (cp >> 18));
    dst[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    dst[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    dst[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Parses a string at ps->p (on the opening quote). Decoded text is never longer than the
 * escaped source, so the source length bounds the buffer. */
static int parse_string(parser *ps, const char **out) {
    ps->p++; /* opening quote */
    const char *q = ps->p;
    while (q < ps->end && *q != '"') q += (*q == '\\' && q + 1 < ps->end) ? 2 : 1;
    if (q >= ps->end) return fail(ps, "unterminated string");
    char *dst = doc_alloc(ps->doc, (size_t)(q - ps->p) + 1);
    if (!dst) return fail(ps, "out of memory");
    size_t n = 0;
    while (ps->p < q) {
        unsigned char c = (unsigned char)*ps->p;
        if (c < 0x20) return fail(ps, "control character in string");
        if (c != '\\') {
            dst[n++] = (char)c;
            ps->p++;
            continue;
        }
        ps->p++;
        char e = *ps->p++;
        switch (e) {
        case '"': dst[n++] = '"'; break;
        case '\\': dst[n++] = '\\'; break;
        case '/': dst[n++] = '/'; break;
        case 'b': dst[n++] = '\b'; break;
        case 'f': dst[n++] = '\f'; break;
        case 'n': dst[n++] = '\n'; break;
        case 'r': dst[n++] = '\r'; break;
        case 't': dst[n++] = '\t'; break;
        case 'u': {
            uint32_t cp;
            if (hex4(ps, &cp)) return -1;
            if (cp >= 0xD800 && cp < 0xDC00) {
                /* A high surrogate must be followed by \u and a low one. */
                uint32_t lo;
                if (q - ps->p < 6 || ps->p[0] != '\\' || ps->p[1] != 'u')
                    return fail(ps, "unpaired surrogate in \\u escape");
                ps->p += 2;
                if (hex4(ps, &lo)) return -1;
                if (lo < 0xDC00 || lo > 0xDFFF) return fail(ps, "unpaired surrogate in \\u escape");
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                return fail(ps, "unpaired surrogate in \\u escape");
            }
            /* Names are used as C strings: an embedded NUL would silently cut them. */
            if (cp == 0) return fail(ps, "\\u0000 in a string is not supported");
            n += put_utf8(dst + n, cp);
            break;
        }
        default: return fail(ps, "invalid escape '\\%c'", e >= 0x20 && e < 0x7F ? e : '?');
        }
    }
    dst[n] = 0;
    ps->p = q + 1;
    *out = dst;
    return 0;
}

static int parse_number(parser *ps, double *out) {
    const char *s = ps->p;
    const char *q = s;
    if (q < ps->end && *q == '-') q++;
    if (q >= ps->end || *q < '0' || *q > '9') return fail(ps, "invalid number");
    if (*q == '0') q++;
    else while (q < ps->end && *q >= '0' && *q <= '9') q++;
    if (q < ps->end && *q == '.') {
        q++;
        if (q >= ps->end || *q < '0' || *q > '9') return fail(ps, "invalid number");
        while (q < ps->end && *q >= '0' && *q <= '9') q++;
    }
    if (q < ps->end && (*q == 'e' || *q == 'E')) {
        q++;
        if (q < ps->end && (*q == '+' || *q == '-')) q++;
        if (q >= ps->end || *q < '0' || *q > '9') return fail(ps, "invalid number");
        while (q < ps->end && *q >= '0' && *q <= '9') q++;
    }
    /* strtod needs a terminated copy: the input buffer is not. */
    char buf[128];
    size_t n = (size_t)(q - s);
    if (n >= sizeof buf) return fail(ps, "number too long");
    memcpy(buf, s, n);
    buf[n] = 0;
    *out = strtod(buf, NULL);
    ps->p = q;
    return 0;
}

static int parse_value(parser *ps, json_value *v, int depth);

/* A growable list of values (and keys) while a container is read; copied into the
 * document when complete. */
typedef struct item_list {
    json_value *items;
    const char **keys;
    size_t count, capacity;
} item_list;

static int list_push(parser *ps, item_list *l, int with_keys) {
    if (l->count < l->capacity) return 0;
    size_t cap = l->capacity ? l->capacity * 2 : 8;
    json_value *items = realloc(l->items, cap * sizeof *items);
    if (!items) return fail(ps, "out of memory");
    l->items = items;
    if (with_keys) {
        const char **keys = realloc((void *)l->keys, cap * sizeof *keys);
        if (!keys) return fail(ps, "out of memory");
        l->keys = keys;
    }
    l->capacity = cap;
    return 0;
}

static int list_finish(parser *ps, item_list *l, json_value *v, int with_keys) {
    v->count = l->count;
    if (l->count) {
        v->items = doc_alloc(ps->doc, l->count * sizeof *v->items);
        if (!v->items) return fail(ps, "out of memory");
        memcpy(v->items, l->items, l->count * sizeof *v->items);
        if (with_keys) {
            v->keys = doc_alloc(ps->doc, l->count * sizeof *v->keys);
            if (!v->keys) return fail(ps, "out of memory");
            memcpy((void *)v->keys, l->keys, l->count * sizeof *v->keys);
        }
    }
    return 0;
}

static int parse_container(parser *ps, json_value *v, int depth, int object) {
    char close = object ? '}' : ']';
    ps->p++; /* opening bracket */
    item_list l = {0};
    int rc = 0;
    skip_space(ps);
    if (ps->p < ps->end && *ps->p == close) {
        ps->p++;
        return 0;
    }
    for (;;) {
        if ((rc = list_push(ps, &l, object))) break;
        json_value *item = &l.items[l.count];
        memset(item, 0, sizeof *item);
        if (object) {
            skip_space(ps);
            if (ps->p >= ps->end || *ps->p != '"') { rc = fail(ps, "expected a member name"); break; }
            if ((rc = parse_string(ps, &l.keys[l.count]))) break;
            skip_space(ps);
            if (ps->p >= ps->end || *ps->p != ':') { rc = fail(ps, "expected ':'"); break; }
            ps->p++;
        }
        if ((rc = parse_value(ps, item, depth + 1))) break;
        l.count++;
        skip_space(ps);
        if (ps->p < ps->end && *ps->p == ',') { ps->p++; continue; }
        if (ps->p < ps->end && *ps->p == close) { ps->p++; break; }
        rc = fail(ps, "expected ',' or '%c'", close);
        break;
    }
    if (rc == 0) rc = list_finish(ps, &l, v, object);
    free(l.items);
    free((void *)l.keys);
    return rc;
}

static int parse_value(parser *ps, json_value *v, int depth) {
    if (depth > JSON_MAX_DEPTH) return fail(ps, "nested deeper than %d levels", JSON_MAX_DEPTH);
    skip_space(ps);
    if (ps->p >= ps->end) return fail(ps, "unexpected end of input");
    switch (*ps->p) {
    case '{': v->type = JSON_OBJECT; return parse_container(ps, v, depth, 1);
    case '[': v->type = JSON_ARRAY; return parse_container(ps, v, depth, 0);
    case '"': v->type = JSON_STRING; return parse_string(ps, &v->string);
    case 't': v->type = JSON_BOOL; v->boolean = 1; return expect_word(ps, "true");
    case 'f': v->type = JSON_BOOL; v->boolean = 0; return expect_word(ps, "false");
    case 'n': v->type = JSON_NULL; return expect_word(ps, "null");
    default: v->type = JSON_NUMBER; return parse_number(ps, &v->number);
    }
}

int json_parse(const char *text, size_t size, json_doc *doc, char *err, size_t err_size) {
    char dummy[1];
    if (!err || !err_size) {
        err = dummy;
        err_size = sizeof dummy;
    }
    err[0] = 0;
    doc->root = NULL;
    doc->blocks = NULL;
    if (!text) {
        snprintf(err, err_size, "no input");
        return -1;
    }
    parser ps = {text, text + size, text, doc, err, err_size, 0};
    json_value *root = doc_alloc(doc, sizeof *root);
    if (!root) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    memset(root, 0, sizeof *root);
    int rc = parse_value(&ps, root, 1);
    if (rc == 0) {
        skip_space(&ps);
        if (ps.p != ps.end) rc = fail(&ps, "unexpected text after the document");
    }
    if (rc) {
        json_free(doc);
        return -1;
    }
    doc->root = root;
    return 0;
}

/* ---- access ---- */

const json_value *json_get(const json_value *v, const char *key) {
    if (!v || v->type != JSON_OBJECT || !key) return NULL;
    for (size_t i = 0; i < v->count; i++)
        if (strcmp(v->keys[i], key) == 0) return &v->items[i];
    return NULL;
}

const json_value *json_at(const json_value *v, size_t i) {
    if (!v || v->type != JSON_ARRAY || i >= v->count) return NULL;
    return &v->items[i];
}

const char *json_string(const json_value *v) {
    return v && v->type == JSON_STRING ? v->string : NULL;
}

int json_int(const json_value *v, int64_t min, int64_t max, int64_t *out) {
    if (!v || v->type != JSON_NUMBER) return -1;
    double d = v->number;
    /* The range check comes first so that the cast below is always defined. */
    if (!(d >= (double)min && d <= (double)max) || d != floor(d)) return -1;
    if (d >= 9223372036854775807.0) return -1;
    *out = (int64_t)d;
    return 0;
}

/* ---- writer ---- */

void jw_init(json_writer *w, FILE *f) {
    memset(w, 0, sizeof *w);
    w->f = f;
}

static void indent(json_writer *w) {
    fputc('\n', w->f);
    for (int i = 0; i < w->depth; i++) fputs("  ", w->f);
}

/* Separator and indentation before a value or key at the current level. */
static void before_item(json_writer *w) {
    if (w->after_key) {
        w->after_key = 0;
        return;
    }
    if (w->depth == 0) return;
    int level = w->depth - 1;
    if (w->count[level]++) fputc(',', w->f);
    if (w->inline_[level]) {
        if (w->count[level] > 1) fputc(' ', w->f);
    } else {
        indent(w);
    }
}

static void begin(json_writer *w, char open, int inline_) {
    before_item(w);
    if (w->depth >= JSON_MAX_DEPTH) {
        w->error = 1;
        return;
    }
    fputc(open, w->f);
    w->count[w->depth] = 0;
    /* Inside an inline container everything stays on the line. */
    w->inline_[w->depth] = inline_ || (w->depth > 0 && w->inline_[w->depth - 1]);
    w->depth++;
}

static void end(json_writer *w, char close) {
    if (w->depth == 0 || w->after_key) {
        w->error = 1;
        return;
    }
    w->depth--;
    if (w->count[w->depth] && !w->inline_[w->depth]) indent(w);
    fputc(close, w->f);
}

void jw_object_begin(json_writer *w) { begin(w, '{', 0); }
void jw_object_end(json_writer *w) { end(w, '}'); }
void jw_array_begin(json_writer *w, int inline_) { begin(w, '[', inline_); }
void jw_array_end(json_writer *w) { end(w, ']'); }

/* Length of the valid UTF-8 sequence at p, or 0 (model strings are arbitrary bytes, and
 * a JSON reader may refuse invalid UTF-8). Overlong forms are not screened: they decode. */
static size_t utf8_length(const unsigned char *p) {
    size_t n = *p >= 0xF0 && *p <= 0xF4 ? 4 : *p >= 0xE0 ? 3 : *p >= 0xC2 ? 2 : 0;
    if (*p >= 0xF5) n = 0;
    for (size_t i = 1; i < n; i++)
        if ((p[i] & 0xC0) != 0x80) return 0; /* also stops at the terminating NUL */
    return n;
}

static void put_string(FILE *f, const char *s) {
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p >= 0x80) {
            size_t n = utf8_length(p);
            if (n == 0) {
                fputs("\\ufffd", f); /* the replacement character */
            } else {
                fwrite(p, 1, n, f);
                p += n - 1;
            }
            continue;
        }
        switch (*p) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            if (*p < 0x20) fprintf(f, "\\u%04x", *p);
            else fputc(*p, f);
        }
    }
    fputc('"', f);
}

void jw_key(json_writer *w, const char *key) {
    before_item(w);
    put_string(w->f, key);
    fputs(": ", w->f);
    w->after_key = 1;
}

void jw_string(json_writer *w, const char *s) {
    before_item(w);
    put_string(w->f, s);
}

void jw_int(json_writer *w, int64_t v) {
    before_item(w);
    fprintf(w->f, "%lld", (long long)v);
}

void jw_float(json_writer *w, float v) {
    before_item(w);
    if (!isfinite(v)) {
        fputs("null", w->f);
        return;
    }
    /* The shortest of %.6g..%.9g that reads back as the same float32. */
    char buf[40];
    for (int prec = 6; prec <= 9; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, (double)v);
        if ((float)strtod(buf, NULL) == v) break;
    }
    fputs(buf, w->f);
}

void jw_double(json_writer *w, double v) {
    before_item(w);
    if (!isfinite(v)) {
        fputs("null", w->f);
        return;
    }
    /* The shortest of %.15g..%.17g that reads back as the same double. */
    char buf[40];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (strtod(buf, NULL) == v) break;
    }
    fputs(buf, w->f);
}

void jw_bool(json_writer *w, int v) {
    before_item(w);
    fputs(v ? "true" : "false", w->f);
}

void jw_null(json_writer *w) {
    before_item(w);
    fputs("null", w->f);
}

int jw_finish(json_writer *w) {
    if (w->depth != 0 || w->after_key) w->error = 1;
    fputc('\n', w->f);
    return (w->error || ferror(w->f)) ? -1 : 0;
}
