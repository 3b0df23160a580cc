/* densify.c — DENSIFY: expands a sparse constant tensor (TensorFlow Lite SparsityParameters,
 * see densify.h) to a dense one. Its input is always a constant, so the interpreter runs it
 * once at allocate time; prepare checks every value of the sparse metadata first. */
#include "kernels/densify.h"

#include <stdarg.h>
#include <stdio.h>

#include "kernels/kernel.h"

/* ---- the format ---- */

static int64_t vec_get(const densify_vec *v, size_t i) {
    const uint8_t *p = v->data + i * v->width;
    switch (v->width) {
    case 4:
        return (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                         (uint32_t)p[3] << 24);
    case 2: return (uint16_t)(p[0] | p[1] << 8);
    default: return p[0];
    }
}

static int check_fail(char *err, size_t size, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static int check_fail(char *err, size_t size, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, size, fmt, ap);
    va_end(ap);
    return -1;
}

/* Checks a sparse level's vectors: segments start at 0, never decrease and select entries
 * that exist; every selected index is inside the level. Returns the entry count. */
static int check_sparse_level(densify_level *l, int32_t level, size_t *entries, char *err, size_t n) {
    if (!l->segments.width || !l->indices.width)
        return check_fail(err, n, "level %d is sparse but lacks its segments or indices", level);
    if ((size_t)l->segments.count != l->parents + 1)
        return check_fail(err, n, "level %d: %u segments, expected %zu (one per position above, plus one)",
                          level, l->segments.count, l->parents + 1);
    if (vec_get(&l->segments, 0) != 0)
        return check_fail(err, n, "level %d: segments do not start at 0", level);
    int64_t prev = 0;
    for (size_t p = 1; p <= l->parents; p++) {
        int64_t s = vec_get(&l->segments, p);
        if (s < prev)
            return check_fail(err, n, "level %d: segment %zu (%lld) is below the one before", level, p,
                              (long long)s);
        prev = s;
    }
    if ((uint64_t)prev > l->indices.count)
        return check_fail(err, n, "level %d: segments select %lld indices, %u are stored", level,
                          (long long)prev, l->indices.count);
    for (size_t i = 0; i < (size_t)prev; i++) {
        int64_t x = vec_get(&l->indices, i);
        if (x < 0 || x >= l->size)
            return check_fail(err, n, "level %d: index %zu is %lld, outside 0..%d", level, i, (long long)x,
                              l->size - 1);
    }
    *entries = (size_t)prev;
    return 0;
}

int densify_check(densify_format *f, size_t available, char *err, size_t n) {
    const int32_t r = f->rank, k = f->block_count;
    if (r < 1 || r > MOTE_MAX_DIMS) return check_fail(err, n, "rank %d is not supported", r);
    if (k < 0 || k > r) return check_fail(err, n, "%d block dimensions for rank %d", k, r);
    if (f->level_count != r + k)
        return check_fail(err, n,
                          "%d levels (traversal_order, dim_metadata), expected rank + block dims = %d",
                          f->level_count, r + k);
    size_t count = 1, stride[MOTE_MAX_DIMS];
    for (int32_t d = r - 1; d >= 0; d--) {
        if (f->dims[d] < 0) return check_fail(err, n, "dimension %d is %d", d, f->dims[d]);
        stride[d] = count;
        if (mote_mul_size(count, (size_t)f->dims[d], &count))
            return check_fail(err, n, "the dense size overflows");
    }
    f->dense_count = count;

    int32_t block_of[MOTE_MAX_DIMS]; /* block dim subdividing each tensor dim, or -1 */
    for (int32_t d = 0; d < r; d++) block_of[d] = -1;
    for (int32_t j = 0; j < k; j++) {
        int32_t m = f->block_map[j];
        if (m < 0 || m >= r) return check_fail(err, n, "block_map[%d] = %d is outside rank %d", j, m, r);
        if (block_of[m] >= 0) return check_fail(err, n, "dimension %d is blocked twice", m);
        block_of[m] = j;
    }
    uint8_t seen[DENSIFY_MAX_LEVELS] = {0};
    for (int32_t l = 0; l < r + k; l++) {
        int32_t t = f->traversal[l], lo = l < r ? 0 : r, hi = l < r ? r : r + k;
        if (t < lo || t >= hi)
            return check_fail(err, n, "traversal_order[%d] = %d, expected %d..%d", l, t, lo, hi - 1);
        if (seen[t]) return check_fail(err, n, "traversal_order repeats %d", t);
        seen[t] = 1;
    }
    int32_t block_size[MOTE_MAX_DIMS];
    for (int32_t l = r; l < r + k; l++) {
        const densify_level *lv = &f->levels[l];
        int32_t j = f->traversal[l] - r, m = f->block_map[j];
        /* TensorFlow Lite only stores dense blocks; their size is the level's dense_size. */
        if (lv->format != DENSIFY_DENSE) return check_fail(err, n, "block level %d is not dense", l);
        if (lv->dense_size < 1) return check_fail(err, n, "block level %d has size %d", l, lv->dense_size);
        if (f->dims[m] % lv->dense_size)
            return check_fail(err, n, "block size %d does not divide dimension %d (%d)", lv->dense_size, m,
                              f->dims[m]);
        block_size[j] = lv->dense_size;
    }

    size_t parents = 1;
    for (int32_t l = 0; l < r + k; l++) {
        densify_level *lv = &f->levels[l];
        int32_t t = f->traversal[l];
        if (l < r) { /* a tensor dim, counted in blocks when it is blocked */
            int32_t bs = block_of[t] >= 0 ? block_size[block_of[t]] : 1;
            lv->size = f->dims[t] / bs;
            lv->stride = stride[t] * (size_t)bs;
        } else { /* a dim inside the block */
            lv->size = block_size[t - r];
            lv->stride = stride[f->block_map[t - r]];
        }
        lv->parents = parents;
        if (lv->format == DENSIFY_DENSE) {
            if (lv->dense_size != lv->size)
                return check_fail(err, n, "level %d: dense_size %d, expected %d", l, lv->dense_size,
                                  lv->size);
            if (mote_mul_size(parents, (size_t)lv->size, &parents))
                return check_fail(err, n, "level %d: the position count overflows", l);
        } else if (lv->format == DENSIFY_SPARSE_CSR) {
            if (check_sparse_level(lv, l, &parents, err, n)) return -1;
        } else {
            return check_fail(err, n, "level %d: unknown format %d", l, lv->format);
        }
    }
    if (parents > available)
        return check_fail(err, n, "the metadata addresses %zu values, the buffer holds %zu", parents,
                          available);
    f->value_count = parents;
    return 0;
}

