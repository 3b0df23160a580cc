/* op_list.h — every shipped operator implementation, one OP(symbol, types) per line (no
 * include guard: registry.c includes it twice). Keep each kernel file's entries together.
 *
 * `types` lists the element types the operator accepts for its main input (the data it
 * computes on: input 0 for most, the values for ONE_HOT, FILL, SPARSE_TO_DENSE, the params
 * for EMBEDDING_LOOKUP), as `mote ops` prints them: F32 F16 F64 I8 U8 I16 U16 I32 U32 I64
 * BOOL STR C64, or ANY. int8, uint8 and int16 are quantized where the operator computes on
 * real values. tests/unit/test_op_types.c writes a single-op model for each operator and
 * type and checks that exactly the listed types are accepted (for the operators it probes:
 * all builtins but control flow, recurrent cells, resource variables, DENSIFY and RFFT2D;
 * the others are written by hand). */

/* arithmetic.c */
OP(mote_op_add, F32 | I8 | U8 | I16 | I32 | I64)
OP(mote_op_sub, F32 | I8 | U8 | I16 | I32 | I64)
OP(mote_op_mul, F32 | I8 | U8 | I16 | I32 | I64)
OP(mote_op_div, F32 | I8 | U8 | I16 | I32)

/* arithmetic_binary.c */
OP(mote_op_squared_difference, F32 | I8 | U8 | I16 | I32)
OP(mote_op_maximum, F32 | I8 | U8 | I16 | I32 | I64)
OP(mote_op_minimum, F32 | I8 | U8 | I16 | I32 | I64)
OP(mote_op_floor_div, F32 | I8 | I16 | I32)
OP(mote_op_floor_mod, F32 | I8 | I16 | I32 | I64)
OP(mote_op_pow, F32 | I32)

/* fully_connected.c */
OP(mote_op_fully_connected, F32 | I8 | U8 | I16)

/* convolution and pooling */
OP(mote_op_conv2d, F32 | I8 | U8 | I16)
OP(mote_op_depthwise_conv2d, F32 | I8 | U8 | I16)
OP(mote_op_transpose_conv, F32 | I8 | U8 | I16)
OP(mote_op_conv_transpose_bias, F32)
OP(mote_op_average_pool2d, F32 | I8 | U8 | I16)
OP(mote_op_max_pool2d, F32 | I8 | U8 | I16)

/* activations, normalization, reductions, shape ops */

/* activations.c */
OP(mote_op_relu, F32 | I8 | U8 | I16)
OP(mote_op_relu6, F32 | I8 | U8 | I16)
OP(mote_op_relu_n1_to_1, F32 | I8 | U8 | I16)
OP(mote_op_relu_0_to_1, F32 | I8 | U8 | I16)
OP(mote_op_logistic, F32 | I8 | U8 | I16)
OP(mote_op_tanh, F32 | I8 | U8 | I16)
OP(mote_op_hard_swish, F32 | I8 | U8)
OP(mote_op_elu, F32 | I8)
OP(mote_op_leaky_relu, F32 | I8 | U8 | I16)
OP(mote_op_gelu, F32 | I8 | U8)
OP(mote_op_prelu, F32 | I8 | U8)

/* softmax.c */
OP(mote_op_softmax, F32 | I8 | U8 | I16)
OP(mote_op_log_softmax, F32 | I8 | U8)

/* reshape.c */
OP(mote_op_reshape, F32 | F16 | F64 | I8 | U8 | I16 | U16 | I32 | U32 | I64 | BOOL | STR | C64)
OP(mote_op_squeeze, F32 | F16 | F64 | I8 | U8 | I16 | U16 | I32 | U32 | I64 | BOOL | STR | C64)
OP(mote_op_expand_dims, F32 | F16 | F64 | I8 | U8 | I16 | U16 | I32 | U32 | I64 | BOOL | STR | C64)

/* concatenation.c */
OP(mote_op_concatenation, F32 | F16 | F64 | I8 | U8 | I16 | U16 | I32 | U32 | I64 | BOOL | C64)

