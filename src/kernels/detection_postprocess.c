/* detection_postprocess.c — the TFLite_Detection_PostProcess custom operator of SSD
 * detectors: decodes box encodings against anchors, then selects boxes by non-maximum
 * suppression (fast: one pass over each anchor's best classes; regular: one pass per
 * class), exactly as TensorFlow Lite's kernel orders its results, ties included.
 *
 * Inputs: box encodings [1, boxes, >= 4] (y, x, h, w), class scores [1, boxes, classes
 * (+ 1 background)] (sigmoid already applied), anchors [boxes, 4] (y, x, h, w); uint8 with
 * per-tensor quantization or float32. Outputs, float32: boxes [1, N, 4] (ymin, xmin, ymax,
 * xmax), classes [1, N], scores [1, N], number of detections [1], N = max_detections x
 * max_classes_per_detection. Entries past the detections are zero (TensorFlow Lite leaves
 * them unwritten). Options are a FlexBuffer map (see init). */
#include "kernels/flexbuffer.h"
#include "kernels/kernel.h"

/* Float expressions must round as TensorFlow Lite's do (no contraction). */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

enum { IN_BOXES = 0, IN_SCORES = 1, IN_ANCHORS = 2 };
enum { OUT_BOXES = 0, OUT_CLASSES = 1, OUT_SCORES = 2, OUT_COUNT = 3 };

/* TensorFlow Lite's default for detections_per_class. */
#define DEFAULT_DETECTIONS_PER_CLASS 100

typedef struct dpp_data {
    /* Options. */
    int32_t max_detections;            /* boxes kept in all */
    int32_t max_classes_per_detection; /* fast NMS: classes reported per box */
    int32_t detections_per_class;      /* regular NMS: boxes kept per class */
    int use_regular_nms;
    float score_threshold;                    /* scores below it never count */
    float iou_threshold;                      /* overlap above it suppresses the lower score */
    int32_t num_classes;                      /* without the background class */
    float y_scale, x_scale, h_scale, w_scale; /* box encoding scales */
    /* Set in prepare. */
    int32_t boxes;        /* anchors */
    int32_t encoding;     /* values per box encoding (>= 4) */
    int32_t columns;      /* score columns: classes, plus background */
    int32_t label_offset; /* 1 when column 0 is the background */
    int32_t categories;   /* fast NMS: min(max_classes_per_detection, classes) */
    int32_t per_class;    /* regular NMS: min(detections_per_class, max_detections) */
    int32_t scratch;      /* scratch index */
    /* Byte offsets into the scratch buffer. */
    size_t at_boxes, at_scores, at_candidates, at_kept_scores, at_kept, at_order, at_sort_tmp, at_active,
        at_selected, at_top, at_heap, at_info, at_info_tmp;
} dpp_data;

/* A detection of the regular path: index = anchor * columns + column. */
typedef struct box_info {
    int32_t index;
    float score;
} box_info;

/* ---- options ---- */

static mote_status option(mote_context *ctx, const mote_node *node, const flexbuffer_map *m, const char *key,
                          int required, flexbuffer_number *v) {
    flexbuffer_status st = flexbuffer_map_number(m, key, v);
    if (st == FLEXBUFFER_OK) return MOTE_OK;
    if (st == FLEXBUFFER_MISSING && !required) return MOTE_OK;
    return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "custom option '%s' is %s", key,
                       st == FLEXBUFFER_MISSING ? "missing" : "not a number");
}

static mote_status int_option(mote_context *ctx, const mote_node *node, const flexbuffer_map *m,
                              const char *key, int required, int32_t fallback, int32_t *out) {
    flexbuffer_number v = {fallback, fallback};
    mote_status st = option(ctx, node, m, key, required, &v);
    if (st) return st;
    if (v.i < 0 || v.i > INT32_MAX)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "custom option '%s' is %lld, out of range",
                           key, (long long)v.i);
    *out = (int32_t)v.i;
    return MOTE_OK;
}

