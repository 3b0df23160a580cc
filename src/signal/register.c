/* register.c — mote_signal_register: adds every signal operator to a mote_options. */
#include "mote_signal.h"
#include "signal/signal_kernel.h"

#define I16 (UINT32_C(1) << MOTE_INT16)
#define U32 (UINT32_C(1) << MOTE_UINT32)
#define U64 (UINT32_C(1) << MOTE_UINT64)

/* Each operator with the element type of its main input (for `mote ops`). */
static const struct {
    const mote_op *op;
    uint32_t types;
} signal_ops[] = {
    {&signal_op_window, I16},
    {&signal_op_fft_auto_scale, I16},
    {&signal_op_rfft, I16},
    {&signal_op_energy, I16},
    {&signal_op_filter_bank, U32},
    {&signal_op_filter_bank_square_root, U64},
    {&signal_op_filter_bank_spectral_subtraction, U32},
    {&signal_op_filter_bank_log, U32},
    {&signal_op_pcan, U32},
};

int32_t signal_op_count(void) { return (int32_t)(sizeof signal_ops / sizeof signal_ops[0]); }

const mote_op *signal_op_at(int32_t i, uint32_t *types) {
    if (i < 0 || i >= signal_op_count()) return NULL;
    if (types) *types = signal_ops[i].types;
    return signal_ops[i].op;
}

mote_status mote_signal_register(mote_options *options) {
    if (!options) return MOTE_ERROR_INVALID_ARGUMENT;
    for (size_t i = 0; i < sizeof signal_ops / sizeof signal_ops[0]; i++) {
        mote_status st = mote_options_add_op(options, signal_ops[i].op);
        if (st) return st;
    }
    return MOTE_OK;
}
