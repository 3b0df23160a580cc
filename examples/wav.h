/* wav.h — a small WAV reader for the examples (header-only): 16-bit PCM, any channel count
 * and sample rate. Every field is checked against the file's size, so a truncated or
 * malformed file gives a message, never a read outside the buffer.
 *
 *   wav_audio a;
 *   char err[256];
 *   if (wav_read_file("yes.wav", &a, err, sizeof err)) { fprintf(stderr, "yes.wav: %s\n", err); ... }
 *   ... a.samples[frame * a.channels + channel] ...
 *   wav_free(&a);
 *
 * RIFF layout: "RIFF" size "WAVE", then chunks of [4-byte id][4-byte little-endian size]
 * [data, padded to an even size]. "fmt " holds the format (tag 1 = PCM, or 0xFFFE =
 * extensible with a PCM sub-format), "data" the interleaved samples. Other chunks
 * (LIST, fact, ...) are skipped. */
#ifndef MOTE_EXAMPLES_WAV_H
#define MOTE_EXAMPLES_WAV_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WAV_MAX_BYTES ((size_t)1 << 30) /* refuse larger files: surely not a clip */

typedef struct wav_audio {
    int16_t *samples;     /* [frames * channels], interleaved; malloc'ed */
    size_t frames;        /* samples per channel */
    uint32_t sample_rate; /* Hz */
    uint16_t channels;
} wav_audio;

static uint32_t wav_u32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint16_t wav_u16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

/* Parses a whole file held in memory. Returns 0, or -1 with a message in err. */
static int wav_parse(const uint8_t *data, size_t size, wav_audio *out, char *err, size_t err_size) {
    memset(out, 0, sizeof *out);
    if (size < 12 || memcmp(data, "RIFF", 4) != 0 || memcmp(data + 8, "WAVE", 4) != 0) {
        snprintf(err, err_size, "not a RIFF/WAVE file");
        return -1;
    }
    const uint8_t *fmt = NULL, *pcm = NULL;
    size_t pcm_bytes = 0;
    for (size_t pos = 12; pos + 8 <= size;) {
        const uint8_t *id = data + pos;
        const size_t chunk = wav_u32(data + pos + 4);
        pos += 8;
        if (chunk > size - pos) {
            snprintf(err, err_size, "chunk '%.4s' (%zu bytes) runs past the end of the file", (const char *)id, chunk);
            return -1;
        }
        if (memcmp(id, "fmt ", 4) == 0) {
            if (chunk < 16) {
                snprintf(err, err_size, "format chunk of %zu bytes is too short", chunk);
                return -1;
            }
            fmt = data + pos;
            if (wav_u16(fmt) == 0xFFFE && (chunk < 40 || wav_u16(fmt + 24) != 1)) {
                snprintf(err, err_size, "extensible format without a PCM sub-format");
                return -1;
            }
        } else if (memcmp(id, "data", 4) == 0 && !pcm) {
            pcm = data + pos;
            pcm_bytes = chunk;
        }
        pos += chunk + (chunk & 1); /* chunks are padded to an even size */
    }
    if (!fmt || !pcm) {
        snprintf(err, err_size, "no %s chunk", fmt ? "data" : "format");
        return -1;
    }
    const uint16_t tag = wav_u16(fmt), channels = wav_u16(fmt + 2), block = wav_u16(fmt + 12);
    const uint16_t bits = wav_u16(fmt + 14);
    if ((tag != 1 && tag != 0xFFFE) || bits != 16 || channels == 0 || block != 2u * channels) {
        snprintf(err, err_size, "format %u with %u-bit samples in %u channels: only 16-bit PCM is read", tag, bits,
                 channels);
        return -1;
    }
    out->channels = channels;
    out->sample_rate = wav_u32(fmt + 4);
    out->frames = pcm_bytes / block; /* a trailing partial frame is dropped */
    const size_t count = out->frames * channels;
    out->samples = malloc(count ? count * sizeof *out->samples : 1);
    if (!out->samples) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < count; i++) {
        const int32_t u = wav_u16(pcm + 2 * i); /* two's complement, little-endian */
        out->samples[i] = (int16_t)(u >= 32768 ? u - 65536 : u);
    }
    return 0;
}

/* Reads and parses a file. Returns 0, or -1 with a message in err (which does not repeat
 * the path). */
static int wav_read_file(const char *path, wav_audio *out, char *err, size_t err_size) {
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, err_size, "cannot open");
        return -1;
    }
    uint8_t *data = NULL;
    size_t size = 0, capacity = 0;
    int rc = 0;
    for (;;) {
        if (size == capacity) {
            capacity = capacity ? capacity * 2 : 65536;
            uint8_t *grown = capacity <= WAV_MAX_BYTES ? realloc(data, capacity) : NULL;
            if (!grown) {
                snprintf(err, err_size, "too large or out of memory");
                rc = -1;
                break;
            }
            data = grown;
        }
        size_t n = fread(data + size, 1, capacity - size, f);
        size += n;
        if (n == 0) {
            if (ferror(f)) {
                snprintf(err, err_size, "read error");
                rc = -1;
            }
            break;
        }
    }
    fclose(f);
    if (rc == 0 && wav_parse(data, size, out, err, err_size)) rc = -1;
    free(data);
    return rc;
}

static void wav_free(wav_audio *a) {
    free(a->samples);
    memset(a, 0, sizeof *a);
}

#endif /* MOTE_EXAMPLES_WAV_H */
