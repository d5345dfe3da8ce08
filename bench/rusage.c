/*
 * rusage.c - the measuring instrument of bench/run.sh: runs a command and
 * writes "wall_s user_s sys_s maxrss_kb" of it (fork to exit; its children
 * waited for included) to OUTFILE, to the microsecond. GNU time prints
 * hundredths, a tenth of what the C event loops take.
 *   rusage OUTFILE COMMAND [ARG]...
 * Exit status: the command's (1 if it did not exit normally), 2 on a usage
 * or system error.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE /* wait4() */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double seconds(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec * 1e-6;
}

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	struct rusage ru;
	int status;
	FILE *out;
	pid_t pid;

	if (argc < 3) {
		fprintf(stderr, "usage: rusage OUTFILE COMMAND [ARG]...\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0) {
		perror("rusage: fork");
		return 2;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		perror("rusage: exec");
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) != pid) {
		perror("rusage: wait4");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	out = fopen(argv[1], "w");
	if (!out ||
	    fprintf(out, "%.6f %.6f %.6f %ld\n",
	            (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9,
	            seconds(ru.ru_utime), seconds(ru.ru_stime), ru.ru_maxrss) < 0 ||
	    fclose(out) != 0) {
		perror("rusage: writing the measures");
		return 2;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
