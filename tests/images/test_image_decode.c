/* test_image_decode.c — the `mote run --image` decoders (tools/image*.c): BMP layouts built
 * here, channel conversion, the resize against Pillow's numbers, and every truncation and
 * thousands of byte corruptions of synthetic and shared images (a clean error or a valid
 * image, never an out-of-bounds access: run it under the sanitizers). */
#include <stdint.h>

#include "image.h"
#include "test.h"

/* ---- a BMP writer for the tests ---- */

static void put16(unsigned char *p, uint32_t v) {
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}
static void put32(unsigned char *p, uint32_t v) {
    put16(p, v);
    put16(p + 2, v >> 16);
}

/* A width x height BMP of pixel(x, y) as 0xRRGGBB. bpp 8 (palette of `colors` entries,
 * pixel = index), 24 or 32; dib 40 or 108 (32-bit: bitfields R G B = bytes 0, 1, 2). */
static size_t make_bmp(unsigned char *buf, int width, int height, int bpp, int dib, int top_down,
                       const uint32_t *palette, int colors, uint32_t (*pixel)(int, int)) {
    size_t stride = ((size_t)width * (size_t)bpp + 31) / 32 * 4;
    size_t table = bpp == 8 ? 4 * (size_t)colors : 0;
    size_t offset = 14 + (size_t)dib + table, size = offset + stride * (size_t)height;
    memset(buf, 0, size);
    buf[0] = 'B';
    buf[1] = 'M';
    put32(buf + 2, (uint32_t)size);
    put32(buf + 10, (uint32_t)offset);
    put32(buf + 14, (uint32_t)dib);
    put32(buf + 18, (uint32_t)width);
    put32(buf + 22, (uint32_t)(top_down ? -height : height));
    put16(buf + 26, 1);
    put16(buf + 28, (uint32_t)bpp);
    int bitfields = bpp == 32 && dib >= 52;
    put32(buf + 30, bitfields ? 3 : 0);
    put32(buf + 46, bpp == 8 ? (uint32_t)colors : 0);
    if (bitfields) {
        put32(buf + 54, 0x000000ffu); /* R in the first byte: R G B X */
        put32(buf + 58, 0x0000ff00u);
        put32(buf + 62, 0x00ff0000u);
    }
    for (int k = 0; k < colors && bpp == 8; k++) put32(buf + 14 + dib + 4 * k, palette[k]); /* B G R 0 */
    for (int y = 0; y < height; y++) {
        unsigned char *row = buf + offset + stride * (size_t)(top_down ? y : height - 1 - y);
        for (int x = 0; x < width; x++) {
            uint32_t v = pixel(x, y), r = v >> 16 & 255, g = v >> 8 & 255, b = v & 255;
            if (bpp == 8) {
                row[x] = (unsigned char)v;
            } else if (bpp == 24) {
                row[3 * x] = (unsigned char)b;
                row[3 * x + 1] = (unsigned char)g;
                row[3 * x + 2] = (unsigned char)r;
            } else {
                put32(row + 4 * x, bitfields ? r | g << 8 | b << 16 : b | g << 8 | r << 16);
            }
        }
    }
    return size;
}

static uint32_t color_at(int x, int y) {
    return (uint32_t)(x * 40 + 1) << 16 | (uint32_t)(y * 50 + 2) << 8 | (uint32_t)(x + y + 3);
}
static uint32_t index_at(int x, int y) { return (uint32_t)(x + 3 * y) % 4; }

static void check_rgb(const image *img, int width, int height) {
    CHECK_EQ_INT(img->width, width);
    CHECK_EQ_INT(img->height, height);
    CHECK_EQ_INT(img->channels, 3);
    for (int y = 0; y < height && img->pixels; y++)
        for (int x = 0; x < width; x++) {
            uint32_t v = color_at(x, y);
            const unsigned char *p = img->pixels + 3 * ((size_t)y * (size_t)width + (size_t)x);
            CHECK_EQ_INT(p[0], v >> 16 & 255);
            CHECK_EQ_INT(p[1], v >> 8 & 255);
            CHECK_EQ_INT(p[2], v & 255);
        }
}