static mote_status float_option(mote_context *ctx, const mote_node *node, const flexbuffer_map *m,
                                const char *key, float *out) {
    flexbuffer_number v;
    mote_status st = option(ctx, node, m, key, 1, &v);
    if (st) return st;
    *out = (float)v.f;
    return MOTE_OK;
}

static mote_status dpp_init(mote_context *ctx, mote_node *node) {
    dpp_data *d = kernel_alloc_data(ctx, node, sizeof *d);
    if (!d) return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    const void *opts;
    size_t size;
    flexbuffer_map m;
    mote_node_custom_options(node, &opts, &size);
    if (flexbuffer_root_map(opts, size, &m) != FLEXBUFFER_OK)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "custom options are not a FlexBuffer map");
    flexbuffer_number regular = {0, 0.0};
    mote_status st;
    if ((st = int_option(ctx, node, &m, "max_detections", 1, 0, &d->max_detections)) ||
        (st = int_option(ctx, node, &m, "max_classes_per_detection", 1, 0, &d->max_classes_per_detection)) ||
        (st = int_option(ctx, node, &m, "detections_per_class", 0, DEFAULT_DETECTIONS_PER_CLASS,
                         &d->detections_per_class)) ||
        (st = int_option(ctx, node, &m, "num_classes", 1, 0, &d->num_classes)) ||
        (st = option(ctx, node, &m, "use_regular_nms", 0, &regular)) ||
        (st = float_option(ctx, node, &m, "nms_score_threshold", &d->score_threshold)) ||
        (st = float_option(ctx, node, &m, "nms_iou_threshold", &d->iou_threshold)) ||
        (st = float_option(ctx, node, &m, "y_scale", &d->y_scale)) ||
        (st = float_option(ctx, node, &m, "x_scale", &d->x_scale)) ||
        (st = float_option(ctx, node, &m, "h_scale", &d->h_scale)) ||
        (st = float_option(ctx, node, &m, "w_scale", &d->w_scale)))
        return st;
    d->use_regular_nms = regular.i != 0;
    if (d->num_classes <= 0)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "num_classes must be positive");
    if (!(d->iou_threshold > 0.0f && d->iou_threshold <= 1.0f))
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "nms_iou_threshold %g is not in (0, 1]",
                           (double)d->iou_threshold);
    const float scales[4] = {d->y_scale, d->x_scale, d->h_scale, d->w_scale};
    for (int i = 0; i < 4; i++)
        if (scales[i] == 0.0f || !isfinite(scales[i]))
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "box scales must be finite and non-zero");
    /* Both paths need a class per detection (the regular one writes max_detections rows
     * into outputs sized max_detections x max_classes_per_detection). */
    if (d->max_classes_per_detection < 1 ||
        (d->use_regular_nms && (d->detections_per_class < 1 || d->max_detections < 1)))
        return kernel_fail(
            ctx, node, MOTE_ERROR_INVALID_MODEL,
            "%s needs at least one detection (max_detections %d, max_classes_per_detection %d, "
            "detections_per_class %d)",
            d->use_regular_nms ? "regular NMS" : "fast NMS", d->max_detections, d->max_classes_per_detection,
            d->detections_per_class);
    return MOTE_OK;
}

/* ---- prepare ---- */

/* Appends `count` items of `size` bytes to the scratch layout at *total (8-byte aligned). */
static int reserve(size_t *total, size_t count, size_t size, size_t *at) {
    if (count && size > (SIZE_MAX - 64 - *total) / count) return 0;
    *at = *total;
    *total = (*total + count * size + 7) / 8 * 8;
    return 1;
}

static mote_status check_quantized(mote_context *ctx, const mote_node *node, const mote_tensor *t,
                                   int32_t i) {
    char b[160];
    if (t->type == MOTE_FLOAT32) return MOTE_OK;
    if (t->type != MOTE_UINT8) return kernel_unsupported_type(ctx, node, t, "input", i);
    if (!t->def || t->def->quant_count != 1)
        return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED, "%s: uint8 needs per-tensor quantization",
                           kernel_describe(t, "input", i, b, sizeof b));
    return MOTE_OK;
}

