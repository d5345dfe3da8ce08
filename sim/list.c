/*
 * list.c - `mmsim list`: the tables the scenarios draw from (kernel profiles,
 * rwsem policies, operations and their parameters, distributions, sections)
 * and the metrics of the results, as aligned text or, with --markdown, as the
 * Markdown tables of the README.
 *
 * In Markdown each table sits between "<!-- mmsim list --markdown: NAME -->"
 * and "<!-- end -->", the markers tests/readme-tables.sh copies it by.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/dist.h"
#include "models/kernel_profiles.h"
#include "models/mm.h"
#include "models/rwsem.h"
#include "models/thread.h"
#include "sim/list.h"
#include "sim/params.h"
#include "sim/record.h"
#include "sim/scenario.h"
#include "sim/util.h"

static bool markdown;
static bool started; /* a table printed: the next is set apart by a blank line */

/* @s in a Markdown table cell: '|' would end the cell, '<' start an HTML tag. */
static void md_print(const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			fputs("\\|", stdout);
		else if (*s == '<')
			fputs("&lt;", stdout);
		else if (*s == '>')
			fputs("&gt;", stdout);
		else
			putchar(*s);
	}
}

/* One cell: "| `s` " or "| s " (Markdown only). */
static void md_cell(const char *s, bool code)
{
	fputs(code ? "| `" : "| ", stdout);
	md_print(s);
	fputs(code ? "` " : " ", stdout);
}

/* The header row of a Markdown table, its @n column names, and the rule below it. */
static void md_header(const char *const *columns, int n)
{
	for (int i = 0; i < n; i++)
		printf("| %s ", columns[i]);
	printf("|\n");
	for (int i = 0; i < n; i++)
		printf("|---");
	printf("|\n");
}

/*
 * Starts a table: the plain text's title line ("\n" @title ":"), or a
 * Markdown heading and the opening marker of block @block.
 */
static void list_begin(const char *block, const char *title)
{
	if (started)
		printf("\n");
	started = true;
	if (markdown)
		printf("### %s\n\n<!-- mmsim list --markdown: %s -->\n", title, block);
	else
		printf("%s:\n", title);
}

static void list_end(void)
{
	if (markdown)
		printf("<!-- end -->\n");
}

/* The values @p takes: "[min, max]", its choices, or none (a name). */
static void param_values(const struct param *p, char *buf, size_t size)
{
	const char *sep = markdown ? ", " : "|", *quote = markdown ? "`" : "";
	size_t n = 0;

	buf[0] = '\0';
	if (p->type == PARAM_DOUBLE || p->type == PARAM_UINT || p->type == PARAM_DIST) {
		snprintf(buf, size, "[%g, %g]", p->min, p->max);
	} else if (p->type == PARAM_ENUM) {
		for (int i = 0; p->choices[i] && n < size - 1; i++)
			n += (size_t)snprintf(buf + n, size - n, "%s%s%s%s", i ? sep : "", quote,
			                      p->choices[i], quote);
	} else if (p->type == PARAM_BOOL) {
		snprintf(buf, size, markdown ? "`true`, `false`" : "true|false");
	}
}

static const char *const param_columns[] = { "", "Key", "Default", "Values", "Meaning", "Source" };

/* An extra column of a parameter table: its text for @p into @buf. */
typedef void (*param_column_fn)(const struct param *p, char *buf, size_t size);

/*
 * The rows of a parameter table (the header is the caller's in Markdown);
 * @nested: an op's, indented under it, with an empty first column; @extra,
 * if not NULL, a last column (plain text: a line of its own below the row).
 */
static void list_param_rows(const struct param *table, bool nested, param_column_fn extra)
{
	const char *indent = nested ? "      " : "  ";

	for (const struct param *p = table; p->key; p++) {
		char values[256], column[2048] = "";

		param_values(p, values, sizeof(values));
		if (extra)
			extra(p, column, sizeof(column));
		if (!markdown) {
			printf("%s%-18s default %-10s %-22s %s\n", indent, p->key,
			       p->def ? p->def : "-", values, p->doc);
			if (extra && *column)
				printf("%s%-18s %s: %s\n", indent, "", param_columns[5], column);
			continue;
		}
		if (nested)
			printf("| ");
		md_cell(p->key, true);
		md_cell(p->def ? p->def : "-", p->def != NULL);
		md_cell(values, false);
		md_cell(p->doc, false);
		if (extra)
			md_cell(column, false);
		printf("|\n");
	}
}

