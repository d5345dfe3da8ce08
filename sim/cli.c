/*
 * cli.c - the option parser of every command, and the main usage, man page
 * and bash completion generated from the command table (see cli.h).
 */
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <string.h>

#include "sim/cli.h"

struct cli_option {
	const char *name;
	const char *value; /* NULL: a flag */
};

static const struct cli_option cli_options[CLI_NR_IDS] = {
#define CLI_NAME(id, name, value) [CLI_##id] = { name, value },
	CLI_OPTIONS(CLI_NAME)
#undef CLI_NAME
};

_Static_assert(CLI_NR_IDS <= 64, "the options of a command are bits of a uint64_t");

/* getopt_long's value of an option: above every character, which are short options. */
#define CLI_VAL(id) (256 + (id))

int cli_usage_error(const struct cli_command *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "mmsim: %s: ", cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see 'mmsim %s --help')\n", cmd->name);
	return 2;
}

/* The operands @cmd takes: at least *@min, at most *@max (UINT_MAX: any number). */
static void cli_operand_count(const struct cli_command *cmd, unsigned *min, unsigned *max)
{
	const char *w = cmd->operands;

	*min = *max = 0;
	while (*w) {
		size_t len = strcspn(w, " ");

		*min += w[0] != '[';
		*max = len >= 3 && strncmp(w + len - 3, "...", 3) == 0 ? UINT_MAX : *max + 1;
		w += len + strspn(w + len, " ");
	}
}

void cli_start(struct cli_parser *p, const struct cli_command *cmd, int argc, char **argv)
{
	*p = (struct cli_parser){ .cmd = cmd, .argc = argc, .argv = argv };
	optind = 0; /* glibc: start afresh (a command may be parsed twice in one process) */
	opterr = 0; /* the messages are ours */
}

/* The id of option --@name (up to '=' or the end), or CLI_END if there is none. */
static int cli_option_named(const char *name)
{
	size_t len = strcspn(name, "=");

	for (int id = CLI_OPERAND + 1; id < CLI_NR_IDS; id++)
		if (strlen(cli_options[id].name) == len &&
		    strncmp(cli_options[id].name, name, len) == 0)
			return id;
	return CLI_END;
}

/* getopt_long's '?' or ':' on argument @arg: the message; CLI_STOP. */
static int cli_reject(struct cli_parser *p, const char *arg, bool missing_value)
{
	const struct cli_command *cmd = p->cmd;
	int id = optopt >= 256 ? optopt - CLI_VAL(0) : cli_option_named(arg + 2);

	p->status = 2;
	if (optopt > 0 && optopt < 256) /* a short option: -h is the only one */
		cli_usage_error(cmd, "unknown option '-%c'", optopt);
	else if (id == CLI_END)
		cli_usage_error(cmd, "unknown option '%.*s'", (int)strcspn(arg, "="), arg);
	else if (!(cmd->options & (UINT64_C(1) << id)))
		cli_usage_error(cmd, "--%s is not an option of %s", cli_options[id].name,
		                cmd->name);
	else if (missing_value)
		cli_usage_error(cmd, "--%s needs a value (--%s %s)", cli_options[id].name,
		                cli_options[id].name, cli_options[id].value);
	else
		cli_usage_error(cmd, "--%s takes no value, got '%s'", cli_options[id].name, arg);
	return CLI_STOP;
}

/*
 * Option @id was given as @arg: refused if abbreviated (getopt_long takes
 * "--qu" for --quiet), so that a later option cannot change what a command
 * line means. CLI_STOP after the message, else @id.
 */
static int cli_exact(struct cli_parser *p, int id, const char *arg)
{
	size_t len = strlen(cli_options[id].name);

	if (strncmp(arg + 2, cli_options[id].name, len) == 0 &&
	    (!arg[2 + len] || arg[2 + len] == '='))
		return id;
	p->status = 2;
	cli_usage_error(p->cmd, "unknown option '%.*s', did you mean --%s?", (int)strcspn(arg, "="),
	                arg, cli_options[id].name);
	return CLI_STOP;
}

/* An operand: counted, refused beyond what the command takes. */
static int cli_operand(struct cli_parser *p, char *arg)
{
	unsigned min, max;

	cli_operand_count(p->cmd, &min, &max);
	p->value = arg;
	if (++p->nr_operands <= max)
		return CLI_OPERAND;
	p->status = 2;
	cli_usage_error(p->cmd, "unexpected argument '%s'", arg);
	return CLI_STOP;
}

