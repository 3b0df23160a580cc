/* mote_signal.h — TensorFlow Lite Micro's signal-library custom operators (the audio front
 * end of keyword-spotting models such as micro_speech's audio_preprocessor), as an optional
 * package: they are not registered by default.
 *
 *   mote_options *options;
 *   mote_options_create(NULL, &options);
 *   mote_signal_register(options);           SignalWindow, SignalRfft, ... become available
 *   mote_interpreter_create(model, options, &interpreter);
 *
 * The operators compute exactly what the library's integer code computes, bit for bit:
 *   SignalWindow, SignalFftAutoScale, SignalRfft (int16), SignalEnergy, SignalFilterBank,
 *   SignalFilterBankSquareRoot, SignalFilterBankSpectralSubtraction,
 *   SignalFilterBankLog, SignalPCAN.
 * SignalFilterBankSpectralSubtraction keeps a noise estimate across invokes (frames of one
 * audio stream); mote_interpreter_reset_variables() starts it again from zero, as does
 * every mote_interpreter_allocate_tensors(). */
#ifndef MOTE_SIGNAL_H
#define MOTE_SIGNAL_H

#include "mote.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Registers every signal operator with the options (mote_options_add_op). Returns MOTE_OK,
 * or the first failure (MOTE_ERROR_INVALID_ARGUMENT for NULL options, out of memory). */
MOTE_API mote_status mote_signal_register(mote_options *options);

#ifdef __cplusplus
}
#endif

#endif /* MOTE_SIGNAL_H */
