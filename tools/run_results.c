/* run_results.c — `mote run --labels/--top`: an output read as classes (the top K with
 * their labels, as TensorFlow Lite's label_image prints them), as SSD detections (the four
 * outputs of TFLite_Detection_PostProcess) or as a segmentation map (each class's share of
 * the pixels). Scores of quantized outputs are dequantized: (q - zero_point) * scale. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "core/model.h"
#include "kernels/kernel.h"
#include "run_image.h"

#define LABELS_MAX_BYTES ((size_t)16 << 20)

/* ---- labels: one per line ---- */

typedef struct labels {
    unsigned char *text; /* the file, lines cut in place */
    char **line;         /* [count] */
    int32_t count;
} labels;

static void labels_free(labels *l) {
    free(l->text);
    free(l->line);
    memset(l, 0, sizeof *l);
}

static int labels_read(const char *path, labels *l) {
    size_t size;
    char err[512];
    memset(l, 0, sizeof *l);
    if (cli_read_file(path, LABELS_MAX_BYTES, &l->text, &size, err, sizeof err)) return cli_error("%s", err);
    size_t lines = 1;
    for (size_t i = 0; i < size; i++) lines += l->text[i] == '\n';
    l->line = malloc(lines * sizeof *l->line);
    if (!l->line) {
        labels_free(l);
        return cli_error("out of memory reading '%s'", path);
    }
    char *s = (char *)l->text, *end = s + size;
    while (s < end) {
        char *nl = memchr(s, '\n', (size_t)(end - s));
        char *stop = nl ? nl : end;
        *stop = 0;
        for (char *t = stop; t > s && (t[-1] == '\r' || t[-1] == ' ' || t[-1] == '\t');) *--t = 0;
        l->line[l->count++] = s;
        s = stop + 1;
    }
    return CLI_EXIT_OK;
}

/* The label of class k with the files's lines shifted by offset, or "". */
static const char *label_of(const labels *l, int64_t k, int32_t offset) {
    int64_t i = k + offset;
    if (!l->count) return "";
    if (i == -1) return "(background)";
    return i >= 0 && i < l->count ? l->line[i] : "";
}

/* ---- scores ---- */

/* Element i as a real number: dequantized when the tensor is quantized. 0 when the type
 * holds no numbers. */
static double value_at(const mote_tensor_info *t, size_t i) {
    const unsigned char *p = t->data;
    double v;
    switch (t->type) {
    case MOTE_FLOAT32: { float x; memcpy(&x, p + 4 * i, 4); return x; }
    case MOTE_FLOAT16: { uint16_t x; memcpy(&x, p + 2 * i, 2); return kernel_f16_to_f32(x); }
    case MOTE_UINT8: v = p[i]; break;
    case MOTE_INT8: v = (int8_t)p[i]; break;
    case MOTE_INT16: { int16_t x; memcpy(&x, p + 2 * i, 2); v = x; break; }
    case MOTE_INT32: { int32_t x; memcpy(&x, p + 4 * i, 4); v = x; break; }
    default: return 0;
    }
    if (t->quantization.count >= 1)
        v = (v - (double)t->quantization.zero_points[0]) * (double)t->quantization.scales[0];
    return v;
}

static int is_score_type(mote_type t) {
    return t == MOTE_FLOAT32 || t == MOTE_FLOAT16 || t == MOTE_UINT8 || t == MOTE_INT8 || t == MOTE_INT16 ||
           t == MOTE_INT32;
}

static int64_t raw_at(const mote_tensor_info *t, size_t i) {
    const unsigned char *p = t->data;
    switch (t->type) {
    case MOTE_UINT8: return p[i];
    case MOTE_INT8: return (int8_t)p[i];
    case MOTE_INT16: { int16_t x; memcpy(&x, p + 2 * i, 2); return x; }
    case MOTE_INT32: { int32_t x; memcpy(&x, p + 4 * i, 4); return x; }
    default: return 0;
    }
}

typedef struct ranked {
    double score;
    int64_t index;
} ranked;

/* Highest score first; equal scores by index. NaN sorts last. */
static int by_score(const void *pa, const void *pb) {
    const ranked *a = pa, *b = pb;
    int na = isnan(a->score), nb = isnan(b->score);
    if (na != nb) return na - nb;
    if (!na && a->score != b->score) return a->score > b->score ? -1 : 1;
    return (a->index > b->index) - (a->index < b->index);
}

