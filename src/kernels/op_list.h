/* op_list.h — every shipped operator implementation, one OP(symbol) per line (no include
 * guard: registry.c includes it twice). Keep each kernel file's entries together. */

/* arithmetic.c */
OP(mote_op_add)
OP(mote_op_sub)
OP(mote_op_mul)
OP(mote_op_div)

/* arithmetic_binary.c */
OP(mote_op_squared_difference)
OP(mote_op_maximum)
OP(mote_op_minimum)
OP(mote_op_floor_div)
OP(mote_op_floor_mod)
OP(mote_op_pow)

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

/* quantize.c */
OP(mote_op_quantize)

/* split.c */
OP(mote_op_split)
OP(mote_op_split_v)

/* transpose.c */
OP(mote_op_transpose)

/* batch_matmul.c */
OP(mote_op_batch_matmul)

/* slice.c */
OP(mote_op_slice)
OP(mote_op_strided_slice)

/* unary.c */
OP(mote_op_abs)
OP(mote_op_neg)
OP(mote_op_square)
OP(mote_op_sqrt)
OP(mote_op_rsqrt)
OP(mote_op_exp)
OP(mote_op_log)
OP(mote_op_sin)
OP(mote_op_cos)
OP(mote_op_floor)
OP(mote_op_ceil)
OP(mote_op_round)
OP(mote_op_sign)

/* rfft2d.c, complex.c */
OP(mote_op_rfft2d)
OP(mote_op_complex_abs)
OP(mote_op_real)
OP(mote_op_imag)

/* detection_postprocess.c (custom) */
OP(mote_op_detection_postprocess)

/* recurrent: LSTM, UNIDIRECTIONAL_SEQUENCE_LSTM, SVDF */

/* lstm.c (with lstm_float.c, lstm_int8.c) */
OP(mote_op_lstm)
OP(mote_op_unidirectional_sequence_lstm)

/* svdf.c */
OP(mote_op_svdf)

/* control flow, resource variables, shape */

/* control_flow.c */
OP(mote_op_while)
OP(mote_op_if)
OP(mote_op_call_once)

/* resource_variable.c */
OP(mote_op_var_handle)
OP(mote_op_read_variable)
OP(mote_op_assign_variable)

/* shape.c (RANK is in rank.c) */
OP(mote_op_shape)

/* comparisons, logical, select, cast, pack, tile, space/batch, arg min/max, gather_nd,
 * top-k and the rest of the builtin set */

/* comparisons.c */
OP(mote_op_equal)
OP(mote_op_not_equal)
OP(mote_op_greater)
OP(mote_op_greater_equal)
OP(mote_op_less)
OP(mote_op_less_equal)

/* logical.c */
OP(mote_op_logical_and)
OP(mote_op_logical_or)
OP(mote_op_logical_not)

/* select.c */
OP(mote_op_select)
OP(mote_op_select_v2)

/* cast.c */
OP(mote_op_cast)

/* pack.c */
OP(mote_op_pack)
OP(mote_op_unpack)

/* tile.c */
OP(mote_op_tile)
OP(mote_op_broadcast_to)
OP(mote_op_broadcast_args)

/* space_batch.c */
OP(mote_op_space_to_batch_nd)
OP(mote_op_batch_to_space_nd)

/* arg_minmax.c */
OP(mote_op_arg_max)
OP(mote_op_arg_min)

/* gather_nd.c, scatter_nd.c */
OP(mote_op_gather_nd)
OP(mote_op_scatter_nd)

/* topk.c */
OP(mote_op_topk_v2)

/* l2norm.c, lrn.c, l2_pool.c */
OP(mote_op_l2_normalization)
OP(mote_op_local_response_normalization)
OP(mote_op_l2_pool2d)

/* fill.c */
OP(mote_op_fill)
OP(mote_op_zeros_like)
OP(mote_op_range)

/* one_hot.c, cumsum.c, add_n.c */
OP(mote_op_one_hot)
OP(mote_op_cumsum)
OP(mote_op_add_n)

/* reverse.c */
OP(mote_op_reverse_v2)
OP(mote_op_reverse_sequence)

/* embedding_lookup.c */
OP(mote_op_embedding_lookup)

/* segment_sum.c */
OP(mote_op_segment_sum)
OP(mote_op_unsorted_segment_sum)
OP(mote_op_unsorted_segment_prod)
OP(mote_op_unsorted_segment_max)
OP(mote_op_unsorted_segment_min)

/* matrix_diag.c */
OP(mote_op_matrix_diag)
OP(mote_op_matrix_set_diag)

/* bucketize.c, where.c, rank.c */
OP(mote_op_bucketize)
OP(mote_op_where)
OP(mote_op_rank)

/* dynamic_update_slice.c, sparse_to_dense.c */
OP(mote_op_dynamic_update_slice)
OP(mote_op_sparse_to_dense)

/* reduce_logical.c */
OP(mote_op_reduce_any)
OP(mote_op_reduce_all)

/* bitwise.c, atan2.c */
OP(mote_op_bitwise_xor)
OP(mote_op_right_shift)
OP(mote_op_atan2)

/* bitcast.c, hashtable_lookup.c */
OP(mote_op_bitcast)
OP(mote_op_hashtable_lookup)

/* fake_quant.c, unique.c */
OP(mote_op_fake_quant)
OP(mote_op_unique)

/* rnn.c */
OP(mote_op_rnn)
OP(mote_op_unidirectional_sequence_rnn)

/* TensorFlow Lite Micro signal custom ops */
