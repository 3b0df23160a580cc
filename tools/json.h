/* json.h — a small JSON reader (whole document into a tree) and a streaming writer, enough
 * for the golden format's meta.json. The reader treats its input as untrusted: nesting
 * depth is bounded, every read is bounds-checked, and errors come back as a message. */
#ifndef MOTE_TOOLS_JSON_H
#define MOTE_TOOLS_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Deepest nesting the reader accepts (meta.json needs 4); deeper input is an error rather
 * than a stack overflow. */
#define JSON_MAX_DEPTH 64

typedef enum json_type {
    JSON_NULL = 0,
    JSON_BOOL,
    JSON_NUMBER,
    JSON_STRING,
    JSON_ARRAY,
    JSON_OBJECT
} json_type;

typedef struct json_value {
    json_type type;
    int boolean;               /* JSON_BOOL */
    double number;             /* JSON_NUMBER */
    const char *string;        /* JSON_STRING: NUL-terminated, decoded UTF-8 */
    size_t count;              /* JSON_ARRAY / JSON_OBJECT: number of items */
    struct json_value *items;  /* [count] elements, or member values */
    const char **keys;         /* JSON_OBJECT: [count] member names */
} json_value;

/* A parsed document; all of its values live in one set of blocks, freed together. */
typedef struct json_doc {
    json_value *root;
    struct json_block *blocks;
} json_doc;

/* Parses text[0..size) into doc. Returns 0, or -1 with a message ("line 3: expected ','")
 * in err. On failure doc holds nothing that needs json_free, but calling it is harmless. */
int json_parse(const char *text, size_t size, json_doc *doc, char *err, size_t err_size);
void json_free(json_doc *doc);

/* Member of an object by name (the first when repeated), or NULL (also when v is not an
 * object or is NULL). */
const json_value *json_get(const json_value *v, const char *key);
/* Element i of an array, or NULL. */
const json_value *json_at(const json_value *v, size_t i);
/* The string, or NULL when v is not a string. */
const char *json_string(const json_value *v);
/* Sets *out to an integral number within [min, max]; returns 0, or -1 when v is not one. */
int json_int(const json_value *v, int64_t min, int64_t max, int64_t *out);

/* ---- writer: pretty-printed with two-space indentation ---- */

typedef struct json_writer {
    FILE *f;
    int depth;
    int count[JSON_MAX_DEPTH];  /* items written so far at each level */
    int inline_[JSON_MAX_DEPTH];/* level written on one line ([1, 8, 8, 3]) */
    int after_key;              /* a key was written, its value comes next */
    int error;                  /* set on misuse (too deep, unbalanced) */
} json_writer;

void jw_init(json_writer *w, FILE *f);
void jw_object_begin(json_writer *w);
void jw_object_end(json_writer *w);
/* inline_: keep the array on one line (short arrays of numbers). */
void jw_array_begin(json_writer *w, int inline_);
void jw_array_end(json_writer *w);
void jw_key(json_writer *w, const char *key);
void jw_string(json_writer *w, const char *s);
void jw_int(json_writer *w, int64_t v);
/* Shortest text that reads back as the same float32; null when not finite. */
void jw_float(json_writer *w, float v);
void jw_double(json_writer *w, double v);
void jw_bool(json_writer *w, int v);
void jw_null(json_writer *w);
/* Ends the document with a newline; returns 0, or -1 when it was malformed or the stream
 * failed. */
int jw_finish(json_writer *w);

#endif /* MOTE_TOOLS_JSON_H */
