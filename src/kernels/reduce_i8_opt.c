/* reduce_i8_opt.c — row-wise integer sums of quantized MEAN and SUM (reduce_i8_opt.h). */
#include "kernels/reduce_i8_opt.h"

#include <string.h>

#include "mote.h"

int reduce_i8_sums_opt(int32_t rank, const int32_t *dims, const size_t *out_stride, const uint8_t *x,
                       int is_unsigned, int32_t *sums, size_t out_n) {
    if (rank < 1 || rank > MOTE_MAX_DIMS || out_stride[rank - 1] != 1) return 0;
    const size_t row = (size_t)dims[rank - 1];
    size_t rows = 1;
    for (int32_t k = 0; k < rank - 1; k++) rows *= (size_t)dims[k];
    /* uint32 sums: wrap-around without undefined behaviour. */
    uint32_t *acc = (uint32_t *)(void *)sums;
    memset(acc, 0, out_n * sizeof *acc);
    int32_t idx[MOTE_MAX_DIMS] = {0};
    size_t o = 0; /* output element of the current row's first input */
    for (size_t r = 0; r < rows; r++, x += row) {
        uint32_t *a = acc + o;
        if (is_unsigned)
            for (size_t i = 0; i < row; i++) a[i] += x[i];
        else
            for (size_t i = 0; i < row; i++) a[i] += (uint32_t)(int32_t)(int8_t)x[i];
        for (int32_t k = rank - 2; k >= 0; k--) {
            o += out_stride[k];
            if (++idx[k] < dims[k]) break;
            o -= out_stride[k] * (size_t)dims[k];
            idx[k] = 0;
        }
    }
    return 1;
}
