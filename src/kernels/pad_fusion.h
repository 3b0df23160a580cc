/* pad_fusion.h — a convolution reading through the zero PAD before it (float32 and int8 /
 * uint8 optimized kernels alike). */
#ifndef MOTE_KERNELS_PAD_FUSION_H
#define MOTE_KERNELS_PAD_FUSION_H

#include "kernels/kernel.h"

/* In prepare of an optimized CONV_2D or DEPTHWISE_CONV_2D: when input 0 is made by a PAD (or
 * a PADV2 whose constant is the padding value the kernel gives to taps outside the input: 0
 * for float32, the zero point for int8 and uint8) of the spatial dimensions of a 4-D tensor
 * of `type`, read by nothing else, marks the PAD as done by this node (the interpreter skips
 * it) and returns 1 with the PAD's input tensor and the rows and columns it adds before the
 * first; reading that input with the padding added to the node's own gives the same result.
 * Otherwise returns 0. */
int conv_fuse_pad(mote_context *ctx, mote_node *node, mote_type type, int32_t *source_tensor, int32_t *pad_top,
                  int32_t *pad_left);

#endif /* MOTE_KERNELS_PAD_FUSION_H */
