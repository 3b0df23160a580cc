/* planner.c — the greedy arena planner (see planner.h). */
#include "core/planner.h"

/* Larger first; equal sizes by earlier first use, then by index, so plans are stable. */
static int goes_before(const plan_buffer *bufs, int32_t i, int32_t j) {
    const plan_buffer *x = &bufs[i], *y = &bufs[j];
    if (x->size != y->size) return x->size > y->size;
    if (x->first != y->first) return x->first < y->first;
    return i < j;
}

/* Bottom-up merge sort of buffer indices (qsort has no context argument, and a global
 * would make concurrent planning in two interpreters unsafe). */
static void sort_order(const plan_buffer *bufs, int32_t *order, int32_t *tmp, int32_t n) {
    for (int64_t width = 1; width < n; width *= 2) {
        for (int64_t lo = 0; lo < n; lo += 2 * width) {
            int64_t mid = lo + width < n ? lo + width : n;
            int64_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            int64_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi) tmp[k++] = goes_before(bufs, order[j], order[i]) ? order[j++] : order[i++];
            while (i < mid) tmp[k++] = order[i++];
            while (j < hi) tmp[k++] = order[j++];
        }
        for (int32_t i = 0; i < n; i++) order[i] = tmp[i];
    }
}

static int lifetimes_overlap(const plan_buffer *x, const plan_buffer *y) {
    return x->first <= y->last && y->first <= x->last;
}

mote_status plan_greedy(plan_buffer *bufs, int32_t n, const mote_allocator *a, size_t *total) {
    *total = 0;
    if (n <= 0) return MOTE_OK;
    int32_t *order = mote_alloc_array(a, (size_t)n, sizeof *order);
    int32_t *placed = mote_alloc_array(a, (size_t)n, sizeof *placed); /* sorted by offset */
    if (!order || !placed) {
        mote_free(a, order, (size_t)n * sizeof *order);
        mote_free(a, placed, (size_t)n * sizeof *placed);
        return MOTE_ERROR_OUT_OF_MEMORY;
    }
    for (int32_t i = 0; i < n; i++) order[i] = i;
    sort_order(bufs, order, placed, n); /* `placed` is free yet: use it as merge space */
    mote_status st = MOTE_OK;
    int32_t placed_count = 0;
    size_t end = 0;
    for (int32_t k = 0; k < n && st == MOTE_OK; k++) {
        plan_buffer *b = &bufs[order[k]];
        size_t need;
        if (mote_align_size(b->size, &need)) {
            st = MOTE_ERROR_LIMIT;
            break;
        }
        /* Walk the placed buffers in offset order, looking for a gap among those alive
         * at the same time as b. */
        size_t candidate = 0;
        int32_t insert_at = placed_count;
        for (int32_t p = 0; p < placed_count; p++) {
            const plan_buffer *o = &bufs[placed[p]];
            if (!lifetimes_overlap(b, o)) continue;
            if (o->offset >= candidate && o->offset - candidate >= need) break;
            size_t o_end;
            if (mote_align_size(o->size, &o_end) || mote_add_size(o->offset, o_end, &o_end)) {
                st = MOTE_ERROR_LIMIT;
                break;
            }
            if (o_end > candidate) candidate = o_end;
        }
        if (st != MOTE_OK) break;
        b->offset = candidate;
        size_t b_end;
        if (mote_add_size(candidate, need, &b_end)) {
            st = MOTE_ERROR_LIMIT;
            break;
        }
        if (b_end > end) end = b_end;
        /* Keep `placed` sorted by offset. */
        insert_at = placed_count;
        while (insert_at > 0 && bufs[placed[insert_at - 1]].offset > candidate) {
            placed[insert_at] = placed[insert_at - 1];
            insert_at--;
        }
        placed[insert_at] = order[k];
        placed_count++;
    }
    mote_free(a, order, (size_t)n * sizeof *order);
    mote_free(a, placed, (size_t)n * sizeof *placed);
    if (st == MOTE_OK) *total = end;
    return st;
}

int plan_check(const plan_buffer *bufs, int32_t n) {
    for (int32_t i = 0; i < n; i++) {
        if (bufs[i].offset % MOTE_ALIGN) return -1;
        for (int32_t j = i + 1; j < n; j++) {
            const plan_buffer *x = &bufs[i], *y = &bufs[j];
            if (!lifetimes_overlap(x, y) || !x->size || !y->size) continue;
            if (x->offset < y->offset + y->size && y->offset < x->offset + x->size) return -1;
        }
    }
    return 0;
}
