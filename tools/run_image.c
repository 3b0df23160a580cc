/* run_image.c — `mote run --image`: decode an image, fit it to an image input (layout, size,
 * channels) and map its pixels to the input's type and quantization. */
#include "run_image.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "core/model.h"
#include "image.h"
#include "kernels/kernel.h"

/* Largest image file read. */
#define RUN_IMAGE_MAX_FILE_BYTES ((size_t)256 << 20)

void run_image_args_init(run_image_args *a) {
    memset(a, 0, sizeof *a);
    a->input_index = -1;
    a->output_index = -1;
    a->threshold = -1;
}

/* ---- options ---- */

static int bad_value(const char *option, const char *value, const char *expected) {
    fflush(stdout);
    fprintf(stderr, "mote run: bad %s '%s' (%s) (see mote run --help)\n", option, value, expected);
    return CLI_EXIT_USAGE;
}

/* "--opt VALUE" or "--opt=VALUE": the value, or NULL when argv[*i] is not this option. A
 * missing value gives NULL too, and the caller's generic message. */
static const char *value_of(int argc, char **argv, int *i, const char *name) {
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) != 0) return NULL;
    if (argv[*i][n] == '=') return argv[*i] + n + 1;
    if (argv[*i][n] != 0 || *i + 1 >= argc) return NULL;
    return argv[++*i];
}

static int parse_double(const char *s, double *out) {
    char *end;
    *out = strtod(s, &end);
    return end != s && *end == 0 && isfinite(*out) ? 0 : -1;
}

/* "M" or "M1,M2,M3" into v; returns the count or -1. */
static int parse_floats(const char *s, float v[3]) {
    char buf[128];
    if (strlen(s) >= sizeof buf) return -1;
    strcpy(buf, s);
    int n = 0;
    for (char *tok = buf, *next; tok; tok = next) {
        next = strchr(tok, ',');
        if (next) *next++ = 0;
        double d;
        if (n == 3 || parse_double(tok, &d) || fabs(d) > 1e30) return -1;
        v[n++] = (float)d;
    }
    return n == 2 ? -1 : n;
}

int run_image_parse_option(int argc, char **argv, int *i, run_image_args *a) {
    const char *arg = argv[*i], *v;
    double d;
    if (strcmp(arg, "--raw-bytes") == 0) {
        a->raw_bytes = 1;
    } else if (strcmp(arg, "--no-antialias") == 0) {
        a->no_antialias = 1;
    } else if ((v = value_of(argc, argv, i, "--image"))) {
        a->path = v;
    } else if ((v = value_of(argc, argv, i, "--labels"))) {
        a->labels = v;
    } else if ((v = value_of(argc, argv, i, "--input-index"))) {
        if (cli_parse_int(v, 0, INT32_MAX, &a->input_index)) return bad_value("--input-index", v, "an input index");
    } else if ((v = value_of(argc, argv, i, "--output-index"))) {
        if (cli_parse_int(v, 0, INT32_MAX, &a->output_index)) return bad_value("--output-index", v, "an output index");
    } else if ((v = value_of(argc, argv, i, "--top"))) {
        if (cli_parse_int(v, 1, 1 << 20, &a->top)) return bad_value("--top", v, "1 or more");
    } else if ((v = value_of(argc, argv, i, "--threshold"))) {
        if (parse_double(v, &d) || d < 0 || d > 1e30) return bad_value("--threshold", v, "a score, 0 or more");
        a->threshold = d;
    } else if ((v = value_of(argc, argv, i, "--input-mean"))) {
        if ((a->mean_count = parse_floats(v, a->mean)) < 0) return bad_value("--input-mean", v, "M or M1,M2,M3");
    } else if ((v = value_of(argc, argv, i, "--input-std"))) {
        if ((a->std_count = parse_floats(v, a->std)) < 0) return bad_value("--input-std", v, "S or S1,S2,S3");
        for (int c = 0; c < a->std_count; c++)
            if (a->std[c] == 0) return bad_value("--input-std", v, "not 0");
    } else {
        return 0;
    }
    return 1;
}

/* ---- the input's image layout ---- */

typedef struct image_layout {
    int32_t batch, height, width, channels;
    int nchw; /* [N, C, H, W] (PyTorch exports) instead of [N, H, W, C] */
} image_layout;

static int is_channels(int32_t d) { return d == 1 || d == 3; }

/* [N,H,W,C] when C is 1 or 3, else [N,C,H,W] when C is; [H,W,C]; [N,H,W] and [H,W] gray. */
static int layout_of(const mote_tensor_info *t, image_layout *l) {
    const int32_t *d = t->dims;
    memset(l, 0, sizeof *l);
    l->batch = 1;
    l->channels = 1;
    if (t->rank == 4 && is_channels(d[3])) {
        l->batch = d[0], l->height = d[1], l->width = d[2], l->channels = d[3];
    } else if (t->rank == 4 && is_channels(d[1])) {
        l->batch = d[0], l->channels = d[1], l->height = d[2], l->width = d[3], l->nchw = 1;
    } else if (t->rank == 3 && is_channels(d[2])) {
        l->height = d[0], l->width = d[1], l->channels = d[2];
    } else if (t->rank == 3) {
        l->batch = d[0], l->height = d[1], l->width = d[2];
    } else if (t->rank == 2) {
        l->height = d[0], l->width = d[1];
    } else {
        return -1;
    }
    return l->batch >= 1 && l->height >= 1 && l->width >= 1 ? 0 : -1;
}