static size_t element_count(const mote_tensor_info *t) {
    size_t n = 1;
    for (int32_t d = 0; d < t->rank; d++) n *= (size_t)(t->dims[d] > 0 ? t->dims[d] : 0);
    return n;
}

/* Sets *t to output k, checking that it holds numbers. */
static int read_output(run_state *rs, int32_t k, mote_tensor_info *t) {
    mote_tensor_get_info(rs->outputs[k].tensor, t);
    if (!is_score_type(t->type) || !t->data)
        return cli_error("%s: output %d ('%s') is %s: --labels and --top read numeric outputs", rs->model_path, k,
                         rs->outputs[k].name, mote_type_name(t->type));
    if (element_count(t) * mote_type_bytes(t->type) > t->bytes)
        return cli_error("%s: output %d ('%s') is smaller than its shape", rs->model_path, k, rs->outputs[k].name);
    return CLI_EXIT_OK;
}

/* ---- classification ---- */

static int print_classes(run_state *rs, const run_image_args *a, int32_t k, const labels *l) {
    mote_tensor_info t;
    int rc = read_output(rs, k, &t);
    if (rc) return rc;
    size_t n = element_count(&t);
    if (t.rank >= 2 && t.dims[0] > 1) n /= (size_t)t.dims[0]; /* the first batch entry */
    if (n == 0) return cli_error("%s: output %d ('%s') is empty", rs->model_path, k, rs->outputs[k].name);
    ranked *r = malloc(n * sizeof *r);
    if (!r) return cli_error("out of memory");
    for (size_t i = 0; i < n; i++) r[i] = (ranked){value_at(&t, i), (int64_t)i};
    qsort(r, n, sizeof *r, by_score);
    /* A label file with a background line for a model without one, or the reverse. */
    int32_t offset = 0;
    if (l->count && (size_t)l->count == n + 1) offset = 1;
    else if (l->count && (size_t)l->count + 1 == n) offset = -1;
    size_t top = a->top ? (size_t)a->top : 5;
    if (top > n) top = n;
    printf("top %zu of output %d ('%s'), %zu classes", top, k, rs->outputs[k].name, n);
    if (l->count)
        printf(", %d labels%s", l->count, offset > 0 ? " from the second line" : offset < 0 ? " from class 1" : "");
    printf(":\n");
    if (l->count && offset == 0 && (size_t)l->count != n)
        fprintf(stderr, "mote: warning: %d labels for %zu classes\n", l->count, n);
    int quantized = t.quantization.count >= 1 && t.type != MOTE_FLOAT32 && t.type != MOTE_FLOAT16;
    for (size_t i = 0; i < top; i++) {
        char q[32] = "";
        if (quantized) snprintf(q, sizeof q, " (q %lld)", (long long)raw_at(&t, (size_t)r[i].index));
        printf("  %.6f%s  %lld  %s\n", r[i].score, q, (long long)r[i].index, label_of(l, r[i].index, offset));
    }
    free(r);
    return CLI_EXIT_OK;
}

/* ---- segmentation: [1, H, W, C] scores, argmax per pixel ---- */

static int is_segmentation(const mote_tensor_info *t) {
    return t->rank == 4 && t->dims[0] == 1 && (int64_t)t->dims[1] * t->dims[2] > 1 && t->dims[3] > 1;
}

static int print_segments(run_state *rs, const run_image_args *a, int32_t k, const labels *l) {
    mote_tensor_info t;
    int rc = read_output(rs, k, &t);
    if (rc) return rc;
    size_t pixels = (size_t)t.dims[1] * (size_t)t.dims[2], classes = (size_t)t.dims[3];
    ranked *r = calloc(classes, sizeof *r);
    if (!r) return cli_error("out of memory");
    for (size_t c = 0; c < classes; c++) r[c].index = (int64_t)c;
    for (size_t p = 0; p < pixels; p++) {
        size_t best = 0;
        double best_v = value_at(&t, p * classes);
        for (size_t c = 1; c < classes; c++) {
            double v = value_at(&t, p * classes + c);
            if (v > best_v) {
                best_v = v;
                best = c;
            }
        }
        r[best].score += 1;
    }
    qsort(r, classes, sizeof *r, by_score);
    size_t top = a->top ? (size_t)a->top : 5;
    if (top > classes) top = classes;
    printf("classes of output %d ('%s') by share of its %dx%d pixels (argmax of %zu scores):\n", k,
           rs->outputs[k].name, t.dims[1], t.dims[2], classes);
    for (size_t i = 0; i < top && r[i].score > 0; i++)
        printf("  %6.2f%%  %lld  %s\n", 100.0 * r[i].score / (double)pixels, (long long)r[i].index,
               label_of(l, r[i].index, 0));
    free(r);
    return CLI_EXIT_OK;
}

