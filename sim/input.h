/*
 * input.h - reading the files a user names (scenarios, suites, empirical
 * distributions): regular files only, and at most INPUT_MAX_BYTES of them.
 *
 * A FIFO without a writer would block forever, /dev/zero never ends, and a
 * directory or a device is not what was meant: each is refused with a
 * message that says what was found, before anything is read.
 */
#ifndef SIM_INPUT_H
#define SIM_INPUT_H

#include <stddef.h>
#include <stdio.h>

/* 64 MiB: far above any scenario (the largest seed one is 4 kB) or trace. */
#define INPUT_MAX_BYTES (64u << 20)

/*
 * Opens @path for reading if it is a regular file of at most
 * INPUT_MAX_BYTES; else NULL with *@error set (new string: "No such file or
 * directory", "a regular file expected, got a FIFO", ...).
 */
FILE *input_open(const char *path, char **error);

/*
 * The whole of @path (NUL-terminated; its length in *@len), or NULL with
 * *@error set as for input_open (also if the file grew past the cap).
 */
char *input_read(const char *path, size_t *len, char **error);

#endif