static mote_status dpp_prepare(mote_context *ctx, mote_node *node) {
    dpp_data *d = node->data;
    mote_tensor *enc, *cls, *anchors, *out[4];
    mote_status st;
    char b[160];
    if ((st = kernel_check_counts(ctx, node, 3, 3, 4)) ||
        (st = kernel_require_input(ctx, node, IN_BOXES, &enc)) ||
        (st = kernel_require_input(ctx, node, IN_SCORES, &cls)) ||
        (st = kernel_require_input(ctx, node, IN_ANCHORS, &anchors)) ||
        (st = check_quantized(ctx, node, enc, IN_BOXES)) ||
        (st = check_quantized(ctx, node, cls, IN_SCORES)) ||
        (st = check_quantized(ctx, node, anchors, IN_ANCHORS)))
        return st;
    for (int32_t i = 0; i < 4; i++)
        if ((st = kernel_require_output(ctx, node, i, &out[i])) ||
            (st = kernel_check_type(ctx, node, out[i], "output", i, MOTE_FLOAT32)))
            return st;
    if (anchors->type != enc->type)
        return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED,
                           "anchors must have the box encodings' type (%s)", mote_type_name(enc->type));
    if ((st = kernel_check_rank(ctx, node, enc, "input", IN_BOXES, 3)) ||
        (st = kernel_check_rank(ctx, node, cls, "input", IN_SCORES, 3)) ||
        (st = kernel_check_rank(ctx, node, anchors, "input", IN_ANCHORS, 2)))
        return st;
    d->boxes = enc->dims[1];
    d->encoding = enc->dims[2];
    d->columns = cls->dims[2];
    if (enc->dims[0] != 1 || cls->dims[0] != 1)
        return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED, "only a batch of 1 is supported");
    if (d->encoding < 4)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: box encodings need at least 4 values",
                           kernel_describe(enc, "input", IN_BOXES, b, sizeof b));
    if (cls->dims[1] != d->boxes || anchors->dims[0] != d->boxes || anchors->dims[1] != 4)
        return kernel_fail(
            ctx, node, MOTE_ERROR_INVALID_MODEL,
            "scores [1, %d, ...] and anchors [%d, %d] must cover the %d boxes (anchors 4 wide)", cls->dims[1],
            anchors->dims[0], anchors->dims[1], d->boxes);
    d->label_offset = d->columns - d->num_classes;
    if (d->label_offset != 0 && d->label_offset != 1)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "%d score columns for %d classes (at most one background column)", d->columns,
                           d->num_classes);
    d->categories =
        d->max_classes_per_detection < d->num_classes ? d->max_classes_per_detection : d->num_classes;
    d->per_class = d->detections_per_class < d->max_detections ? d->detections_per_class : d->max_detections;
    const int64_t n_out = (int64_t)d->max_detections * d->max_classes_per_detection;
    if (n_out > INT32_MAX / 4)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "max_detections x max_classes_per_detection is too large");

    /* Scratch: decoded boxes, dequantized scores and the suppression's work arrays. */
    const size_t n = (size_t)d->boxes;
    size_t total = 0;
    const size_t infos = (size_t)d->per_class + (size_t)d->max_detections;
    if (!reserve(&total, n * 4, sizeof(float), &d->at_boxes) ||
        !reserve(&total, cls->type == MOTE_UINT8 ? n * (size_t)d->columns : 0, sizeof(float),
                 &d->at_scores) ||
        !reserve(&total, n, sizeof(float), &d->at_candidates) ||
        !reserve(&total, n, sizeof(float), &d->at_kept_scores) ||
        !reserve(&total, n, sizeof(int32_t), &d->at_kept) ||
        !reserve(&total, n, sizeof(int32_t), &d->at_order) ||
        !reserve(&total, n, sizeof(int32_t), &d->at_sort_tmp) || !reserve(&total, n, 1, &d->at_active) ||
        !reserve(&total, n, sizeof(int32_t), &d->at_selected) ||
        !reserve(&total, d->use_regular_nms ? 0 : n * (size_t)d->categories, sizeof(int32_t), &d->at_top) ||
        !reserve(&total, d->use_regular_nms ? 0 : (size_t)d->num_classes, sizeof(int32_t), &d->at_heap) ||
        !reserve(&total, d->use_regular_nms ? infos : 0, sizeof(box_info), &d->at_info) ||
        !reserve(&total, d->use_regular_nms ? infos : 0, sizeof(box_info), &d->at_info_tmp))
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "the work buffers' size overflows");
    if ((st = mote_node_request_scratch(ctx, node, total ? total : 1, &d->scratch)))
        return kernel_fail(ctx, node, st, "cannot reserve %zu bytes of scratch", total);

    const int32_t n32 = (int32_t)n_out;
    const int32_t box_dims[3] = {1, n32, 4}, list_dims[2] = {1, n32}, one = 1;
    if ((st = kernel_set_shape(ctx, node, out[OUT_BOXES], 3, box_dims)) ||
        (st = kernel_set_shape(ctx, node, out[OUT_CLASSES], 2, list_dims)) ||
        (st = kernel_set_shape(ctx, node, out[OUT_SCORES], 2, list_dims)) ||
        (st = kernel_set_shape(ctx, node, out[OUT_COUNT], 1, &one)))
        return st;
    return MOTE_OK;
}