int cli_next(struct cli_parser *p)
{
	struct option longopts[CLI_NR_IDS + 1] = { { "help", no_argument, NULL, 'h' } };
	int n = 1, c, argc = p->argc - 1;
	char **argv = p->argv + 1; /* getopt_long starts after argv[0]: the command's name */

	if (p->status)
		return CLI_STOP;
	if (p->rest) /* after "--" */
		return p->rest < argc ? cli_operand(p, argv[p->rest++]) : CLI_END;
	for (int id = CLI_OPERAND + 1; id < CLI_NR_IDS; id++)
		if (p->cmd->options & (UINT64_C(1) << id))
			longopts[n++] = (struct option){ cli_options[id].name,
				                         cli_options[id].value ? required_argument
				                                               : no_argument,
				                         NULL, CLI_VAL(id) };
	longopts[n] = (struct option){ 0 };
	p->value = NULL;
	/* "-": operands come back in order, as 1; ":": a missing value is told apart */
	c = getopt_long(argc, argv, "-:h", longopts, NULL);
	if (c == -1 && optind < argc) {
		p->rest = optind;
		return cli_next(p);
	}
	if (c == -1)
		return CLI_END;
	if (c == 1)
		return cli_operand(p, optarg);
	if (c == 'h') {
		fputs(p->cmd->usage, stdout);
		p->status = 1;
		return CLI_STOP;
	}
	if (c == '?' || c == ':')
		return cli_reject(p, argv[optind - 1], c == ':');
	p->value = optarg;
	return cli_exact(p, c - CLI_VAL(0),
	                 optarg && optarg == argv[optind - 1] ? argv[optind - 2]
	                                                      : argv[optind - 1]);
}

int cli_end(struct cli_parser *p)
{
	unsigned min, max;

	cli_operand_count(p->cmd, &min, &max);
	if (p->status == 0 && p->nr_operands < min)
		p->status = cli_usage_error(p->cmd, "%s is needed", p->cmd->operands);
	return p->status;
}

const struct cli_command *cli_find(const struct cli_command *const *table, unsigned n,
                                   const char *name)
{
	for (unsigned i = 0; i < n; i++)
		if (strcmp(table[i]->name, name) == 0)
			return table[i];
	return NULL;
}

void cli_print_commands(FILE *f, const struct cli_command *const *table, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		char head[64];

		snprintf(head, sizeof(head), "%s %s", table[i]->name, table[i]->operands);
		fprintf(f, "  %-22s %s\n", head, table[i]->summary);
	}
}

/* ---- the man page ---------------------------------------------------------- */

/* @text as roff lines: backslashes and minus signs escaped, no line read as a request. */
static void man_text(FILE *f, const char *text)
{
	bool line_start = true;

	for (const char *s = text; *s; s++) {
		if (line_start && (*s == '.' || *s == '\''))
			fputs("\\&", f);
		if (*s == '\\')
			fputs("\\e", f);
		else if (*s == '-')
			fputs("\\-", f);
		else
			fputc(*s, f);
		line_start = *s == '\n';
	}
	if (!line_start)
		fputc('\n', f);
}

