/* outdir.c - the output folder's rules (see outdir.h). */
#define _DEFAULT_SOURCE /* flock() */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/outdir.h"
#include "sim/results.h"
#include "sim/util.h"

/* The folder this process holds: one at a time (a run, or a plan and its rounds). */
static struct {
	dev_t dev;
	ino_t ino;
	int fd; /* holds the lock */
	unsigned refs;
} held = { .fd = -1 };

int outdir_check_name(const char *out, const char *option)
{
	char *real;
	bool root;

	if (!*out) {
		fprintf(stderr, "mmsim: %s: a folder name expected, got ''\n", option);
		return 2;
	}
	real = realpath(out, NULL);
	root = strspn(out, "/") == strlen(out) || (real && strcmp(real, "/") == 0);
	free(real);
	if (root) {
		fprintf(stderr,
		        "mmsim: %s %s: the root folder; results go into a folder of their own\n",
		        option, out);
		return 2;
	}
	return 0;
}

json_t *outdir_origin(const struct scenario_set *set)
{
	json_t *axes = json_array();

	for (unsigned a = 0; a < set->nr_axes; a++)
		json_array_append_new(axes, json_string(set->axes[a]));
	return json_pack("{s{ss ss so} sO so}", "scenario", "name", set->name, "sha256",
	                 set->sha256, "axes", axes, "set", set->given_set, "seed",
	                 set->given_seed >= 0 ? json_integer(set->given_seed) : json_null());
}

/* 0: none; 1: *@origin read; -1: there but unreadable. */
static int outdir_origin_read(const char *dir, json_t **origin)
{
	char *path = xasprintf("%s/" OUTDIR_ORIGIN, dir);
	struct stat st;
	int rc = 0;

	*origin = NULL;
	if (lstat(path, &st) == 0) {
		*origin = S_ISREG(st.st_mode) ? json_load_file(path, JSON_REJECT_DUPLICATES, NULL)
		                              : NULL;
		rc = json_is_object(json_object_get(*origin, "scenario")) ? 1 : -1;
		if (rc < 0) {
			json_decref(*origin);
			*origin = NULL;
		}
	}
	free(path);
	return rc;
}

json_t *outdir_origin_of(const char *dir)
{
	json_t *o;

	return outdir_origin_read(dir, &o) > 0 ? o : NULL;
}

/* "scenario 'NAME' (sha256 0123456789ab) with --set P=V --seed N" (new string). */
static char *outdir_describe(json_t *origin)
{
	json_t *sc = json_object_get(origin, "scenario"), *seed = json_object_get(origin, "seed"),
	       *v;
	const char *name = json_string_value(json_object_get(sc, "name"));
	const char *sha = json_string_value(json_object_get(sc, "sha256"));
	char *opts = xstrdup(""), *t, *s;
	size_t i;

	json_array_foreach (json_object_get(origin, "set"), i, v) {
		t = xasprintf("%s --set %s", opts, json_string_value(v));
		free(opts);
		opts = t;
	}
	if (json_is_integer(seed)) {
		t = xasprintf("%s --seed %lld", opts, (long long)json_integer_value(seed));
		free(opts);
		opts = t;
	}
	s = xasprintf("scenario '%s' (sha256 %.12s)%s%s", name ? name : "?", sha ? sha : "?",
	              *opts ? " with" : ", no --set or --seed", opts);
	free(opts);
	return s;
}

static int outdir_refuse(const char *out, json_t *have, json_t *want)
{
	char *h = outdir_describe(have), *w = outdir_describe(want);

	fprintf(stderr,
	        "mmsim: %s holds the results of %s; this is a run of %s: choose another --out, or "
	        "remove %s first\n",
	        out, h, w, out);
	free(h);
	free(w);
	return 2;
}

struct outdir_scan {
	const char *out; /* borrowed */
	json_t *want;    /* borrowed */
};

/* One entry of OUT/points: 0 if it is no complete point or one of the wanted scenario, else 2. */
static int outdir_check_point(void *ctx, const char *id)
{
	struct outdir_scan *s = ctx;
	json_t *r = results_load_point(s->out, id, NULL);
	json_t *sc = json_object_get(r, "scenario"), *ws = json_object_get(s->want, "scenario");
	const char *keys[] = { "name", "sha256", "axes" };
	int rc = 0;

	for (int k = 0; sc && k < 3 && rc == 0; k++)
		if (!json_equal(json_object_get(sc, keys[k]), json_object_get(ws, keys[k]))) {
			json_t *have = json_pack("{sO}", "scenario", sc);

			fprintf(stderr, "mmsim: %s/points/%s: ", s->out, id);
			rc = outdir_refuse(s->out, have, s->want);
			json_decref(have);
		}
	json_decref(r);
	return rc;
}

