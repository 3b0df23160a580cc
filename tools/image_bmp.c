/* image_bmp.c — a small, bounds-checked BMP decoder: uncompressed 8-bit (palette), 24-bit
 * and 32-bit (BI_RGB or 8-bit-per-channel BI_BITFIELDS), bottom-up or top-down.
 *
 * The layout, little-endian:
 *   0  "BM"                   14 BITMAPINFOHEADER or later (dib_size >= 40):
 *   2  u32 file size              14 u32 dib_size     18 i32 width   22 i32 height (< 0: top-down)
 *   6  u32 reserved               26 u16 planes (1)   28 u16 bits per pixel
 *  10  u32 offset of the pixels   30 u32 compression (0 BI_RGB, 3 BI_BITFIELDS, 6 with alpha)
 *                                 46 u32 colors used (0: 2^bpp)
 *                                 54 R, G, B masks (in the header when dib_size >= 52, else
 *                                    right after it for BI_BITFIELDS)
 * The palette (B, G, R, 0 per entry) follows the header and masks. Rows are padded to 4
 * bytes and stored bottom-up unless the height is negative; pixels are B, G, R(, X). */
#include <stdio.h>
#include <string.h>

#include "image.h"

enum { BI_RGB = 0, BI_BITFIELDS = 3, BI_ALPHABITFIELDS = 6 };

static uint32_t u16le(const unsigned char *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }
static uint32_t u32le(const unsigned char *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The shift of an 8-bit contiguous mask (0xff << shift), or -1. */
static int mask_shift(uint32_t mask) {
    for (int s = 0; s <= 24; s += 1)
        if (mask == (uint32_t)0xff << s) return s;
    return -1;
}

int image_decode_bmp(const unsigned char *data, size_t size, image *out, char *err, size_t err_size) {
    memset(out, 0, sizeof *out);
    if (size < 14 + 40) {
        snprintf(err, err_size, "BMP: truncated header (%zu bytes, at least 54 needed)", size);
        return -1;
    }
    uint32_t pixel_offset = u32le(data + 10), dib_size = u32le(data + 14);
    if (dib_size < 40) {
        snprintf(err, err_size, "BMP: header of %u bytes is not supported (only BITMAPINFOHEADER (40) and later)",
                 dib_size);
        return -1;
    }
    if (dib_size > size - 14) {
        snprintf(err, err_size, "BMP: header of %u bytes is larger than the file (%zu bytes)", dib_size, size);
        return -1;
    }
    int64_t width = (int32_t)u32le(data + 18), height = (int32_t)u32le(data + 22);
    uint32_t planes = u16le(data + 26), bpp = u16le(data + 28), compression = u32le(data + 30);
    uint32_t colors = u32le(data + 46);
    int top_down = height < 0;
    if (top_down) height = -height;
    if (planes != 1) {
        snprintf(err, err_size, "BMP: %u planes (1 expected)", planes);
        return -1;
    }
    if (bpp != 8 && bpp != 24 && bpp != 32) {
        snprintf(err, err_size, "BMP: %u bits per pixel is not supported (8, 24 and 32 are)", bpp);
        return -1;
    }
    int bitfields = compression == BI_BITFIELDS || compression == BI_ALPHABITFIELDS;
    if (!(compression == BI_RGB || (bitfields && bpp == 32))) {
        snprintf(err, err_size, "BMP: compression %u with %u bits per pixel is not supported (only uncompressed)",
                 compression, bpp);
        return -1;
    }

    /* Channel shifts within a little-endian 32-bit pixel (24-bit pixels read as B, G, R). */
    int shift[3] = {16, 8, 0}; /* R, G, B */
    size_t table = 14 + (size_t)dib_size; /* masks (if outside the header), then the palette */
    if (bitfields) {
        size_t at = 14 + 40;
        if (dib_size < 52) {
            at = table;
            table += compression == BI_ALPHABITFIELDS ? 16 : 12;
        }
        if (table > size) {
            snprintf(err, err_size, "BMP: truncated color masks");
            return -1;
        }
        for (int c = 0; c < 3; c++) {
            uint32_t mask = u32le(data + at + 4 * (size_t)c);
            if ((shift[c] = mask_shift(mask)) < 0) {
                snprintf(err, err_size, "BMP: color mask 0x%08x is not supported (8 contiguous bits per channel are)",
                         mask);
                return -1;
            }
        }
    }

    /* The palette: entries as gray values when they all are gray. */
    unsigned char palette[256][3];
    int gray = 1;
    if (bpp == 8) {
        if (colors == 0) colors = 256;
        if (colors > 256) {
            snprintf(err, err_size, "BMP: %u palette colors (at most 256 with 8 bits per pixel)", colors);
            return -1;
        }
        if (table > size || (size - table) / 4 < colors) {
            snprintf(err, err_size, "BMP: truncated palette (%u colors)", colors);
            return -1;
        }
        for (uint32_t k = 0; k < colors; k++) {
            const unsigned char *e = data + table + 4 * (size_t)k;
            palette[k][0] = e[2];
            palette[k][1] = e[1];
            palette[k][2] = e[0];
            gray &= e[0] == e[1] && e[1] == e[2];
        }
    }

    if (image_alloc(out, width, height, bpp == 8 && gray ? 1 : 3, err, err_size)) {
        char why[256];
        snprintf(why, sizeof why, "%s", err);
        snprintf(err, err_size, "BMP: %s", why);
        return -1;
    }
    /* Sizes are within IMAGE_MAX_*, so none of these products overflow. */
    size_t w = (size_t)width, h = (size_t)height;
    size_t stride = (w * bpp + 31) / 32 * 4;
    if (pixel_offset > size || (size - pixel_offset) / stride < h) {
        snprintf(err, err_size, "BMP: truncated pixel data (%zux%zu at %u bits: %zu bytes from offset %u, the file "
                 "has %zu bytes)", w, h, bpp, stride * h, pixel_offset, size);
        image_free(out);
        return -1;
    }
    for (size_t y = 0; y < h; y++) {
        const unsigned char *src = data + pixel_offset + stride * (top_down ? y : h - 1 - y);
        unsigned char *dst = out->pixels + y * w * (size_t)out->channels;
        for (size_t x = 0; x < w; x++) {
            if (bpp == 8) {
                uint32_t k = src[x];
                if (k >= colors) {
                    snprintf(err, err_size, "BMP: pixel (%zu, %zu) has color %u, the palette has %u", x, y, k,
                             colors);
                    image_free(out);
                    return -1;
                }
                if (gray) {
                    *dst++ = palette[k][0];
                } else {
                    memcpy(dst, palette[k], 3);
                    dst += 3;
                }
            } else {
                uint32_t v = bpp == 24 ? (uint32_t)src[3 * x] | (uint32_t)src[3 * x + 1] << 8 |
                                             (uint32_t)src[3 * x + 2] << 16
                                       : u32le(src + 4 * x);
                for (int c = 0; c < 3; c++) *dst++ = (unsigned char)(v >> shift[c]);
            }
        }
    }
    return 0;
}