/* A table of parameters, titled; @block names it in Markdown; @extra: a "Source" column. */
static void list_params(const char *block, const char *title, const struct param *table,
                        param_column_fn extra)
{
	list_begin(block, title);
	if (markdown)
		md_header(param_columns + 1, extra ? 5 : 4);
	list_param_rows(table, false, extra);
	list_end();
}

/* The Source cell of a feature being written. */
struct source_cell {
	const struct param *feature;
	char *buf;
	size_t size, len;
};

/* "value: source" (an enum) or "source" (a bool), after a "; " if not the first. */
static void feature_source_add(int value, const char *source, void *arg)
{
	struct source_cell *t = arg;

	if (t->len >= t->size)
		return;
	t->len +=
	        (size_t)snprintf(t->buf + t->len, t->size - t->len, "%s%s%s%s", t->len ? "; " : "",
	                         t->feature->type == PARAM_ENUM ? t->feature->choices[value] : "",
	                         t->feature->type == PARAM_ENUM ? ": " : "", source);
}

/* The Source column of the features table: the changes that set @p, oldest first. */
static void feature_sources(const struct param *p, char *buf, size_t size)
{
	struct source_cell t = { p, buf, size, 0 };

	buf[0] = '\0';
	kernel_feature_sources(p->offset, feature_source_add, &t);
}

/* A feature's value in a profile, as `mmsim list` shows it. */
static const char *feature_text(const struct param *p, const struct kernel_features *f)
{
	const char *field = (const char *)f + p->offset;

	if (p->type == PARAM_BOOL)
		return *(const bool *)field ? "yes" : "no";
	return p->choices[*(const int *)field]; /* PARAM_ENUM */
}

static void list_profiles_markdown(void)
{
	const struct param *p;

	printf("| Profile ");
	for (p = kernel_feature_params; p->key; p++)
		printf("| `%s` ", p->key);
	printf("| What changed |\n|---");
	for (p = kernel_feature_params; p->key; p++)
		printf("|---");
	printf("|---|\n");
	for (const struct kernel_profile *k = kernel_profiles; k->name; k++) {
		md_cell(k->name, true);
		for (p = kernel_feature_params; p->key; p++)
			md_cell(feature_text(p, &k->features), p->type == PARAM_ENUM);
		md_cell(k->doc, false);
		printf("|\n");
	}
}

static void list_profiles(void)
{
	const struct param *p;

	list_begin("profiles",
	           "kernel profiles (\"kernel\"; override single features with \"features\")");
	if (markdown) {
		list_profiles_markdown();
	} else {
		printf("  %-16s", "name");
		for (p = kernel_feature_params; p->key; p++)
			printf(" %-*s", (int)strlen(p->key), p->key);
		printf("\n");
		for (const struct kernel_profile *k = kernel_profiles; k->name; k++) {
			printf("  %-16s", k->name);
			for (p = kernel_feature_params; p->key; p++)
				printf(" %-*s", (int)strlen(p->key), feature_text(p, &k->features));
			printf("\n  %16s %s\n", "", k->doc);
		}
	}
	list_end();
	list_params("features", "features (keys of \"features\")", kernel_feature_params,
	            feature_sources);
}

/* A row of a two- or three-column table of names: "  name  [second]  doc". */
static void list_named_row(const char *name, const char *second, const char *doc)
{
	if (!markdown) {
		if (second)
			printf("  %-16s %-16s %s\n", name, second, doc);
		else
			printf("  %-16s %s\n", name, doc);
		return;
	}
	md_cell(name, true);
	if (second)
		md_cell(second, false);
	md_cell(doc, false);
	printf("|\n");
}