/* A folder marked by no origin.json (an older mmsim's): its complete points must be @want's. */
static int outdir_check_points(const char *out, json_t *want)
{
	struct outdir_scan s = { out, want };
	int rc = results_each_point(out, outdir_check_point, &s);

	return rc < 0 ? 0 : rc;
}

/* OUT/points and each OUT/points/ID: folders, not links (a link would take writes elsewhere). */
static int outdir_check_links(const char *out)
{
	char *points = xasprintf("%s/points", out), *bad = NULL;
	int fd = open(points, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	DIR *d;
	struct dirent *e;

	if (fd < 0 && errno != ENOENT)
		bad = xstrdup(points);
	d = fd >= 0 ? fdopendir(fd) : NULL;
	while (d && !bad && (e = readdir(d)))
		if (e->d_name[0] != '.' && fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    !S_ISDIR(st.st_mode))
			bad = xasprintf("%s/%s", points, e->d_name);
	if (d)
		closedir(d);
	else if (fd >= 0)
		close(fd);
	if (bad)
		fprintf(stderr,
		        "mmsim: %s is not a folder (a link or a file): mmsim writes only into "
		        "folders it made and never follows a link out of %s; remove it, or choose "
		        "another --out\n",
		        bad, out);
	free(bad);
	free(points);
	return bad ? 2 : 0;
}

/* The folder holds @want's results only (if given), and says so; 0 or 2. */
static int outdir_mark(const char *out, json_t *want)
{
	json_t *have;
	int rc = outdir_origin_read(out, &have);
	char *path;

	if (rc < 0) {
		fprintf(stderr,
		        "mmsim: %s/" OUTDIR_ORIGIN
		        " is damaged: it cannot say which run the folder holds; remove it if %s "
		        "holds the results of this scenario only\n",
		        out, out);
		return 2;
	}
	if (!want || (have && json_equal(have, want))) {
		json_decref(have);
		return 0;
	}
	if (have) {
		rc = outdir_refuse(out, have, want);
		json_decref(have);
		return rc;
	}
	if ((rc = outdir_check_points(out, want)))
		return rc;
	path = xasprintf("%s/" OUTDIR_ORIGIN, out);
	{
		char *text = json_dumps(want, JSON_INDENT(2) | JSON_SORT_KEYS);

		rc = write_file_atomic(path, text, strlen(text)) ? 1 : 0;
		if (rc)
			fprintf(stderr, "mmsim: cannot write %s: %s\n", path, strerror(errno));
		free(text);
	}
	free(path);
	return rc;
}

static bool outdir_is_held(const char *out)
{
	struct stat st;

	return held.refs && stat(out, &st) == 0 && st.st_dev == held.dev && st.st_ino == held.ino;
}

static int outdir_lock(const char *out)
{
	struct stat st;
	int fd;

	if (mkdir_p(out) || (fd = open(out, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		fprintf(stderr, "mmsim: cannot create %s: %s\n", out, strerror(errno));
		return 1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno == EWOULDBLOCK)
			fprintf(stderr,
			        "mmsim: %s is in use by another mmsim (run, plan, suite or merge): "
			        "wait for it to end, or choose another --out\n",
			        out);
		else
			fprintf(stderr, "mmsim: cannot lock %s: %s\n", out, strerror(errno));
		close(fd);
		return 1;
	}
	fstat(fd, &st);
	held.dev = st.st_dev;
	held.ino = st.st_ino;
	held.fd = fd;
	held.refs = 1;
	return 0;
}

int outdir_open(const char *out, json_t *origin)
{
	char *points;
	int rc;

	if (outdir_is_held(out)) {
		held.refs++;
		if ((rc = outdir_mark(out, origin)))
			held.refs--;
		return rc;
	}
	if ((rc = outdir_check_name(out, "--out")) || (rc = outdir_lock(out)))
		return rc;
	rc = outdir_check_links(out);
	if (rc == 0)
		rc = outdir_mark(out, origin);
	points = xasprintf("%s/points", out);
	if (rc == 0 && mkdir_p(points)) {
		fprintf(stderr, "mmsim: cannot create %s: %s\n", points, strerror(errno));
		rc = 1;
	}
	free(points);
	if (rc)
		outdir_close(out);
	return rc;
}

void outdir_close(const char *out)
{
	(void)out;
	if (!held.refs || --held.refs)
		return;
	close(held.fd); /* drops the lock */
	held.fd = -1;
}
