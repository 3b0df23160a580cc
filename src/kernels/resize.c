/* resize.c — RESIZE_BILINEAR and RESIZE_NEAREST_NEIGHBOR of [batch, height, width, channels]
 * tensors to the [height, width] of a second input, with align_corners and
 * half_pixel_centers, computed as TensorFlow Lite's reference kernels do: bilinear float32
 * and uint8 in float (uint8 rounds by adding 0.5 and truncating), int8 and int16 in 10-bit
 * fixed point (ResizeBilinearInteger); nearest neighbor copies any 1, 2 or 4-byte type.
 * Float bilinear, the last layer of segmentation models (a few megabytes of output), takes
 * its columns' sampling from a table, splits its rows over the threads and, with optimized
 * kernels on x86, computes a row with AVX-512 or AVX2 (resize_f32_opt.h; deeplabv3's
 * 257x257x21 output: 3.2 -> 0.7 ms on one thread); every value is still the reference
 * formula's, bit for bit. */
#include "core/cpu.h"
#include "kernels/kernel.h"
#include "kernels/resize_f32_opt.h"

enum { IN_INPUT = 0, IN_SIZE = 1 };

/* ResizeBilinearOptions: fields 0 and 1 are the deprecated new_height and new_width. */
#define OPT_BILINEAR_ALIGN_CORNERS 2
#define OPT_BILINEAR_HALF_PIXEL_CENTERS 3
/* ResizeNearestNeighborOptions. */
#define OPT_NEAREST_ALIGN_CORNERS 0
#define OPT_NEAREST_HALF_PIXEL_CENTERS 1

typedef struct resize_data {
    int32_t align_corners;      /* corner pixels of input and output coincide */
    int32_t half_pixel_centers; /* pixels are sampled at their centers (x + 0.5) */
    /* Set in prepare: */
    int32_t batches, in_height, in_width, channels;
    int32_t out_height, out_width;
    float height_scale, width_scale; /* input pixels per output pixel */
    int32_t columns_scratch;         /* bilinear float32: [out_width] bilinear_column */
    resize_bilinear_row_f32_fn row;  /* bilinear float32: an instruction set's rows, or NULL */
} resize_data;

static mote_status resize_init(mote_context *ctx, mote_node *node) {
    resize_data *d = kernel_alloc_data(ctx, node, sizeof *d);
    if (!d) return kernel_fail(ctx, node, MOTE_ERROR_OUT_OF_MEMORY, "out of memory");
    if (node->def->builtin_code == MOTE_OP_RESIZE_BILINEAR) {
        fb_table opt = kernel_options(ctx, node, TFL_OPTIONS_RESIZE_BILINEAR);
        d->align_corners = KOPT_BOOL(ctx, opt, OPT_BILINEAR_ALIGN_CORNERS, 0);
        d->half_pixel_centers = KOPT_BOOL(ctx, opt, OPT_BILINEAR_HALF_PIXEL_CENTERS, 0);
        /* TensorFlow Lite refuses the combination for bilinear (nearest accepts it). */
        if (d->align_corners && d->half_pixel_centers)
            return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                               "align_corners and half_pixel_centers cannot both be set");
    } else {
        fb_table opt = kernel_options(ctx, node, TFL_OPTIONS_RESIZE_NEAREST_NEIGHBOR);
        d->align_corners = KOPT_BOOL(ctx, opt, OPT_NEAREST_ALIGN_CORNERS, 0);
        d->half_pixel_centers = KOPT_BOOL(ctx, opt, OPT_NEAREST_HALF_PIXEL_CENTERS, 0);
    }
    return MOTE_OK;
}

/* The size input's data can be read now: it is in the model, or this node is prepared
 * again right before each eval (its inputs are computed at run time). */
static int size_readable(const mote_node *node, const mote_tensor *size) {
    if (!size->data) return 0;
    return size->storage == STORAGE_CONSTANT || node->reprepare;
}

/* Input pixels per output pixel along one axis. */
static float axis_scale(int align_corners, int32_t in, int32_t out) {
    if (align_corners && out > 1) return (float)(in - 1) / (float)(out - 1);
    return (float)in / (float)out;
}

/* Checks the inputs, reads the target size and sets the output shape; the type switch is
 * left to each op. */