/* pad.c */
OP(mote_op_pad, F32 | F16 | F64 | I8 | U8 | I16 | U16 | I32 | U32 | I64 | BOOL | C64)
OP(mote_op_padv2, F32 | F16 | F64 | I8 | U8 | I16 | U16 | I32 | U32 | I64 | BOOL | C64)
OP(mote_op_mirror_pad, F32 | F16 | F64 | I8 | U8 | I16 | U16 | I32 | U32 | I64 | BOOL | C64)

/* reduce.c */
OP(mote_op_mean, F32 | I8 | U8 | I16)
OP(mote_op_sum, F32 | I8 | U8 | I16 | I32 | I64)
OP(mote_op_reduce_prod, F32 | I32 | I64)
OP(mote_op_reduce_max, F32 | I8 | U8 | I16 | I32 | I64)
OP(mote_op_reduce_min, F32 | I8 | U8 | I16 | I32 | I64)

/* gather.c */
OP(mote_op_gather, F32 | F16 | F64 | I8 | U8 | I16 | U16 | I32 | U32 | I64 | BOOL | STR | C64)

/* resize, dequantize, densify, depth_to_space */
OP(mote_op_resize_bilinear, F32 | I8 | U8 | I16)
OP(mote_op_resize_nearest_neighbor, F32 | I8 | U8 | I16)
OP(mote_op_dequantize, F16 | I8 | U8 | I16)
OP(mote_op_densify, F32 | F16 | I8)
OP(mote_op_depth_to_space, F32 | I8 | U8 | I16 | I32 | I64)
OP(mote_op_space_to_depth, F32 | I8 | U8 | I16 | I32 | I64)

/* quantized-model ops: quantize, split, transpose, batch_matmul, slices, unary math, fft,
 * detection post-processing */

/* quantize.c */
OP(mote_op_quantize, F32 | I8 | U8 | I16)

/* split.c */
OP(mote_op_split, F32 | F16 | F64 | I8 | U8 | I16 | U16 | I32 | U32 | I64 | BOOL | C64)
OP(mote_op_split_v, F32 | F16 | F64 | I8 | U8 | I16 | U16 | I32 | U32 | I64 | BOOL | C64)

/* transpose.c */
OP(mote_op_transpose, F32 | F16 | F64 | I8 | U8 | I16 | U16 | I32 | U32 | I64 | BOOL | C64)

/* batch_matmul.c */
OP(mote_op_batch_matmul, F32 | I8 | I16)

/* slice.c */
OP(mote_op_slice, F32 | F16 | F64 | I8 | U8 | I16 | U16 | I32 | U32 | I64 | BOOL | C64)
OP(mote_op_strided_slice, F32 | F16 | F64 | I8 | U8 | I16 | U16 | I32 | U32 | I64 | BOOL | C64)

/* unary.c */
OP(mote_op_abs, F32 | I8 | I16 | I32)
OP(mote_op_neg, F32 | I8 | I16 | I32 | I64)
OP(mote_op_square, F32)
OP(mote_op_sqrt, F32 | I8 | I16)
OP(mote_op_rsqrt, F32 | I8 | I16)
OP(mote_op_exp, F32 | I8 | I16)
OP(mote_op_log, F32 | I8 | I16)
OP(mote_op_sin, F32)
OP(mote_op_cos, F32)
OP(mote_op_floor, F32)
OP(mote_op_ceil, F32)
OP(mote_op_round, F32)
OP(mote_op_sign, F32 | F64 | I32)

/* rfft2d.c, complex.c */
OP(mote_op_rfft2d, F32)
OP(mote_op_complex_abs, C64)
OP(mote_op_real, C64)
OP(mote_op_imag, C64)

/* detection_postprocess.c (custom) */
OP(mote_op_detection_postprocess, F32 | U8)

/* recurrent: LSTM, UNIDIRECTIONAL_SEQUENCE_LSTM, SVDF */

/* lstm.c (with lstm_float.c, lstm_int8.c) */
OP(mote_op_lstm, F32 | I8)
OP(mote_op_unidirectional_sequence_lstm, F32 | I8)

