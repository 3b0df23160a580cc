/* signal_kernel.h — what the signal operators share: their custom options (a FlexBuffer
 * map), tensor checks that name the place, and the operator tables register.c lists. */
#ifndef MOTE_SIGNAL_SIGNAL_KERNEL_H
#define MOTE_SIGNAL_SIGNAL_KERNEL_H

#include "kernels/kernel.h"

/* Reads the integer (or bool) custom option `key` into *value; fails naming the key when
 * the options are malformed, the key is missing, or the value lies outside [lo, hi]. */
mote_status signal_option(mote_context *ctx, const mote_node *node, const char *key, int64_t lo,
                          int64_t hi, int32_t *value);

/* Checks a tensor's type and rank (rank < 0: at least 1 dimension). */
mote_status signal_check(mote_context *ctx, const mote_node *node, const mote_tensor *t, const char *role,
                         int32_t i, mote_type type, int32_t rank);

/* The operators, one per file. */
extern const mote_op signal_op_window;
extern const mote_op signal_op_fft_auto_scale;
extern const mote_op signal_op_rfft;
extern const mote_op signal_op_energy;
extern const mote_op signal_op_filter_bank;
extern const mote_op signal_op_filter_bank_square_root;
extern const mote_op signal_op_filter_bank_spectral_subtraction;
extern const mote_op signal_op_filter_bank_log;
extern const mote_op signal_op_pcan;

/* The operators mote_signal_register adds, with the element types of each one's main input
 * (bit 1 << type, as registry_types_at), for `mote ops`. */
int32_t signal_op_count(void);
const mote_op *signal_op_at(int32_t i, uint32_t *types);

#endif /* MOTE_SIGNAL_SIGNAL_KERNEL_H */
