/* op_list.h — every shipped operator implementation, one OP(symbol) per line (no include
 * guard: registry.c includes it twice). Keep each kernel file's entries together. */

/* arithmetic.c */
OP(mote_op_add)
OP(mote_op_sub)
OP(mote_op_mul)
OP(mote_op_div)

/* fully_connected.c */
OP(mote_op_fully_connected)

/* convolution and pooling */
OP(mote_op_conv2d)
OP(mote_op_depthwise_conv2d)
OP(mote_op_transpose_conv)
OP(mote_op_conv_transpose_bias)
OP(mote_op_average_pool2d)
OP(mote_op_max_pool2d)

/* activations, normalization, reductions, shape ops */

/* activations.c */
OP(mote_op_relu)
OP(mote_op_relu6)
OP(mote_op_relu_n1_to_1)
OP(mote_op_relu_0_to_1)
OP(mote_op_logistic)
OP(mote_op_tanh)
OP(mote_op_hard_swish)
OP(mote_op_elu)
OP(mote_op_leaky_relu)
OP(mote_op_gelu)
OP(mote_op_prelu)

/* softmax.c */
OP(mote_op_softmax)
OP(mote_op_log_softmax)

/* reshape.c */
OP(mote_op_reshape)
OP(mote_op_squeeze)
OP(mote_op_expand_dims)

/* concatenation.c */
OP(mote_op_concatenation)

/* pad.c */
OP(mote_op_pad)
OP(mote_op_padv2)
OP(mote_op_mirror_pad)

/* reduce.c */
OP(mote_op_mean)
OP(mote_op_sum)
OP(mote_op_reduce_prod)
OP(mote_op_reduce_max)
OP(mote_op_reduce_min)

/* gather.c */
OP(mote_op_gather)

/* resize, dequantize, densify, depth_to_space */
OP(mote_op_resize_bilinear)
OP(mote_op_resize_nearest_neighbor)
OP(mote_op_dequantize)
OP(mote_op_densify)
OP(mote_op_depth_to_space)
OP(mote_op_space_to_depth)

/* quantized-model ops: quantize, split, transpose, batch_matmul, slices, unary math, fft,
 * detection post-processing */

/* recurrent: LSTM, UNIDIRECTIONAL_SEQUENCE_LSTM, SVDF */

/* control flow, resource variables, shape */

/* comparisons, logical, select, cast, pack, tile, space/batch, arg min/max, gather_nd,
 * top-k and the rest of the builtin set */

/* TensorFlow Lite Micro signal custom ops */
