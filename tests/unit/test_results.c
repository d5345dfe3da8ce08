/*
 * test_results.c - results.json sealed and verified: a sealed file reads
 * back; reformatted, it still does; a changed value, a missing checksum, a
 * wrong point, a truncated or empty file, a folder and a link are refused
 * with a reason; no file at all has none.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/output.h"
#include "sim/results.h"
#include "sim/util.h"
#include "tests/unit/harness.h"

static char dir[] = "/tmp/mmsim-test-results-XXXXXX";

static json_t *sample(void)
{
	return json_pack("{s{ss} s{sf sf si}}", "point", "id", "0123456789ab", "metrics", "x",
	                 1.0 / 3.0, "y", 1e-300, "n", 42);
}

static char *path(const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

/* Writes @text to @name in the folder; its path (new string). */
static char *put(const char *name, const char *text)
{
	char *p = path(name);
	FILE *f = fopen(p, "w");

	fputs(text, f);
	fclose(f);
	return p;
}

/* results_load of @file for point @id: NULL, with a reason containing @why. */
static void refused(const char *file, const char *id, const char *why)
{
	char *reason;
	json_t *r = results_load(file, id, &reason);

	CHECK(r == NULL);
	CHECK(reason && strstr(reason, why));
	if (reason && !strstr(reason, why))
		printf("  reason: %s\n", reason);
	free(reason);
	json_decref(r);
}

static char *sealed_text(void)
{
	char *p = path("results.json"), *text;
	FILE *f;
	long n;

	f = fopen(p, "r");
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	text = xmalloc((size_t)n + 1);
	text[fread(text, 1, (size_t)n, f)] = '\0';
	fclose(f);
	free(p);
	return text;
}

static void sealed_results_read_back(void)
{
	json_t *s = sample(), *r;
	char *why, *p = path("results.json");

	CHECK(results_write(dir, s) == 0);
	r = results_load(p, "0123456789ab", &why);
	CHECK(r && !why);
	CHECK(json_integer_value(json_object_get(json_object_get(r, "metrics"), "n")) == 42);
	json_decref(r);
	r = results_load(p, NULL, &why); /* any point */
	CHECK(r && !why);
	json_decref(r);
	json_decref(s);
	free(p);
}

static void reformatted_results_still_verify(void)
{
	char *text = sealed_text(), *why, *p;
	json_t *r = json_loads(text, 0, NULL);
	char *compact = json_dumps(r, JSON_COMPACT | OUTPUT_JSON_REALS);

	p = put("compact.json", compact);
	json_decref(r);
	r = results_load(p, "0123456789ab", &why);
	CHECK(r && !why);
	json_decref(r);
	free(p);
	free(compact);
	free(text);
}

static void damaged_results_are_refused(void)
{
	char *text = sealed_text(), *p, *c;

	p = put("a.json", text);
	refused(p, "ba9876543210", "names point 0123456789ab, not ba9876543210");
	free(p);
	c = strstr(text, "\"n\": 42") + 5;
	c[1] = '3'; /* n: 43 */
	p = put("b.json", text);
	refused(p, "0123456789ab", "does not match");
	free(p);
	c[1] = '\0'; /* truncated */
	p = put("c.json", text);
	refused(p, "0123456789ab", "not valid JSON");
	free(p);
	p = put("d.json", "");
	refused(p, "0123456789ab", "not valid JSON");
	free(p);
	p = put("e.json", "[]");
	refused(p, "0123456789ab", "no metrics");
	free(p);
	p = put("f.json", "{\"point\": {\"id\": \"0123456789ab\"}, \"metrics\": {}}");
	refused(p, "0123456789ab", "no content_sha256");
	free(p);
	free(text);
}

static void folders_and_links_are_refused(void)
{
	char *p = path("results.json"), *link = path("link.json"), *why;
	json_t *r;

	CHECK(symlink(p, link) == 0);
	refused(link, "0123456789ab", "cannot open it");
	refused(dir, "0123456789ab", "not a regular file");
	r = results_load("/nonexistent/results.json", "0123456789ab", &why);
	CHECK(!r && !why); /* no file: unfinished, nothing wrong */
	free(p);
	free(link);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	TEST(sealed_results_read_back);
	TEST(reformatted_results_still_verify);
	TEST(damaged_results_are_refused);
	TEST(folders_and_links_are_refused);
	remove_tree(dir);
	return harness_failures ? 1 : 0;
}
