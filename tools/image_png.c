/* image_png.c — PNG decoding with libpng (optional: without it, a message says so). Any bit
 * depth, palette, gray or color; 16-bit channels are cut to 8, alpha is dropped. */
#include <stdio.h>
#include <string.h>

#include "image.h"

#ifdef MOTE_HAVE_PNG
#include <png.h>

/* The file in memory and where its errors go; libpng reaches it from its callbacks. */
typedef struct png_source {
    const unsigned char *data;
    size_t size, at;
    char *err;
    size_t err_size;
} png_source;

static void on_error(png_structp png, png_const_charp msg) {
    png_source *s = png_get_error_ptr(png);
    snprintf(s->err, s->err_size, "PNG: %s", msg);
    png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp msg) {
    (void)png;
    (void)msg;
}

static void on_read(png_structp png, png_bytep dst, size_t n) {
    png_source *s = png_get_io_ptr(png);
    if (n > s->size - s->at) png_error(png, "truncated file");
    memcpy(dst, s->data + s->at, n);
    s->at += n;
}

int image_have_png(void) { return 1; }

int image_decode_png(const unsigned char *data, size_t size, image *out, char *err, size_t err_size) {
    memset(out, 0, sizeof *out);
    png_source src = {data, size, 0, err, err_size};
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &src, on_error, on_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!info) {
        png_destroy_read_struct(&png, NULL, NULL);
        snprintf(err, err_size, "PNG: out of memory");
        return -1;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_read_struct(&png, &info, NULL);
        image_free(out);
        return -1;
    }
    png_set_read_fn(png, &src, on_read);
    png_set_user_limits(png, IMAGE_MAX_SIDE, IMAGE_MAX_SIDE);
    png_set_chunk_malloc_max(png, (png_alloc_size_t)64 << 20);
    png_read_info(png, info);
    int color = png_get_color_type(png, info);
    png_set_strip_16(png);
    png_set_packing(png);
    if (color == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (color == PNG_COLOR_TYPE_GRAY) png_set_expand_gray_1_2_4_to_8(png);
    png_set_strip_alpha(png);
    int passes = png_set_interlace_handling(png);
    png_read_update_info(png, info);
    int channels = png_get_channels(png, info);
    if ((channels != 1 && channels != 3) || png_get_rowbytes(png, info) != png_get_image_width(png, info) * (size_t)channels)
        png_error(png, "unexpected pixel layout after conversion");
    if (image_alloc(out, png_get_image_width(png, info), png_get_image_height(png, info), channels, err, err_size)) {
        char why[256];
        snprintf(why, sizeof why, "%s", err);
        png_error(png, why);
    }
    size_t stride = (size_t)out->width * (size_t)channels;
    for (int pass = 0; pass < passes; pass++)
        for (int32_t y = 0; y < out->height; y++) png_read_row(png, out->pixels + (size_t)y * stride, NULL);
    png_read_end(png, NULL);
    png_destroy_read_struct(&png, &info, NULL);
    return 0;
}

#else

int image_have_png(void) { return 0; }

int image_decode_png(const unsigned char *data, size_t size, image *out, char *err, size_t err_size) {
    (void)data;
    (void)size;
    memset(out, 0, sizeof *out);
    snprintf(err, err_size, "PNG images need libpng, and this mote was built without it "
                            "(install libpng's development files and rebuild)");
    return -1;
}

#endif