/* ---- decoding ---- */

/* Four values of a box encoding or anchor, dequantized as TensorFlow Lite does it:
 * (float(q) - zero point) * scale in float. */
static void read_box(const mote_tensor *t, size_t at, float v[4]) {
    if (t->type == MOTE_FLOAT32) {
        memcpy(v, KERNEL_DATA(t, const float) + at, 4 * sizeof(float));
        return;
    }
    const float zero_point = (float)t->zero_point;
    for (int i = 0; i < 4; i++) v[i] = ((float)t->data[at + (size_t)i] - zero_point) * t->scale;
}

/* Corner boxes [ymin, xmin, ymax, xmax] from center-size encodings relative to the anchors,
 * computed in double and rounded to float as TensorFlow Lite does. Fails when a box comes
 * out inverted (TensorFlow Lite refuses those before suppression). */
static mote_status decode_boxes(mote_context *ctx, const mote_node *node, const dpp_data *d, float *boxes) {
    const mote_tensor *enc = kernel_input(ctx, node, IN_BOXES),
                      *anchors = kernel_input(ctx, node, IN_ANCHORS);
    for (int32_t i = 0; i < d->boxes; i++) {
        float e[4], a[4]; /* y, x, h, w */
        read_box(enc, (size_t)i * (size_t)d->encoding, e);
        read_box(anchors, (size_t)i * 4, a);
        const float ycenter = (float)((double)e[0] / (double)d->y_scale * (double)a[2] + (double)a[0]);
        const float xcenter = (float)((double)e[1] / (double)d->x_scale * (double)a[3] + (double)a[1]);
        const float half_h = (float)(0.5 * exp((double)e[2] / (double)d->h_scale) * (double)a[2]);
        const float half_w = (float)(0.5 * exp((double)e[3] / (double)d->w_scale) * (double)a[3]);
        float *box = boxes + 4 * (size_t)i;
        box[0] = ycenter - half_h;
        box[1] = xcenter - half_w;
        box[2] = ycenter + half_h;
        box[3] = xcenter + half_w;
        if (box[0] > box[2] || box[1] > box[3])
            return kernel_fail(ctx, node, MOTE_ERROR_RUNTIME,
                               "decoded box %d is inverted (anchor %d has a negative size)", i, i);
    }
    return MOTE_OK;
}

/* ---- suppression ---- */

/* std::max / std::min on floats: the first argument unless the second is larger (smaller). */
static float max_f(float a, float b) { return a < b ? b : a; }
static float min_f(float a, float b) { return b < a ? b : a; }

