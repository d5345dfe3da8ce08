/* fuzz.c - the private folder and the scenario load shared by the fuzz targets. */
#define _DEFAULT_SOURCE /* mkdtemp */
#include "tests/fuzz/fuzz.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FUZZ_FILES 4

static char dir[PATH_MAX];
static char files[FUZZ_FILES][PATH_MAX];
static unsigned nr_files;

/* The folder and every file in it go at exit (a crash leaves them, with the input that caused it). */
static void fuzz_cleanup(void)
{
	for (unsigned i = 0; i < nr_files; i++)
		unlink(files[i]);
	rmdir(dir);
}

static const char *fuzz_dir(void)
{
	const char *tmp = getenv("TMPDIR");

	if (dir[0])
		return dir;
	snprintf(dir, sizeof(dir), "%s/mmsim-fuzz.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		perror("mmsim fuzz: mkdtemp");
		abort();
	}
	atexit(fuzz_cleanup);
	return dir;
}

static const char *fuzz_path(const char *name)
{
	for (unsigned i = 0; i < nr_files; i++)
		if (strcmp(strrchr(files[i], '/') + 1, name) == 0)
			return files[i];
	if (nr_files == FUZZ_FILES)
		abort(); /* a target names more files than it should */
	snprintf(files[nr_files], PATH_MAX, "%s/%s", fuzz_dir(), name);
	return files[nr_files++];
}

const char *fuzz_write(const char *name, const void *data, size_t size)
{
	const char *path = fuzz_path(name);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd < 0 || write(fd, data, size) != (ssize_t)size || close(fd) != 0) {
		perror("mmsim fuzz: writing the input");
		abort();
	}
	return path;
}

void fuzz_load(const char *path, const struct override *ov, unsigned nr_ov)
{
	struct scenario_set set;

	(void)scenario_load(&set, path, ov, nr_ov, -1);
	scenario_set_release(&set);
}