/* ---- expansion ---- */

typedef struct densify_walk {
    const densify_format *f;
    const uint8_t *values;
    size_t elem_bytes;
    uint8_t *dense;
    size_t next; /* the next stored value */
} densify_walk;

/* Visits the entries under `position` of the level above; `offset` is the dense element
 * index so far. Recursion depth is bounded by DENSIFY_MAX_LEVELS. */
static void walk_level(densify_walk *w, int32_t level, size_t position, size_t offset) {
    if (level == w->f->level_count) {
        memcpy(w->dense + offset * w->elem_bytes, w->values + w->next * w->elem_bytes, w->elem_bytes);
        w->next++;
        return;
    }
    const densify_level *l = &w->f->levels[level];
    if (l->format == DENSIFY_DENSE) {
        for (int32_t i = 0; i < l->size; i++)
            walk_level(w, level + 1, position * (size_t)l->size + (size_t)i,
                       offset + (size_t)i * l->stride);
    } else {
        size_t end = (size_t)vec_get(&l->segments, position + 1);
        for (size_t p = (size_t)vec_get(&l->segments, position); p < end; p++)
            walk_level(w, level + 1, p, offset + (size_t)vec_get(&l->indices, p) * l->stride);
    }
}

void densify_expand(const densify_format *f, const void *values, size_t elem_bytes, void *dense) {
    if (f->dense_count == 0) return;
    memset(dense, 0, f->dense_count * elem_bytes); /* zero bits are 0 in every supported type */
    densify_walk w = {f, values, elem_bytes, dense, 0};
    walk_level(&w, 0, 0, 0);
}

/* ---- the operator ---- */

typedef struct densify_data {
    densify_format format; /* read and checked in prepare */
} densify_data;

static mote_status densify_init(mote_context *ctx, mote_node *node) {
    if (!kernel_alloc_data(ctx, node, sizeof(densify_data)))
        return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    return MOTE_OK;
}

/* Reads a SparseIndexVector union (type byte, then table with `values` at field 0). */
static void read_index_vec(fb_buf fb, fb_table dim, uint32_t type_field, uint32_t table_field,
                           densify_vec *v) {
    static const uint8_t widths[] = {0, 4, 2, 1}; /* by tfl_sparse_index_vector */
    uint8_t type = fb_u8(fb, dim, type_field, TFL_SPARSE_NONE);
    v->data = NULL;
    v->count = 0;
    v->width = 0;
    /* Absent: the check reports it if it is needed. The verifier skips a union's value when
     * its type is NONE, so with that type the offset is unchecked and must not be followed. */
    if (type == TFL_SPARSE_NONE || type >= sizeof widths) return;
    fb_table t = fb_table_field(fb, dim, table_field);
    if (!t) return;
    fb_vec vec = fb_vec_field(fb, t, 0);
    v->data = fb_vec_data(fb, vec);
    v->count = vec.len;
    v->width = widths[type];
}

