/*
 * scenario.c - scenario files to resolved sweep points (see scenario.h): the
 * file read, and each point loaded (scenario_sections.c), checked and given
 * its id. The pieces of the loader are listed in scenario_impl.h.
 *
 * The json_t tree stays in the loader: values are copied out into the model
 * config structs (through their parameter tables, params.c) and the tree is
 * released before anything runs.
 */
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#include "sim/figures.h"
#include "sim/input.h"
#include "sim/metrics/schema.h"
#include "sim/params.h"
#include "sim/scenario_impl.h"
#include "sim/sha256.h"
#include "sim/util.h"

/* The errors found so far, each repeat in another sweep point counted too. */
static int diag_hits(const struct diag *d)
{
	int n = d->total - d->n;

	for (int i = 0; i < d->n; i++)
		n += d->e[i].hits;
	return n;
}

/* until.metric names one number of point @s's metrics; checked if the point loaded without error. */
static void check_until_metric(struct diag *d, const struct scenario *s, bool loaded)
{
	char *err = s->until.metric && loaded ? metric_path_error(s, s->until.metric) : NULL;

	if (err)
		diag_error(d, ".until.metric", "%s", err);
	free(err);
}

/* Reads one point's JSON into @s; errors go to L->diag. */
void scenario_parse(struct scenario_loader *L, json_t *root, struct scenario *s)
{
	int errors_before = diag_hits(L->diag);

	scenario_sections_load(L, root, s);
	json_decref(L->op_defaults); /* the next point has its own */
	L->op_defaults = NULL;
	scenario_check(L->diag, root, s);
	check_until_metric(L->diag, s, diag_hits(L->diag) == errors_before);
	/* not after any error: an error repeated from an earlier point is not counted again */
	if (L->diag->total == 0) {
		char *text, sha[65];

		s->resolved = scenario_dump(s);
		text = json_dumps(s->resolved, JSON_COMPACT | JSON_SORT_KEYS);
		sha256_hex(text, strlen(text), sha);
		memcpy(s->id, sha, 12);
		s->id[12] = '\0';
		free(text);
	}
}

/* A parse error of @text, in jansson's words where they are clear. */
static void load_json_error(struct diag *d, const char *text, size_t len, const json_error_t *e)
{
	if (strspn(text, " \t\r\n") == len)
		diag_error_at(d, 0, 0, "empty file: a JSON object expected");
	else if (memchr(text, '\0', len)) /* jansson reads it as the end of the text */
		diag_error_at(d, 0, 0, "a NUL byte: JSON text expected, got binary data");
	/* jansson says "'}' expected" where a ',' is just as likely to be missing */
	else if (strncmp(e->text, "'}' expected", 12) == 0 ||
	         strncmp(e->text, "']' expected", 12) == 0)
		diag_error_at(d, e->line, e->column, "',' or %s", e->text);
	else
		diag_error_at(d, e->line, e->column, "%s", e->text);
}

static json_t *load_json(struct diag *d, const char *path, char sha[65])
{
	size_t len;
	char *err, *text = input_read(path, &len, &err);
	json_error_t e;
	json_t *root;

	if (!text) {
		diag_error_at(d, 0, 0, "cannot read the scenario: %s", err);
		free(err);
		return NULL;
	}
	sha256_hex(text, len, sha);
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &e);
	if (!root)
		load_json_error(d, text, len, &e);
	else if (!json_is_object(root))
		diag_error(d, "", "object expected, got %s", json_kind(root));
	free(text);
	return root;
}

static int scenario_load_as(struct scenario_set *set, const char *path,
                            const struct override *overrides, unsigned nr_overrides, long long seed,
                            bool slim)
{
	struct diag d;
	json_t *root;
	char *dir = xstrdup(path);
	const char *where = dirname(dir); /* of the empirical files; may be "." */

	memset(set, 0, sizeof(*set));
	set->path = xstrdup(path);
	set->given_seed = seed;
	set->given_set = json_array();
	for (unsigned i = 0; i < nr_overrides; i++) /* a plan's own overrides have no option */
		if (!overrides[i].option || *overrides[i].option)
			json_array_append_new(
			        set->given_set,
			        json_sprintf("%s=%s", overrides[i].path, overrides[i].value));
	diag_init(&d, set->path);
	root = load_json(&d, path, set->sha256);
	if (root && json_is_object(root)) {
		if (seed >= 0)
			json_object_set_new(root, "seed", json_integer(seed));
		scenario_load_sweep(&d, root, set, where, overrides, nr_overrides, slim);
		if (set->nr_points)
			set->name = xstrdup(set->points[0].name ? set->points[0].name : "scenario");
	}
	json_decref(root);
	free(dir);
	diag_print(&d);
	diag_release(&d);
	return d.total ? -1 : 0;
}

int scenario_load(struct scenario_set *set, const char *path, const struct override *overrides,
                  unsigned nr_overrides, long long seed)
{
	return scenario_load_as(set, path, overrides, nr_overrides, seed, false);
}

int scenario_load_ids(struct scenario_set *set, const char *path, const struct override *overrides,
                      unsigned nr_overrides, long long seed)
{
	return scenario_load_as(set, path, overrides, nr_overrides, seed, true);
}

void scenario_set_release(struct scenario_set *set)
{
	for (unsigned i = 0; i < set->nr_points; i++)
		scenario_release(&set->points[i]);
	for (unsigned a = 0; a < set->nr_axes; a++)
		free(set->axes[a]);
	free(set->axes);
	free(set->points);
	figures_free(set->figures, set->nr_figures);
	free(set->name);
	free(set->path);
	json_decref(set->given_set);
}