static int is_pixel_type(mote_type t) {
    return t == MOTE_FLOAT32 || t == MOTE_FLOAT16 || t == MOTE_UINT8 || t == MOTE_INT8 || t == MOTE_INT16;
}

/* The input the image goes to: --input-index, or the first image-shaped one. */
static int pick_input(const run_state *rs, const run_image_args *a, int32_t *index) {
    if (a->input_index >= 0) {
        if (a->input_index >= rs->input_count)
            return cli_error("%s: --input-index %lld, the %s has %d input%s", rs->model_path, a->input_index,
                             rs->signature ? "signature" : "model", rs->input_count, rs->input_count == 1 ? "" : "s");
        *index = (int32_t)a->input_index;
        return CLI_EXIT_OK;
    }
    for (int32_t i = 0; i < rs->input_count; i++) {
        mote_tensor_info t;
        image_layout l;
        mote_tensor_get_info(rs->inputs[i].tensor, &t);
        if (t.rank == 4 && !layout_of(&t, &l) && is_pixel_type(t.type)) {
            *index = i;
            return CLI_EXIT_OK;
        }
    }
    return cli_error("%s: no input is shaped like an image ([N,H,W,C] or [N,C,H,W] with C 1 or 3); "
                     "name one with --input-index", rs->model_path);
}

/* ---- pixels to values ---- */

/* How pixel p of channel c becomes the input's value. */
typedef struct pixel_map {
    mote_type type;
    int raw;                  /* copy the byte */
    int quantize;             /* round((p - mean) / std / scale) + zero_point */
    int shift;                /* p - 128 (int8 without a mean and std) */
    float mean[3], std[3];
    double scale;
    int64_t zero_point, qmin, qmax;
} pixel_map;

static void store(const pixel_map *m, unsigned char *dst, size_t i, int p, int c) {
    if (m->raw) {
        dst[i] = (unsigned char)p;
        return;
    }
    if (m->type == MOTE_UINT8 && !m->quantize) {
        dst[i] = (unsigned char)p;
        return;
    }
    if (m->type == MOTE_INT8 && m->shift) {
        dst[i] = (unsigned char)(int8_t)(p - 128);
        return;
    }
    float real = ((float)p - m->mean[c]) / m->std[c];
    if (m->type == MOTE_FLOAT32) {
        memcpy(dst + 4 * i, &real, 4);
    } else if (m->type == MOTE_FLOAT16) {
        uint16_t h = kernel_f32_to_f16(real);
        memcpy(dst + 2 * i, &h, 2);
    } else {
        double q = round((double)real / m->scale) + (double)m->zero_point;
        int64_t v = q < (double)m->qmin ? m->qmin : q > (double)m->qmax ? m->qmax : (int64_t)q;
        if (m->type == MOTE_INT16) {
            int16_t s = (int16_t)v;
            memcpy(dst + 2 * i, &s, 2);
        } else {
            dst[i] = m->type == MOTE_INT8 ? (unsigned char)(int8_t)v : (unsigned char)v;
        }
    }
}

static int make_map(const run_state *rs, const run_port *p, const mote_tensor_info *t, const run_image_args *a,
                    int32_t channels, pixel_map *m) {
    memset(m, 0, sizeof *m);
    m->type = t->type;
    if (!is_pixel_type(t->type))
        return cli_error("%s: input %d ('%s') is %s: --image fills float32, float16, uint8, int8 or int16 inputs",
                         rs->model_path, p->position, p->name, mote_type_name(t->type));
    if (a->raw_bytes) {
        if (t->type != MOTE_UINT8 && t->type != MOTE_INT8)
            return cli_error("%s: --raw-bytes needs a uint8 or int8 input; input %d ('%s') is %s", rs->model_path,
                             p->position, p->name, mote_type_name(t->type));
        m->raw = 1;
        return CLI_EXIT_OK;
    }
    if ((a->mean_count == 3 || a->std_count == 3) && channels != 3)
        return cli_error("%s: three --input-mean or --input-std values for input %d ('%s'), which has %d channel",
                         rs->model_path, p->position, p->name, channels);
    int given = a->mean_count || a->std_count;
    for (int c = 0; c < 3; c++) {
        m->mean[c] = a->mean_count ? a->mean[a->mean_count == 3 ? c : 0] : 127.5f;
        m->std[c] = a->std_count ? a->std[a->std_count == 3 ? c : 0] : 127.5f;
    }
    if (t->type == MOTE_FLOAT32 || t->type == MOTE_FLOAT16) return CLI_EXIT_OK;
    if (t->type == MOTE_UINT8 && !given) return CLI_EXIT_OK;
    if (t->type == MOTE_INT8 && !given) {
        m->shift = 1;
        return CLI_EXIT_OK;
    }
    if (t->quantization.count != 1 || !(t->quantization.scales[0] > 0))
        return cli_error("%s: input %d ('%s') is %s without one quantization scale: cannot map --image's "
                         "normalized pixels to it", rs->model_path, p->position, p->name, mote_type_name(t->type));
    m->quantize = 1;
    m->scale = t->quantization.scales[0];
    m->zero_point = t->quantization.zero_points[0];
    m->qmin = t->type == MOTE_UINT8 ? 0 : t->type == MOTE_INT8 ? -128 : -32768;
    m->qmax = t->type == MOTE_UINT8 ? 255 : t->type == MOTE_INT8 ? 127 : 32767;
    return CLI_EXIT_OK;
}