static float iou(const float *boxes, int32_t i, int32_t j) {
    const float *p = boxes + 4 * (size_t)i, *q = boxes + 4 * (size_t)j;
    const float area_p = (p[2] - p[0]) * (p[3] - p[1]);
    const float area_q = (q[2] - q[0]) * (q[3] - q[1]);
    if (area_p <= 0.0f || area_q <= 0.0f) return 0.0f;
    const float ymin = max_f(p[0], q[0]), xmin = max_f(p[1], q[1]);
    const float ymax = min_f(p[2], q[2]), xmax = min_f(p[3], q[3]);
    const float inter = max_f(ymax - ymin, 0.0f) * max_f(xmax - xmin, 0.0f);
    return inter / (area_p + area_q - inter);
}

/* Sorts idx[0..n) by decreasing values[idx], keeping equal values in their order (a merge
 * sort, so the result is std::stable_sort's). */
static void stable_sort_desc(const float *values, int32_t *idx, int32_t *tmp, int32_t n) {
    for (int64_t width = 1; width < n; width *= 2) {
        for (int64_t lo = 0; lo < n; lo += 2 * width) {
            const int64_t mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
            int64_t a = lo, b = mid, k = lo;
            while (a < mid && b < hi) tmp[k++] = values[idx[b]] > values[idx[a]] ? idx[b++] : idx[a++];
            while (a < mid) tmp[k++] = idx[a++];
            while (b < hi) tmp[k++] = idx[b++];
        }
        memcpy(idx, tmp, (size_t)n * sizeof *idx);
    }
}

/* Work arrays of the scratch buffer. */
typedef struct dpp_work {
    float *boxes, *scores, *candidates, *kept_scores;
    int32_t *kept, *order, *sort_tmp, *selected, *top, *heap;
    uint8_t *active;
    box_info *info, *info_tmp;
} dpp_work;

/* Greedy suppression over one score per box: boxes scoring at least the threshold, in
 * decreasing score order (ties by box index), each kept unless it overlaps a kept one by
 * more than the IoU threshold; at most max_out. Returns the count in w->selected. */
static int32_t suppress(const dpp_data *d, const dpp_work *w, const float *scores, int32_t max_out) {
    int32_t kept = 0;
    for (int32_t i = 0; i < d->boxes; i++)
        if (scores[i] >= d->score_threshold) {
            w->kept_scores[kept] = scores[i];
            w->kept[kept++] = i;
        }
    for (int32_t i = 0; i < kept; i++) w->order[i] = i;
    stable_sort_desc(w->kept_scores, w->order, w->sort_tmp, kept);
    const int32_t limit = kept < max_out ? kept : max_out;
    if (kept > 0) memset(w->active, 1, (size_t)(uint32_t)kept);
    int32_t count = 0, active = kept;
    for (int32_t i = 0; i < kept; i++) {
        if (active == 0 || count >= limit) break;
        if (!w->active[i]) continue;
        const int32_t box_i = w->kept[w->order[i]];
        w->selected[count++] = box_i;
        w->active[i] = 0;
        active--;
        for (int32_t j = i + 1; j < kept; j++) {
            if (w->active[j] && iou(w->boxes, box_i, w->kept[w->order[j]]) > d->iou_threshold) {
                w->active[j] = 0;
                active--;
            }
        }
    }
    return count;
}

/* libstdc++'s heap primitives with the comparison "a ranks before b" = values[a] >
 * values[b]: std::partial_sort is built from them, and with ties its order is theirs. */
#define RANKS_BEFORE(a, b) (values[a] > values[b])

static void heap_push(const float *values, int32_t *h, int32_t hole, int32_t top, int32_t v) {
    int32_t parent = (hole - 1) / 2;
    while (hole > top && RANKS_BEFORE(h[parent], v)) {
        h[hole] = h[parent];
        hole = parent;
        parent = (hole - 1) / 2;
    }
    h[hole] = v;
}