/* Every shorter prefix must fail with a message; an image of the full file must decode. */
static void check_truncations(const unsigned char *data, size_t size, size_t step) {
    for (size_t n = 0; n < size; n += step) {
        image img;
        char err[256] = "";
        int rc = image_decode(data, n, &img, err, sizeof err);
        if (rc == 0) {
            fprintf(stderr, "a %zu-byte prefix of a %zu-byte image decoded\n", n, size);
            image_free(&img);
        }
        CHECK(rc == -1 && err[0]);
    }
}

static void test_bmp_layouts(void) {
    static unsigned char buf[4096];
    for (int bpp = 24; bpp <= 32; bpp += 8)
        for (int dib = 40; dib <= 108; dib += 68)
            for (int top_down = 0; top_down < 2; top_down++) {
                size_t n = make_bmp(buf, 5, 3, bpp, dib, top_down, NULL, 0, color_at);
                image img;
                char err[256] = "";
                CHECK_OK(image_decode(buf, n, &img, err, sizeof err));
                if (err[0]) fprintf(stderr, "%s\n", err);
                check_rgb(&img, 5, 3);
                image_free(&img);
                check_truncations(buf, n, 1);
            }
}

static void test_bmp_palette(void) {
    static unsigned char buf[4096];
    const uint32_t gray[4] = {0x000000, 0x404040, 0x808080, 0xffffff};
    const uint32_t color[4] = {0x000000, 0xff0000, 0x00ff00, 0x0000ff};
    image img;
    char err[256] = "";
    size_t n = make_bmp(buf, 7, 2, 8, 40, 0, gray, 4, index_at);
    CHECK_OK(image_decode(buf, n, &img, err, sizeof err));
    CHECK_EQ_INT(img.channels, 1);
    for (int y = 0; y < 2; y++)
        for (int x = 0; x < 7; x++) CHECK_EQ_INT(img.pixels[y * 7 + x], gray[index_at(x, y)] & 255);
    image_free(&img);
    check_truncations(buf, n, 1);

    n = make_bmp(buf, 7, 2, 8, 40, 1, color, 4, index_at);
    CHECK_OK(image_decode(buf, n, &img, err, sizeof err));
    CHECK_EQ_INT(img.channels, 3);
    for (int y = 0; y < 2; y++)
        for (int x = 0; x < 7; x++) {
            uint32_t v = color[index_at(x, y)];
            CHECK_EQ_INT(img.pixels[3 * (y * 7 + x)], v >> 16 & 255);
            CHECK_EQ_INT(img.pixels[3 * (y * 7 + x) + 2], v & 255);
        }
    image_free(&img);

    /* An index beyond the palette. */
    n = make_bmp(buf, 7, 2, 8, 40, 0, gray, 3, index_at);
    CHECK(image_decode(buf, n, &img, err, sizeof err) == -1 && strstr(err, "palette"));
}

static void test_convert(void) {
    unsigned char px[6] = {255, 0, 0, 10, 200, 30};
    image img = {2, 1, 3, malloc(6)};
    memcpy(img.pixels, px, 6);
    CHECK_OK(image_convert_channels(&img, 1));
    CHECK_EQ_INT(img.channels, 1);
    CHECK_EQ_INT(img.pixels[0], 76);  /* Pillow: (255 * 19595 + 32768) >> 16 */
    CHECK_EQ_INT(img.pixels[1], 124); /* (10*19595 + 200*38470 + 30*7471 + 32768) >> 16 */
    CHECK_OK(image_convert_channels(&img, 3));
    CHECK_EQ_INT(img.pixels[3], 124);
    CHECK_EQ_INT(img.pixels[5], 124);
    image_free(&img);
}

