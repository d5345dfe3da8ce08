/* util.c - allocation that aborts on failure, files written atomically. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/util.h"

static void *xcheck(void *p)
{
	if (!p) {
		fputs("mmsim: out of memory\n", stderr);
		abort();
	}
	return p;
}

void *xmalloc(size_t n)
{
	return xcheck(malloc(n ? n : 1));
}

void *xcalloc(size_t n, size_t size)
{
	return xcheck(calloc(n ? n : 1, size ? size : 1));
}

void *xrealloc(void *p, size_t n)
{
	return xcheck(realloc(p, n ? n : 1));
}

char *xstrdup(const char *s)
{
	return xcheck(strdup(s));
}

char *xvasprintf(const char *fmt, va_list ap)
{
	va_list ap2;
	int n;
	char *s;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	s = xmalloc((size_t)n + 1);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

int write_file_atomic(const char *path, const char *data, size_t len)
{
	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	FILE *f = fopen(tmp, "w");
	int ok = f && fwrite(data, 1, len, f) == len;

	if (f && fclose(f) != 0)
		ok = 0;
	if (ok && rename(tmp, path) != 0)
		ok = 0;
	if (!ok)
		unlink(tmp);
	free(tmp);
	return ok ? 0 : -1;
}

int mkdir_p(const char *path)
{
	char *p = xstrdup(path);
	int rc = 0;

	for (char *s = p + 1; *s && rc == 0; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST)
			rc = -1;
		*s = '/';
	}
	if (rc == 0 && mkdir(p, 0777) != 0 && errno != EEXIST)
		rc = -1;
	free(p);
	return rc;
}

int remove_tree(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int rc = 0;

	if (!d)
		return errno == ENOTDIR ? unlink(path) : errno == ENOENT ? 0 : -1;
	while ((e = readdir(d))) {
		char *sub;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		sub = xasprintf("%s/%s", path, e->d_name);
		rc |= remove_tree(sub);
		free(sub);
	}
	closedir(d);
	return rmdir(path) || rc ? -1 : 0;
}

static char *util_read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, got;

	*len = 0;
	if (!f)
		return NULL;
	do {
		if (*len == cap)
			buf = xrealloc(buf, cap = cap ? 2 * cap : 65536);
		got = fread(buf + *len, 1, cap - *len, f);
		*len += got;
	} while (got > 0);
	if (ferror(f)) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static int util_copy_file(const char *from, const char *to)
{
	size_t len;
	char *data = util_read_all(from, &len);
	int rc = data ? write_file_atomic(to, data, len) : -1;

	free(data);
	return rc;
}

/* One entry of a folder: a folder (recursively) or a file. */
static int util_copy_entry(const char *from, const char *to, const char *name,
			   const char *last_name)
{
	char *src = xasprintf("%s/%s", from, name), *dst = xasprintf("%s/%s", to, name);
	struct stat st;
	int rc = stat(src, &st);

	if (rc == 0 && S_ISDIR(st.st_mode))
		rc = copy_tree(src, dst, last_name);
	else if (rc == 0)
		rc = util_copy_file(src, dst);
	free(src);
	free(dst);
	return rc;
}

int copy_tree(const char *from, const char *to, const char *last_name)
{
	DIR *d = opendir(from);
	struct dirent *e;
	bool last = false;
	int rc = d ? mkdir_p(to) : -1;

	while (rc == 0 && (e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (strcmp(e->d_name, last_name) == 0)
			last = true;
		else
			rc = util_copy_entry(from, to, e->d_name, last_name);
	}
	if (d)
		closedir(d);
	if (rc == 0 && last)
		rc = util_copy_entry(from, to, last_name, last_name);
	return rc;
}