static mote_status resize_prepare_common(mote_context *ctx, mote_node *node, mote_tensor **in_out) {
    resize_data *d = node->data;
    mote_tensor *in, *size, *out;
    mote_status st;
    char desc[160];
    if ((st = kernel_check_counts(ctx, node, 2, 2, 1)) ||
        (st = kernel_require_input(ctx, node, IN_INPUT, &in)) ||
        (st = kernel_require_input(ctx, node, IN_SIZE, &size)) ||
        (st = kernel_require_output(ctx, node, 0, &out)) ||
        (st = kernel_check_rank(ctx, node, in, "input", IN_INPUT, 4)) ||
        (st = kernel_check_type(ctx, node, size, "input", IN_SIZE, MOTE_INT32)) ||
        (st = kernel_check_rank(ctx, node, size, "input", IN_SIZE, 1)) ||
        (st = kernel_check_type(ctx, node, out, "output", 0, in->type)))
        return st;
    if (size->dims[0] != 2)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL,
                           "%s: expected 2 values (height, width), got %d",
                           kernel_describe(size, "input", IN_SIZE, desc, sizeof desc), size->dims[0]);
    if (!size_readable(node, size))
        return kernel_fail(ctx, node, MOTE_ERROR_UNSUPPORTED,
                           "%s: a target size computed while running is not supported yet",
                           kernel_describe(size, "input", IN_SIZE, desc, sizeof desc));
    int32_t hw[2];
    memcpy(hw, size->data, sizeof hw); /* model buffers need not be 4-byte aligned */
    if (hw[0] < 1 || hw[1] < 1)
        return kernel_fail(ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: target size %d x %d is not positive",
                           kernel_describe(size, "input", IN_SIZE, desc, sizeof desc), hw[0], hw[1]);
    /* An empty image has no pixel to sample from. */
    if (in->dims[1] < 1 || in->dims[2] < 1)
        return kernel_fail(
            ctx, node, MOTE_ERROR_INVALID_MODEL, "%s: image is %d x %d, needs at least one pixel",
            kernel_describe(in, "input", IN_INPUT, desc, sizeof desc), in->dims[1], in->dims[2]);
    d->batches = in->dims[0];
    d->in_height = in->dims[1];
    d->in_width = in->dims[2];
    d->channels = in->dims[3];
    d->out_height = hw[0];
    d->out_width = hw[1];
    d->height_scale = axis_scale(d->align_corners, d->in_height, d->out_height);
    d->width_scale = axis_scale(d->align_corners, d->in_width, d->out_width);
    *in_out = in;
    int32_t dims[4] = {d->batches, d->out_height, d->out_width, d->channels};
    return kernel_set_shape(ctx, node, out, 4, dims);
}

/* ---- bilinear ---- */

/* Where output coordinate `value` samples the input along one axis, and the two input
 * coordinates around it. The upper clamp of lo only matters for sizes where float rounding
 * could reach the last pixel; it keeps every read inside the image. */
static void bilinear_source(int32_t value, float scale, int half_pixel_centers, int32_t in_size, float *pos,
                            int32_t *lo, int32_t *hi) {
    float p = half_pixel_centers ? ((float)value + 0.5f) * scale - 0.5f : (float)value * scale;
    int32_t f = (int32_t)floorf(p), c = (int32_t)ceilf(p);
    *pos = p;
    *lo = f < 0 ? 0 : (f > in_size - 1 ? in_size - 1 : f);
    *hi = c > in_size - 1 ? in_size - 1 : (c < 0 ? 0 : c);
}

/* Float32 output rows [first, last) of all images (row r: image r / out_height), the columns'
 * sampling from a table: the products and sums of the reference formula in its order,
 * p00 (1 - dy) (1 - dx) + p10 dy (1 - dx) + p01 (1 - dy) dx + p11 dy dx, so the results are
 * TensorFlow Lite's to the last bit in the common cases. */
typedef struct bilinear_job {
    const resize_data *d;
    const bilinear_column *cols;
    const float *x;
    float *y;
    size_t rows_per_task, rows;
    resize_bilinear_row_f32_fn row; /* an instruction set's rows, or NULL: the loop below */
} bilinear_job;