static void heap_adjust(const float *values, int32_t *h, int32_t hole, int32_t len, int32_t v) {
    const int32_t top = hole;
    int32_t child = hole;
    while (child < (len - 1) / 2) {
        child = 2 * (child + 1);
        if (RANKS_BEFORE(h[child], h[child - 1])) child--;
        h[hole] = h[child];
        hole = child;
    }
    if ((len & 1) == 0 && child == (len - 2) / 2) {
        child = 2 * (child + 1);
        h[hole] = h[child - 1];
        hole = child - 1;
    }
    heap_push(values, h, hole, top, v);
}

/* Indices of the k highest values (k >= 2), highest first, as std::partial_sort leaves
 * them: a heap of the first k, each later index replacing the root when it ranks before
 * it, then the heap sorted. idx has n entries of work space. */
static void partial_sort_desc(const float *values, int32_t n, int32_t k, int32_t *idx) {
    for (int32_t i = 0; i < n; i++) idx[i] = i;
    if (k >= 2)
        for (int32_t parent = (k - 2) / 2;; parent--) {
            heap_adjust(values, idx, parent, k, idx[parent]);
            if (parent == 0) break;
        }
    for (int32_t i = k; i < n; i++)
        if (RANKS_BEFORE(idx[i], idx[0])) {
            int32_t v = idx[i];
            idx[i] = idx[0];
            heap_adjust(values, idx, 0, k, v);
        }
    for (int32_t end = k; end > 1; end--) {
        int32_t v = idx[end - 1];
        idx[end - 1] = idx[0];
        heap_adjust(values, idx, 0, end - 1, v);
    }
}

/* Fast NMS: each anchor's best class (or best `categories` classes) by its top score, one
 * suppression over those, every selected anchor reported with its classes. */
static int32_t fast_nms(const dpp_data *d, const dpp_work *w, const float *scores, float *out_boxes,
                        float *out_classes, float *out_scores) {
    const int32_t k = d->categories;
    for (int32_t row = 0; row < d->boxes; row++) {
        const float *s = scores + (size_t)row * (size_t)d->columns + (size_t)d->label_offset;
        int32_t *top = w->top + (size_t)row * (size_t)k;
        if (k == 1) { /* the first index of the maximum */
            int32_t best = 0;
            for (int32_t c = 1; c < d->num_classes; c++)
                if (s[c] > s[best]) best = c;
            top[0] = best;
        } else {
            partial_sort_desc(s, d->num_classes, k, w->heap);
            memcpy(top, w->heap, (size_t)k * sizeof *top);
        }
        w->candidates[row] = s[top[0]];
    }
    const int32_t count = suppress(d, w, w->candidates, d->max_detections);
    for (int32_t i = 0; i < count; i++) {
        const int32_t box = w->selected[i];
        const float *s = scores + (size_t)box * (size_t)d->columns + (size_t)d->label_offset;
        const int32_t *top = w->top + (size_t)box * (size_t)k;
        for (int32_t c = 0; c < k; c++) {
            const size_t slot = (size_t)d->max_classes_per_detection * (size_t)i + (size_t)c;
            memcpy(out_boxes + 4 * slot, w->boxes + 4 * (size_t)box, 4 * sizeof(float));
            out_classes[slot] = (float)top[c];
            out_scores[slot] = s[top[c]];
        }
    }
    return count;
}

/* Merges the sorted runs info[0, mid) and info[mid, end) by decreasing score, the first run
 * first among equals (std::inplace_merge). */
static void merge_info(box_info *info, box_info *tmp, int32_t mid, int32_t end) {
    int32_t a = 0, b = mid, k = 0;
    while (a < mid && b < end) tmp[k++] = info[b].score > info[a].score ? info[b++] : info[a++];
    while (a < mid) tmp[k++] = info[a++];
    while (b < end) tmp[k++] = info[b++];
    memcpy(info, tmp, (size_t)end * sizeof *info);
}

/* Regular NMS: one suppression per class (up to per_class boxes each), merged class by
 * class into one list by decreasing score, earlier classes first among equals, cut to
 * max_detections. */
