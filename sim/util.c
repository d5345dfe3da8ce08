/* util.c - allocation that aborts on failure, files written atomically. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <stdbool.h>
#include <fcntl.h>
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

/* fsync of the folder that holds @path: a rename in it lasts a crash. */
static int util_sync_parent(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? xasprintf("%.*s", (int)(slash - path + (slash == path)), path)
	                  : xstrdup(".");
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc = -1;

	if (fd >= 0) {
		rc = fsync(fd);
		close(fd);
	}
	free(dir);
	return rc;
}

/*
 * The temporary file is new (O_EXCL) and never a link someone left there
 * (O_NOFOLLOW); its data reaches the disk before the rename, and the rename
 * before we return, so a crash leaves the old file or the whole new one.
 */
int write_file_atomic(const char *path, const char *data, size_t len)
{
	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
	int ok = fd >= 0, err = 0;

	for (size_t done = 0; ok && done < len;) {
		ssize_t n = write(fd, data + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		ok = n > 0;
		done += ok ? (size_t)n : 0;
	}
	ok = ok && fsync(fd) == 0;
	if (fd >= 0 && close(fd) != 0)
		ok = 0;
	ok = ok && rename(tmp, path) == 0 && util_sync_parent(path) == 0;
	if (!ok) {
		err = errno ? errno : EIO;
		if (fd >= 0)
			unlink(tmp);
		errno = err;
	}
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

/* The entries of folder @fd (closed here), removed; a link is removed, never followed. */
static int util_remove_in(int fd)
{
	DIR *d = fdopendir(fd);
	struct dirent *e;
	int rc = 0;

	if (!d) {
		close(fd);
		return -1;
	}
	while ((e = readdir(d))) {
		int sub;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (unlinkat(dirfd(d), e->d_name, 0) == 0)
			continue;
		if (errno != EISDIR) {
			rc = -1;
			continue;
		}
		sub = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub < 0 || util_remove_in(sub) != 0 ||
		    unlinkat(dirfd(d), e->d_name, AT_REMOVEDIR))
			rc = -1;
	}
	closedir(d);
	return rc;
}

/* A link at @path is removed, not followed: what it points to is not ours. */
int remove_tree(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		/* ELOOP: a link; ENOTDIR: a file */
		return errno == ELOOP || errno == ENOTDIR ? unlink(path) : -1;
	}
	if (util_remove_in(fd) != 0)
		return -1;
	return rmdir(path);
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
	int rc = lstat(src, &st);

	if (rc == 0 && S_ISLNK(st.st_mode)) { /* not followed: it may point anywhere */
		errno = ELOOP;
		rc = -1;
	} else if (rc == 0 && S_ISDIR(st.st_mode))
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

void sort_items(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n)
		qsort(base, n, size, cmp);
}
