/* register.c — mote_signal_register: adds every signal operator to a mote_options. */
#include "mote_signal.h"
#include "signal/signal_kernel.h"

static const mote_op *const signal_ops[] = {
    &signal_op_window,
    &signal_op_fft_auto_scale,
    &signal_op_rfft,
    &signal_op_energy,
    &signal_op_filter_bank,
    &signal_op_filter_bank_square_root,
    &signal_op_filter_bank_spectral_subtraction,
    &signal_op_filter_bank_log,
    &signal_op_pcan,
};

mote_status mote_signal_register(mote_options *options) {
    if (!options) return MOTE_ERROR_INVALID_ARGUMENT;
    for (size_t i = 0; i < sizeof signal_ops / sizeof signal_ops[0]; i++) {
        mote_status st = mote_options_add_op(options, signal_ops[i]);
        if (st) return st;
    }
    return MOTE_OK;
}