/* svdf.c */
OP(mote_op_svdf, F32 | I8)

/* control flow, resource variables, shape */

/* control_flow.c */
OP(mote_op_while, ANY)
OP(mote_op_if, ANY)
OP(mote_op_call_once, ANY)

/* resource_variable.c */
OP(mote_op_var_handle, ANY)
OP(mote_op_read_variable, F32 | F16 | F64 | I8 | U8 | I16 | U16 | I32 | U32 | I64 | BOOL | C64)
OP(mote_op_assign_variable, F32 | F16 | F64 | I8 | U8 | I16 | U16 | I32 | U32 | I64 | BOOL | C64)

/* shape.c (RANK is in rank.c) */
OP(mote_op_shape, F32 | F16 | F64 | I8 | U8 | I16 | U16 | I32 | U32 | I64 | BOOL | STR | C64)

/* comparisons, logical, select, cast, pack, tile, space/batch, arg min/max, gather_nd,
 * top-k and the rest of the builtin set */

/* comparisons.c */
OP(mote_op_equal, F32 | I8 | U8 | I16 | I32 | I64 | BOOL | STR)
OP(mote_op_not_equal, F32 | I8 | U8 | I16 | I32 | I64 | BOOL | STR)
OP(mote_op_greater, F32 | I8 | U8 | I16 | I32 | I64)
OP(mote_op_greater_equal, F32 | I8 | U8 | I16 | I32 | I64)
OP(mote_op_less, F32 | I8 | U8 | I16 | I32 | I64)
OP(mote_op_less_equal, F32 | I8 | U8 | I16 | I32 | I64)

/* logical.c */
OP(mote_op_logical_and, BOOL)
OP(mote_op_logical_or, BOOL)
OP(mote_op_logical_not, BOOL)

/* select.c */
OP(mote_op_select, F32 | F16 | F64 | I8 | U8 | I16 | U16 | I32 | U32 | I64 | BOOL | C64)
OP(mote_op_select_v2, F32 | F16 | F64 | I8 | U8 | I16 | U16 | I32 | U32 | I64 | BOOL | C64)

/* cast.c */
OP(mote_op_cast, F32 | F16 | F64 | I8 | U8 | I16 | U16 | I32 | U32 | I64 | BOOL)

/* pack.c */
OP(mote_op_pack, F32 | F16 | F64 | I8 | U8 | I16 | U16 | I32 | U32 | I64 | BOOL | C64)
OP(mote_op_unpack, F32 | F16 | F64 | I8 | U8 | I16 | U16 | I32 | U32 | I64 | BOOL | C64)

/* tile.c */
OP(mote_op_tile, F32 | F16 | F64 | I8 | U8 | I16 | U16 | I32 | U32 | I64 | BOOL | C64)
OP(mote_op_broadcast_to, F32 | F16 | F64 | I8 | U8 | I16 | U16 | I32 | U32 | I64 | BOOL | C64)
OP(mote_op_broadcast_args, I32 | I64)

/* space_batch.c */
OP(mote_op_space_to_batch_nd, F32 | F16 | F64 | I8 | U8 | I16 | U16 | I32 | U32 | I64 | BOOL | C64)
OP(mote_op_batch_to_space_nd, F32 | F16 | F64 | I8 | U8 | I16 | U16 | I32 | U32 | I64 | BOOL | C64)

/* arg_minmax.c */
OP(mote_op_arg_max, F32 | I8 | U8 | I16 | I32 | I64 | BOOL)
OP(mote_op_arg_min, F32 | I8 | U8 | I16 | I32 | I64 | BOOL)

/* gather_nd.c, scatter_nd.c */
OP(mote_op_gather_nd, F32 | F16 | F64 | I8 | U8 | I16 | U16 | I32 | U32 | I64 | BOOL | C64)
OP(mote_op_scatter_nd, F32 | I8 | U8 | I16 | I32 | I64 | BOOL)

/* topk.c */
OP(mote_op_topk_v2, F32 | I8 | U8 | I16 | I32 | I64)

