/* fuzz.h — what the fuzz targets share: the limits Mote runs under, a walk over everything
 * `mote inspect` reads, and one load-create-allocate-invoke pass with inputs derived from
 * a seed.
 *
 * Each target (fuzz_load.c, fuzz_run.c, fuzz_structured.c) defines LLVMFuzzerTestOneInput.
 * Built with -fsanitize=fuzzer it is a libFuzzer binary; linked with replay.c instead it
 * is a plain program that runs the inputs it is given (files or folders), so machines
 * without libFuzzer replay the corpus too.
 *
 * A finding is any crash, sanitizer report, timeout or leak, and also a broken promise of
 * the API, which the targets turn into an abort (FUZZ_ASSERT): a failure without a
 * message, an error status outside the enum, an invoke that allocates when no tensor is
 * dynamic. */
#ifndef MOTE_FUZZ_H
#define MOTE_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "mote.h"

/* Limits every target sets (mote_options_set_limit): a hostile shape cannot ask for more
 * than this, and a loop cannot spin for long. */
#define FUZZ_ARENA_LIMIT ((uint64_t)64 << 20)
#define FUZZ_TENSOR_LIMIT 100000u
#define FUZZ_WHILE_LIMIT 32u
#define FUZZ_NESTING_LIMIT 8u

/* A work budget per input, in element operations: a valid model may legitimately ask for
 * hours of arithmetic (a 64 MiB convolution with a large filter), which is not a finding.
 * Every operator is wrapped (except those the interpreter may evaluate during prepare,
 * linear in tensors the arena limit bounds), its eval charged an upper bound of its work
 * from the shapes it runs with, and an eval that would cross the budget fails with
 * MOTE_ERROR_LIMIT instead of running. A watchdog cancels an invoke still running after
 * FUZZ_INVOKE_SECONDS (loops of cheap operators). */
#define FUZZ_WORK_BUDGET ((uint64_t)1 << 23)
#define FUZZ_INVOKE_SECONDS 3

/* Aborts (a finding) when cond is false, naming the broken promise. */
#define FUZZ_ASSERT(cond, what) fuzz_assert((cond) != 0, (what), __FILE__, __LINE__)
void fuzz_assert(int ok, const char *what, const char *file, int line);

/* A failed call must come with a message and a status from the enum. */
void fuzz_check_status(mote_status st, const char *message, const char *call);

/* Reads everything `mote inspect` reads of a loaded model (through the public API and the
 * model descriptions), touching every byte it points at. */
void fuzz_walk_model(const mote_model *model);

/* Options with the limits above, the signal operators and the budgeted operator wrappers;
 * NULL when out of memory. */
mote_options *fuzz_options(void);

/* Runs a model as the fuzz_run target does: load, create, allocate, fill the inputs from
 * seed, invoke, read the outputs, then the signatures; `passes` more invokes of varying
 * kinds (resize, reset, again) when seed says so. The bytes need not be a valid model. */
void fuzz_run_model(const uint8_t *bytes, size_t size, uint64_t seed);

/* 64-bit FNV-1a of the bytes, a seed for the inputs. */
uint64_t fuzz_hash(const uint8_t *data, size_t size);

/* Targets that build a model from their input say so: the model's bytes for replay's
 * --emit (valid until the next call). Targets whose input is the model return it. */
int fuzz_target_model(const uint8_t *data, size_t size, const uint8_t **model, size_t *model_size);

/* fuzz_structured.c, for the seed generator: the operators a description can select (the
 * registry, then the signal package), and where the last decoded description read its
 * first operator's selector (a little-endian u16 below 0xF000 picks operator k), SIZE_MAX
 * when it had no operator. */
int32_t fuzz_structured_op_count(void);
const mote_op *fuzz_structured_op(int32_t k);
/* The number of FlexBuffer keys a description picks custom options from. */
int fuzz_structured_flex_keys(void);
/* The field layout of operator k's own options table (tflite_option_layouts.c), or NULL. */
const char *fuzz_structured_layout(int32_t k);
size_t fuzz_structured_first_op(void);

#endif /* MOTE_FUZZ_H */