static void bilinear_rows_f32(void *arg, int32_t task, int32_t thread) {
    (void)thread;
    const bilinear_job *j = arg;
    const resize_data *d = j->d;
    const size_t c_n = (size_t)d->channels;
    const size_t row = (size_t)d->in_width * c_n, image = (size_t)d->in_height * row;
    const size_t first = (size_t)task * j->rows_per_task;
    const size_t last = first + j->rows_per_task < j->rows ? first + j->rows_per_task : j->rows;
    for (size_t r = first; r < last; r++) {
        const size_t b = r / (size_t)d->out_height;
        const int32_t oy = (int32_t)(r % (size_t)d->out_height);
        float py;
        int32_t y0, y1;
        bilinear_source(oy, d->height_scale, d->half_pixel_centers, d->in_height, &py, &y0, &y1);
        const float dy = py - (float)y0, wy0 = 1 - dy;
        const float *top = j->x + b * image + (size_t)y0 * row, *bottom = j->x + b * image + (size_t)y1 * row;
        float *out = j->y + r * (size_t)d->out_width * c_n;
        if (j->row) {
            j->row(top, bottom, j->cols, (size_t)d->out_width, c_n, wy0, dy, out);
            continue;
        }
        for (int32_t ox = 0; ox < d->out_width; ox++) {
            const bilinear_column *col = &j->cols[ox];
            const float *restrict p00 = top + col->at0, *restrict p10 = bottom + col->at0;
            const float *restrict p01 = top + col->at1, *restrict p11 = bottom + col->at1;
            float *restrict o = out;
            const float wx0 = col->w0, wx1 = col->w1;
            size_t c = 0;
            /* Blocks of 8 channels the compiler turns into vector code. */
            for (; c + 8 <= c_n; c += 8)
                for (size_t k = c; k < c + 8; k++)
                    o[k] = p00[k] * wy0 * wx0 + p10[k] * dy * wx0 + p01[k] * wy0 * wx1 + p11[k] * dy * wx1;
            for (; c < c_n; c++)
                o[c] = p00[c] * wy0 * wx0 + p10[c] * dy * wx0 + p01[c] * wy0 * wx1 + p11[c] * dy * wx1;
            out += c_n;
        }
    }
}

static void resize_bilinear_f32(mote_context *ctx, const resize_data *d, bilinear_column *cols, const float *x,
                                float *y) {
    const size_t c_n = (size_t)d->channels;
    for (int32_t ox = 0; ox < d->out_width; ox++) {
        float px;
        int32_t x0, x1;
        bilinear_source(ox, d->width_scale, d->half_pixel_centers, d->in_width, &px, &x0, &x1);
        const float dx = px - (float)x0;
        cols[ox] = (bilinear_column){(size_t)x0 * c_n, (size_t)x1 * c_n, 1 - dx, dx};
    }
    bilinear_job j = {d, cols, x, y, 0, (size_t)d->batches * (size_t)d->out_height, d->row};
    /* Rows in a few tasks per thread (the work of a row is the same everywhere). */
    const size_t threads = (size_t)kernel_threads(ctx), tasks = threads > 1 ? threads * 4 : 1;
    j.rows_per_task = (j.rows + tasks - 1) / tasks;
    if (j.rows_per_task == 0) return;
    kernel_parallel_for(ctx, (int32_t)((j.rows + j.rows_per_task - 1) / j.rows_per_task), bilinear_rows_f32, &j);
}

/* uint8 through the float formula of the generic reference kernel, + 0.5 then truncated. */
static void resize_bilinear_u8(const resize_data *d, const uint8_t *x, uint8_t *y) {
    const size_t c_n = (size_t)d->channels;
    const size_t row = (size_t)d->in_width * c_n, image = (size_t)d->in_height * row;
    for (int32_t b = 0; b < d->batches; b++) {
        const uint8_t *img = x + (size_t)b * image;
        for (int32_t oy = 0; oy < d->out_height; oy++) {
            float py;
            int32_t y0, y1;
            bilinear_source(oy, d->height_scale, d->half_pixel_centers, d->in_height, &py, &y0, &y1);
            const float dy = py - (float)y0;
            for (int32_t ox = 0; ox < d->out_width; ox++) {
                float px;
                int32_t x0, x1;
                bilinear_source(ox, d->width_scale, d->half_pixel_centers, d->in_width, &px, &x0, &x1);
                const float dx = px - (float)x0;
                const uint8_t *p00 = img + (size_t)y0 * row + (size_t)x0 * c_n;
                const uint8_t *p10 = img + (size_t)y1 * row + (size_t)x0 * c_n;
                const uint8_t *p01 = img + (size_t)y0 * row + (size_t)x1 * c_n;
                const uint8_t *p11 = img + (size_t)y1 * row + (size_t)x1 * c_n;
                for (size_t c = 0; c < c_n; c++) {
                    float v = (float)p00[c] * (1 - dy) * (1 - dx) + (float)p10[c] * dy * (1 - dx) +
                              (float)p01[c] * (1 - dy) * dx + (float)p11[c] * dy * dx + 0.5f;
                    *y++ = (uint8_t)(v < 0.0f ? 0.0f : v > 255.0f ? 255.0f : v);
                }
            }
        }
    }
}

/* Input pixels per output pixel in 1/1024ths, rounded to nearest. */
static int32_t axis_scale_10(int align_corners, int32_t in, int32_t out) {
    if (align_corners && out > 1) return (int32_t)(((int64_t)1024 * (in - 1) + (out - 1) / 2) / (out - 1));
    return (int32_t)(((int64_t)1024 * in + out / 2) / out);
}