static int32_t regular_nms(const dpp_data *d, const dpp_work *w, const float *scores, float *out_boxes,
                           float *out_classes, float *out_scores) {
    int32_t size = 0;
    for (int32_t c = 0; c < d->num_classes; c++) {
        const int32_t col = c + d->label_offset;
        for (int32_t row = 0; row < d->boxes; row++)
            w->candidates[row] = scores[(size_t)row * (size_t)d->columns + (size_t)col];
        const int32_t count = suppress(d, w, w->candidates, d->per_class);
        if (count == 0) continue;
        for (int32_t i = 0; i < count; i++) {
            w->info[size + i].score = w->candidates[w->selected[i]];
            w->info[size + i].index = w->selected[i] * d->columns + col;
        }
        merge_info(w->info, w->info_tmp, size, size + count);
        size = size + count < d->max_detections ? size + count : d->max_detections;
    }
    for (int32_t i = 0; i < size; i++) {
        const int32_t anchor = w->info[i].index / d->columns;
        const int32_t cls = w->info[i].index - anchor * d->columns - d->label_offset;
        memcpy(out_boxes + 4 * (size_t)i, w->boxes + 4 * (size_t)anchor, 4 * sizeof(float));
        out_classes[i] = (float)cls;
        out_scores[i] = w->info[i].score;
    }
    return size;
}

static mote_status dpp_eval(mote_context *ctx, mote_node *node) {
    const dpp_data *d = node->data;
    const mote_tensor *cls = kernel_input(ctx, node, IN_SCORES);
    mote_tensor *out[4];
    for (int32_t i = 0; i < 4; i++) out[i] = kernel_output(ctx, node, i);
    void *p;
    mote_status st = mote_node_scratch(ctx, node, d->scratch, &p);
    if (st) return kernel_fail(ctx, node, st, "scratch buffer missing");
    uint8_t *base = p;
    dpp_work w = {(float *)(void *)(base + d->at_boxes),
                  (float *)(void *)(base + d->at_scores),
                  (float *)(void *)(base + d->at_candidates),
                  (float *)(void *)(base + d->at_kept_scores),
                  (int32_t *)(void *)(base + d->at_kept),
                  (int32_t *)(void *)(base + d->at_order),
                  (int32_t *)(void *)(base + d->at_sort_tmp),
                  (int32_t *)(void *)(base + d->at_selected),
                  (int32_t *)(void *)(base + d->at_top),
                  (int32_t *)(void *)(base + d->at_heap),
                  base + d->at_active,
                  (box_info *)(void *)(base + d->at_info),
                  (box_info *)(void *)(base + d->at_info_tmp)};
    if ((st = decode_boxes(ctx, node, d, w.boxes))) return st;

    const float *scores = KERNEL_DATA(cls, const float);
    if (cls->type == MOTE_UINT8) {
        const size_t n = (size_t)d->boxes * (size_t)d->columns;
        for (size_t i = 0; i < n; i++)
            w.scores[i] = (float)((double)cls->scale * (double)((int32_t)cls->data[i] - cls->zero_point));
        scores = w.scores;
    }
    for (int32_t i = 0; i < 4; i++)
        if (out[i]->bytes) memset(out[i]->data, 0, out[i]->bytes);
    float *boxes = KERNEL_DATA(out[OUT_BOXES], float), *classes = KERNEL_DATA(out[OUT_CLASSES], float);
    float *out_scores = KERNEL_DATA(out[OUT_SCORES], float);
    const int32_t count = d->use_regular_nms ? regular_nms(d, &w, scores, boxes, classes, out_scores)
                                             : fast_nms(d, &w, scores, boxes, classes, out_scores);
    KERNEL_DATA(out[OUT_COUNT], float)[0] = (float)count;
    return MOTE_OK;
}

const mote_op mote_op_detection_postprocess = {
    "TFLite_Detection_PostProcess", -1, dpp_init, dpp_prepare, NULL, dpp_eval, NULL};
