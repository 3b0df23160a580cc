/* cli.h — what the `mote` subcommands share: exit codes, messages, files, shapes. */
#ifndef MOTE_TOOLS_CLI_H
#define MOTE_TOOLS_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "mote.h"

/* Exit codes. Scripts tell "not supported yet" (a missing operator or type) apart from a
 * real failure by CLI_EXIT_UNSUPPORTED. */
enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_FAIL = 1,
    CLI_EXIT_USAGE = 2,
    CLI_EXIT_UNSUPPORTED = 3
};

/* Subcommands; argv[0] is the subcommand's name. Each returns an exit code. */
int cmd_inspect(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_ops(int argc, char **argv);

/* Prints "mote: <message>" on stderr and returns CLI_EXIT_FAIL. */
int cli_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
/* Reports why a model failed to load, naming the file once. Returns CLI_EXIT_FAIL. */
int cli_model_error(const char *path, const mote_model *model);
/* Exit code for a failed Mote call: CLI_EXIT_UNSUPPORTED for MOTE_ERROR_UNSUPPORTED. */
int cli_exit_code(mote_status status);

/* Reads a whole file (at most max_bytes) into a malloc'ed buffer with a NUL after the
 * data. Returns 0, or -1 with a message in err. */
int cli_read_file(const char *path, size_t max_bytes, unsigned char **data, size_t *size, char *err,
                  size_t err_size);
/* Writes size bytes; returns 0, or -1 with errno set. */
int cli_write_file(const char *path, const void *data, size_t size);
/* Creates a directory and its missing parents; returns 0 or -1 with errno set. */
int cli_mkdir_p(const char *path);
/* dir + "/" + name in a malloc'ed string, or NULL when out of memory. */
char *cli_path_join(const char *dir, const char *name);

/* Parses a whole decimal integer within [min, max]; returns 0 or -1. */
int cli_parse_int(const char *s, long long min, long long max, long long *out);

/* "[1, 8, 8, 3]" into buf (truncated to fit). */
const char *cli_format_shape(int32_t rank, const int32_t *dims, char *buf, size_t size);
/* The mote_type whose NumPy name (mote_type_name) is name; returns 0 or -1. */
int cli_type_from_name(const char *name, mote_type *type);

/* Monotonic time in seconds. */
double cli_now(void);

#endif /* MOTE_TOOLS_CLI_H */