static void list_policies(void)
{
	static const char *const columns[] = { "Policy", "Rules" };

	list_begin("policies", "rw-semaphore policies (feature \"rwsem_policy\")");
	if (markdown)
		md_header(columns, 2);
	for (int i = 0; rwsem_policies[i]; i++)
		list_named_row(rwsem_policies[i]->name, NULL, rwsem_policies[i]->doc);
	list_end();
}

static void list_ops(void)
{
	list_begin("ops", "thread operations (\"loop\": [{\"op\": NAME, ...}])");
	if (markdown)
		md_header(param_columns, 5);
	for (int i = 0; thread_ops[i].name; i++) {
		if (markdown) {
			printf("| **`%s`** | | | | ", thread_ops[i].name);
			md_print(thread_ops[i].doc);
			printf(" |\n");
		} else {
			printf("  %-16s %s\n", thread_ops[i].name, thread_ops[i].doc);
		}
		list_param_rows(thread_ops[i].params, true, NULL);
	}
	printf(markdown ? "| *every op also takes* | | | | |\n" : "  every op also takes:\n");
	list_param_rows(op_common_params, true, NULL);
	list_end();
}

static void list_distributions(void)
{
	static const char *const columns[] = { "Distribution", "Keys", "Meaning" };

	list_begin("distributions",
	           "distributions (any time parameter: a number, or {\"dist\": NAME, ...})");
	if (markdown)
		md_header(columns, 3);
	for (const struct dist_info *d = dist_table; d->name; d++) {
		const char *quote = markdown ? "`" : "";
		char keys[64];

		snprintf(keys, sizeof(keys), "%s%s%s%s%s%s%s", quote, d->a, quote, d->b ? ", " : "",
		         d->b ? quote : "", d->b ? d->b : "", d->b ? quote : "");
		list_named_row(d->name, keys, d->doc);
	}
	list_end();
}

/*
 * The top-level keys of a scenario, then the keys of each section that is an
 * object of parameters: all from the table the loader reads them with.
 */
static void list_sections(void)
{
	static const char *const columns[] = { "Key", "Meaning" };
	const struct scenario_section *sec;

	list_begin("sections", "top-level keys of a scenario");
	if (markdown)
		md_header(columns, 2);
	for (sec = scenario_sections; sec->key; sec++)
		list_named_row(sec->key, NULL, sec->doc);
	list_end();
	for (sec = scenario_sections; sec->key; sec++) {
		char *title;

		if (!sec->params)
			continue;
		title = xasprintf("\"%s\": %s", sec->key, sec->doc);
		list_params(sec->key, title, sec->params, NULL);
		free(title);
	}
}

/* The metrics of results.json, each family's documented rows in their order. */
static void list_metrics(void)
{
	static const char *const columns[] = { "Metric", "Meaning" };

	list_begin("metrics",
	           "metrics (results.json's \"metrics\"; `*`: {mean, p50, p90, p99, p999, "
	           "max} in microseconds)");
	if (markdown)
		md_header(columns, 2);
	for (const struct metric_family *const *f = metric_families; *f; f++)
		for (const struct metric_doc *d = (*f)->docs; d->metric; d++)
			/* the cells are Markdown already: raw, as the README has them */
			printf(markdown ? "| %s | %s |\n" : "  %-40s %s\n", d->metric, d->meaning);
	list_end();
}

void list_print(bool as_markdown)
{
	markdown = as_markdown;
	started = false;
	list_profiles();
	list_policies();
	list_params("thread-groups",
	            "thread groups (\"processes\"[].\"threads\"[], each with a \"name\" and a "
	            "\"loop\")",
	            thread_group_params, NULL);
	list_ops();
	list_distributions();
	list_sections();
	printf(markdown ? "\n### processes\n\n" : "\n");
	printf("processes (\"processes\"[]: \"name\", \"count\" (1: identical processes), "
	       "\"cgroup\", \"mappings\", \"threads\")\n");
	list_params("mappings",
	            "mappings (\"processes\"[].\"mappings\"[], each with a \"name\"; file mappings "
	            "may name their \"file\" and the \"device\" it lies on, one of \"devices\")",
	            mapping_params, NULL);
	list_metrics();
}
