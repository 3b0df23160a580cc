/* densify.h — TensorFlow Lite's sparse tensor format (SparsityParameters) decoded into a
 * checked description, and its expansion to a dense tensor. Used by DENSIFY; kept apart from
 * the FlatBuffer so it can be tested on hand-made examples.
 *
 * The format (schema.fbs, a variant of TACO): a tensor of rank n with dims (d0..dn-1),
 * optionally cut into k-dimensional blocks, is stored as n + k levels.
 *   traversal   the order of the levels: a permutation of 0..n-1 (the dims, counted in
 *               blocks when blocked), then of n..n+k-1 (the block's inner dims)
 *   block_map   for block dim j (level id n + j), the tensor dim it subdivides
 *   per level   DENSE: every index 0..dense_size-1 is present;
 *               SPARSE_CSR: like a CSR matrix, segments[p]..segments[p+1] select the
 *               entries of indices[] that are present under position p of the level above
 * Walking the levels in traversal order visits the stored values in order; a value's dense
 * coordinate along dim d is block index * block size + index inside the block.
 */
#ifndef MOTE_KERNELS_DENSIFY_H
#define MOTE_KERNELS_DENSIFY_H

#include <stddef.h>
#include <stdint.h>

#include "mote.h"

#define DENSIFY_MAX_LEVELS (2 * MOTE_MAX_DIMS)

enum densify_level_format { DENSIFY_DENSE = 0, DENSIFY_SPARSE_CSR = 1 };

/* A segments or indices vector as stored: little-endian, unaligned. */
typedef struct densify_vec {
    const uint8_t *data;
    uint32_t count;
    uint8_t width; /* bytes per value: 4 (int32), 2 (uint16) or 1 (uint8); 0 when absent */
} densify_vec;

typedef struct densify_level {
    int32_t format;               /* densify_level_format */
    int32_t dense_size;           /* DENSE: the number of indices */
    densify_vec segments, indices; /* SPARSE_CSR */
    /* Derived by densify_check: */
    int32_t size;   /* indices run over 0..size-1 */
    size_t stride;  /* dense elements per index step */
    size_t parents; /* positions of the level above (1 for the first level) */
} densify_level;

typedef struct densify_format {
    int32_t rank;
    int32_t dims[MOTE_MAX_DIMS]; /* the dense shape */
    int32_t level_count;         /* rank + block_count */
    int32_t traversal[DENSIFY_MAX_LEVELS];
    int32_t block_count;
    int32_t block_map[MOTE_MAX_DIMS];
    densify_level levels[DENSIFY_MAX_LEVELS];
    /* Derived by densify_check: */
    size_t value_count; /* stored values the walk reads */
    size_t dense_count; /* elements of the dense tensor */
} densify_format;

/* Checks every field and every stored index of f against its dense shape, so that the
 * expansion stays in bounds, and derives sizes and strides. available: the number of stored
 * values. Returns 0, or -1 with the reason in err. */
int densify_check(densify_format *f, size_t available, char *err, size_t err_size);

/* Writes the dense tensor: zeros, then each stored value at its place. values holds
 * f->value_count elements of elem_bytes each; f must have passed densify_check. */
void densify_expand(const densify_format *f, const void *values, size_t elem_bytes, void *dense);

#endif /* MOTE_KERNELS_DENSIFY_H */
