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

/* activations, normalization, reductions, shape ops */

/* resize, dequantize, densify, depth_to_space */
