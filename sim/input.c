/* input.c - the files a user names: regular, and capped (see input.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/input.h"
#include "sim/util.h"

/* What @mode is, for "a regular file expected, got ...". */
static const char *input_kind(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISSOCK(mode))
		return "a socket";
	return "not a regular file";
}

/* "more than the 64 MiB an input file may hold" (new string). */
static char *input_too_big(long long size)
{
	return xasprintf("%lld bytes, more than the %u MiB an input file may hold", size,
	                 INPUT_MAX_BYTES >> 20);
}

FILE *input_open(const char *path, char **error)
{
	/* O_NONBLOCK: opening a FIFO without a writer would block, before fstat can tell */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	FILE *f;

	*error = NULL;
	if (fd < 0) {
		*error = xstrdup(strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0)
		*error = xstrdup(strerror(errno));
	else if (!S_ISREG(st.st_mode))
		*error = xasprintf("a regular file expected, got %s", input_kind(st.st_mode));
	else if (st.st_size > (off_t)INPUT_MAX_BYTES)
		*error = input_too_big((long long)st.st_size);
	/* a regular file: reads block as usual */
	else if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0)
		*error = xstrdup(strerror(errno));
	if (*error || !(f = fdopen(fd, "r"))) {
		if (!*error)
			*error = xstrdup(strerror(errno));
		close(fd);
		return NULL;
	}
	return f;
}

char *input_read(const char *path, size_t *len, char **error)
{
	FILE *f = input_open(path, error);
	char *buf = NULL;
	size_t cap = 0, n = 0, got;

	if (!f)
		return NULL;
	do {
		if (n == cap)
			buf = xrealloc(buf, (cap = cap ? 2 * cap : 65536) + 1);
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got > 0 && n <= INPUT_MAX_BYTES); /* it may grow while read */
	if (ferror(f))
		*error = xstrdup(strerror(errno));
	else if (n > INPUT_MAX_BYTES)
		*error = xasprintf(
		        "more than the %u MiB an input file may hold (it grew while read)",
		        INPUT_MAX_BYTES >> 20);
	fclose(f);
	if (*error) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}