/* ---- detections: boxes [1,N,4] (ymin, xmin, ymax, xmax), classes [1,N], scores [1,N],
 * count [1] ---- */

static int has_detection_op(const run_state *rs) {
    int32_t ops = 0;
    if (mote_model_operator_count(rs->model, rs->subgraph, &ops)) return 0;
    for (int32_t i = 0; i < ops; i++) {
        const char *name;
        if (!mote_model_operator_name(rs->model, rs->subgraph, i, &name) && strcmp(name, "TFLite_Detection_PostProcess") == 0)
            return 1;
    }
    return 0;
}

static int print_detections(run_state *rs, const run_image_args *a, const labels *l) {
    mote_tensor_info box, cls, score, count;
    int rc;
    if ((rc = read_output(rs, 0, &box)) || (rc = read_output(rs, 1, &cls)) || (rc = read_output(rs, 2, &score)) ||
        (rc = read_output(rs, 3, &count)))
        return rc;
    size_t n = element_count(&score);
    if (element_count(&cls) < n) n = element_count(&cls);
    if (element_count(&box) / 4 < n) n = element_count(&box) / 4;
    double c = element_count(&count) ? value_at(&count, 0) : 0;
    size_t shown = c >= 0 && c < (double)n ? (size_t)c : n; /* NaN: n, then filtered */
    ranked *r = malloc((shown ? shown : 1) * sizeof *r);
    if (!r) return cli_error("out of memory");
    for (size_t i = 0; i < shown; i++) r[i] = (ranked){value_at(&score, i), (int64_t)i};
    qsort(r, shown, sizeof *r, by_score);
    double threshold = a->threshold >= 0 ? a->threshold : 0.5;
    size_t above = 0;
    while (above < shown && r[above].score >= threshold) above++;
    size_t top = a->top && (size_t)a->top < above ? (size_t)a->top : above;
    /* The label file may start with a background or "???" line that the class ids skip. */
    int32_t offset = l->count && (strcmp(l->line[0], "???") == 0 || strcasecmp(l->line[0], "background") == 0);
    printf("detections with score >= %g: %zu of %zu (box: ymin, xmin, ymax, xmax)\n", threshold, top, shown);
    for (size_t i = 0; i < top; i++) {
        size_t d = (size_t)r[i].index;
        double v = value_at(&cls, d), y0 = value_at(&box, 4 * d), x0 = value_at(&box, 4 * d + 1),
               y1 = value_at(&box, 4 * d + 2), x1 = value_at(&box, 4 * d + 3);
        long long id = isfinite(v) && fabs(v) < 1e9 ? (long long)v : -1;
        printf("  %.6f  %lld  %-12s [%.4f, %.4f, %.4f, %.4f]", r[i].score, id, label_of(l, id, offset), y0, x0, y1,
               x1);
        if (a->source_width > 0) {
            double w = a->source_width, h = a->source_height;
            printf("  x %.0f y %.0f w %.0f h %.0f of %dx%d", x0 * w, y0 * h, (x1 - x0) * w, (y1 - y0) * h,
                   a->source_width, a->source_height);
        }
        printf("\n");
    }
    free(r);
    return CLI_EXIT_OK;
}

int run_print_results(run_state *rs, const run_image_args *a) {
    if (!a->labels && !a->top) return CLI_EXIT_OK;
    if (rs->output_count == 0) return cli_error("%s: the model has no outputs", rs->model_path);
    labels l = {0};
    if (a->labels && labels_read(a->labels, &l)) return CLI_EXIT_FAIL;
    int rc;
    int32_t k = a->output_index >= 0 ? (int32_t)a->output_index : 0;
    mote_tensor_info t;
    mote_tensor_get_info(rs->outputs[k].tensor, &t);
    if (a->output_index < 0 && rs->output_count == 4 && has_detection_op(rs)) rc = print_detections(rs, a, &l);
    else if (is_segmentation(&t)) rc = print_segments(rs, a, k, &l);
    else rc = print_classes(rs, a, k, &l);
    labels_free(&l);
    return rc;
}