/* ComputeInterpolationValuesInteger: the sample position in 1/1024ths and the pixels around
 * it (divisions truncate toward zero, as in C++). The lower one is also kept inside the
 * image, where rounding could otherwise put it past the last pixel. */
static void bilinear_source_10(int32_t value, int32_t scale_10, int half_pixel_centers, int32_t in_size,
                               int64_t *pos, int32_t *lo, int32_t *hi) {
    int64_t p = (int64_t)value * scale_10;
    if (half_pixel_centers) p += scale_10 / 2 - (1 << 9);
    int64_t l = p / 1024, h = (p + 1023) / 1024;
    *pos = p;
    *lo = (int32_t)(l < 0 ? 0 : l > in_size - 1 ? in_size - 1 : l);
    *hi = (int32_t)(h > in_size - 1 ? in_size - 1 : h < 0 ? 0 : h);
}

#define DEFINE_RESIZE_BILINEAR_INT(name, T)                                                             \
    static void name(const resize_data *d, const T *x, T *y) {                                          \
        const size_t c_n = (size_t)d->channels;                                                         \
        const size_t row = (size_t)d->in_width * c_n, image = (size_t)d->in_height * row;               \
        const int32_t hs = axis_scale_10(d->align_corners, d->in_height, d->out_height);                \
        const int32_t ws = axis_scale_10(d->align_corners, d->in_width, d->out_width);                  \
        for (int32_t b = 0; b < d->batches; b++) {                                                      \
            const T *img = x + (size_t)b * image;                                                       \
            for (int32_t oy = 0; oy < d->out_height; oy++) {                                            \
                int64_t py;                                                                             \
                int32_t y0, y1;                                                                         \
                bilinear_source_10(oy, hs, d->half_pixel_centers, d->in_height, &py, &y0, &y1);         \
                const int64_t wy1 = py - 1024 * (int64_t)y0, wy0 = 1024 - wy1;                          \
                for (int32_t ox = 0; ox < d->out_width; ox++) {                                         \
                    int64_t px;                                                                         \
                    int32_t x0, x1;                                                                     \
                    bilinear_source_10(ox, ws, d->half_pixel_centers, d->in_width, &px, &x0, &x1);      \
                    const int64_t wx1 = px - 1024 * (int64_t)x0, wx0 = 1024 - wx1;                      \
                    const T *p00 = img + (size_t)y0 * row + (size_t)x0 * c_n;                           \
                    const T *p10 = img + (size_t)y1 * row + (size_t)x0 * c_n;                           \
                    const T *p01 = img + (size_t)y0 * row + (size_t)x1 * c_n;                           \
                    const T *p11 = img + (size_t)y1 * row + (size_t)x1 * c_n;                           \
                    for (size_t c = 0; c < c_n; c++) {                                                  \
                        int64_t v = p00[c] * wy0 * wx0 + p10[c] * wy1 * wx0 + p01[c] * wy0 * wx1 +      \
                                    p11[c] * wy1 * wx1;                                                 \
                        /* Rounded to nearest, halves away from zero, as a truncating division. */       \
                        v = (v + (v > 0 ? (1 << 19) : -(1 << 19))) / (1 << 20);                        \
                        *y++ = (T)v;                                                                    \
                    }                                                                                   \
                }                                                                                       \
            }                                                                                           \
        }                                                                                               \
    }

DEFINE_RESIZE_BILINEAR_INT(resize_bilinear_i8, int8_t)
DEFINE_RESIZE_BILINEAR_INT(resize_bilinear_i16, int16_t)

static mote_status bilinear_prepare(mote_context *ctx, mote_node *node) {
    mote_tensor *in;
    mote_status st = resize_prepare_common(ctx, node, &in);
    if (st) return st;
    /* The output keeps the input's quantization, as in TensorFlow Lite (values are not
     * rescaled). */
    switch (in->type) {
    case MOTE_FLOAT32: { /* the columns' sampling, once per eval */
        resize_data *d = node->data;
        d->row = NULL;
#if defined(__x86_64__)
        if (kernel_use_optimized(ctx)) {
            const uint32_t features = cpu_features();
            d->row = features & CPU_X86_AVX512 ? resize_bilinear_row_f32__avx512
                     : features & CPU_X86_AVX2 ? resize_bilinear_row_f32__avx2
                                               : NULL;
        }
#endif
        return mote_node_request_scratch(ctx, node, (size_t)d->out_width * sizeof(bilinear_column),
                                         &d->columns_scratch);
    }
    case MOTE_UINT8:
    case MOTE_INT8:
    case MOTE_INT16: return MOTE_OK;
    default: return kernel_unsupported_type(ctx, node, in, "input", IN_INPUT);
    }
}

