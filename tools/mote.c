/* mote.c — the `mote` command: a table of subcommands (one file each) and the usage text. */
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "cli.h"
#include "mote.h"

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv); /* argv[0] is the subcommand's name */
    const char *summary;
} command;

/* Later subcommands (quantize, convert) go here, each in its own file. */
static const command commands[] = {
    {"inspect", cmd_inspect, "describe a model: tensors, operators, signatures, arena size"},
    {"run", cmd_run, "run a model once on given, golden or random inputs"},
    {"bench", cmd_bench, "time a model: latency statistics, memory, per-operator profile"},
    {"ops", cmd_ops, "list the operators Mote implements and the types each accepts"},
};

static void print_usage(FILE *f) {
    fprintf(f, "usage: mote COMMAND [arguments]\n\n"
               "Runs TensorFlow Lite models (.tflite) with Mote %s.\n\ncommands:\n",
            MOTE_VERSION_STRING);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "  %-10s %s\n", "help", "this text, or `mote help COMMAND` for one command");
    fprintf(f, "\noptions: --version, --help\n");
}

static const command *find(const char *name) {
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i].name, name) == 0) return &commands[i];
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        print_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
        printf("mote %s\n", MOTE_VERSION_STRING);
        return CLI_EXIT_OK;
    }
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
        if (argc > 2 && strcmp(name, "help") == 0) {
            const command *c = find(argv[2]);
            if (!c) {
                fprintf(stderr, "mote: no command '%s'\n", argv[2]);
                return CLI_EXIT_USAGE;
            }
            char *help_argv[] = {argv[2], "--help", NULL};
            return c->run(2, help_argv);
        }
        print_usage(stdout);
        return CLI_EXIT_OK;
    }
    const command *c = find(name);
    if (!c) {
        fprintf(stderr, "mote: unknown command '%s'\n\n", name);
        print_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    return c->run(argc - 1, argv + 1);
}
