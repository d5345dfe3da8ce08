/* results.c - results.json sealed and verified (see results.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/output.h"
#include "sim/results.h"
#include "sim/sha256.h"
#include "sim/util.h"

/* The largest results file read: far above any real one (a few hundred kB). */
#define RESULTS_MAX_BYTES (64u << 20)

/* The checksum of @root without its own checksum key. */
static void results_checksum(json_t *root, char hex[65])
{
	json_t *copy = json_copy(root);
	char *text;

	json_object_del(copy, RESULTS_CHECKSUM_KEY);
	text = json_dumps(copy, JSON_COMPACT | JSON_SORT_KEYS | OUTPUT_JSON_REALS);
	sha256_hex(text, strlen(text), hex);
	free(text);
	json_decref(copy);
}

int results_write(const char *dir, json_t *root)
{
	char hex[65], *text, *path = xasprintf("%s/results.json", dir);
	int rc = mkdir_p(dir);

	results_checksum(root, hex);
	json_object_set_new(root, RESULTS_CHECKSUM_KEY, json_string(hex));
	text = json_dumps(root, OUTPUT_JSON_FLAGS);
	if (rc == 0)
		rc = write_file_atomic(path, text, strlen(text));
	free(text);
	free(path);
	return rc;
}

/* The file's text if it is a regular file of a sane size; NULL with *@why, or ENOENT. */
static char *results_read(const char *path, size_t *len, char **why)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	char *text = NULL;
	ssize_t n = 0;

	if (fd < 0) {
		if (errno != ENOENT)
			*why = xasprintf("cannot open it: %s", strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st)) {
		*why = xasprintf("cannot read it: %s", strerror(errno));
	} else if (!S_ISREG(st.st_mode) || st.st_size > RESULTS_MAX_BYTES) {
		*why = xstrdup(!S_ISREG(st.st_mode) ? "not a regular file"
		                                    : "larger than any results");
	} else {
		text = xmalloc((size_t)st.st_size + 1);
		n = read(fd, text, (size_t)st.st_size + 1);
		if (n != st.st_size) {
			*why = n < 0 ? xasprintf("cannot read it: %s", strerror(errno))
			             : xstrdup("its size changed while it was read");
			free(text);
			text = NULL;
		}
	}
	close(fd);
	*len = text ? (size_t)n : 0;
	return text;
}

/* What is wrong with the parsed @root as the results of point @id, or NULL. */
static char *results_fault(json_t *root, const char *id)
{
	const char *sum = json_string_value(json_object_get(root, RESULTS_CHECKSUM_KEY));
	const char *own = json_string_value(json_object_get(json_object_get(root, "point"), "id"));
	char hex[65];

	if (!json_is_object(root) || !json_is_object(json_object_get(root, "metrics")))
		return xstrdup("no metrics in it");
	if (!sum)
		return xstrdup("no " RESULTS_CHECKSUM_KEY " in it (written by an older mmsim?)");
	if (!own)
		return xstrdup("it names no point");
	if (id && strcmp(own, id) != 0)
		return xasprintf("it names point %s, not %s", own, id);
	results_checksum(root, hex);
	if (strcmp(hex, sum) != 0)
		return xstrdup("its content does not match its " RESULTS_CHECKSUM_KEY);
	return NULL;
}

json_t *results_load(const char *path, const char *id, char **why)
{
	size_t len;
	char *text;
	json_t *root;
	json_error_t e;

	*why = NULL;
	if (!(text = results_read(path, &len, why)))
		return NULL;
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &e);
	free(text);
	if (!root)
		*why = xasprintf("not valid JSON (line %d: %s)", e.line, e.text);
	else if ((*why = results_fault(root, id)))
		root = (json_decref(root), NULL);
	return root;
}

json_t *results_load_point(const char *out, const char *id, const char *then)
{
	char *why = NULL, *path = xasprintf("%s/points/%s", out, id);
	struct stat st;
	json_t *r = NULL;

	if (lstat(path, &st) == 0 && !S_ISDIR(st.st_mode)) { /* a link: never followed */
		why = xstrdup("not a folder (a link or a file)");
	} else {
		free(path);
		path = xasprintf("%s/points/%s/results.json", out, id);
		r = results_load(path, id, &why);
	}
	if (why)
		fprintf(stderr, "mmsim: warning: %s: %s%s%s\n", path, why, then ? ": " : "",
		        then ? then : "");
	free(why);
	free(path);
	return r;
}

int results_each_point(const char *out, int (*fn)(void *ctx, const char *id), void *ctx)
{
	char *points = xasprintf("%s/points", out);
	DIR *d = opendir(points);
	struct dirent *e;
	int rc = 0;

	free(points);
	if (!d)
		return -1;
	while (rc == 0 && (e = readdir(d)))
		if (e->d_name[0] != '.')
			rc = fn(ctx, e->d_name);
	closedir(d);
	return rc;
}
