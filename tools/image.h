/* image.h — decoded 8-bit images for `mote run --image`: BMP (our own parser), PNG (libpng)
 * and JPEG (libjpeg), channel conversion and resizing. Images are untrusted input: every
 * decoder checks its bounds and fails with a message, never a crash. */
#ifndef MOTE_TOOLS_IMAGE_H
#define MOTE_TOOLS_IMAGE_H

#include <stddef.h>
#include <stdint.h>

/* Largest image accepted: a side, and all pixels (64 Mi pixels is 192 MiB as RGB). */
#define IMAGE_MAX_SIDE 65535
#define IMAGE_MAX_PIXELS ((size_t)1 << 26)

/* A decoded image: rows top-down, channels interleaved (gray, or R G B). */
typedef struct image {
    int32_t width, height;
    int32_t channels;        /* 1 (gray) or 3 (RGB) */
    unsigned char *pixels;   /* [height, width, channels], malloc'ed */
} image;

typedef enum image_format { IMAGE_UNKNOWN = 0, IMAGE_BMP, IMAGE_PNG, IMAGE_JPEG } image_format;

/* The format from the first bytes (magic numbers), or IMAGE_UNKNOWN. */
image_format image_sniff(const unsigned char *data, size_t size);
const char *image_format_name(image_format format);

/* Decodes a file held in memory. Each returns 0, or -1 with a message in err (the caller
 * prefixes the file name). PNG and JPEG fail with a message naming the missing library
 * when the tool was built without it. Alpha is dropped; palettes are expanded (to gray
 * when every entry is gray). */
int image_decode(const unsigned char *data, size_t size, image *out, char *err, size_t err_size);
int image_decode_bmp(const unsigned char *data, size_t size, image *out, char *err, size_t err_size);
int image_decode_png(const unsigned char *data, size_t size, image *out, char *err, size_t err_size);
int image_decode_jpeg(const unsigned char *data, size_t size, image *out, char *err, size_t err_size);

/* Whether this build can decode PNG / JPEG. */
int image_have_png(void);
int image_have_jpeg(void);

/* Checks width and height against the limits and allocates [height, width, channels] into
 * out->pixels. Returns 0, or -1 with a message. For the decoders. */
int image_alloc(image *out, int64_t width, int64_t height, int32_t channels, char *err, size_t err_size);
void image_free(image *img);

/* Converts to 1 or 3 channels in place: RGB to gray with ITU-R 601-2 luma (as Pillow's
 * convert("L")), gray to RGB by copying. Returns 0, or -1 when out of memory. */
int image_convert_channels(image *img, int32_t channels);

/* Resizes to width x height with a triangle (bilinear) filter on pixel centers. With
 * antialias, the filter widens by the shrink factor so that every source pixel counts (as
 * Pillow's Image.resize(size, BILINEAR), which this reproduces bit for bit); without, it
 * samples the 2x2 neighbourhood (plain bilinear, half-pixel centers). Returns 0, or -1 when
 * out of memory or the size is out of range. */
int image_resize(image *img, int32_t width, int32_t height, int antialias);

#endif /* MOTE_TOOLS_IMAGE_H */
