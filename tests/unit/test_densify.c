/* test_densify.c — the sparse tensor decoder behind DENSIFY, on small hand-made examples:
 * CSR and column-major matrices, 2x2 blocks (also traversed column-major inside), every
 * index width, and metadata that must be refused before anything is written. */
#include <stdint.h>

#include "kernels/densify.h"
#include "test.h"

/* Vectors as they sit in a model: little-endian bytes of the given width. */
static densify_vec vec_i32(const int32_t *v, uint32_t n) {
    densify_vec x = {(const uint8_t *)v, n, 4};
    return x;
}
static densify_vec vec_u16(const uint16_t *v, uint32_t n) {
    densify_vec x = {(const uint8_t *)v, n, 2};
    return x;
}
static densify_vec vec_u8(const uint8_t *v, uint32_t n) {
    densify_vec x = {v, n, 1};
    return x;
}

static void dense_level(densify_format *f, int32_t level, int32_t size) {
    f->levels[level].format = DENSIFY_DENSE;
    f->levels[level].dense_size = size;
}
static void sparse_level(densify_format *f, int32_t level, densify_vec segments, densify_vec indices) {
    f->levels[level].format = DENSIFY_SPARSE_CSR;
    f->levels[level].segments = segments;
    f->levels[level].indices = indices;
}

/* A 3x4 matrix in CSR form: rows dense, columns sparse. */
static const float csr_dense[12] = {0, 1, 0, 2, 0, 0, 0, 0, 3, 0, 4, 5};
static const float csr_values[5] = {1, 2, 3, 4, 5};
static const int32_t csr_segments[4] = {0, 2, 2, 5};
static const int32_t csr_indices[5] = {1, 3, 0, 2, 3};

static densify_format csr_format(void) {
    densify_format f;
    memset(&f, 0, sizeof f);
    f.rank = 2;
    f.dims[0] = 3;
    f.dims[1] = 4;
    f.level_count = 2;
    f.traversal[0] = 0;
    f.traversal[1] = 1;
    dense_level(&f, 0, 3);
    sparse_level(&f, 1, vec_i32(csr_segments, 4), vec_i32(csr_indices, 5));
    return f;
}

static void test_csr_matrix(void) {
    densify_format f = csr_format();
    char err[200] = "";
    CHECK_EQ_INT(densify_check(&f, 5, err, sizeof err), 0);
    if (err[0]) fprintf(stderr, "%s\n", err);
    CHECK_EQ_INT(f.value_count, 5);
    CHECK_EQ_INT(f.dense_count, 12);
    float out[12];
    memset(out, 0xff, sizeof out); /* the expansion must clear what it does not store */
    densify_expand(&f, csr_values, sizeof(float), out);
    for (int i = 0; i < 12; i++) CHECK_NEAR(out[i], csr_dense[i], 0);
}

/* The same matrix stored by columns (traversal 1, 0), with uint16 vectors. */
static void test_column_major(void) {
    static const uint16_t segments[5] = {0, 1, 2, 3, 5}; /* per column */
    static const uint16_t indices[5] = {2, 0, 2, 0, 2};   /* rows */
    static const float values[5] = {3, 1, 4, 2, 5};
    densify_format f;
    memset(&f, 0, sizeof f);
    f.rank = 2;
    f.dims[0] = 3;
    f.dims[1] = 4;
    f.level_count = 2;
    f.traversal[0] = 1;
    f.traversal[1] = 0;
    dense_level(&f, 0, 4);
    sparse_level(&f, 1, vec_u16(segments, 5), vec_u16(indices, 5));
    char err[200] = "";
    CHECK_EQ_INT(densify_check(&f, 5, err, sizeof err), 0);
    if (err[0]) fprintf(stderr, "%s\n", err);
    float out[12];
    densify_expand(&f, values, sizeof(float), out);
    for (int i = 0; i < 12; i++) CHECK_NEAR(out[i], csr_dense[i], 0);
}

/* A 4x4 int8 matrix of 2x2 blocks, only blocks (0, 0) and (1, 1) stored (uint8 vectors):
 *   1 2 0 0
 *   3 4 0 0
 *   0 0 0 0
 *   0 0 5 6 */
static const int8_t block_dense[16] = {1, 2, 0, 0, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0, 5, 6};
static const uint8_t block_segments[3] = {0, 1, 2};
static const uint8_t block_indices[2] = {0, 1};

static densify_format block_format(int column_major_blocks) {
    densify_format f;
    memset(&f, 0, sizeof f);
    f.rank = 2;
    f.dims[0] = 4;
    f.dims[1] = 4;
    f.level_count = 4;
    f.block_count = 2;
    f.block_map[0] = 0;
    f.block_map[1] = 1;
    f.traversal[0] = 0;
    f.traversal[1] = 1;
    f.traversal[2] = column_major_blocks ? 3 : 2;
    f.traversal[3] = column_major_blocks ? 2 : 3;
    dense_level(&f, 0, 2);
    sparse_level(&f, 1, vec_u8(block_segments, 3), vec_u8(block_indices, 2));
    dense_level(&f, 2, 2);
    dense_level(&f, 3, 2);
    return f;
}

