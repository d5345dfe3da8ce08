/*
 * fuzz_set.c - libFuzzer target: the input is a list of command-line
 * overrides, one per line, applied to the scenario of base.h. A line is
 * split at its first '=' as 'mmsim run --set PATH=VALUE' splits it (a line
 * the command line would refuse, without '=' or with an empty path, is
 * skipped); a line starting with '@' is an axis (plan's --vary: VALUE is a
 * list). NUL bytes end a line's text, as they end an argv string.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "tests/fuzz/base.h"
#include "tests/fuzz/fuzz.h"

/* As many as 'mmsim run' takes (MAX_OVERRIDES in sim/main.c). */
#define FUZZ_MAX_OVERRIDES 64

static unsigned split_overrides(char *text, struct override *ov)
{
	unsigned n = 0;

	for (char *line = text, *next; line && n < FUZZ_MAX_OVERRIDES; line = next) {
		char *eq;
		bool axis = line[0] == '@';

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		line += axis;
		eq = strchr(line, '=');
		if (!eq || eq == line)
			continue;
		*eq = '\0';
		ov[n++] = (struct override){ .path = line, .value = eq + 1, .axis = axis };
	}
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *base;
	struct override ov[FUZZ_MAX_OVERRIDES];
	char *text = malloc(size + 1);
	unsigned n;

	if (!base) {
		fuzz_write("samples.txt", "1\n2.5\n10\n", 9);
		base = fuzz_write("base.json", fuzz_base, sizeof(fuzz_base) - 1);
	}
	memcpy(text, data, size);
	text[size] = '\0';
	n = split_overrides(text, ov);
	if (n)
		fuzz_load(base, ov, n);
	free(text);
	return 0;
}
