/* reduce_i8_opt.h — the integer sums of quantized MEAN and SUM on 8-bit inputs when the last
 * dimension is kept (a mean over the pixels of an NHWC image, for one): each input row adds
 * into a run of consecutive sums, with int32 wrap-around, as the reference walk does. */
#ifndef MOTE_KERNELS_REDUCE_I8_OPT_H
#define MOTE_KERNELS_REDUCE_I8_OPT_H

#include <stddef.h>
#include <stdint.h>

/* sums[out_n] = the wrapped sums of the 8-bit input x (is_unsigned: uint8, else int8) of
 * rank dimensions dims, input element i going to output element sum_k idx_k * out_stride[k].
 * Returns 1 when done, 0 (nothing written) when the last dimension is reduced. */
int reduce_i8_sums_opt(int32_t rank, const int32_t *dims, const size_t *out_stride, const uint8_t *x,
                       int is_unsigned, int32_t *sums, size_t out_n);

#endif /* MOTE_KERNELS_REDUCE_I8_OPT_H */
