/* image_jpeg.c — JPEG decoding with libjpeg (optional: without it, a message says so). Gray
 * and color (YCbCr, RGB) JPEGs, baseline or progressive; CMYK is refused. A corrupt-data
 * warning (a truncated file, a damaged segment) fails the decode, so that a damaged file is
 * an error, not a gray-filled image. */
#include <stdio.h>
#include <string.h>

#include "image.h"

#ifdef MOTE_HAVE_JPEG
#include <jpeglib.h>
#include <jerror.h>
#include <setjmp.h>

/* Progressive files with thousands of scans take minutes to decode: stop well before. */
#define JPEG_MAX_SCANS 1000

typedef struct jpeg_errors {
    struct jpeg_error_mgr mgr; /* first: libjpeg passes &mgr */
    jmp_buf jump;
    char *err;
    size_t err_size;
    int warnings;
    char first_warning[JMSG_LENGTH_MAX];
} jpeg_errors;

static void on_error_exit(j_common_ptr c) {
    jpeg_errors *e = (jpeg_errors *)c->err;
    char msg[JMSG_LENGTH_MAX];
    c->err->format_message(c, msg);
    snprintf(e->err, e->err_size, "JPEG: %s", msg);
    longjmp(e->jump, 1);
}

/* Level -1 is a warning about corrupt data; higher levels are trace messages. Stray bytes
 * between markers are common in camera files and harmless, so they do not count. */
static void on_message(j_common_ptr c, int level) {
    jpeg_errors *e = (jpeg_errors *)c->err;
    if (level >= 0 || c->err->msg_code == JWRN_EXTRANEOUS_DATA) return;
    if (e->warnings++ == 0) c->err->format_message(c, e->first_warning);
}

static void on_progress(j_common_ptr c) {
    j_decompress_ptr d = (j_decompress_ptr)c;
    if (d->input_scan_number > JPEG_MAX_SCANS) {
        jpeg_errors *e = (jpeg_errors *)c->err;
        snprintf(e->err, e->err_size, "JPEG: more than %d scans", JPEG_MAX_SCANS);
        longjmp(e->jump, 1);
    }
}

int image_have_jpeg(void) { return 1; }

int image_decode_jpeg(const unsigned char *data, size_t size, image *out, char *err, size_t err_size) {
    memset(out, 0, sizeof *out);
    struct jpeg_decompress_struct cinfo;
    struct jpeg_progress_mgr progress;
    jpeg_errors errors;
    memset(&errors, 0, sizeof errors);
    errors.err = err;
    errors.err_size = err_size;
    cinfo.err = jpeg_std_error(&errors.mgr);
    errors.mgr.error_exit = on_error_exit;
    errors.mgr.emit_message = on_message;
    if (setjmp(errors.jump)) {
        jpeg_destroy_decompress(&cinfo);
        image_free(out);
        return -1;
    }
    jpeg_create_decompress(&cinfo);
    progress.progress_monitor = on_progress;
    cinfo.progress = &progress;
    jpeg_mem_src(&cinfo, data, (unsigned long)size);
    jpeg_read_header(&cinfo, TRUE);
    int channels = 3;
    if (cinfo.num_components == 1) {
        cinfo.out_color_space = JCS_GRAYSCALE;
        channels = 1;
    } else if (cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK) {
        snprintf(err, err_size, "JPEG: CMYK images are not supported");
        longjmp(errors.jump, 1);
    } else {
        cinfo.out_color_space = JCS_RGB;
    }
    if (image_alloc(out, cinfo.image_width, cinfo.image_height, channels, err, err_size)) {
        char why[256];
        snprintf(why, sizeof why, "%s", err);
        snprintf(err, err_size, "JPEG: %s", why);
        longjmp(errors.jump, 1);
    }
    jpeg_start_decompress(&cinfo);
    if ((int32_t)cinfo.output_width != out->width || (int32_t)cinfo.output_height != out->height ||
        cinfo.output_components != channels) {
        snprintf(err, err_size, "JPEG: unexpected output layout");
        longjmp(errors.jump, 1);
    }
    size_t stride = (size_t)out->width * (size_t)channels;
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW row = out->pixels + (size_t)cinfo.output_scanline * stride;
        jpeg_read_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    if (errors.warnings) {
        snprintf(err, err_size, "JPEG: corrupt data: %s", errors.first_warning);
        image_free(out);
        return -1;
    }
    return 0;
}

#else

int image_have_jpeg(void) { return 0; }

int image_decode_jpeg(const unsigned char *data, size_t size, image *out, char *err, size_t err_size) {
    (void)data;
    (void)size;
    memset(out, 0, sizeof *out);
    snprintf(err, err_size, "JPEG images need libjpeg, and this mote was built without it "
                            "(install libjpeg's development files and rebuild)");
    return -1;
}

#endif