static mote_status bilinear_eval(mote_context *ctx, mote_node *node) {
    const resize_data *d = node->data;
    const mote_tensor *in = kernel_input(ctx, node, IN_INPUT);
    mote_tensor *out = kernel_output(ctx, node, 0);
    if (out->bytes == 0) return MOTE_OK; /* nothing to write, and no pointer to offset */
    switch (in->type) {
    case MOTE_FLOAT32: {
        void *cols;
        mote_status st = mote_node_scratch(ctx, node, d->columns_scratch, &cols);
        if (st) return kernel_fail(ctx, node, st, "scratch buffer missing");
        resize_bilinear_f32(ctx, d, cols, KERNEL_DATA(in, const float), KERNEL_DATA(out, float));
        break;
    }
    case MOTE_UINT8: resize_bilinear_u8(d, KERNEL_DATA(in, const uint8_t), KERNEL_DATA(out, uint8_t)); break;
    case MOTE_INT8: resize_bilinear_i8(d, KERNEL_DATA(in, const int8_t), KERNEL_DATA(out, int8_t)); break;
    case MOTE_INT16: resize_bilinear_i16(d, KERNEL_DATA(in, const int16_t), KERNEL_DATA(out, int16_t)); break;
    default: return kernel_unsupported_type(ctx, node, in, "input", IN_INPUT);
    }
    return MOTE_OK;
}

/* ---- nearest neighbor ---- */

/* The input coordinate output coordinate `value` copies from along one axis. */
static int32_t nearest_source(int32_t value, float scale, int align_corners, int half_pixel_centers,
                              int32_t in_size) {
    const float p = ((float)value + (half_pixel_centers ? 0.5f : 0.0f)) * scale;
    int32_t s = (int32_t)(align_corners ? roundf(p) : floorf(p));
    if (s > in_size - 1) s = in_size - 1;
    return s < 0 ? 0 : s;
}

/* Copies whole pixels (all channels), so one routine serves every element type. */
static void resize_nearest_bytes(const resize_data *d, size_t elem_bytes, const uint8_t *x, uint8_t *y) {
    const size_t pixel = (size_t)d->channels * elem_bytes;
    const size_t row = (size_t)d->in_width * pixel, image = (size_t)d->in_height * row;
    for (int32_t b = 0; b < d->batches; b++) {
        const uint8_t *img = x + (size_t)b * image;
        for (int32_t oy = 0; oy < d->out_height; oy++) {
            const int32_t sy = nearest_source(oy, d->height_scale, d->align_corners, d->half_pixel_centers,
                                              d->in_height);
            for (int32_t ox = 0; ox < d->out_width; ox++) {
                const int32_t sx = nearest_source(ox, d->width_scale, d->align_corners,
                                                  d->half_pixel_centers, d->in_width);
                memcpy(y, img + (size_t)sy * row + (size_t)sx * pixel, pixel);
                y += pixel;
            }
        }
    }
}

static mote_status nearest_prepare(mote_context *ctx, mote_node *node) {
    mote_tensor *in;
    mote_status st = resize_prepare_common(ctx, node, &in);
    if (st) return st;
    /* A copy: quantized types keep their parameters, as in TensorFlow Lite. */
    switch (in->type) {
    case MOTE_FLOAT32:
    case MOTE_INT8:
    case MOTE_UINT8:
    case MOTE_INT16: return MOTE_OK;
    default: return kernel_unsupported_type(ctx, node, in, "input", IN_INPUT);
    }
}

static mote_status nearest_eval(mote_context *ctx, mote_node *node) {
    const resize_data *d = node->data;
    const mote_tensor *in = kernel_input(ctx, node, IN_INPUT);
    mote_tensor *out = kernel_output(ctx, node, 0);
    if (out->bytes == 0) return MOTE_OK; /* nothing to write, and no pointer to offset */
    resize_nearest_bytes(d, mote_type_bytes(in->type), in->data, out->data);
    return MOTE_OK;
}

const mote_op mote_op_resize_bilinear = {NULL, MOTE_OP_RESIZE_BILINEAR, resize_init, bilinear_prepare, NULL,
                                         bilinear_eval, NULL};
const mote_op mote_op_resize_nearest_neighbor = {NULL, MOTE_OP_RESIZE_NEAREST_NEIGHBOR, resize_init,
                                                 nearest_prepare, NULL, nearest_eval, NULL};