/* l2norm.c, lrn.c, l2_pool.c */
OP(mote_op_l2_normalization, F32 | I8 | U8)
OP(mote_op_local_response_normalization, F32)
OP(mote_op_l2_pool2d, F32)

/* fill.c */
OP(mote_op_fill, F32 | F16 | F64 | I8 | U8 | I16 | U16 | I32 | U32 | I64 | BOOL | C64)
OP(mote_op_zeros_like, F32 | F16 | F64 | U16 | I32 | U32 | I64 | BOOL | C64)
OP(mote_op_range, F32 | I32 | I64)

/* one_hot.c, cumsum.c, add_n.c */
OP(mote_op_one_hot, F32 | F16 | F64 | I8 | U8 | I16 | U16 | I32 | U32 | I64 | BOOL | C64)
OP(mote_op_cumsum, F32 | I32 | I64)
OP(mote_op_add_n, F32 | I32 | I64)

/* reverse.c */
OP(mote_op_reverse_v2, F32 | F16 | F64 | I8 | U8 | I16 | U16 | I32 | U32 | I64 | BOOL | C64)
OP(mote_op_reverse_sequence, F32 | F16 | F64 | I8 | U8 | I16 | U16 | I32 | U32 | I64 | BOOL | C64)

/* embedding_lookup.c */
OP(mote_op_embedding_lookup, F32 | F16 | F64 | I8 | U8 | I16 | U16 | I32 | U32 | I64 | BOOL | C64)

/* segment_sum.c */
OP(mote_op_segment_sum, F32 | I32)
OP(mote_op_unsorted_segment_sum, F32 | I32)
OP(mote_op_unsorted_segment_prod, F32 | I32)
OP(mote_op_unsorted_segment_max, F32 | I32)
OP(mote_op_unsorted_segment_min, F32 | I32)

/* matrix_diag.c */
OP(mote_op_matrix_diag, F32 | F16 | F64 | I8 | U8 | I16 | U16 | I32 | U32 | I64 | BOOL | C64)
OP(mote_op_matrix_set_diag, F32 | F16 | F64 | I8 | U8 | I16 | U16 | I32 | U32 | I64 | BOOL | C64)

/* bucketize.c, where.c, rank.c */
OP(mote_op_bucketize, F32 | F64 | I32 | I64)
OP(mote_op_where, F32 | I8 | U8 | I16 | I32 | I64 | BOOL)
OP(mote_op_rank, F32 | F16 | F64 | I8 | U8 | I16 | U16 | I32 | U32 | I64 | BOOL | STR | C64)

/* dynamic_update_slice.c, sparse_to_dense.c */
OP(mote_op_dynamic_update_slice, F32 | F16 | F64 | I8 | U8 | I16 | U16 | I32 | U32 | I64 | BOOL | C64)
OP(mote_op_sparse_to_dense, F32 | F16 | F64 | I8 | U8 | I16 | U16 | I32 | U32 | I64 | BOOL | C64)

/* reduce_logical.c */
OP(mote_op_reduce_any, BOOL)
OP(mote_op_reduce_all, BOOL)

/* bitwise.c, atan2.c */
OP(mote_op_bitwise_xor, I8 | U8 | I16 | U16 | I32 | U32)
OP(mote_op_right_shift, I8 | U8 | I16 | U16 | I32 | U32)
OP(mote_op_atan2, F32 | F64)

/* bitcast.c, hashtable_lookup.c */
OP(mote_op_bitcast, F32 | F16 | F64 | I8 | U8 | I16 | U16 | I32 | U32 | I64 | BOOL | C64)
OP(mote_op_hashtable_lookup, F32 | F16 | F64 | I8 | U8 | I16 | U16 | I32 | U32 | I64 | BOOL | C64)

/* fake_quant.c, unique.c */
OP(mote_op_fake_quant, F32)
OP(mote_op_unique, F32 | I8 | U8 | I16 | I32 | I64)

/* rnn.c */
OP(mote_op_rnn, F32)
OP(mote_op_unidirectional_sequence_rnn, F32)

/* TensorFlow Lite Micro signal custom ops */