/* Fills f from the tensor's SparsityParameters; only counts are checked here, the values in
 * densify_check. */
static mote_status read_format(mote_context *ctx, const mote_node *node, const mote_tensor *in,
                               densify_format *f) {
    fb_buf fb = kernel_fb(ctx);
    fb_table sp = in->def->sparsity;
    fb_vec order = fb_vec_field(fb, sp, TFL_SPARSITY_TRAVERSAL_ORDER);
    fb_vec blocks = fb_vec_field(fb, sp, TFL_SPARSITY_BLOCK_MAP);
    fb_vec meta = fb_vec_field(fb, sp, TFL_SPARSITY_DIM_METADATA);
    char desc[160];
    kernel_describe(in, "input", 0, desc, sizeof desc);
    if (order.len != meta.len)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "%s: traversal_order has %u entries, dim_metadata %u", desc, order.len,
                           meta.len);
    if (order.len > DENSIFY_MAX_LEVELS || blocks.len > MOTE_MAX_DIMS)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "%s: %u sparse levels and %u block dims are too many", desc, order.len,
                           blocks.len);
    memset(f, 0, sizeof *f);
    f->rank = in->rank;
    memcpy(f->dims, in->dims, sizeof(int32_t) * (size_t)in->rank);
    f->level_count = (int32_t)order.len;
    f->block_count = (int32_t)blocks.len;
    for (uint32_t i = 0; i < order.len; i++) f->traversal[i] = fb_vec_i32(fb, order, i);
    for (uint32_t i = 0; i < blocks.len; i++) f->block_map[i] = fb_vec_i32(fb, blocks, i);
    for (uint32_t i = 0; i < meta.len; i++) {
        fb_table dm = fb_vec_table(fb, meta, i);
        densify_level *l = &f->levels[i];
        l->format = fb_i8(fb, dm, TFL_DIM_FORMAT, DENSIFY_DENSE);
        l->dense_size = fb_i32(fb, dm, TFL_DIM_DENSE_SIZE, 0);
        read_index_vec(fb, dm, TFL_DIM_SEGMENTS_TYPE, TFL_DIM_SEGMENTS, &l->segments);
        read_index_vec(fb, dm, TFL_DIM_INDICES_TYPE, TFL_DIM_INDICES, &l->indices);
    }
    return MOTE_OK;
}

static mote_status densify_prepare(mote_context *ctx, mote_node *node) {
    densify_data *d = node->data;
    mote_tensor *in, *out;
    mote_status st;
    char desc[160];
    if ((st = kernel_check_counts(ctx, node, 1, 1, 1)) || (st = kernel_require_input(ctx, node, 0, &in)) ||
        (st = kernel_require_output(ctx, node, 0, &out)) ||
        (st = kernel_check_type(ctx, node, out, "output", 0, in->type)))
        return st;
    /* The types TensorFlow Lite densifies; values are copied, never converted. */
    switch (in->type) {
    case MOTE_FLOAT32:
    case MOTE_FLOAT16:
    case MOTE_INT8: break;
    default: return kernel_unsupported_type(ctx, node, in, "input", 0);
    }
    kernel_describe(in, "input", 0, desc, sizeof desc);
    if (in->storage != STORAGE_CONSTANT || !in->def->sparsity)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: expected a sparse constant tensor",
                           desc);
    if ((st = read_format(ctx, node, in, &d->format))) return st;
    char why[200];
    size_t elem = mote_type_bytes(in->type);
    if (densify_check(&d->format, in->def->data_size / elem, why, sizeof why))
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: sparsity: %s", desc, why);
    return kernel_set_shape(ctx, node, out, in->rank, in->dims);
}

static mote_status densify_eval(mote_context *ctx, mote_node *node) {
    const densify_data *d = node->data;
    const mote_tensor *in = kernel_input(ctx, node, 0);
    mote_tensor *out = kernel_output(ctx, node, 0);
    densify_expand(&d->format, in->data, mote_type_bytes(in->type), out->data);
    return MOTE_OK;
}

const mote_op mote_op_densify = {NULL, MOTE_OP_DENSIFY, densify_init, densify_prepare,
                                 NULL, densify_eval,    NULL};
