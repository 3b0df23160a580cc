/* flexbuffer.h — reads the scalar entries of a FlexBuffer map, the usual format of custom
 * operator options, bounds-checked against the buffer (models are untrusted).
 *
 * The layout this reader walks (integers little-endian; an offset counts backwards from the
 * byte where it is stored):
 *
 *   end of buffer   ... root (W bytes) | packed type of the root (1 byte) | W (1 byte)
 *   packed type     bits 7..2 the value type, bits 1..0 log2 of a byte width: the width of
 *                   the vector or map it points to, or of the value an INDIRECT_* points to
 *   map (width w)   keys offset | keys width | count  |  values[count]  |  packed types[count]
 *                   (the three header fields take w bytes each, just before the values)
 *   keys            count | offsets[count] to NUL-terminated key strings, in sorted order
 *   scalars         INT, UINT, FLOAT, BOOL sit in their slot (w bytes; FLOAT needs w = 4 or
 *                   8); INDIRECT_INT, _UINT, _FLOAT hold an offset to the value
 *
 * Numbers convert as FlexBuffers' AsInt32 / AsFloat / AsBool do: any numeric type reads as
 * any other (floats truncate toward zero when read as integers). */
#ifndef MOTE_KERNELS_FLEXBUFFER_H
#define MOTE_KERNELS_FLEXBUFFER_H

#include <stddef.h>
#include <stdint.h>

typedef struct flexbuffer_map {
    const uint8_t *buf;
    size_t size;
    size_t values;     /* position of the first value slot */
    size_t keys;       /* position of the first key offset */
    size_t count;      /* entries */
    uint8_t width;     /* bytes per value slot */
    uint8_t key_width; /* bytes per key offset */
} flexbuffer_map;

typedef enum flexbuffer_status {
    FLEXBUFFER_OK = 0,
    FLEXBUFFER_MISSING = 1,   /* no such key, or its value is null */
    FLEXBUFFER_MALFORMED = 2, /* not a FlexBuffer map, or a reference leaves the buffer */
    FLEXBUFFER_NOT_NUMBER = 3 /* the value is a string, vector, map, ... */
} flexbuffer_status;

/* A numeric value, in both readings. */
typedef struct flexbuffer_number {
    int64_t i; /* the value as an integer (floats truncated, saturating) */
    double f;  /* the value as a double */
} flexbuffer_number;

/* Opens the root of data[0, size) as a map; FLEXBUFFER_MALFORMED if it is not one. */
flexbuffer_status flexbuffer_root_map(const void *data, size_t size, flexbuffer_map *map);

/* Looks key up and reads its value as a number. */
flexbuffer_status flexbuffer_map_number(const flexbuffer_map *map, const char *key, flexbuffer_number *value);

#endif /* MOTE_KERNELS_FLEXBUFFER_H */