void cli_print_man(FILE *f, const struct cli_command *const *table, unsigned n, const char *about,
                   const char *version)
{
	fprintf(f,
	        ".\\\" generated by 'mmsim help --man'\n"
	        ".TH MMSIM 1 \"\" \"mmsim %s\" \"User Commands\"\n"
	        ".SH NAME\n"
	        "mmsim \\- discrete\\-event simulator of Linux mmap_sem contention\n"
	        ".SH SYNOPSIS\n"
	        ".B mmsim\n"
	        ".I command\n"
	        "[\\fIoperands\\fR] [\\fIoptions\\fR]\n"
	        ".br\n"
	        ".B mmsim help\n"
	        "[\\fIcommand\\fR]\n"
	        ".br\n"
	        ".B mmsim \\-\\-version\n"
	        ".SH DESCRIPTION\n",
	        version);
	man_text(f, about);
	fputs(".PP\n", f);
	man_text(f, "Options and operands come in any order. An option's value follows it as the "
	            "next argument or after '=': --out DIR and --out=DIR are the same. A repeated "
	            "option (--set, --point) applies in order. '--' ends the options. A command "
	            "refuses an option it does not take.\n");
	fputs(".SH COMMANDS\n", f);
	for (unsigned i = 0; i < n; i++) {
		fprintf(f, ".SS \"mmsim %s", table[i]->name);
		if (*table[i]->operands)
			fprintf(f, " %s", table[i]->operands);
		fputs("\"\n", f);
		man_text(f, table[i]->summary);
		fputs(".PP\n.nf\n", f);
		man_text(f, table[i]->usage);
		fputs(".fi\n", f);
	}
	fputs(".SH EXIT STATUS\n", f);
	man_text(f,
	         "0 success; 1 a run-time or I/O failure (the output folder cannot be written, a "
	         "point failed); 2 a usage or input error (nothing has run); 130 interrupted (the "
	         "finished points are kept).\n");
	fputs(".SH SEE ALSO\n.BR gnuplot (1)\n", f);
}

/* ---- the bash completion --------------------------------------------------- */

/* What the completion offers for operand or option value @what. */
static const char *completion_of(const char *what)
{
	size_t len = what ? strlen(what) : 0;

	if (!what || !*what)
		return "";
	if (strcmp(what, "[COMMAND]") == 0)
		return "commands";
	if (strcmp(what, "FILE") == 0 || (len >= 5 && strcmp(what + len - 5, ".json") == 0))
		return "json";
	if (strcmp(what, "DIR") == 0 || strcmp(what, "DIR...") == 0 || strcmp(what, "OUT") == 0)
		return "dirs";
	return "";
}

static void completion_words(FILE *f, const struct cli_command *const *table, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		fprintf(f, "%s ", table[i]->name);
}

void cli_print_bash_completion(FILE *f, const struct cli_command *const *table, unsigned n)
{
	fputs("# bash completion of mmsim, generated by 'mmsim help --bash-completion'\n"
	      "_mmsim_complete()\n{\n"
	      "\tcase $1 in\n"
	      "\tjson) compopt -o filenames 2> /dev/null\n"
	      "\t\tCOMPREPLY=($(compgen -d -- \"$2\") $(compgen -f -X '!*.json' -- \"$2\")) ;;\n"
	      "\tdirs) compopt -o filenames 2> /dev/null\n"
	      "\t\tCOMPREPLY=($(compgen -d -- \"$2\")) ;;\n"
	      "\tcommands) COMPREPLY=($(compgen -W '",
	      f);
	completion_words(f, table, n);
	fputs("' -- \"$2\")) ;;\n\tesac\n}\n\n"
	      "_mmsim()\n{\n"
	      "\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}\n"
	      "\tlocal opts operand\n"
	      "\tCOMPREPLY=()\n"
	      "\tif [ \"$COMP_CWORD\" -eq 1 ]; then\n"
	      "\t\tCOMPREPLY=($(compgen -W '",
	      f);
	completion_words(f, table, n);
	fputs("--help --version' -- \"$cur\"))\n\t\treturn\n\tfi\n\tcase $prev in\n", f);
	for (int id = CLI_OPERAND + 1; id < CLI_NR_IDS; id++)
		if (cli_options[id].value)
			fprintf(f, "\t--%s) _mmsim_complete '%s' \"$cur\"; return ;;\n",
			        cli_options[id].name, completion_of(cli_options[id].value));
	fputs("\tesac\n\tcase ${COMP_WORDS[1]} in\n", f);
	for (unsigned i = 0; i < n; i++) {
		fprintf(f, "\t%s) operand='%s' opts='", table[i]->name,
		        completion_of(table[i]->operands));
		for (int id = CLI_OPERAND + 1; id < CLI_NR_IDS; id++)
			if (table[i]->options & (UINT64_C(1) << id))
				fprintf(f, "--%s ", cli_options[id].name);
		fputs("--help' ;;\n", f);
	}
	fputs("\t*) return ;;\n\tesac\n"
	      "\tcase $cur in\n"
	      "\t-*) COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\")) ;;\n"
	      "\t*) _mmsim_complete \"$operand\" \"$cur\" ;;\n"
	      "\tesac\n}\n"
	      "complete -F _mmsim mmsim\n",
	      f);
}
