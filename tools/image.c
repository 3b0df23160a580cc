/* image.c — decoded images: format sniffing, decoder dispatch, allocation and channel
 * conversion (see image.h). */
#include "image.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

image_format image_sniff(const unsigned char *data, size_t size) {
    static const unsigned char png[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (size >= 2 && data[0] == 'B' && data[1] == 'M') return IMAGE_BMP;
    if (size >= 8 && memcmp(data, png, 8) == 0) return IMAGE_PNG;
    if (size >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff) return IMAGE_JPEG;
    return IMAGE_UNKNOWN;
}

const char *image_format_name(image_format format) {
    switch (format) {
    case IMAGE_BMP: return "BMP";
    case IMAGE_PNG: return "PNG";
    case IMAGE_JPEG: return "JPEG";
    default: return "unknown";
    }
}

int image_decode(const unsigned char *data, size_t size, image *out, char *err, size_t err_size) {
    memset(out, 0, sizeof *out);
    switch (image_sniff(data, size)) {
    case IMAGE_BMP: return image_decode_bmp(data, size, out, err, err_size);
    case IMAGE_PNG: return image_decode_png(data, size, out, err, err_size);
    case IMAGE_JPEG: return image_decode_jpeg(data, size, out, err, err_size);
    default:
        snprintf(err, err_size, "not a BMP, PNG or JPEG image (%zu bytes, unknown signature)", size);
        return -1;
    }
}

int image_alloc(image *out, int64_t width, int64_t height, int32_t channels, char *err, size_t err_size) {
    memset(out, 0, sizeof *out);
    if (width <= 0 || height <= 0) {
        snprintf(err, err_size, "bad image size %lldx%lld", (long long)width, (long long)height);
        return -1;
    }
    if (width > IMAGE_MAX_SIDE || height > IMAGE_MAX_SIDE || (size_t)width * (size_t)height > IMAGE_MAX_PIXELS) {
        snprintf(err, err_size, "image of %lldx%lld pixels is larger than the limit (%d per side, %zu in all)",
                 (long long)width, (long long)height, IMAGE_MAX_SIDE, IMAGE_MAX_PIXELS);
        return -1;
    }
    out->pixels = malloc((size_t)width * (size_t)height * (size_t)channels);
    if (!out->pixels) {
        snprintf(err, err_size, "out of memory for a %lldx%lld image", (long long)width, (long long)height);
        return -1;
    }
    out->width = (int32_t)width;
    out->height = (int32_t)height;
    out->channels = channels;
    return 0;
}

void image_free(image *img) {
    if (!img) return;
    free(img->pixels);
    memset(img, 0, sizeof *img);
}

int image_convert_channels(image *img, int32_t channels) {
    if (img->channels == channels) return 0;
    size_t n = (size_t)img->width * (size_t)img->height;
    unsigned char *dst = malloc(n * (size_t)channels);
    if (!dst) return -1;
    const unsigned char *src = img->pixels;
    if (channels == 1) {
        /* Pillow's L = R*299/1000 + G*587/1000 + B*114/1000, in 16-bit fixed point. */
        for (size_t i = 0; i < n; i++, src += 3)
            dst[i] = (unsigned char)((src[0] * 19595u + src[1] * 38470u + src[2] * 7471u + 0x8000u) >> 16);
    } else {
        for (size_t i = 0; i < n; i++) dst[3 * i] = dst[3 * i + 1] = dst[3 * i + 2] = src[i];
    }
    free(img->pixels);
    img->pixels = dst;
    img->channels = channels;
    return 0;
}