/* Pillow 9.4's Image.resize(size, BILINEAR) of a 5x3 gray image (x * 37 + y * 71) % 256. */
static void test_resize_matches_pillow(void) {
    static const struct { int w, h; unsigned char want[35]; } cases[] = {
        {3, 2, {43, 101, 159, 131, 189, 156}},
        {7, 5, {0, 21, 48, 74, 100, 127, 148, 28, 49, 76, 102, 128, 155, 176, 71, 92, 119, 145,
                171, 198, 219, 114, 135, 162, 188, 214, 175, 108, 142, 163, 190, 216, 242, 159, 34}},
        {2, 6, {37, 111, 55, 129, 90, 164, 126, 180, 161, 175, 179, 172}},
        {5, 3, {0, 37, 74, 111, 148, 71, 108, 145, 182, 219, 142, 179, 216, 253, 34}},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        image img = {5, 3, 1, malloc(15)};
        for (int y = 0; y < 3; y++)
            for (int x = 0; x < 5; x++) img.pixels[y * 5 + x] = (unsigned char)((x * 37 + y * 71) % 256);
        CHECK_OK(image_resize(&img, cases[c].w, cases[c].h, 1));
        for (int i = 0; i < cases[c].w * cases[c].h; i++) CHECK_EQ_INT(img.pixels[i], cases[c].want[i]);
        image_free(&img);
    }
    /* A flat image stays flat at any size, either filter. */
    for (int aa = 0; aa < 2; aa++) {
        image img = {13, 9, 3, malloc(13 * 9 * 3)};
        memset(img.pixels, 77, 13 * 9 * 3);
        CHECK_OK(image_resize(&img, 4, 20, aa));
        for (int i = 0; i < 4 * 20 * 3; i++) CHECK_EQ_INT(img.pixels[i], 77);
        image_free(&img);
    }
    image img = {2, 2, 1, malloc(4)};
    CHECK(image_resize(&img, 0, 3, 1) == -1);
    CHECK(image_resize(&img, IMAGE_MAX_SIDE + 1, 1, 1) == -1);
    image_free(&img);
}

/* ---- shared images: truncations and corruptions ---- */

static uint64_t rng_state = 20240611;
static uint32_t next_rand(void) {
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(rng_state >> 33);
}

static int read_file(const char *path, unsigned char **data, size_t *size) {
    *data = NULL;
    *size = 0;
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    *data = malloc(n > 0 ? (size_t)n : 1);
    *size = *data && n > 0 ? fread(*data, 1, (size_t)n, f) : 0;
    fclose(f);
    return *data && (long)*size == n ? 0 : -1;
}

static void test_shared_images_damaged(void) {
    const char *dir = test_shared_dir();
    static const char *const names[] = {"person.bmp", "cat.bmp", "burger-224.png", "segmentation_golden_rotation0.png",
                                        "segmentation_input_rotation0.jpg", "cats_and_dogs.jpg"};
    int tried = 0;
    for (size_t k = 0; dir && k < sizeof names / sizeof names[0]; k++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/models/data/%s", dir, names[k]);
        unsigned char *data;
        size_t size;
        if (read_file(path, &data, &size)) {
            free(data);
            continue;
        }
        image img;
        char err[256] = "";
        image_format format = image_sniff(data, size);
        int available = format == IMAGE_BMP || (format == IMAGE_PNG && image_have_png()) ||
                        (format == IMAGE_JPEG && image_have_jpeg());
        if (!available) {
            CHECK(image_decode(data, size, &img, err, sizeof err) == -1 && strstr(err, "built without"));
            free(data);
            continue;
        }
        tried++;
        CHECK_OK(image_decode(data, size, &img, err, sizeof err));
        if (err[0]) fprintf(stderr, "%s: %s\n", names[k], err);
        image_free(&img);
        check_truncations(data, size, size / 200 + 1);
        unsigned char *copy = malloc(size);
        for (int round = 0; round < 300; round++) {
            memcpy(copy, data, size);
            size_t head = size < 2048 ? size : 2048;
            for (int e = 0; e < 1 + round % 4; e++) {
                size_t at = round % 2 ? next_rand() % head : next_rand() % size;
                copy[at] = (unsigned char)(round % 3 ? next_rand() : copy[at] ^ (1u << (next_rand() % 8)));
            }
            err[0] = 0;
            if (image_decode(copy, size, &img, err, sizeof err) == 0) {
                CHECK(img.width > 0 && img.height > 0 && (img.channels == 1 || img.channels == 3));
                image_free(&img);
            } else {
                CHECK(err[0]);
            }
        }
        free(copy);
        free(data);
    }
    fprintf(stderr, "damaged copies of %d shared images decoded%s\n", tried, dir ? "" : " (no shared assets)");
}

TEST_MAIN(test_bmp_layouts, test_bmp_palette, test_convert, test_resize_matches_pillow, test_shared_images_damaged)
