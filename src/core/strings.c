/* strings.c — string tensors: the layout check and writer (strings.h) and the public calls
 * that set and read strings. */
#include "core/strings.h"

#include "core/dynamic.h"
#include "core/interpreter.h"

const char *strings_check(const uint8_t *buf, size_t size, int64_t expected) {
    if (size < 4 || !buf) return "shorter than its 4-byte count";
    int32_t n = strings_i32(buf);
    if (n < 0) return "its string count is negative";
    if (expected >= 0 && n != expected) return "its string count is not the tensor's element count";
    size_t header = strings_header_bytes((size_t)n);
    if (header == 0 || size < header) return "shorter than its offset table";
    if ((size_t)strings_i32(buf + 4) != header) return "its first offset does not follow the offset table";
    for (int32_t i = 0; i < n; i++) {
        int32_t from = strings_i32(buf + 4 + 4 * (size_t)i), to = strings_i32(buf + 8 + 4 * (size_t)i);
        if (to < from) return "its offsets decrease";
    }
    if ((size_t)strings_i32(buf + 4 + 4 * (size_t)n) != size) return "its last offset is not its size";
    return NULL;
}

void strings_write(uint8_t *buf, size_t n, strings_source get, const void *ctx) {
    size_t at = strings_header_bytes(n);
    strings_put_i32(buf, (int32_t)n);
    for (size_t i = 0; i < n; i++) {
        size_t len;
        const uint8_t *s = get(ctx, i, &len);
        strings_put_i32(buf + 4 + 4 * i, (int32_t)at);
        if (len) memcpy(buf + at, s, len);
        at += len;
    }
    strings_put_i32(buf + 4 + 4 * n, (int32_t)at);
}

/* Element count of a tensor's shape. */
static size_t element_count(const mote_tensor *t) {
    size_t n = 1;
    for (int32_t i = 0; i < t->rank; i++) n *= (size_t)t->dims[i];
    return n;
}

/* A string tensor Mote may write: after allocate, not from the model. */
static mote_status writable(const mote_tensor *t) {
    if (t->type != MOTE_STRING || t->storage == STORAGE_CONSTANT || t->storage == STORAGE_PREPARED)
        return MOTE_ERROR_INVALID_ARGUMENT;
    if (t->storage != STORAGE_DYNAMIC) return MOTE_ERROR_BAD_STATE;
    return MOTE_OK;
}

mote_status strings_copy_from(mote_tensor *t, const void *data, size_t size) {
    mote_status st = writable(t);
    if (st) return st;
    const char *why = strings_check(data, size, (int64_t)element_count(t));
    if (why)
        return ctx_fail(t->owner, MOTE_ERROR_INVALID_ARGUMENT, "tensor %d ('%s'): not a string buffer: %s", t->index,
                        t->def->name, why);
    if ((st = dynamic_reserve(t->owner, NULL, t, size))) return st;
    memcpy(t->data, data, size);
    return MOTE_OK;
}

typedef struct c_strings {
    const char *const *strings;
    const size_t *lengths;
} c_strings;

static const uint8_t *c_string_at(const void *ctx, size_t i, size_t *length) {
    const c_strings *s = ctx;
    *length = s->lengths ? s->lengths[i] : strlen(s->strings[i]);
    return (const uint8_t *)s->strings[i];
}

mote_status mote_tensor_set_strings(mote_tensor *t, int32_t count, const char *const *strings,
                                    const size_t *lengths) {
    if (!t || count < 0 || (count && !strings)) return MOTE_ERROR_INVALID_ARGUMENT;
    mote_status st = writable(t);
    if (st) return st;
    if ((size_t)count != element_count(t))
        return ctx_fail(t->owner, MOTE_ERROR_INVALID_ARGUMENT, "tensor %d ('%s') holds %zu strings, %d given",
                        t->index, t->def->name, element_count(t), count);
    size_t total = strings_header_bytes((size_t)count);
    for (int32_t i = 0; i < count && total; i++) {
        if (!strings[i]) return MOTE_ERROR_INVALID_ARGUMENT;
        size_t len = lengths ? lengths[i] : strlen(strings[i]);
        total = len > (size_t)INT32_MAX - total ? 0 : total + len;
    }
    if (total == 0)
        return ctx_fail(t->owner, MOTE_ERROR_LIMIT, "tensor %d ('%s'): the strings take more than 2 GiB",
                        t->index, t->def->name);
    if ((st = dynamic_reserve(t->owner, NULL, t, total))) return st;
    c_strings src = {strings, lengths};
    strings_write(t->data, (size_t)count, c_string_at, &src);
    return MOTE_OK;
}

/* A string tensor's buffer, checked. */
static mote_status readable(const mote_tensor *t, int32_t *count) {
    if (!t || t->type != MOTE_STRING) return MOTE_ERROR_INVALID_ARGUMENT;
    if (!t->data || t->bytes == 0) return MOTE_ERROR_BAD_STATE; /* nothing set yet */
    if (strings_check(t->data, t->bytes, -1)) return MOTE_ERROR_INVALID_ARGUMENT;
    *count = strings_i32(t->data);
    return MOTE_OK;
}

mote_status mote_tensor_get_string_count(const mote_tensor *t, int32_t *count) {
    if (!count) return MOTE_ERROR_INVALID_ARGUMENT;
    return readable(t, count);
}

mote_status mote_tensor_get_string(const mote_tensor *t, int32_t i, const char **data, size_t *length) {
    int32_t n = 0;
    if (!data || !length) return MOTE_ERROR_INVALID_ARGUMENT;
    mote_status st = readable(t, &n);
    if (st) return st;
    if (i < 0 || i >= n) return MOTE_ERROR_INVALID_ARGUMENT;
    *data = (const char *)strings_at(t->data, i, length);
    return MOTE_OK;
}