/* ---- the image ---- */

static int load_image(const run_image_args *a, image *img) {
    unsigned char *data;
    size_t size;
    char err[512];
    if (cli_read_file(a->path, RUN_IMAGE_MAX_FILE_BYTES, &data, &size, err, sizeof err))
        return cli_error("%s", err);
    int rc = image_decode(data, size, img, err, sizeof err);
    free(data);
    if (rc) return cli_error("%s: %s", a->path, err);
    return CLI_EXIT_OK;
}

static int check_results_args(const run_state *rs, const run_image_args *a) {
    if (a->output_index >= rs->output_count)
        return cli_error("%s: --output-index %lld, the %s has %d output%s", rs->model_path, a->output_index,
                         rs->signature ? "signature" : "model", rs->output_count, rs->output_count == 1 ? "" : "s");
    if (!a->path && (a->input_index >= 0 || a->mean_count || a->std_count || a->raw_bytes || a->no_antialias))
        return cli_error("--input-index, --input-mean, --input-std, --raw-bytes and --no-antialias go with --image");
    if (a->raw_bytes && (a->mean_count || a->std_count))
        return cli_error("--raw-bytes copies the bytes: --input-mean and --input-std do not apply");
    return CLI_EXIT_OK;
}

int run_image_setup(run_state *rs, run_image_args *a) {
    int rc = check_results_args(rs, a);
    if (rc || !a->path) return rc;
    int32_t index = 0;
    if ((rc = pick_input(rs, a, &index))) return rc;
    run_port *p = &rs->inputs[index];
    if (p->data)
        return cli_error("%s: input %d ('%s') is given twice: by --image and by %s", rs->model_path, p->position,
                         p->name, p->source);
    mote_tensor_info t;
    image_layout l;
    mote_tensor_get_info(p->tensor, &t);
    if (layout_of(&t, &l)) {
        char shape[128];
        return cli_error("%s: input %d ('%s') of shape %s is not an image ([N,H,W,C] or [N,C,H,W], C 1 or 3)",
                         rs->model_path, p->position, p->name, cli_format_shape(t.rank, t.dims, shape, sizeof shape));
    }
    pixel_map map;
    if ((rc = make_map(rs, p, &t, a, l.channels, &map))) return rc;

    image img;
    if ((rc = load_image(a, &img))) return rc;
    a->source_width = img.width;
    a->source_height = img.height;
    if (image_convert_channels(&img, l.channels) || image_resize(&img, l.width, l.height, !a->no_antialias)) {
        image_free(&img);
        return cli_error("out of memory resizing %s to %dx%d", a->path, l.width, l.height);
    }
    size_t esize = mote_type_bytes(t.type);
    size_t plane = (size_t)l.height * (size_t)l.width, per_image = plane * (size_t)l.channels;
    if (t.bytes != per_image * (size_t)l.batch * esize) {
        image_free(&img);
        return cli_error("%s: input %d ('%s') has %zu bytes, not the %dx%dx%d image it is shaped for", rs->model_path,
                         p->position, p->name, t.bytes, l.height, l.width, l.channels);
    }
    p->data = malloc(t.bytes ? t.bytes : 1);
    if (!p->data) {
        image_free(&img);
        return cli_error("out of memory for input %d (%zu bytes)", p->position, t.bytes);
    }
    p->size = t.bytes;
    /* Every batch entry gets the same image. */
    for (int32_t n = 0; n < l.batch; n++)
        for (size_t k = 0; k < per_image; k++) {
            size_t pixel = k / (size_t)l.channels;
            int c = (int)(k % (size_t)l.channels);
            size_t at = (size_t)n * per_image + (l.nchw ? (size_t)c * plane + pixel : k);
            store(&map, p->data, at, img.pixels[k], c);
        }
    image_free(&img);
    snprintf(p->source, sizeof p->source, "image %s, %dx%d%s", a->path, a->source_width, a->source_height,
             a->raw_bytes ? ", raw bytes" : "");
    return CLI_EXIT_OK;
}