static void test_blocks(void) {
    static const int8_t values[8] = {1, 2, 3, 4, 0, 0, 5, 6};
    densify_format f = block_format(0);
    char err[200] = "";
    CHECK_EQ_INT(densify_check(&f, 8, err, sizeof err), 0);
    if (err[0]) fprintf(stderr, "%s\n", err);
    CHECK_EQ_INT(f.value_count, 8);
    int8_t out[16];
    densify_expand(&f, values, 1, out);
    for (int i = 0; i < 16; i++) CHECK_EQ_INT(out[i], block_dense[i]);
}

/* Inside each block, columns first (traversal 0, 1, 3, 2). */
static void test_blocks_column_major_inside(void) {
    static const int8_t values[8] = {1, 3, 2, 4, 0, 5, 0, 6};
    densify_format f = block_format(1);
    char err[200] = "";
    CHECK_EQ_INT(densify_check(&f, 8, err, sizeof err), 0);
    if (err[0]) fprintf(stderr, "%s\n", err);
    int8_t out[16];
    densify_expand(&f, values, 1, out);
    for (int i = 0; i < 16; i++) CHECK_EQ_INT(out[i], block_dense[i]);
}

/* Each broken variant of the CSR example must be refused with a reason. */
static void expect_refused(densify_format f, size_t available, const char *what) {
    char err[200] = "";
    int r = densify_check(&f, available, err, sizeof err);
    if (r != -1) fprintf(stderr, "accepted: %s\n", what);
    CHECK_EQ_INT(r, -1);
    CHECK(err[0] != 0);
}

static void test_refuses_bad_metadata(void) {
    static const int32_t index_too_big[5] = {1, 3, 0, 2, 4};
    static const int32_t negative_index[5] = {1, -1, 0, 2, 3};
    static const int32_t decreasing[4] = {0, 2, 1, 5};
    static const int32_t not_from_zero[4] = {1, 2, 2, 5};
    static const int32_t past_indices[4] = {0, 2, 2, 6};
    densify_format f;

    expect_refused(csr_format(), 4, "fewer values than the metadata addresses");
    f = csr_format();
    f.levels[1].indices = vec_i32(index_too_big, 5);
    expect_refused(f, 5, "index past the dimension");
    f = csr_format();
    f.levels[1].indices = vec_i32(negative_index, 5);
    expect_refused(f, 5, "negative index");
    f = csr_format();
    f.levels[1].segments = vec_i32(decreasing, 4);
    expect_refused(f, 5, "decreasing segments");
    f = csr_format();
    f.levels[1].segments = vec_i32(not_from_zero, 4);
    expect_refused(f, 5, "segments not starting at 0");
    f = csr_format();
    f.levels[1].segments = vec_i32(past_indices, 4);
    expect_refused(f, 6, "segments selecting more indices than stored");
    f = csr_format();
    f.levels[1].segments = vec_i32(csr_segments, 3);
    expect_refused(f, 5, "too few segments for the rows");
    f = csr_format();
    f.levels[1].indices.width = 0;
    expect_refused(f, 5, "sparse level without indices");
    f = csr_format();
    f.levels[0].dense_size = 4;
    expect_refused(f, 5, "dense size not matching the dimension");
    f = csr_format();
    f.levels[0].format = 7;
    expect_refused(f, 5, "unknown level format");
    f = csr_format();
    f.traversal[1] = 0;
    expect_refused(f, 5, "traversal order repeating a dimension");
    f = csr_format();
    f.traversal[1] = 2;
    expect_refused(f, 5, "traversal order naming a block dim without blocks");
    f = csr_format();
    f.level_count = 3;
    expect_refused(f, 5, "more levels than dims");
    f = csr_format();
    f.dims[0] = -3;
    expect_refused(f, 5, "negative dimension");

    f = block_format(0);
    f.levels[3].format = DENSIFY_SPARSE_CSR;
    expect_refused(f, 8, "sparse level inside a block");
    f = block_format(0);
    f.dims[1] = 5;
    f.levels[3].dense_size = 2;
    expect_refused(f, 8, "block size not dividing the dimension");
    f = block_format(0);
    f.block_map[1] = 0;
    expect_refused(f, 8, "a dimension blocked twice");
    f = block_format(0);
    f.block_map[1] = 2;
    expect_refused(f, 8, "block map outside the rank");
    f = block_format(0);
    f.traversal[2] = 1;
    expect_refused(f, 8, "block level naming a tensor dim");
}

TEST_MAIN(test_csr_matrix, test_column_major, test_blocks, test_blocks_column_major_inside,
          test_refuses_bad_metadata)
