/*
 * cli.h - the command line: a table of commands (name, operands, summary,
 * usage, the options each takes, its function), one option parser over it
 * (getopt_long: --opt VALUE, --opt=VALUE, options and operands in any order),
 * and what is generated from the table: the main usage, the man page, the
 * bash completion.
 *
 * Adding an option: one line in CLI_OPTIONS below, its bit in the options of
 * each command that takes it, a case in that command's parsing loop and a line
 * in its usage text. Adding a command: a struct cli_command next to its code,
 * listed in the table of main.c.
 */
#ifndef SIM_CLI_H
#define SIM_CLI_H

#include <stdint.h>
#include <stdio.h>

/*
 * Every option of every command: X(ID, NAME, VALUE). VALUE names the value
 * (NULL: a flag) in messages, the man page and the completion, which
 * completes folder names after a DIR, file names after a FILE.
 */
#define CLI_OPTIONS(X)                                                                             \
	X(SET, "set", "PATH=VALUE")                                                                \
	X(SEED, "seed", "N")                                                                       \
	X(OUT, "out", "DIR")                                                                       \
	X(QUIET, "quiet", NULL)                                                                    \
	X(JOBS, "jobs", "N")                                                                       \
	X(POINT, "point", "ID")                                                                    \
	X(SHARD, "shard", "K/N")                                                                   \
	X(FORCE, "force", NULL)                                                                    \
	X(INTERVAL_MS, "interval-ms", "MS")                                                        \
	X(NO_LOOKAHEAD, "no-lookahead", NULL)                                                      \
	X(STACK_KB, "stack-kb", "N")                                                               \
	X(VARY, "vary", "PATH")                                                                    \
	X(RANGE, "range", "LO:HI")                                                                 \
	X(TARGET, "target", "'METRIC < VALUE'")                                                    \
	X(REPLICATIONS, "replications", "N")                                                       \
	X(MAX_REPLICATIONS, "max-replications", "N")                                               \
	X(LOG, "log", NULL)                                                                        \
	X(TOLERANCE, "tolerance", "X")                                                             \
	X(FORMAT, "format", "LIST")                                                                \
	X(COLUMNS, "columns", "LIST")                                                              \
	X(SCENARIO, "scenario", "FILE")                                                            \
	X(DIR, "dir", "DIR")                                                                       \
	X(MARKDOWN, "markdown", NULL)                                                              \
	X(MAN, "man", NULL)                                                                        \
	X(BASH_COMPLETION, "bash-completion", NULL)                                                \
	X(SECONDS, "seconds", "N")                                                                 \
	X(FILE_MB, "file-mb", "N")                                                                 \
	X(EXPERIMENT, "experiment", "NAME")                                                        \
	X(REPETITIONS, "repetitions", "N")                                                         \
	X(TRACE, "trace", "FILE")                                                                  \
	X(TRACE_WINDOW, "trace-window", "T0:T1")                                                   \
	X(TRACE_FORMAT, "trace-format", "tef|paje")

/* What cli_next returns: CLI_END, CLI_STOP, CLI_OPERAND or an option's id. */
/* clang-format off */
enum cli_id {
	CLI_STOP = -1, /* --help printed, or an error: cli_end says which */
	CLI_END = 0,   /* no argument left */
	CLI_OPERAND,   /* an operand (a positional argument), in .value */
#define CLI_ID(id, name, value) CLI_##id,
	CLI_OPTIONS(CLI_ID)
#undef CLI_ID
	CLI_NR_IDS
};
/* clang-format on */

/* The bit of option CLI_@id in the options of a command. */
#define CLI_OPT(id) (UINT64_C(1) << CLI_##id)

struct cli_command {
	const char *name;
	const char *operands;               /* "SCENARIO.json", "DIR...", "[COMMAND]", "" */
	const char *summary;                /* one line, in the main usage and the man page */
	const char *usage;                  /* what `mmsim NAME --help` prints */
	uint64_t options;                   /* CLI_OPT(SET) | ... */
	int (*main)(int argc, char **argv); /* argv[1] is the name */
};

/* The parsing of one command's arguments, argv[2] on. */
struct cli_parser {
	const struct cli_command *cmd;
	int argc;
	char **argv;
	char *value; /* of the option or operand cli_next returned */
	unsigned nr_operands;
	int status; /* 0, 1: --help printed, 2: error printed */
	int rest;   /* the arguments after "--": operands */
};

/* Starts parsing argv[2..argc-1] with the options of @cmd. */
void cli_start(struct cli_parser *p, const struct cli_command *cmd, int argc, char **argv);

/*
 * The next argument, in command-line order: an option's id (its value, if it
 * takes one, in p->value), CLI_OPERAND, CLI_END, or CLI_STOP after --help or
 * an error (printed: an option @cmd does not take, a missing value, one
 * operand too many).
 */
int cli_next(struct cli_parser *p);

/* After the loop over cli_next: 0, 1 (--help was printed) or 2 (an error, printed). */
int cli_end(struct cli_parser *p);

/* Prints "mmsim: NAME: MESSAGE (see 'mmsim NAME --help')" on stderr; returns 2. */
int cli_usage_error(const struct cli_command *cmd, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

/* The command named @name in @table (@n commands), or NULL. */
const struct cli_command *cli_find(const struct cli_command *const *table, unsigned n,
                                   const char *name);

/* The list of commands of the main usage: "  NAME OPERANDS   summary" each. */
void cli_print_commands(FILE *f, const struct cli_command *const *table, unsigned n);

/* The man page (roff) of the whole program: @about is the main usage's description. */
void cli_print_man(FILE *f, const struct cli_command *const *table, unsigned n, const char *about,
                   const char *version);

/* A bash completion script for the commands of @table and their options. */
void cli_print_bash_completion(FILE *f, const struct cli_command *const *table, unsigned n);

#endif
